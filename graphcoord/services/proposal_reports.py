"""The proposal report of a session (议案建议办理情况报告): counts by kind, level and status;
the on-time reply rate, A/B/C shares, satisfaction and re-handling, overall and per handling
unit; per deputy the proposals led, co-signed and contributed to.

The definitions are those of :mod:`graphcoord.queries.proposal_reports`. A report is of one
day, ``as_of`` (default today in China): an unreplied proposal counts as due once a working
day has passed since its reply date, as its colour turns red.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from graphcoord.db import Database
from graphcoord.deadlines import last_workday
from graphcoord.errors import BadInput, NotFound
from graphcoord.model import PROPOSAL_LIMITS, SATISFIED_VERDICTS
from graphcoord.queries import proposal_reports as q
from graphcoord.queries.proposal_reports import DeputyCounts, ProposalCounts
from graphcoord.services.proposals import today
from graphcoord.workdays import UnknownCalendarYear

__all__ = [
    "DeputyCounts",
    "ProposalCounts",
    "ProposalFigures",
    "SessionScope",
    "deputy_page",
    "figures",
    "overall",
    "scope",
    "tallies",
    "unit_page",
]

log = logging.getLogger(__name__)

#: Units and deputies a printed report lists at most.
REPORT_ROWS = 50


@dataclass(frozen=True)
class SessionScope:
    """A session and the day its figures are of."""

    session: str
    as_of: dt.date
    params: dict[str, object]


def scope(db: Database, session: str, *, as_of: dt.date | None = None) -> SessionScope:
    """Check the session (it has proposals) and make the statements' parameters."""
    name = session.strip()
    if not PROPOSAL_LIMITS["session"][0] <= len(name) <= PROPOSAL_LIMITS["session"][1]:
        raise BadInput("session {session!r} is not a session's name", session=session)
    day = as_of or today(db)
    try:
        red_before = last_workday(day)
    except UnknownCalendarYear as error:
        log.warning("report of %s on %s: %s; weekends only", name, day, error)
        red_before = day
    params: dict[str, object] = {
        "session": name,
        "redBefore": red_before,
        "satisfied": list(SATISFIED_VERDICTS),
    }
    if q.overall(db, params).total == 0:
        raise NotFound("session", name)
    return SessionScope(name, day, params)


def overall(db: Database, where: SessionScope) -> ProposalCounts:
    """The figures of every proposal of the session."""
    return q.overall(db, where.params)


def tallies(db: Database, where: SessionScope) -> dict[str, dict[str, int]]:
    """Counts by kind (``kinds``), level (``levels``) and status (``statuses``)."""
    return q.tallies(db, where.session)


def unit_page(
    db: Database, where: SessionScope, *, skip: int = 0, limit: int = 50
) -> tuple[int, list[ProposalCounts]]:
    """Per lead unit (主办), busiest first."""
    return q.by_unit(db, where.params, skip=skip, limit=limit)


def deputy_page(
    db: Database, where: SessionScope, *, skip: int = 0, limit: int = 50
) -> tuple[int, list[DeputyCounts]]:
    """Per deputy: led, co-signed, contributed to; most first."""
    return q.by_deputy(db, where.session, skip=skip, limit=limit)


@dataclass(frozen=True)
class ProposalFigures:
    """Everything the printed report shows."""

    session: str
    as_of: dt.date
    overall: ProposalCounts
    kinds: dict[str, int]
    levels: dict[str, int]
    statuses: dict[str, int]
    units: list[ProposalCounts] = field(default_factory=list)
    unit_count: int = 0
    deputies: list[DeputyCounts] = field(default_factory=list)
    deputy_count: int = 0


def figures(db: Database, session: str, *, as_of: dt.date | None = None) -> ProposalFigures:
    """The figures of a session's report (the busiest :data:`REPORT_ROWS` units and
    deputies)."""
    where = scope(db, session, as_of=as_of)
    counts = tallies(db, where)
    unit_count, units = unit_page(db, where, limit=REPORT_ROWS)
    deputy_count, deputies = deputy_page(db, where, limit=REPORT_ROWS)
    return ProposalFigures(
        session=where.session,
        as_of=where.as_of,
        overall=overall(db, where),
        kinds=counts["kinds"],
        levels=counts["levels"],
        statuses=counts["statuses"],
        units=units[:REPORT_ROWS],
        unit_count=unit_count,
        deputies=deputies[:REPORT_ROWS],
        deputy_count=deputy_count,
    )
