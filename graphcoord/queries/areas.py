"""Areas (statistical divisions) and their hierarchy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.batch import lookup
from graphcoord.queries.streaming import BATCHED

__all__ = [
    "SCOPE_AREAS",
    "UPSERT_AREAS",
    "Area",
    "area_kinds",
    "children_of",
    "get_areas",
]

#: An area and everything under it (first value true), then its ancestors (false), as batched
#: rows ``[inScope, code, name, kind, parentCode, population]`` (projections read these).
SCOPE_AREAS: LiteralString = (
    """
MATCH (root:Area {code: $scope})
CALL (root) {
  MATCH (a:Area)-[:PART_OF*0..]->(root) RETURN a, true AS inScope
  UNION
  MATCH (root)-[:PART_OF*1..]->(a:Area) RETURN a, false AS inScope
}
WITH [inScope, a.code, a.name, a.kind, a.parentCode, a.population] AS row
"""
    + BATCHED
)

UPSERT_AREAS: LiteralString = """
UNWIND $rows AS row
MERGE (a:Area {code: row.code})
SET a.name = row.name, a.kind = row.kind, a.parentCode = row.parentCode,
    a.population = row.population
WITH a, row WHERE row.parentCode IS NOT NULL
MATCH (p:Area {code: row.parentCode})
MERGE (a)-[:PART_OF]->(p)
"""

AREA_KINDS: LiteralString = """
UNWIND $keys AS key
MATCH (a:Area {code: key})
RETURN key, a.kind AS value
"""

GET_AREAS: LiteralString = """
UNWIND $codes AS code
MATCH (a:Area {code: code})
RETURN a.code AS code, a.name AS name, a.kind AS kind, a.parentCode AS parentCode,
       a.population AS population
"""


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kind: str
    parent_code: str | None
    population: int | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Area:
        return cls(
            record["code"],
            record["name"],
            record["kind"],
            record["parentCode"],
            record.get("population"),
        )


def area_kinds(db: Database, codes: Sequence[str]) -> dict[str, str]:
    """The kind of each of ``codes`` that exists in the database."""
    return lookup(db, AREA_KINDS, codes)


def get_areas(db: Database, codes: Sequence[str]) -> dict[str, Area]:
    records = db.execute(GET_AREAS, {"codes": list(codes)})
    return {r["code"]: Area.from_record(r) for r in records}


CHILDREN_OF_AREAS: LiteralString = """
UNWIND $codes AS code
MATCH (c:Area)-[:PART_OF]->(:Area {code: code})
RETURN code, c.code AS child, c.name AS name, c.kind AS kind, c.parentCode AS parentCode,
       c.population AS population
ORDER BY child
"""


def children_of(db: Database, codes: Sequence[str]) -> dict[str, list[Area]]:
    """The areas directly below each of ``codes`` (by code), with their facts: one round trip
    for a list of children and their names."""
    found: dict[str, list[Area]] = {code: [] for code in codes}
    for record in db.execute(CHILDREN_OF_AREAS, {"codes": list(codes)}):
        found[record["code"]].append(
            Area(
                record["child"],
                record["name"],
                record["kind"],
                record["parentCode"],
                record["population"],
            )
        )
    return found
