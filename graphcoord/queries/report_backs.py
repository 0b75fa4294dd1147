"""Report-back meetings (述职评议) and their anonymous one-time ballots.

    (:Deputy)-[:REPORTS_AT]->(:Activity:ReportBack {id, kind: 'REPORT_BACK', title, date,
        areaCode, status: OPEN|CLOSED, ballotsIssued, satisfied, basicallySatisfied,
        dissatisfied, comments, closedAt})-[:LOCATED_IN]->(:Area)
    (:BallotCode {hash, meetingId, uses})          no relationship, no time, no vote

A vote adds one to the meeting's counter of its verdict (and its comment, if any, to the
meeting's list) and one to the code's ``uses`` in the same transaction; nothing stored says
which code voted what (docs/records.md). ``SET c.uses = coalesce(c.uses, 0) + 1`` takes the
code's write lock before reading it, so two votes with one code never both count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = [
    "BallotTarget",
    "MeetingRow",
    "add_ballot_codes",
    "ballot_target",
    "close_meeting",
    "meeting_rows",
    "schedule_meeting",
    "vote",
]

SCHEDULE: LiteralString = """
MATCH (d:Deputy {id: $deputyId})
MATCH (area:Area {code: $areaCode})
CREATE (a:Activity:ReportBack {id: $id, kind: $kind, title: $title, date: date($date),
        areaCode: area.code, status: 'OPEN', ballotsIssued: 0, satisfied: 0,
        basicallySatisfied: 0, dissatisfied: 0, comments: [], createdAt: $at, createdBy: $by})
CREATE (d)-[:REPORTS_AT]->(a)
CREATE (a)-[:LOCATED_IN]->(area)
RETURN a.id AS id
"""

MEETINGS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy)-[:REPORTS_AT]->(a:ReportBack {id: id})
OPTIONAL MATCH (a)-[:LOCATED_IN]->(area:Area)
RETURN a {.id, .title, .status, .ballotsIssued, .satisfied, .basicallySatisfied,
          .dissatisfied, .comments, .closedAt, date: a.date} AS meeting,
       d {.id, .name, .level} AS deputy, area.code AS areaCode, area.name AS areaName
"""

ADD_CODES: LiteralString = """
MATCH (a:ReportBack {id: $meetingId}) WHERE a.status = 'OPEN'
SET a.ballotsIssued = a.ballotsIssued + size($hashes)
WITH a
UNWIND $hashes AS hash
CREATE (:BallotCode {hash: hash, meetingId: a.id, uses: 0})
RETURN count(*) AS added
"""

BALLOT_TARGET: LiteralString = """
MATCH (c:BallotCode {hash: $hash})
MATCH (d:Deputy)-[:REPORTS_AT]->(a:ReportBack {id: c.meetingId})
RETURN c.uses AS uses, a.id AS meetingId, a.status AS status, a.title AS title,
       a.date AS date, d.name AS deputyName, d.level AS deputyLevel
"""

VOTE: LiteralString = """
MATCH (c:BallotCode {hash: $hash})
MATCH (a:ReportBack {id: c.meetingId})
SET c.uses = coalesce(c.uses, 0) + 1
WITH c, a WHERE c.uses = 1 AND a.status = 'OPEN'
SET a.satisfied = a.satisfied + CASE $choice WHEN 'SATISFIED' THEN 1 ELSE 0 END,
    a.basicallySatisfied = a.basicallySatisfied
                           + CASE $choice WHEN 'BASICALLY_SATISFIED' THEN 1 ELSE 0 END,
    a.dissatisfied = a.dissatisfied + CASE $choice WHEN 'DISSATISFIED' THEN 1 ELSE 0 END,
    a.comments = a.comments + CASE WHEN $comment IS NULL THEN [] ELSE [$comment] END
RETURN a.id AS meetingId
"""

CLOSE: LiteralString = """
MATCH (d:Deputy)-[:REPORTS_AT]->(a:ReportBack {id: $id}) WHERE a.status = 'OPEN'
SET a.status = 'CLOSED', a.closedAt = $at
MERGE (d)-[:ATTENDED]->(a)
RETURN a.id AS id
"""


@dataclass(frozen=True)
class MeetingRow:
    id: str
    title: str
    date: dt.date
    status: str
    deputy_id: str
    deputy_name: str
    deputy_level: str
    area_code: str | None
    area_name: str | None
    ballots_issued: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    comments: list[str]
    closed_at: Any

    @property
    def ballots(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied


@dataclass(frozen=True)
class BallotTarget:
    """What a ballot page shows of its meeting, and whether the code was used."""

    uses: int
    meeting_id: str
    status: str
    title: str
    date: dt.date
    deputy_name: str
    deputy_level: str


def schedule_meeting(db: Database, params: dict[str, Any]) -> str | None:
    records = db.write(SCHEDULE, params)
    return records[0]["id"] if records else None


def meeting_rows(db: Database, ids: Sequence[str]) -> dict[str, MeetingRow]:
    found = {}
    for r in db.execute(MEETINGS, {"ids": list(ids)}):
        m, d = r["meeting"], r["deputy"]
        found[m["id"]] = MeetingRow(
            id=m["id"],
            title=m["title"],
            date=m["date"].to_native(),
            status=m["status"],
            deputy_id=d["id"],
            deputy_name=d["name"],
            deputy_level=d["level"],
            area_code=r["areaCode"],
            area_name=r["areaName"],
            ballots_issued=int(m["ballotsIssued"]),
            satisfied=int(m["satisfied"]),
            basically_satisfied=int(m["basicallySatisfied"]),
            dissatisfied=int(m["dissatisfied"]),
            comments=list(m["comments"] or []),
            closed_at=m["closedAt"],
        )
    return found


def add_ballot_codes(db: Database, meeting_id: str, hashes: Sequence[str]) -> int:
    """Store the hashes of new codes of an OPEN meeting: how many (0: not open or unknown)."""
    records = db.write(ADD_CODES, {"meetingId": meeting_id, "hashes": list(hashes)})
    return int(records[0]["added"]) if records else 0


def ballot_target(db: Database, code_hash: str) -> BallotTarget | None:
    records = db.execute(BALLOT_TARGET, {"hash": code_hash})
    if not records:
        return None
    r = records[0]
    return BallotTarget(
        uses=int(r["uses"] or 0),
        meeting_id=r["meetingId"],
        status=r["status"],
        title=r["title"],
        date=r["date"].to_native(),
        deputy_name=r["deputyName"],
        deputy_level=r["deputyLevel"],
    )


def vote(db: Database, code_hash: str, choice: str, comment: str | None) -> bool:
    """Count one ballot: ``True``, or ``False`` when the code was used or the meeting closed."""
    records = db.write(VOTE, {"hash": code_hash, "choice": choice, "comment": comment})
    return bool(records)


def close_meeting(db: Database, meeting_id: str, at: dt.datetime) -> bool:
    return bool(db.write(CLOSE, {"id": meeting_id, "at": at}))
