"""Escalation paths: the k best routes from a village (or a deputy) to a deputy of a target level,
over CONTACTS, LIAISON_FOR (both ways), shared groups and shared chains, each hop explained.

The search runs on a *hop graph* built once from the coordination graph by
:func:`build_hop_graph` and reusable across questions:

* ``area:<village>`` -> ``deputy:<id>`` for each ACTIVE deputy who CONTACTS the village
  (weight :data:`CONTACT_WEIGHT`);
* deputy -> deputy both ways along LIAISON_FOR (:data:`LIAISON_WEIGHT`);
* deputy -> ``group:<id>`` -> deputy for the members of a group, each half of
  :data:`GROUP_WEIGHT` (a star instead of a clique: a group of 300 members gives 600 arcs, not
  90,000);
* deputy -> ``chain:<id>`` -> deputy likewise for the deputies on a chain (WORKS_ON, or OBSERVES
  a point ON_CHAIN), each half of :data:`CHAIN_WEIGHT`;
* every arc entering a deputy also costs its load penalty, :data:`LOAD_PENALTY` per open issue
  up to :data:`LOAD_PENALTY_CAP` (each arc keeps its ``base`` weight, so that
  :func:`update_loads` changes a deputy's penalty in place when its open issues change);
* each ACTIVE deputy -> ``target:<LEVEL>`` of its level (weight 0), the super-target of a search.

Deputies whose status is ``LEFT`` are not in the hop graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count, islice
from typing import Any

import networkx as nx

from graphcoord.analytics._common import (
    LEVEL_WORD,
    check_level,
    describe_area,
    describe_deputy,
    is_active,
    require_deputy,
    require_village,
)
from graphcoord.analytics.errors import InvalidArgument, NoEscalationPath
from graphcoord.analytics.graph import LEVELS, key_of

__all__ = [
    "CHAIN_WEIGHT",
    "CONTACT_WEIGHT",
    "GROUP_WEIGHT",
    "LIAISON_WEIGHT",
    "LOAD_PENALTY",
    "LOAD_PENALTY_CAP",
    "EscalationPath",
    "Hop",
    "build_hop_graph",
    "default_target_level",
    "escalation_paths",
    "update_loads",
]

#: Weight of the first hop, from a village to a deputy who contacts it.
CONTACT_WEIGHT = 1.0
#: Weight of a liaison hop (either direction): the cheapest relation between deputies.
LIAISON_WEIGHT = 1.0
#: Weight of a hop between two members of a group.
GROUP_WEIGHT = 2.0
#: Weight of a hop between two deputies on an industry chain.
CHAIN_WEIGHT = 3.0
#: Extra weight per open issue of the deputy a hop enters…
LOAD_PENALTY = 0.1
#: …up to this much.
LOAD_PENALTY_CAP = 2.0

_TARGET_PREFIX = "target:"
_MAX_DRAWS_PER_PATH = 10

_DEFAULT_TARGET: dict[str, str] = {
    "VILLAGE": "TOWNSHIP",
    "COMMUNITY": "TOWNSHIP",
    "TOWNSHIP": "COUNTY",
    "COUNTY": "CITY",
    "CITY": "PROVINCIAL",
    "PROVINCE": "NATIONAL",
    "PROVINCIAL": "NATIONAL",
    "NATIONAL": "NATIONAL",
}


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of an escalation path.

    ``relation`` is ``CONTACTS`` (village -> a deputy who contacts it), ``LIAISON_UP`` (the
    deputy is liaised by the next, higher-level one), ``LIAISON_DOWN`` (the deputy is liaison for
    the next one), ``SHARED_GROUP`` or ``SHARED_CHAIN`` (``via`` names the group or chain id).
    ``from_id`` is a village code for the first hop of a village path, else a deputy id.
    """

    from_id: str
    to_id: str
    relation: str
    via: str | None
    weight: float
    reason: str


