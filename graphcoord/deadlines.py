"""Handling clocks and three-colour supervision (三色督办) as pure functions of dates.

A *policy* gives the working-day limits of one kind of work: sign for it (签收), give a first
reply (答复), finish it (办结). A *clock* is a policy started on the day of receipt: the due
date of each limit, by the convention of :mod:`graphcoord.workdays` (a limit of N working days
ends on the Nth working day after the day of receipt). Due dates are stored with the issue, so
a later change of policy does not rewrite history.

The *stage* of an issue is the first limit not met yet (claim, reply, finish) or DONE; its
*colour* on a day ``as_of`` compares the stage's due date with two thresholds
(:func:`thresholds`):

- RED (overdue) when a working day has passed since the due date: ``due < red_before``, where
  ``red_before`` is the last working day on or before ``as_of``;
- YELLOW (due soon) when not red and the due date is at most ``yellow_within`` working days
  ahead: ``due <= yellow_until``;
- GREEN otherwise.

The supervision board asks Neo4j the same comparisons with the same two dates
(:mod:`graphcoord.queries.supervision`), so the board and an issue's own colour agree by
construction. A finished issue is GREEN when it was finished within its limit, else RED, with
the working days it was late.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from graphcoord.errors import BadInput
from graphcoord.model import (
    CHINA,
    MAX_REOPENINGS,
    PROPOSAL_COMPLEX_REPLY_MONTHS,
    PROPOSAL_REHANDLING_MONTHS,
    PROPOSAL_REPLY_MONTHS,
    HandlingStage,
    ProposalStatus,
    Satisfaction,
    SupervisionColour,
    WorkKind,
)
from graphcoord.workdays import add_workdays, is_workday, workdays_between

__all__ = [
    "DEFAULT_POLICIES",
    "DEFAULT_YELLOW_WITHIN",
    "MAX_LIMIT",
    "Clock",
    "Policy",
    "Progress",
    "ReplyStep",
    "Supervision",
    "Thresholds",
    "VerdictStep",
    "add_months",
    "finished_late",
    "last_workday",
    "proposal_reopens",
    "proposal_reply_due",
    "proposal_timeline",
    "reply_supervision",
    "start_clock",
    "supervise",
    "thresholds",
]

#: The longest limit a policy may set, in working days (a year of them).
MAX_LIMIT = 250
#: Working days before a due date when an item turns yellow (a policy file may change it).
DEFAULT_YELLOW_WITHIN = 2


@dataclass(frozen=True)
class Policy:
    """The working-day limits of one kind of work, counted from the day of receipt."""

    kind: str
    claim_within: int
    reply_within: int
    finish_within: int

    def __post_init__(self) -> None:
        limits = (self.claim_within, self.reply_within, self.finish_within)
        if any(not 0 <= days <= MAX_LIMIT for days in limits):
            raise BadInput(
                f"policy {self.kind}: limits must be 0-{MAX_LIMIT} working days, got {limits}"
            )
        if not self.claim_within <= self.reply_within <= self.finish_within:
            raise BadInput(
                f"policy {self.kind}: claim ({self.claim_within}) ≤ reply ({self.reply_within}) "
                f"≤ finish ({self.finish_within}) working days is required"
            )

    @property
    def key(self) -> str:
        """What is stored with an issue: ``ISSUE:1/5/15``."""
        return f"{self.kind}:{self.claim_within}/{self.reply_within}/{self.finish_within}"


#: The documented defaults: a citizen issue is signed for within 1 working day, first answered
#: within 5 and finished within 15 (the 12345 platforms' usual limits); re-handling after a
#: 不满意 verdict starts the same clock again.
DEFAULT_POLICIES: dict[str, Policy] = {
    WorkKind.ISSUE: Policy(WorkKind.ISSUE.value, 1, 5, 15),
    WorkKind.REHANDLING: Policy(WorkKind.REHANDLING.value, 1, 5, 15),
}


@dataclass(frozen=True)
class Clock:
    """A policy started on a day: the due date of each limit."""

    policy: Policy
    received_on: dt.date
    claim_due: dt.date
    reply_due: dt.date
    finish_due: dt.date


def start_clock(policy: Policy, received_on: dt.date) -> Clock:
    """The due dates of ``policy`` for work received on ``received_on``.

    Raises :class:`~graphcoord.workdays.UnknownCalendarYear` when a due date falls in a year
    whose holidays are not known yet.
    """
    return Clock(
        policy=policy,
        received_on=received_on,
        claim_due=add_workdays(received_on, policy.claim_within),
        reply_due=add_workdays(received_on, policy.reply_within),
        finish_due=add_workdays(received_on, policy.finish_within),
    )


@dataclass(frozen=True)
class Progress:
    """What has happened on an issue's clock (days in China time; ``None``: not yet)."""

    claimed_on: dt.date | None = None
    replied_on: dt.date | None = None
    finished_on: dt.date | None = None

    @property
    def stage(self) -> HandlingStage:
        if self.finished_on is not None:
            return HandlingStage.DONE
        if self.claimed_on is None:
            return HandlingStage.CLAIM
        if self.replied_on is None:
            return HandlingStage.REPLY
        return HandlingStage.FINISH


