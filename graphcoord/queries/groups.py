"""Collaborative and supervision groups, memberships, activities and attendance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.batch import lookup, write_rows
from graphcoord.rules import convener_violations, raise_for

__all__ = [
    "UPSERT_ACTIVITIES",
    "UPSERT_ATTENDANCES",
    "UPSERT_GROUPS",
    "existing_conveners",
    "upsert_memberships",
]

UPSERT_GROUPS: LiteralString = """
UNWIND $rows AS row
MERGE (g:Group {id: row.id})
SET g.name = row.name, g.kind = row.kind, g.room = row.room, g.theme = row.theme,
    g.areaCode = row.areaCode
WITH g, row WHERE row.areaCode IS NOT NULL
MATCH (a:Area {code: row.areaCode})
MERGE (g)-[:LOCATED_IN]->(a)
"""

UPSERT_MEMBERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (g:Group {id: row.groupId})
MERGE (d)-[m:MEMBER_OF]->(g)
SET m.role = coalesce(row.role, 'MEMBER')
"""

CONVENERS: LiteralString = """
UNWIND $keys AS key
MATCH (g:Group {id: key})
OPTIONAL MATCH (d:Deputy)-[:MEMBER_OF {role: 'CONVENER'}]->(g)
RETURN key, collect(d.id) AS value
"""

UPSERT_ACTIVITIES: LiteralString = """
UNWIND $rows AS row
MERGE (a:Activity {id: row.id})
SET a.title = row.title, a.date = date(row.date), a.kind = row.kind, a.series = row.series
WITH a, row WHERE row.groupId IS NOT NULL
MATCH (g:Group {id: row.groupId})
MERGE (g)-[:HELD]->(a)
"""

UPSERT_ATTENDANCES: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (a:Activity {id: row.activityId})
MERGE (d)-[:ATTENDED]->(a)
"""


def existing_conveners(db: Database, group_ids: Sequence[str]) -> dict[str, list[str]]:
    return lookup(db, CONVENERS, group_ids)


def upsert_memberships(
    db: Database, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 5000, **kwargs: Any
) -> int:
    """Write memberships after checking that every group touched keeps exactly one convener.

    Rows are grouped by group so a group's convener and members arrive together.
    """
    groups = list(dict.fromkeys(str(row["groupId"]) for row in rows))
    raise_for(convener_violations(rows, existing_conveners(db, groups)))
    return write_rows(db, UPSERT_MEMBERSHIPS, rows, batch_size=batch_size, **kwargs)
