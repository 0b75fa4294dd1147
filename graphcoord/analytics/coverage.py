"""Coverage of villages and communities by deputies' CONTACTS, and the load of deputies.

A village (or community) is *covered* when at least one ACTIVE deputy contacts it; deputies
whose status is ``LEFT`` never count, anywhere in this module.

Coverage questions only need, per village, how many ACTIVE deputies of each level contact it and
whether one of its own constituency does, plus the distribution of deputies' loads. A *coverage
summary* (:func:`coverage_summary`) is the graph reduced to exactly that; :func:`coverage_report`
and :func:`uncovered_villages` accept either a full coordination graph or a summary, which is
what lets a national report skip the 2.8 million deputies and contacts of the full graph
(``graphcoord/services/coverage_summary.py`` reads the summary aggregated by the database).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from graphcoord.analytics._common import (
    CONSTITUENCY_LEVELS,
    Ancestry,
    active_contacts,
    check_level,
    is_active,
    scope_areas,
)
from graphcoord.analytics.errors import InvalidArgument
from graphcoord.analytics.graph import LEVELS, key_of

__all__ = [
    "COVERAGE_SUMMARY",
    "CoverageReport",
    "DeputyLoad",
    "LevelCoverage",
    "LoadBucket",
    "LoadStats",
    "LoadSummary",
    "coverage_report",
    "coverage_summary",
    "gini",
    "histogram_gini",
    "is_coverage_summary",
    "load_summary",
    "uncovered_villages",
    "villages_in_scope",
]


@dataclass(frozen=True, slots=True)
class LevelCoverage:
    """Villages contacted by at least one ACTIVE deputy of ``level``."""

    level: str
    covered_count: int
    coverage_rate: float


@dataclass(frozen=True, slots=True)
class LoadBucket:
    """``deputies`` deputies contact ``villages`` villages each (one bar of the histogram)."""

    villages: int
    deputies: int


@dataclass(frozen=True, slots=True)
class DeputyLoad:
    """The number of villages in scope that a deputy contacts."""

    deputy_id: str
    villages: int


@dataclass(frozen=True, slots=True)
class LoadStats:
    """Villages per deputy among the deputies counted for a scope.

    ``most_loaded`` is sorted by load descending then id, ``least_loaded`` by load ascending
    then id; each holds at most ``top`` entries.
    """

    deputy_count: int
    contact_count: int
    mean: float
    min: int
    max: int
    gini: float
    distribution: tuple[LoadBucket, ...]
    most_loaded: tuple[DeputyLoad, ...]
    least_loaded: tuple[DeputyLoad, ...]


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Coverage of the villages and communities under ``area_code`` (``None``: all)."""

    area_code: str | None
    village_count: int
    covered_count: int
    coverage_rate: float
    by_level: tuple[LevelCoverage, ...]
    uncovered: tuple[str, ...]
    fragile: tuple[str, ...]
    without_own_constituency_deputy: tuple[str, ...]
    load: LoadStats

    def level(self, level: str) -> LevelCoverage:
        """The :class:`LevelCoverage` of one level (``"COUNTY"``)."""
        name = check_level(level, allow_none=False)
        return next(item for item in self.by_level if item.level == name)


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def villages_in_scope(G: nx.DiGraph, area_code: str | None = None) -> list[str]:
    """Codes of the villages and communities under an area, at any depth.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph (see :mod:`graphcoord.analytics.graph`).
    area_code : str or None, optional
        The area whose villages are wanted, following PART_OF edges downwards. A village's
        own code gives that village alone. ``None`` (the default) gives every village in ``G``.

    Returns
    -------
    list of str
        Area codes of kind VILLAGE or COMMUNITY, sorted.

    Raises
    ------
    AreaNotFound
        If ``area_code`` is not an area of ``G``.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("T1", kind="TOWNSHIP")
    >>> _ = b.area("V2", parent="T1")
    >>> _ = b.area("V1", kind="COMMUNITY", parent="T1")
    >>> villages_in_scope(b.build(), "T1")
    ['V1', 'V2']

    Notes
    -----
    :math:`O(a \\log a)` for the :math:`a` areas under ``area_code``; :math:`O(n)` over all nodes
    when ``area_code`` is ``None``.
    """
    villages, _ = scope_areas(G, area_code)
    return [key_of(v) for v in villages]


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of non-negative values: 0 for equal values, towards 1 for concentration.

    Parameters
    ----------
    values : iterable of float
        Non-negative values (here: villages per deputy).

    Returns
    -------
    float
        :math:`G = \\frac{\\sum_i (2i - n - 1) x_{(i)}}{n \\sum_i x_i}` over the sorted values
        :math:`x_{(1)} \\le \\dots \\le x_{(n)}`; ``0.0`` for no values or an all-zero sum.

    Raises
    ------
    InvalidArgument
        If a value is negative.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    >>> gini([])
    0.0

    Notes
    -----
    :math:`O(n \\log n)` for the sort.
    """
    ordered = sorted(float(v) for v in values)
    if ordered and ordered[0] < 0:
        raise InvalidArgument("gini() needs non-negative values")
    n = len(ordered)
    total = sum(ordered)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1))
    return weighted / (n * total)


def histogram_gini(buckets: Iterable[LoadBucket]) -> float:
    """Gini coefficient of the loads a histogram describes, exactly as :func:`gini` of them.

    Parameters
    ----------
    buckets : iterable of LoadBucket
        ``deputies`` deputies with ``villages`` villages each, in any order.

    Returns
    -------
    float
        The same value as ``gini`` of the expanded list of loads, without expanding it.

    Examples
    --------
    >>> histogram_gini([LoadBucket(0, 3), LoadBucket(4, 1)])
    0.75
    >>> histogram_gini([LoadBucket(2, 5)])
    0.0

    Notes
    -----
    A run of :math:`c` equal values :math:`x` at sorted positions :math:`a+1 \\dots a+c` adds
    :math:`x \\, c \\, (2a + c - n)` to the numerator of :func:`gini`, so the sum needs one
    step per distinct load: :math:`O(b \\log b)` for :math:`b` buckets.
    """
    ordered = sorted((b.villages, b.deputies) for b in buckets if b.deputies)
    if ordered and ordered[0][0] < 0:
        raise InvalidArgument("histogram_gini() needs non-negative loads")
    n = sum(count for _, count in ordered)
    total = sum(value * count for value, count in ordered)
    if n == 0 or total == 0:
        return 0.0
    weighted = 0
    before = 0
    for value, count in ordered:
        weighted += value * count * (2 * before + count - n)
        before += count
    return weighted / (n * total)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """Villages per deputy, summarised: the histogram and the ranked ends.

    ``most_loaded`` is sorted by load descending then id, ``least_loaded`` by load ascending
    then id; each holds the ``top`` first (fewer when there are fewer deputies).
    """

    histogram: tuple[LoadBucket, ...]
    most_loaded: tuple[DeputyLoad, ...]
    least_loaded: tuple[DeputyLoad, ...]

    def stats(self, top: int) -> LoadStats:
        """The :class:`LoadStats` these figures give, with at most ``top`` ranked deputies."""
        histogram = tuple(sorted((b for b in self.histogram if b.deputies), key=_by_villages))
        count = sum(b.deputies for b in histogram)
        if not count:
            return LoadStats(0, 0, 0.0, 0, 0, 0.0, (), (), ())
        contacts = sum(b.villages * b.deputies for b in histogram)
        return LoadStats(
            deputy_count=count,
            contact_count=contacts,
            mean=contacts / count,
            min=histogram[0].villages,
            max=histogram[-1].villages,
            gini=histogram_gini(histogram),
            distribution=histogram,
            most_loaded=self.most_loaded[:top],
            least_loaded=self.least_loaded[:top],
        )


def _by_villages(bucket: LoadBucket) -> int:
    return bucket.villages


def load_summary(loads: Mapping[str, int], top: int = 10) -> LoadSummary:
    """Summarise the loads of deputies (deputy id -> villages) into a :class:`LoadSummary`.

    Parameters
    ----------
    loads : mapping of str to int
        Villages per deputy, keyed by deputy id.
    top : int, optional
        How many deputies to keep at each end of the ranking (default 10).

    Returns
    -------
    LoadSummary

    Examples
    --------
    >>> summary = load_summary({"D1": 2, "D2": 0, "D3": 2}, top=1)
    >>> summary.histogram
    (LoadBucket(villages=0, deputies=1), LoadBucket(villages=2, deputies=2))
    >>> summary.most_loaded, summary.least_loaded
    ((DeputyLoad(deputy_id='D1', villages=2),), (DeputyLoad(deputy_id='D2', villages=0),))
    """
    histogram = Counter(loads.values())
    # the ends only: a county's thousands of loads are ranked again after every contact change
    by_most = heapq.nsmallest(top, loads.items(), key=lambda item: (-item[1], item[0]))
    by_least = heapq.nsmallest(top, loads.items(), key=lambda item: (item[1], item[0]))
    return LoadSummary(
        histogram=tuple(LoadBucket(v, histogram[v]) for v in sorted(histogram)),
        most_loaded=tuple(DeputyLoad(d, n) for d, n in by_most),
        least_loaded=tuple(DeputyLoad(d, n) for d, n in by_least),
    )


#: ``G.graph["summary"]`` of a coverage summary.
COVERAGE_SUMMARY = "coverage"


def is_coverage_summary(G: nx.DiGraph) -> bool:
    """Whether ``G`` is a coverage summary (see :func:`coverage_summary`)."""
    return G.graph.get("summary") == COVERAGE_SUMMARY


def coverage_summary(G: nx.DiGraph, area_code: str | None = None, *, top: int = 10) -> nx.DiGraph:
    """Reduce a coordination graph to what the coverage of one scope needs.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph (see :mod:`graphcoord.analytics.graph`).
    area_code : str or None, optional
        Scope, as in :func:`villages_in_scope` (``None``: every village of ``G``).
    top : int, optional
        How many deputies the summary keeps at each end of the load ranking (default 10).

    Returns
    -------
    networkx.DiGraph
        No edges. One node per village in scope, with its area attributes plus
        ``levelCounts`` (ACTIVE deputies contacting it, per level, in :data:`LEVELS` order) and
        ``ownDeputy`` (whether one of them is a county or township deputy elected in the
        village or one of its ancestors); the villages' parent areas (for their names).
        ``G.graph``: ``summary`` (:data:`COVERAGE_SUMMARY`), ``scope`` (``area_code``) and
        ``load``, the :class:`LoadSummary` of the deputies counted by
        :func:`coverage_report`.

    Raises
    ------
    AreaNotFound
        If ``area_code`` is not an area of ``G``.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("T1", kind="TOWNSHIP")
    >>> _ = b.area("V1", parent="T1"); _ = b.area("V2", parent="T1")
    >>> _ = b.deputy("D1", "TOWNSHIP", elected_in="T1"); b.contact("D1", "V1")
    >>> S = coverage_summary(b.build(), "T1")
    >>> S.nodes["area:V1"]["levelCounts"], S.nodes["area:V1"]["ownDeputy"]
    ((0, 0, 0, 0, 1), True)
    >>> coverage_report(S, "T1").uncovered
    ('V2',)

    Notes
    -----
    :math:`O(a + c + d)` as :func:`coverage_report`, whose work this is.
    """
    villages, scope = scope_areas(G, area_code)
    ancestry = Ancestry(G)
    rank = {level: index for index, level in enumerate(LEVELS)}
    loads: dict[str, int] = {}
    pred = G._pred  # raw adjacency: this loop runs once per village of a national graph
    attrs_of = G._node
    S = nx.DiGraph(summary=COVERAGE_SUMMARY, scope=area_code)
    for village in villages:
        counts = [0] * len(LEVELS)
        own = False
        chain: tuple[str, ...] | None = None
        for deputy, rel in pred[village].items():
            attrs = attrs_of[deputy]
            if rel.get("rel") != "CONTACTS" or attrs.get("status", "ACTIVE") == "LEFT":
                continue
            level = attrs.get("level")
            if level in rank:
                counts[rank[level]] += 1
            key = key_of(deputy)
            loads[key] = loads.get(key, 0) + 1
            if not own and level in CONSTITUENCY_LEVELS and attrs.get("electedIn"):
                if chain is None:
                    chain = ancestry.chain(key_of(village))
                own = attrs["electedIn"] in chain
        S.add_node(village, **attrs_of[village], levelCounts=tuple(counts), ownDeputy=own)
        parent = attrs_of[village].get("parent")
        if parent is not None and "area:" + parent in attrs_of:
            S.add_node("area:" + parent, **attrs_of["area:" + parent])
    for node, attrs in G.nodes(data=True):
        if attrs.get("type") != "deputy" or not is_active(attrs):
            continue
        key = key_of(node)
        if key not in loads and (scope is None or attrs.get("electedIn") in scope):
            loads[key] = 0
    S.graph["load"] = load_summary(loads, top)
    return S


def _summary_of(G: nx.DiGraph, area_code: str | None, top: int) -> nx.DiGraph:
    if not is_coverage_summary(G):
        return coverage_summary(G, area_code, top=top)
    if G.graph.get("scope") != area_code:
        raise InvalidArgument(
            f"this coverage summary is of {G.graph.get('scope') or 'the whole graph'}, "
            f"not of {area_code or 'the whole graph'}"
        )
    return G


def _summary_villages(S: nx.DiGraph) -> list[tuple[str, tuple[int, ...], bool]]:
    """(code, levelCounts, ownDeputy) of the summary's villages, in no particular order."""
    return [
        (attrs["code"], attrs["levelCounts"], attrs["ownDeputy"])
        for attrs in S._node.values()
        if "levelCounts" in attrs
    ]


