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

import datetime as dt
from dataclasses import dataclass

from graphcoord.errors import BadInput
from graphcoord.model import HandlingStage, SupervisionColour, WorkKind
from graphcoord.workdays import add_workdays, is_workday, workdays_between

__all__ = [
    "DEFAULT_POLICIES",
    "DEFAULT_YELLOW_WITHIN",
    "MAX_LIMIT",
    "Clock",
    "Policy",
    "Progress",
    "Supervision",
    "Thresholds",
    "finished_late",
    "last_workday",
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
