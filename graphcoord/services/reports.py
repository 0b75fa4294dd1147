"""The opinion-analysis report (民意分析报告): its figures for an area and a period.

Scope, definitions and the Cypher are in :mod:`graphcoord.queries.reports`; this module sets
the period in China time, reads every figure and assembles :class:`OpinionFigures`, which the
GraphQL ``opinionReport`` and the printed report (:mod:`graphcoord.printouts.opinions`) show.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound
from graphcoord.model import CHINA, Level, significant_length
from graphcoord.queries import reports as q
from graphcoord.queries.reports import AreaRate, Count, OpenIssue, VillageRate
from graphcoord.services import rates
from graphcoord.services.departments import channel_names
from graphcoord.services.rates import RateCounts, RateGrouping
from graphcoord.workdays import UnknownCalendarYear

__all__ = [
    "AreaRate",
    "Count",
    "OpenIssue",
    "OpinionFigures",
    "RateCounts",
    "VillageRate",
    "figures",
]

_LENGTHS = (2, 4, 6, 9, 12)
log = logging.getLogger(__name__)


@dataclass
class OpinionFigures:
    area_code: str
    area_name: str
    start: dt.date
    end: dt.date
    total: int = 0
    answered: int = 0
    resolved: int = 0
    median_days_to_resolve: float | None = None
    by_week: list[Count] = field(default_factory=list)
    by_category: list[Count] = field(default_factory=list)
    by_channel: list[Count] = field(default_factory=list)
    by_status: list[Count] = field(default_factory=list)
    by_township: list[AreaRate] = field(default_factory=list)
    by_area: list[AreaRate] = field(default_factory=list)
    by_level: list[AreaRate] = field(default_factory=list)
    top_villages: list[VillageRate] = field(default_factory=list)
    per_thousand: list[VillageRate] = field(default_factory=list)
    longest_open: list[OpenIssue] = field(default_factory=list)
    #: Handling rates (answer, resolution, on time, median working days, satisfaction).
    handling: RateCounts | None = None
    handling_by_area: list[RateCounts] = field(default_factory=list)
    handling_by_level: list[RateCounts] = field(default_factory=list)
    handling_by_department: list[RateCounts] = field(default_factory=list)
    handling_by_deputy: list[RateCounts] = field(default_factory=list)
    #: The day unfinished issues were judged overdue on (the period's end, or today).
    as_of: dt.date | None = None
    #: What the area calls each channel (宿话说 in Suqian), from the city's data.
    channel_names: dict[str, str] = field(default_factory=dict)

    @property
    def answer_rate(self) -> float:
        return round(self.answered / self.total, 4) if self.total else 0.0

    @property
    def resolution_rate(self) -> float:
        return round(self.resolved / self.total, 4) if self.total else 0.0


def figures(
    db: Database,
    area_code: str,
    start: dt.date,
    end: dt.date,
    *,
    limit: int = 10,
    now: dt.datetime | None = None,
) -> OpinionFigures:
    """Every figure of the report for issues of ``area_code`` created from ``start`` to ``end``
    (both days included, China time)."""
    if end < start:
        raise BadInput(f"the report's end {end} is before its start {start}")
    name = q.area_name(db, area_code)
    if name is None:
        raise NotFound("area", area_code)
    length = significant_length(area_code)
    child_length = _LENGTHS[min(_LENGTHS.index(length) + 1, len(_LENGTHS) - 1)]
    start_at = dt.datetime.combine(start, dt.time(), CHINA)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), CHINA)
    as_of = min(end_at, now or dt.datetime.now(CHINA))
    params: dict[str, Any] = {
        "prefix": area_code[:length],
        "start": start_at,
        "end": end_at,
        "answered": list(q.ANSWERED),
        "resolved": list(q.RESOLVED),
        "closed": list(q.CLOSED),
        "childLength": child_length,
        "limit": limit,
        "asOf": as_of,
    }
    result = OpinionFigures(area_code, name, start, end)
    totals = q.totals(db, params)
    result.total = totals.total
    result.answered = totals.answered
    result.resolved = totals.resolved
    result.median_days_to_resolve = totals.median_days_to_resolve
    result.by_week = q.counts(db, q.BY_WEEK, params)
    result.by_category = q.counts(db, q.BY_CATEGORY, params)
    result.by_channel = q.counts(db, q.BY_CHANNEL, params)
    result.by_status = q.counts(db, q.BY_STATUS, params)
    result.by_township = q.rates(db, q.BY_TOWNSHIP, params)
    result.by_area = q.rates(db, q.BY_CHILD_AREA, params)
    levels = {rate.key: rate for rate in q.rates(db, q.BY_LEVEL, params)}
    result.by_level = [levels[level] for level in Level if level in levels]
    result.top_villages = q.villages(db, q.TOP_VILLAGES, params)
    result.per_thousand = q.villages(db, q.PER_THOUSAND, params)
    result.longest_open = q.longest_open(db, params)
    result.channel_names = channel_names(db, area_code)
    try:
        where = rates.scope(db, area_code, start, end, as_of=min(end, as_of.date()))
    except UnknownCalendarYear as error:  # the rest of the report does not need the calendar
        log.warning("opinion report without handling rates: %s", error)
        return result
    result.as_of = where.as_of
    result.handling = rates.overall(db, where)
    result.handling_by_area = rates.by_area(db, where)
    result.handling_by_level = rates.by_level(db, where)
    for by, target in (
        (RateGrouping.DEPARTMENT, result.handling_by_department),
        (RateGrouping.DEPUTY, result.handling_by_deputy),
    ):
        target.extend(rates.grouped(db, where, by, limit=limit).rows[:limit])
    return result
