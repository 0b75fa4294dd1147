"""Handling of issues: clocks, claims, assignments to departments, replies, outcomes, verdicts.

An issue's handling facts are properties of its ``Issue`` node:

- the clock: ``workKind``, ``policy`` (``ISSUE:1/5/15``), ``clockFrom`` and the due dates
  ``claimDue``, ``replyDue``, ``finishDue`` (dates), ``round`` (1, 2 after a re-handling);
- the claim (签收): ``claimedAt`` and, for a deputy, ``claimedBy`` with
  ``(:Deputy)-[:CLAIMED {at}]->(:Issue)``; an assignment to a handling unit sets
  ``departmentId``, ``assignedAt`` with ``(:Issue)-[:ASSIGNED_TO {at, by}]->(:Department)`` and
  counts as the department's claim;
- ``firstReplyAt``; the outcome (办结): ``outcome``, ``outcomeReason``, ``finishedAt``,
  ``finishedWithin`` and ``finishedLate`` (working days taken, working days late);
- the citizen's verdict: ``satisfaction``, ``ratedAt``, ``ratedRound``, ``ratingComment``.

Every step is logged as ``(:Issue)-[:HAD_EVENT]->(:HandlingEvent {id: '<issue>#e<seq>', seq,
kind, at, by, byName, text, round, …})``; a step that moves the status also appends a
``StatusChange`` (the chain of :mod:`graphcoord.queries.issues`) in the same transaction. Each
write first takes the issue's write lock (``handlingSeq``) so that two claims, two outcomes or
two verdicts of one round cannot both pass their guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import native

__all__ = [
    "UPSERT_HANDLINGS",
    "ActorFacts",
    "HandlingEventRow",
    "HandlingRecord",
    "actor_facts",
    "assign",
    "claim",
    "finish",
    "follow_up",
    "handling_records",
    "issue_id_for_code",
    "letter",
    "rate",
    "reply",
    "start_clock",
]

#: Take the issue's write lock before any guard is read (see the module's notes).
_LOCK: LiteralString = """
MATCH (i:Issue {id: $id})
SET i.handlingSeq = coalesce(i.handlingSeq, 0) + 1
WITH i
"""

#: Append a handling event (``$event``: kind, at, by, byName, text and any extra facts).
_EVENT: LiteralString = """
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_EVENT]->(e:HandlingEvent)
  RETURN coalesce(max(e.seq), -1) + 1 AS eventSeq
}
CREATE (i)-[:HAD_EVENT]->(ev:HandlingEvent {id: i.id + '#e' + toString(eventSeq), seq: eventSeq,
                                           round: coalesce(i.round, 1)})
SET ev += $event
WITH i, ev
"""

#: Move the status to ``$toStatus`` (from one of ``$fromStatuses``) with a StatusChange entry.
_STATUS_STEP: LiteralString = """
CALL (i) {
  WITH i WHERE i.status IN $fromStatuses
  OPTIONAL MATCH (i)-[:HAD_STATUS]->(s:StatusChange)
  WITH i, coalesce(max(s.seq), -1) + 1 AS statusSeq
  CREATE (i)-[:HAD_STATUS]->(:StatusChange {id: i.id + '#' + toString(statusSeq),
         seq: statusSeq, status: $toStatus, from: i.status, at: $event.at, by: $event.by,
         byName: $event.byName, note: $statusNote})
  SET i.status = $toStatus, i.updatedAt = $event.at,
      i.closedAt = CASE WHEN $toStatus = 'CLOSED' THEN $event.at ELSE null END
}
"""

START_CLOCK: LiteralString = """
MATCH (i:Issue {id: $id})
SET i.workKind = $workKind, i.policy = $policy, i.clockFrom = $clockFrom,
    i.claimDue = $claimDue, i.replyDue = $replyDue, i.finishDue = $finishDue,
    i.round = coalesce(i.round, 1)
RETURN i.id AS id
"""

CLAIM: LiteralString = (
    _LOCK
    + """
WHERE i.outcome IS NULL AND (i.claimedBy IS NULL OR i.claimedBy = $deputyId)
MATCH (d:Deputy {id: $deputyId})
MERGE (d)-[c:CLAIMED]->(i) ON CREATE SET c.at = $event.at
MERGE (d)-[:TRACKS]->(i)
SET i.claimedBy = d.id, i.claimedAt = coalesce(i.claimedAt, $event.at)
WITH i
"""
    + _EVENT
    + _STATUS_STEP
    + "RETURN i.id AS id"
)

ASSIGN: LiteralString = (
    _LOCK
    + """
