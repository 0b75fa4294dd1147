"""Projections: the sub-graphs an analysis needs, built from Neo4j, with a process-wide cache.

:func:`project` reads one scope of the Neo4j graph (an area and everything under it, or the
whole graph) in a bounded number of round trips -- one streamed query per node or edge family
(:mod:`graphcoord.queries.projection`), whatever the size of the data -- and builds the
NetworkX ``DiGraph`` of
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
  :mod:`graphcoord.services.coverage_summary`.

Deputies that a part needs (a group's members, a chain's workers) are added even when
``DEPUTIES`` is not asked for. ``occupation`` and ``workUnit`` are not read (they are ``""``).

:func:`get_projection` and :func:`get_hop_graph` keep the last projection of each
(database, scope, parts) and the escalation hop graph. Each call first reads the change feed
(:mod:`graphcoord.services.changes`, one round trip) and drops or updates only what the
committed changes concern: a citizen's submission or a status change updates the open-issue
load of the deputies concerned in place (in the escalation projection and its hop graph) and
drops nothing; a contact or deputy change drops the projections of the scopes that contain
the areas concerned, not the others'; a change of groups, chains or liaisons drops the
projections that read them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import networkx as nx

from graphcoord import analytics as an
from graphcoord.analytics.escalation import build_hop_graph
from graphcoord.caching import BoundedCache
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.model import is_area_code, is_village_kind, significant_length
from graphcoord.queries import projection as reads
from graphcoord.queries.meta import deputy_count
from graphcoord.queries.projection import IssuePlace, deputy_exists, issue_place
from graphcoord.rules import is_within
from graphcoord.services.changes import Family, Impact, feed
from graphcoord.services.coverage_summary import catch_up, coverage_summary
from graphcoord.threads import SharedLock

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
    "refresh",
    "searching_hop_graph",
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
    if not is_area_code(code):
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
        return coverage_summary(db, scope)
    b = _Graph()
    deputies: set[str] = set()  # deputy ids present
    with_issues = Part.OPEN_ISSUES in wanted

    def add_deputies(records: Iterable[Any]) -> None:
        for record in records:
            b.deputy(record)
            deputies.add(record[0])

    def ensure_deputies(ids: Iterable[str]) -> None:
        missing = sorted(set(ids) - deputies)
        if missing:
            add_deputies(reads.deputies_by_id(db, missing, with_issues=with_issues))

    in_scope: list[str] = []
    if scope is not None:
        ancestors: list[str] = []
        villages: list[str] = []
        for inside, code, name, kind, parent, _ in reads.scope_areas(db, scope):
            (in_scope if inside else ancestors).append(code)
            if inside and is_village_kind(kind):
                villages.append(code)
            if Part.AREAS in wanted:
                b.area(code, name, kind, parent)
        if not in_scope:
            raise NotFound("area", scope)
        if Part.DEPUTIES in wanted:
            add_deputies(
                reads.scope_deputies(
                    db,
                    villages=villages,
                    areas=in_scope,
                    ancestors=ancestors,
                    near_prefix=_near_prefix(scope),
                    with_issues=with_issues,
                )
            )
        if Part.LIAISONS in wanted and deputies:
            add_deputies(
                r
                for r in reads.liaisons_above(db, sorted(deputies), with_issues=with_issues)
                if r[0] not in deputies
            )
    else:
        if Part.AREAS in wanted:
            for code, name, kind, parent in reads.all_areas(db):
                b.area(code, name, kind, parent)
        if Part.DEPUTIES in wanted:
            add_deputies(reads.all_deputies(db, with_issues=with_issues))

    needed: set[str] = set()
    groups: list[Any] = []
    if Part.GROUPS in wanted:
        if scope is None:
            groups = list(reads.all_groups(db))
        else:
            groups = list(reads.scope_groups(db, in_scope, sorted(deputies)))
        needed.update(member for g in groups for member, _ in g[6])
    chains: list[Any] = []
    if Part.CHAINS in wanted:
        chains = list(reads.chains(db))
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
            contacts = reads.all_contacts(db)
        else:
            contacts = reads.contacts_of(db, sorted(deputies))
        rows = [(d, code, basis) for d, code, basis in contacts if d in deputies]
        if Part.AREAS in wanted:
            missing = sorted({code for _, code, _ in rows if "area:" + code not in b.node})
            if missing:
                for code, name, kind, parent in reads.areas_by_code(db, missing):
                    b.area(code, name, kind, parent)
        node = b.node
        for deputy_id, code, basis in rows:
            village = "area:" + code
            if village in node:
                b.add_edge("deputy:" + deputy_id, village, {"rel": "CONTACTS", "basis": basis})

    if Part.LIAISONS in wanted and deputies:
        if scope is None and Part.DEPUTIES in wanted:
            liaisons = reads.all_liaisons(db)
        else:
            liaisons = reads.liaisons_of(db, sorted(deputies))
        for upper, lower in liaisons:
            if upper in deputies and lower in deputies:
                b.add_edge("deputy:" + upper, "deputy:" + lower, {"rel": "LIAISON_FOR"})

    if Part.AREAS in wanted:
        b.link_areas()
    return b.G


# -- cache -------------------------------------------------------------------------------------


log = logging.getLogger(__name__)

#: The families of the graph each part reads (:class:`~graphcoord.services.changes.Family`).
_READS: dict[Part, frozenset[Family]] = {
    Part.AREAS: frozenset({Family.COVERAGE}),
    Part.DEPUTIES: frozenset({Family.COVERAGE, Family.DEPUTIES}),
    Part.CONTACTS: frozenset({Family.COVERAGE}),
    Part.LIAISONS: frozenset({Family.LIAISONS, Family.DEPUTIES}),
    Part.GROUPS: frozenset({Family.GROUPS, Family.DEPUTIES}),
    Part.CHAINS: frozenset({Family.CHAINS, Family.DEPUTIES}),
    Part.OPEN_ISSUES: frozenset({Family.LOAD}),
    Part.SUMMARY: frozenset({Family.COVERAGE, Family.DEPUTIES}),
}
#: Families whose changes are located by area code (a scope's projection reads only theirs).
_LOCATED = frozenset({Family.COVERAGE, Family.DEPUTIES})


@dataclass
class _Entry:
    scope: str | None
    parts: frozenset[Part]
    graph: nx.DiGraph
    hop_graph: nx.DiGraph | None = None
    #: Changes committed since it was read, to apply when it is next asked for.
    pending: Impact = field(default_factory=Impact)
    #: Taken while the hop graph is built or its loads updated.
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Taken while it catches up with its pending changes (one thread at a time).
    catching: threading.Lock = field(default_factory=threading.Lock)
    #: A thread is applying its pending loads (:meth:`ProjectionCache._apply_later`).
    updating: bool = False
    #: Searches share the graphs; an in-place load update takes them alone.
    searches: SharedLock = field(default_factory=SharedLock)

    @property
    def reads(self) -> frozenset[Family]:
        return frozenset().union(*(_READS[part] for part in self.parts))


class ProjectionCache:
    """The last projection of each (database, scope, parts), kept up to date by the change feed.

    Thread-safe: concurrent callers of the same key wait for one read instead of each reading,
    and one caller at a time applies the feed's changes. At most ``size`` projections are kept
    (least recently used first out).
    """

    def __init__(self, size: int = 8) -> None:
        self._entries: BoundedCache[tuple[Any, ...], _Entry] = BoundedCache(size)
        self._sync_lock = threading.Lock()
        # When the last completed poll of each database began (time.monotonic()).
        self._polled: dict[tuple[str, str], float] = {}
        # The changes polled lately: a projection read meanwhile gets those it may have missed.
        self._history: deque[tuple[int, tuple[str, str], Impact]] = deque(maxlen=1024)
        self._polls = 0
        self.reads = 0  # projections read from the database (for tests and benchmarks)
        self.load_updates = 0  # in-place load updates (for tests and benchmarks)
        self.patches = 0  # coverage summaries patched instead of read again

    def clear(self) -> None:
        self._entries.clear()

    def sync(self, db: Database) -> None:
        """Read what committed since the last call (one round trip to the change feed): drop
        the projections it concerns beyond repair, and note it on those that can catch up when
        next asked for (open-issue loads, coverage located by area).

        A caller that waited here while another thread's poll, begun after the caller
        arrived, completed takes that poll as its own: it saw every commit the caller could
        have seen (callers arriving together share one round trip)."""
        database = (db.uri, db.settings.neo4j_database)
        arrived = time.monotonic()
        with self._sync_lock:
            if self._polled.get(database, -1.0) > arrived:
                return
            began = time.monotonic()
            impact = feed.poll(db)
            self._polled[database] = began
            if not impact:
                return
            self._polls += 1
            self._history.append((self._polls, database, impact))
            for key, entry in self._entries.items():
                if key[:2] == database:
                    self._note(key, entry, impact)

    def _note(self, key: tuple[Any, ...], entry: _Entry, impact: Impact) -> None:
        """Drop ``entry`` if ``impact`` cannot be applied to it later, else keep it pending."""
        touched = entry.reads & impact.families
        if impact.everything or (touched and not (touched == {Family.LOAD} or touched <= _LOCATED)):
            self._entries.pop(key)
        elif touched:
            entry.pending.merge(impact)

    def _catch_up(self, db: Database, entry: _Entry, impact: Impact) -> _Entry | None:
        """``entry`` with ``impact`` (its pending changes) applied, or ``None`` when it must be
        read again."""
        if impact.everything:
            return None
        impact.families &= entry.reads
        if impact.families - _LOCATED - {Family.LOAD}:
            return None  # groups, chains or liaisons changed: read it again
        if Family.LOAD in impact.families:
            loads = _loads(db, impact)
            if loads is None:
                return None
            self._update_loads(entry, loads)
        if not impact.families & _LOCATED:
            return entry
        if impact.areas_unbounded or len(impact.deputies) > _MAX_LOOKUP:
            return None
        if entry.parts == SUMMARY:
            caught_up = catch_up(
                db,
                entry.graph,
                areas=frozenset(impact.areas),
                deputies=frozenset(impact.deputies),
                areas_changed=frozenset(impact.area_facts),
                deputies_changed=frozenset(impact.deputy_facts),
            )
            if caught_up is None or caught_up is entry.graph:
                return None if caught_up is None else entry
            self.patches += 1
            return _Entry(entry.scope, entry.parts, caught_up)
        concerned = _areas(db, impact)
        if concerned is None:
            return None
        if entry.scope is not None and not any(_overlaps(entry.scope, a) for a in concerned):
            return entry
        return None

    def _update_loads(self, entry: _Entry, loads: dict[str, int]) -> None:
        with entry.lock, entry.searches.exclusive():
            if entry.hop_graph is not None:
                an.update_loads(entry.graph, entry.hop_graph, loads)
            else:
                for deputy_id, count in loads.items():
                    node = entry.graph.nodes.get("deputy:" + deputy_id)
                    if node is not None:
                        node["openIssues"] = count
        self.load_updates += 1

    def entry(self, db: Database, scope: str | None, parts: frozenset[Part]) -> _Entry:
        self.sync(db)
        database = (db.uri, db.settings.neo4j_database)
        key = (*database, scope, parts)

        def read() -> _Entry:
            with self._sync_lock:
                start = self._polls
            self.reads += 1
            entry = _Entry(scope, parts, project(db, scope, parts))
            with self._sync_lock:
                # Changes polled while it was read may or may not be in it: apply them too
                # (every catch-up reads values again, so applying one twice changes nothing).
                if self._history and self._history[0][0] > start + 1:
                    entry.pending.everything = True  # some fell out of the history
                for polled, where, impact in self._history:
                    if polled > start and where == database:
                        entry.pending.merge(impact)
            return entry

        entry = self._entries.get_or_make(key, read)
        if entry.pending:
            if entry.pending.families & entry.reads == {Family.LOAD}:
                self._apply_later(db, key, entry)
                return entry
            self._apply_pending(db, key, entry)
        return self._entries.get_or_make(key, read)

    def _apply_later(self, db: Database, key: tuple[Any, ...], entry: _Entry) -> None:
        """Apply ``entry``'s pending open-issue loads in a thread of their own.

        Loads changed by another process (a worker that took a submission, the importer) are
        weights of the escalation search, not facts of its answer: the question that first
        sees them is answered with the loads of a moment before rather than made to wait for
        their read, and the next ones with the new loads (within one read, ~3 ms). A
        mutation's own worker applies them before answering it (:meth:`refresh`).
        """
        with self._sync_lock:
            if entry.updating:
                return
            entry.updating = True

        def run() -> None:
            try:
                self._apply_pending(db, key, entry)
            except Exception as error:  # dropped by _apply_pending: read again when next asked
                log.warning("open-issue loads not applied: %s", error)
            finally:
                entry.updating = False

        threading.Thread(target=run, name="projection-loads", daemon=True).start()

    def _apply_pending(self, db: Database, key: tuple[Any, ...], entry: _Entry) -> None:
        """Catch ``entry`` up with its pending changes and put the result in its place, or
        drop it when it cannot catch up (or catching up failed).

        Only the entry's own lock is held while its catch-up reads run, so that questions
        about other projections (and the next poll) do not wait for them; changes noted on it
        meanwhile carry over to what replaces it.
        """
        with entry.catching:
            with self._sync_lock:
                if self._entries.get(key) is not entry or not entry.pending:
                    return  # caught up, replaced or dropped meanwhile
                impact, entry.pending = entry.pending, Impact()
            try:
                caught_up = self._catch_up(db, entry, impact)
            except BaseException:
                self._entries.pop(key)
                raise
            with self._sync_lock:
                if self._entries.get(key) is not entry:
                    return  # dropped meanwhile by a change it cannot catch up with
                if caught_up is None:
                    self._entries.pop(key)
                elif caught_up is not entry:
                    caught_up.pending.merge(entry.pending)
                    self._entries.put(key, caught_up)

    def refresh(self, db: Database) -> None:
        """Read the change feed and bring every projection of ``db`` up to date now: the
        ones that can catch up (open-issue loads, coverage summaries) do, the others are
        dropped (read again when next asked for).

        Called after this process's own writes (a mutation), so that the next question is
        answered warm: the writer's request pays the catch-up, not the reader's.
        """
        self.sync(db)
        database = (db.uri, db.settings.neo4j_database)
        for key, entry in self._entries.items():
            if key[:2] == database and entry.pending:
                self._apply_pending(db, key, entry)

    def projection(
        self, db: Database, scope: str | None = None, parts: Iterable[Part | str] = COVERAGE
    ) -> nx.DiGraph:
        wanted = frozenset(Part(p) for p in parts)
        return self.entry(db, scope, wanted).graph

    def hop_graph(self, db: Database) -> tuple[nx.DiGraph, nx.DiGraph]:
        """The whole graph's escalation projection and its hop graph (built once, then kept
        up to date with the open issues of its deputies)."""
        entry = self._hop_entry(db)
        assert entry.hop_graph is not None
        return entry.graph, entry.hop_graph

    @contextmanager
    def searching(self, db: Database) -> Iterator[tuple[nx.DiGraph, nx.DiGraph]]:
        """:meth:`hop_graph`, held for a search: no load update changes the weights until it
        ends, so an answer is computed from one set of loads. Ask nothing of the cache inside
        (a catch-up there would wait for this search)."""
        entry = self._hop_entry(db)
        assert entry.hop_graph is not None
        with entry.searches.shared():
            yield entry.graph, entry.hop_graph

    def _hop_entry(self, db: Database) -> _Entry:
        entry = self.entry(db, None, ESCALATION)
        if entry.hop_graph is None:
            with entry.lock:
                if entry.hop_graph is None:
                    entry.hop_graph = build_hop_graph(entry.graph)
        return entry


#: Look up at most this many deputies' areas; past it, every scope counts as concerned.
_MAX_LOOKUP = 10_000


def _areas(db: Database, impact: Impact) -> set[str] | None:
    """The area codes ``impact``'s coverage changes concern (``None``: unknown, all)."""
    if impact.areas_unbounded or len(impact.deputies) > _MAX_LOOKUP:
        return None
    codes = set(impact.areas)
    if impact.deputies:
        for found in reads.deputy_areas(db, sorted(impact.deputies)).values():
            codes.update(found)
    return codes


