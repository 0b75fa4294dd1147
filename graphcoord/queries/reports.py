"""Figures of the opinion-analysis report (民意分析报告), all computed by Cypher.

Scope: issues raised in a village inside ``area`` (by the 12-digit code's significant prefix)
created in ``[start, end)``. Definitions, as the report prints them:

- *answered* (答复): a deputy or department took it up, status IN_PROGRESS, ESCALATED,
  RESOLVED or CLOSED; *resolved* (解决): RESOLVED or CLOSED.
- *days to resolve*: ``resolvedAt - createdAt`` in days; the median is ``percentileCont 0.5``.
- *open days* of the longest-open issues are counted up to ``as_of`` (the report's end, or now).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound
from graphcoord.model import significant_length

__all__ = ["ANSWERED", "RESOLVED", "AreaRate", "Count", "OpenIssue", "OpinionFigures", "figures"]

ANSWERED: tuple[str, ...] = ("IN_PROGRESS", "ESCALATED", "RESOLVED", "CLOSED")
RESOLVED: tuple[str, ...] = ("RESOLVED", "CLOSED")
_LENGTHS = (2, 4, 6, 9, 12)

_SCOPE: LiteralString = """
MATCH (i:Issue)
WHERE i.areaCode STARTS WITH $prefix AND i.createdAt >= $start AND i.createdAt < $end
"""

AREA: LiteralString = "MATCH (a:Area {code: $code}) RETURN a.name AS name, a.kind AS kind"

TOTALS: LiteralString = (
    _SCOPE
    + """
WITH count(i) AS total,
     count(CASE WHEN i.status IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.status IN $resolved THEN 1 END) AS resolved,
     percentileCont(CASE WHEN i.resolvedAt IS NOT NULL
       THEN duration.inSeconds(i.createdAt, i.resolvedAt).seconds / 86400.0 END, 0.5) AS median
RETURN total, answered, resolved, median
"""
)

BY_WEEK: LiteralString = (
    _SCOPE
    + """
WITH date(datetime.truncate('week', i.createdAt)) AS week, count(*) AS count
RETURN toString(week) AS key, toString(week) AS label, count ORDER BY key
"""
)

BY_CATEGORY: LiteralString = (
    _SCOPE
    + """
WITH coalesce(i.category, '其他') AS key, count(*) AS count
RETURN key, key AS label, count ORDER BY count DESC, key
"""
)

BY_CHANNEL: LiteralString = (
    _SCOPE
    + """
WITH i.channel AS key, count(*) AS count
RETURN key, key AS label, count ORDER BY count DESC, key
"""
)

BY_STATUS: LiteralString = (
    _SCOPE
    + """
WITH i.status AS key, count(*) AS count
RETURN key, key AS label, count ORDER BY count DESC, key
"""
)

BY_TOWNSHIP: LiteralString = (
    _SCOPE
    + """
MATCH (i)-[:RAISED_IN]->(:Area)-[:PART_OF]->(t:Area)
WITH t, count(i) AS total,
     count(CASE WHEN i.status IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.status IN $resolved THEN 1 END) AS resolved
RETURN t.code AS key, t.name AS label, total, answered, resolved
ORDER BY total DESC, key
"""
)

BY_CHILD_AREA: LiteralString = (
    _SCOPE
    + """
WITH left(left(i.areaCode, $childLength) + '000000000000', 12) AS code, i
WITH code, count(i) AS total,
     count(CASE WHEN i.status IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.status IN $resolved THEN 1 END) AS resolved
OPTIONAL MATCH (a:Area {code: code})
RETURN code AS key, coalesce(a.name, code) AS label, total, answered, resolved
ORDER BY total DESC, key
"""
)

BY_LEVEL: LiteralString = (
    _SCOPE
    + """
MATCH (d:Deputy)-[:TRACKS]->(i)
WITH DISTINCT d.level AS level, i
WITH level, count(i) AS total,
     count(CASE WHEN i.status IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.status IN $resolved THEN 1 END) AS resolved
RETURN level AS key, level AS label, total, answered, resolved
"""
)

TOP_VILLAGES: LiteralString = (
    _SCOPE
    + """
MATCH (i)-[:RAISED_IN]->(v:Area)
WITH v, count(i) AS count
RETURN v.code AS key, v.name AS label, count, v.population AS population
ORDER BY count DESC, key LIMIT $limit
"""
)

PER_THOUSAND: LiteralString = (
    _SCOPE
    + """