@dataclass(frozen=True, slots=True)
class EscalationPath:
    """A route from ``start_id`` to ``target_deputy_id``, of total ``cost`` (sum of hops)."""

    start_kind: str
    start_id: str
    target_level: str
    target_deputy_id: str
    cost: float
    deputy_ids: tuple[str, ...]
    hops: tuple[Hop, ...]


def default_target_level(scope: str) -> str:
    """The level to escalate an issue of ``scope`` to: the congress one level above it.

    An issue whose scope is an area of some kind needs the congress that governs the areas of
    that kind (villages have no congress, so a village issue goes to the township):

    ============================  ==========
    scope                         target
    ============================  ==========
    VILLAGE, COMMUNITY            TOWNSHIP
    TOWNSHIP                      COUNTY
    COUNTY                        CITY
    CITY                          PROVINCIAL
    PROVINCE (or PROVINCIAL)      NATIONAL
    NATIONAL                      NATIONAL
    ============================  ==========

    Parameters
    ----------
    scope : str
        An area kind (or a level name; enum members are accepted).

    Returns
    -------
    str
        A level name.

    Raises
    ------
    InvalidArgument
        If ``scope`` is neither an area kind nor a level.

    Examples
    --------
    >>> default_target_level("VILLAGE"), default_target_level("COUNTY")
    ('TOWNSHIP', 'CITY')
    """
    name = str(getattr(scope, "value", scope)).upper()
    if name not in _DEFAULT_TARGET:
        raise InvalidArgument(
            f"unknown scope {scope!r}; expected one of {', '.join(_DEFAULT_TARGET)}"
        )
    return _DEFAULT_TARGET[name]


def _target(level: str) -> str:
    return f"{_TARGET_PREFIX}{level}"


def build_hop_graph(G: nx.DiGraph) -> nx.DiGraph:
    """Build the weighted hop graph that :func:`escalation_paths` searches.

    Build it once per coordination graph and pass it as ``hop_graph=`` to answer many
    questions; it does not change ``G`` and stays valid as long as ``G`` does.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.

    Returns
    -------
    networkx.DiGraph
        Nodes ``area:<village>``, ``deputy:<id>`` (ACTIVE only), ``group:<id>``,
        ``chain:<id>`` and ``target:<LEVEL>``; arcs carry ``weight`` and ``rel`` (see the module
        docstring). ``graph["levels"]`` maps each deputy node to its level.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("V"); _ = b.deputy("A", "COUNTY", open_issues=3); b.contact("A", "V")
    >>> H = build_hop_graph(b.build())
    >>> H["area:V"]["deputy:A"]["weight"], H["deputy:A"]["target:COUNTY"]["weight"]
    (1.3, 0.0)

    Notes
    -----
    The distances to each target that guide the search are computed from the arcs' base
    weights (load penalties left out): a consistent lower bound whatever the penalties, so
    :func:`update_loads` can change them without rebuilding. :math:`O(n + e)` for the nodes and
    edges of ``G``; the hop graph has
    :math:`O(c + l + m + w)` arcs for the contacts, liaisons, memberships and chain links.
    """
    nodes = G.nodes
    H = nx.DiGraph()
    levels: dict[str, str] = {}
    penalty: dict[str, float] = {}
    for node, attrs in G.nodes(data=True):
        if attrs.get("type") != "deputy" or not is_active(attrs):
            continue
        level = str(attrs.get("level"))
        levels[node] = level
        penalty[node] = _penalty(attrs.get("openIssues"))
        H.add_node(node, kind="deputy")
        H.add_edge(node, _target(level), weight=0.0, base=0.0, rel="TARGET")
    for level in LEVELS:
        H.add_node(_target(level), kind="target")

    def arc(u: str, v: str, base: float, rel: str) -> None:
        """An arc of ``base`` weight, plus the penalty of the deputy it enters."""
        H.add_edge(u, v, weight=round(base + penalty.get(v, 0.0), 9), base=base, rel=rel)

    def link(u: str, hub: str, half: float, rel: str) -> None:
        arc(u, hub, half, rel)
        arc(hub, u, half, rel)

    for u, v, rel in G.edges(data="rel"):
        if rel == "CONTACTS":
            if u in levels:
                arc(v, u, CONTACT_WEIGHT, "CONTACTS")
        elif rel == "LIAISON_FOR":
            if u in levels and v in levels:
                arc(u, v, LIAISON_WEIGHT, "LIAISON_DOWN")
                arc(v, u, LIAISON_WEIGHT, "LIAISON_UP")
        elif rel == "MEMBER_OF":
            if u in levels:
                link(u, v, GROUP_WEIGHT / 2, "SHARED_GROUP")
        elif rel == "WORKS_ON":
            if u in levels:
                link(u, v, CHAIN_WEIGHT / 2, "SHARED_CHAIN")
        elif rel == "OBSERVES" and u in levels:
            for chain, chain_rel in G.succ[v].items():
                if chain_rel.get("rel") == "ON_CHAIN":
                    link(u, chain, CHAIN_WEIGHT / 2, "SHARED_CHAIN")
    for node in H:
        if node not in levels and not node.startswith(_TARGET_PREFIX):
            H.nodes[node]["kind"] = str(nodes[node].get("type", "")) if node in G else ""
    H.graph["levels"] = levels
    H.graph["to_target"] = {level: _distances_to_target(H, level) for level in LEVELS}
    return H