def _loads(db: Database, impact: Impact) -> dict[str, int] | None:
    """Open issues now of the deputies ``impact``'s load changes concern (``None``: too many:
    re-read instead)."""
    if impact.load_unbounded or len(impact.load_deputies) + len(impact.load_issues) > _MAX_LOOKUP:
        return None
    return reads.open_issue_loads(db, sorted(impact.load_deputies), sorted(impact.load_issues))


def _overlaps(scope: str, code: str) -> bool:
    """Whether an area of ``code`` lies in ``scope`` or contains it (a scope's projection also
    reads the deputies elected in its ancestors)."""
    if not is_area_code(code):
        return True  # not an area code: be safe
    return is_within(code, scope) or is_within(scope, code)


#: The process-wide cache used by :func:`get_projection` and :func:`get_hop_graph`.
cache = ProjectionCache()


def get_projection(
    db: Database, scope: str | None = None, parts: Iterable[Part | str] = COVERAGE
) -> nx.DiGraph:
    """The projection of ``scope`` with ``parts``, from the cache unless the graph changed.

    The graph is shared between callers: treat it as read-only.
    """
    return cache.projection(db, scope, parts)


def refresh(db: Database) -> None:
    """Bring the cached projections of ``db`` up to date with what committed (after a write)."""
    cache.refresh(db)


