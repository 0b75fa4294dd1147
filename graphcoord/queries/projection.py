"""Read the sub-graph an analysis needs and build the analytics graph, with a process-wide cache.

:func:`project` reads one scope of the Neo4j graph (an area and everything under it, or the
whole graph) in a bounded number of round trips -- one streamed query per node or edge family,
whatever the size of the data -- and builds the NetworkX ``DiGraph`` of
:mod:`graphcoord.analytics.graph` with the same node keys and attribute names as
:class:`~graphcoord.analytics.graph.GraphBuilder` (filled straight into NetworkX's adjacency
dicts, which is several times faster at national scale).

What is read is chosen by :class:`Part`:

* ``AREAS``: the areas in scope, the ancestors of the scope's root, and the areas the projected
  deputies contact outside the scope (so a deputy's load counts all its villages);
* ``DEPUTIES``: the deputies of the scope -- those who contact a village in scope, are elected in
  an area in scope, are county/township deputies elected in an ancestor of the root (eligible
  for its villages), or are national/provincial/city deputies based in the root's county (for
  a city or province scope: in the root itself). With no scope: every deputy;
* ``CONTACTS``: every CONTACTS edge of the projected deputies;
* ``LIAISONS``: LIAISON_FOR edges between projected deputies; with a scope, the deputies
  above the scope's deputies along LIAISON_FOR are added so escalation paths reach the upper
  levels;
* ``GROUPS``: the groups located in scope or with a projected member, all their members and
  their activity dates;
* ``CHAINS``: every cluster, chain and observation point and the deputies on them;
* ``OPEN_ISSUES``: each deputy's ``openIssues`` (tracked issues not RESOLVED/CLOSED);
* ``SUMMARY`` (alone): the coverage summary of the scope instead of a full graph, see
  :mod:`graphcoord.queries.coverage_summary`.

Deputies that a part needs (a group's members, a chain's workers) are added even when
``DEPUTIES`` is not asked for. ``occupation`` and ``workUnit`` are not read (they are ``""``).

:func:`get_projection` and :func:`get_hop_graph` keep the last projection of each
(database, scope, parts) and the escalation hop graph, and re-read only when
:func:`~graphcoord.queries.meta.graph_version` (or the node or relationship count) has changed:
one cheap round trip per call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, LiteralString

import networkx as nx

from graphcoord.analytics.escalation import build_hop_graph
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.model import significant_length
from graphcoord.queries.areas import SCOPE_AREAS
from graphcoord.queries.coverage_summary import project_coverage_summary
from graphcoord.queries.streaming import BATCHED, stream_batches

__all__ = [
    "ALL",
    "COVERAGE",
    "ESCALATION",
    "GROUPS",
    "PEERS",
    "SUMMARY",
    "IssuePlace",
    "Part",
    "ProjectionCache",
    "cache",
    "deputy_exists",
    "get_hop_graph",
    "get_projection",
    "issue_place",
    "project",
    "version_token",
]


class Part(StrEnum):
    """A family of nodes and edges that a projection can read."""

    AREAS = "areas"
    DEPUTIES = "deputies"
    CONTACTS = "contacts"
    LIAISONS = "liaisons"
    GROUPS = "groups"
    CHAINS = "chains"
    OPEN_ISSUES = "openIssues"
    #: Instead of all the others: the coverage summary, aggregated by the database
    #: (:mod:`graphcoord.queries.coverage_summary`).
    SUMMARY = "summary"


#: Suggestions and what-if (and any coverage question on the full graph).
COVERAGE: frozenset[Part] = frozenset({Part.AREAS, Part.DEPUTIES, Part.CONTACTS})
#: Coverage and gaps: per-village aggregates, the load histogram and the ranked deputies.
SUMMARY: frozenset[Part] = frozenset({Part.SUMMARY})
#: Group coverage, overlaps and quarterly compliance.
GROUPS: frozenset[Part] = COVERAGE | {Part.GROUPS}
#: Chain peers.
PEERS: frozenset[Part] = frozenset({Part.CHAINS})
#: Everything of the full graph.
ALL: frozenset[Part] = frozenset(Part) - SUMMARY
#: Escalation paths.
ESCALATION: frozenset[Part] = ALL

# -- Cypher ------------------------------------------------------------------------------------
# Every statement yields rows as lists, shipped in batches (see graphcoord.queries.streaming).


_AREA_ROW: LiteralString = " WITH [a.code, a.name, a.kind, a.parentCode] AS row"

ALL_AREAS: LiteralString = "MATCH (a:Area)" + _AREA_ROW + BATCHED

AREAS_BY_CODE: LiteralString = (
    "UNWIND $codes AS code MATCH (a:Area {code: code})" + _AREA_ROW + BATCHED
)

_DEPUTY_ROW: LiteralString = """
WITH [d.id, d.name, d.level, d.status, d.electedIn, d.baseArea,
      CASE WHEN $withIssues
           THEN COUNT { (d)-[:TRACKS]->(i:Issue) WHERE NOT i.status IN ['RESOLVED', 'CLOSED'] }
           ELSE 0 END] AS row