WHERE i.outcome IS NULL
MATCH (dep:Department {id: $departmentId})
CALL (i) {
  OPTIONAL MATCH (i)-[old:ASSIGNED_TO]->(:Department)
  DELETE old
}
MERGE (i)-[a:ASSIGNED_TO]->(dep)
SET a.at = $event.at, a.by = $event.by,
    i.departmentId = dep.id, i.assignedAt = $event.at,
    i.claimedAt = coalesce(i.claimedAt, $event.at)
WITH i
"""
    + _EVENT
    + _STATUS_STEP
    + "RETURN i.id AS id"
)

REPLY: LiteralString = (
    _LOCK
    + """
WHERE i.outcome IS NULL AND i.claimedAt IS NOT NULL
SET i.firstReplyAt = coalesce(i.firstReplyAt, $event.at)
WITH i
"""
    + _EVENT
    + "RETURN i.id AS id"
)

FINISH: LiteralString = (
    _LOCK
    + """
WHERE i.outcome IS NULL
SET i.outcome = $outcome, i.outcomeReason = $reason, i.finishedAt = $event.at,
    i.finishedWithin = $finishedWithin, i.finishedLate = $finishedLate,
    i.firstReplyAt = coalesce(i.firstReplyAt, $event.at),
    i.resolvedAt = CASE WHEN $outcome = 'RESOLVED' THEN coalesce(i.resolvedAt, $event.at)
                        ELSE i.resolvedAt END
WITH i
"""
    + _EVENT
    + _STATUS_STEP
    + "RETURN i.id AS id"
)

FOLLOW_UP: LiteralString = (
    _LOCK
    + """
WHERE i.outcome IS NULL
SET i.followedUpAt = $event.at
WITH i
"""
    + _EVENT
    + "RETURN i.id AS id"
)

LETTER: LiteralString = """
MERGE (c:LetterCounter {year: $year})
SET c.next = coalesce(c.next, 0) + 1
WITH c.next AS n
MATCH (i:Issue {id: $id})
SET i.handlingSeq = coalesce(i.handlingSeq, 0) + 1, i.lastLetterAt = $event.at
WITH i, $numberPrefix + toString(n) + '号' AS number
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_EVENT]->(e:HandlingEvent)
  RETURN coalesce(max(e.seq), -1) + 1 AS eventSeq
}
CREATE (i)-[:HAD_EVENT]->(ev:HandlingEvent {id: i.id + '#e' + toString(eventSeq), seq: eventSeq,
                                           round: coalesce(i.round, 1), number: number})
SET ev += $event
RETURN number
"""

#: The verdict of the current round and, when ``$reopen``, the re-handling with a new clock.
RATE: LiteralString = (
    _LOCK
    + """
WHERE i.outcome IS NOT NULL AND coalesce(i.round, 1) = $round
  AND coalesce(i.ratedRound, 0) < coalesce(i.round, 1)
SET i.satisfaction = $satisfaction, i.ratedAt = $event.at, i.ratedRound = coalesce(i.round, 1),
    i.ratingComment = $comment
WITH i
"""
    + _EVENT
    + _STATUS_STEP
    + """
CALL (i) {
  WITH i WHERE $reopen
  CALL (i) {
    OPTIONAL MATCH (i)-[:HAD_EVENT]->(e:HandlingEvent)
    RETURN coalesce(max(e.seq), -1) + 1 AS reopenSeq
  }
  CREATE (i)-[:HAD_EVENT]->(:HandlingEvent {id: i.id + '#e' + toString(reopenSeq),
         seq: reopenSeq, round: coalesce(i.round, 1) + 1, kind: 'REOPENED', at: $event.at,
         by: $event.by, text: $reopenNote})
  SET i.round = coalesce(i.round, 1) + 1, i.reopenedAt = $event.at,
      i.outcome = null, i.outcomeReason = null, i.finishedAt = null,
      i.finishedWithin = null, i.finishedLate = null, i.resolvedAt = null,
      i.firstReplyAt = null, i.satisfaction = null, i.ratedAt = null, i.ratingComment = null,
      i.claimedAt = CASE WHEN i.claimedBy IS NULL AND i.departmentId IS NULL THEN null
                         ELSE $event.at END,
      i.workKind = $clock.workKind, i.policy = $clock.policy, i.clockFrom = $clock.clockFrom,
      i.claimDue = $clock.claimDue, i.replyDue = $clock.replyDue, i.finishDue = $clock.finishDue
}
RETURN i.id AS id, i.round AS round
"""
)

ISSUE_FOR_CODE: LiteralString = "MATCH (i:Issue {trackingCode: $code}) RETURN i.id AS id"

ACTOR_FACTS: LiteralString = """
MATCH (i:Issue {id: $id})
OPTIONAL MATCH (me:Deputy {id: $deputyId})
RETURN me.name AS name, me.status AS status,
       me IS NOT NULL AND exists { (me)-[:TRACKS]->(i) } AS tracks,
       me IS NOT NULL AND me.status = 'ACTIVE'
         AND exists { (me)-[:CONTACTS]->(:Area {code: i.areaCode}) } AS covers