def searching_hop_graph(db: Database) -> AbstractContextManager[tuple[nx.DiGraph, nx.DiGraph]]:
    """:func:`get_hop_graph` held for one search (``with searching_hop_graph(db) as (G, H)``):
    the in-place load updates wait for it, so its answer comes from one set of loads."""
    return cache.searching(db)


def get_hop_graph(db: Database) -> tuple[nx.DiGraph, nx.DiGraph]:
    """The whole graph's escalation projection and its hop graph, cached like projections."""
    return cache.hop_graph(db)


def warm_escalation(db: Database) -> bool:
    """Read the whole graph's escalation projection and hop graph before the first question
    asks for them (``graphcoord serve`` does, in a thread, at start); ``False`` when skipped.

    Skipped when the graph holds more deputies than ``settings.warm_max_deputies``: at the
    national size the projection takes minutes and gigabytes to read, and a server reading it
    answered everything else ten times slower meanwhile (the GIL and the memory are shared).
    The first escalation question then reads it, as after any change that drops it.
    """
    deputies = deputy_count(db)
    if deputies > db.settings.warm_max_deputies:
        log.info(
            "escalation projection not read at start: %d deputies > "
            "GRAPHCOORD_WARM_MAX_DEPUTIES=%d (the first escalation question reads it)",
            deputies,
            db.settings.warm_max_deputies,
        )
        return False
    get_hop_graph(db)
    return True
