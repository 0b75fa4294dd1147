"""Citizens' opinions from submission to closing: routing, 12345 tickets, status changes.

A submission creates an ``Issue`` ``RAISED_IN`` its village, a ``TRACKS`` edge from every
ACTIVE deputy who ``CONTACTS`` the village (all five levels) and the first status change; the
ticket gateway then issues a 12345 number and the issue becomes DISPATCHED. If the gateway
fails, the issue stays RECEIVED (the failure is logged): nothing a citizen sent is lost, and
an organizer can dispatch it later (``updateIssueStatus(…, DISPATCHED)``).

Who may do what: a deputy changes only the issues they track; organizers and admins change
any; only organizers, admins and the 12345 platform dispatch. The status machine (rule
``issue-status-machine``, :data:`graphcoord.model.TRANSITIONS`) and the escalation rule (rule
``issue-escalation``: to an ACTIVE deputy of a higher level, by default the escalating
deputy's liaison) are checked by :mod:`graphcoord.rules`. Every surface (GraphQL, the public
pages, the CLI) calls these functions, so they decide alike.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from neo4j.exceptions import ConstraintError

from graphcoord.auth import Principal
from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.model import (
    CHINA,
    AuditAction,
    Channel,
    IssueStatus,
    Level,
    is_area_code,
    now_in_china,
    significant_length,
)
from graphcoord.queries import issues as queries
from graphcoord.queries.issues import IssueDetails, IssueRow, StatusStep, VillageRef
from graphcoord.rules import (
    STATUS_RULE,
    check_escalation,
    check_transition,
    require_area_code,
    submission_problems,
)
from graphcoord.services import audit
from graphcoord.services.clocks import record_resolved, start_issue_clock
from graphcoord.services.opinions import suggest_new_issue
from graphcoord.services.tickets import TicketGateway, TicketRequest

__all__ = [
    "CITIZEN",
    "HOTLINE",
    "TRACKING_CODE",
    "Actor",
    "IssueDetails",
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
    "issue_details",
    "issue_page",
    "issues_details",
    "new_tracking_code",
    "public_issue",
    "submit_issue",
    "update_status",
    "village_page",
    "villages_under",
]

log = logging.getLogger(__name__)

TRACKING_CODE = re.compile(r"^SHS-[0-9A-Z]{8,12}$")
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MANAGERS = frozenset({"organizer", "admin"})


@dataclass(frozen=True)
class Actor:
    """Who changes an issue: a role and, for a deputy, their id."""

    role: str
    deputy_id: str | None = None
    #: The console account acting (``None`` for a bearer token or the platform).
    username: str | None = None

    @property
    def key(self) -> str:
        return f"deputy:{self.deputy_id}" if self.role == "deputy" else self.role

    @property
    def who(self) -> str:
        """How the audit trail names the actor (as :attr:`graphcoord.auth.Principal.who`)."""
        if self.username:
            return f"user:{self.username}"
        return f"token:{self.role}" + (f":{self.deputy_id}" if self.deputy_id else "")

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.role, principal.deputy_id, principal.username)


CITIZEN = Actor("citizen")
HOTLINE = Actor("12345")


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
        return submission_problems(
            self.village_code, self.title, self.body, self.category, self.contact
        )


@dataclass(frozen=True)
class SubmissionResult:
    issue_id: str
    tracking_code: str
    ticket: str | None
    status: str
    trackers: int


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
    #: When an organizer merged this issue into another on the same matter: status, ticket,
    #: history and trackers are then the other's (its text, place and code are never shown).
    merged_at: dt.datetime | None = None


@dataclass(frozen=True)
class VillagePage:
    code: str
    name: str
    township: str | None
    county: str | None
    #: Public facts only: id, name, level, workUnit, occupation, basis (never the phone).
    deputies: list[dict[str, object]]

    def by_level(self) -> list[tuple[Level, list[dict[str, object]]]]:
        """Deputies grouped by level, highest level first, empty levels left out."""
        groups = [(level, [d for d in self.deputies if d["level"] == level]) for level in Level]
        return [(level, members) for level, members in groups if members]


def village_page(db: Database, code: str) -> VillagePage:
    """The village and its covering deputies; NotFound unless ``code`` is a village."""
    found = queries.village_page(db, code) if is_area_code(code) else None
    if found is None:
        raise NotFound("village", code)
    return VillagePage(found.code, found.name, found.township, found.county, found.deputies)


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
    at = now or now_in_china()
    issue_id = f"I-{at.astimezone(CHINA):%Y%m%d}-{uuid.uuid4().hex[:10]}"
    for _attempt in range(5):
        code = new_tracking_code()
        try:
            created = queries.create_issue(
                db,
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
    if created is None:
        raise NotFound("village", submission.village_code)
    start_issue_clock(db, issue_id, at)  # due dates of the policy in force (services/clocks)
    suggest_new_issue(db, issue_id)  # the text model's category, kept on the issue (never raises)
    request = TicketRequest(
        issue_id=issue_id,
        title=submission.title,
        body=submission.body,
        category=submission.category,
        area_code=submission.village_code,
        area_name=created.village_name,
    )
    ticket = dispatch_issue(db, gateway, request, IssueStatus.RECEIVED, at)
    return SubmissionResult(
        issue_id=issue_id,
        tracking_code=code,
        ticket=ticket,
        status=(IssueStatus.DISPATCHED if ticket else IssueStatus.RECEIVED).value,
        trackers=created.trackers,
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
    at = at or now_in_china()
    try:
        ticket = gateway.issue_number(at)
        dispatch = gateway.dispatch(ticket, request, at)
    except Exception:  # the platform is down or refused: the issue waits as RECEIVED
        log.warning(
            "12345 gateway %s did not take issue %s; it stays RECEIVED",
            getattr(gateway, "name", type(gateway).__name__),
            request.issue_id,
            exc_info=True,
        )
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
    facts = queries.issue_facts(db, issue_id, actor.deputy_id)
    if facts is None:
        raise NotFound("issue", issue_id)
    if actor.role == "deputy":
        if not facts.tracks:
            raise Forbidden(f"deputy {actor.deputy_id} does not track issue {issue_id}")
    elif actor.role not in _MANAGERS:
        raise Forbidden("changing an issue's status is for its deputies, organizers and admins")
    current = IssueStatus(facts.status)
    check_transition(current, to, issue_id)
    at = now or now_in_china()
    if to is IssueStatus.DISPATCHED:
        if actor.role not in _MANAGERS:
            raise Forbidden("only the 12345 platform, organizers or admins dispatch an issue")
        request = TicketRequest(
            issue_id=issue_id,
            title=facts.title,
            body=facts.body or "",
            category=facts.category or "其他",
            area_code=facts.area_code or "",
            area_name=facts.area_name or "",
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
        by_name = facts.my_name if actor.role == "deputy" else None
        _write_change(db, issue_id, current, to, actor, by_name, note, at, escalate_to=target)
        if to is IssueStatus.RESOLVED:  # the outcome RESOLVED, timed (services/clocks)
            record_resolved(db, issue_id, at, actor.key, by_name)
    audit.record(
        db, actor, AuditAction.ISSUE_STATUS, f"issue:{issue_id}", f"{current.value} -> {to.value}"
    )
    return get_issue(db, issue_id)


def _escalation_target(
    db: Database,
    facts: queries.IssueFacts,
    actor: Actor,
    escalate_to: str | None,
    note: str | None,
) -> str:
    if note is None:
        raise BadInput("escalating needs a reason: give it as the note")
    if escalate_to is None:
        if actor.role != "deputy" or not facts.liaisons:
            raise BadInput("escalateTo is required (no liaison deputy above the caller)")
        escalate_to = sorted(facts.liaisons)[0]
    target = queries.deputy_brief(db, escalate_to)
    if target is None:
        raise NotFound("deputy", escalate_to)
    check_escalation(
        escalate_to,
        target.level,
        target.status,
        escalating_deputy=actor.deputy_id,
        escalating_level=facts.my_level if actor.role == "deputy" else None,
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
    changed = queries.change_status(
        db,
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
    if not changed:
        raise RuleViolation(
            STATUS_RULE, f"the issue is no longer {current.value} (changed meanwhile)", [issue_id]
        )


def get_issue(db: Database, issue_id: str) -> IssueRow:
    row = queries.get_issue(db, issue_id)
    if row is None:
        raise NotFound("issue", issue_id)
    return row


def issue_details(db: Database, issue_id: str) -> IssueDetails:
    """History, tracking deputies and escalations of one issue."""
    found = queries.issues_details(db, [issue_id])
    if issue_id not in found:
        raise NotFound("issue", issue_id)
    return found[issue_id]


def issues_details(db: Database, issue_ids: Sequence[str]) -> dict[str, IssueDetails]:
    """History, trackers and escalations of many issues in one round trip (a DataLoader's)."""
    return queries.issues_details(db, issue_ids)


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
    return queries.issue_page(
        db,
        skip=skip,
        limit=limit,
        status=status,
        channel=channel,
        category=category,
        prefix=prefix,
    )


def deputy_queue(
    db: Database, deputy_id: str, *, skip: int, limit: int
) -> tuple[int, list[IssueRow]]:
    """A deputy's tracked issues: open ones first, oldest first."""
    return queries.deputy_queue(db, deputy_id, skip=skip, limit=limit)


def public_issue(db: Database, tracking_code: str) -> PublicIssue:
    """The public view of an issue by its tracking code (NotFound for an unknown code); a
    duplicate merged into another issue shows that issue's status, ticket and history."""
    code = tracking_code.strip().upper()
    found = queries.public_issue(db, code) if TRACKING_CODE.match(code) else None
    if found is None:
        raise NotFound("tracking code", tracking_code)
    history = found.history
    if not history:  # seeded or imported issues: synthesise what is known
        history = [StatusStep(IssueStatus.RECEIVED.value, found.created_at, "citizen")]
        if found.status != IssueStatus.RECEIVED.value:
            history.append(StatusStep(found.status, found.resolved_at, "12345"))
    return PublicIssue(
        tracking_code=found.tracking_code,
        title=found.title,
        body=found.body or "",
        category=found.category,
        status=found.status,
        ticket=found.ticket,
        created_at=found.created_at,
        resolved_at=found.resolved_at,
        village_code=found.village_code,
        village_name=found.village_name,
        township_name=found.township_name,
        trackers=found.trackers,
        levels=sorted(found.levels, key=lambda lv: Level(lv).rank),
        history=history,
        merged_at=found.merged_at,
    )


def new_tracking_code() -> str:
    """``SHS-`` and 10 characters of an unambiguous alphabet (50 bits: not guessable)."""
    return "SHS-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def villages_under(db: Database, area_code: str) -> list[VillageRef]:
    """Villages and communities inside ``area_code`` (itself if it is one), by township."""
    require_area_code(area_code)
    if not queries.area_exists(db, area_code):
        raise NotFound("area", area_code)
    return queries.villages_under(db, area_code[: significant_length(area_code)])
