"""Handling an issue: claim (签收), assign to a department, reply, finish with an outcome,
follow up, and the citizen's verdict that may reopen it once.

Who may do what (every surface calls these functions, so they decide alike):

- a **deputy** who covers the issue's village claims it (:func:`claim_issue`, rule
  ``issue-claim``); the claiming deputy replies and finishes it; any deputy who tracks it
  follows it up (跟踪督办);
- **organizers and admins** assign it to a department (:func:`assign_issue`) and record the
  department's replies and outcome on its behalf (departments have no accounts yet), with the
  time the department gave them (``at``);
- the **citizen** holding the tracking code rates a finished issue once per round
  (:func:`rate_issue`); 不满意 reopens it once for re-handling (重新办理) with a new clock of the
  REHANDLING policy.

An outcome finishes the issue (status CLOSED): RESOLVED (问题解决), ANSWERED (已答复但未解决) or
NOT_ACCEPTED (不予受理); the reply's text is what the citizen is told, the reason of an answer
that did not solve the problem. The Cypher and the stored facts are in
:mod:`graphcoord.queries.handling`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.i18n import N_, Term
from graphcoord.model import (
    CHINA,
    EVENT_NAMES,
    MAX_REOPENINGS,
    OUTCOME_NAMES,
    PUBLIC_EVENTS,
    AuditAction,
    HandlingEventKind,
    Outcome,
    Satisfaction,
    WorkKind,
    now_in_china,
)
from graphcoord.queries import handling as queries
from graphcoord.queries.departments import departments_by_id
from graphcoord.queries.handling import HandlingEventRow, HandlingRecord
from graphcoord.rules import (
    CLAIM_RULE,
    COMMENT_LIMIT,
    HANDLING_RULE,
    HANDLING_TEXT_LIMIT,
    RATING_RULE,
    check_claim,
    check_rating,
    check_reply,
    check_unfinished,
    text_problem,
)
from graphcoord.services import audit
from graphcoord.services.clocks import china_day, clock_params, new_clock, timing
from graphcoord.services.issues import TRACKING_CODE
from graphcoord.services.policies import Policies, load_policies

__all__ = [
    "MANAGERS",
    "HandlingActor",
    "HandlingEventRow",
    "HandlingRecord",
    "PublicHandling",
    "RatingResult",
    "assign_issue",
    "claim_issue",
    "follow_up_issue",
    "handling_of",
    "handlings",
    "public_handling",
    "rate_issue",
    "reply_issue",
]

#: Roles that assign issues and record departments' replies.
MANAGERS = frozenset({"organizer", "admin"})
#: How far in the future a recorded time may lie (clocks of two machines differ a little).
_SKEW = dt.timedelta(minutes=5)
#: Statuses an outcome may close (any but CLOSED).
_FINISHABLE = ("RECEIVED", "DISPATCHED", "IN_PROGRESS", "ESCALATED", "RESOLVED")


class HandlingActor(Protocol):
    """Who takes a step: :class:`graphcoord.services.issues.Actor` is one."""

    @property
    def role(self) -> str: ...

    @property
    def deputy_id(self) -> str | None: ...

    @property
    def key(self) -> str: ...

    @property
    def who(self) -> str: ...


def handling_of(db: Database, issue_id: str) -> HandlingRecord:
    """The handling facts of one issue (NotFound for an unknown id)."""
    found = queries.handling_records(db, [issue_id]).get(issue_id)
    if found is None:
        raise NotFound("issue", issue_id)
    return found


def handlings(db: Database, issue_ids: Sequence[str]) -> dict[str, HandlingRecord]:
    """The handling facts of many issues in one round trip (a DataLoader's)."""
    return queries.handling_records(db, issue_ids)


def _text(text: str | None, what: str, limit: int, *, required: bool) -> str | None:
    problem = text_problem(text, what, limit, required=required)
    if problem:
        raise BadInput(problem.template, **problem.params)
    return (text or "").strip() or None


def _when(at: dt.datetime | None, now: dt.datetime | None, record: HandlingRecord) -> dt.datetime:
    """When a step happened: now, or the time an organizer records for a department."""
    current = now or now_in_china()
    if at is None:
        return current
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)
    if at > current + _SKEW:
        raise BadInput("at {at} lies in the future", at=at.isoformat())
    if record.created_at is not None and at < record.created_at:
        raise BadInput("at {at} is before the issue was received", at=at.isoformat())
    return at.replace(microsecond=0)


def _managers_only(actor: HandlingActor, what: str) -> None:
    if actor.role not in MANAGERS:
        raise Forbidden(
            "{what} is for organizers and admins; your role is {role}",
            what=Term(what),
            role=Term(actor.role),
        )


def _actor_facts(db: Database, issue_id: str, actor: HandlingActor) -> queries.ActorFacts:
    facts = queries.actor_facts(db, issue_id, actor.deputy_id)
    if facts is None:
        raise NotFound("issue", issue_id)
    return facts


