"""Citizens' opinions from submission to closing: routing, 12345 tickets, the status machine.

A submission creates an ``Issue`` ``RAISED_IN`` its village, a ``TRACKS`` edge from every
ACTIVE deputy who ``CONTACTS`` the village (all five levels) and the first status change; the
ticket gateway then issues a 12345 number and the issue becomes DISPATCHED. If the gateway
fails, the issue stays RECEIVED: nothing a citizen sent is lost, and an organizer can dispatch
it later (``updateIssueStatus(…, DISPATCHED)``).

Status history is a chain of nodes, ``(:Issue)-[:HAD_STATUS]->(:StatusChange {id, seq, status,
from, at, by, byName, note})``: ``id`` is ``<issue id>#<seq>``, ``by`` is ``citizen``,
``12345``, ``organizer``, ``admin`` or ``deputy:<id>``. Seeded issues have no history nodes;
readers show their creation and current status instead.

The status machine (rule ``issue-status-machine``)::

    RECEIVED -> DISPATCHED -> IN_PROGRESS -> RESOLVED -> CLOSED
                DISPATCHED | IN_PROGRESS -> ESCALATED -> IN_PROGRESS | RESOLVED

Escalation (rule ``issue-escalation``) records ``(Issue)-[:ESCALATED_TO {at, reason}]->(Deputy)``
to an ACTIVE deputy of a higher level than the escalating deputy (by default the one who is
``LIAISON_FOR`` them) who then also tracks the issue.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.model import Channel, IssueStatus, Level, significant_length
from graphcoord.queries.meta import bump_version
from graphcoord.tickets import TicketGateway, TicketRequest

__all__ = [
    "CATEGORIES",
    "LIMITS",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Actor",
    "IssueRow",
    "PublicIssue",
    "StatusStep",
    "Submission",
    "SubmissionResult",
    "VillagePage",
    "VillageRef",
    "deputy_queue",
    "dispatch_issue",
    "get_issue",
    "issue_page",
    "public_issue",
    "submit_issue",
    "update_status",
    "village_page",
    "villages_under",
]

#: Categories a citizen can choose (those of the seeded data, plus “other”).
CATEGORIES: tuple[str, ...] = (
    "道路交通",
    "饮水安全",
    "环境卫生",
    "教育",
    "医疗卫生",
    "养老服务",
    "劳动就业",
    "农业农村",
    "基础设施",
    "营商环境",
    "其他",
)
#: (min, max) characters after trimming; contact min 0 = optional.
LIMITS: dict[str, tuple[int, int]] = {"title": (4, 60), "body": (10, 2000), "contact": (0, 60)}

TRANSITIONS: dict[IssueStatus, frozenset[IssueStatus]] = {
    IssueStatus.RECEIVED: frozenset({IssueStatus.DISPATCHED}),
    IssueStatus.DISPATCHED: frozenset({IssueStatus.IN_PROGRESS, IssueStatus.ESCALATED}),
    IssueStatus.IN_PROGRESS: frozenset({IssueStatus.RESOLVED, IssueStatus.ESCALATED}),
    IssueStatus.ESCALATED: frozenset({IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED}),
    IssueStatus.RESOLVED: frozenset({IssueStatus.CLOSED}),
    IssueStatus.CLOSED: frozenset(),
}
OPEN_STATUSES: tuple[str, ...] = tuple(
    s.value for s in IssueStatus if s not in (IssueStatus.RESOLVED, IssueStatus.CLOSED)
)
STATUS_RULE = "issue-status-machine"
ESCALATION_RULE = "issue-escalation"
TRACKING_CODE = re.compile(r"^SHS-[0-9A-Z]{8,12}$")
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# --- Cypher ---------------------------------------------------------------------------------

VILLAGE_PAGE: LiteralString = """
MATCH (v:Area {code: $code}) WHERE v.kind IN ['VILLAGE', 'COMMUNITY']
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