MATCH (i)-[:RAISED_IN]->(v:Area) WHERE v.population > 0
WITH v, count(i) AS count
RETURN v.code AS key, v.name AS label, count, v.population AS population,
       1000.0 * count / v.population AS rate
ORDER BY rate DESC, key LIMIT $limit
"""
)

LONGEST_OPEN: LiteralString = (
    _SCOPE
    + """
  AND NOT i.status IN $resolved
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
RETURN i.id AS id, i.title AS title, i.status AS status, i.category AS category,
       i.ticket AS ticket, v.name AS village, i.createdAt AS createdAt,
       duration.inSeconds(i.createdAt, $asOf).seconds / 86400.0 AS days
ORDER BY i.createdAt, i.id LIMIT $limit
"""
)


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class AreaRate:
    """Volume, answer rate and resolution rate of an area or a deputy level."""

    key: str
    label: str
    total: int
    answered: int
    resolved: int

    @property
    def answer_rate(self) -> float:
        return round(self.answered / self.total, 4) if self.total else 0.0

    @property
    def resolution_rate(self) -> float:
        return round(self.resolved / self.total, 4) if self.total else 0.0


@dataclass(frozen=True)
class OpenIssue:
    id: str
    title: str
    status: str
    category: str | None
    ticket: str | None
    village: str | None
    created_at: dt.datetime
    days_open: float


@dataclass(frozen=True)
class VillageRate:
    key: str
    label: str
    count: int
    population: int | None
    per_thousand: float | None


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
    found = db.execute(AREA, {"code": area_code})
    if not found:
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
        "answered": list(ANSWERED),
        "resolved": list(RESOLVED),
        "childLength": child_length,
        "limit": limit,
        "asOf": as_of,
    }
    result = OpinionFigures(area_code, found[0]["name"], start, end)
    totals = db.execute(TOTALS, params)[0]
    result.total = int(totals["total"])
    result.answered = int(totals["answered"])
    result.resolved = int(totals["resolved"])
    median = totals["median"]
    result.median_days_to_resolve = round(float(median), 2) if median is not None else None
    result.by_week = _counts(db, BY_WEEK, params)
    result.by_category = _counts(db, BY_CATEGORY, params)
    result.by_channel = _counts(db, BY_CHANNEL, params)
    result.by_status = _counts(db, BY_STATUS, params)
    result.by_township = _rates(db, BY_TOWNSHIP, params)
    result.by_area = _rates(db, BY_CHILD_AREA, params)
    levels = {rate.key: rate for rate in _rates(db, BY_LEVEL, params)}
    order = ("NATIONAL", "PROVINCIAL", "CITY", "COUNTY", "TOWNSHIP")
    result.by_level = [levels[level] for level in order if level in levels]
    result.top_villages = [_village(r) for r in db.execute(TOP_VILLAGES, params)]
    result.per_thousand = [_village(r) for r in db.execute(PER_THOUSAND, params)]
    result.longest_open = [
        OpenIssue(
            id=r["id"],
            title=r["title"],
            status=r["status"],
            category=r["category"],
            ticket=r["ticket"],
            village=r["village"],
            created_at=r["createdAt"].to_native(),
            days_open=round(float(r["days"]), 1),
        )
        for r in db.execute(LONGEST_OPEN, params)
    ]
    return result


def _counts(db: Database, statement: LiteralString, params: dict[str, Any]) -> list[Count]:
    return [
        Count(str(r["key"]), str(r["label"]), int(r["count"]))
        for r in db.execute(statement, params)
    ]


def _rates(db: Database, statement: LiteralString, params: dict[str, Any]) -> list[AreaRate]:
    return [
        AreaRate(
            str(r["key"]), str(r["label"]), int(r["total"]), int(r["answered"]), int(r["resolved"])
        )
        for r in db.execute(statement, params)
    ]


def _village(r: Any) -> VillageRate:
    population = r["population"]
    rate = 1000.0 * r["count"] / population if population else None
    return VillageRate(
        key=r["key"],
        label=r["label"],
        count=int(r["count"]),
        population=int(population) if population is not None else None,
        per_thousand=round(rate, 3) if rate is not None else None,
    )


CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