def _penalty(open_issues: Any) -> float:
    return min(LOAD_PENALTY * int(open_issues or 0), LOAD_PENALTY_CAP)


def update_loads(G: nx.DiGraph, H: nx.DiGraph, open_issues: dict[str, int]) -> None:
    """Set deputies' open issues in ``G`` and their load penalties in the hop graph ``H``.

    Escalation answers after this are those of a hop graph built afresh from the updated
    ``G``: the penalty is part of the weight of every arc entering the deputy, and the
    search's heuristic (:func:`build_hop_graph`'s distances to each target) reads only the
    arcs' base weights, a lower bound whatever the penalties.

    Parameters
    ----------
    G : networkx.DiGraph
        The coordination graph ``H`` was built from.
    H : networkx.DiGraph
        Its hop graph (:func:`build_hop_graph`).
    open_issues : dict
        Deputy id -> number of open issues it tracks now. Deputies not in ``G`` are ignored.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("V"); _ = b.deputy("A", "COUNTY", open_issues=3); b.contact("A", "V")
    >>> G = b.build(); H = build_hop_graph(G)
    >>> update_loads(G, H, {"A": 5})
    >>> H["area:V"]["deputy:A"]["weight"], G.nodes["deputy:A"]["openIssues"]
    (1.5, 5)

    Notes
    -----
    :math:`O(d)` for the ``d`` arcs entering the deputies given.
    """
    levels: dict[str, str] = H.graph["levels"]
    for deputy_id, issues in open_issues.items():
        node = f"deputy:{deputy_id}"
        if node not in G:
            continue
        G.nodes[node]["openIssues"] = int(issues)
        if node not in levels:
            continue  # not ACTIVE: not in the hop graph
        penalty = _penalty(issues)
        for data in H._pred[node].values():
            data["weight"] = round(data["base"] + penalty, 9)


WeightFn = Callable[[str, str, dict[str, Any]], "float | None"]


def _distances_to_target(H: nx.DiGraph, level: str) -> dict[str, float]:
    """Distance of every node to ``target:<level>`` over the arcs' base weights, when arcs
    leaving a deputy of ``level`` are hidden (a reverse multi-source Dijkstra); unreachable
    nodes are absent. A lower bound of the distance with load penalties, whatever they are."""
    levels: dict[str, str] = H.graph["levels"]
    tnode = _target(level)
    dist: dict[str, float] = {}
    heap: list[tuple[float, int, str]] = [(0.0, 0, tnode)]
    tie = count(1)
    pred = H._pred
    while heap:
        d, _, u = heappop(heap)
        if u in dist:
            continue
        dist[u] = d
        for p, data in pred[u].items():
            if p in dist:
                continue
            if u == tnode:
                w = 0.0
            elif levels.get(p) == level:
                continue
            else:
                w = data["base"]  # without load penalties: a lower bound whatever the loads
            heappush(heap, (d + w, next(tie), p))
    return dist


