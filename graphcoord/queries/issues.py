"""Citizens' issues (opinions): their Cypher and row types.

An issue is ``RAISED_IN`` a village, ``TRACKS``-ed by deputies, ``ESCALATED_TO`` deputies, and
keeps its status history as a chain of nodes, ``(:Issue)-[:HAD_STATUS]->(:StatusChange {id,
seq, status, from, at, by, byName, note, publicNote})`` with ``id`` ``<issue id>#<seq>``: ``note``
is the staff's (private), ``publicNote`` what the citizen may read. Seeded and imported issues
have no history nodes. A submitted issue carries ``submissionKey`` (unique: its idempotency
key) and ``dispatch = 'PENDING'`` until it leaves RECEIVED (the dispatch outbox, claimed by
``dispatchClaimedAt`` while one process talks to 12345). The workflow around these statements (who may change
what, the status machine, routing, dispatch) is :mod:`graphcoord.services.issues`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.model import OPEN_STATUSES, Channel
from graphcoord.queries.vocabulary import VILLAGE_KINDS

__all__ = [
    "UPSERT_ESCALATIONS",
    "UPSERT_ISSUES",
    "UPSERT_TRACKERS",
    "DeputyBrief",
    "DispatchClaim",
    "IssueDetails",
    "IssueFacts",
    "IssueRow",
    "NewIssue",
    "PendingDispatch",
    "PublicIssueRecord",
    "PublicStep",
    "StatusStep",
    "StoredSubmission",
    "VillagePageRecord",
    "VillageRef",
    "area_exists",
    "change_status",
    "claim_dispatch",
    "create_issue",
    "deputy_brief",
    "deputy_queue",
    "get_issue",
    "issue_by_submission_key",
    "issue_facts",
    "issue_page",
    "issues_details",
    "native",
    "pending_dispatch",
    "public_issue",
    "release_dispatch",
    "village_page",
    "villages_under",
]

# -- writes of whole rows (seeds, the dataset write path) -------------------------------------

UPSERT_ISSUES: LiteralString = """
UNWIND $rows AS row
MERGE (i:Issue {id: row.id})
SET i.title = row.title, i.body = row.body, i.category = row.category,
    i.channel = row.channel, i.ticket = row.ticket, i.status = row.status,
    i.createdAt = datetime(row.createdAt),
    i.resolvedAt = CASE WHEN row.resolvedAt IS NULL THEN null ELSE datetime(row.resolvedAt) END,
    i.areaCode = row.areaCode, i.trackingCode = row.trackingCode,
    i.contact = row.contact
WITH i, row
MATCH (a:Area {code: row.areaCode})
MERGE (i)-[:RAISED_IN]->(a)
WITH i, row WHERE row.chainId IS NOT NULL
MATCH (c:IndustryChain {id: row.chainId})
MERGE (i)-[:CONCERNS]->(c)
"""

UPSERT_TRACKERS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (i:Issue {id: row.issueId})
MERGE (d)-[:TRACKS]->(i)
"""

UPSERT_ESCALATIONS: LiteralString = """
UNWIND $rows AS row
MATCH (i:Issue {id: row.issueId})
MATCH (d:Deputy {id: row.deputyId})
MERGE (i)-[e:ESCALATED_TO]->(d)
SET e.at = datetime(row.at), e.reason = row.reason
"""

# -- the citizen channel -------------------------------------------------------------------------

VILLAGE_PAGE: LiteralString = (
    """
MATCH (v:Area {code: $code}) WHERE v.kind IN """
    + VILLAGE_KINDS
    + """
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
OPTIONAL MATCH (t)-[:PART_OF]->(c:Area)
CALL (v) {
  OPTIONAL MATCH (d:Deputy)-[k:CONTACTS]->(v) WHERE d.status = 'ACTIVE'
  WITH d, k ORDER BY d.name, d.id
  RETURN collect(CASE WHEN d IS NULL THEN null
                 ELSE {id: d.id, name: d.name, level: d.level, workUnit: d.workUnit,
                       occupation: d.occupation, basis: k.basis} END) AS deputies
}
RETURN v.code AS code, v.name AS name, t.name AS township, c.name AS county, deputies
"""
)