"""

HANDLING_RECORDS: LiteralString = """
UNWIND $ids AS id
MATCH (i:Issue {id: id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (i)-[:ASSIGNED_TO]->(dep:Department)
OPTIONAL MATCH (cd:Deputy {id: i.claimedBy})
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_EVENT]->(e:HandlingEvent)
  WITH e ORDER BY e.seq
  RETURN collect(e {.*}) AS events
}
CALL (i) {
  OPTIONAL MATCH (d:Deputy)-[:TRACKS]->(i)
  WITH d ORDER BY d.id
  RETURN collect(d.id) AS trackers
}
RETURN i {.id, .title, .status, .areaCode, .createdAt, .trackingCode, .workKind, .policy,
          .clockFrom, .claimDue, .replyDue, .finishDue, .round, .claimedBy, .claimedAt,
          .assignedAt, .firstReplyAt, .outcome, .outcomeReason, .finishedAt, .finishedWithin,
          .finishedLate, .satisfaction, .ratedAt, .ratedRound, .ratingComment, .reopenedAt}
         AS issue,
       v.name AS villageName, dep.id AS departmentId, dep.name AS departmentName,
       cd.name AS claimedByName, events, trackers
"""

#: Handling facts of whole rows (seeds, the dataset write path): ISO texts for dates.
UPSERT_HANDLINGS: LiteralString = """
UNWIND $rows AS row
MATCH (i:Issue {id: row.issueId})
SET i.workKind = row.workKind, i.policy = row.policy, i.clockFrom = date(row.clockFrom),
    i.claimDue = date(row.claimDue), i.replyDue = date(row.replyDue),
    i.finishDue = date(row.finishDue), i.round = coalesce(row.round, 1),
    i.claimedBy = row.claimedBy, i.claimedAt = datetime(row.claimedAt),
    i.departmentId = row.departmentId, i.assignedAt = datetime(row.assignedAt),
    i.firstReplyAt = datetime(row.firstReplyAt),
    i.outcome = row.outcome, i.outcomeReason = row.outcomeReason,
    i.finishedAt = datetime(row.finishedAt), i.finishedWithin = row.finishedWithin,
    i.finishedLate = row.finishedLate,
    i.satisfaction = row.satisfaction, i.ratedAt = datetime(row.ratedAt),
    i.ratedRound = CASE WHEN row.satisfaction IS NULL THEN null ELSE coalesce(row.round, 1) END,
    i.ratingComment = row.ratingComment
WITH i, row
CALL (i, row) {
  WITH i, row WHERE row.claimedBy IS NOT NULL
  MATCH (d:Deputy {id: row.claimedBy})
  MERGE (d)-[c:CLAIMED]->(i)
  SET c.at = datetime(row.claimedAt)
}
CALL (i, row) {
  WITH i, row WHERE row.departmentId IS NOT NULL
  MATCH (dep:Department {id: row.departmentId})
  MERGE (i)-[a:ASSIGNED_TO]->(dep)
  SET a.at = datetime(row.assignedAt), a.by = 'organizer'
}
"""


# -- row types -------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    found = native(value)
    return found if isinstance(found, dt.date) else None


@dataclass(frozen=True)
class HandlingEventRow:
    """One entry of an issue's handling log."""

    id: str
    seq: int
    kind: str
    at: dt.datetime | None
    by: str
    by_name: str | None = None
    text: str | None = None
    round: int = 1
    department_id: str | None = None
    department_name: str | None = None
    outcome: str | None = None
    satisfaction: str | None = None
    number: str | None = None
    stage: str | None = None
    due_on: dt.date | None = None
    overdue_days: int | None = None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> HandlingEventRow:
        return cls(
            id=row["id"],
            seq=int(row["seq"]),
            kind=row["kind"],
            at=native(row.get("at")),
            by=row.get("by") or "",
            by_name=row.get("byName"),
            text=row.get("text"),
            round=int(row.get("round") or 1),
            department_id=row.get("departmentId"),
            department_name=row.get("departmentName"),
            outcome=row.get("outcome"),
            satisfaction=row.get("satisfaction"),
            number=row.get("number"),
            stage=row.get("stage"),
            due_on=_date(row.get("dueOn")),
            overdue_days=row.get("overdueDays"),
        )