def uncovered_villages(
    G: nx.DiGraph, area_code: str | None = None, level: str | None = None
) -> list[str]:
    """Villages in scope that no ACTIVE deputy (of ``level``, when given) contacts.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph, or a coverage summary of ``area_code``.
    area_code : str or None, optional
        Scope, as in :func:`villages_in_scope`.
    level : str or None, optional
        ``None`` (default): villages with no contact at all. A level name (``"CITY"``):
        villages with no contact by a deputy of that level.

    Returns
    -------
    list of str
        Village codes, sorted.

    Raises
    ------
    AreaNotFound
        If ``area_code`` is not an area of ``G``.
    InvalidArgument
        If ``level`` is not one of the five levels, or ``G`` is a summary of another scope.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("T1", kind="TOWNSHIP")
    >>> _ = b.area("V1", parent="T1"); _ = b.area("V2", parent="T1")
    >>> _ = b.deputy("D1", "CITY"); b.contact("D1", "V1")
    >>> uncovered_villages(b.build(), "T1")
    ['V2']
    >>> uncovered_villages(b.build(), "T1", level="COUNTY")
    ['V1', 'V2']

    Notes
    -----
    :math:`O(a + c)` for the :math:`a` areas in scope and the :math:`c` CONTACTS edges into them.
    """
    wanted = check_level(level)
    if is_coverage_summary(G):
        _summary_of(G, area_code, 0)
        index = None if wanted is None else LEVELS.index(wanted)
        return sorted(
            code
            for code, counts, _ in _summary_villages(G)
            if not (any(counts) if index is None else counts[index])
        )
    villages, _ = scope_areas(G, area_code)
    nodes = G.nodes
    result = []
    for village in villages:
        contacts = active_contacts(G, village)
        if wanted is not None:
            contacts = [d for d in contacts if nodes[d].get("level") == wanted]
        if not contacts:
            result.append(key_of(village))
    return result