CREATE_ISSUE: LiteralString = (
    """
MATCH (v:Area {code: $villageCode}) WHERE v.kind IN """
    + VILLAGE_KINDS
    + """
CREATE (i:Issue {id: $id, title: $title, body: $body, category: $category, channel: $channel,
                 status: 'RECEIVED', createdAt: $at, areaCode: v.code,
                 trackingCode: $trackingCode, contact: $contact,
                 submissionKey: $submissionKey, submissionHash: $submissionHash,
                 dispatch: 'PENDING'})
CREATE (i)-[:RAISED_IN]->(v)
CREATE (i)-[:HAD_STATUS]->(:StatusChange {id: $id + '#0', seq: 0, status: 'RECEIVED',
                                          at: $at, by: $by, byName: $byName})
WITH i, v
CALL (i, v) {
  OPTIONAL MATCH (d:Deputy)-[:CONTACTS]->(v) WHERE d.status = 'ACTIVE'
  FOREACH (x IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (x)-[:TRACKS]->(i))
  RETURN count(d) AS trackers
}
RETURN i.id AS id, v.name AS villageName, trackers
"""
)

ISSUE_FACTS: LiteralString = """
MATCH (i:Issue {id: $id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (me:Deputy {id: $deputyId})
RETURN i.status AS status, i.title AS title, i.body AS body, i.category AS category,
       i.areaCode AS areaCode, v.name AS areaName,
       me IS NOT NULL AND exists { (me)-[:TRACKS]->(i) } AS tracks,
       me.level AS myLevel, me.name AS myName, me.status AS myStatus,
       [(me)<-[:LIAISON_FOR]-(up:Deputy) WHERE up.status = 'ACTIVE' | up.id] AS liaisons
"""

DEPUTY_BRIEF: LiteralString = """
MATCH (d:Deputy {id: $id})
RETURN d.id AS id, d.name AS name, d.level AS level, d.status AS status
"""

CHANGE_STATUS: LiteralString = """
MATCH (i:Issue {id: $id}) WHERE i.status = $from
SET i.status = $to, i.updatedAt = $at,
    i.ticket = coalesce($ticket, i.ticket),
    i.resolvedAt = CASE WHEN $to = 'RESOLVED' THEN $at ELSE i.resolvedAt END,
    i.closedAt = CASE WHEN $to = 'CLOSED' THEN $at ELSE i.closedAt END,
    i.dispatch = null, i.dispatchClaimedAt = null, i.pendingTicket = null
WITH i
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_STATUS]->(s:StatusChange)
  RETURN coalesce(max(s.seq), -1) + 1 AS seq
}
CREATE (i)-[:HAD_STATUS]->(:StatusChange {id: i.id + '#' + toString(seq), seq: seq,
        status: $to, from: $from, at: $at, by: $by, byName: $byName, note: $note,
        publicNote: $publicNote})
WITH i
OPTIONAL MATCH (t:Deputy {id: $escalateTo})
FOREACH (x IN CASE WHEN t IS NULL THEN [] ELSE [t] END |
  MERGE (i)-[e:ESCALATED_TO]->(x) SET e.at = $at, e.reason = $note
  MERGE (x)-[:TRACKS]->(i))
RETURN i.id AS id
"""

_ISSUE_MAP: LiteralString = """
i {.id, .title, .body, .category, .channel, .ticket, .status, .createdAt, .resolvedAt,
   .closedAt, .areaCode, .trackingCode, .contact}
"""

ISSUE_PAGE: LiteralString = (
    """
MATCH (i:Issue)
WHERE ($status IS NULL OR i.status = $status)
  AND ($channel IS NULL OR i.channel = $channel)
  AND ($category IS NULL OR i.category = $category)
  AND ($prefix IS NULL OR i.areaCode STARTS WITH $prefix)
WITH i ORDER BY i.createdAt DESC, i.id
WITH collect(i) AS found
RETURN size(found) AS total,
       [i IN found[$skip..$skip + $limit + 1] | """
    + _ISSUE_MAP
    + """] AS rows
"""
)

