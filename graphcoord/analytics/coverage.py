"""Coverage of villages and communities by deputies' CONTACTS, and the load of deputies.

A village (or community) is *covered* when at least one ACTIVE deputy contacts it; deputies
whose status is ``LEFT`` never count, anywhere in this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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
from graphcoord.analytics.graph import LEVELS, key_of

__all__ = [
    "CoverageReport",
    "DeputyLoad",
    "LevelCoverage",
    "LoadBucket",
    "LoadStats",
    "coverage_report",
    "gini",
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
    from graphcoord.analytics.errors import InvalidArgument

    ordered = sorted(float(v) for v in values)
    if ordered and ordered[0] < 0:
        raise InvalidArgument("gini() needs non-negative values")
    n = len(ordered)
    total = sum(ordered)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1))
    return weighted / (n * total)


def uncovered_villages(
    G: nx.DiGraph, area_code: str | None = None, level: str | None = None
) -> list[str]:
    """Villages in scope that no ACTIVE deputy (of ``level``, when given) contacts.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.
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
        If ``level`` is not one of the five levels.

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


def _load_stats(loads: dict[str, int], top: int) -> LoadStats:
    values = list(loads.values())
    if not values:
        return LoadStats(0, 0, 0.0, 0, 0, 0.0, (), (), ())
    histogram = Counter(values)
    by_most = sorted(loads.items(), key=lambda item: (-item[1], item[0]))[:top]
    by_least = sorted(loads.items(), key=lambda item: (item[1], item[0]))[:top]
    return LoadStats(
        deputy_count=len(values),
        contact_count=sum(values),
        mean=sum(values) / len(values),
        min=min(values),
        max=max(values),
        gini=gini(values),
        distribution=tuple(LoadBucket(v, histogram[v]) for v in sorted(histogram)),
        most_loaded=tuple(DeputyLoad(key_of(d), n) for d, n in by_most),
        least_loaded=tuple(DeputyLoad(key_of(d), n) for d, n in by_least),
    )


def coverage_report(
    G: nx.DiGraph, area_code: str | None = None, *, top: int = 10
) -> CoverageReport:
    """Coverage of the villages under an area: overall, per level, gaps and deputies' load.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.
    area_code : str or None, optional
        Scope, as in :func:`villages_in_scope` (``None``: every village of ``G``).
    top : int, optional
        How many deputies to list as most and least loaded (default 10).

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
    :math:`O(d \\log d)` to rank the loads.
    """
    villages, scope = scope_areas(G, area_code)
    ancestry = Ancestry(G)
    covered = 0
    per_level = dict.fromkeys(LEVELS, 0)
    uncovered: list[str] = []
    fragile: list[str] = []
    without_own: list[str] = []
    loads: dict[str, int] = {}
    pred = G._pred  # raw adjacency: this loop runs once per village of a national graph
    attrs_of = G._node
    for village in villages:
        code = village[5:]  # strip "area:"
        contacts = [
            d
            for d, rel in pred[village].items()
            if rel.get("rel") == "CONTACTS" and attrs_of[d].get("status", "ACTIVE") != "LEFT"
        ]
        if not contacts:
            uncovered.append(code)
            without_own.append(code)
            continue
        covered += 1
        if len(contacts) == 1:
            fragile.append(code)
        levels_seen = set()
        own = False
        chain: tuple[str, ...] | None = None
        for deputy in contacts:
            attrs = attrs_of[deputy]
            level = attrs.get("level")
            levels_seen.add(level)
            loads[deputy] = loads.get(deputy, 0) + 1
            if not own and level in CONSTITUENCY_LEVELS and attrs.get("electedIn"):
                if chain is None:
                    chain = ancestry.chain(code)
                own = attrs["electedIn"] in chain
        if not own:
            without_own.append(code)
        for level in levels_seen:
            if level in per_level:
                per_level[level] += 1
    for node, attrs in G.nodes(data=True):
        if attrs.get("type") != "deputy" or node in loads or not is_active(attrs):
            continue
        if scope is None or attrs.get("electedIn") in scope:
            loads[node] = 0
    total = len(villages)
    return CoverageReport(
        area_code=area_code,
        village_count=total,
        covered_count=covered,
        coverage_rate=_rate(covered, total),
        by_level=tuple(
            LevelCoverage(lv, per_level[lv], _rate(per_level[lv], total)) for lv in LEVELS
        ),
        uncovered=tuple(uncovered),
        fragile=tuple(fragile),
        without_own_constituency_deputy=tuple(without_own),
        load=_load_stats(loads, top),
    )
