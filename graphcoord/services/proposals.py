"""Proposals (议案建议) as a workflow: draft, co-sign, link contributors, submit, assign to
handling units, reply (A/B/C), rate, re-handle, supervise.

Who may do what, as the law gives it (代表法: deputies propose; the standing committee's
office assigns to the handling units and supervises; the units reply to the deputies; the
deputies say whether they are satisfied), and what graphcoord records for each:

- a **deputy** drafts a proposal and leads it (领衔); co-signs a draft of their own congress
  for themself only (同级联名, rule ``cosponsor-same-level``) and withdraws that signature;
  links deputies of other levels as contributors to their own proposal (跨层级协同); submits
  their own draft (rule ``motion-needs-cosponsors`` for a motion); rates the reply to their
  own proposal (满意 / 基本满意 / 不满意; 不满意 sends it back once for re-handling);
- **organizers** (the congress office) assign a submitted proposal to one lead unit and any
  assisting units (交办; re-assign until the first reply), record the lead unit's reply on
  its behalf (units have no accounts: they reply through the office), and put a proposal
  under key supervision (重点督办);
- **admins** may do everything, naming the deputy they act for.

Reply deadlines are calendar months (:func:`graphcoord.deadlines.proposal_reply_due`); colours
are those of the three-colour supervision (:func:`graphcoord.deadlines.reply_supervision`);
every step that someone must act on puts a notification in the outbox
(:func:`graphcoord.services.notifications.enqueue`).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphcoord.db import Database
from graphcoord.deadlines import (
    Supervision,
    finished_late,
    proposal_reopens,
    proposal_reply_due,
    reply_supervision,
    thresholds,
)
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.i18n import N_, Term
from graphcoord.model import (
    AWAITING_REPLY,
    CHINA,
    LEVEL_NAMES,
    MAX_ORIGIN_ISSUES,
    MAX_PROPOSAL_HANDLERS,
    PROPOSAL_KIND_NAMES,
    PROPOSAL_LIMITS,
    PROPOSAL_OPEN_STATUSES,
    PROPOSAL_STATUS_NAMES,
    PROPOSAL_YELLOW_WITHIN,
    REPLY_CATEGORY_NAMES,
    SATISFACTION_NAMES,
    AuditAction,
    Level,
    ProposalEventKind,
    ProposalKind,
    ProposalStatus,
    ReplyCategory,
    Satisfaction,
    congress_area,
    now_in_china,
)
from graphcoord.queries import proposals as queries
from graphcoord.queries.departments import departments_by_id
from graphcoord.queries.proposals import (
    IssueEvidence,
    ProposalDetails,
    ProposalEventRow,
    ProposalRow,
)
from graphcoord.rules import (
    PROPOSAL_RATING_RULE,
    PROPOSAL_STATUS_RULE,
    SponsorFacts,
    check_contributor,
    check_cosponsor,
    check_handlers,
    check_motion_sponsors,
    check_proposal_status,
    check_reply_unit,
    text_problem,
)
from graphcoord.services import audit, opinions
from graphcoord.services.clocks import china_day
from graphcoord.services.notifications import enqueue
from graphcoord.services.supervision import organizer_of
from graphcoord.workdays import UnknownCalendarYear

__all__ = [
    "MANAGERS",
    "IssueEvidence",
    "ProposalActor",
    "ProposalDetails",
    "ProposalEventRow",
    "ProposalReminders",
    "ProposalRow",
    "assign",
    "clock",
    "collect_reminders",
    "cosign",
    "draft",
    "draft_from_issues",
    "draft_from_topic",
    "get",
    "link_contributor",
    "page",
    "proposal_details",
    "proposals_by_id",
    "rate",
    "reply",
    "submit",
    "supervise",
    "supervision_of",
    "today",
    "withdraw_cosignature",
]

log = logging.getLogger(__name__)

#: The congress office: assigns, records replies, supervises.
MANAGERS = frozenset({"organizer", "admin"})
#: Proposals read per round trip by the reminder run.
_BATCH = 500
#: How far in the future a recorded time may lie (clocks of two machines differ a little).
_SKEW = dt.timedelta(minutes=5)


class ProposalActor(Protocol):
    """Who takes a step: :class:`graphcoord.services.issues.Actor` is one."""

    @property
    def role(self) -> str: ...

    @property
    def deputy_id(self) -> str | None: ...

    @property
    def key(self) -> str: ...

    @property
    def who(self) -> str: ...


# -- reads -------------------------------------------------------------------------------------


def proposals_by_id(db: Database, ids: Sequence[str]) -> dict[str, ProposalRow]:
    """Proposals by id in one round trip (a DataLoader's)."""
    return queries.proposals_by_id(db, ids)


def proposal_details(db: Database, ids: Sequence[str]) -> dict[str, ProposalDetails]:
    """Co-sponsors, contributors, origin issues, log and reviews of many proposals in one round
    trip (a DataLoader's)."""
    return queries.proposal_details(db, ids)


def get(db: Database, proposal_id: str) -> ProposalRow:
    """One proposal (NotFound for an unknown id)."""
    found = queries.proposals_by_id(db, [proposal_id]).get(proposal_id)
    if found is None:
        raise NotFound("proposal", proposal_id)
    return found


def page(
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
) -> tuple[int, list[ProposalRow]]:
    """Proposals matching the filters, newest first (``limit + 1`` read), in two round trips."""
    total, ids = queries.proposal_page(
        db,
        session=session,
        level=level,
        kind=kind,
        status=status,
        supervised=supervised,
        deputy_id=deputy_id,
        department_id=department_id,
        issue_id=issue_id,
        skip=skip,
        limit=limit,
    )
    found = queries.proposals_by_id(db, ids) if ids else {}
    return total, [found[i] for i in ids if i in found]


def supervision_of(row: ProposalRow, as_of: dt.date | None = None) -> Supervision | None:
    """The colour of a proposal's reply on ``as_of`` (today in China by default): waiting for
    the reply of its round (ASSIGNED, REHANDLING), or replied (on time or late); ``None``
    before the assignment, or when the calendar of a date involved is not known yet."""
    due = row.current_due
    if due is None:
        return None
    day = as_of or now_in_china().date()
    replied: dt.date | None = None
    if row.status not in AWAITING_REPLY and row.replied_at is not None:
        replied = china_day(row.replied_at)
    try:
        return reply_supervision(due, replied, thresholds(day, PROPOSAL_YELLOW_WITHIN))
    except UnknownCalendarYear as error:
        log.warning("no colour for proposal %s: %s", row.id, error)
        return None


def clock(db: Database, now: dt.datetime | None = None) -> dt.datetime:
    """When a step happens: ``now`` when given, else now in China — on the day the settings
    pin (``GRAPHCOORD_TODAY``: tests, demos, replaying a past day) when they pin one."""
    if now is not None:
        return now
    current = now_in_china()
    pinned = db.settings.today
    return current if pinned is None else dt.datetime.combine(pinned, current.timetz())


def today(db: Database) -> dt.date:
    """The day the workflows take as today (see :func:`clock`)."""
    return clock(db).date()


# -- helpers -----------------------------------------------------------------------------------


#: The proposal's texts, named in messages (translated where shown).
_TEXT_NAMES = (N_("title"), N_("body"), N_("session"), N_("comment"))


def _text(value: str | None, what: str, *, required: bool) -> str | None:
    low, high = PROPOSAL_LIMITS[what]
    problem = text_problem(value, what, high, required=required)
    if problem:
        raise BadInput(problem.template, **problem.params)
    text = (value or "").strip()
    if text and len(text) < low:
        raise BadInput("{what} must have at least {low} characters", what=Term(what), low=low)
    return text or None


def _when(
    db: Database, at: dt.datetime | None, now: dt.datetime | None, earliest: dt.datetime | None
) -> dt.datetime:
    """When a step happened: now, or the time an organizer records for a unit."""
    current = clock(db, now)
    if at is None:
        return current
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)
    if at > current + _SKEW:
        raise BadInput("at {at} lies in the future", at=at.isoformat())
    if earliest is not None and at < earliest:
        raise BadInput(
            "at {at} is before the step it follows ({earliest})",
            at=at.isoformat(),
            earliest=earliest.isoformat(),
        )
    return at.replace(microsecond=0)


