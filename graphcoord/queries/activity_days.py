"""Activity days of liaison stations: their Cypher and row types.

An activity day (代表活动日) is ``(:LiaisonStation)-[:HOLDS]->(:Activity {kind:
'ACTIVITY_DAY', id, title, date, topic, notice, noticePublishedAt, voterCount, stationDay})``;
its duty roster (进站编组) is ``(:Deputy)-[:ON_DUTY]->(activity)``, who came is
``(:Deputy)-[:ATTENDED]->(activity)``, and opinions received are
``(:Issue)-[:RECEIVED_AT]->(station)`` and ``(:Issue)-[:DURING]->(activity)``.
``stationDay`` (``<station id>|<ISO date>``) has a uniqueness constraint: one activity day per
station and date, even under concurrent writes. The workflow (who may schedule, the rules of
the roster, attendance) is :mod:`graphcoord.services.stations`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from graphcoord.db import Database
from graphcoord.queries.issues import IssueRow, native
from graphcoord.rules import DutyFacts

__all__ = [
    "UPSERT_ACTIVITY_DAYS",
    "UPSERT_DUTIES",
    "ActivityDayRow",
    "IdleRow",
    "PublicDeputy",
    "StationFacts",
    "activity_days_by_id",
    "activity_days_of",
    "cancel_activity_day",
    "create_activity_day",
    "create_activity_days",
    "duty_facts",
    "idle_stations",
    "link_issue",
    "public_rosters",
    "record_attendance",
    "rosters_of",
    "station_facts",
    "station_issue_pages",
    "update_activity_day",
]

# -- writes of whole rows (seeds, the importer) ------------------------------------------------

UPSERT_ACTIVITY_DAYS: LiteralString = """
UNWIND $rows AS row
MATCH (s:LiaisonStation {id: row.stationId})
MERGE (a:Activity {id: row.id})
SET a.kind = 'ACTIVITY_DAY', a.title = row.title, a.date = date(row.date), a.topic = row.topic,
    a.notice = row.notice,
    a.noticePublishedAt = CASE WHEN row.noticePublishedAt IS NULL THEN null
                          ELSE datetime(row.noticePublishedAt) END,
    a.voterCount = row.voterCount, a.stationDay = row.stationId + '|' + row.date
MERGE (s)-[:HOLDS]->(a)
WITH a, s
OPTIONAL MATCH (other:LiaisonStation)-[old:HOLDS]->(a) WHERE other <> s
DELETE old
"""

UPSERT_DUTIES: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (a:Activity {id: row.activityId})
MERGE (d)-[:ON_DUTY]->(a)
"""

# -- the workflow --------------------------------------------------------------------------------

_DAY_MAP: LiteralString = """
a {.id, .title, .topic, .notice, .noticePublishedAt, .voterCount, date: toString(a.date),
   stationId: s.id, attendance: COUNT { (:Deputy)-[:ATTENDED]->(a) },
   onDuty: COUNT { (:Deputy)-[:ON_DUTY]->(a) }}
"""

STATION_FACTS: LiteralString = """
MATCH (s:LiaisonStation {id: $id})
RETURN s.id AS id, s.name AS name, s.kind AS kind, s.areaCode AS areaCode,
       s.monthlyActivityDay AS monthlyActivityDay,
       COLLECT { MATCH (s)-[:HOLDS]->(a:Activity) WHERE a.date >= date($from)
                 AND a.date <= date($to) RETURN toString(a.date) } AS held
"""

DUTY_FACTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})
RETURN id, d.status AS status,
       EXISTS { MATCH (d)-[:RECEIVES_AT]->(p:LiaisonStation)
                WHERE p.areaCode STARTS WITH $prefix } AS receivesHere,
       EXISTS { MATCH (d)-[:CONTACTS]->(v:Area) WHERE v.code STARTS WITH $prefix } AS contactsHere,
       coalesce(d.electedIn STARTS WITH $prefix, false) AS electedHere,
       COLLECT { MATCH (d)-[:ON_DUTY]->(a:Activity)<-[:HOLDS]-(o:LiaisonStation)
                 WHERE a.date = date($date) AND a.id <> $activityId
                 RETURN DISTINCT o.id } AS elsewhere
