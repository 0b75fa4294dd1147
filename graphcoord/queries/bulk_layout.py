"""What each row kind writes, as the files of ``neo4j-admin database import full``.

The twin of :data:`graphcoord.queries.rows.STATEMENTS` for an empty store: for every row kind
an import produces, the nodes (label, key, properties with their import types) and the
relationships (type, the labels and row fields of both ends, properties) that its ``UNWIND
$rows … MERGE`` statement would leave. ``graphcoord import --initial`` writes validated rows
into these files and lets the import tool build the store from them; tests/test_initial_import.py
holds both paths to the same graph, node for node and property for property.

Every label has its own ID space (``code:ID(Area)``); a relationship row whose end field is
empty is left out, as the statements' ``WITH … WHERE row.x IS NOT NULL`` leave it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ARRAY_DELIMITER",
    "LAYOUT",
    "Column",
    "Nodes",
    "Relationships",
]

#: Separates the items of a list property inside one cell (U+001F, the unit separator, which
#: the importer's cleaning never lets into a value).
ARRAY_DELIMITER = "\x1f"


@dataclass(frozen=True)
class Column:
    """A property: its name, its import type, and where its value comes from.

    ``field`` is the row's field (default: the property's name), ``default`` replaces a
    missing value (the statements' ``coalesce``), ``compute`` derives the value from the row.
    """

    name: str
    type: str = ""
    field: str | None = None
    default: Any = None
    compute: Callable[[Mapping[str, Any]], Any] | None = None

    @property
    def header(self) -> str:
        return f"{self.name}:{self.type}" if self.type else self.name

    def value(self, row: Mapping[str, Any]) -> Any:
        if self.compute is not None:
            return self.compute(row)
        value = row.get(self.field or self.name)
        return self.default if value is None else value


@dataclass(frozen=True)
class Nodes:
    """One node per row: ``label`` keyed by the row's ``key`` field (also its property)."""

    label: str
    key: str
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [f"{self.key}:ID({self.label})", *(c.header for c in self.columns)]


@dataclass(frozen=True)
class Relationships:
    """One relationship per row from ``start`` (by ``start_field``) to the node of ``end``
    keyed by ``end_field``; with several end labels, to each of them that holds the key."""

    type: str
    start: str
    start_field: str
    end: tuple[str, ...]
    end_field: str
    columns: tuple[Column, ...] = ()

    def header(self, end: str) -> list[str]:
        return [f":START_ID({self.start})", f":END_ID({end})", *(c.header for c in self.columns)]


def _station_day(row: Mapping[str, Any]) -> str:
    return f"{row['stationId']}|{row['date']}"


def _text(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name) for name in names)


def _located_in(start: str) -> Relationships:
    return Relationships("LOCATED_IN", start, "id", ("Area",), "areaCode")


#: What each row kind of an import writes (the kinds of :data:`graphcoord.model.ROW_KINDS`
#: that an import file can produce).
LAYOUT: dict[str, tuple[Nodes | Relationships, ...]] = {
    "areas": (
        Nodes(
            "Area",
            "code",
            (*_text("name", "kind", "parentCode"), Column("population", "long")),
        ),
        Relationships("PART_OF", "Area", "code", ("Area",), "parentCode"),
    ),
    "deputies": (
        Nodes(
            "Deputy",
            "id",
            (
                *_text("name", "level", "gender", "occupation", "workUnit"),
                Column("sectors", "string[]"),
                Column("phone"),
                Column("status", default="ACTIVE"),
                *_text("term", "electedIn", "baseArea"),
            ),
        ),
        Relationships("ELECTED_IN", "Deputy", "id", ("Area",), "electedIn"),
    ),
    "contacts": (
        Relationships("CONTACTS", "Deputy", "deputyId", ("Area",), "areaCode", _text("basis")),
    ),
    "clusters": (Nodes("IndustryCluster", "id", _text("name")),),
    "chains": (
        Nodes("IndustryChain", "id", _text("name")),
        Relationships("IN_CLUSTER", "IndustryChain", "id", ("IndustryCluster",), "clusterId"),
    ),
    "chainWorkers": (
        Relationships("WORKS_ON", "Deputy", "deputyId", ("IndustryChain",), "chainId"),
    ),
    "groups": (
        Nodes("Group", "id", _text("name", "kind", "room", "theme", "areaCode")),
        _located_in("Group"),
    ),
    "memberships": (
        Relationships(
            "MEMBER_OF",
            "Deputy",
            "deputyId",
            ("Group",),
            "groupId",
            (Column("role", default="MEMBER"),),
        ),
    ),
    "observationPoints": (
        Nodes("ObservationPoint", "id", _text("name", "enterprise", "role", "areaCode")),
        Relationships("ON_CHAIN", "ObservationPoint", "id", ("IndustryChain",), "chainId"),
        _located_in("ObservationPoint"),
    ),
    "liaisons": (Relationships("LIAISON_FOR", "Deputy", "fromId", ("Deputy",), "toId"),),
    "stations": (
        Nodes(
            "LiaisonStation",
            "id",
            (*_text("name", "kind"), Column("monthlyActivityDay", "long"), Column("areaCode")),
        ),
        _located_in("LiaisonStation"),
    ),
    "collectionPoints": (
        Nodes("CollectionPoint", "id", _text("name", "kind", "areaCode")),
        _located_in("CollectionPoint"),
    ),
    "receptions": (
        Relationships(
            "RECEIVES_AT", "Deputy", "deputyId", ("CollectionPoint", "LiaisonStation"), "placeId"
        ),
    ),
    "activities": (
        Nodes(
            "Activity",
            "id",
            (Column("title"), Column("date", "date"), Column("kind"), Column("series")),
        ),
        Relationships("HELD", "Group", "groupId", ("Activity",), "id"),
    ),
    "activityDays": (
        Nodes(
            "Activity",
            "id",
            (
                Column("kind", compute=lambda row: "ACTIVITY_DAY"),
                Column("title"),
                Column("date", "date"),
                Column("topic"),
                Column("notice"),
                Column("voterCount", "long"),
                Column("stationDay", compute=_station_day),
            ),
        ),
        Relationships("HOLDS", "LiaisonStation", "stationId", ("Activity",), "id"),
    ),
    "attendances": (Relationships("ATTENDED", "Deputy", "deputyId", ("Activity",), "activityId"),),
    "departments": (
        Nodes("Department", "id", _text("name", "kind", "areaCode")),
        _located_in("Department"),
    ),
}