def _astar(
    H: nx.DiGraph,
    source: str,
    tnode: str,
    weight: WeightFn,
    h: dict[str, float],
    ignore_nodes: set[str],
    ignore_edges: set[tuple[str, str]],
) -> tuple[float, list[str]] | None:
    """Cheapest path from ``source`` to ``tnode`` avoiding the ignored nodes and arcs, by A*
    with the base-weight distances ``h`` as (consistent) heuristic."""
    if source not in h:
        return None
    g = {source: 0.0}
    parent: dict[str, str] = {}
    heap: list[tuple[float, int, str]] = [(h[source], 0, source)]
    tie = count(1)
    closed: set[str] = set()
    succ = H._succ
    while heap:
        _, _, u = heappop(heap)
        if u in closed:
            continue
        if u == tnode:
            path = [u]
            while path[-1] != source:
                path.append(parent[path[-1]])
            path.reverse()
            return g[u], path
        closed.add(u)
        gu = g[u]
        for v, data in succ[u].items():
            if v in closed or v in ignore_nodes or (u, v) in ignore_edges:
                continue
            hv = h.get(v)
            if hv is None:
                continue
            w = weight(u, v, data)
            if w is None:
                continue
            gv = gu + w
            if gv < g.get(v, math.inf):
                g[v] = gv
                parent[v] = u
                heappush(heap, (gv + hv, next(tie), v))
    return None


def _yen(
    H: nx.DiGraph, start: str, tnode: str, weight: WeightFn, h: dict[str, float]
) -> Iterator[list[str]]:
    """Yen's k shortest simple paths, cheapest first, with A* spur searches."""
    first = _astar(H, start, tnode, weight, h, set(), set())
    if first is None:
        return
    accepted = [first[1]]
    yield first[1]
    candidates: list[tuple[float, tuple[str, ...]]] = []
    seen = {tuple(first[1])}
    while True:
        prev = accepted[-1]
        root_cost = 0.0
        for i in range(len(prev) - 1):
            root = prev[: i + 1]
            ignore_edges = {(p[i], p[i + 1]) for p in accepted if p[: i + 1] == root}
            found = _astar(H, prev[i], tnode, weight, h, set(root[:-1]), ignore_edges)
            if found is not None:
                candidate = (*root[:-1], *found[1])
                if candidate not in seen:
                    seen.add(candidate)
                    heappush(candidates, (round(root_cost + found[0], 9), candidate))
            step = weight(prev[i], prev[i + 1], H._succ[prev[i]][prev[i + 1]])
            root_cost += step or 0.0
        if not candidates:
            return
        _, path = heappop(candidates)
        accepted.append(list(path))
        yield list(path)