"""

CREATE_ACTIVITY_DAY: LiteralString = """
MATCH (s:LiaisonStation {id: $stationId})
CREATE (a:Activity {id: $id, kind: 'ACTIVITY_DAY', title: $title, date: date($date),
                    topic: $topic, notice: $notice, noticePublishedAt: $at,
                    stationDay: s.id + '|' + $date, createdAt: $at, createdBy: $by})
CREATE (s)-[:HOLDS]->(a)
WITH a
CALL (a) {
  UNWIND $deputyIds AS deputyId
  MATCH (d:Deputy {id: deputyId})
  MERGE (d)-[:ON_DUTY]->(a)
}
RETURN a.id AS id
"""

CREATE_ACTIVITY_DAYS: LiteralString = """
UNWIND $rows AS row
MATCH (s:LiaisonStation {id: row.stationId})
CREATE (a:Activity {id: row.id, kind: 'ACTIVITY_DAY', title: row.title, date: date(row.date),
                    topic: row.topic, notice: row.notice, noticePublishedAt: $at,
                    stationDay: s.id + '|' + row.date, createdAt: $at, createdBy: $by})
CREATE (s)-[:HOLDS]->(a)
RETURN count(a) AS created
"""

UPDATE_ACTIVITY_DAY: LiteralString = """
MATCH (s:LiaisonStation)-[:HOLDS]->(a:Activity {id: $id})
SET a.date = date($date), a.topic = $topic, a.notice = $notice,
    a.noticePublishedAt = CASE WHEN $republish THEN $at ELSE a.noticePublishedAt END,
    a.stationDay = s.id + '|' + $date, a.updatedAt = $at, a.updatedBy = $by
WITH a
OPTIONAL MATCH (old:Deputy)-[r:ON_DUTY]->(a) WHERE NOT old.id IN $deputyIds
DELETE r
WITH DISTINCT a
CALL (a) {
  UNWIND $deputyIds AS deputyId
  MATCH (d:Deputy {id: deputyId})
  MERGE (d)-[:ON_DUTY]->(a)
}
RETURN a.id AS id
"""

CANCEL_ACTIVITY_DAY: LiteralString = """
MATCH (:LiaisonStation)-[:HOLDS]->(a:Activity {id: $id})
WHERE NOT EXISTS { (:Deputy)-[:ATTENDED]->(a) } AND NOT EXISTS { (:Issue)-[:DURING]->(a) }
DETACH DELETE a
RETURN count(*) AS deleted
"""

RECORD_ATTENDANCE: LiteralString = """
MATCH (:LiaisonStation)-[:HOLDS]->(a:Activity {id: $id})
SET a.voterCount = $voterCount, a.attendanceRecordedAt = $at, a.attendanceRecordedBy = $by
WITH a
OPTIONAL MATCH (old:Deputy)-[r:ATTENDED]->(a) WHERE NOT old.id IN $deputyIds
DELETE r
WITH DISTINCT a
CALL (a) {
  UNWIND $deputyIds AS deputyId
  MATCH (d:Deputy {id: deputyId})
  MERGE (d)-[:ATTENDED]->(a)
}
RETURN a.id AS id
"""

LINK_ISSUE: LiteralString = """
MATCH (i:Issue {id: $issueId})
MATCH (s:LiaisonStation {id: $stationId})
MERGE (i)-[:RECEIVED_AT]->(s)
WITH i, s
OPTIONAL MATCH (s)-[:HOLDS]->(a:Activity {id: $activityId})
FOREACH (x IN CASE WHEN a IS NULL THEN [] ELSE [a] END | MERGE (i)-[:DURING]->(x))
RETURN i.id AS id, a.id AS activityId
"""

# -- reads ---------------------------------------------------------------------------------------

ACTIVITY_DAYS_BY_ID: LiteralString = (
    """