def claim_issue(
    db: Database, issue_id: str, actor: HandlingActor, *, now: dt.datetime | None = None
) -> HandlingRecord:
    """A deputy who covers the village claims the issue (签收); claiming it again is a no-op."""
    if actor.role != "deputy" or actor.deputy_id is None:
        raise Forbidden(
            "claiming an issue is for the deputies who cover its village; organizers assign "
            "issues to departments (assignIssue)"
        )
    record = handling_of(db, issue_id)
    if record.claimed_by == actor.deputy_id:
        return record
    facts = _actor_facts(db, issue_id, actor)
    check_claim(
        issue_id,
        actor.deputy_id,
        covers=facts.covers,
        finished=record.finished,
        claimed_by=record.claimed_by,
    )
    at = now or now_in_china()
    name = facts.name or actor.deputy_id
    event = {"kind": HandlingEventKind.CLAIMED.value, "at": at, "by": actor.key, "byName": name}
    if not queries.claim(db, issue_id, actor.deputy_id, event, f"{name} 代表签收"):
        raise RuleViolation(CLAIM_RULE, "the issue was finished or claimed meanwhile", [issue_id])
    audit.record(db, actor, AuditAction.ISSUE_CLAIMED, f"issue:{issue_id}")
    return handling_of(db, issue_id)