"""

ALL_DEPUTIES: LiteralString = "MATCH (d:Deputy)" + _DEPUTY_ROW + BATCHED

SCOPE_DEPUTIES: LiteralString = (
    """
CALL () {
  UNWIND $villages AS code
  MATCH (:Area {code: code})<-[:CONTACTS]-(d:Deputy)
  RETURN d
  UNION
  UNWIND $areas AS code
  MATCH (:Area {code: code})<-[:ELECTED_IN]-(d:Deputy)
  RETURN d
  UNION
  UNWIND $ancestors AS code
  MATCH (:Area {code: code})<-[:ELECTED_IN]-(d:Deputy)
  WHERE d.level IN ['COUNTY', 'TOWNSHIP']
  RETURN d
  UNION
  MATCH (d:Deputy)
  WHERE $nearPrefix IS NOT NULL AND d.level IN ['NATIONAL', 'PROVINCIAL', 'CITY']
    AND d.baseArea STARTS WITH $nearPrefix
  RETURN d
}
WITH DISTINCT d"""
    + _DEPUTY_ROW
    + BATCHED
)

DEPUTIES_BY_ID: LiteralString = (
    "UNWIND $ids AS key MATCH (d:Deputy {id: key}) WITH DISTINCT d" + _DEPUTY_ROW + BATCHED
)

#: Deputies above the given ones along LIAISON_FOR (any number of steps).
LIAISONS_ABOVE: LiteralString = (
    """
UNWIND $ids AS key
MATCH (:Deputy {id: key})<-[:LIAISON_FOR*1..]-(d:Deputy)
WITH DISTINCT d"""
    + _DEPUTY_ROW
    + BATCHED
)

ALL_CONTACTS: LiteralString = (
    """
MATCH (d:Deputy)-[c:CONTACTS]->(a:Area)
WITH [d.id, a.code, c.basis] AS row
"""
    + BATCHED
)

CONTACTS_OF: LiteralString = (
    """
UNWIND $ids AS key
MATCH (:Deputy {id: key})-[c:CONTACTS]->(a:Area)
WITH [key, a.code, c.basis] AS row
"""
    + BATCHED
)

ALL_LIAISONS: LiteralString = (
    """
MATCH (u:Deputy)-[:LIAISON_FOR]->(l:Deputy)
WITH [u.id, l.id] AS row
"""
    + BATCHED
)

LIAISONS_OF: LiteralString = (
    """
UNWIND $ids AS key
MATCH (:Deputy {id: key})-[:LIAISON_FOR]->(l:Deputy)
WITH [key, l.id] AS row
"""
    + BATCHED
)

_GROUP_ROW: LiteralString = """
WITH [g.id, g.name, g.kind, g.areaCode, g.room,
      COLLECT { MATCH (g)-[:HELD]->(a:Activity) RETURN toString(a.date) },
      COLLECT { MATCH (m:Deputy)-[r:MEMBER_OF]->(g) RETURN [m.id, r.role] }] AS row
"""

ALL_GROUPS: LiteralString = "MATCH (g:Group)" + _GROUP_ROW + BATCHED

SCOPE_GROUPS: LiteralString = (
    """
CALL () {
  UNWIND $areas AS code
  MATCH (:Area {code: code})<-[:LOCATED_IN]-(g:Group)
  RETURN g
  UNION
  UNWIND $ids AS key
  MATCH (:Deputy {id: key})-[:MEMBER_OF]->(g:Group)
  RETURN g
}
WITH DISTINCT g"""
    + _GROUP_ROW
    + BATCHED
)

CHAINS: LiteralString = (
    """