QUEUE_PAGE: LiteralString = (
    """
MATCH (:Deputy {id: $deputyId})-[:TRACKS]->(i:Issue)
WITH i ORDER BY CASE WHEN i.status IN $open THEN 0 ELSE 1 END, i.createdAt, i.id
WITH collect(i) AS found
RETURN size(found) AS total,
       [i IN found[$skip..$skip + $limit + 1] | """
    + _ISSUE_MAP
    + """] AS rows
"""
)

GET_ISSUE: LiteralString = (
    """
MATCH (i:Issue {id: $id})
RETURN """
    + _ISSUE_MAP
    + """ AS issue
"""
)

ISSUE_DETAILS: LiteralString = """
UNWIND $ids AS id
MATCH (i:Issue {id: id})
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_STATUS]->(s:StatusChange)
  WITH s ORDER BY s.seq
  RETURN collect(s {.seq, .status, .from, .at, .by, .byName, .note, .publicNote}) AS history
}
CALL (i) {
  OPTIONAL MATCH (d:Deputy)-[:TRACKS]->(i)
  WITH d ORDER BY d.id
  RETURN collect(d.id) AS trackers
}
CALL (i) {
  OPTIONAL MATCH (i)-[e:ESCALATED_TO]->(d:Deputy)
  WITH d, e ORDER BY e.at
  RETURN collect(CASE WHEN d IS NULL THEN null
                 ELSE {deputyId: d.id, at: e.at, reason: e.reason} END) AS escalations
}
RETURN id, history, trackers, escalations
"""

PUBLIC_ISSUE: LiteralString = """
MATCH (own:Issue {trackingCode: $code})
OPTIONAL MATCH (own)-[m:MERGED_INTO]->(original:Issue)
WITH own, m, coalesce(original, own) AS i
OPTIONAL MATCH (own)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_STATUS]->(s:StatusChange)
  WITH s ORDER BY s.seq
  RETURN collect(s {.status, .at, .publicNote}) AS history
}
CALL (i) {
  OPTIONAL MATCH (d:Deputy)-[:TRACKS]->(i)
  RETURN count(d) AS trackers, collect(DISTINCT d.level) AS levels
}
RETURN own.id AS id, own.trackingCode AS trackingCode, own.title AS title, own.body AS body,
       own.category AS category, i.status AS status, i.ticket AS ticket,
       own.createdAt AS createdAt, i.resolvedAt AS resolvedAt, v.code AS villageCode,
       v.name AS villageName, t.name AS townshipName, history, trackers, levels,
       m.at AS mergedAt
"""

ISSUE_BY_SUBMISSION_KEY: LiteralString = """
MATCH (i:Issue {submissionKey: $key})
RETURN i.id AS id, i.trackingCode AS trackingCode, i.ticket AS ticket, i.status AS status,
       i.submissionHash AS submissionHash, COUNT { (:Deputy)-[:TRACKS]->(i) } AS trackers
"""

# Whoever sets dispatchClaimedAt talks to 12345 for the issue; a claim older than $stale is
# a dead process's and may be taken over.
CLAIM_DISPATCH: LiteralString = """
MATCH (i:Issue {id: $id})
WHERE i.status = 'RECEIVED' AND (i.dispatchClaimedAt IS NULL OR i.dispatchClaimedAt < $stale)
SET i.dispatchClaimedAt = $now
RETURN i.id AS id, i.pendingTicket AS pendingTicket
"""

RELEASE_DISPATCH: LiteralString = """
MATCH (i:Issue {id: $id}) WHERE i.status = 'RECEIVED'
SET i.dispatchClaimedAt = null, i.dispatchAttempts = coalesce(i.dispatchAttempts, 0) + 1,
    i.dispatchError = $error, i.pendingTicket = coalesce($ticket, i.pendingTicket)
"""

