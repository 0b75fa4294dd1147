"""Starting an issue's clock and timing its outcome: the two hooks the issue workflow calls.

A submission starts the clock of the policy in force (:mod:`graphcoord.services.policies`)
from the day of receipt and stores it with the issue; a status change to RESOLVED (the older
``updateIssueStatus`` path) records the outcome RESOLVED with its timing, as finishing through
:func:`graphcoord.services.handling.reply_issue` does. Neither ever fails a submission or a
status change for want of a calendar: when the holidays of a due date's year are not known yet
(:class:`~graphcoord.workdays.UnknownCalendarYear`), the policy is stored without due dates,
the issue stays off the supervision board, and a warning is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from graphcoord.db import Database
from graphcoord.deadlines import Clock, Policy, finished_late, start_clock
from graphcoord.model import CHINA, EVENT_NAMES, HandlingEventKind, Outcome, WorkKind
from graphcoord.queries import handling as queries
from graphcoord.services.policies import Policies, load_policies
from graphcoord.workdays import UnknownCalendarYear, workdays_between

__all__ = [
    "Timing",
    "china_day",
    "clock_params",
    "new_clock",
    "record_resolved",
    "start_issue_clock",
    "timing",
]

log = logging.getLogger(__name__)


def china_day(at: dt.datetime) -> dt.date:
    """The day of ``at`` in China (a naive time is taken as China time)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)
    return at.astimezone(CHINA).date()


def new_clock(policy: Policy, received_on: dt.date) -> Clock | None:
    """``policy`` started on ``received_on``, or ``None`` when the calendar is not known."""
    try:
        return start_clock(policy, received_on)
    except UnknownCalendarYear as error:
        log.warning("no due dates for %s work received on %s: %s", policy.kind, received_on, error)
        return None


def clock_params(policy: Policy, received_on: dt.date, clock: Clock | None) -> dict[str, Any]:
    """The clock as stored with an issue (due dates ``None`` without a calendar)."""
    return {
        "workKind": policy.kind,
        "policy": policy.key,
        "clockFrom": received_on,
        "claimDue": clock.claim_due if clock else None,
        "replyDue": clock.reply_due if clock else None,
        "finishDue": clock.finish_due if clock else None,
    }


def start_issue_clock(
    db: Database,
    issue_id: str,
    received_at: dt.datetime,
    *,
    kind: WorkKind = WorkKind.ISSUE,
    policies: Policies | None = None,
) -> Clock | None:
    """Start and store the clock of a new issue; the clock, or ``None`` without a calendar."""
    policies = policies or load_policies(db.settings.state_dir)
    policy = policies.for_kind(kind)
    received_on = china_day(received_at)
    clock = new_clock(policy, received_on)
    queries.start_clock(db, issue_id, clock_params(policy, received_on, clock))
    return clock


@dataclass(frozen=True)
class Timing:
    """How long the handling took: working days from the clock's start, and days late."""

    within: int | None
    late: int | None


def timing(clock_from: dt.date | None, finish_due: dt.date | None, finished: dt.datetime) -> Timing:
    """The timing of an outcome given at ``finished`` (``None`` parts without a clock)."""
    day = china_day(finished)
    try:
        within = workdays_between(clock_from, day) if clock_from else None
        late = finished_late(finish_due, day) if finish_due else None
    except UnknownCalendarYear as error:
        log.warning("outcome at %s not timed: %s", day, error)
        return Timing(None, None)
    return Timing(within, late)


def record_resolved(
    db: Database, issue_id: str, at: dt.datetime, by: str, by_name: str | None
) -> None:
    """Record the outcome RESOLVED of an issue whose status just became RESOLVED."""
    record = queries.handling_records(db, [issue_id]).get(issue_id)
    if record is None or record.finished:
        return
    took = timing(record.clock_from, record.finish_due, at)
    queries.finish(
        db,
        issue_id,
        {
            "kind": HandlingEventKind.FINISHED.value,
            "at": at,
            "by": by,
            "byName": by_name,
            "outcome": Outcome.RESOLVED.value,
        },
        outcome=Outcome.RESOLVED.value,
        reason=None,
        finished_within=took.within,
        finished_late=took.late,
        from_statuses=(),
        note=EVENT_NAMES[HandlingEventKind.FINISHED],
    )
