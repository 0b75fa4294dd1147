"""Gap closing: propose new CONTACTS edges that cover uncovered (and fragile) villages at least
cost, as a min-cost flow under each deputy's capacity.

Eligibility follows the basis rules of the practice:

* COUNTY and TOWNSHIP deputies (basis ``ORIGINAL_CONSTITUENCY``) only villages inside their
  ``electedIn`` area (the village itself or one of its ancestors);
* NATIONAL, PROVINCIAL and CITY deputies (basis ``NEAR_HOME_OR_WORK``) villages near their
  ``baseArea`` -- or, when it is unknown, near the villages they already contact: the lowest
  common ancestor of the two areas must be a village, township or county (same township first,
  else same county).

The *hierarchy distance* is the number of PART_OF steps between the two areas through their
lowest common ancestor (a village to its own township: 1; two villages of a township: 2; two
villages of a county in different townships: 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graphcoord.analytics._common import (
    CONSTITUENCY_LEVELS,
    Ancestry,
    area_kind,
    describe_area,
    describe_deputy,
    is_active,
    require_village,
    scope_areas,
)
from graphcoord.analytics.errors import InvalidArgument
from graphcoord.analytics.graph import VILLAGE_KINDS, key_of

__all__ = [
    "DEFAULT_MAX_PER_DEPUTY",
    "DISTANCE_COST",
    "LOAD_COST",
    "Assignment",
    "AssignmentPlan",
    "Unassignable",
    "suggest_assignments",
]

#: Default capacity: the most villages one deputy should contact.
DEFAULT_MAX_PER_DEPUTY = 3
#: Cost of one step of hierarchy distance between the deputy's anchor area and the village.
DISTANCE_COST = 10
#: Cost of each village the deputy already contacts (its load when the assignment is made).
LOAD_COST = 5

#: Kinds of a common ancestor that make an upper-level deputy "near" a village.
_NEAR_KINDS = VILLAGE_KINDS | {"TOWNSHIP", "COUNTY"}


@dataclass(frozen=True, slots=True)
class Assignment:
    """One suggested CONTACTS edge.

    ``target`` is ``"UNCOVERED"`` or ``"FRAGILE"`` (the village's state before the plan);
    ``anchor_code`` is the area that makes the deputy eligible (``electedIn``, ``baseArea`` or an
    already contacted village); ``cost`` = ``DISTANCE_COST`` × ``distance`` + ``LOAD_COST`` × the
    deputy's load when the village is added.
    """

    deputy_id: str
    deputy_level: str
    village_code: str
    basis: str
    target: str
    anchor_code: str
    distance: int
    load_before: int
    cost: int
    reason: str


@dataclass(frozen=True, slots=True)
class Unassignable:
    """A target village the plan cannot cover, and why."""

    village_code: str
    target: str
    reason: str


@dataclass(frozen=True, slots=True)
class AssignmentPlan:
    """Suggested assignments for the target villages of a scope, with the total cost."""

    area_code: str | None
    max_per_deputy: int
    target_count: int
    assignments: tuple[Assignment, ...]
    unassignable: tuple[Unassignable, ...]
    total_cost: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    distance: int
    anchor: str
    source: str  # ELECTED_IN | BASE_AREA | CONTACT


class _Eligibility:
    """Indexes of ACTIVE deputies by the areas that make them eligible."""

    def __init__(self, G: nx.DiGraph, ancestry: Ancestry) -> None:
        self.G = G
        self.ancestry = ancestry
        self.elected: dict[str, list[str]] = {}
        # area code -> [(deputy node, steps from its anchor up to this area, anchor, source)]
        self.near: dict[str, list[tuple[str, int, str, str]]] = {}
        self.contacted: dict[str, set[str]] = {}
        for node, attrs in G.nodes(data=True):
            if attrs.get("type") != "deputy" or not is_active(attrs):
                continue
            contacted = {
                key_of(v) for v, rel in G.succ[node].items() if rel.get("rel") == "CONTACTS"
            }
            self.contacted[node] = contacted
            if attrs.get("level") in CONSTITUENCY_LEVELS:
                if attrs.get("electedIn"):
                    self.elected.setdefault(attrs["electedIn"], []).append(node)
                continue
            if attrs.get("baseArea"):
                anchors, source = [attrs["baseArea"]], "BASE_AREA"
            else:
                anchors, source = sorted(contacted), "CONTACT"
            for anchor in anchors:
                for steps, code in enumerate(ancestry.chain(anchor)):
                    if area_kind(G, code) in _NEAR_KINDS:
                        self.near.setdefault(code, []).append((node, steps, anchor, source))

    def load(self, deputy: str) -> int:
        return len(self.contacted[deputy])

    def candidates(self, village_code: str) -> dict[str, _Candidate]:
        found: dict[str, _Candidate] = {}

        def offer(deputy: str, candidate: _Candidate) -> None:
            best = found.get(deputy)
            if best is None or (candidate.distance, candidate.anchor) < (
                best.distance,
                best.anchor,
            ):
                found[deputy] = candidate

        for up, code in enumerate(self.ancestry.chain(village_code)):
            for deputy in self.elected.get(code, ()):
                offer(deputy, _Candidate(up, code, "ELECTED_IN"))
            for deputy, steps, anchor, source in self.near.get(code, ()):
                offer(deputy, _Candidate(up + steps, anchor, source))
        return found


def _no_eligible_reason(G: nx.DiGraph, code: str, chain: tuple[str, ...], taken: list[str]) -> str:
    inside = [c for c in chain if area_kind(G, c) in _NEAR_KINDS]
    county = next((c for c in chain if area_kind(G, c) == "COUNTY"), None)
    where = f"its county ({describe_area(G, county)})" if county else "its county"
    text = (
        f"no eligible deputy: no county/township deputy elected in {', '.join(inside)} "
        f"and no upper-level deputy based within {where}"
    )
    if taken:
        ids = ", ".join(key_of(d) for d in taken)
        text = f"no eligible deputy besides those already contacting it ({ids})"
    return text


def _assignment_reason(
    G: nx.DiGraph, ancestry: Ancestry, deputy: str, village: str, cand: _Candidate
) -> str:
    who = describe_deputy(G, deputy)
    anchor = describe_area(G, cand.anchor)
    if cand.source == "ELECTED_IN":
        where = "the village itself" if cand.anchor == village else "which contains the village"
        return f"{who} was elected in {anchor}, {where}"
    ancestry_kind = "same village"
    if cand.distance > 0:
        village_chain = ancestry.chain(village)
        anchor_chain = set(ancestry.chain(cand.anchor))
        lca = next(c for c in village_chain if c in anchor_chain)
        ancestry_kind = f"same {area_kind(G, lca).lower()} ({describe_area(G, lca)})"
    verb = "is based in" if cand.source == "BASE_AREA" else "already contacts"
    return f"{who} {verb} {anchor}, in the {ancestry_kind} as the village"


def suggest_assignments(
    G: nx.DiGraph,
    area_code: str | None = None,
    *,
    max_per_deputy: int = DEFAULT_MAX_PER_DEPUTY,
    include_fragile: bool = False,
    villages: Iterable[str] | None = None,
) -> AssignmentPlan:
    """Propose new CONTACTS edges that cover the gaps of a scope at least cost.

    Each target village needs one new contact. A deputy may take villages up to
    ``max_per_deputy`` minus the villages it already contacts, never a village it already
    contacts, and only villages it is eligible for (see the module docstring).

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.
    area_code : str or None, optional
        Scope, as in :func:`~graphcoord.analytics.coverage.villages_in_scope`.
    max_per_deputy : int, optional
        Capacity: the most villages one deputy should contact (default
        :data:`DEFAULT_MAX_PER_DEPUTY`).
    include_fragile : bool, optional
        Also give a second contact to the villages contacted by exactly one ACTIVE deputy.
        Uncovered villages always take priority over fragile ones.
    villages : iterable of str, optional
        Restrict the targets to these village codes (still only those that are uncovered, or
        fragile with ``include_fragile``, and inside the scope).

    Returns
    -------
    AssignmentPlan
        ``assignments`` sorted by village code, ``unassignable`` target villages with the reason
        (no eligible deputy at all, or eligible deputies at capacity) and the total cost.

    Raises
    ------
    AreaNotFound
        If ``area_code`` or a code of ``villages`` is not an area of ``G``.
    InvalidArgument
        If ``max_per_deputy`` is negative or a code of ``villages`` is not a village.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("C1", kind="COUNTY"); _ = b.area("T1", kind="TOWNSHIP", parent="C1")
    >>> _ = b.area("V1", parent="T1"); _ = b.area("V2", parent="T1")
    >>> _ = b.deputy("D1", "TOWNSHIP", elected_in="T1"); b.contact("D1", "V1")
    >>> plan = suggest_assignments(b.build(), "C1")
    >>> [(a.deputy_id, a.village_code, a.basis, a.cost) for a in plan.assignments]
    [('D1', 'V2', 'ORIGINAL_CONSTITUENCY', 15)]

    Notes
    -----
    A source feeds each deputy through unit arcs of increasing cost (``LOAD_COST`` × its load
    after each new village, a convex cost that spreads the work); deputy -> village arcs cost
    ``DISTANCE_COST`` × hierarchy distance; each village needs one unit, which may also come
    straight from the source through an "unassigned" arc whose penalty exceeds every real cost
    (more for uncovered than fragile villages). The problem is therefore always feasible and
    solved by :func:`networkx.network_simplex` with integer costs (ties between plans of equal
    cost go to the lower deputy ids); the villages fed by the
    penalty arc are the ones the constraints cannot cover. Building the indexes is
    :math:`O(n + e)`; the network has :math:`O(t \\cdot e_t)` arcs for :math:`t` targets with
    :math:`e_t` eligible deputies each, and network simplex is polynomial in practice.
    """
    if max_per_deputy < 0:
        raise InvalidArgument(f"max_per_deputy must be >= 0, got {max_per_deputy}")
    scope_villages, _ = scope_areas(G, area_code)
    if villages is not None:
        wanted = {require_village(G, code) for code in villages}
        scope_villages = [v for v in scope_villages if v in wanted]
    nodes = G.nodes
    targets: list[tuple[str, str, list[str]]] = []
    for village in scope_villages:
        contacts = sorted(
            d
            for d, rel in G.pred[village].items()
            if rel.get("rel") == "CONTACTS" and is_active(nodes[d])
        )
        if not contacts:
            targets.append((key_of(village), "UNCOVERED", contacts))
        elif include_fragile and len(contacts) == 1:
            targets.append((key_of(village), "FRAGILE", contacts))

    ancestry = Ancestry(G)
    eligibility = _Eligibility(G, ancestry) if targets else None
    unassignable: list[Unassignable] = []
    options: dict[str, dict[str, _Candidate]] = {}
    kinds: dict[str, str] = {}
    for code, kind, contacts in targets:
        assert eligibility is not None
        found = eligibility.candidates(code)
        taken = [d for d in contacts if d in found]
        for deputy in list(found):
            if code in eligibility.contacted[deputy]:
                del found[deputy]
        if not found:
            reason = _no_eligible_reason(G, code, ancestry.chain(code), taken)
            unassignable.append(Unassignable(code, kind, reason))
            continue
        free = {d: c for d, c in found.items() if eligibility.load(d) < max_per_deputy}
        if not free:
            full = ", ".join(f"{key_of(d)} ({eligibility.load(d)})" for d in sorted(found))
            reason = (
                f"eligible deputies are at capacity (max {max_per_deputy} villages each): {full}"
            )
            unassignable.append(Unassignable(code, kind, reason))
            continue
        options[code] = free
        kinds[code] = kind

    assignments: list[Assignment] = []
    if options:
        assert eligibility is not None
        flow = _solve(options, kinds, eligibility, max_per_deputy)
        per_deputy: dict[str, list[tuple[int, str]]] = {}
        for code in sorted(options):
            chosen = flow.get(code)
            if chosen is None:
                names = ", ".join(key_of(d) for d in sorted(options[code]))
                reason = (
                    "eligible deputies are at capacity once the other suggested assignments "
                    f"are made (max {max_per_deputy} villages each): {names}"
                )
                unassignable.append(Unassignable(code, kinds[code], reason))
            else:
                per_deputy.setdefault(chosen, []).append((options[code][chosen].distance, code))
        for deputy, items in per_deputy.items():
            load = eligibility.load(deputy)
            level = str(nodes[deputy].get("level"))
            basis = "ORIGINAL_CONSTITUENCY" if level in CONSTITUENCY_LEVELS else "NEAR_HOME_OR_WORK"
            for distance, code in sorted(items):
                cand = options[code][deputy]
                cost = DISTANCE_COST * distance + LOAD_COST * load
                reason = _assignment_reason(G, ancestry, deputy, code, cand)
                assignments.append(
                    Assignment(
                        deputy_id=key_of(deputy),
                        deputy_level=level,
                        village_code=code,
                        basis=basis,
                        target=kinds[code],
                        anchor_code=cand.anchor,
                        distance=distance,
                        load_before=load,
                        cost=cost,
                        reason=f"{reason}; load {load} -> {load + 1}",
                    )
                )
                load += 1
    assignments.sort(key=lambda a: (a.village_code, a.deputy_id))
    unassignable.sort(key=lambda u: u.village_code)
    return AssignmentPlan(
        area_code=area_code,
        max_per_deputy=max_per_deputy,
        target_count=len(targets),
        assignments=tuple(assignments),
        unassignable=tuple(unassignable),
        total_cost=sum(a.cost for a in assignments),
    )


def _solve(
    options: dict[str, dict[str, _Candidate]],
    kinds: dict[str, str],
    eligibility: _Eligibility,
    max_per_deputy: int,
) -> dict[str, str]:
    """Min-cost flow; returns village code -> deputy node for the villages that get one."""
    deputies = sorted({d for found in options.values() for d in found})
    rank = {deputy: i for i, deputy in enumerate(deputies)}
    # Every real cost is scaled by ``scale`` and the deputy's rank added, so that among plans of
    # equal cost the one using lower deputy ids wins (the ranks of a plan sum to < scale).
    scale = len(options) * len(deputies) + 1
    max_real = DISTANCE_COST * max(c.distance for f in options.values() for c in f.values())
    max_real += LOAD_COST * max_per_deputy
    fragile_penalty = (max_real + 1) * scale * (len(options) + 1)
    uncovered_penalty = fragile_penalty * (len(options) + 1)
    net = nx.MultiDiGraph()
    source, sink = ("source",), ("sink",)
    net.add_node(source, demand=-len(options))
    net.add_node(sink, demand=len(options))
    for deputy in deputies:
        load = eligibility.load(deputy)
        wanted = sum(1 for found in options.values() if deputy in found)
        for extra in range(min(max_per_deputy - load, wanted)):
            weight = LOAD_COST * (load + extra) * scale
            net.add_edge(source, ("d", deputy), capacity=1, weight=weight)
    for code in sorted(options):
        village = ("v", code)
        penalty = uncovered_penalty if kinds[code] == "UNCOVERED" else fragile_penalty
        net.add_edge(source, village, capacity=1, weight=penalty)
        net.add_edge(village, sink, capacity=1, weight=0)
        for deputy in sorted(options[code]):
            cost = DISTANCE_COST * options[code][deputy].distance * scale + rank[deputy]
            net.add_edge(("d", deputy), village, capacity=1, weight=cost)
    _, flow = nx.network_simplex(net)
    result: dict[str, str] = {}
    for deputy in deputies:
        for village, arcs in flow.get(("d", deputy), {}).items():
            if any(arcs.values()):
                result[village[1]] = deputy
    return result