MATCH (c:IndustryChain)
OPTIONAL MATCH (c)-[:IN_CLUSTER]->(k:IndustryCluster)
WITH [c.id, c.name, k.id, k.name,
      COLLECT { MATCH (d:Deputy)-[:WORKS_ON]->(c) RETURN d.id },
      COLLECT {
        MATCH (p:ObservationPoint)-[:ON_CHAIN]->(c)
        RETURN [p.id, p.name, p.enterprise, p.role,
                COLLECT { MATCH (o:Deputy)-[r:OBSERVES]->(p) RETURN [o.id, r.role] }]
      }] AS row
"""
    + BATCHED
)

_VILLAGE_KINDS = frozenset({"VILLAGE", "COMMUNITY"})


# -- reading -----------------------------------------------------------------------------------


class _Graph:
    """Fills a DiGraph's adjacency dicts directly, with :class:`GraphBuilder`'s attributes."""

    def __init__(self) -> None:
        self.G = nx.DiGraph()
        self.node = self.G._node
        self.succ = self.G._succ
        self.pred = self.G._pred

    def add_node(self, node: str, attrs: dict[str, Any]) -> None:
        if node in self.node:
            self.node[node].update(attrs)
            return
        self.node[node] = attrs
        self.succ[node] = {}
        self.pred[node] = {}

    def add_edge(self, u: str, v: str, attrs: dict[str, Any]) -> None:
        self.succ[u][v] = attrs
        self.pred[v][u] = attrs

    def area(self, code: str, name: str | None, kind: str | None, parent: str | None) -> None:
        self.add_node(
            "area:" + code,
            {"type": "area", "code": code, "name": name or code, "kind": kind, "parent": parent},
        )

    def link_areas(self) -> None:
        """PART_OF edges between the areas present (an absent parent stays an attribute)."""
        node = self.node
        for key, attrs in list(node.items()):
            if attrs.get("type") == "area" and attrs["parent"] is not None:
                parent = "area:" + attrs["parent"]
                if parent in node and parent != key:
                    self.add_edge(key, parent, {"rel": "PART_OF"})

    def deputy(self, record: Any) -> str:
        deputy_id, name, level, status, elected_in, base_area, open_issues = record
        node = "deputy:" + deputy_id
        self.add_node(
            node,
            {
                "type": "deputy",
                "id": deputy_id,
                "name": name or deputy_id,
                "level": level,
                "status": status or "ACTIVE",
                "electedIn": elected_in,
                "baseArea": base_area,
                "openIssues": int(open_issues or 0),
                "occupation": "",
                "workUnit": "",
            },
        )
        return node


def _near_prefix(code: str) -> str | None:
    """Code prefix of the region whose upper-level deputies are "near" the scope's villages."""
    if len(code) != 12 or not code.isdigit():
        return None
    return code[: min(significant_length(code), 6)]