PENDING_DISPATCH: LiteralString = """
MATCH (i:Issue {dispatch: 'PENDING'})
WHERE i.status = 'RECEIVED' AND i.createdAt < $before
  AND (i.dispatchClaimedAt IS NULL OR i.dispatchClaimedAt < $stale)
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
WITH i, v ORDER BY i.createdAt LIMIT $limit
RETURN i.id AS id, i.title AS title, i.body AS body, i.category AS category,
       i.areaCode AS areaCode, v.name AS areaName
"""

AREA_EXISTS: LiteralString = "MATCH (a:Area {code: $code}) RETURN a.code AS code"

VILLAGES_UNDER: LiteralString = (
    """
MATCH (v:Area) WHERE v.kind IN """
    + VILLAGE_KINDS
    + """ AND v.code STARTS WITH $prefix
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
RETURN v.code AS code, v.name AS name, t.code AS townshipCode, t.name AS townshipName
ORDER BY t.code, v.code
"""
)


# -- row types -------------------------------------------------------------------------------


def native(value: Any) -> Any:
    """Neo4j temporal values as Python ones (``None`` stays ``None``)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value


@dataclass(frozen=True)
class StatusStep:
    """One entry of an issue's status history (the staff's view)."""

    status: str
    at: dt.datetime | None
    by: str
    by_name: str | None = None
    note: str | None = None
    from_status: str | None = None
    public_note: str | None = None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> StatusStep:
        return cls(
            status=row["status"],
            at=native(row.get("at")),
            by=row.get("by") or "",
            by_name=row.get("byName"),
            note=row.get("note"),
            from_status=row.get("from"),
            public_note=row.get("publicNote"),
        )


@dataclass(frozen=True)
class PublicStep:
    """One entry of an issue's history as the public sees it: status, time, public note."""

    status: str
    at: dt.datetime | None
    note: str | None = None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> PublicStep:
        return cls(status=row["status"], at=native(row.get("at")), note=row.get("publicNote"))


@dataclass(frozen=True)
class IssueRow:
    """An issue as stored (``contact`` is private: organizers and admins only)."""

    id: str
    title: str
    body: str | None
    category: str | None
    channel: str
    ticket: str | None
    status: str
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    area_code: str | None
    tracking_code: str | None
    contact: str | None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> IssueRow:
        return cls(
            id=row["id"],
            title=row["title"],
            body=row.get("body"),
            category=row.get("category"),
            channel=row.get("channel") or Channel.QR.value,
            ticket=row.get("ticket"),
            status=row["status"],
            created_at=native(row.get("createdAt")),
            resolved_at=native(row.get("resolvedAt")),
            closed_at=native(row.get("closedAt")),
            area_code=row.get("areaCode"),
            tracking_code=row.get("trackingCode"),
            contact=row.get("contact"),
        )


@dataclass(frozen=True)
class IssueDetails:
    """An issue's history, tracking deputies and escalations."""

    history: list[StatusStep]
    trackers: list[str]
    escalations: list[dict[str, Any]]


@dataclass(frozen=True)
class IssueFacts:
    """What a status change needs to know of an issue and of the deputy changing it."""

    status: str
    title: str
    body: str | None
    category: str | None
    area_code: str | None
    area_name: str | None
    tracks: bool
    my_level: str | None
    my_name: str | None
    liaisons: list[str]
    my_status: str | None = None


@dataclass(frozen=True)
class DeputyBrief:
    id: str
    name: str | None
    level: str
    status: str | None


@dataclass(frozen=True)
class NewIssue:
    """What :func:`create_issue` stored: the village's name and how many deputies track it."""

    village_name: str
    trackers: int


@dataclass(frozen=True)
class PublicIssueRecord:
    """An issue as the public view reads it (no contact, no deputy ids)."""

    id: str
    tracking_code: str
    title: str
    body: str | None
    category: str | None
    status: str
    ticket: str | None
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None
    village_code: str | None
    village_name: str | None
    township_name: str | None
    history: list[PublicStep]
    trackers: int
    levels: list[str]
    #: Set when the issue was merged into another: status, ticket, history and trackers are
    #: then the other issue's (:mod:`graphcoord.queries.opinions`).
    merged_at: dt.datetime | None = None