CREATE_ISSUE: LiteralString = """
MATCH (v:Area {code: $villageCode}) WHERE v.kind IN ['VILLAGE', 'COMMUNITY']
CREATE (i:Issue {id: $id, title: $title, body: $body, category: $category, channel: $channel,
                 status: 'RECEIVED', createdAt: $at, areaCode: v.code,
                 trackingCode: $trackingCode, contact: $contact})
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

ISSUE_FACTS: LiteralString = """
MATCH (i:Issue {id: $id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (me:Deputy {id: $deputyId})
RETURN i.status AS status, i.title AS title, i.body AS body, i.category AS category,
       i.areaCode AS areaCode, v.name AS areaName,
       me IS NOT NULL AND exists { (me)-[:TRACKS]->(i) } AS tracks,
       me.level AS myLevel, me.name AS myName,
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
    i.closedAt = CASE WHEN $to = 'CLOSED' THEN $at ELSE i.closedAt END
WITH i
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_STATUS]->(s:StatusChange)
  RETURN coalesce(max(s.seq), -1) + 1 AS seq
}
CREATE (i)-[:HAD_STATUS]->(:StatusChange {id: i.id + '#' + toString(seq), seq: seq,
        status: $to, from: $from, at: $at, by: $by, byName: $byName, note: $note})
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
  RETURN collect(s {.seq, .status, .from, .at, .by, .byName, .note}) AS history
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
MATCH (i:Issue {trackingCode: $code})
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
CALL (i) {
  OPTIONAL MATCH (i)-[:HAD_STATUS]->(s:StatusChange)
  WITH s ORDER BY s.seq
  RETURN collect(s {.status, .at, .by, .byName, .note}) AS history
}
CALL (i) {
  OPTIONAL MATCH (d:Deputy)-[:TRACKS]->(i)
  RETURN count(d) AS trackers, collect(DISTINCT d.level) AS levels
}
RETURN i.id AS id, i.trackingCode AS trackingCode, i.title AS title, i.body AS body,
       i.category AS category, i.status AS status, i.ticket AS ticket,
       i.createdAt AS createdAt, i.resolvedAt AS resolvedAt, v.code AS villageCode,
       v.name AS villageName, t.name AS townshipName, history, trackers, levels
"""


# --- Types ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who changes an issue: a role and, for a deputy, their id."""

    role: str
    deputy_id: str | None = None

    @property
    def key(self) -> str:
        return f"deputy:{self.deputy_id}" if self.role == "deputy" else self.role


CITIZEN = Actor("citizen")
HOTLINE = Actor("12345")
_MANAGERS = frozenset({"organizer", "admin"})


@dataclass(frozen=True)
class Submission:
    """What a citizen (or an organizer typing a call in) submits, already trimmed."""

    village_code: str
    title: str
    body: str
    category: str
    contact: str | None = None
    channel: Channel = Channel.QR

    @classmethod
    def clean(
        cls,
        village_code: str,
        title: str,
        body: str,
        category: str,
        contact: str | None = None,
        channel: Channel = Channel.QR,
    ) -> Submission:
        """Trim the texts and drop control characters; validation comes after."""

        def tidy(text: str | None) -> str:
            return _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()

        return cls(
            village_code=tidy(village_code),
            title=tidy(title),
            body=tidy(body),
            category=tidy(category),
            contact=tidy(contact) or None,
            channel=channel,
        )

    def problems(self) -> dict[str, str]:
        """Field -> a clear Chinese message for each invalid field (empty when valid)."""
        problems: dict[str, str] = {}
        if not re.fullmatch(r"\d{12}", self.village_code):
            problems["village"] = "村（社区）代码应为12位数字。"
        labels = {"title": "标题", "body": "内容", "contact": "联系方式"}
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name) or ""
            if name != "contact" and not value:
                problems[name] = f"请填写{labels[name]}。"
            elif len(value) < low:
                problems[name] = f"{labels[name]}至少需要{low}个字。"
            elif len(value) > high:
                problems[name] = f"{labels[name]}不能超过{high}个字（现在{len(value)}个字）。"
        if self.category not in CATEGORIES:
            problems["category"] = "请选择一个问题类别。"
        return problems


@dataclass(frozen=True)
class SubmissionResult:
    issue_id: str
    tracking_code: str
    ticket: str | None
    status: str
    trackers: int


@dataclass(frozen=True)
class StatusStep:
    """One entry of an issue's status history."""

    status: str
    at: dt.datetime | None
    by: str
    by_name: str | None = None
    note: str | None = None
    from_status: str | None = None


@dataclass(frozen=True)
class IssueRow:
    """An issue as the data layer returns it (``contact`` is private)."""

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
            created_at=_native(row.get("createdAt")),
            resolved_at=_native(row.get("resolvedAt")),
            closed_at=_native(row.get("closedAt")),
            area_code=row.get("areaCode"),
            tracking_code=row.get("trackingCode"),
            contact=row.get("contact"),
        )


