"""Citizens' opinions from submission to closing: routing, 12345 tickets, status changes.

A submission (:func:`submit_issue`) goes in this order, so that nothing a citizen sends is
lost or doubled:

1. **checked**: the texts (:meth:`Submission.problems`) and the idempotency key;
2. **replayed**: a key seen before returns the issue it made (same tracking code), nothing new
   is written; the key is unique in the database, so two requests racing with one key make one
   issue;
3. **stored**: one transaction creates the ``Issue`` ``RAISED_IN`` its village, a ``TRACKS``
   edge from every ACTIVE deputy who ``CONTACTS`` the village (all five levels), the first
   status change, and puts the issue in the dispatch outbox (``dispatch = 'PENDING'``). From
   here on the citizen gets the tracking code whatever happens;
4. **dispatched**: the issue is claimed, the 12345 gateway gives a ticket number and takes the
   ticket, and the issue becomes DISPATCHED (:func:`dispatch_issue`). Any failure here is
   logged and leaves the issue RECEIVED in the outbox; :func:`dispatch_pending` (the retry
   loop of ``graphcoord serve``, and ``graphcoord dispatch retry``) dispatches it later. A
   claim keeps two processes from asking 12345 twice for one issue.

Hooks that other workflows add to a submission belong after step 3 and, like step 4, must not
make the submission fail once the issue is stored.

Who may do what: a deputy changes only the issues they track; organizers and admins change
any; only organizers, admins and the 12345 platform dispatch. The status machine (rule
``issue-status-machine``, :data:`graphcoord.model.TRANSITIONS`) and the escalation rule (rule
``issue-escalation``: to an ACTIVE deputy of a higher level, by default the escalating
deputy's liaison) are checked by :mod:`graphcoord.rules`. Every surface (GraphQL, the public
pages, the CLI) calls these functions, so they decide alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from graphcoord.i18n import Term
from graphcoord.model import (
    CHINA,
    SUBMISSION_KEY,
    AuditAction,
    Channel,
    DeputyStatus,
    IssueStatus,
    Level,
    is_area_code,
    now_in_china,
    significant_length,
)
from graphcoord.queries import issues as queries
from graphcoord.queries.issues import IssueDetails, IssueRow, PublicStep, StatusStep, VillageRef
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
    "DISPATCH_CLAIM",
    "HOTLINE",
    "TRACKING_CODE",
    "Actor",
    "DispatchPass",
    "IssueDetails",
    "IssueRow",
    "PublicIssue",
    "PublicStep",
    "StatusStep",
    "Submission",
    "SubmissionResult",
    "VillagePage",
    "VillageRef",
    "deputy_queue",
    "dispatch_issue",
    "dispatch_pending",
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
#: How long a process may take to dispatch an issue it claimed before another may take over.
DISPATCH_CLAIM = dt.timedelta(minutes=5)
#: Issues younger than this are left to the request that stored them (retry loop).
DISPATCH_GRACE = dt.timedelta(seconds=5)


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

    def fingerprint(self) -> str:
        """What an idempotency key stands for: the same key must come with the same texts."""
        parts = (self.village_code, self.title, self.body, self.category, self.contact or "")
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class SubmissionResult:
    issue_id: str
    tracking_code: str
    ticket: str | None
    status: str
    trackers: int


@dataclass(frozen=True)
class DispatchPass:
    """What one pass of :func:`dispatch_pending` did."""

    found: int
    dispatched: int
    failed: int


@dataclass(frozen=True)
class PublicIssue:
    """What anyone holding the tracking code may see: no contact, no deputy ids or names, no
    staff notes (each history entry is a status, its time and the public note)."""

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
    history: list[PublicStep] = field(default_factory=list)
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
    idempotency_key: str | None = None,
    first_deputy: str | None = None,
) -> SubmissionResult:
    """Check, store and route an opinion, then dispatch it as a 12345 ticket (see the module's
    docstring for the order and why). ``first_deputy``: the ACTIVE deputy whose own page took
    the opinion (``/d/{code}``) tracks it first (``TRACKS {first: true}``, the issue's
    ``firstDeputy``), then every deputy covering the village as usual.

    Raises BadInput (with every problem, or a key reused for other texts) or NotFound (unknown
    village), before anything is written; once the issue is stored it returns its tracking
    code, dispatched or not.
    """
    problems = submission.problems()
    if problems:
        raise BadInput("；".join(problems.values()))
    key = idempotency_key.strip() if idempotency_key is not None else None
    if key is not None and not SUBMISSION_KEY.match(key):
        raise BadInput("idempotencyKey must be 16-64 letters, digits, '-' or '_' (e.g. a UUID)")
    fingerprint = submission.fingerprint()
    if key is not None:
        replay = _replayed(db, key, fingerprint)
        if replay is not None:
            return replay
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
                    "submissionKey": key,
                    "submissionHash": fingerprint,
                    "firstDeputy": first_deputy,
                },
            )
        except ConstraintError:  # the same key stored meanwhile, or a tracking-code collision
            replay = _replayed(db, key, fingerprint) if key is not None else None
            if replay is not None:
                return replay
            continue
        break
    else:  # pragma: no cover - 5 collisions in a 10^15 space
        raise RuleViolation("issue-tracking-code", "could not draw a unique tracking code")
    if created is None:
        raise NotFound("village", submission.village_code)
    # Stored: from here on nothing may keep the tracking code from the citizen.
    _after_stored(db, issue_id, at)
    request = TicketRequest(
        issue_id=issue_id,
        title=submission.title,
        body=submission.body,
        category=submission.category,
        area_code=submission.village_code,
        area_name=created.village_name,
    )
    try:
        ticket = dispatch_issue(db, gateway, request, IssueStatus.RECEIVED, at)
    except Exception:  # logged with the reason in dispatch_issue; the outbox retries it
        ticket = None
    return SubmissionResult(
        issue_id=issue_id,
        tracking_code=code,
        ticket=ticket,
        status=(IssueStatus.DISPATCHED if ticket else IssueStatus.RECEIVED).value,
        trackers=created.trackers,
    )


def _after_stored(db: Database, issue_id: str, at: dt.datetime) -> None:
    """What follows a stored submission and must never keep its tracking code from the citizen:
    the handling clock (due dates of the policy in force, :mod:`graphcoord.services.clocks`) and
    the text model's suggested category (:mod:`graphcoord.services.opinions`). A failure is
    logged; the issue stands."""
    try:
        start_issue_clock(db, issue_id, at)
    except Exception:
        log.warning("no handling clock for issue %s", issue_id, exc_info=True)
    suggest_new_issue(db, issue_id)  # never raises


def _replayed(db: Database, key: str, fingerprint: str) -> SubmissionResult | None:
    """The result of the submission ``key`` made before, or ``None``; a key that came with
    other texts is refused (it is not the same submission)."""
    stored = queries.issue_by_submission_key(db, key)
    if stored is None:
        return None
    if stored.submission_hash != fingerprint:
        raise BadInput("idempotencyKey was already used for a different submission")
    return SubmissionResult(
        issue_id=stored.id,
        tracking_code=stored.tracking_code,
        ticket=stored.ticket,
        status=stored.status,
        trackers=stored.trackers,
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
    """Claim the issue, get a 12345 number, dispatch, record DISPATCHED; the ticket, or
    ``None`` if another process holds the claim or the gateway failed (logged; the claim is
    given back so the retry loop can try again). Raises if recording DISPATCHED fails."""
    at = at or now_in_china()
    claimed_at = now_in_china()
    gateway_name = getattr(gateway, "name", type(gateway).__name__)
    claim = queries.claim_dispatch(db, request.issue_id, claimed_at, claimed_at - DISPATCH_CLAIM)
    if claim is None:
        log.info("issue %s is being dispatched by another process", request.issue_id)
        return None
    if claim.pending_ticket is not None:  # 12345 took it before; record that, ask no more
        ticket, dispatched_at = claim.pending_ticket, at
    else:
        try:
            number = gateway.issue_number(at)
            dispatch = gateway.dispatch(number, request, at)
        except Exception as error:  # the platform is down or refused: the issue waits
            log.warning(
                "12345 gateway %s did not take issue %s; it stays RECEIVED and will be retried",
                gateway_name,
                request.issue_id,
                exc_info=True,
            )
            _release(db, request.issue_id, f"{type(error).__name__}: {error}")
            return None
        ticket, dispatched_at = dispatch.ticket, dispatch.dispatched_at
    public = f"12345平台受理并派单（工单号 {ticket}）"
    try:
        _write_change(
            db,
            request.issue_id,
            current,
            IssueStatus.DISPATCHED,
            actor,
            None,
            note or public,
            dispatched_at,
            ticket=ticket,
            public_note=public,
        )
    except Exception as error:
        log.error(
            "issue %s got 12345 ticket %s from %s but DISPATCHED was not recorded; "
            "it stays RECEIVED and the retry records that ticket",
            request.issue_id,
            ticket,
            gateway_name,
            exc_info=True,
        )
        _release(db, request.issue_id, f"{type(error).__name__}: {error}", ticket)
        raise
    return ticket


def _release(db: Database, issue_id: str, error: str, ticket: str | None = None) -> None:
    try:
        queries.release_dispatch(db, issue_id, error, ticket)
    except Exception:
        log.warning("dispatch claim of issue %s not released (it expires by itself)", issue_id)


def dispatch_pending(
    db: Database,
    gateway: TicketGateway,
    *,
    now: dt.datetime | None = None,
    grace: dt.timedelta = DISPATCH_GRACE,
    limit: int = 100,
) -> DispatchPass:
    """Dispatch the issues left in the outbox (stored, never dispatched: the gateway or the
    database failed, or the process stopped), oldest first, at most ``limit`` of them."""
    now = now or now_in_china()
    found = queries.pending_dispatch(db, now - grace, now - DISPATCH_CLAIM, limit)
    dispatched = failed = 0
    for issue in found:
        request = TicketRequest(
            issue_id=issue.id,
            title=issue.title,
            body=issue.body or "",
            category=issue.category or "其他",
            area_code=issue.area_code or "",
            area_name=issue.area_name or "",
        )
        try:
            ticket = dispatch_issue(db, gateway, request, IssueStatus.RECEIVED)
        except Exception:
            ticket = None
        if ticket is None:
            failed += 1
        else:
            dispatched += 1
    if found:
        log.info(
            "dispatch retry: %d issue(s) waiting, %d dispatched, %d still waiting",
            len(found),
            dispatched,
            failed,
        )
    return DispatchPass(found=len(found), dispatched=dispatched, failed=failed)


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
    public_note: str | None = None,
) -> IssueRow:
    """Move an issue along the status machine; refuse what the machine or the role forbids.

    ``note`` is the staff's (private); ``public_note`` is what the citizen reads.
    """
    note = (note or "").strip() or None
    public_note = (public_note or "").strip() or None
    if note is not None and len(note) > 500:
        raise BadInput("note must be at most 500 characters")
    if public_note is not None and len(public_note) > 500:
        raise BadInput("publicNote must be at most 500 characters")
    facts = queries.issue_facts(db, issue_id, actor.deputy_id)
    if facts is None:
        raise NotFound("issue", issue_id)
    if actor.role == "deputy":
        if facts.my_status == DeputyStatus.LEFT.value:
            raise Forbidden("deputy {deputy} has left (status LEFT)", deputy=actor.deputy_id)
        if not facts.tracks:
            raise Forbidden(
                "deputy {deputy} does not track issue {issue}",
                deputy=actor.deputy_id,
                issue=issue_id,
            )
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
        _write_change(
            db,
            issue_id,
            current,
            to,
            actor,
            by_name,
            note,
            at,
            escalate_to=target,
            public_note=public_note,
        )
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
    public_note: str | None = None,
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
            "publicNote": public_note,
            "ticket": ticket,
            "escalateTo": escalate_to,
        },
    )
    if not changed:
        raise RuleViolation(
            STATUS_RULE,
            "the issue is no longer {status} (changed meanwhile)",
            [issue_id],
            status=Term(current.value),
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
        history = [PublicStep(IssueStatus.RECEIVED.value, found.created_at)]
        if found.status != IssueStatus.RECEIVED.value:
            history.append(PublicStep(found.status, found.resolved_at))
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
