"""Proposals (议案建议): their sponsors, contributors, origin issues, handling units, replies,
verdicts, supervision and review meetings.

::

    (:Proposal {id, kind, title, body, congressLevel, congressAreaCode, session, status,
                handler, createdAt, submittedAt, assignedAt, complex, replyDue, round,
                firstReplyAt, replyLate, repliedAt, replyCategory, replyText, satisfaction,
                ratedAt, ratedRound, ratingComment, reopenedAt, rehandlingDue, closedAt,
                supervisedAt, supervisedBy, supervisionNote, eventSeq})
    (:Deputy)-[:SPONSORED {role: LEAD|CO, at}]->(:Proposal)
    (:Deputy)-[:CONTRIBUTED_TO {at, by, note}]->(:Proposal)      the cross-level collaboration
    (:Proposal)-[:ADDRESSES]->(:Issue)                            its origin (citizens' issues)
    (:Proposal)-[:HANDLED_BY {role: LEAD|ASSIST, at}]->(:Department)   主办 / 协办
    (:Proposal)-[:HAD_EVENT]->(:ProposalEvent {id: '<proposal>#e<seq>', seq, kind, at, by,
                                               byName, text, round, category, satisfaction,
                                               departmentId, departmentName, deputyId, late})
    (:Group)-[:HELD]->(:Activity {kind: 'REVIEW'})-[:REVIEWED {comment}]->(:Proposal)

``handler`` keeps the lead unit's name for reading (the seeded rows had only that). Every
workflow statement takes the proposal's write lock first (``SET p.lockSeq``), then checks its
guard, so two concurrent steps are serialised and the second sees the first; a statement
whose guard fails returns no row. Statements only read and write: who may act and which rule
applies is decided in :mod:`graphcoord.services.proposals`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import native

__all__ = [
    "UPSERT_ADDRESSES",
    "UPSERT_CONTRIBUTIONS",
    "UPSERT_PROPOSALS",
    "UPSERT_PROPOSAL_HANDLINGS",
    "UPSERT_REVIEWS",
    "UPSERT_SPONSORSHIPS",
    "ContributorRow",
    "DeputyFacts",
    "GroupFacts",
    "HandlerRow",
    "IssueEvidence",
    "ProposalDetails",
    "ProposalEventRow",
    "ProposalRow",
    "ReviewRow",
    "TrackerBrief",
    "assign",
    "cosign",
    "create_draft",
    "deputy_facts",
    "group_facts",
    "issue_evidence",
    "link_contributor",
    "proposal_details",
    "proposal_page",
    "proposals_by_id",
    "rate",
    "reply",
    "review",
    "review_queue",
    "submit",
    "supervise",
    "withdraw_cosign",
]

# -- whole rows (seeds, the importer, the dataset write path) ----------------------------------

UPSERT_PROPOSALS: LiteralString = """
UNWIND $rows AS row
MERGE (p:Proposal {id: row.id})
SET p.title = row.title, p.congressLevel = row.congressLevel, p.session = row.session,
    p.status = coalesce(row.status, p.status, 'SUBMITTED'),
    p.handler = coalesce(row.handler, p.handler),
    p.kind = coalesce(row.kind, p.kind, 'SUGGESTION'), p.body = coalesce(row.body, p.body),
    p.congressAreaCode = coalesce(row.congressAreaCode, p.congressAreaCode),
    p.round = coalesce(p.round, 1)
SET p.submittedAt = CASE WHEN row.submittedOn IS NULL THEN p.submittedAt
                         ELSE datetime({date: date(row.submittedOn), timezone: '+08:00'}) END,
    p.createdAt = coalesce(p.createdAt,
                           CASE WHEN row.submittedOn IS NULL THEN null
                                ELSE datetime({date: date(row.submittedOn), timezone: '+08:00'})
                           END)
"""

UPSERT_SPONSORSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (p:Proposal {id: row.proposalId})
MERGE (d)-[s:SPONSORED]->(p)
SET s.role = row.role
"""

UPSERT_ADDRESSES: LiteralString = """
UNWIND $rows AS row
MATCH (p:Proposal {id: row.proposalId})
MATCH (i:Issue {id: row.issueId})
MERGE (p)-[:ADDRESSES]->(i)
"""