@dataclass(frozen=True)
class Thresholds:
    """The two dates a colour is decided by on one day (see the module's notes)."""

    as_of: dt.date
    #: Due dates before this day are overdue: the last working day on or before ``as_of``.
    red_before: dt.date
    #: Due dates up to this day (and not overdue) are due soon.
    yellow_until: dt.date


def last_workday(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the working day before it."""
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def thresholds(as_of: dt.date, yellow_within: int = DEFAULT_YELLOW_WITHIN) -> Thresholds:
    """The dates that decide every colour on ``as_of``."""
    if yellow_within < 0:
        raise BadInput(f"yellow_within must not be negative, got {yellow_within}")
    return Thresholds(as_of, last_workday(as_of), add_workdays(as_of, yellow_within))


@dataclass(frozen=True)
class Supervision:
    """An issue's colour on a day: the stage, its due date and the working days overdue."""

    colour: SupervisionColour
    stage: HandlingStage
    due_on: dt.date
    overdue_days: int


def finished_late(finish_due: dt.date, finished_on: dt.date) -> int:
    """Working days after ``finish_due`` up to ``finished_on`` (0 when on time)."""
    return max(0, workdays_between(finish_due, finished_on))


def supervise(
    claim_due: dt.date,
    reply_due: dt.date,
    finish_due: dt.date,
    progress: Progress,
    limits: Thresholds,
) -> Supervision:
    """The colour of an issue with these due dates and this progress on ``limits.as_of``."""
    stage = progress.stage
    if progress.finished_on is not None:
        late = finished_late(finish_due, progress.finished_on)
        colour = SupervisionColour.RED if late else SupervisionColour.GREEN
        return Supervision(colour, stage, finish_due, late)
    due = {
        HandlingStage.CLAIM: claim_due,
        HandlingStage.REPLY: reply_due,
        HandlingStage.FINISH: finish_due,
    }[stage]
    if due < limits.red_before:
        return Supervision(SupervisionColour.RED, stage, due, workdays_between(due, limits.as_of))
    colour = SupervisionColour.YELLOW if due <= limits.yellow_until else SupervisionColour.GREEN
    return Supervision(colour, stage, due, 0)


# -- proposals: limits in calendar months -------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it has no
    such day): a reply due "within 3 months of assignment" on 30 November is due 28 February.

    >>> add_months(dt.date(2024, 11, 30), 3)
    datetime.date(2025, 2, 28)
    >>> add_months(dt.date(2024, 2, 29), 12)
    datetime.date(2025, 2, 28)
    """
    if months < 0:
        raise BadInput("a limit of {months} months is negative", months=months)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def proposal_reply_due(assigned_on: dt.date, *, complex_: bool = False, round_: int = 1) -> dt.date:
    """When the lead unit's reply to a proposal is due: 3 months after the assignment (6 for a
    complex one); in a re-handling round, 1 month after the day it was sent back.

    Calendar months, not working days: the law counts them so (交办之日起三个月内).
    """
    if round_ > 1:
        return add_months(assigned_on, PROPOSAL_REHANDLING_MONTHS)
    return add_months(
        assigned_on, PROPOSAL_COMPLEX_REPLY_MONTHS if complex_ else PROPOSAL_REPLY_MONTHS
    )


def reply_supervision(due: dt.date, replied_on: dt.date | None, limits: Thresholds) -> Supervision:
    """The colour of a proposal waiting for (or given) its reply, due on ``due``.

    Waiting: RED when a working day has passed since ``due`` (with the working days overdue),
    YELLOW when due by ``limits.yellow_until``, else GREEN. Replied: GREEN on time, else RED
    with the working days it was late. Same thresholds as an issue's colour.
    """
    if replied_on is not None:
        late = finished_late(due, replied_on)
        colour = SupervisionColour.RED if late else SupervisionColour.GREEN
        return Supervision(colour, HandlingStage.DONE, due, late)
    if due < limits.red_before:
        return Supervision(
            SupervisionColour.RED, HandlingStage.REPLY, due, workdays_between(due, limits.as_of)
        )
    colour = SupervisionColour.YELLOW if due <= limits.yellow_until else SupervisionColour.GREEN
    return Supervision(colour, HandlingStage.REPLY, due, 0)


def proposal_reopens(round_: int, satisfaction: str) -> bool:
    """Whether a verdict sends the proposal back for re-handling (重新办理): 不满意, and the
    proposal has not been sent back :data:`~graphcoord.model.MAX_REOPENINGS` times yet."""
    return satisfaction == Satisfaction.DISSATISFIED.value and round_ <= MAX_REOPENINGS


@dataclass(frozen=True)
class ReplyStep:
    """The lead unit's reply of one round: when, its class (A/B/C) and text."""

    round: int
    at: dt.datetime
    category: str
    text: str | None = None