def escalation_paths(
    G: nx.DiGraph,
    *,
    village_code: str | None = None,
    deputy_id: str | None = None,
    target_level: str,
    k: int = 3,
    hop_graph: nx.DiGraph | None = None,
) -> list[EscalationPath]:
    """The ``k`` cheapest escalation paths from a village or a deputy to an ACTIVE deputy of
    ``target_level``.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph (names and levels for the explanations).
    village_code, deputy_id : str, optional
        The start: exactly one of them. A village path's first hop goes to a deputy who
        contacts it.
    target_level : str
        The level to reach; see :func:`default_target_level` for an issue's default.
    k : int, optional
        How many paths (default 3). Fewer are returned when fewer exist.
    hop_graph : networkx.DiGraph, optional
        The result of :func:`build_hop_graph` for ``G``; built on the fly when omitted.

    Returns
    -------
    list of EscalationPath
        Cheapest first. A path stops at the first deputy of ``target_level`` it meets; the start
        deputy itself is never the target. Paths differ in their sequence of deputies (of two
        routes through the same deputies, only the cheaper is kept).

    Raises
    ------
    NoEscalationPath
        When no path exists; the message names the missing link (the village has no
        contacting deputy, there is no ACTIVE deputy of that level, or none is reachable).
    AreaNotFound, DeputyNotFound
        If the start is not in ``G``.
    InvalidArgument
        If both or neither start is given, the start area is not a village, the level is
        unknown, ``k`` < 1, or ``hop_graph`` was not built by :func:`build_hop_graph`.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("V", "张庄村")
    >>> _ = b.deputy("A", "COUNTY", "张三"); _ = b.deputy("B", "CITY", "李四")
    >>> b.contact("A", "V"); b.liaison("B", "A")
    >>> (path,) = escalation_paths(b.build(), village_code="V", target_level="CITY")
    >>> path.cost, path.deputy_ids
    (2.0, ('A', 'B'))
    >>> for hop in path.hops:
    ...     print(hop.reason)
    village 张庄村 (V) is contacted by county deputy 张三 (A)
    county deputy 张三 (A) is liaised by city deputy 李四 (B)

    Notes
    -----
    Yen's k-shortest-simple-paths algorithm (as :func:`networkx.shortest_simple_paths`) from
    the start to the ``target:<LEVEL>`` super-target, with a weight function that hides the
    arcs leaving a deputy of the target level (except to the super-target). Its spur searches
    are A* searches guided by the distances to each super-target that
    :func:`build_hop_graph` precomputes over the base weights (one reverse Dijkstra per
    level; exact when no deputy has open issues, a lower bound otherwise), so they explore
    little more than the paths they return. Each path costs :math:`O(\\ell)` spur searches,
    :math:`\\ell` the path length, each :math:`O(m + n \\log n)` on the hop graph in the
    worst case. Up to ``10 k`` paths are drawn to find ``k`` with distinct deputies.
    """
    level = check_level(target_level, allow_none=False)
    assert level is not None
    if k < 1:
        raise InvalidArgument(f"k must be >= 1, got {k}")
    if (village_code is None) == (deputy_id is None):
        raise InvalidArgument("give exactly one of village_code and deputy_id")
    H = build_hop_graph(G) if hop_graph is None else hop_graph
    levels: dict[str, str] | None = H.graph.get("levels")
    to_target: dict[str, dict[str, float]] | None = H.graph.get("to_target")
    if levels is None or to_target is None:
        raise InvalidArgument("hop_graph must be built by build_hop_graph()")

    if village_code is not None:
        start = require_village(G, village_code)
        start_kind, start_id = "village", village_code
        label = f"village {describe_area(G, village_code)}"
        if start not in H or not H.succ[start]:
            left = any(
                rel.get("rel") == "CONTACTS" and not is_active(G.nodes[d])
                for d, rel in G.pred[start].items()
            )
            suffix = " (its only contacting deputies have left)" if left else ""
            raise NoEscalationPath(f"{label} has no contacting deputy{suffix}")
    else:
        assert deputy_id is not None
        start = require_deputy(G, deputy_id)
        start_kind, start_id = "deputy", deputy_id
        label = describe_deputy(G, start)
        if start not in levels:
            raise NoEscalationPath(f"{label} has left (status LEFT) and cannot escalate")

    tnode = _target(level)
    if not any(u != start for u in H.pred[tnode]):
        raise NoEscalationPath(f"there is no ACTIVE deputy of level {level} in the graph")

    def weight(u: str, v: str, data: dict[str, Any]) -> float | None:
        if v == tnode:
            return None if u == start else 0.0
        if u != start and levels.get(u) == level:
            return None
        w: float = data["weight"]
        return w

    paths: list[EscalationPath] = []
    seen: set[tuple[str, ...]] = set()
    for raw in islice(_yen(H, start, tnode, weight, to_target[level]), k * _MAX_DRAWS_PER_PATH):
        path = _collapse(G, H, raw[:-1], start_kind, start_id, level)
        if path.deputy_ids in seen:
            continue
        seen.add(path.deputy_ids)
        paths.append(path)
        if len(paths) == k:
            break
    if not paths:
        raise NoEscalationPath(_unreachable(G, H, start, label, level, weight))
    return paths


