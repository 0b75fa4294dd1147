"""Rates where people are accountable: answer, resolution, on-time, median working days and
satisfaction, overall and per area, level, deputy and department.

The period is ``[start, end]`` (days included, China time) of the issues' receipt; ``as_of``
(the period's last day, or today if earlier) decides which unfinished issues already count as
overdue for the on-time rate. Definitions are those of :mod:`graphcoord.queries.rates` and
docs/deadlines.md: the answer rate counts RESOLVED and ANSWERED outcomes, the resolution rate
RESOLVED only, both of everything received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound
from graphcoord.model import (
    ANSWERED_OUTCOMES,
    CHINA,
    RESOLVED_OUTCOMES,
    SATISFIED_VERDICTS,
    Level,
    now_in_china,
    significant_length,
)
from graphcoord.queries import rates as q
from graphcoord.queries.rates import RateCounts
from graphcoord.queries.reports import area_name
from graphcoord.rules import require_area_code
from graphcoord.services.policies import Policies
from graphcoord.services.supervision import limits_on

__all__ = ["RateCounts", "RateGrouping", "RatesPage", "grouped", "overall", "scope"]

_LENGTHS = (2, 4, 6, 9, 12)


class RateGrouping(StrEnum):
    """Whom the rates are grouped by."""

    AREA = "AREA"
    LEVEL = "LEVEL"
    DEPUTY = "DEPUTY"
    DEPARTMENT = "DEPARTMENT"


@dataclass(frozen=True)
class Scope:
    area_code: str
    area_name: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    params: dict[str, Any]


def scope(
    db: Database,
    area_code: str,
    start: dt.date,
    end: dt.date,
    *,
    as_of: dt.date | None = None,
    policies: Policies | None = None,
) -> Scope:
    """Check the area and period and make the statements' parameters."""
    require_area_code(area_code)
    if end < start:
        raise BadInput(f"the period's end {end} is before its start {start}")
    name = area_name(db, area_code)
    if name is None:
        raise NotFound("area", area_code)
    day = as_of or min(end, now_in_china().date())
    limits = limits_on(db, day, policies)
    length = significant_length(area_code)
    child = _LENGTHS[min(_LENGTHS.index(length) + 1, len(_LENGTHS) - 1)]
    params = {
        "prefix": area_code[:length],
        "start": dt.datetime.combine(start, dt.time(), CHINA),
        "end": dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), CHINA),
        "answered": list(ANSWERED_OUTCOMES),
        "resolved": list(RESOLVED_OUTCOMES),
        "satisfied": list(SATISFIED_VERDICTS),
        "redBefore": limits.red_before,
        "childLength": child,
    }
    return Scope(area_code, name, start, end, day, params)


def overall(db: Database, where: Scope) -> RateCounts:
    """The rates of every issue in scope."""
    (row,) = q.rate_rows(db, q.OVERALL, where.params)
    return row


def by_level(db: Database, where: Scope) -> list[RateCounts]:
    """Per level of the tracking deputies, highest level first."""
    found = {row.key: row for row in q.rate_rows(db, q.BY_LEVEL, where.params)}
    return [found[level] for level in Level if level in found]


def by_area(db: Database, where: Scope) -> list[RateCounts]:
    """Per division directly below the scope's area, busiest first."""
    return q.rate_rows(db, q.BY_AREA, where.params)


@dataclass(frozen=True)
class RatesPage:
    """A page of groups (``limit + 1`` rows read) and how many groups there are."""

    groups: int
    rows: list[RateCounts]


def grouped(
    db: Database, where: Scope, by: RateGrouping, *, skip: int = 0, limit: int = 50
) -> RatesPage:
    """Rates per ``by``, busiest first; areas and levels are few, deputies and departments
    are read a page at a time."""
    if by is RateGrouping.LEVEL:
        rows = by_level(db, where)
        return RatesPage(len(rows), rows[skip : skip + limit + 1])
    if by is RateGrouping.AREA:
        rows = by_area(db, where)
        return RatesPage(len(rows), rows[skip : skip + limit + 1])
    groups, rows = q.grouped_page(db, by.value.lower(), where.params, skip=skip, limit=limit)
    return RatesPage(groups, rows)
