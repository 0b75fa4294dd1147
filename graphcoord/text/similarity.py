"""Near-duplicates: texts whose vectors point the same way (TF-IDF cosine neighbours).

Rows come from :meth:`TextModel.vectors <graphcoord.text.pipeline.TextModel.vectors>` or any
fitted vectorizer of :mod:`graphcoord.text.features`; they are L2-normalised, so a dot product
is a cosine similarity between 0 (no word or character n-gram in common) and 1 (the same text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, triu

from graphcoord.text.errors import InvalidArgument

__all__ = ["DUPLICATE_THRESHOLD", "Neighbour", "neighbours", "similar_pairs"]

#: Cosine similarity from which two opinions are taken for the same matter (chosen on the
#: corpus's training split, see benchmarks/text.py).
DUPLICATE_THRESHOLD = 0.60


@dataclass(frozen=True, slots=True)
class Neighbour:
    """Another row and its cosine similarity to the row asked about."""

    index: int
    score: float


def _check(threshold: float) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise InvalidArgument(f"threshold must lie in [0, 1], got {threshold}")


def neighbours(
    rows: csr_matrix,
    index: int,
    *,
    threshold: float = DUPLICATE_THRESHOLD,
    candidates: Sequence[int] | None = None,
) -> list[Neighbour]:
    """The rows at least ``threshold`` similar to row ``index``, most similar first.

    Parameters
    ----------
    rows : scipy.sparse.csr_matrix
        L2-normalised rows, one per text.
    index : int
        The row asked about (never its own neighbour).
    threshold : float
        The least cosine similarity of a neighbour.
    candidates : sequence of int, optional
        Only these rows may be neighbours (e.g. those inside a time window); default all.

    Returns
    -------
    list of Neighbour
        Ties broken by row index, so the order is stable.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> rows = csr_matrix([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> [(n.index, n.score) for n in neighbours(rows, 0, threshold=0.5)]
    [(1, 0.8)]

    Notes
    -----
    One sparse row-by-matrix product: O(nnz) for n rows.
    """
    _check(threshold)
    if not 0 <= index < rows.shape[0]:
        raise InvalidArgument(f"row {index} is not among {rows.shape[0]} rows")
    scores = np.asarray((rows @ rows[index].T).todense()).ravel()
    allowed = range(rows.shape[0]) if candidates is None else candidates
    found = [
        Neighbour(int(i), round(float(scores[i]), 4))
        for i in allowed
        if i != index and scores[i] >= threshold
    ]
    return sorted(found, key=lambda n: (-n.score, n.index))


def similar_pairs(
    rows: csr_matrix, *, threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, score)`` with ``i < j`` at least ``threshold`` similar.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> similar_pairs(csr_matrix([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]), threshold=0.5)
    [(0, 1, 0.8), (1, 2, 0.6)]

    Notes
    -----
    The product ``rows @ rows.T`` is sparse when texts share few features; for tens of
    thousands of rows, call it on a time window or an area at a time.
    """
    _check(threshold)
    product = triu(rows @ rows.T, k=1).tocoo()
    pairs = [
        (int(i), int(j), round(float(s), 4))
        for i, j, s in zip(product.row, product.col, product.data, strict=True)
        if s >= threshold
    ]
    return sorted(pairs)