@dataclass(frozen=True)
class StoredSubmission:
    """The issue an idempotency key already made."""

    id: str
    tracking_code: str
    ticket: str | None
    status: str
    submission_hash: str | None
    trackers: int


@dataclass(frozen=True)
class PendingDispatch:
    """An issue of the dispatch outbox: what the 12345 ticket needs."""

    id: str
    title: str
    body: str | None
    category: str | None
    area_code: str | None
    area_name: str | None


@dataclass(frozen=True)
class VillagePageRecord:
    code: str
    name: str
    township: str | None
    county: str | None
    #: Public facts only: id, name, level, workUnit, occupation, basis (never the phone).
    deputies: list[dict[str, Any]]


@dataclass(frozen=True)
class VillageRef:
    """A village or community with its township (for QR sheets)."""

    code: str
    name: str
    township_code: str | None
    township_name: str | None


# -- functions -------------------------------------------------------------------------------


def village_page(db: Database, code: str) -> VillagePageRecord | None:
    records = db.execute(VILLAGE_PAGE, {"code": code})
    if not records:
        return None
    r = records[0]
    return VillagePageRecord(r["code"], r["name"], r["township"], r["county"], list(r["deputies"]))


def create_issue(db: Database, params: Mapping[str, Any]) -> NewIssue | None:
    """CREATE an issue in its village, routed to the village's ACTIVE deputies; ``None`` when
    the village does not exist. Raises the driver's ``ConstraintError`` on a tracking-code
    collision (nothing is written then)."""
    records = db.write(CREATE_ISSUE, params)
    if not records:
        return None
    return NewIssue(records[0]["villageName"], int(records[0]["trackers"]))


def issue_facts(db: Database, issue_id: str, deputy_id: str | None) -> IssueFacts | None:
    records = db.execute(ISSUE_FACTS, {"id": issue_id, "deputyId": deputy_id})
    if not records:
        return None
    r = records[0]
    return IssueFacts(
        status=r["status"],
        title=r["title"],
        body=r["body"],
        category=r["category"],
        area_code=r["areaCode"],
        area_name=r["areaName"],
        tracks=bool(r["tracks"]),
        my_level=r["myLevel"],
        my_name=r["myName"],
        liaisons=list(r["liaisons"]),
        my_status=r["myStatus"],
    )


def deputy_brief(db: Database, deputy_id: str) -> DeputyBrief | None:
    records = db.execute(DEPUTY_BRIEF, {"id": deputy_id})
    if not records:
        return None
    r = records[0]
    return DeputyBrief(r["id"], r["name"], r["level"], r["status"])


def change_status(db: Database, params: Mapping[str, Any]) -> bool:
    """Move an issue from ``$from`` to ``$to`` with a history entry (and an escalation edge);
    ``False`` when the issue is no longer in ``$from``."""
    return bool(db.write(CHANGE_STATUS, params))


def get_issue(db: Database, issue_id: str) -> IssueRow | None:
    records = db.execute(GET_ISSUE, {"id": issue_id})
    return IssueRow.from_map(records[0]["issue"]) if records else None


def issues_details(db: Database, issue_ids: Sequence[str]) -> dict[str, IssueDetails]:
    """History, trackers and escalations of many issues in one round trip (a DataLoader's)."""
    return {
        r["id"]: IssueDetails(
            history=[StatusStep.from_map(s) for s in r["history"]],
            trackers=list(r["trackers"]),
            escalations=[{**e, "at": native(e["at"])} for e in r["escalations"]],
        )
        for r in db.execute(ISSUE_DETAILS, {"ids": list(issue_ids)})
    }