def _facts(db: Database, deputy_ids: Sequence[str]) -> dict[str, queries.DeputyFacts]:
    return queries.deputy_facts(db, deputy_ids)


def _sponsor(facts: queries.DeputyFacts) -> SponsorFacts:
    return SponsorFacts(facts.id, facts.level, facts.elected_in, facts.status)


def _lead(row: ProposalRow) -> SponsorFacts:
    if row.lead is None:  # a stored proposal always has its lead; a broken import might not
        raise RuleViolation(PROPOSAL_STATUS_RULE, "the proposal has no lead deputy", [row.id])
    return SponsorFacts(row.lead.id, row.level, row.lead.elected_in, row.lead.status)


def _acting_deputy(actor: ProposalActor, deputy_id: str | None, what: str) -> str:
    """The deputy a step is taken for: a deputy acts for themself only; an admin names one."""
    if actor.role == "deputy":
        if actor.deputy_id is None:
            raise Forbidden("a deputy token names its deputy")
        if deputy_id not in (None, actor.deputy_id):
            raise Forbidden(
                "a deputy {what} for themself only, not for deputy {deputy}",
                what=Term(what),
                deputy=deputy_id,
            )
        return actor.deputy_id
    if actor.role == "admin":
        if not deputy_id:
            raise BadInput("an admin names the deputy (deputyId) who {what}", what=Term(what))
        return deputy_id
    raise Forbidden("deputies {what}; your role is {role}", what=Term(what), role=Term(actor.role))


