"""Groups: the villages their members cover, overlaps between groups, quarterly compliance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from graphcoord.analytics._common import (
    as_id_list,
    is_active,
    require_group,
    scope_areas,
)
from graphcoord.analytics.errors import InvalidArgument
from graphcoord.analytics.graph import key_of, nodes_of_type

__all__ = [
    "QUARTERS",
    "GroupCompliance",
    "GroupCoverage",
    "GroupOverlap",
    "group_coverage",
    "group_overlaps",
    "groups_located_in",
    "quarterly_compliance",
]

QUARTERS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")


def groups_located_in(G: nx.DiGraph, area_code: str | None = None) -> list[str]:
    """Ids of the groups located in an area or under it, sorted.

    Parameters
    ----------
    G : nx.DiGraph
        A projection with ``group`` nodes (their ``areaCode`` says where they are located)
        and the areas of the scope.
    area_code : str, optional
        The area; ``None`` keeps every group.

    Returns
    -------
    list of str
        Group ids in order.

    Raises
    ------
    NodeNotFound
        If ``area_code`` is not an area of ``G``.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> b.area("321300000000", "宿迁市", "CITY")
    'area:321300000000'
    >>> b.area("321302000000", "宿城区", "COUNTY", parent="321300000000")
    'area:321302000000'
    >>> b.group("G1", "宿城组", area_code="321302000000")
    'group:G1'
    >>> b.group("G2", "市直组", area_code="321300000000")
    'group:G2'
    >>> groups_located_in(b.build(), "321302000000")
    ['G1']

    Notes
    -----
    Linear in the number of nodes of ``G``.
    """
    found = sorted(key_of(node) for node in nodes_of_type(G, "group"))
    if area_code is None:
        return found
    _, inside = scope_areas(G, area_code)
    return [g for g in found if G.nodes[f"group:{g}"].get("areaCode") in (inside or set())]


@dataclass(frozen=True, slots=True)
class GroupCoverage:
    """The villages covered by a group's ACTIVE members, and the gaps in the group's area.

    ``covered`` is every village any ACTIVE member contacts (inside the group's area or not).
    ``village_count``, ``covered_in_area``, ``coverage_rate`` and ``uncovered`` refer to the
    villages under ``area_code``; they are ``0``, ``0``, ``None`` and ``()`` for a group without
    an area, and the rate is ``0.0`` for an area without villages.
    """

    group_id: str
    name: str
    kind: str
    area_code: str | None
    member_ids: tuple[str, ...]
    convener_ids: tuple[str, ...]
    covered: tuple[str, ...]
    village_count: int
    covered_in_area: int
    coverage_rate: float | None
    uncovered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupOverlap:
    """Two groups whose members cover some of the same villages (``group_a < group_b``)."""

    group_a: str
    group_b: str
    shared_count: int
    jaccard: float
    shared: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupCompliance:
    """Activities of a group per quarter of a year; compliant when no due quarter is empty.

    ``counts`` holds the activities of Q1…Q4. ``missing`` lists the quarters without an
    activity that were due (all four, or those ended by ``as_of``).
    """

    group_id: str
    name: str
    kind: str
    year: int
    counts: tuple[int, int, int, int]
    missing: tuple[str, ...]
    compliant: bool


def _members(G: nx.DiGraph, group: str) -> list[tuple[str, str]]:
    nodes = G.nodes
    return sorted(
        (d, str(rel.get("role", "MEMBER")))
        for d, rel in G.pred[group].items()
        if rel.get("rel") == "MEMBER_OF" and is_active(nodes[d])
    )


def _covered(G: nx.DiGraph, members: Iterable[str]) -> set[str]:
    return {v for d in members for v, rel in G.succ[d].items() if rel.get("rel") == "CONTACTS"}


def group_coverage(G: nx.DiGraph, group_id: str) -> GroupCoverage:
    """The villages a group covers (union of its ACTIVE members' contacts) and its gaps.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.
    group_id : str
        The group.

    Returns
    -------
    GroupCoverage

    Raises
    ------
    GroupNotFound
        If ``group_id`` is not a group of ``G``.
    AreaNotFound
        If the group's ``areaCode`` is not an area of ``G``.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("T", kind="TOWNSHIP"); _ = b.area("V1", parent="T"); _ = b.area("V2", parent="T")
    >>> _ = b.deputy("D", "CITY"); b.contact("D", "V1")
    >>> _ = b.group("G", area_code="T"); b.member("D", "G", role="CONVENER")
    >>> cov = group_coverage(b.build(), "G")
    >>> cov.covered, cov.uncovered, cov.coverage_rate, cov.convener_ids
    (('V1',), ('V2',), 0.5, ('D',))

    Notes
    -----
    :math:`O(m + c + a)` for the members, their contacts and the areas under the group's area.
    """
    group = require_group(G, group_id)
    attrs = G.nodes[group]
    members = _members(G, group)
    covered = _covered(G, (d for d, _ in members))
    area_code = attrs.get("areaCode")
    village_count = covered_in_area = 0
    rate: float | None = None
    uncovered: tuple[str, ...] = ()
    if area_code:
        villages, _ = scope_areas(G, area_code)
        village_count = len(villages)
        covered_in_area = sum(1 for v in villages if v in covered)
        rate = covered_in_area / village_count if village_count else 0.0
        uncovered = tuple(key_of(v) for v in villages if v not in covered)
    return GroupCoverage(
        group_id=group_id,
        name=str(attrs.get("name") or group_id),
        kind=str(attrs.get("kind", "")),
        area_code=area_code,
        member_ids=tuple(key_of(d) for d, _ in members),
        convener_ids=tuple(key_of(d) for d, role in members if role == "CONVENER"),
        covered=tuple(sorted(key_of(v) for v in covered)),
        village_count=village_count,
        covered_in_area=covered_in_area,
        coverage_rate=rate,
        uncovered=uncovered,
    )


def _group_nodes(G: nx.DiGraph, group_ids: str | Iterable[str] | None) -> list[str]:
    if group_ids is None:
        return sorted(nodes_of_type(G, "group"))
    return [require_group(G, group_id) for group_id in as_id_list(group_ids)]


def group_overlaps(
    G: nx.DiGraph,
    group_ids: str | Iterable[str] | None = None,
    *,
    include_disjoint: bool = False,
) -> list[GroupOverlap]:
    """Pairs of groups whose members cover the same villages.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.
    group_ids : iterable of str or None, optional
        The groups to compare (default: every group of ``G``).
    include_disjoint : bool, optional
        Also list the pairs that share no village (default ``False``).

    Returns
    -------
    list of GroupOverlap
        Sorted by Jaccard index descending, then shared count descending, then ids.

    Raises
    ------
    GroupNotFound
        If an id of ``group_ids`` is not a group of ``G``.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> for v in ("V1", "V2", "V3"): _ = b.area(v)
    >>> _ = b.deputy("A", "CITY"); b.contact("A", "V1"); b.contact("A", "V2")
    >>> _ = b.deputy("B", "CITY"); b.contact("B", "V2"); b.contact("B", "V3")
    >>> _ = b.group("G1"); b.member("A", "G1"); _ = b.group("G2"); b.member("B", "G2")
    >>> [(o.group_a, o.group_b, o.shared, round(o.jaccard, 3)) for o in group_overlaps(b.build())]
    [('G1', 'G2', ('V2',), 0.333)]

    Notes
    -----
    :math:`O(g^2 \\cdot s)` for :math:`g` groups covering at most :math:`s` villages each.
    """
    groups = _group_nodes(G, group_ids)
    covered = {g: _covered(G, (d for d, _ in _members(G, g))) for g in groups}
    result = []
    for a, b in combinations(sorted(set(groups)), 2):
        shared = covered[a] & covered[b]
        if not shared and not include_disjoint:
            continue
        union = len(covered[a] | covered[b])
        result.append(
            GroupOverlap(
                group_a=key_of(a),
                group_b=key_of(b),
                shared_count=len(shared),
                jaccard=len(shared) / union if union else 0.0,
                shared=tuple(sorted(key_of(v) for v in shared)),
            )
        )
    result.sort(key=lambda o: (-o.jaccard, -o.shared_count, o.group_a, o.group_b))
    return result


def _quarter_end(year: int, quarter: int) -> str:
    return f"{year:04d}-{quarter * 3:02d}-{(31, 30, 30, 31)[quarter - 1]:02d}"


def quarterly_compliance(
    G: nx.DiGraph,
    year: int,
    group_ids: str | Iterable[str] | None = None,
    kind: str | None = "COLLABORATIVE",
    *,
    as_of: str | None = None,
) -> list[GroupCompliance]:
    """Activities per quarter of each group in ``year``: a group must meet every quarter.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph; activities are the groups' ``activityDates`` (ISO dates).
    year : int
        The calendar year.
    group_ids : iterable of str or None, optional
        The groups to check. Explicit ids are checked whatever their kind.
    kind : str or None, optional
        With ``group_ids`` ``None``: check the groups of this kind (default ``"COLLABORATIVE"``,
        the groups bound to meet quarterly); ``None`` checks every group.
    as_of : str or None, optional
        An ISO date: quarters ending after it are not yet due and never counted missing.

    Returns
    -------
    list of GroupCompliance
        Sorted by group id.

    Raises
    ------
    GroupNotFound
        If an id of ``group_ids`` is not a group of ``G``.
    InvalidArgument
        If an activity date is not an ISO date.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.group("G", activity_dates=["2024-01-05", "2024-02-01", "2024-08-30", "2023-05-01"])
    >>> (c,) = quarterly_compliance(b.build(), 2024)
    >>> c.counts, c.missing, c.compliant
    ((2, 0, 1, 0), ('Q2', 'Q4'), False)
    >>> quarterly_compliance(b.build(), 2024, as_of="2024-09-30")[0].missing
    ('Q2',)

    Notes
    -----
    :math:`O(g \\cdot a)` for :math:`g` groups of at most :math:`a` activity dates.
    """
    if group_ids is None:
        groups = [
            g for g in _group_nodes(G, None) if kind is None or G.nodes[g].get("kind") == kind
        ]
    else:
        groups = sorted(set(_group_nodes(G, group_ids)))
    result = []
    for group in groups:
        attrs = G.nodes[group]
        counts = [0, 0, 0, 0]
        for date in attrs.get("activityDates") or ():
            text = str(date)
            try:
                date_year, month = int(text[0:4]), int(text[5:7])
            except ValueError:
                raise InvalidArgument(
                    f"group {key_of(group)!r} has an activity date that is not ISO: {text!r}"
                ) from None
            if date_year == year and 1 <= month <= 12:
                counts[(month - 1) // 3] += 1
        missing = tuple(
            QUARTERS[q]
            for q in range(4)
            if counts[q] == 0 and (as_of is None or _quarter_end(year, q + 1) <= as_of[:10])
        )
        result.append(
            GroupCompliance(
                group_id=key_of(group),
                name=str(attrs.get("name") or key_of(group)),
                kind=str(attrs.get("kind", "")),
                year=year,
                counts=(counts[0], counts[1], counts[2], counts[3]),
                missing=missing,
                compliant=not missing,
            )
        )
    return result