UNWIND $ids AS id
MATCH (s:LiaisonStation)-[:HOLDS]->(a:Activity {id: id})
RETURN """
    + _DAY_MAP
    + """ AS day
"""
)

ACTIVITY_DAYS_OF: LiteralString = (
    """
UNWIND $ids AS id
MATCH (s:LiaisonStation {id: id})-[:HOLDS]->(a:Activity)
WHERE ($from IS NULL OR a.date >= date($from)) AND ($to IS NULL OR a.date <= date($to))
RETURN """
    + _DAY_MAP
    + """ AS day
ORDER BY a.date, a.id
"""
)

ROSTERS_OF: LiteralString = """
UNWIND $ids AS id
MATCH (a:Activity {id: id})
RETURN id,
       COLLECT { MATCH (d:Deputy)-[:ON_DUTY]->(a) RETURN d.id ORDER BY d.id } AS onDuty,
       COLLECT { MATCH (d:Deputy)-[:ATTENDED]->(a) RETURN d.id ORDER BY d.id } AS attended
"""

#: What the public may read of the deputies on duty: never a phone number.
PUBLIC_ROSTERS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy)-[:ON_DUTY]->(:Activity {id: id})
RETURN id, d.id AS deputyId, d.name AS name, d.level AS level, d.workUnit AS workUnit,
       d.occupation AS occupation
ORDER BY id, deputyId
"""

STATION_ISSUES: LiteralString = """
UNWIND $ids AS id
CALL (id) {
  MATCH (i:Issue)-[:RECEIVED_AT]->(:LiaisonStation {id: id})
  WITH i ORDER BY i.createdAt DESC, i.id
  WITH collect(i) AS found
  RETURN size(found) AS total,
         [i IN found[$skip..($skip + $limit + 1)] |
          i {.id, .title, .body, .category, .channel, .ticket, .status, .createdAt, .resolvedAt,
             .closedAt, .areaCode, .trackingCode, .contact}] AS rows
}
RETURN id, total, rows
"""

#: Stations and points of an area with no activity day held (dated in the window and with its
#: attendance recorded) from ``$since`` to ``$asOf``: when they last held one, when the next is.
IDLE_STATIONS: LiteralString = """
MATCH (s:LiaisonStation)
WHERE s.areaCode STARTS WITH $prefix AND ($kind IS NULL OR s.kind = $kind)
CALL (s) {
  OPTIONAL MATCH (s)-[:HOLDS]->(a:Activity {kind: 'ACTIVITY_DAY'})
  WHERE a.date <= date($asOf) AND EXISTS { (:Deputy)-[:ATTENDED]->(a) }
  RETURN max(a.date) AS lastHeld
}
WITH s, lastHeld WHERE lastHeld IS NULL OR lastHeld < date($since)
CALL (s) {
  OPTIONAL MATCH (s)-[:HOLDS]->(a:Activity {kind: 'ACTIVITY_DAY'}) WHERE a.date > date($asOf)
  RETURN min(a.date) AS nextScheduled
}
WITH s, lastHeld, nextScheduled
ORDER BY left(s.areaCode, 9), CASE s.kind WHEN 'STATION' THEN 0 ELSE 1 END, s.id
WITH collect({id: s.id, lastHeld: toString(lastHeld), nextScheduled: toString(nextScheduled)})
     AS found
RETURN size(found) AS total, found[$skip..($skip + $limit + 1)] AS rows
"""