def _lead_or_admin(actor: ProposalActor, row: ProposalRow, what: str) -> None:
    if actor.role == "admin":
        return
    if actor.role == "deputy" and row.lead is not None and actor.deputy_id == row.lead.id:
        return
    if actor.role == "deputy":
        raise Forbidden(
            "{what} is for the lead deputy of proposal {proposal} (领衔代表)",
            what=Term(what),
            proposal=row.id,
        )
    raise Forbidden(
        "{what} is for the lead deputy (or an admin); your role is {role}",
        what=Term(what),
        role=Term(actor.role),
    )


def _managers_only(actor: ProposalActor, what: str) -> None:
    if actor.role not in MANAGERS:
        raise Forbidden(
            "{what} is for the congress office (organizers, admins); your role is {role}",
            what=Term(what),
            role=Term(actor.role),
        )


def _event(
    kind: ProposalEventKind, at: dt.datetime, actor: ProposalActor, **extra: Any
) -> dict[str, Any]:
    return {"kind": kind.value, "at": at, "by": actor.key, **extra}


def _office(row: ProposalRow) -> list[str]:
    office = organizer_of(row.congress_area_code)
    return [office] if office else []


def _label(row: ProposalRow) -> str:
    return f"{PROPOSAL_KIND_NAMES.get(row.kind, row.kind)}《{row.title}》"


def _audited(
    db: Database,
    actor: ProposalActor,
    action: AuditAction,
    proposal_id: str,
    detail: str | None = None,
) -> ProposalRow:
    """Leave the step in the audit trail (a step that changed nothing is not one) and read the
    proposal as it now stands."""
    audit.record(db, actor, action, f"proposal:{proposal_id}", detail)
    return get(db, proposal_id)


def _new_id(at: dt.datetime) -> str:
    return f"P-{at.astimezone(CHINA):%Y%m%d}-{uuid.uuid4().hex[:10]}"


# -- drafting ----------------------------------------------------------------------------------