def coverage_report(
    G: nx.DiGraph, area_code: str | None = None, *, top: int = 10
) -> CoverageReport:
    """Coverage of the villages under an area: overall, per level, gaps and deputies' load.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph, or a coverage summary of ``area_code`` (:func:`coverage_summary`).
    area_code : str or None, optional
        Scope, as in :func:`villages_in_scope` (``None``: every village of ``G``).
    top : int, optional
        How many deputies to list as most and least loaded (default 10; a summary lists at
        most as many as it keeps).

    Returns
    -------
    CoverageReport
        ``uncovered``: no ACTIVE deputy contacts the village. ``fragile``: exactly one does.
        ``without_own_constituency_deputy``: no ACTIVE county or township deputy whose
        ``electedIn`` area is the village or one of its ancestors contacts it (uncovered
        villages are included). ``load``: villages in scope per deputy, over the ACTIVE deputies
        who contact a village in scope or are elected in an area in scope (with ``area_code``
        ``None``: every ACTIVE deputy). Rates are ``0.0`` for an empty scope.

    Raises
    ------
    AreaNotFound
        If ``area_code`` is not an area of ``G``.
    InvalidArgument
        If ``G`` is a coverage summary of another scope.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("T1", kind="TOWNSHIP")
    >>> _ = b.area("V1", parent="T1"); _ = b.area("V2", parent="T1")
    >>> _ = b.deputy("D1", "TOWNSHIP", elected_in="T1"); b.contact("D1", "V1")
    >>> report = coverage_report(b.build(), "T1")
    >>> report.covered_count, report.coverage_rate, report.uncovered, report.fragile
    (1, 0.5, ('V2',), ('V1',))
    >>> report.level("TOWNSHIP").covered_count
    1

    Notes
    -----
    :math:`O(a + c + d)` for the :math:`a` areas in scope, the :math:`c` CONTACTS edges into its
    villages and the :math:`d` deputies of ``G`` (scanned once for those elected in scope), plus
    :math:`O(d \\log d)` to rank the loads; :math:`O(v \\log v)` for the :math:`v` villages of a
    summary.
    """
    S = _summary_of(G, area_code, top)
    villages = _summary_villages(S)
    # Villages share few distinct count tuples: tally those, not the villages, per level.
    tally = Counter(counts for _, counts, _ in villages)
    per_level = [sum(n for counts, n in tally.items() if counts[i]) for i in range(len(LEVELS))]
    contacts = {counts: sum(counts) for counts in tally}
    uncovered = sorted(code for code, counts, _ in villages if contacts[counts] == 0)
    fragile = sorted(code for code, counts, _ in villages if contacts[counts] == 1)
    without_own = sorted(code for code, _, own in villages if not own)
    total = len(villages)
    covered = total - len(uncovered)
    return CoverageReport(
        area_code=area_code,
        village_count=total,
        covered_count=covered,
        coverage_rate=_rate(covered, total),
        by_level=tuple(
            LevelCoverage(level, per_level[i], _rate(per_level[i], total))
            for i, level in enumerate(LEVELS)
        ),
        uncovered=tuple(uncovered),
        fragile=tuple(fragile),
        without_own_constituency_deputy=tuple(without_own),
        load=S.graph["load"].stats(top),
    )
