"""Chain peers: the deputies who work on the same industry chains as a deputy, then those on
other chains of the same industry clusters, ranked and explained."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from graphcoord.analytics._common import describe_deputy, is_active, require_deputy
from graphcoord.analytics.errors import InvalidArgument
from graphcoord.analytics.graph import key_of

__all__ = ["ChainPeer", "PeerPoint", "chain_peers"]

#: Score of one shared chain; a same-chain peer always outranks a same-cluster one.
SHARED_CHAIN_SCORE = 100.0
#: Bonus when the peer works on the chain (the core of a chain, per the practice).
WORKS_ON_SCORE = 20.0
#: Bonus per observation point that both deputies observe.
SHARED_POINT_SCORE = 10.0
#: Bonus per observation point that the peer leads.
LEAD_SCORE = 5.0
#: Score of one related chain (same cluster, different chain).
RELATED_CHAIN_SCORE = 10.0


@dataclass(frozen=True, slots=True)
class PeerPoint:
    """An observation point the peer observes on a chain that links it to the deputy."""

    point_id: str
    name: str
    chain_id: str
    role: str
    shared: bool


@dataclass(frozen=True, slots=True)
class ChainPeer:
    """Another deputy on the deputy's chains (``SAME_CHAIN``) or on other chains of the same
    clusters (``SAME_CLUSTER``).

    ``chains`` are the chain ids linking the two: the shared chains for ``SAME_CHAIN``, the
    peer's chains of the same clusters for ``SAME_CLUSTER``; ``works_on`` those of them the peer
    works on; ``points`` the peer's observation points on them.
    """

    deputy_id: str
    name: str
    level: str
    relation: str
    score: float
    chains: tuple[str, ...]
    works_on: tuple[str, ...]
    clusters: tuple[str, ...]
    points: tuple[PeerPoint, ...]
    reason: str


@dataclass
class _Involvement:
    works: bool = False
    points: dict[str, str] = field(default_factory=dict)  # obs node -> role


def _involvement(G: nx.DiGraph, deputy: str) -> dict[str, _Involvement]:
    """Chains of a deputy: chain node -> how (works on it, observes points on it)."""
    result: dict[str, _Involvement] = {}
    for succ, rel in G.succ[deputy].items():
        if rel.get("rel") == "WORKS_ON":
            result.setdefault(succ, _Involvement()).works = True
        elif rel.get("rel") == "OBSERVES":
            role = str(rel.get("role") or G.nodes[succ].get("role") or "")
            for chain, chain_rel in G.succ[succ].items():
                if chain_rel.get("rel") == "ON_CHAIN":
                    result.setdefault(chain, _Involvement()).points[succ] = role
    return result


def _deputies_on(G: nx.DiGraph, chain: str) -> set[str]:
    nodes = G.nodes
    found: set[str] = set()
    for pred, rel in G.pred[chain].items():
        if rel.get("rel") == "WORKS_ON":
            found.add(pred)
        elif rel.get("rel") == "ON_CHAIN":
            found.update(d for d, r in G.pred[pred].items() if r.get("rel") == "OBSERVES")
    return {d for d in found if is_active(nodes[d])}


def _clusters_of(G: nx.DiGraph, chain: str) -> list[str]:
    return sorted(c for c, rel in G.succ[chain].items() if rel.get("rel") == "IN_CLUSTER")


def _name(G: nx.DiGraph, node: str) -> str:
    return str(G.nodes[node].get("name") or key_of(node))


def chain_peers(G: nx.DiGraph, deputy_id: str, limit: int | None = None) -> list[ChainPeer]:
    """Other deputies on the deputy's industry chains, then on chains of the same clusters.

    A deputy is *on* a chain when it WORKS_ON it or OBSERVES an observation point ON_CHAIN it.
    Deputies whose status is ``LEFT`` are never peers.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph.
    deputy_id : str
        The deputy asking.
    limit : int or None, optional
        Return at most this many peers (default: all).

    Returns
    -------
    list of ChainPeer
        ``SAME_CHAIN`` peers first, then ``SAME_CLUSTER`` ones; within each by score
        descending, then deputy id. Empty when the deputy is on no chain.

    Raises
    ------
    DeputyNotFound
        If ``deputy_id`` is not a deputy of ``G``.
    InvalidArgument
        If ``limit`` is negative.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.cluster("K", "新能源"); _ = b.chain("C", "新能源汽车", cluster_id="K")
    >>> _ = b.chain("S", "光伏", cluster_id="K")
    >>> _ = b.observation_point("P", "C", "观察点X", role="LEAD")
    >>> for d in ("A", "B", "E"): _ = b.deputy(d, "CITY")
    >>> b.works_on("A", "C"); b.works_on("B", "C"); b.observes("B", "P"); b.works_on("E", "S")
    >>> [(p.deputy_id, p.relation, p.score) for p in chain_peers(b.build(), "A")]
    [('B', 'SAME_CHAIN', 125.0), ('E', 'SAME_CLUSTER', 14.0)]
    >>> chain_peers(b.build(), "A")[0].reason
    'city deputy B: works on chain 新能源汽车 too; observes 观察点X (lead)'

    Notes
    -----
    :math:`O(p + e)` for the :math:`p` peers found and the :math:`e` WORKS_ON / OBSERVES /
    ON_CHAIN edges of the chains involved, plus :math:`O(p \\log p)` to rank them.
    """
    if limit is not None and limit < 0:
        raise InvalidArgument(f"limit must be >= 0, got {limit}")
    me = require_deputy(G, deputy_id)
    mine = _involvement(G, me)
    my_points = {p for inv in mine.values() for p in inv.points}
    my_clusters = {cl for chain in mine for cl in _clusters_of(G, chain)}

    same_chain: dict[str, set[str]] = {}
    for chain in mine:
        for deputy in _deputies_on(G, chain):
            if deputy != me:
                same_chain.setdefault(deputy, set()).add(chain)
    related: dict[str, set[str]] = {}
    for cluster in sorted(my_clusters):
        for chain, rel in G.pred[cluster].items():
            if rel.get("rel") != "IN_CLUSTER" or chain in mine:
                continue
            for deputy in _deputies_on(G, chain):
                if deputy != me and deputy not in same_chain:
                    related.setdefault(deputy, set()).add(chain)

    peers: list[tuple[int, ChainPeer]] = []
    for tier, found in ((0, same_chain), (1, related)):
        for deputy, chains in found.items():
            peer = _peer(G, deputy, chains, tier, mine, my_points, my_clusters)
            peers.append((tier, peer))
    peers.sort(key=lambda item: (item[0], -item[1].score, item[1].deputy_id))
    ranked = [peer for _, peer in peers]
    return ranked if limit is None else ranked[:limit]


def _peer(
    G: nx.DiGraph,
    deputy: str,
    chains: set[str],
    tier: int,
    mine: dict[str, _Involvement],
    my_points: set[str],
    my_clusters: set[str],
) -> ChainPeer:
    theirs = _involvement(G, deputy)
    ordered = sorted(chains)
    works_on = [c for c in ordered if theirs[c].works]
    points = [
        PeerPoint(key_of(p), _name(G, p), key_of(c), role, p in my_points)
        for c in ordered
        for p, role in sorted(theirs[c].points.items())
    ]
    leads = sum(1 for p in points if p.role == "LEAD")
    shared_points = sum(1 for p in points if p.shared)
    clusters = sorted({cl for c in ordered for cl in _clusters_of(G, c)} & my_clusters)
    if tier == 0:
        score = SHARED_CHAIN_SCORE * len(ordered) + WORKS_ON_SCORE * len(works_on)
        score += SHARED_POINT_SCORE * shared_points + LEAD_SCORE * leads
    else:
        score = RELATED_CHAIN_SCORE * len(ordered) + 0.2 * WORKS_ON_SCORE * len(works_on)
        score += 0.2 * LEAD_SCORE * leads
    parts = []
    for chain in ordered:
        inv = theirs[chain]
        observed = [
            f"observes {_name(G, p)} ({role.lower()}{', as you do' if p in my_points else ''})"
            for p, role in sorted(inv.points.items())
        ]
        if tier == 0:
            head = f"works on chain {_name(G, chain)} too" if inv.works else ""
            if not head:
                observed[0] = f"{observed[0]} on chain {_name(G, chain)} too"
        else:
            cluster_names = ", ".join(
                _name(G, cl) for cl in _clusters_of(G, chain) if cl in my_clusters
            )
            your = ", ".join(
                _name(G, c) for c in sorted(mine) if set(_clusters_of(G, c)) & my_clusters
            )
            how = "works on" if inv.works else "is on"
            head = (
                f"{how} chain {_name(G, chain)} of the same cluster {cluster_names} "
                f"as your chain {your}"
            )
        parts.append("; ".join(x for x in [head, *observed] if x))
    attrs = G.nodes[deputy]
    return ChainPeer(
        deputy_id=key_of(deputy),
        name=str(attrs.get("name") or key_of(deputy)),
        level=str(attrs.get("level", "")),
        relation="SAME_CHAIN" if tier == 0 else "SAME_CLUSTER",
        score=score,
        chains=tuple(key_of(c) for c in ordered),
        works_on=tuple(key_of(c) for c in works_on),
        clusters=tuple(key_of(cl) for cl in clusters),
        points=tuple(points),
        reason=f"{describe_deputy(G, deputy)}: {'; '.join(parts)}",
    )