# -- row types -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityDayRow:
    """An activity day as stored, with how many deputies are on duty and came."""

    id: str
    station_id: str
    date: dt.date
    title: str
    topic: str | None
    notice: str | None
    notice_published_at: dt.datetime | None
    voter_count: int | None
    attendance: int
    on_duty: int

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> ActivityDayRow:
        return cls(
            id=row["id"],
            station_id=row["stationId"],
            date=dt.date.fromisoformat(row["date"]),
            title=row.get("title") or "",
            topic=row.get("topic"),
            notice=row.get("notice"),
            notice_published_at=native(row.get("noticePublishedAt")),
            voter_count=row.get("voterCount"),
            attendance=int(row.get("attendance") or 0),
            on_duty=int(row.get("onDuty") or 0),
        )


@dataclass(frozen=True)
class StationFacts:
    """What scheduling needs to know of a station: where it is and the dates it holds days on
    (in the window asked)."""

    id: str
    name: str
    kind: str
    area_code: str
    monthly_activity_day: int | None
    held: frozenset[dt.date]


@dataclass(frozen=True)
class PublicDeputy:
    """A deputy as a public page shows them: no phone, no id shown."""

    id: str
    name: str
    level: str
    work_unit: str | None
    occupation: str | None


@dataclass(frozen=True)
class IdleRow:
    """A station or point without an activity day held in the window."""

    id: str
    last_held: dt.date | None
    next_scheduled: dt.date | None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


# -- functions -----------------------------------------------------------------------------------


def station_facts(
    db: Database, station_id: str, window: tuple[dt.date, dt.date]
) -> StationFacts | None:
    """The station, and the dates of its activity days from ``window[0]`` to ``window[1]``."""
    records = db.execute(
        STATION_FACTS,
        {"id": station_id, "from": window[0].isoformat(), "to": window[1].isoformat()},
    )
    if not records:
        return None
    r = records[0]
    return StationFacts(
        id=r["id"],
        name=r["name"] or r["id"],
        kind=r["kind"],
        area_code=r["areaCode"],
        monthly_activity_day=r["monthlyActivityDay"],
        held=frozenset(dt.date.fromisoformat(d) for d in r["held"]),
    )


def duty_facts(
    db: Database,
    deputy_ids: Sequence[str],
    *,
    township_prefix: str,
    day: dt.date,
    activity_id: str | None = None,
) -> dict[str, DutyFacts]:
    """What the roster rules need of each existing deputy among ``deputy_ids`` for a station
    of the township whose codes start with ``township_prefix``, on ``day`` (the activity day
    ``activity_id`` itself not counted as another duty)."""
    records = db.execute(
        DUTY_FACTS,
        {
            "ids": list(deputy_ids),
            "prefix": township_prefix,
            "date": day.isoformat(),
            "activityId": activity_id or "",
        },
    )
    return {
        r["id"]: DutyFacts(
            deputy_id=r["id"],
            status=r["status"],
            receives_here=bool(r["receivesHere"]),
            contacts_here=bool(r["contactsHere"]),
            elected_here=bool(r["electedHere"]),
            elsewhere=tuple(r["elsewhere"]),
        )
        for r in records
    }


def create_activity_day(db: Database, params: Mapping[str, Any]) -> bool:
    """CREATE an activity day of ``$stationId`` with its duty roster; ``False`` when the station
    already holds one on that date (the ``stationDay`` constraint refused it)."""
    try:
        return bool(db.write(CREATE_ACTIVITY_DAY, params))
    except ConstraintError:
        return False


def create_activity_days(
    db: Database, rows: Sequence[Mapping[str, Any]], *, at: dt.datetime, by: str
) -> int | None:
    """CREATE activity days without a roster in one transaction (generated from the monthly
    rule); ``None`` (nothing written) when a station already holds a day on one of the
    dates."""
    try:
        return int(db.write(CREATE_ACTIVITY_DAYS, {"rows": list(rows), "at": at, "by": by})[0][0])
    except ConstraintError:
        return None


def update_activity_day(db: Database, params: Mapping[str, Any]) -> bool:
    """Change an activity day's date, topic, notice and roster; ``False`` when its station
    holds another day on the new date."""
    try:
        return bool(db.write(UPDATE_ACTIVITY_DAY, params))
    except ConstraintError:
        return False