@dataclass(frozen=True)
class IssueDetails:
    history: list[StatusStep]
    trackers: list[str]
    escalations: list[dict[str, Any]]


@dataclass(frozen=True)
class PublicIssue:
    """What anyone holding the tracking code may see: no contact, no deputy ids."""

    tracking_code: str
    title: str
    body: str
    category: str | None
    status: str
    ticket: str | None
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None
    village_code: str | None
    village_name: str | None
    township_name: str | None
    trackers: int
    levels: list[str]
    history: list[StatusStep] = field(default_factory=list)


@dataclass(frozen=True)
class VillagePage:
    code: str
    name: str
    township: str | None
    county: str | None
    #: Public facts only: id, name, level, workUnit, occupation, basis (never the phone).
    deputies: list[dict[str, Any]]

    def by_level(self) -> list[tuple[Level, list[dict[str, Any]]]]:
        """Deputies grouped by level, highest level first, empty levels left out."""
        groups = [(level, [d for d in self.deputies if d["level"] == level]) for level in Level]
        return [(level, members) for level, members in groups if members]


# --- Functions ------------------------------------------------------------------------------


def village_page(db: Database, code: str) -> VillagePage:
    """The village and its covering deputies; NotFound unless ``code`` is a village."""
    if not re.fullmatch(r"\d{12}", code):
        raise NotFound("village", code)
    records = db.execute(VILLAGE_PAGE, {"code": code})
    if not records:
        raise NotFound("village", code)
    r = records[0]
    return VillagePage(r["code"], r["name"], r["township"], r["county"], list(r["deputies"]))


def submit_issue(
    db: Database,
    gateway: TicketGateway,
    submission: Submission,
    *,
    actor: Actor = CITIZEN,
    now: dt.datetime | None = None,
) -> SubmissionResult:
    """Validate, store and route an opinion, then dispatch it as a 12345 ticket.

    Raises BadInput (with every problem) or NotFound (unknown village). The issue is committed
    before the gateway is called, so a gateway failure loses nothing.
    """
    problems = submission.problems()
    if problems:
        raise BadInput("；".join(problems.values()))
    at = now or _now()
    issue_id = f"I-{at.astimezone(_CHINA):%Y%m%d}-{uuid.uuid4().hex[:10]}"
    for _attempt in range(5):
        code = new_tracking_code()
        try:
            records = db.write(
                CREATE_ISSUE,
                {
                    "id": issue_id,
                    "villageCode": submission.village_code,
                    "title": submission.title,
                    "body": submission.body,
                    "category": submission.category,
                    "channel": submission.channel.value,
                    "contact": submission.contact,
                    "trackingCode": code,
                    "at": at,
                    "by": actor.key,
                    "byName": None,
                },
            )
        except ConstraintError:  # a tracking-code collision: draw again
            continue
        break
    else:  # pragma: no cover - 5 collisions in a 10^15 space
        raise RuleViolation("issue-tracking-code", "could not draw a unique tracking code")
    if not records:
        raise NotFound("village", submission.village_code)
    record = records[0]
    bump_version(db)
    request = TicketRequest(
        issue_id=issue_id,
        title=submission.title,
        body=submission.body,
        category=submission.category,
        area_code=submission.village_code,
        area_name=record["villageName"],
    )
    ticket = dispatch_issue(db, gateway, request, IssueStatus.RECEIVED, at)
    return SubmissionResult(
        issue_id=issue_id,
        tracking_code=code,
        ticket=ticket,
        status=(IssueStatus.DISPATCHED if ticket else IssueStatus.RECEIVED).value,
        trackers=int(record["trackers"]),
    )


def dispatch_issue(
    db: Database,
    gateway: TicketGateway,
    request: TicketRequest,
    current: IssueStatus,
    at: dt.datetime | None = None,
    *,
    actor: Actor = HOTLINE,
    note: str | None = None,
) -> str | None:
    """Get a 12345 number, dispatch, record DISPATCHED; ``None`` if the gateway failed."""
    at = at or _now()
    try:
        ticket = gateway.issue_number(at)
        dispatch = gateway.dispatch(ticket, request, at)
    except Exception:  # the platform is down or refused: the issue waits as RECEIVED
        return None
    _write_change(
        db,
        request.issue_id,
        current,
        IssueStatus.DISPATCHED,
        actor,
        None,
        note or f"12345平台受理并派单（工单号 {dispatch.ticket}）",
        dispatch.dispatched_at,
        ticket=dispatch.ticket,
    )
    return dispatch.ticket


