"""Handling units (承办单位): ``(:Department {id, name, kind, areaCode})-[:LOCATED_IN]->(:Area)``,
and what cities call their channels: ``(:ChannelName {id, channel, name})-[:USED_IN]->(:Area)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = [
    "UPSERT_CHANNEL_NAMES",
    "UPSERT_DEPARTMENTS",
    "DepartmentRow",
    "channel_names",
    "department_page",
    "departments_by_id",
]

UPSERT_DEPARTMENTS: LiteralString = """
UNWIND $rows AS row
MERGE (d:Department {id: row.id})
SET d.name = row.name, d.kind = row.kind, d.areaCode = row.areaCode
WITH d, row
CALL (d, row) {
  OPTIONAL MATCH (d)-[old:LOCATED_IN]->(a:Area) WHERE a.code <> row.areaCode
  DELETE old
}
WITH d, row
MATCH (a:Area {code: row.areaCode})
MERGE (d)-[:LOCATED_IN]->(a)
"""

UPSERT_CHANNEL_NAMES: LiteralString = """
UNWIND $rows AS row
MATCH (a:Area {code: row.areaCode})
MERGE (n:ChannelName {id: row.areaCode + ':' + row.channel})
SET n.channel = row.channel, n.name = row.name, n.areaCode = row.areaCode
MERGE (n)-[:USED_IN]->(a)
"""

DEPARTMENTS_BY_ID: LiteralString = """
UNWIND $ids AS id
MATCH (d:Department {id: id})
RETURN d {.id, .name, .kind, .areaCode} AS department
"""

DEPARTMENT_PAGE: LiteralString = """
MATCH (d:Department)
WHERE ($prefix IS NULL OR d.areaCode STARTS WITH $prefix)
  AND ($kind IS NULL OR d.kind = $kind)
WITH d ORDER BY d.areaCode, d.kind, d.id
WITH collect(d) AS found
RETURN size(found) AS total,
       [d IN found[$skip..$skip + $limit + 1] | d {.id, .name, .kind, .areaCode}] AS rows
"""

#: The names of the nearest area at or above ``$code`` that names its channels.
CHANNEL_NAMES: LiteralString = """
MATCH (a:Area {code: $code})-[:PART_OF*0..5]->(up:Area)<-[:USED_IN]-(n:ChannelName)
WITH up, n ORDER BY size(up.code) DESC
RETURN n.channel AS channel, n.name AS name, up.code AS areaCode
"""


@dataclass(frozen=True)
class DepartmentRow:
    id: str
    name: str
    kind: str
    area_code: str | None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> DepartmentRow:
        return cls(row["id"], row["name"], row["kind"], row.get("areaCode"))


def departments_by_id(db: Database, ids: Sequence[str]) -> dict[str, DepartmentRow]:
    """The departments among ``ids`` that exist, in one round trip."""
    return {
        r["department"]["id"]: DepartmentRow.from_map(r["department"])
        for r in db.execute(DEPARTMENTS_BY_ID, {"ids": list(ids)})
    }


def department_page(
    db: Database, *, prefix: str | None, kind: str | None, skip: int, limit: int
) -> tuple[int, list[DepartmentRow]]:
    """Departments inside an area (by code prefix), by area, kind and id; ``limit + 1`` rows."""
    record = db.execute(
        DEPARTMENT_PAGE, {"prefix": prefix, "kind": kind, "skip": skip, "limit": limit}
    )[0]
    return int(record["total"]), [DepartmentRow.from_map(r) for r in record["rows"]]


def channel_names(db: Database, area_code: str) -> dict[str, str]:
    """Channel -> name of the nearest area at or above ``area_code`` naming it (the nearest
    area's name wins)."""
    names: dict[str, str] = {}
    for r in db.execute(CHANNEL_NAMES, {"code": area_code}):
        names.setdefault(r["channel"], r["name"])
    return names