@dataclass(frozen=True)
class HandlingRecord:
    """Everything about the handling of one issue (see the module's notes)."""

    id: str
    title: str
    status: str
    area_code: str | None
    village_name: str | None
    created_at: dt.datetime | None
    tracking_code: str | None
    work_kind: str | None
    policy: str | None
    clock_from: dt.date | None
    claim_due: dt.date | None
    reply_due: dt.date | None
    finish_due: dt.date | None
    round: int
    claimed_by: str | None
    claimed_by_name: str | None
    claimed_at: dt.datetime | None
    department_id: str | None
    department_name: str | None
    assigned_at: dt.datetime | None
    first_reply_at: dt.datetime | None
    outcome: str | None
    outcome_reason: str | None
    finished_at: dt.datetime | None
    finished_within: int | None
    finished_late: int | None
    satisfaction: str | None
    rated_at: dt.datetime | None
    rated_round: int | None
    rating_comment: str | None
    reopened_at: dt.datetime | None
    events: list[HandlingEventRow] = field(default_factory=list)
    trackers: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def has_clock(self) -> bool:
        return None not in (self.claim_due, self.reply_due, self.finish_due)

    @classmethod
    def from_record(cls, record: Any) -> HandlingRecord:
        i = record["issue"]
        return cls(
            id=i["id"],
            title=i["title"],
            status=i["status"],
            area_code=i.get("areaCode"),
            village_name=record["villageName"],
            created_at=native(i.get("createdAt")),
            tracking_code=i.get("trackingCode"),
            work_kind=i.get("workKind"),
            policy=i.get("policy"),
            clock_from=_date(i.get("clockFrom")),
            claim_due=_date(i.get("claimDue")),
            reply_due=_date(i.get("replyDue")),
            finish_due=_date(i.get("finishDue")),
            round=int(i.get("round") or 1),
            claimed_by=i.get("claimedBy"),
            claimed_by_name=record["claimedByName"],
            claimed_at=native(i.get("claimedAt")),
            department_id=record["departmentId"],
            department_name=record["departmentName"],
            assigned_at=native(i.get("assignedAt")),
            first_reply_at=native(i.get("firstReplyAt")),
            outcome=i.get("outcome"),
            outcome_reason=i.get("outcomeReason"),
            finished_at=native(i.get("finishedAt")),
            finished_within=i.get("finishedWithin"),
            finished_late=i.get("finishedLate"),
            satisfaction=i.get("satisfaction"),
            rated_at=native(i.get("ratedAt")),
            rated_round=i.get("ratedRound"),
            rating_comment=i.get("ratingComment"),
            reopened_at=native(i.get("reopenedAt")),
            events=[HandlingEventRow.from_map(e) for e in record["events"]],
            trackers=list(record["trackers"]),
        )


@dataclass(frozen=True)
class ActorFacts:
    """What a handling step needs to know of the deputy taking it."""

    name: str | None
    tracks: bool
    covers: bool


# -- functions -------------------------------------------------------------------------------


def handling_records(db: Database, issue_ids: Sequence[str]) -> dict[str, HandlingRecord]:
    """The handling facts of many issues in one round trip (a DataLoader's)."""
    return {
        record["issue"]["id"]: HandlingRecord.from_record(record)
        for record in db.execute(HANDLING_RECORDS, {"ids": list(issue_ids)})
    }


def actor_facts(db: Database, issue_id: str, deputy_id: str | None) -> ActorFacts | None:
    """Whether the deputy tracks the issue and covers its village (``None``: no issue)."""
    records = db.execute(ACTOR_FACTS, {"id": issue_id, "deputyId": deputy_id})
    if not records:
        return None
    r = records[0]
    return ActorFacts(r["name"], bool(r["tracks"]), bool(r["covers"]))