UPSERT_CONTRIBUTIONS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (p:Proposal {id: row.proposalId})
MERGE (d)-[c:CONTRIBUTED_TO]->(p)
SET c.note = row.note
"""

#: A proposal's handling as a spreadsheet (or a seed) records it: the units (the old ones
#: replaced), the facts of :func:`graphcoord.deadlines.proposal_timeline`, and the log entries
#: of the assignment, replies and verdicts under fixed ids, so a row written twice changes
#: nothing. ``digest`` tells the importer whether a stored row is the same.
UPSERT_PROPOSAL_HANDLINGS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Proposal {id: row.proposalId})
MATCH (lead:Department {id: row.leadUnitId})
CALL (p) {
  OPTIONAL MATCH (p)-[old:HANDLED_BY]->(:Department)
  DELETE old
}
MERGE (p)-[l:HANDLED_BY]->(lead)
SET l.role = 'LEAD', l.at = datetime(row.assignedAt)
WITH p, row, lead
CALL (p, row) {
  UNWIND coalesce(row.assistingUnitIds, []) AS unit
  MATCH (d:Department {id: unit})
  MERGE (p)-[a:HANDLED_BY]->(d)
  SET a.role = 'ASSIST', a.at = datetime(row.assignedAt)
}
SET p.handler = lead.name, p.status = row.status, p.round = row.round,
    p.assignedAt = datetime(row.assignedAt), p.complex = row.complex,
    p.replyDue = date(row.replyDue), p.firstReplyAt = datetime(row.firstReplyAt),
    p.replyLate = row.replyLate, p.repliedAt = datetime(row.repliedAt),
    p.replyCategory = row.replyCategory, p.replyText = row.replyText,
    p.satisfaction = row.satisfaction, p.ratedAt = datetime(row.ratedAt),
    p.ratedRound = row.ratedRound, p.ratingComment = row.ratingComment,
    p.reopenedAt = datetime(row.reopenedAt), p.rehandlingDue = date(row.rehandlingDue),
    p.closedAt = datetime(row.closedAt),
    p.supervisedAt = coalesce(datetime(row.supervisedAt), p.supervisedAt),
    p.supervisedBy = CASE WHEN row.supervisedAt IS NULL THEN p.supervisedBy ELSE 'organizer' END,
    p.supervisionNote = coalesce(row.supervisionNote, p.supervisionNote),
    p.handlingDigest = row.digest
WITH p, row, lead
MERGE (ea:ProposalEvent {id: p.id + '#assigned'})
MERGE (p)-[:HAD_EVENT]->(ea)
SET ea.seq = 1, ea.kind = 'ASSIGNED', ea.at = datetime(row.assignedAt), ea.by = 'organizer',
    ea.round = 1, ea.departmentId = lead.id, ea.departmentName = lead.name
WITH p, row, lead
CALL (p, row, lead) {
  UNWIND row.replies AS r
  MERGE (e:ProposalEvent {id: p.id + '#reply' + toString(r.round)})
  MERGE (p)-[:HAD_EVENT]->(e)
  SET e.seq = 2 * r.round, e.kind = 'REPLIED', e.at = datetime(r.at), e.by = 'organizer',
      e.round = r.round, e.category = r.category, e.text = r.text, e.late = r.late,
      e.departmentId = lead.id, e.departmentName = lead.name
}
CALL (p, row) {
  UNWIND row.verdicts AS v
  MERGE (e:ProposalEvent {id: p.id + '#verdict' + toString(v.round)})
  MERGE (p)-[:HAD_EVENT]->(e)
  SET e.seq = 2 * v.round + 1, e.kind = 'RATED', e.at = datetime(v.at), e.by = 'deputy',
      e.round = v.round, e.satisfaction = v.satisfaction, e.text = v.comment
}
SET p.eventSeq = CASE WHEN coalesce(p.eventSeq, 0) > 10 THEN p.eventSeq ELSE 10 END
"""

UPSERT_REVIEWS: LiteralString = """
UNWIND $rows AS row
MATCH (a:Activity {id: row.activityId})
MATCH (p:Proposal {id: row.proposalId})
MERGE (a)-[r:REVIEWED]->(p)
SET r.comment = row.comment
"""

# -- the workflow's writes -------------------------------------------------------------------

#: Take the proposal's write lock before any guard is read.
_LOCK: LiteralString = """
MATCH (p:Proposal {id: $id})
SET p.lockSeq = coalesce(p.lockSeq, 0) + 1
WITH p
"""

#: Append one entry to the proposal's log (``$event``: kind, at, by, byName, text, …).
_EVENT: LiteralString = """
SET p.eventSeq = coalesce(p.eventSeq, 0) + 1
CREATE (p)-[:HAD_EVENT]->(ev:ProposalEvent {id: p.id + '#e' + toString(p.eventSeq),
                                            seq: p.eventSeq, round: coalesce(p.round, 1)})
SET ev += $event
WITH p
"""

