"""The Cypher of the opinion-analysis report (民意分析报告): every figure computed by Neo4j.

Scope: issues raised in a village inside ``area`` (by the 12-digit code's significant prefix)
created in ``[start, end)``. Definitions, as the report prints them:

- *answered* (答复): finished with the outcome RESOLVED or ANSWERED (答复率 counts both);
  *resolved* (解决): finished with the outcome RESOLVED only (解决率). A CLOSED issue that was
  only answered is not resolved; the outcomes are set by :mod:`graphcoord.services.handling`.
- *days to resolve*: ``resolvedAt - createdAt`` in days; the median is ``percentileCont 0.5``.
- *open days* of the longest-open issues (no outcome, status not RESOLVED or CLOSED) are
  counted up to ``as_of`` (the report's end, or now).

:func:`graphcoord.services.reports.figures` sets the parameters and assembles the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.model import ANSWERED_OUTCOMES, CLOSED_STATUSES, RESOLVED_OUTCOMES

__all__ = [
    "ANSWERED",
    "CLOSED",
    "RESOLVED",
    "AreaRate",
    "Count",
    "OpenIssue",
    "Totals",
    "VillageRate",
    "area_name",
    "counts",
    "longest_open",
    "rates",
    "totals",
    "villages",
]

ANSWERED: tuple[str, ...] = ANSWERED_OUTCOMES
RESOLVED: tuple[str, ...] = RESOLVED_OUTCOMES
#: Statuses of an issue no longer open (with or without an outcome).
CLOSED: tuple[str, ...] = CLOSED_STATUSES

_SCOPE: LiteralString = """
MATCH (i:Issue)
WHERE i.areaCode STARTS WITH $prefix AND i.createdAt >= $start AND i.createdAt < $end
"""

AREA: LiteralString = "MATCH (a:Area {code: $code}) RETURN a.name AS name, a.kind AS kind"

TOTALS: LiteralString = (
    _SCOPE
    + """
WITH count(i) AS total,
     count(CASE WHEN i.outcome IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.outcome IN $resolved THEN 1 END) AS resolved,
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
     count(CASE WHEN i.outcome IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.outcome IN $resolved THEN 1 END) AS resolved
RETURN t.code AS key, t.name AS label, total, answered, resolved
ORDER BY total DESC, key
"""
)

BY_CHILD_AREA: LiteralString = (
    _SCOPE
    + """
WITH left(left(i.areaCode, $childLength) + '000000000000', 12) AS code, i
WITH code, count(i) AS total,
     count(CASE WHEN i.outcome IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.outcome IN $resolved THEN 1 END) AS resolved
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
     count(CASE WHEN i.outcome IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.outcome IN $resolved THEN 1 END) AS resolved
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
  AND i.outcome IS NULL AND NOT i.status IN $closed
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


@dataclass(frozen=True)
class Totals:
    total: int
    answered: int
    resolved: int
    median_days_to_resolve: float | None


def area_name(db: Database, code: str) -> str | None:
    """The name of the report's area (``None`` when it does not exist)."""
    found = db.execute(AREA, {"code": code})
    return found[0]["name"] if found else None


def totals(db: Database, params: dict[str, Any]) -> Totals:
    record = db.execute(TOTALS, params)[0]
    median = record["median"]
    return Totals(
        int(record["total"]),
        int(record["answered"]),
        int(record["resolved"]),
        round(float(median), 2) if median is not None else None,
    )


def counts(db: Database, statement: LiteralString, params: dict[str, Any]) -> list[Count]:
    """The rows of a ``BY_…`` count statement (week, category, channel, status)."""
    return [
        Count(str(r["key"]), str(r["label"]), int(r["count"]))
        for r in db.execute(statement, params)
    ]


def rates(db: Database, statement: LiteralString, params: dict[str, Any]) -> list[AreaRate]:
    """The rows of a rate statement (per township, child area or level)."""
    return [
        AreaRate(
            str(r["key"]), str(r["label"]), int(r["total"]), int(r["answered"]), int(r["resolved"])
        )
        for r in db.execute(statement, params)
    ]


def villages(db: Database, statement: LiteralString, params: dict[str, Any]) -> list[VillageRate]:
    """The rows of :data:`TOP_VILLAGES` or :data:`PER_THOUSAND`."""
    return [_village(r) for r in db.execute(statement, params)]


def longest_open(db: Database, params: dict[str, Any]) -> list[OpenIssue]:
    return [
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
