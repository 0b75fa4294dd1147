"""Handling rates, aggregated by Neo4j, overall and per area, level, deputy and department.

Scope: issues raised inside an area (by code prefix) and created in ``[start, end)``. Per
group, what is counted (definitions in docs/deadlines.md):

- *total*; *answered*: outcome RESOLVED or ANSWERED; *resolved*: outcome RESOLVED;
  *notAccepted*: outcome NOT_ACCEPTED; *finished*: any outcome;
- *due*: finished issues with a clock, and unfinished ones whose finish date has passed (a
  working day after ``finishDue`` by ``$redBefore``); *onTime*: finished within the limit
  (``finishedLate = 0``);
- *medianWorkdays*: the median of ``finishedWithin`` (working days from the clock's start to
  the outcome);
- *rated*: with a verdict; *satisfied*: 满意 or 基本满意.

A deputy's rates are those of the issues they track (every deputy who covers the village, and
deputies it was escalated to); a department's, those assigned to it; a level's, those tracked
by a deputy of that level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = ["BY_AREA", "BY_LEVEL", "OVERALL", "RateCounts", "grouped_page", "rate_rows"]

_SCOPE: LiteralString = """
MATCH (i:Issue)
WHERE i.areaCode STARTS WITH $prefix AND i.createdAt >= $start AND i.createdAt < $end
"""

_COUNTS: LiteralString = """
     count(i) AS total,
     count(CASE WHEN i.outcome IN $answered THEN 1 END) AS answered,
     count(CASE WHEN i.outcome IN $resolved THEN 1 END) AS resolved,
     count(CASE WHEN i.outcome = 'NOT_ACCEPTED' THEN 1 END) AS notAccepted,
     count(i.outcome) AS finished,
     count(CASE WHEN i.finishedLate = 0 THEN 1 END) AS onTime,
     count(CASE WHEN i.finishedLate IS NOT NULL
                  OR (i.outcome IS NULL AND i.finishDue < $redBefore) THEN 1 END) AS due,
     percentileCont(i.finishedWithin, 0.5) AS medianWorkdays,
     count(i.satisfaction) AS rated,
     count(CASE WHEN i.satisfaction IN $satisfied THEN 1 END) AS satisfied
"""

_FIELDS: LiteralString = """
total: total, answered: answered, resolved: resolved, notAccepted: notAccepted,
finished: finished, onTime: onTime, due: due, medianWorkdays: medianWorkdays, rated: rated,
satisfied: satisfied
"""

OVERALL: LiteralString = (
    _SCOPE
    + """
WITH"""
    + _COUNTS
    + """
RETURN '' AS key, '' AS label, '' AS kind, 0 AS claimed, total, answered, resolved, notAccepted,
       finished, onTime, due, medianWorkdays, rated, satisfied
"""
)

BY_LEVEL: LiteralString = (
    _SCOPE
    + """
MATCH (d:Deputy)-[:TRACKS]->(i)
WITH DISTINCT d.level AS key, i
WITH key,"""
    + _COUNTS
    + """
RETURN key, key AS label, '' AS kind, 0 AS claimed, total, answered, resolved, notAccepted,
       finished, onTime, due, medianWorkdays, rated, satisfied
"""
)

BY_AREA: LiteralString = (
    _SCOPE
    + """
WITH left(left(i.areaCode, $childLength) + '000000000000', 12) AS key, i
WITH key,"""
    + _COUNTS
    + """
OPTIONAL MATCH (a:Area {code: key})
RETURN key, coalesce(a.name, key) AS label, coalesce(a.kind, '') AS kind, 0 AS claimed,
       total, answered, resolved, notAccepted, finished, onTime, due, medianWorkdays, rated,
       satisfied
ORDER BY total DESC, key
"""
)

BY_DEPUTY: LiteralString = (
    _SCOPE
    + """
MATCH (d:Deputy)-[:TRACKS]->(i)
WITH d,"""
    + _COUNTS
    + """,
     count(CASE WHEN i.claimedBy = d.id THEN 1 END) AS claimed
ORDER BY total DESC, d.id
WITH collect({key: d.id, label: d.name, kind: d.level, claimed: claimed,"""
    + _FIELDS
    + """}) AS found
RETURN size(found) AS groups, found[$skip..$skip + $limit + 1] AS rows
"""
)

BY_DEPARTMENT: LiteralString = (
    _SCOPE
    + """
MATCH (i)-[:ASSIGNED_TO]->(dep:Department)
WITH dep,"""
    + _COUNTS
    + """
ORDER BY total DESC, dep.id
WITH collect({key: dep.id, label: dep.name, kind: dep.kind, claimed: 0,"""
    + _FIELDS
    + """}) AS found
RETURN size(found) AS groups, found[$skip..$skip + $limit + 1] AS rows
"""
)

_PAGED: dict[str, LiteralString] = {"deputy": BY_DEPUTY, "department": BY_DEPARTMENT}


@dataclass(frozen=True)
class RateCounts:
    """The counts of one group (see the module's notes); ``kind`` is a deputy's level, a
    department's or an area's kind; ``claimed`` the issues a deputy claimed."""

    key: str
    label: str
    kind: str
    total: int
    answered: int
    resolved: int
    not_accepted: int
    finished: int
    on_time: int
    due: int
    median_workdays: float | None
    rated: int
    satisfied: int
    claimed: int = 0

    @property
    def answer_rate(self) -> float:
        """答复率: answered or resolved, of all received."""
        return _share(self.answered, self.total) or 0.0

    @property
    def resolution_rate(self) -> float:
        """解决率: resolved, of all received."""
        return _share(self.resolved, self.total) or 0.0

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: finished within the limit, of those due (``None`` when none is)."""
        return _share(self.on_time, self.due)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: 满意 or 基本满意, of the verdicts given (``None`` without any)."""
        return _share(self.satisfied, self.rated)

    @classmethod
    def from_map(cls, r: Any) -> RateCounts:
        median = r["medianWorkdays"]
        return cls(
            key=str(r["key"]),
            label=str(r["label"] or r["key"]),
            kind=str(r["kind"] or ""),
            total=int(r["total"]),
            answered=int(r["answered"]),
            resolved=int(r["resolved"]),
            not_accepted=int(r["notAccepted"]),
            finished=int(r["finished"]),
            on_time=int(r["onTime"]),
            due=int(r["due"]),
            median_workdays=round(float(median), 1) if median is not None else None,
            rated=int(r["rated"]),
            satisfied=int(r["satisfied"]),
            claimed=int(r["claimed"] or 0),
        )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rate_rows(db: Database, statement: LiteralString, params: dict[str, Any]) -> list[RateCounts]:
    """The rows of :data:`OVERALL`, :data:`BY_LEVEL` or :data:`BY_AREA`."""
    return [RateCounts.from_map(r) for r in db.execute(statement, params)]


def grouped_page(
    db: Database, by: str, params: dict[str, Any], *, skip: int, limit: int
) -> tuple[int, list[RateCounts]]:
    """Per deputy or department (``by``), busiest first: how many groups, and ``limit + 1``
    of them after ``skip``."""
    record = db.execute(_PAGED[by], {**params, "skip": skip, "limit": limit})[0]
    return int(record["groups"]), [RateCounts.from_map(r) for r in record["rows"]]