CREATE_DRAFT: LiteralString = (
    """
MATCH (lead:Deputy {id: $leadId})
CREATE (p:Proposal {id: $id})
SET p += $props, p.status = 'DRAFT', p.round = 1, p.createdAt = $event.at
CREATE (lead)-[:SPONSORED {role: 'LEAD', at: $event.at}]->(p)
WITH p
CALL (p) {
  UNWIND $issueIds AS issueId
  MATCH (i:Issue {id: issueId})
  MERGE (p)-[:ADDRESSES]->(i)
}
"""
    + _EVENT
    + "RETURN p.id AS id"
)

COSIGN: LiteralString = (
    _LOCK
    + """
WHERE p.status = 'DRAFT'
MATCH (d:Deputy {id: $deputyId})
WHERE NOT exists { (d)-[:SPONSORED]->(p) }
CREATE (d)-[:SPONSORED {role: 'CO', at: $event.at}]->(p)
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

WITHDRAW_COSIGN: LiteralString = (
    _LOCK
    + """
WHERE p.status = 'DRAFT'
MATCH (:Deputy {id: $deputyId})-[s:SPONSORED {role: 'CO'}]->(p)
DELETE s
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

LINK_CONTRIBUTOR: LiteralString = (
    _LOCK
    + """
MATCH (d:Deputy {id: $deputyId})
WHERE NOT exists { (d)-[:SPONSORED]->(p) } AND NOT exists { (d)-[:CONTRIBUTED_TO]->(p) }
CREATE (d)-[:CONTRIBUTED_TO {at: $event.at, by: $event.by, note: $event.text}]->(p)
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

SUBMIT: LiteralString = (
    _LOCK
    + """
WHERE p.status = 'DRAFT'
  AND COUNT { (:Deputy)-[:SPONSORED]->(p) } = $sponsors
SET p.status = 'SUBMITTED', p.submittedAt = $event.at, p.session = $session
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

ASSIGN: LiteralString = (
    _LOCK
    + """
WHERE p.status IN ['SUBMITTED', 'ASSIGNED'] AND p.firstReplyAt IS NULL
MATCH (lead:Department {id: $leadUnitId})
CALL (p) {
  OPTIONAL MATCH (p)-[old:HANDLED_BY]->(:Department)
  DELETE old
}
CREATE (p)-[:HANDLED_BY {role: 'LEAD', at: $event.at, by: $event.by}]->(lead)
WITH p, lead
CALL (p) {
  UNWIND $assistingUnitIds AS unit
  MATCH (d:Department {id: unit})
  CREATE (p)-[:HANDLED_BY {role: 'ASSIST', at: $event.at, by: $event.by}]->(d)
}
SET p.status = 'ASSIGNED', p.assignedAt = $event.at, p.complex = $complex,
    p.replyDue = $replyDue, p.handler = lead.name, p.handlingDigest = null
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

REPLY: LiteralString = (
    _LOCK
    + """
WHERE p.status IN ['ASSIGNED', 'REHANDLING'] AND coalesce(p.round, 1) = $round
SET p.status = 'REPLIED', p.repliedAt = $event.at, p.replyCategory = $event.category,
    p.replyText = $event.text, p.handlingDigest = null,
    p.firstReplyAt = CASE WHEN $round = 1 THEN $event.at ELSE p.firstReplyAt END,
    p.replyLate = CASE WHEN $round = 1 THEN $event.late ELSE p.replyLate END
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

RATE: LiteralString = (
    _LOCK
    + """
WHERE p.status = 'REPLIED' AND coalesce(p.round, 1) = $round
  AND coalesce(p.ratedRound, 0) < $round
SET p.satisfaction = $event.satisfaction, p.ratedAt = $event.at, p.ratedRound = $round,
    p.ratingComment = $event.text, p.handlingDigest = null
WITH p
"""
    + _EVENT
    + """
CALL (p) {
  WITH p WHERE $reopen
  SET p.round = $round + 1, p.status = 'REHANDLING', p.reopenedAt = $reopened.at,
      p.rehandlingDue = $rehandlingDue
  WITH p
"""
    + _EVENT.replace("$event", "$reopened")
    + """
  RETURN count(*) AS reopenedCount
}
CALL (p) {
  WITH p WHERE NOT $reopen
  SET p.status = 'CLOSED', p.closedAt = $event.at
}
RETURN p.id AS id, p.round AS round
"""
)

SUPERVISE: LiteralString = (
    _LOCK
    + """
WHERE p.status IN $statuses AND p.supervisedAt IS NULL
SET p.supervisedAt = $event.at, p.supervisedBy = $event.by, p.supervisionNote = $event.text
WITH p
"""
    + _EVENT
    + "RETURN p.id AS id"
)

#: A group's review meeting (小组会议) of its members' drafts: an Activity of kind REVIEW held
#: by the group, and a REVIEWED edge with the comment per draft (each draft's log says so).
REVIEW: LiteralString = """
MATCH (g:Group {id: $groupId})
CREATE (a:Activity {id: $activityId})
SET a.title = $title, a.date = $date, a.kind = 'REVIEW', a.recordedAt = $event.at,
    a.recordedBy = $event.by
CREATE (g)-[:HELD]->(a)
WITH a
UNWIND $reviews AS review
MATCH (p:Proposal {id: review.proposalId})
CREATE (a)-[:REVIEWED {comment: review.comment}]->(p)
WITH a, p, review
SET p.lockSeq = coalesce(p.lockSeq, 0) + 1
SET p.eventSeq = coalesce(p.eventSeq, 0) + 1
CREATE (p)-[:HAD_EVENT]->(ev:ProposalEvent {id: p.id + '#e' + toString(p.eventSeq),
                                            seq: p.eventSeq, round: coalesce(p.round, 1)})
SET ev += $event, ev.text = review.comment, ev.activityId = a.id
RETURN count(p) AS reviewed
"""

# -- reads -------------------------------------------------------------------------------------

#: The stored facts of proposals, their lead, counts and handling units (one row each).
PROPOSALS_BY_ID: LiteralString = """
UNWIND $ids AS id
MATCH (p:Proposal {id: id})
OPTIONAL MATCH (lead:Deputy)-[:SPONSORED {role: 'LEAD'}]->(p)
CALL (p) {
  OPTIONAL MATCH (p)-[h:HANDLED_BY]->(d:Department)
  WITH h, d ORDER BY h.role DESC, d.id
  RETURN collect(CASE WHEN d IS NULL THEN null ELSE
                 {id: d.id, name: d.name, kind: d.kind, areaCode: d.areaCode, role: h.role,
                  at: h.at} END) AS handlers
}
RETURN p {.*} AS proposal, lead {.id, .name, .level, .electedIn, .status} AS lead,
       COUNT { (:Deputy)-[:SPONSORED]->(p) } AS sponsors,
       COUNT { (:Deputy)-[:CONTRIBUTED_TO]->(p) } AS contributors,
       COUNT { (p)-[:ADDRESSES]->(:Issue) } AS issues,
       handlers
"""

#: The lists of proposals: co-sponsors (in signing order), contributors, origin issues, the
#: log and the review meetings (one row each).
PROPOSAL_DETAILS: LiteralString = """
UNWIND $ids AS id
MATCH (p:Proposal {id: id})
CALL (p) {
  OPTIONAL MATCH (d:Deputy)-[s:SPONSORED {role: 'CO'}]->(p)
  WITH d, s ORDER BY s.at, d.id
  RETURN collect(d.id) AS coSponsors
}
CALL (p) {
  OPTIONAL MATCH (d:Deputy)-[c:CONTRIBUTED_TO]->(p)
  WITH d, c ORDER BY c.at, d.id
  RETURN collect(CASE WHEN d IS NULL THEN null ELSE {id: d.id, note: c.note, at: c.at} END)
         AS contributors
}
CALL (p) {
  OPTIONAL MATCH (p)-[:ADDRESSES]->(i:Issue)
  WITH i ORDER BY i.createdAt, i.id
  RETURN collect(i.id) AS issues
}
CALL (p) {
  OPTIONAL MATCH (p)-[:HAD_EVENT]->(e:ProposalEvent)
  WITH e ORDER BY e.seq
  RETURN collect(e {.*}) AS events
}
CALL (p) {
  OPTIONAL MATCH (g:Group)-[:HELD]->(a:Activity)-[r:REVIEWED]->(p)
  WITH g, a, r ORDER BY a.date, a.id
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE
                 {activityId: a.id, title: a.title, date: a.date, groupId: g.id,
                  groupName: g.name, comment: r.comment} END) AS reviews
}
RETURN p.id AS id, coSponsors, contributors, issues, events, reviews
"""

#: Proposals matching the filters, newest first; ``$limit + 1`` ids from ``$skip``.
PROPOSAL_PAGE: LiteralString = """
MATCH (p:Proposal)
WHERE ($session IS NULL OR p.session = $session)
  AND ($level IS NULL OR p.congressLevel = $level)
  AND ($kind IS NULL OR p.kind = $kind)
  AND ($status IS NULL OR p.status = $status)
  AND ($supervised IS NULL OR (p.supervisedAt IS NOT NULL) = $supervised)
  AND ($deputyId IS NULL
       OR exists { (:Deputy {id: $deputyId})-[:SPONSORED|CONTRIBUTED_TO]->(p) })
  AND ($departmentId IS NULL OR exists { (p)-[:HANDLED_BY]->(:Department {id: $departmentId}) })
  AND ($issueId IS NULL OR exists { (p)-[:ADDRESSES]->(:Issue {id: $issueId}) })
WITH p ORDER BY coalesce(p.submittedAt, p.createdAt) DESC, p.id
WITH collect(p.id) AS ids
RETURN size(ids) AS total, ids[$skip..$skip + $limit + 1] AS ids
"""

#: Drafts whose lead is a member of the group, oldest first; reviewed ones only when asked.
REVIEW_QUEUE: LiteralString = """
MATCH (g:Group {id: $groupId})
MATCH (lead:Deputy)-[:MEMBER_OF]->(g)
MATCH (lead)-[:SPONSORED {role: 'LEAD'}]->(p:Proposal {status: 'DRAFT'})
WHERE $includeReviewed OR NOT exists { (g)-[:HELD]->(:Activity)-[:REVIEWED]->(p) }
WITH DISTINCT p ORDER BY p.createdAt, p.id
WITH collect(p.id) AS ids
RETURN size(ids) AS total, ids[$skip..$skip + $limit + 1] AS ids
"""

GROUP_FACTS: LiteralString = """
MATCH (g:Group {id: $groupId})
OPTIONAL MATCH (c:Deputy)-[:MEMBER_OF {role: 'CONVENER'}]->(g)
RETURN g.id AS id, g.name AS name, collect(c.id) AS conveners,
       [(m:Deputy)-[:MEMBER_OF]->(g) | m.id] AS members
"""

DEPUTY_FACTS: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})
OPTIONAL MATCH (d)-[:ELECTED_IN]->(e:Area)
RETURN d.id AS id, d.name AS name, d.level AS level,
       coalesce(e.code, d.electedIn) AS electedIn, d.status AS status
"""


# -- row types ---------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    found = native(value)
    if isinstance(found, dt.datetime):
        return found.date()
    return found if isinstance(found, dt.date) else None


@dataclass(frozen=True)
class HandlerRow:
    """A handling unit of a proposal: 主办 (LEAD) or 协办 (ASSIST)."""

    department_id: str
    name: str
    kind: str
    area_code: str | None
    role: str
    at: dt.datetime | None


@dataclass(frozen=True)
class DeputyFacts:
    """What the workflow needs to know of a deputy."""

    id: str
    name: str
    level: str
    elected_in: str | None
    status: str | None


def _deputy(row: Mapping[str, Any]) -> DeputyFacts:
    return DeputyFacts(
        row["id"],
        row.get("name") or row["id"],
        row["level"],
        row.get("electedIn"),
        row.get("status"),
    )


@dataclass(frozen=True)
class ProposalRow:
    """The stored facts of one proposal (see the module's notes)."""

    id: str
    kind: str
    title: str
    body: str | None
    level: str
    congress_area_code: str | None
    session: str | None
    status: str
    handler: str | None
    created_at: dt.datetime | None
    submitted_at: dt.datetime | None
    assigned_at: dt.datetime | None
    complex: bool
    reply_due: dt.date | None
    round: int
    first_reply_at: dt.datetime | None
    reply_late: int | None
    replied_at: dt.datetime | None
    reply_category: str | None
    reply_text: str | None
    satisfaction: str | None
    rated_at: dt.datetime | None
    rated_round: int | None
    rating_comment: str | None
    reopened_at: dt.datetime | None
    rehandling_due: dt.date | None
    closed_at: dt.datetime | None
    supervised_at: dt.datetime | None
    supervised_by: str | None
    supervision_note: str | None
    lead: DeputyFacts | None
    sponsor_count: int
    contributor_count: int
    issue_count: int
    handlers: list[HandlerRow] = field(default_factory=list)

    @property
    def co_sponsor_count(self) -> int:
        return self.sponsor_count - (1 if self.lead is not None else 0)

    @property
    def current_due(self) -> dt.date | None:
        """The reply due in the current round (the re-handling's in round 2)."""
        return self.rehandling_due if self.round > 1 else self.reply_due

    @property
    def lead_unit(self) -> HandlerRow | None:
        return next((h for h in self.handlers if h.role == "LEAD"), None)

    @classmethod
    def from_record(cls, record: Any) -> ProposalRow:
        p = record["proposal"]
        lead = record["lead"]
        return cls(
            id=p["id"],
            kind=p.get("kind") or "SUGGESTION",
            title=p.get("title") or "",
            body=p.get("body"),
            level=p["congressLevel"],
            congress_area_code=p.get("congressAreaCode"),
            session=p.get("session"),
            status=p.get("status") or "SUBMITTED",
            handler=p.get("handler"),
            created_at=native(p.get("createdAt")),
            submitted_at=native(p.get("submittedAt")),
            assigned_at=native(p.get("assignedAt")),
            complex=bool(p.get("complex")),
            reply_due=_date(p.get("replyDue")),
            round=int(p.get("round") or 1),
            first_reply_at=native(p.get("firstReplyAt")),
            reply_late=p.get("replyLate"),
            replied_at=native(p.get("repliedAt")),
            reply_category=p.get("replyCategory"),
            reply_text=p.get("replyText"),
            satisfaction=p.get("satisfaction"),
            rated_at=native(p.get("ratedAt")),
            rated_round=p.get("ratedRound"),
            rating_comment=p.get("ratingComment"),
            reopened_at=native(p.get("reopenedAt")),
            rehandling_due=_date(p.get("rehandlingDue")),
            closed_at=native(p.get("closedAt")),
            supervised_at=native(p.get("supervisedAt")),
            supervised_by=p.get("supervisedBy"),
            supervision_note=p.get("supervisionNote"),
            lead=_deputy(lead) if lead else None,
            sponsor_count=int(record["sponsors"]),
            contributor_count=int(record["contributors"]),
            issue_count=int(record["issues"]),
            handlers=[
                HandlerRow(
                    h["id"], h["name"], h["kind"], h.get("areaCode"), h["role"], native(h.get("at"))
                )
                for h in record["handlers"]
            ],
        )


@dataclass(frozen=True)
class ProposalEventRow:
    """One entry of a proposal's log."""

    id: str
    seq: int
    kind: str
    at: dt.datetime | None
    by: str
    round: int
    by_name: str | None = None
    text: str | None = None
    category: str | None = None
    satisfaction: str | None = None
    department_id: str | None = None
    department_name: str | None = None
    deputy_id: str | None = None
    late: int | None = None
    activity_id: str | None = None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> ProposalEventRow:
        return cls(
            id=row["id"],
            seq=int(row["seq"]),
            kind=row["kind"],
            at=native(row.get("at")),
            by=row.get("by") or "",
            round=int(row.get("round") or 1),
            by_name=row.get("byName"),
            text=row.get("text"),
            category=row.get("category"),
            satisfaction=row.get("satisfaction"),
            department_id=row.get("departmentId"),
            department_name=row.get("departmentName"),
            deputy_id=row.get("deputyId"),
            late=row.get("late"),
            activity_id=row.get("activityId"),
        )


@dataclass(frozen=True)
class ReviewRow:
    """A group's review meeting that went through a draft, and its comment."""

    activity_id: str
    title: str | None
    date: dt.date | None
    group_id: str
    group_name: str | None
    comment: str | None


@dataclass(frozen=True)
class ContributorRow:
    deputy_id: str
    note: str | None
    at: dt.datetime | None


@dataclass(frozen=True)
class ProposalDetails:
    """The lists of one proposal."""

    co_sponsors: list[str] = field(default_factory=list)
    contributors: list[ContributorRow] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    events: list[ProposalEventRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)


@dataclass(frozen=True)
class GroupFacts:
    id: str
    name: str
    conveners: list[str]
    members: list[str]


# -- functions -----------------------------------------------------------------------------


def proposals_by_id(db: Database, ids: Sequence[str]) -> dict[str, ProposalRow]:
    """The proposals among ``ids`` that exist, in one round trip (a DataLoader's)."""
    return {
        record["proposal"]["id"]: ProposalRow.from_record(record)
        for record in db.execute(PROPOSALS_BY_ID, {"ids": list(ids)})
    }


def proposal_details(db: Database, ids: Sequence[str]) -> dict[str, ProposalDetails]:
    """The lists of many proposals in one round trip (a DataLoader's)."""
    found: dict[str, ProposalDetails] = {}
    for record in db.execute(PROPOSAL_DETAILS, {"ids": list(ids)}):
        found[record["id"]] = ProposalDetails(
            co_sponsors=list(record["coSponsors"]),
            contributors=[
                ContributorRow(c["id"], c.get("note"), native(c.get("at")))
                for c in record["contributors"]
            ],
            issues=list(record["issues"]),
            events=[ProposalEventRow.from_map(e) for e in record["events"]],
            reviews=[
                ReviewRow(
                    activity_id=r["activityId"],
                    title=r.get("title"),
                    date=_date(r.get("date")),
                    group_id=r["groupId"],
                    group_name=r.get("groupName"),
                    comment=r.get("comment"),
                )
                for r in record["reviews"]
            ],
        )
    return found


def proposal_page(
    db: Database,
    *,
    session: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    supervised: bool | None = None,
    deputy_id: str | None = None,
    department_id: str | None = None,
    issue_id: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[int, list[str]]:
    """How many proposals match, and the ids of a page (``limit + 1`` read)."""
    record = db.execute(
        PROPOSAL_PAGE,
        {
            "session": session,
            "level": level,
            "kind": kind,
            "status": status,
            "supervised": supervised,
            "deputyId": deputy_id,
            "departmentId": department_id,
            "issueId": issue_id,
            "skip": skip,
            "limit": limit,
        },
    )[0]
    return int(record["total"]), list(record["ids"])


def review_queue(
    db: Database, group_id: str, *, include_reviewed: bool, skip: int, limit: int
) -> tuple[int, list[str]]:
    """Drafts of the group's members (not yet reviewed by it, unless asked), oldest first."""
    record = db.execute(
        REVIEW_QUEUE,
        {"groupId": group_id, "includeReviewed": include_reviewed, "skip": skip, "limit": limit},
    )[0]
    return int(record["total"]), list(record["ids"])


def group_facts(db: Database, group_id: str) -> GroupFacts | None:
    records = db.execute(GROUP_FACTS, {"groupId": group_id})
    if not records or records[0]["id"] is None:
        return None
    r = records[0]
    return GroupFacts(r["id"], r["name"], list(r["conveners"]), list(r["members"]))


def deputy_facts(db: Database, ids: Sequence[str]) -> dict[str, DeputyFacts]:
    """Level, election area and status of the deputies among ``ids`` that exist."""
    return {
        r["id"]: _deputy(r) for r in db.execute(DEPUTY_FACTS, {"ids": list(dict.fromkeys(ids))})
    }


def _one(records: list[Any]) -> bool:
    return bool(records)


def create_draft(
    db: Database,
    proposal_id: str,
    lead_id: str,
    props: Mapping[str, Any],
    issue_ids: Sequence[str],
    event: Mapping[str, Any],
) -> bool:
    """Store a draft with its lead sponsor and origin issues."""
    return _one(
        db.write(
            CREATE_DRAFT,
            {
                "id": proposal_id,
                "leadId": lead_id,
                "props": dict(props),
                "issueIds": list(issue_ids),
                "event": dict(event),
            },
        )
    )


def cosign(db: Database, proposal_id: str, deputy_id: str, event: Mapping[str, Any]) -> bool:
    """Add a co-sponsor to a draft; ``False`` when the draft moved on or they sponsor it."""
    return _one(db.write(COSIGN, {"id": proposal_id, "deputyId": deputy_id, "event": dict(event)}))


def withdraw_cosign(
    db: Database, proposal_id: str, deputy_id: str, event: Mapping[str, Any]
) -> bool:
    """Remove a co-sponsor from a draft; ``False`` when there was none to remove."""
    return _one(
        db.write(WITHDRAW_COSIGN, {"id": proposal_id, "deputyId": deputy_id, "event": dict(event)})
    )


def link_contributor(
    db: Database, proposal_id: str, deputy_id: str, event: Mapping[str, Any]
) -> bool:
    """Link a contributor; ``False`` when they sponsor or contribute already."""
    return _one(
        db.write(LINK_CONTRIBUTOR, {"id": proposal_id, "deputyId": deputy_id, "event": dict(event)})
    )


def submit(
    db: Database, proposal_id: str, session: str, sponsors: int, event: Mapping[str, Any]
) -> bool:
    """Submit a draft whose sponsors are still the ``sponsors`` counted when it was checked."""
    return _one(
        db.write(
            SUBMIT,
            {"id": proposal_id, "session": session, "sponsors": sponsors, "event": dict(event)},
        )
    )


def assign(
    db: Database,
    proposal_id: str,
    lead_unit_id: str,
    assisting_unit_ids: Sequence[str],
    *,
    complex_: bool,
    reply_due: dt.date,
    event: Mapping[str, Any],
) -> bool:
    """Assign (or re-assign, before any reply) a proposal to its handling units."""
    return _one(
        db.write(
            ASSIGN,
            {
                "id": proposal_id,
                "leadUnitId": lead_unit_id,
                "assistingUnitIds": list(assisting_unit_ids),
                "complex": complex_,
                "replyDue": reply_due,
                "event": dict(event),
            },
        )
    )


def reply(db: Database, proposal_id: str, round_: int, event: Mapping[str, Any]) -> bool:
    """Record the lead unit's reply of round ``round_``."""
    return _one(db.write(REPLY, {"id": proposal_id, "round": round_, "event": dict(event)}))


def rate(
    db: Database,
    proposal_id: str,
    round_: int,
    event: Mapping[str, Any],
    *,
    reopen: bool,
    reopened: Mapping[str, Any],
    rehandling_due: dt.date | None,
) -> int | None:
    """Record the verdict of round ``round_`` and, when ``reopen``, send the proposal back;
    the round after, or ``None`` when it was rated meanwhile."""
    records = db.write(
        RATE,
        {
            "id": proposal_id,
            "round": round_,
            "event": dict(event),
            "reopen": reopen,
            "reopened": dict(reopened),
            "rehandlingDue": rehandling_due,
        },
    )
    return int(records[0]["round"]) if records else None


def supervise(
    db: Database, proposal_id: str, statuses: Sequence[str], event: Mapping[str, Any]
) -> bool:
    """Put a proposal under key supervision (重点督办); ``False`` if it is not open or is
    supervised already."""
    return _one(
        db.write(SUPERVISE, {"id": proposal_id, "statuses": list(statuses), "event": dict(event)})
    )


def review(
    db: Database,
    group_id: str,
    activity_id: str,
    title: str,
    day: dt.date,
    reviews: Sequence[Mapping[str, Any]],
    event: Mapping[str, Any],
) -> int:
    """Record a group's review meeting of drafts; how many drafts it went through."""
    records = db.write(
        REVIEW,
        {
            "groupId": group_id,
            "activityId": activity_id,
            "title": title,
            "date": day,
            "reviews": [dict(r) for r in reviews],
            "event": dict(event),
        },
    )
    return int(records[0]["reviewed"]) if records else 0


#: What citizens' issues carry up into a proposal: their village and township, the deputies
#: who track them and the chain they concern.
ISSUE_EVIDENCE: LiteralString = """
UNWIND $ids AS id
MATCH (i:Issue {id: id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
OPTIONAL MATCH (i)-[:CONCERNS]->(c:IndustryChain)
RETURN i.id AS id, i.title AS title, i.category AS category, i.ticket AS ticket,
       i.createdAt AS createdAt, i.mergedInto AS mergedInto,
       coalesce(v.code, i.areaCode) AS areaCode, v.name AS villageName,
       t.code AS townshipCode, t.name AS townshipName, c.id AS chainId, c.name AS chainName,
       [(d:Deputy)-[:TRACKS]->(i) | d {.id, .name, .level}] AS trackers
"""


@dataclass(frozen=True)
class TrackerBrief:
    id: str
    name: str
    level: str


@dataclass(frozen=True)
class IssueEvidence:
    """A citizens' issue as a proposal's evidence."""

    id: str
    title: str
    category: str | None
    ticket: str | None
    created_at: dt.datetime | None
    merged_into: str | None
    area_code: str | None
    village_name: str | None
    township_code: str | None
    township_name: str | None
    chain_id: str | None
    chain_name: str | None
    trackers: list[TrackerBrief] = field(default_factory=list)


def issue_evidence(db: Database, ids: Sequence[str]) -> dict[str, IssueEvidence]:
    """The issues among ``ids`` that exist, with their places and trackers (one round trip)."""
    found: dict[str, IssueEvidence] = {}
    for r in db.execute(ISSUE_EVIDENCE, {"ids": list(dict.fromkeys(ids))}):
        found[r["id"]] = IssueEvidence(
            id=r["id"],
            title=r["title"] or "",
            category=r["category"],
            ticket=r["ticket"],
            created_at=native(r["createdAt"]),
            merged_into=r["mergedInto"],
            area_code=r["areaCode"],
            village_name=r["villageName"],
            township_code=r["townshipCode"],
            township_name=r["townshipName"],
            chain_id=r["chainId"],
            chain_name=r["chainName"],
            trackers=[
                TrackerBrief(t["id"], t.get("name") or t["id"], t["level"])
                for t in sorted(r["trackers"], key=lambda t: str(t["id"]))
            ],
        )
    return found