def project(
    db: Database, scope: str | None = None, parts: Iterable[Part | str] = COVERAGE
) -> nx.DiGraph:
    """Read ``scope`` (an area code, or ``None`` for the whole graph) and build its graph.

    Raises :class:`~graphcoord.errors.NotFound` when ``scope`` is not an area. The number of
    round trips is at most 10, whatever the size of the scope.
    """
    wanted = frozenset(Part(p) for p in parts)
    if Part.SUMMARY in wanted:
        if wanted != SUMMARY:
            raise ValueError("Part.SUMMARY is a projection of its own: ask for it alone")
        return project_coverage_summary(db, scope)
    b = _Graph()
    deputies: set[str] = set()  # deputy ids present
    issues = {"withIssues": Part.OPEN_ISSUES in wanted}

    def add_deputies(records: Iterable[Any]) -> None:
        for record in records:
            b.deputy(record)
            deputies.add(record[0])

    def ensure_deputies(ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - deputies)
        if missing:
            add_deputies(stream_batches(db, DEPUTIES_BY_ID, {"ids": missing, **issues}))

    in_scope: list[str] = []
    if scope is not None:
        ancestors: list[str] = []
        villages: list[str] = []
        for inside, code, name, kind, parent, _ in stream_batches(
            db, SCOPE_AREAS, {"scope": scope}
        ):
            (in_scope if inside else ancestors).append(code)
            if inside and kind in _VILLAGE_KINDS:
                villages.append(code)
            if Part.AREAS in wanted:
                b.area(code, name, kind, parent)
        if not in_scope:
            raise NotFound("area", scope)
        if Part.DEPUTIES in wanted:
            params = {
                "villages": villages,
                "areas": in_scope,
                "ancestors": ancestors,
                "nearPrefix": _near_prefix(scope),
                **issues,
            }
            add_deputies(stream_batches(db, SCOPE_DEPUTIES, params))
        if Part.LIAISONS in wanted and deputies:
            add_deputies(
                r
                for r in stream_batches(db, LIAISONS_ABOVE, {"ids": sorted(deputies), **issues})
                if r[0] not in deputies
            )
    else:
        if Part.AREAS in wanted:
            for code, name, kind, parent in stream_batches(db, ALL_AREAS):
                b.area(code, name, kind, parent)
        if Part.DEPUTIES in wanted:
            add_deputies(stream_batches(db, ALL_DEPUTIES, issues))

    needed: set[str] = set()
    groups: list[Any] = []
    if Part.GROUPS in wanted:
        if scope is None:
            groups = list(stream_batches(db, ALL_GROUPS))
        else:
            groups = list(
                stream_batches(db, SCOPE_GROUPS, {"areas": in_scope, "ids": sorted(deputies)})
            )
        needed.update(member for g in groups for member, _ in g[6])
    chains: list[Any] = []
    if Part.CHAINS in wanted:
        chains = list(stream_batches(db, CHAINS))
        for chain in chains:
            needed.update(chain[4])
            needed.update(o for point in chain[5] for o, _ in point[4])
    ensure_deputies(needed)

    for group_id, name, kind, area_code, room, dates, members in groups:
        node = "group:" + group_id
        b.add_node(
            node,
            {
                "type": "group",
                "id": group_id,
                "name": name or group_id,
                "kind": kind,
                "areaCode": area_code,
                "room": room,
                "activityDates": sorted(d for d in dates if d),
            },
        )
        for member, role in members:
            b.add_edge("deputy:" + member, node, {"rel": "MEMBER_OF", "role": role or "MEMBER"})
    for chain_id, chain_name, cluster_id, cluster_name, workers, points in chains:
        node = "chain:" + chain_id
        b.add_node(node, {"type": "chain", "id": chain_id, "name": chain_name or chain_id})
        if cluster_id is not None:
            cluster = "cluster:" + cluster_id
            b.add_node(
                cluster, {"type": "cluster", "id": cluster_id, "name": cluster_name or cluster_id}
            )
            b.add_edge(node, cluster, {"rel": "IN_CLUSTER"})
        for worker in workers:
            b.add_edge("deputy:" + worker, node, {"rel": "WORKS_ON"})
        for point_id, name, enterprise, role, observers in points:
            point = "obs:" + point_id
            b.add_node(
                point,
                {
                    "type": "obs",
                    "id": point_id,
                    "name": name or point_id,
                    "enterprise": enterprise or "",
                    "role": role or "COLLABORATIVE",
                },
            )
            b.add_edge(point, node, {"rel": "ON_CHAIN"})
            for observer, observer_role in observers:
                b.add_edge(
                    "deputy:" + observer,
                    point,
                    {"rel": "OBSERVES", "role": observer_role or role or "COLLABORATIVE"},
                )

    if Part.CONTACTS in wanted and deputies:
        if scope is None and Part.DEPUTIES in wanted:
            contacts = stream_batches(db, ALL_CONTACTS)
        else:
            contacts = stream_batches(db, CONTACTS_OF, {"ids": sorted(deputies)})
        rows = [(d, code, basis) for d, code, basis in contacts if d in deputies]
        if Part.AREAS in wanted:
            missing = sorted({code for _, code, _ in rows if "area:" + code not in b.node})
            if missing:
                for code, name, kind, parent in stream_batches(
                    db, AREAS_BY_CODE, {"codes": missing}
                ):
                    b.area(code, name, kind, parent)
        node = b.node
        for deputy_id, code, basis in rows:
            village = "area:" + code
            if village in node:
                b.add_edge("deputy:" + deputy_id, village, {"rel": "CONTACTS", "basis": basis})

    if Part.LIAISONS in wanted and deputies:
        if scope is None and Part.DEPUTIES in wanted:
            liaisons = stream_batches(db, ALL_LIAISONS)
        else:
            liaisons = stream_batches(db, LIAISONS_OF, {"ids": sorted(deputies)})
        for upper, lower in liaisons:
            if upper in deputies and lower in deputies:
                b.add_edge("deputy:" + upper, "deputy:" + lower, {"rel": "LIAISON_FOR"})

    if Part.AREAS in wanted:
        b.link_areas()
    return b.G


# -- cache -------------------------------------------------------------------------------------


