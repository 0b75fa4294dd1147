"""What changed in the graph since a cache was filled, and which analyses it concerns.

graphcoord's own Neo4j launcher keeps a change feed: for every committed transaction, through
graphcoord or not (an admin's Cypher, another application), the labels, relationship types,
node keys and relationship endpoints it touched (:mod:`graphcoord.queries.changes`).
:class:`ChangeFeed` reads it after the last position it saw, one round trip, and
:func:`impact_of` turns the records into an :class:`Impact`: which families of the graph an
analysis may read changed, and where.

The analyses depend on:

* ``COVERAGE``: deputies (level, status, constituency, base area, name), areas, CONTACTS,
  ELECTED_IN, PART_OF -- located by area code, so a contact in one county does not touch
  another county's coverage;
* ``LOAD``: the open issues a deputy tracks (TRACKS, an issue's status) -- the escalation
  weights, updated in place;
* ``GROUPS``: groups, memberships, activities; ``CHAINS``: clusters, chains, observation
  points and who works on or observes them; ``LIAISONS``: LIAISON_FOR;
* ``DEPUTIES``: who a deputy is (name, level, status), wherever they appear.

Everything else a transaction may touch (issue texts and histories, tickets, import runs,
campaigns, stations) concerns no cached analysis. Against a Neo4j without the feed (an
external server), :class:`ChangeFeed` falls back to the database's bookmark, which tells only
*that* something committed: every cache is then dropped on any commit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from graphcoord.db import Database
from graphcoord.queries.changes import ChangeRecord, read_changes

__all__ = ["ChangeFeed", "Family", "Impact", "feed", "impact_of"]


class Family(StrEnum):
    """A part of the graph that cached analyses read."""

    COVERAGE = "coverage"
    LOAD = "load"
    GROUPS = "groups"
    CHAINS = "chains"
    LIAISONS = "liaisons"
    DEPUTIES = "deputies"


#: Node properties that coverage reads; other properties (a phone number) change no analysis.
_COVERAGE_PROPERTIES = frozenset(
    {
        "Deputy.level",
        "Deputy.status",
        "Deputy.electedIn",
        "Deputy.baseArea",
        "Deputy.name",
        "Area.name",
        "Area.kind",
        "Area.parentCode",
        "Area.population",
    }
)
_DEPUTY_PROPERTIES = frozenset({"Deputy.name", "Deputy.level", "Deputy.status"})
_COVERAGE_TYPES = frozenset({"CONTACTS", "ELECTED_IN", "PART_OF"})
_GROUP_LABELS = frozenset({"Group", "Activity"})
_GROUP_TYPES = frozenset({"MEMBER_OF", "HELD", "ATTENDED"})
_CHAIN_LABELS = frozenset({"IndustryChain", "IndustryCluster", "ObservationPoint"})
_CHAIN_TYPES = frozenset({"WORKS_ON", "OBSERVES", "ON_CHAIN", "IN_CLUSTER"})


@dataclass
class Impact:
    """What a batch of changes concerns.

    ``everything`` means the changes are not known (a feed restarted or fallen behind, or a
    server without the feed): drop every cache. Otherwise ``families`` names what changed;
    for coverage, ``areas`` holds the area codes concerned and ``deputies`` the deputies
    whose areas the caller must look up (``areas_unbounded``: too many to list); for load,
    ``load_deputies`` and ``load_issues`` (whose trackers' load changed).
    """

    everything: bool = False
    families: set[Family] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    deputies: set[str] = field(default_factory=set)
    areas_unbounded: bool = False
    load_deputies: set[str] = field(default_factory=set)
    load_issues: set[str] = field(default_factory=set)
    load_unbounded: bool = False
    #: Areas that changed themselves (created, deleted, renamed, moved in the hierarchy).
    area_facts: set[str] = field(default_factory=set)
    #: Deputies that changed themselves (created, deleted, name, level, status, areas), not
    #: only their contacts.
    deputy_facts: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.everything or bool(self.families)

    def merge(self, other: Impact) -> None:
        """Add what ``other`` concerns to this impact (changes that came later)."""
        self.everything |= other.everything
        self.families |= other.families
        self.areas |= other.areas
        self.deputies |= other.deputies
        self.areas_unbounded |= other.areas_unbounded
        self.load_deputies |= other.load_deputies
        self.load_issues |= other.load_issues
        self.load_unbounded |= other.load_unbounded
        self.area_facts |= other.area_facts
        self.deputy_facts |= other.deputy_facts


def _split_node(entry: str) -> tuple[str, str, str]:
    """``+Deputy:D1`` -> (``+``, ``Deputy``, ``D1``)."""
    label, _, key = entry[1:].partition(":")
    return entry[0], label, key


def _split_relationship(entry: str) -> tuple[str, str, str, str]:
    """``+CONTACTS|D1|3213…`` -> (``+``, ``CONTACTS``, ``D1``, ``3213…``)."""
    kind, start, end = entry[1:].split("|", 2)
    return entry[0], kind, start, end


def impact_of(records: Iterable[ChangeRecord]) -> Impact:
    """What ``records`` concern (pure: no database)."""
    impact = Impact()
    for record in records:
        _one(record, impact)
    return impact


def _one(record: ChangeRecord, impact: Impact) -> None:
    created_or_deleted = {
        (label, key)
        for op, label, key in map(_split_node, record.nodes)
        if op in "+-" and label in ("Deputy", "Area")
    }
    coverage_props = record.properties & _COVERAGE_PROPERTIES
    if created_or_deleted or coverage_props or record.types & _COVERAGE_TYPES:
        impact.families.add(Family.COVERAGE)
    if record.truncated and ({"Deputy", "Area"} & record.labels or _COVERAGE_TYPES & record.types):
        impact.families.add(Family.COVERAGE)
        impact.areas_unbounded = True
    if record.properties & _DEPUTY_PROPERTIES or any(
        label == "Deputy" for label, _ in created_or_deleted
    ):
        impact.families.add(Family.DEPUTIES)
    for op, label, key in map(_split_node, record.nodes):
        if label == "Area" and (op in "+-" or coverage_props):
            impact.areas.add(key)
            impact.area_facts.add(key)
        elif label == "Deputy" and (op in "+-" or coverage_props):
            impact.deputies.add(key)
            impact.deputy_facts.add(key)
        elif label == "Issue" and (op in "+-" or "Issue.status" in record.properties):
            impact.families.add(Family.LOAD)
            impact.load_issues.add(key)
    for _op, kind, start, end in map(_split_relationship, record.relationships):
        if kind == "CONTACTS" or kind == "ELECTED_IN":
            impact.areas.add(end)
            impact.deputies.add(start)
        elif kind == "PART_OF":
            impact.areas.update((start, end))
            impact.area_facts.update((start, end))
        elif kind == "TRACKS":
            impact.families.add(Family.LOAD)
            impact.load_deputies.add(start)
    if record.truncated and ("TRACKS" in record.types or "Issue" in record.labels):
        impact.families.add(Family.LOAD)
        impact.load_unbounded = True
    if record.labels & _GROUP_LABELS or record.types & _GROUP_TYPES:
        impact.families.add(Family.GROUPS)
    if "LOCATED_IN" in record.types and "Group" in record.labels:
        impact.families.add(Family.GROUPS)
    if record.labels & _CHAIN_LABELS or record.types & _CHAIN_TYPES:
        impact.families.add(Family.CHAINS)
    if "LIAISON_FOR" in record.types:
        impact.families.add(Family.LIAISONS)


_END = 2**63 - 1


@dataclass
class _Position:
    epoch: str | None = None
    seq: int = 0
    bookmark: frozenset[str] | None = None
    has_feed: bool | None = None


class ChangeFeed:
    """The reader of the change feed, one position per database: :meth:`poll` returns what
    changed since the previous call (the first call reports everything)."""

    def __init__(self) -> None:
        self._positions: dict[tuple[str, str], _Position] = {}
        self._lock = threading.Lock()

    def poll(self, db: Database) -> Impact:
        """What committed since the last poll of ``db`` (one round trip)."""
        key = (db.uri, db.settings.neo4j_database)
        with self._lock:
            position = self._positions.setdefault(key, _Position())
            if position.has_feed is not False:
                # The first poll reports everything anyway: ask only where the feed stands.
                state = read_changes(db, position.seq if position.epoch else _END)
                if state is not None:
                    position.has_feed = True
                    missed = position.epoch != state.epoch or position.seq < state.oldest - 1
                    position.epoch, position.seq = state.epoch, state.head
                    if missed:
                        return Impact(everything=True)
                    return impact_of(state.records)
                position.has_feed = False
            bookmark = db.bookmark()
            changed = bookmark != position.bookmark
            position.bookmark = bookmark
            return Impact(everything=changed)

    def reset(self) -> None:
        """Forget every position (the next poll reports everything)."""
        with self._lock:
            self._positions.clear()


#: The process's reader (one per process; workers each poll the feed themselves).
feed = ChangeFeed()