def update_status(
    db: Database,
    gateway: TicketGateway,
    issue_id: str,
    to: IssueStatus,
    actor: Actor,
    *,
    note: str | None = None,
    escalate_to: str | None = None,
    now: dt.datetime | None = None,
) -> IssueRow:
    """Move an issue along the status machine; refuse what the machine or the role forbids."""
    note = (note or "").strip() or None
    if note is not None and len(note) > 500:
        raise BadInput("note must be at most 500 characters")
    records = db.execute(ISSUE_FACTS, {"id": issue_id, "deputyId": actor.deputy_id})
    if not records:
        raise NotFound("issue", issue_id)
    facts = records[0]
    if actor.role == "deputy":
        if not facts["tracks"]:
            raise Forbidden(f"deputy {actor.deputy_id} does not track issue {issue_id}")
    elif actor.role not in _MANAGERS:
        raise Forbidden("changing an issue's status is for its deputies, organizers and admins")
    current = IssueStatus(facts["status"])
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (final)"
        raise RuleViolation(
            STATUS_RULE,
            f"{current.value} -> {to.value} is not allowed; from {current.value}: {allowed}",
            [issue_id],
        )
    at = now or _now()
    if to is IssueStatus.DISPATCHED:
        if actor.role not in _MANAGERS:
            raise Forbidden("only the 12345 platform, organizers or admins dispatch an issue")
        request = TicketRequest(
            issue_id=issue_id,
            title=facts["title"],
            body=facts["body"] or "",
            category=facts["category"] or "其他",
            area_code=facts["areaCode"] or "",
            area_name=facts["areaName"] or "",
        )
        ticket = dispatch_issue(db, gateway, request, current, at, actor=actor, note=note)
        if ticket is None:
            raise RuleViolation(STATUS_RULE, "the 12345 platform did not accept the ticket")
    else:
        target = None
        if to is IssueStatus.ESCALATED:
            target = _escalation_target(db, facts, actor, escalate_to, note)
        elif escalate_to is not None:
            raise BadInput("escalateTo is only meaningful with status ESCALATED")
        by_name = facts["myName"] if actor.role == "deputy" else None
        _write_change(db, issue_id, current, to, actor, by_name, note, at, escalate_to=target)
    return get_issue(db, issue_id)


def _escalation_target(
    db: Database,
    facts: Mapping[str, Any],
    actor: Actor,
    escalate_to: str | None,
    note: str | None,
) -> str:
    if note is None:
        raise BadInput("escalating needs a reason: give it as the note")
    if escalate_to is None:
        liaisons = list(facts["liaisons"])
        if actor.role != "deputy" or not liaisons:
            raise BadInput("escalateTo is required (no liaison deputy above the caller)")
        escalate_to = sorted(liaisons)[0]
    records = db.execute(DEPUTY_BRIEF, {"id": escalate_to})
    if not records:
        raise NotFound("deputy", escalate_to)
    target = records[0]
    if target["status"] != "ACTIVE":
        raise RuleViolation(ESCALATION_RULE, "the target deputy is not active", [escalate_to])
    if escalate_to == actor.deputy_id:
        raise RuleViolation(ESCALATION_RULE, "a deputy cannot escalate to themself", [escalate_to])
    mine = facts["myLevel"] if actor.role == "deputy" else None
    if mine is not None and Level(target["level"]).rank >= Level(mine).rank:
        raise RuleViolation(
            ESCALATION_RULE,
            f"escalation goes to a higher level than {facts['myLevel']}, not to {target['level']}",
            [escalate_to],
        )
    return escalate_to


def _write_change(
    db: Database,
    issue_id: str,
    current: IssueStatus,
    to: IssueStatus,
    actor: Actor,
    by_name: str | None,
    note: str | None,
    at: dt.datetime,
    *,
    ticket: str | None = None,
    escalate_to: str | None = None,
) -> None:
    records = db.write(
        CHANGE_STATUS,
        {
            "id": issue_id,
            "from": current.value,
            "to": to.value,
            "at": at,
            "by": actor.key,
            "byName": by_name,
            "note": note,
            "ticket": ticket,
            "escalateTo": escalate_to,
        },
    )
    if not records:
        raise RuleViolation(
            STATUS_RULE, f"the issue is no longer {current.value} (changed meanwhile)", [issue_id]
        )
    bump_version(db)