#: The graph version with the node and relationship counts (from Neo4j's count store, so
#: cheap): a graph wiped and rewritten restarts its version at 0, the counts tell it apart.
VERSION_TOKEN: LiteralString = """
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
WITH coalesce(v.version, 0) AS version
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN version, nodes, relationships
"""


def version_token(db: Database) -> tuple[int, int, int]:
    """:func:`~graphcoord.queries.meta.graph_version` plus the node and relationship counts."""
    record = db.execute(VERSION_TOKEN)[0]
    return int(record["version"]), int(record["nodes"]), int(record["relationships"])


@dataclass
class _Entry:
    version: tuple[int, int, int]
    graph: nx.DiGraph
    hop_graph: nx.DiGraph | None = None


class ProjectionCache:
    """The last projection of each (database, scope, parts), valid while the graph version holds.

    Thread-safe: concurrent callers of the same key wait for one read instead of each reading.
    At most ``size`` projections are kept (least recently used first out).
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}
        self.reads = 0  # projections read from the database (for tests and benchmarks)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _key_lock(self, key: tuple[Any, ...]) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _get(self, key: tuple[Any, ...], version: tuple[int, int, int]) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def _put(self, key: tuple[Any, ...], entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def entry(
        self, db: Database, scope: str | None, parts: frozenset[Part]
    ) -> tuple[_Entry, tuple[Any, ...]]:
        key = (db.uri, db.settings.neo4j_database, scope, parts)
        version = version_token(db)
        entry = self._get(key, version)
        if entry is not None:
            return entry, key
        with self._key_lock(key):
            entry = self._get(key, version)  # another thread may have read it meanwhile
            if entry is None:
                entry = _Entry(version, project(db, scope, parts))
                self.reads += 1
                self._put(key, entry)
        return entry, key

    def projection(
        self, db: Database, scope: str | None = None, parts: Iterable[Part | str] = COVERAGE
    ) -> nx.DiGraph:
        wanted = frozenset(Part(p) for p in parts)
        return self.entry(db, scope, wanted)[0].graph

    def hop_graph(self, db: Database) -> tuple[nx.DiGraph, nx.DiGraph]:
        """The whole graph's escalation projection and its hop graph (built once per version)."""
        entry, key = self.entry(db, None, ESCALATION)
        if entry.hop_graph is None:
            with self._key_lock(key):
                if entry.hop_graph is None:
                    entry.hop_graph = build_hop_graph(entry.graph)
        return entry.graph, entry.hop_graph


#: The process-wide cache used by :func:`get_projection` and :func:`get_hop_graph`.
cache = ProjectionCache()


def get_projection(
    db: Database, scope: str | None = None, parts: Iterable[Part | str] = COVERAGE
) -> nx.DiGraph:
    """The projection of ``scope`` with ``parts``, from the cache unless the graph changed.

    The graph is shared between callers: treat it as read-only.
    """
    return cache.projection(db, scope, parts)


def get_hop_graph(db: Database) -> tuple[nx.DiGraph, nx.DiGraph]:
    """The whole graph's escalation projection and its hop graph, cached like projections."""
    return cache.hop_graph(db)


# -- small lookups the analysis service needs ---------------------------------------------------

ISSUE_PLACE: LiteralString = """
MATCH (i:Issue {id: $id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(a:Area)
RETURN a.code AS code, a.kind AS kind,
       COLLECT { MATCH (d:Deputy)-[:TRACKS]->(i) RETURN d.id ORDER BY d.id } AS trackers
"""

DEPUTY_EXISTS: LiteralString = "MATCH (d:Deputy {id: $id}) RETURN d.id AS id"


@dataclass(frozen=True)
class IssuePlace:
    """Where an issue was raised (``None`` when it has no RAISED_IN area) and who tracks it."""

    issue_id: str
    area_code: str | None
    area_kind: str | None
    trackers: tuple[str, ...]


def issue_place(db: Database, issue_id: str) -> IssuePlace:
    """The area an issue was raised in; :class:`NotFound` for an unknown issue."""
    records = db.execute(ISSUE_PLACE, {"id": issue_id})
    if not records:
        raise NotFound("issue", issue_id)
    record = records[0]
    return IssuePlace(issue_id, record["code"], record["kind"], tuple(record["trackers"]))


def deputy_exists(db: Database, deputy_id: str) -> bool:
    return bool(db.execute(DEPUTY_EXISTS, {"id": deputy_id}))