def cancel_activity_day(db: Database, activity_id: str) -> bool:
    """Delete an activity day that nobody attended and no issue was received during."""
    return bool(db.write(CANCEL_ACTIVITY_DAY, {"id": activity_id})[0]["deleted"])


def record_attendance(db: Database, params: Mapping[str, Any]) -> bool:
    """Set who attended an activity day (replacing what was recorded) and its voter count."""
    return bool(db.write(RECORD_ATTENDANCE, params))


def link_issue(db: Database, issue_id: str, station_id: str, activity_id: str | None) -> str | None:
    """Link an issue to the station that received it (and to ``activity_id`` if the station
    holds it); the activity linked, or ``None``."""
    records = db.write(
        LINK_ISSUE, {"issueId": issue_id, "stationId": station_id, "activityId": activity_id}
    )
    return records[0]["activityId"] if records else None


def activity_days_by_id(db: Database, ids: Sequence[str]) -> dict[str, ActivityDayRow]:
    return {
        r["day"]["id"]: ActivityDayRow.from_map(r["day"])
        for r in db.execute(ACTIVITY_DAYS_BY_ID, {"ids": list(ids)})
    }


def activity_days_of(
    db: Database,
    station_ids: Sequence[str],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, list[ActivityDayRow]]:
    """For each station: its activity days from ``start`` to ``end`` (included), by date."""
    found: dict[str, list[ActivityDayRow]] = {key: [] for key in station_ids}
    params = {
        "ids": list(station_ids),
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
    }
    for record in db.execute(ACTIVITY_DAYS_OF, params):
        row = ActivityDayRow.from_map(record["day"])
        found[row.station_id].append(row)
    return found


def rosters_of(db: Database, ids: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """For each activity: (ids of the deputies on duty, ids of those who attended)."""
    return {
        r["id"]: (list(r["onDuty"]), list(r["attended"]))
        for r in db.execute(ROSTERS_OF, {"ids": list(ids)})
    }


def public_rosters(db: Database, ids: Sequence[str]) -> dict[str, list[PublicDeputy]]:
    """For each activity: the public facts of the deputies on duty."""
    found: dict[str, list[PublicDeputy]] = {key: [] for key in ids}
    for r in db.execute(PUBLIC_ROSTERS, {"ids": list(ids)}):
        found[r["id"]].append(
            PublicDeputy(
                r["deputyId"],
                r["name"] or r["deputyId"],
                r["level"],
                r["workUnit"],
                r["occupation"],
            )
        )
    return found


def station_issue_pages(
    db: Database, station_ids: Sequence[str], *, skip: int, limit: int
) -> dict[str, tuple[int, list[IssueRow]]]:
    """For each station: (how many issues it received, up to ``limit + 1`` of them after
    ``skip``, newest first)."""
    found: dict[str, tuple[int, list[IssueRow]]] = {key: (0, []) for key in station_ids}
    params = {"ids": list(station_ids), "skip": skip, "limit": limit}
    for r in db.execute(STATION_ISSUES, params):
        found[r["id"]] = (int(r["total"]), [IssueRow.from_map(i) for i in r["rows"]])
    return found


def idle_stations(
    db: Database,
    *,
    prefix: str,
    kind: str | None,
    since: dt.date,
    as_of: dt.date,
    skip: int,
    limit: int,
) -> tuple[int, list[IdleRow]]:
    """Stations and points under ``prefix`` with no activity day held from ``since`` to
    ``as_of``: (total, up to ``limit + 1`` of them after ``skip``)."""
    record = db.execute(
        IDLE_STATIONS,
        {
            "prefix": prefix,
            "kind": kind,
            "since": since.isoformat(),
            "asOf": as_of.isoformat(),
            "skip": skip,
            "limit": limit,
        },
    )[0]
    return int(record["total"]), [
        IdleRow(r["id"], _date(r["lastHeld"]), _date(r["nextScheduled"])) for r in record["rows"]
    ]