@dataclass(frozen=True)
class VerdictStep:
    """The lead deputy's verdict on the reply of one round."""

    round: int
    at: dt.datetime
    satisfaction: str
    comment: str | None = None


def _day(at: dt.datetime) -> dt.date:
    return (at if at.tzinfo else at.replace(tzinfo=CHINA)).astimezone(CHINA).date()


def _iso(at: dt.datetime | None) -> str | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=CHINA)).astimezone(CHINA).isoformat()


def proposal_timeline(
    assigned_at: dt.datetime,
    *,
    complex_: bool = False,
    replies: list[ReplyStep] | None = None,
    verdicts: list[VerdictStep] | None = None,
) -> dict[str, object]:
    """The handling facts of a proposal assigned at ``assigned_at`` that received ``replies``
    and ``verdicts`` (what an office's spreadsheet or a seed records), as the workflow would
    have stored them step by step: due dates, the first reply's lateness (working days), the
    round, the status, the latest reply and verdict. Times are ISO texts (China time).

    Raises :class:`~graphcoord.errors.BadInput` for facts out of order: a reply before the
    assignment or the re-handling, a verdict before its reply or without one, a round that
    no 不满意 verdict opened, two replies or verdicts of one round.

    >>> at = dt.datetime(2024, 2, 20, 9, tzinfo=CHINA)
    >>> facts = proposal_timeline(at, replies=[ReplyStep(1, at.replace(month=5), "A")])
    >>> facts["replyDue"], facts["replyLate"], facts["status"]
    ('2024-05-20', 0, 'REPLIED')
    """
    replies, verdicts = replies or [], verdicts or []
    by_round = {r.round: r for r in replies}
    rated = {v.round: v for v in verdicts}
    if len(by_round) != len(replies) or len(rated) != len(verdicts):
        raise BadInput("one reply and one verdict per round of handling")
    due = proposal_reply_due(_day(assigned_at), complex_=complex_)
    facts: dict[str, object] = {
        "assignedAt": _iso(assigned_at),
        "complex": complex_,
        "replyDue": due.isoformat(),
        "round": 1,
        "status": ProposalStatus.ASSIGNED.value,
        "firstReplyAt": None,
        "replyLate": None,
        "repliedAt": None,
        "replyCategory": None,
        "replyText": None,
        "satisfaction": None,
        "ratedAt": None,
        "ratedRound": None,
        "ratingComment": None,
        "reopenedAt": None,
        "rehandlingDue": None,
        "closedAt": None,
    }
    kept_replies: list[dict[str, object]] = []
    kept_verdicts: list[dict[str, object]] = []
    since, round_ = assigned_at, 1
    while (reply := by_round.get(round_)) is not None:
        if reply.at < since:
            raise BadInput("the reply of round {n} is dated before its round began", n=round_)
        late = finished_late(due, _day(reply.at))
        if round_ == 1:
            facts.update(firstReplyAt=_iso(reply.at), replyLate=late)
        facts.update(
            repliedAt=_iso(reply.at),
            replyCategory=reply.category,
            replyText=reply.text,
            status=ProposalStatus.REPLIED.value,
        )
        kept_replies.append(
            {
                "round": round_,
                "at": _iso(reply.at),
                "category": reply.category,
                "text": reply.text,
                "late": late,
            }
        )
        verdict = rated.get(round_)
        if verdict is None:
            break
        if verdict.at < reply.at:
            raise BadInput("the verdict of round {n} is dated before the reply", n=round_)
        facts.update(
            satisfaction=verdict.satisfaction,
            ratedAt=_iso(verdict.at),
            ratedRound=round_,
            ratingComment=verdict.comment,
        )
        kept_verdicts.append(
            {
                "round": round_,
                "at": _iso(verdict.at),
                "satisfaction": verdict.satisfaction,
                "comment": verdict.comment,
            }
        )
        if not proposal_reopens(round_, verdict.satisfaction):
            facts.update(status=ProposalStatus.CLOSED.value, closedAt=_iso(verdict.at))
            break
        round_ += 1
        due = proposal_reply_due(_day(verdict.at), round_=round_)
        since = verdict.at
        facts.update(
            round=round_,
            status=ProposalStatus.REHANDLING.value,
            reopenedAt=_iso(verdict.at),
            rehandlingDue=due.isoformat(),
        )
    done = round_
    if any(r > done for r in by_round) or any(v > done or v not in by_round for v in rated):
        raise BadInput(
            "a reply or verdict has no place: a verdict follows its round's reply, and a "
            "second round needs a 不满意 verdict on the first"
        )
    facts.update(replies=kept_replies, verdicts=kept_verdicts)
    return facts