def draft(
    db: Database,
    actor: ProposalActor,
    *,
    kind: ProposalKind,
    title: str,
    body: str | None = None,
    session: str | None = None,
    issue_ids: Sequence[str] = (),
    sponsor_id: str | None = None,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """Store a draft led by the acting deputy (an admin names the lead): its level and congress
    are the lead's; ``issue_ids`` are the citizens' issues it addresses (its origin)."""
    lead_id = _acting_deputy(actor, sponsor_id, N_("draft proposals"))
    title_text = _text(title, "title", required=True)
    body_text = _text(body, "body", required=False)
    session_text = _text(session, "session", required=False)
    wanted = list(dict.fromkeys(str(i) for i in issue_ids))
    if len(wanted) > MAX_ORIGIN_ISSUES:
        raise BadInput(
            "a proposal carries at most {limit} issues, not {count}",
            limit=MAX_ORIGIN_ISSUES,
            count=len(wanted),
        )
    lead = _facts(db, [lead_id]).get(lead_id)
    if lead is None:
        raise NotFound("deputy", lead_id)
    if lead.status != "ACTIVE":
        raise RuleViolation(
            PROPOSAL_STATUS_RULE,
            "deputy {deputy} is {status}: only ACTIVE deputies propose",
            [lead_id],
            deputy=lead_id,
            status=Term(lead.status),
        )
    if wanted:
        found = queries.issue_evidence(db, wanted)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFound("issue", missing[0])
    at = clock(db, now)
    proposal_id = _new_id(at)
    props = {
        "kind": kind.value,
        "title": title_text,
        "body": body_text,
        "session": session_text,
        "congressLevel": lead.level,
        "congressAreaCode": congress_area(lead.level, lead.elected_in),
    }
    event = _event(ProposalEventKind.DRAFTED, at, actor, byName=lead.name, deputyId=lead_id)
    if not queries.create_draft(db, proposal_id, lead_id, props, wanted, event):
        raise NotFound("deputy", lead_id)  # pragma: no cover - checked a moment ago
    return _audited(db, actor, AuditAction.PROPOSAL_DRAFTED, proposal_id, title_text)


def _evidence_text(issues: Sequence[IssueEvidence]) -> str:
    """The body of a draft carried up from citizens' issues: each issue with its village, 12345
    ticket and the deputies who track it (the evidence offices ask for)."""
    lines = [
        f"群众通过“码上协同”等渠道反映{len(issues)}件意见，涉及"
        f"{len({i.area_code for i in issues})}个村（社区）：",
    ]
    for n, issue in enumerate(issues, start=1):
        place = "".join(x for x in (issue.township_name, issue.village_name) if x) or "—"
        ticket = f"，12345工单{issue.ticket}" if issue.ticket else ""
        ranked = sorted(issue.trackers, key=lambda t: (Level(t.level).rank, t.id))
        who = "、".join(f"{t.name}（{LEVEL_NAMES[t.level]}）" for t in ranked[:5])
        more = f"等{len(ranked)}名代表" if len(ranked) > 5 else ""
        tracked = f"；跟踪代表：{who}{more}" if who else ""
        lines.append(f"{n}. {place}：{issue.title}（{issue.id}{ticket}{tracked}）")
    return "\n".join(lines)


def draft_from_issues(
    db: Database,
    actor: ProposalActor,
    issue_ids: Sequence[str],
    *,
    kind: ProposalKind = ProposalKind.SUGGESTION,
    title: str | None = None,
    session: str | None = None,
    sponsor_id: str | None = None,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """A draft that carries citizens' issues up: it addresses them, and its body lists each one
    with its village, ticket and tracking deputies as evidence; the title defaults to the
    issues' common category (关于…问题的建议)."""
    wanted = list(dict.fromkeys(str(i) for i in issue_ids))
    if not wanted:
        raise BadInput("give at least one issue (issueIds)")
    if len(wanted) > MAX_ORIGIN_ISSUES:
        raise BadInput(
            "a proposal carries at most {limit} issues, not {count}",
            limit=MAX_ORIGIN_ISSUES,
            count=len(wanted),
        )
    _acting_deputy(actor, sponsor_id, N_("draft proposals"))
    found = queries.issue_evidence(db, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound("issue", missing[0])
    issues = [found[i] for i in wanted]
    if title is None:
        categories = {i.category for i in issues if i.category}
        subject = categories.pop() if len(categories) == 1 else issues[0].title
        noun = PROPOSAL_KIND_NAMES[kind.value]
        title = f"关于解决群众反映的{subject}问题的{noun}"[: PROPOSAL_LIMITS["title"][1]]
    return draft(
        db,
        actor,
        kind=kind,
        title=title,
        body=_evidence_text(issues),
        session=session,
        issue_ids=wanted,
        sponsor_id=sponsor_id,
        now=now,
    )


def draft_from_topic(
    db: Database,
    actor: ProposalActor,
    topic_id: str,
    *,
    kind: ProposalKind = ProposalKind.SUGGESTION,
    session: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[opinions.ProposalDraft, ProposalRow | None]:
    """The draft of a hot topic (:func:`graphcoord.services.opinions.draft_proposal_from_topic`)
    and, stored from it, a draft proposal addressing the topic's issues: led by the calling
    deputy, or (an admin calling) by the topic's suggested lead. Organizers get the draft's
    facts only: proposing is the deputies' (nothing is stored, the proposal is ``None``), as
    it is when no deputy of the topic's level covers its villages."""
    found = opinions.draft_proposal_from_topic(db, topic_id, actor.role)
    if actor.role == "deputy":
        lead_id: str | None = actor.deputy_id
    elif actor.role == "admin":
        lead_id = found.lead.id if found.lead else None
    else:
        return found, None
    if lead_id is None:
        return found, None
    stored = draft(
        db,
        actor,
        kind=kind,
        title=found.title[: PROPOSAL_LIMITS["title"][1]],
        body=found.summary,
        session=session,
        issue_ids=found.origin_issues[:MAX_ORIGIN_ISSUES],
        sponsor_id=lead_id,
        now=now,
    )
    return found, stored


# -- sponsors and contributors -----------------------------------------------------------------


def cosign(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    deputy_id: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """A deputy of the draft's congress co-signs it (同级联名; rule ``cosponsor-same-level``);
    signing again changes nothing."""
    signer = _acting_deputy(actor, deputy_id, N_("co-sign proposals"))
    row = get(db, proposal_id)
    check_proposal_status(proposal_id, row.status, [ProposalStatus.DRAFT.value], N_("co-signing"))
    if row.lead is not None and row.lead.id == signer:
        return row
    facts = _facts(db, [signer]).get(signer)
    if facts is None:
        raise NotFound("deputy", signer)
    check_cosponsor(_lead(row), _sponsor(facts), proposal_id)
    details = proposal_details(db, [proposal_id]).get(proposal_id, ProposalDetails())
    if signer in details.co_sponsors:
        return row
    event = _event(
        ProposalEventKind.COSIGNED, clock(db, now), actor, byName=facts.name, deputyId=signer
    )
    if not queries.cosign(db, proposal_id, signer, event):
        raise RuleViolation(
            PROPOSAL_STATUS_RULE, "the draft was submitted meanwhile", [proposal_id]
        )
    return _audited(db, actor, AuditAction.PROPOSAL_COSIGNED, proposal_id, signer)


def withdraw_cosignature(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    deputy_id: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """A co-sponsor withdraws their signature from a draft (before it is submitted)."""
    signer = _acting_deputy(actor, deputy_id, N_("withdraw their co-signature"))
    row = get(db, proposal_id)
    check_proposal_status(
        proposal_id, row.status, [ProposalStatus.DRAFT.value], N_("withdrawing a co-signature")
    )
    if row.lead is not None and row.lead.id == signer:
        raise RuleViolation(
            PROPOSAL_STATUS_RULE,
            "the lead deputy leads the draft; they do not co-sign it",
            [proposal_id, signer],
        )
    details = proposal_details(db, [proposal_id]).get(proposal_id, ProposalDetails())
    if signer not in details.co_sponsors:
        raise NotFound("co-signature of deputy", signer)
    facts = _facts(db, [signer]).get(signer)
    event = _event(
        ProposalEventKind.COSIGN_WITHDRAWN,
        clock(db, now),
        actor,
        byName=facts.name if facts else None,
        deputyId=signer,
    )
    if not queries.withdraw_cosign(db, proposal_id, signer, event):
        raise RuleViolation(
            PROPOSAL_STATUS_RULE, "the draft was submitted meanwhile", [proposal_id]
        )
    return _audited(db, actor, AuditAction.PROPOSAL_COSIGN_WITHDRAWN, proposal_id, signer)


def link_contributor(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    deputy_id: str,
    note: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """The lead deputy links a deputy of another level (or congress) who contributed — the
    finding, the research — to their proposal (跨层级协同; rule ``contributor-not-sponsor``).
    Linking the same contributor again changes nothing."""
    row = get(db, proposal_id)
    _lead_or_admin(actor, row, N_("linking a contributor"))
    note_text = _text(note, "comment", required=False)
    facts = _facts(db, [deputy_id]).get(deputy_id)
    if facts is None:
        raise NotFound("deputy", deputy_id)
    details = proposal_details(db, [proposal_id]).get(proposal_id, ProposalDetails())
    sponsors = [*details.co_sponsors, *([row.lead.id] if row.lead else [])]
    check_contributor(_sponsor(facts), sponsors, proposal_id)
    if deputy_id in {c.deputy_id for c in details.contributors}:
        return row
    at = clock(db, now)
    event = _event(
        ProposalEventKind.CONTRIBUTOR_LINKED,
        at,
        actor,
        byName=facts.name,
        deputyId=deputy_id,
        text=note_text,
    )
    if not queries.link_contributor(db, proposal_id, deputy_id, event):
        return get(db, proposal_id)  # linked meanwhile (or became a sponsor): nothing to add
    enqueue(
        db,
        "proposal.contributor",
        proposal_id,
        [f"deputy:{deputy_id}"],
        "LINKED",
        {
            "proposalId": proposal_id,
            "title": row.title,
            "message": f"【跨层级协同】您已作为协同代表参与{_label(row)}。",
        },
        now=at,
    )
    return _audited(db, actor, AuditAction.PROPOSAL_CONTRIBUTOR_LINKED, proposal_id, deputy_id)


# -- submission --------------------------------------------------------------------------------


def submit(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    session: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """The lead deputy submits their draft to a session (提交). A motion needs its co-sponsors
    (rule ``motion-needs-cosponsors``); every co-sponsor must still sit in the lead's congress
    and be ACTIVE (rule ``cosponsor-same-level``). The congress office is notified."""
    row = get(db, proposal_id)
    _lead_or_admin(actor, row, N_("submitting a proposal"))
    check_proposal_status(proposal_id, row.status, [ProposalStatus.DRAFT.value], N_("submitting"))
    chosen = _text(session, "session", required=False) or row.session
    if not chosen:
        raise BadInput(
            "a proposal is submitted to a session: give session (e.g. 宿迁市人大2025年会议)"
        )
    details = proposal_details(db, [proposal_id]).get(proposal_id, ProposalDetails())
    lead = _lead(row)
    if lead.status != "ACTIVE":
        raise RuleViolation(
            PROPOSAL_STATUS_RULE,
            "the lead deputy {deputy} is {status}",
            [proposal_id],
            deputy=lead.deputy_id,
            status=Term(str(lead.status)),
        )
    co = _facts(db, details.co_sponsors)
    for deputy_id in details.co_sponsors:
        found = co.get(deputy_id)
        facts = _sponsor(found) if found else SponsorFacts(deputy_id, None, None, None)
        check_cosponsor(lead, facts, proposal_id)
    sponsors = 1 + len(details.co_sponsors)
    check_motion_sponsors(proposal_id, row.kind, row.level, sponsors)
    at = clock(db, now)
    event = _event(
        ProposalEventKind.SUBMITTED,
        at,
        actor,
        byName=row.lead.name if row.lead else None,
        text=chosen,
    )
    if not queries.submit(db, proposal_id, chosen, sponsors, event):
        raise RuleViolation(
            PROPOSAL_STATUS_RULE,
            "the draft changed meanwhile (submitted, or its sponsors "
            "changed): check it and submit again",
            [proposal_id],
        )
    if _office(row):
        enqueue(
            db,
            "proposal.submitted",
            proposal_id,
            _office(row),
            "SUBMITTED",
            {
                "proposalId": proposal_id,
                "title": row.title,
                "session": chosen,
                "message": f"【待交办】{row.lead.name if row.lead else ''}代表领衔的{_label(row)}"
                f"已提交{chosen}，请交办承办单位。",
            },
            now=at,
        )
    return _audited(db, actor, AuditAction.PROPOSAL_SUBMITTED, proposal_id, chosen)


# -- handling ----------------------------------------------------------------------------------


def assign(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    lead_unit_id: str,
    assisting_unit_ids: Sequence[str] = (),
    *,
    complex_: bool = False,
    note: str | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """The congress office assigns a submitted proposal to one lead unit (主办) and any
    assisting units (协办) (交办); until the first reply it may assign it again (改办), which
    replaces the units and restarts the deadline. The reply is due 3 months after the
    assignment, 6 for a complex one."""
    _managers_only(actor, N_("assigning a proposal"))
    assisting = [str(u) for u in assisting_unit_ids]
    check_handlers(proposal_id, lead_unit_id, assisting, MAX_PROPOSAL_HANDLERS)
    note_text = _text(note, "comment", required=False)
    row = get(db, proposal_id)
    check_proposal_status(
        proposal_id,
        row.status,
        [ProposalStatus.SUBMITTED.value, ProposalStatus.ASSIGNED.value],
        N_("an assignment"),
    )
    units = departments_by_id(db, [lead_unit_id, *assisting])
    for unit in [lead_unit_id, *assisting]:
        if unit not in units:
            raise NotFound("department", unit)
    when = _when(db, at, now, row.submitted_at)
    due = proposal_reply_due(china_day(when), complex_=complex_)
    lead = units[lead_unit_id]
    event = _event(
        ProposalEventKind.ASSIGNED,
        when,
        actor,
        text=note_text,
        departmentId=lead.id,
        departmentName=lead.name,
    )
    done = queries.assign(
        db, proposal_id, lead_unit_id, assisting, complex_=complex_, reply_due=due, event=event
    )
    if not done:
        raise RuleViolation(
            PROPOSAL_STATUS_RULE, "the proposal was replied to meanwhile", [proposal_id]
        )
    for unit in [lead_unit_id, *assisting]:
        role = "主办" if unit == lead_unit_id else "协办"
        enqueue(
            db,
            "proposal.assigned",
            proposal_id,
            [f"department:{unit}"],
            f"R1:{due.isoformat()}",
            {
                "proposalId": proposal_id,
                "title": row.title,
                "role": role,
                "replyDue": due.isoformat(),
                "message": f"【交办通知】{_label(row)}交由贵单位{role}，"
                + (
                    f"请于{due:%Y年%m月%d日}前书面答复代表。"
                    if role == "主办"
                    else "请于一个月内将协办意见书面告知主办单位。"
                ),
            },
            now=when,
        )
    handling = ",".join([lead_unit_id, *assisting])
    return _audited(db, actor, AuditAction.PROPOSAL_ASSIGNED, proposal_id, handling)


def reply(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    category: ReplyCategory,
    text: str,
    *,
    department_id: str | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """The congress office records the lead unit's reply (答复) on its behalf, classed A (solved
    or basically solved), B (in a plan, solved step by step) or C (cannot be solved now, kept
    for reference); ``at`` is when the unit replied. The lead deputy is asked to rate it."""
    _managers_only(actor, N_("recording a unit's reply"))
    body = _text(text, "body", required=True)
    row = get(db, proposal_id)
    check_proposal_status(proposal_id, row.status, AWAITING_REPLY, N_("a reply"))
    handlers = {h.department_id: h.role for h in row.handlers}
    unit = department_id or (row.lead_unit.department_id if row.lead_unit else "")
    check_reply_unit(proposal_id, unit, handlers)
    since = row.reopened_at if row.round > 1 else row.assigned_at
    when = _when(db, at, now, since)
    due = row.current_due
    late: int | None = None
    if due is not None:
        try:
            late = finished_late(due, china_day(when))
        except UnknownCalendarYear as error:
            log.warning("reply to %s not timed: %s", proposal_id, error)
    lead_unit = row.lead_unit
    event = _event(
        ProposalEventKind.REPLIED,
        when,
        actor,
        text=body,
        category=category.value,
        late=late,
        departmentId=unit,
        departmentName=lead_unit.name if lead_unit else None,
    )
    if not queries.reply(db, proposal_id, row.round, event):
        raise RuleViolation(
            PROPOSAL_STATUS_RULE, "the proposal was replied to meanwhile", [proposal_id]
        )
    if row.lead is not None:
        enqueue(
            db,
            "proposal.replied",
            proposal_id,
            [f"deputy:{row.lead.id}"],
            f"R{row.round}",
            {
                "proposalId": proposal_id,
                "title": row.title,
                "category": category.value,
                "message": f"【答复】{lead_unit.name if lead_unit else '承办单位'}已答复您领衔的"
                f"{_label(row)}（{REPLY_CATEGORY_NAMES[category]}），请对办理情况作出评价。",
            },
            now=when,
        )
    detail = f"{unit} {category.value}"
    return _audited(db, actor, AuditAction.PROPOSAL_REPLIED, proposal_id, detail)


def rate(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    satisfaction: Satisfaction,
    comment: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """The lead deputy's verdict on the reply of the current round (满意 / 基本满意 / 不满意),
    once per round. 不满意 on the first round sends the proposal back for re-handling
    (重新办理): round 2, the same units, a reply due one month later; any other verdict, or
    one on the last round, closes it (办结)."""
    row = get(db, proposal_id)
    _lead_or_admin(actor, row, N_("rating the reply"))
    text = _text(comment, "comment", required=False)
    if row.status != ProposalStatus.REPLIED.value or (row.rated_round or 0) >= row.round:
        raise RuleViolation(
            PROPOSAL_RATING_RULE,
            "the reply of the current round can be rated once it is given; the proposal is "
            "{status} ({status_name})",
            [proposal_id],
            status=row.status,
            status_name=PROPOSAL_STATUS_NAMES.get(row.status, row.status),
        )
    at = clock(db, now)
    if row.replied_at is not None and at < row.replied_at:
        raise BadInput("a verdict cannot come before the reply it rates")
    reopen = proposal_reopens(row.round, satisfaction.value)
    due = proposal_reply_due(china_day(at), round_=row.round + 1) if reopen else None
    name = row.lead.name if row.lead else None
    event = _event(
        ProposalEventKind.RATED, at, actor, byName=name, text=text, satisfaction=satisfaction.value
    )
    reopened = _event(
        ProposalEventKind.REOPENED,
        at,
        actor,
        byName=name,
        text=f"代表不满意，退回重新办理，应于{due}前再次答复" if due else None,
    )
    after = queries.rate(
        db, proposal_id, row.round, event, reopen=reopen, reopened=reopened, rehandling_due=due
    )
    if after is None:
        raise RuleViolation(PROPOSAL_RATING_RULE, "the reply was rated meanwhile", [proposal_id])
    if reopen and due is not None:
        units = [f"department:{h.department_id}" for h in row.handlers if h.role == "LEAD"]
        enqueue(
            db,
            "proposal.rehandling",
            proposal_id,
            units + _office(row),
            f"R{after}:{due}",
            {
                "proposalId": proposal_id,
                "title": row.title,
                "replyDue": due.isoformat(),
                "message": f"【重新办理】代表对{_label(row)}的答复"
                f"{SATISFACTION_NAMES[satisfaction]}，请重新研究办理，于{due:%Y年%m月%d日}前"
                "再次答复代表。",
            },
            now=at,
        )
    return _audited(db, actor, AuditAction.PROPOSAL_RATED, proposal_id, satisfaction.value)


def supervise(
    db: Database,
    actor: ProposalActor,
    proposal_id: str,
    note: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> ProposalRow:
    """The standing committee puts a submitted proposal under key supervision (重点督办): its
    handling units, its lead deputy and the office are told; supervising it again changes
    nothing."""
    _managers_only(actor, N_("key supervision (重点督办)"))
    note_text = _text(note, "comment", required=False)
    row = get(db, proposal_id)
    check_proposal_status(proposal_id, row.status, PROPOSAL_OPEN_STATUSES, N_("key supervision"))
    if row.supervised_at is not None:
        return row
    at = clock(db, now)
    event = _event(ProposalEventKind.SUPERVISED, at, actor, text=note_text)
    if not queries.supervise(db, proposal_id, PROPOSAL_OPEN_STATUSES, event):
        return get(db, proposal_id)  # supervised (or closed) meanwhile
    people = [f"department:{h.department_id}" for h in row.handlers]
    people += [f"deputy:{row.lead.id}"] if row.lead else []
    enqueue(
        db,
        "proposal.supervised",
        proposal_id,
        people + _office(row),
        "SUPERVISED",
        {
            "proposalId": proposal_id,
            "title": row.title,
            "note": note_text,
            "message": f"【重点督办】{_label(row)}列为人大常委会重点督办建议"
            + (f"：{note_text}" if note_text else "。"),
        },
        now=at,
    )
    return _audited(db, actor, AuditAction.PROPOSAL_SUPERVISED, proposal_id, note_text)


@dataclass(frozen=True)
class ProposalReminders:
    """What one reminder run found among proposals and put in the outbox."""

    as_of: dt.date
    due_soon: int
    overdue: int
    created: int


def collect_reminders(
    db: Database, *, as_of: dt.date | None = None, now: dt.datetime | None = None
) -> ProposalReminders:
    """Put every proposal whose reply is due soon (YELLOW) or overdue (RED) in the outbox of
    its lead unit and its congress office, once per round, due date and recipient."""
    day = as_of or today(db)
    due_soon = overdue = created = 0
    for row in _awaiting_reply(db):
        state = supervision_of(row, day)
        if state is None or state.colour.value == "GREEN":
            continue
        red = state.colour.value == "RED"
        units = [f"department:{h.department_id}" for h in row.handlers if h.role == "LEAD"]
        message = (
            f"【超期提醒】{_label(row)}应于{state.due_on:%Y年%m月%d日}前答复代表，"
            f"已超期{state.overdue_days}个工作日。"
            if red
            else f"【临期提醒】{_label(row)}请于{state.due_on:%Y年%m月%d日}前答复代表。"
        )
        created += enqueue(
            db,
            "proposal.overdue" if red else "proposal.due_soon",
            row.id,
            units + _office(row),
            f"R{row.round}:{state.due_on.isoformat()}",
            {
                "proposalId": row.id,
                "title": row.title,
                "dueOn": state.due_on.isoformat(),
                "colour": state.colour.value,
                "overdueDays": state.overdue_days,
                "message": message,
            },
            now=now,
        )
        overdue += red
        due_soon += not red
    return ProposalReminders(day, due_soon, overdue, created)


def _awaiting_reply(db: Database) -> Iterator[ProposalRow]:
    """Every proposal waiting for the reply of its round, read a page at a time."""
    for status in AWAITING_REPLY:
        skip = 0
        while True:
            total, rows = page(db, status=status, skip=skip, limit=_BATCH)
            yield from rows[:_BATCH]
            skip += _BATCH
            if skip >= total:
                break