def issue_page(
    db: Database,
    *,
    skip: int,
    limit: int,
    status: str | None = None,
    channel: str | None = None,
    category: str | None = None,
    prefix: str | None = None,
) -> tuple[int, list[IssueRow]]:
    """Issues newest first, filtered; fetches ``limit + 1`` rows to show a next page."""
    record = db.execute(
        ISSUE_PAGE,
        {
            "status": status,
            "channel": channel,
            "category": category,
            "prefix": prefix,
            "skip": skip,
            "limit": limit,
        },
    )[0]
    return int(record["total"]), [IssueRow.from_map(r) for r in record["rows"]]


def deputy_queue(
    db: Database, deputy_id: str, *, skip: int, limit: int
) -> tuple[int, list[IssueRow]]:
    """A deputy's tracked issues: open ones first, oldest first."""
    record = db.execute(
        QUEUE_PAGE,
        {"deputyId": deputy_id, "open": list(OPEN_STATUSES), "skip": skip, "limit": limit},
    )[0]
    return int(record["total"]), [IssueRow.from_map(r) for r in record["rows"]]


def public_issue(db: Database, tracking_code: str) -> PublicIssueRecord | None:
    records = db.execute(PUBLIC_ISSUE, {"code": tracking_code})
    if not records:
        return None
    r = records[0]
    return PublicIssueRecord(
        id=r["id"],
        tracking_code=r["trackingCode"],
        title=r["title"],
        body=r["body"],
        category=r["category"],
        status=r["status"],
        ticket=r["ticket"],
        created_at=native(r["createdAt"]),
        resolved_at=native(r["resolvedAt"]),
        village_code=r["villageCode"],
        village_name=r["villageName"],
        township_name=r["townshipName"],
        history=[PublicStep.from_map(s) for s in r["history"]],
        trackers=int(r["trackers"]),
        levels=list(r["levels"]),
        merged_at=native(r["mergedAt"]),
    )


def issue_by_submission_key(db: Database, key: str) -> StoredSubmission | None:
    records = db.execute(ISSUE_BY_SUBMISSION_KEY, {"key": key})
    if not records:
        return None
    r = records[0]
    return StoredSubmission(
        r["id"], r["trackingCode"], r["ticket"], r["status"], r["submissionHash"], r["trackers"]
    )


@dataclass(frozen=True)
class DispatchClaim:
    """A claim on an issue's dispatch; ``pending_ticket`` is a ticket 12345 already gave it
    whose DISPATCHED was never recorded (record it, do not ask for another)."""

    pending_ticket: str | None


def claim_dispatch(
    db: Database, issue_id: str, now: dt.datetime, stale: dt.datetime
) -> DispatchClaim | None:
    """Claim a RECEIVED issue for dispatch; ``None`` when another claim is fresh (or the
    issue left RECEIVED)."""
    records = db.write(CLAIM_DISPATCH, {"id": issue_id, "now": now, "stale": stale})
    return DispatchClaim(records[0]["pendingTicket"]) if records else None


def release_dispatch(db: Database, issue_id: str, error: str, ticket: str | None = None) -> None:
    """Give a claim back after a failed dispatch, counting the attempt (and keeping the ticket
    12345 gave, if it gave one)."""
    db.write(RELEASE_DISPATCH, {"id": issue_id, "error": error[:500], "ticket": ticket})


def pending_dispatch(
    db: Database, before: dt.datetime, stale: dt.datetime, limit: int
) -> list[PendingDispatch]:
    """Outbox issues created before ``before`` and not claimed since ``stale``, oldest first."""
    return [
        PendingDispatch(r["id"], r["title"], r["body"], r["category"], r["areaCode"], r["areaName"])
        for r in db.execute(PENDING_DISPATCH, {"before": before, "stale": stale, "limit": limit})
    ]


def area_exists(db: Database, code: str) -> bool:
    return bool(db.execute(AREA_EXISTS, {"code": code}))


def villages_under(db: Database, prefix: str) -> list[VillageRef]:
    """Villages and communities whose code starts with ``prefix``, by township."""
    return [
        VillageRef(r["code"], r["name"], r["townshipCode"], r["townshipName"])
        for r in db.execute(VILLAGES_UNDER, {"prefix": prefix})
    ]
