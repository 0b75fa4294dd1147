"""Collaborative and supervision groups, memberships, activities and attendance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.batch import lookup

__all__ = [
    "UPSERT_ACTIVITIES",
    "UPSERT_ATTENDANCES",
    "UPSERT_GROUPS",
    "UPSERT_MEMBERSHIPS",
    "activities_of",
    "existing_conveners",
    "groups_by_id",
    "groups_of",
    "members_of",
    "record_activity",
    "set_convener",
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


# -- reads ----------------------------------------------------------------------------------

GROUPS_BY_ID: LiteralString = """
UNWIND $ids AS id
MATCH (g:Group {id: id})
RETURN id, properties(g) AS group
"""

MEMBERS_OF_GROUPS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy)-[m:MEMBER_OF]->(:Group {id: id})
RETURN id, d.id AS deputyId, m.role AS role, properties(d) AS deputy ORDER BY role, deputyId
"""

GROUPS_OF_DEPUTIES: LiteralString = """
UNWIND $ids AS id
MATCH (:Deputy {id: id})-[m:MEMBER_OF]->(g:Group)
RETURN id, g.id AS groupId, m.role AS role, properties(g) AS group ORDER BY groupId
"""

ACTIVITIES_OF_GROUPS: LiteralString = """
UNWIND $ids AS id
MATCH (:Group {id: id})-[:HELD]->(a:Activity)
RETURN id, a.id AS activityId, a.title AS title, toString(a.date) AS date, a.kind AS kind,
       a.series AS series, COUNT { (:Deputy)-[:ATTENDED]->(a) } AS attendance
ORDER BY date, activityId
"""

SET_CONVENER: LiteralString = """
MATCH (g:Group {id: $groupId})
MATCH (d:Deputy {id: $deputyId})
OPTIONAL MATCH (:Deputy)-[old:MEMBER_OF {role: 'CONVENER'}]->(g)
SET old.role = 'MEMBER'
WITH DISTINCT g, d
MERGE (d)-[m:MEMBER_OF]->(g)
SET m.role = 'CONVENER'
RETURN g.id AS groupId
"""

RECORD_ACTIVITY: LiteralString = """
MATCH (g:Group {id: $groupId})
MERGE (a:Activity {id: $id})
SET a.title = $title, a.date = date($date), a.kind = $kind, a.series = $series
MERGE (g)-[:HELD]->(a)
WITH a
UNWIND $attendees AS deputyId
MATCH (d:Deputy {id: deputyId})
MERGE (d)-[:ATTENDED]->(a)
RETURN count(d) AS attendees
"""


def groups_by_id(db: Database, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r["group"] for r in db.execute(GROUPS_BY_ID, {"ids": list(ids)})}


def members_of(
    db: Database, ids: Sequence[str]
) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """For each group: (deputy id, role, the deputy's properties), the convener first -- the
    members and who they are in one round trip."""
    found: dict[str, list[tuple[str, str, dict[str, Any]]]] = {key: [] for key in ids}
    for record in db.execute(MEMBERS_OF_GROUPS, {"ids": list(ids)}):
        found[record["id"]].append((record["deputyId"], record["role"], record["deputy"]))
    return found


def groups_of(db: Database, ids: Sequence[str]) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """For each deputy: (group id, role, the group's properties), in one round trip."""
    found: dict[str, list[tuple[str, str, dict[str, Any]]]] = {key: [] for key in ids}
    for record in db.execute(GROUPS_OF_DEPUTIES, {"ids": list(ids)}):
        found[record["id"]].append((record["groupId"], record["role"], record["group"]))
    return found


def activities_of(db: Database, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {key: [] for key in ids}
    for record in db.execute(ACTIVITIES_OF_GROUPS, {"ids": list(ids)}):
        row = dict(record)
        found[row.pop("id")].append(row)
    return found


def set_convener(db: Database, group_id: str, deputy_id: str) -> bool:
    """Make ``deputy_id`` the one convener of ``group_id`` (the previous one stays a member)."""
    return bool(db.write(SET_CONVENER, {"groupId": group_id, "deputyId": deputy_id}))


def record_activity(
    db: Database,
    *,
    activity_id: str,
    group_id: str,
    title: str,
    date: str,
    kind: str,
    series: str | None,
    attendees: Sequence[str],
) -> int:
    """Record (or update) an activity a group held; return how many attendees were linked."""
    records = db.write(
        RECORD_ACTIVITY,
        {
            "id": activity_id,
            "groupId": group_id,
            "title": title,
            "date": date,
            "kind": kind,
            "series": series,
            "attendees": list(attendees),
        },
    )
    return int(records[0]["attendees"]) if records else 0