def assign_issue(
    db: Database,
    issue_id: str,
    department_id: str,
    actor: HandlingActor,
    *,
    note: str | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> HandlingRecord:
    """An organizer assigns the issue to a department (交办); it counts as the department's
    claim. Assigning it to another department replaces the assignment (改派)."""
    _managers_only(actor, N_("assigning an issue to a department"))
    note = _text(note, "note", HANDLING_TEXT_LIMIT, required=False)
    record = handling_of(db, issue_id)
    check_unfinished(issue_id, record.finished, N_("an assignment"))
    department = departments_by_id(db, [department_id]).get(department_id)
    if department is None:
        raise NotFound("department", department_id)
    if record.department_id == department_id:
        return record
    when = _when(at, now, record)
    event = {
        "kind": HandlingEventKind.ASSIGNED.value,
        "at": when,
        "by": actor.key,
        "text": note,
        "departmentId": department.id,
        "departmentName": department.name,
    }
    if not queries.assign(db, issue_id, department_id, event, f"交办{department.name}"):
        raise RuleViolation(HANDLING_RULE, "the issue was finished meanwhile", [issue_id])
    audit.record(db, actor, AuditAction.ISSUE_ASSIGNED, f"issue:{issue_id}", department_id)
    return handling_of(db, issue_id)


def _may_answer(actor: HandlingActor, record: HandlingRecord) -> None:
    if actor.role in MANAGERS:
        return
    if actor.role == "deputy" and actor.deputy_id and actor.deputy_id == record.claimed_by:
        return
    if actor.role == "deputy":
        raise Forbidden(
            "deputy {deputy} did not claim issue {issue}: its claiming deputy replies, or an "
            "organizer records the department's reply",
            deputy=actor.deputy_id,
            issue=record.id,
        )
    raise Forbidden(
        "replying is for the claiming deputy, organizers and admins; your role is {role}",
        role=Term(actor.role),
    )


def reply_issue(
    db: Database,
    issue_id: str,
    text: str,
    actor: HandlingActor,
    *,
    outcome: Outcome | None = None,
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> HandlingRecord:
    """Record a reply (答复) to the citizen; with an ``outcome`` it is the final reply and
    finishes the issue (办结, status CLOSED).

    The claiming deputy replies in their own name; organizers and admins record the reply of
    the assigned department on its behalf, with the time (``at``) the department gave it.
    """
    body = _text(text, "text", HANDLING_TEXT_LIMIT, required=True)
    record = handling_of(db, issue_id)
    _may_answer(actor, record)
    check_reply(issue_id, finished=record.finished, has_handler=record.claimed_at is not None)
    if at is not None and actor.role not in MANAGERS:
        raise Forbidden("only organizers and admins record a reply given earlier (at)")
    when = _when(at, now, record)
    if actor.role in MANAGERS:
        by_name = record.department_name
    else:
        by_name = _actor_facts(db, issue_id, actor).name
    event = {
        "kind": HandlingEventKind.REPLIED.value,
        "at": when,
        "by": actor.key,
        "byName": by_name,
        "text": body,
        "departmentId": record.department_id if actor.role in MANAGERS else None,
        "departmentName": record.department_name if actor.role in MANAGERS else None,
    }
    if outcome is None:
        done = queries.reply(db, issue_id, event)
    else:
        took = timing(record.clock_from, record.finish_due, when)
        event.update(kind=HandlingEventKind.FINISHED.value, outcome=outcome.value)
        done = queries.finish(
            db,
            issue_id,
            event,
            outcome=outcome.value,
            reason=body,
            finished_within=took.within,
            finished_late=took.late,
            from_statuses=_FINISHABLE,
            note=f"办结：{OUTCOME_NAMES[outcome]}",
        )
    if not done:
        raise RuleViolation(HANDLING_RULE, "the issue was finished meanwhile", [issue_id])
    audit.record(
        db,
        actor,
        AuditAction.ISSUE_REPLIED,
        f"issue:{issue_id}",
        outcome.value if outcome else None,
    )
    return handling_of(db, issue_id)


def follow_up_issue(
    db: Database,
    issue_id: str,
    note: str,
    actor: HandlingActor,
    *,
    now: dt.datetime | None = None,
) -> HandlingRecord:
    """A deputy who tracks the issue records a follow-up (跟踪督办); organizers may too."""
    body = _text(note, "note", HANDLING_TEXT_LIMIT, required=True)
    record = handling_of(db, issue_id)
    by_name = None
    if actor.role == "deputy":
        facts = _actor_facts(db, issue_id, actor)
        if not facts.tracks:
            raise Forbidden(
                "deputy {deputy} does not track issue {issue}",
                deputy=actor.deputy_id,
                issue=issue_id,
            )
        by_name = facts.name
    elif actor.role not in MANAGERS:
        raise Forbidden(
            "following up is for the deputies who track the issue, organizers and admins; "
            "your role is {role}",
            role=Term(actor.role),
        )
    check_unfinished(issue_id, record.finished, N_("a follow-up"))
    event = {
        "kind": HandlingEventKind.FOLLOWED_UP.value,
        "at": now or now_in_china(),
        "by": actor.key,
        "byName": by_name,
        "text": body,
    }
    if not queries.follow_up(db, issue_id, event):
        raise RuleViolation(HANDLING_RULE, "the issue was finished meanwhile", [issue_id])
    return handling_of(db, issue_id)


@dataclass(frozen=True)
class RatingResult:
    """What a verdict did: the round it rated, and whether the issue was reopened."""

    issue_id: str
    satisfaction: str
    rated_round: int
    reopened: bool
    round: int


def _issue_for_code(db: Database, tracking_code: str) -> str:
    code = tracking_code.strip().upper()
    issue_id = queries.issue_id_for_code(db, code) if TRACKING_CODE.match(code) else None
    if issue_id is None:
        raise NotFound("tracking code", tracking_code)
    return issue_id


def rate_issue(
    db: Database,
    tracking_code: str,
    satisfaction: Satisfaction,
    comment: str | None = None,
    *,
    now: dt.datetime | None = None,
    policies: Policies | None = None,
) -> RatingResult:
    """The citizen's verdict on a finished issue (满意 / 基本满意 / 不满意), once per round.

    不满意 on the first round reopens the issue for re-handling (重新办理): status IN_PROGRESS,
    round 2, the outcome cleared, the same handler, a new clock of the REHANDLING policy from
    today. A verdict on the last round is final.
    """
    text = _text(comment, "comment", COMMENT_LIMIT, required=False)
    issue_id = _issue_for_code(db, tracking_code)
    record = handling_of(db, issue_id)
    check_rating(issue_id, finished=record.finished, rated=record.rated_round == record.round)
    at = now or now_in_china()
    reopen = satisfaction is Satisfaction.DISSATISFIED and record.round <= MAX_REOPENINGS
    clock = None
    if reopen:
        policy = (policies or load_policies(db.settings.state_dir)).for_kind(WorkKind.REHANDLING)
        today = china_day(at)
        clock = clock_params(policy, today, new_clock(policy, today))
    event = {
        "kind": HandlingEventKind.RATED.value,
        "at": at,
        "by": "citizen",
        "text": text,
        "satisfaction": satisfaction.value,
    }
    round_after = queries.rate(
        db,
        issue_id,
        event,
        round=record.round,
        satisfaction=satisfaction.value,
        comment=text,
        reopen=reopen,
        clock=clock,
        note=EVENT_NAMES[HandlingEventKind.REOPENED],
        from_statuses=("CLOSED", "RESOLVED"),
    )
    if round_after is None:
        raise RuleViolation(RATING_RULE, "the issue was rated meanwhile", [issue_id])
    return RatingResult(issue_id, satisfaction.value, record.round, reopen, round_after)


@dataclass(frozen=True)
class PublicHandling:
    """What the holder of the tracking code sees of the handling (no internal notes)."""

    outcome: str | None
    outcome_reason: str | None
    department: str | None
    round: int
    satisfaction: str | None
    can_rate: bool
    #: Replies, outcomes, verdicts and the like (never supervision letters or follow-ups).
    log: list[HandlingEventRow] = field(default_factory=list)


def public_handling(db: Database, tracking_code: str) -> PublicHandling:
    """The public view of the handling of the issue with ``tracking_code``."""
    record = handling_of(db, _issue_for_code(db, tracking_code))
    return PublicHandling(
        outcome=record.outcome,
        outcome_reason=record.outcome_reason,
        department=record.department_name,
        round=record.round,
        satisfaction=record.satisfaction,
        can_rate=record.finished and record.rated_round != record.round,
        log=[e for e in record.events if e.kind in PUBLIC_EVENTS],
    )