def issue_id_for_code(db: Database, tracking_code: str) -> str | None:
    records = db.execute(ISSUE_FOR_CODE, {"code": tracking_code})
    return records[0]["id"] if records else None


def start_clock(db: Database, issue_id: str, clock: Mapping[str, Any]) -> bool:
    """Store a clock (``workKind``, ``policy``, ``clockFrom`` and the three due dates)."""
    return bool(db.write(START_CLOCK, {"id": issue_id, **clock}))


def _step(
    db: Database,
    statement: LiteralString,
    issue_id: str,
    event: Mapping[str, Any],
    *,
    from_statuses: Sequence[str] = (),
    to_status: str | None = None,
    status_note: str | None = None,
    **params: Any,
) -> bool:
    records = db.write(
        statement,
        {
            "id": issue_id,
            "event": dict(event),
            "fromStatuses": list(from_statuses),
            "toStatus": to_status,
            "statusNote": status_note,
            **params,
        },
    )
    return bool(records)


def claim(db: Database, issue_id: str, deputy_id: str, event: Mapping[str, Any], note: str) -> bool:
    """The deputy claims the issue (DISPATCHED moves to IN_PROGRESS); ``False`` when it is
    finished or claimed by another deputy meanwhile."""
    return _step(
        db,
        CLAIM,
        issue_id,
        event,
        from_statuses=("DISPATCHED",),
        to_status="IN_PROGRESS",
        status_note=note,
        deputyId=deputy_id,
    )


def assign(
    db: Database, issue_id: str, department_id: str, event: Mapping[str, Any], note: str
) -> bool:
    """Assign the issue to a department (replacing an earlier assignment); ``False`` when it is
    finished meanwhile or the department does not exist."""
    return _step(
        db,
        ASSIGN,
        issue_id,
        event,
        from_statuses=("DISPATCHED",),
        to_status="IN_PROGRESS",
        status_note=note,
        departmentId=department_id,
    )


def reply(db: Database, issue_id: str, event: Mapping[str, Any]) -> bool:
    """Record a reply; ``False`` when the issue is finished or has no handler."""
    return _step(db, REPLY, issue_id, event)


def finish(
    db: Database,
    issue_id: str,
    event: Mapping[str, Any],
    *,
    outcome: str,
    reason: str | None,
    finished_within: int | None,
    finished_late: int | None,
    from_statuses: Sequence[str],
    note: str,
) -> bool:
    """Finish the issue with an outcome (status CLOSED); ``False`` if finished meanwhile."""
    return _step(
        db,
        FINISH,
        issue_id,
        event,
        from_statuses=from_statuses,
        to_status="CLOSED",
        status_note=note,
        outcome=outcome,
        reason=reason,
        finishedWithin=finished_within,
        finishedLate=finished_late,
    )


def follow_up(db: Database, issue_id: str, event: Mapping[str, Any]) -> bool:
    return _step(db, FOLLOW_UP, issue_id, event)


def letter(db: Database, issue_id: str, year: int, prefix: str, event: Mapping[str, Any]) -> str:
    """Record a supervision letter; its number (``督〔2025〕3号``) from the year's counter."""
    records = db.write(
        LETTER, {"id": issue_id, "year": year, "numberPrefix": prefix, "event": dict(event)}
    )
    return str(records[0]["number"])


def rate(
    db: Database,
    issue_id: str,
    event: Mapping[str, Any],
    *,
    round: int,
    satisfaction: str,
    comment: str | None,
    reopen: bool,
    clock: Mapping[str, Any] | None,
    note: str,
    from_statuses: Sequence[str],
) -> int | None:
    """Record the verdict of round ``round`` and, when ``reopen``, re-handle the issue with
    ``clock`` (status IN_PROGRESS); the round after, or ``None`` when it was rated (or
    reopened) meanwhile."""
    records = db.write(
        RATE,
        {
            "id": issue_id,
            "event": dict(event),
            "round": round,
            "satisfaction": satisfaction,
            "comment": comment,
            "reopen": reopen,
            "reopenNote": note,
            "clock": dict(clock or {}),
            "fromStatuses": list(from_statuses) if reopen else [],
            "toStatus": "IN_PROGRESS",
            "statusNote": note,
        },
    )
    return int(records[0]["round"]) if records else None
