"""Hot topics: clusters of opinions on one matter, their keywords, a representative, a trend.

Clustering is average-linkage agglomeration on cosine distance, cut at a similarity
threshold, run inside each connected component of the graph of pairs at least ``link``
similar. Components keep the work small (most opinions share nothing with most others); average
linkage inside them keeps a cluster from growing by chaining, as single linkage (plain
connected components) would.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from graphcoord.text.errors import InvalidArgument

__all__ = [
    "LINK_THRESHOLD",
    "TOPIC_THRESHOLD",
    "Cluster",
    "cluster_rows",
    "describe",
    "weekly_trend",
]

#: Average similarity that holds a cluster together (chosen on the corpus's training split).
TOPIC_THRESHOLD = 0.50
#: Similarity of the pairs that join components before clustering inside them.
LINK_THRESHOLD = 0.30


@dataclass(frozen=True, slots=True)
class Cluster:
    """A cluster's rows (ascending), its most central row, keywords and cohesion.

    ``cohesion`` is the mean cosine similarity of the members to their centroid direction.
    """

    members: tuple[int, ...]
    representative: int
    keywords: tuple[str, ...]
    cohesion: float


def cluster_rows(
    rows: csr_matrix,
    *,
    threshold: float = TOPIC_THRESHOLD,
    link: float = LINK_THRESHOLD,
    min_size: int = 2,
) -> list[list[int]]:
    """Clusters of at least ``min_size`` rows, largest first (then by first row).

    Parameters
    ----------
    rows : scipy.sparse.csr_matrix
        L2-normalised rows.
    threshold : float
        The average similarity between two merged groups must be at least this.
    link : float
        Only pairs at least this similar connect rows before clustering (≤ ``threshold``).
    min_size : int
        Smaller clusters are left out.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> rows = csr_matrix([[1.0, 0.0], [0.9, 0.436], [0.0, 1.0]])
    >>> cluster_rows(rows, threshold=0.8, link=0.5)
    [[0, 1]]

    Notes
    -----
    One sparse product for the pairs, then O(m²) per component of m rows.
    """
    if not 0.0 <= link <= threshold <= 1.0:
        raise InvalidArgument(f"need 0 <= link <= threshold <= 1, got {link} and {threshold}")
    n = rows.shape[0]
    if n == 0:
        return []
    similarity = csr_matrix(rows @ rows.T)
    graph = similarity.copy()
    graph.data = np.where(graph.data >= link, 1.0, 0.0)
    graph.eliminate_zeros()
    count, labels = connected_components(graph, directed=False)
    clusters: list[list[int]] = []
    for component in range(count):
        members = np.flatnonzero(labels == component)
        if len(members) < min_size:
            continue
        if len(members) == 1:
            clusters.append([int(members[0])])
            continue
        block = np.asarray(similarity[members][:, members].todense())
        distance = np.clip(1.0 - block, 0.0, 2.0)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform(distance, checks=False), method="average")
        cut = fcluster(tree, t=1.0 - threshold, criterion="distance")
        for label in np.unique(cut):
            found = sorted(int(i) for i in members[cut == label])
            if len(found) >= min_size:
                clusters.append(found)
    return sorted(clusters, key=lambda c: (-len(c), c[0]))


def describe(
    rows: csr_matrix, members: Sequence[int], vocabulary: Sequence[str], *, k: int = 6
) -> Cluster:
    """The representative row, ``k`` keywords and the cohesion of a cluster.

    Parameters
    ----------
    rows : scipy.sparse.csr_matrix
        The rows the cluster was found in.
    members : sequence of int
        The cluster's rows.
    vocabulary : sequence of str
        Names of the first ``len(vocabulary)`` columns (the word part of the features);
        keywords are single words among them (pairs of words are left out).
    k : int
        How many keywords.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> rows = csr_matrix([[0.8, 0.6, 0.0], [0.6, 0.8, 0.0], [0.0, 0.6, 0.8]])
    >>> c = describe(rows, [0, 1, 2], ["停水", "水压", "路灯"], k=2)
    >>> c.representative, c.keywords
    (1, ('水压', '停水'))
    """
    if not members:
        raise InvalidArgument("a cluster has at least one member")
    ordered = sorted(members)
    block = rows[ordered]
    centroid = np.asarray(block.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid))
    direction = centroid / norm if norm else centroid
    scores = np.asarray(block @ direction).ravel()
    best = int(np.argmax(scores))
    words = centroid[: len(vocabulary)]
    order = np.argsort(-words, kind="stable")
    keywords = [vocabulary[i] for i in order if words[i] > 0 and " " not in vocabulary[i]][:k]
    return Cluster(
        members=tuple(ordered),
        representative=ordered[best],
        keywords=tuple(keywords),
        cohesion=round(float(scores.mean()), 4),
    )


def weekly_trend(days: Sequence[dt.date]) -> list[tuple[dt.date, int]]:
    """Counts per week (keyed by its Monday), from the first week to the last, gaps as 0.

    Examples
    --------
    >>> import datetime as dt
    >>> weekly_trend([dt.date(2024, 11, 4), dt.date(2024, 11, 6), dt.date(2024, 11, 20)])
    [(datetime.date(2024, 11, 4), 2), (datetime.date(2024, 11, 11), 0), (datetime.date(2024, 11, 18), 1)]
    """
    if not days:
        return []
    mondays = Counter(day - dt.timedelta(days=day.weekday()) for day in days)
    week, last = min(mondays), max(mondays)
    trend = []
    while week <= last:
        trend.append((week, mondays.get(week, 0)))
        week += dt.timedelta(days=7)
    return trend