def _unreachable(
    G: nx.DiGraph,
    H: nx.DiGraph,
    start: str,
    label: str,
    level: str,
    weight: WeightFn,
) -> str:
    levels: dict[str, str] = H.graph["levels"]
    seen = {start}
    stack = [start]
    while stack:
        u = stack.pop()
        for v, data in H.succ[u].items():
            if (
                v not in seen
                and not v.startswith(_TARGET_PREFIX)
                and weight(u, v, data) is not None
            ):
                seen.add(v)
                stack.append(v)
    reached = sorted({levels[d] for d in seen if d in levels and d != start}, key=LEVELS.index)
    count = sum(1 for d in seen if d in levels and d != start)
    base = (
        f"no ACTIVE deputy of level {level} is reachable from {label} "
        "over contacts, liaison, groups or chains"
    )
    if count == 0:
        return f"{base}: it has no liaison, group or chain link to any other deputy"
    word = LEVEL_WORD[level]
    return (
        f"{base}: the {count} reachable deputies are of level {', '.join(reached)}, and none of "
        f"them has a liaison, shared group or shared chain with a {word} deputy"
    )


def _suffix(G: nx.DiGraph, deputy: str) -> str:
    issues = int(G.nodes[deputy].get("openIssues") or 0)
    if not issues:
        return ""
    name = G.nodes[deputy].get("name") or key_of(deputy)
    return f" ({name} has {issues} open issue{'s' if issues != 1 else ''})"


def _collapse(
    G: nx.DiGraph,
    H: nx.DiGraph,
    raw: list[str],
    start_kind: str,
    start_id: str,
    level: str,
) -> EscalationPath:
    hops: list[Hop] = []
    i = 0
    while i < len(raw) - 1:
        u, v = raw[i], raw[i + 1]
        data = H[u][v]
        rel = data["rel"]
        if rel in ("SHARED_GROUP", "SHARED_CHAIN"):
            w = raw[i + 2]
            cost = data["weight"] + H[v][w]["weight"]
            via_name = G.nodes[v].get("name") or key_of(v)
            if rel == "SHARED_GROUP":
                what = f"are both members of group {via_name}"
            else:
                what = f"are both on industry chain {via_name}"
            reason = f"{describe_deputy(G, u)} and {describe_deputy(G, w)} {what}"
            hops.append(Hop(key_of(u), key_of(w), rel, key_of(v), cost, reason + _suffix(G, w)))
            i += 2
            continue
        if rel == "CONTACTS":
            reason = (
                f"village {describe_area(G, key_of(u))} is contacted by {describe_deputy(G, v)}"
            )
        elif rel == "LIAISON_UP":
            reason = f"{describe_deputy(G, u)} is liaised by {describe_deputy(G, v)}"
        else:
            reason = f"{describe_deputy(G, u)} is liaison for {describe_deputy(G, v)}"
        hops.append(Hop(key_of(u), key_of(v), rel, None, data["weight"], reason + _suffix(G, v)))
        i += 1
    deputies = tuple(key_of(n) for n in raw if n in H.graph["levels"])
    return EscalationPath(
        start_kind=start_kind,
        start_id=start_id,
        target_level=level,
        target_deputy_id=deputies[-1],
        cost=round(sum(h.weight for h in hops), 9),
        deputy_ids=deputies,
        hops=tuple(hops),
    )