def get_issue(db: Database, issue_id: str) -> IssueRow:
    records = db.execute(GET_ISSUE, {"id": issue_id})
    if not records:
        raise NotFound("issue", issue_id)
    return IssueRow.from_map(records[0]["issue"])


def issue_details(db: Database, issue_id: str) -> IssueDetails:
    """History, tracking deputies and escalations of one issue."""
    found = issues_details(db, [issue_id])
    if issue_id not in found:
        raise NotFound("issue", issue_id)
    return found[issue_id]


def issues_details(db: Database, issue_ids: Sequence[str]) -> dict[str, IssueDetails]:
    """History, trackers and escalations of many issues in one round trip (a DataLoader's)."""
    return {
        r["id"]: IssueDetails(
            history=[_step(s) for s in r["history"]],
            trackers=list(r["trackers"]),
            escalations=[{**e, "at": _native(e["at"])} for e in r["escalations"]],
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
    area_code: str | None = None,
) -> tuple[int, list[IssueRow]]:
    """Issues newest first, filtered; fetches ``limit + 1`` rows to show a next page."""
    prefix = area_code[: significant_length(area_code)] if area_code else None
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


def public_issue(db: Database, tracking_code: str) -> PublicIssue:
    """The public view of an issue by its tracking code (NotFound for an unknown code)."""
    code = tracking_code.strip().upper()
    if not TRACKING_CODE.match(code):
        raise NotFound("tracking code", tracking_code)
    records = db.execute(PUBLIC_ISSUE, {"code": code})
    if not records:
        raise NotFound("tracking code", tracking_code)
    r = records[0]
    history = [_step(s) for s in r["history"]]
    created = _native(r["createdAt"])
    if not history:  # seeded or imported issues: synthesise what is known
        history = [StatusStep(IssueStatus.RECEIVED.value, created, "citizen")]
        if r["status"] != IssueStatus.RECEIVED.value:
            at = _native(r["resolvedAt"]) if r["resolvedAt"] is not None else None
            history.append(StatusStep(r["status"], at, "12345"))
    return PublicIssue(
        tracking_code=r["trackingCode"],
        title=r["title"],
        body=r["body"] or "",
        category=r["category"],
        status=r["status"],
        ticket=r["ticket"],
        created_at=created,
        resolved_at=_native(r["resolvedAt"]),
        village_code=r["villageCode"],
        village_name=r["villageName"],
        township_name=r["townshipName"],
        trackers=int(r["trackers"]),
        levels=sorted(r["levels"], key=lambda lv: Level(lv).rank),
        history=history,
    )


def new_tracking_code() -> str:
    """``SHS-`` and 10 characters of an unambiguous alphabet (50 bits: not guessable)."""
    return "SHS-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def _step(row: Mapping[str, Any]) -> StatusStep:
    return StatusStep(
        status=row["status"],
        at=_native(row.get("at")),
        by=row.get("by") or "",
        by_name=row.get("byName"),
        note=row.get("note"),
        from_status=row.get("from"),
    )


def _native(value: Any) -> Any:
    """Neo4j temporal values as Python ones (``None`` stays ``None``)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value


_CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def _now() -> dt.datetime:
    return dt.datetime.now(_CHINA).replace(microsecond=0)


VILLAGES_UNDER: LiteralString = """
MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] AND v.code STARTS WITH $prefix
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
RETURN v.code AS code, v.name AS name, t.code AS townshipCode, t.name AS townshipName
ORDER BY t.code, v.code
"""


@dataclass(frozen=True)
class VillageRef:
    code: str
    name: str
    township_code: str | None
    township_name: str | None


def villages_under(db: Database, area_code: str) -> list[VillageRef]:
    """Villages and communities inside ``area_code`` (itself if it is one), by township."""
    if not re.fullmatch(r"\d{12}", area_code):
        raise BadInput(f"area code {area_code!r} is not a 12-digit statistical division code")
    if not db.execute("MATCH (a:Area {code: $code}) RETURN a.code", {"code": area_code}):
        raise NotFound("area", area_code)
    prefix = area_code[: significant_length(area_code)]
    return [
        VillageRef(r["code"], r["name"], r["townshipCode"], r["townshipName"])
        for r in db.execute(VILLAGES_UNDER, {"prefix": prefix})
    ]
