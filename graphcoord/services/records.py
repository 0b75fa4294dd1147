"""The performance record (履职档案) and the assessment score of deputies for a year.

Who may read: organizers, planners and admins read every deputy's record and score; a deputy
reads their own only (the 述职 handout is theirs); the public none. The figures are counted by
Neo4j in one statement per batch of deputies (:mod:`graphcoord.queries.records`), so a page of
deputies with their records costs the same round trips as one deputy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from graphcoord.auth import Principal
from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound
from graphcoord.model import RECORD_YEARS, REPORT_BACK, now_in_china
from graphcoord.queries.records import RecordRow, record_rows
from graphcoord.rules import require_area_code
from graphcoord.services.directory import deputy_page
from graphcoord.services.scoring import Score, load_table, score_of
from graphcoord.services.supervision import limits_on

__all__ = [
    "MAX_RANKED",
    "RankedRecord",
    "RecordOrder",
    "RecordRow",
    "check_year",
    "may_read_record",
    "ranked_records",
    "record_of",
    "records_by_keys",
    "require_record_reader",
]

#: Most deputies an area's ranking reads (Liulin county holds 1,132; a city holds thousands).
MAX_RANKED = 5000

_READERS = frozenset({"organizer", "planner", "admin"})


class RecordOrder(StrEnum):
    """How an area's records are ordered: by score (highest first), by a figure, or by id."""

    SCORE = "SCORE"
    VISITS = "VISITS"
    ISSUES_RESOLVED = "ISSUES_RESOLVED"
    PROPOSALS = "PROPOSALS"
    SATISFACTION = "SATISFACTION"
    ID = "ID"


def check_year(year: int) -> int:
    low, high = RECORD_YEARS
    if not low <= year <= high:
        raise BadInput("year {year} is outside {low}-{high}", year=year, low=low, high=high)
    return year


def may_read_record(principal: Principal, deputy_id: str) -> bool:
    """Organizers, planners and admins read every record; a deputy their own."""
    return principal.role in _READERS or (
        principal.role == "deputy" and principal.deputy_id == deputy_id
    )


def require_record_reader(principal: Principal, deputy_id: str | None = None) -> None:
    """Refuse a caller who may not read ``deputy_id``'s record (or every record, if ``None``)."""
    if deputy_id is not None and may_read_record(principal, deputy_id):
        return
    if principal.role in _READERS:
        return
    if principal.role == "deputy":
        raise Forbidden("a deputy reads their own record only")
    raise Forbidden("records are for organizers, planners, admins and the deputy themself")


def _today(today: dt.date | None) -> dt.date:
    return today or now_in_china().date()


def records_of(
    db: Database, keys: Sequence[tuple[str, int]], *, today: dt.date | None = None
) -> dict[tuple[str, int], RecordRow]:
    """The records of ``(deputy id, year)`` pairs, counted as of ``today``: one round trip
    for the colour thresholds and one for every record."""
    if not keys:
        return {}
    day = _today(today)
    last = max(year for _, year in keys)
    as_of = min(dt.date(last, 12, 31), day)
    limits = limits_on(db, as_of)
    rows = record_rows(db, keys, red_before=limits.red_before, today=day, report_back=REPORT_BACK)
    return {(r.deputy_id, r.year): r for r in rows}


def records_by_keys(
    db: Database, keys: Sequence[str], *, today: dt.date | None = None
) -> dict[str, RecordRow]:
    """DataLoader form: keys ``"<deputy id>|<year>"``."""
    pairs = []
    for key in keys:
        deputy_id, _, year = key.rpartition("|")
        pairs.append((deputy_id, int(year)))
    found = records_of(db, pairs, today=today)
    return {f"{i}|{y}": row for (i, y), row in found.items()}


def record_of(
    db: Database, principal: Principal, deputy_id: str, year: int, *, today: dt.date | None = None
) -> RecordRow:
    """One deputy's record for ``year`` (role checked; unknown deputy → NotFound)."""
    require_record_reader(principal, deputy_id)
    check_year(year)
    found = records_of(db, [(deputy_id, year)], today=today).get((deputy_id, year))
    if found is None:
        raise NotFound("deputy", deputy_id)
    return found


@dataclass(frozen=True)
class RankedRecord:
    """A deputy's record and score with their rank in the area (1 = highest score)."""

    deputy: dict[str, object]
    record: RecordRow
    score: Score
    rank: int


def _key(order: RecordOrder, item: RankedRecord) -> tuple[float, str]:
    r = item.record
    value: float = {
        RecordOrder.SCORE: item.score.total,
        RecordOrder.VISITS: r.visits,
        RecordOrder.ISSUES_RESOLVED: r.issues_resolved,
        RecordOrder.PROPOSALS: r.proposals_sponsored + r.proposals_co_signed,
        RecordOrder.SATISFACTION: r.satisfaction_rate if r.satisfaction_rate is not None else -1,
        RecordOrder.ID: 0,
    }[order]
    return (-value, r.deputy_id)


def ranked_records(
    db: Database,
    principal: Principal,
    *,
    area_code: str,
    year: int,
    state_dir: Path,
    level: str | None = None,
    order: RecordOrder = RecordOrder.SCORE,
    today: dt.date | None = None,
) -> list[RankedRecord]:
    """Every deputy of the area (elected in it or contacting a village in it), optionally of
    one level, with record, score and rank by score; ordered by ``order``. A ranking per
    township and level is this with a township's code and a level."""
    require_record_reader(principal)
    require_area_code(area_code)
    check_year(year)
    total, rows = deputy_page(
        db, after=None, limit=MAX_RANKED, count=True, level=level, area_code=area_code
    )
    if total is not None and total > MAX_RANKED:
        raise BadInput(
            "{total} deputies in {area}: rank at most {limit} (choose a smaller area or a level)",
            total=total,
            area=area_code,
            limit=MAX_RANKED,
        )
    records = records_of(db, [(str(row["id"]), year) for row in rows], today=today)
    table = load_table(state_dir)
    scored = [
        (row, records[(str(row["id"]), year)]) for row in rows if (str(row["id"]), year) in records
    ]
    scores = {rec.deputy_id: score_of(rec, table) for _, rec in scored}
    by_score = sorted(
        scored, key=lambda pair: (-scores[pair[1].deputy_id].total, pair[1].deputy_id)
    )
    ranks: dict[str, int] = {}
    previous: float | None = None
    for position, (_, rec) in enumerate(by_score, start=1):
        total_score = scores[rec.deputy_id].total
        # Equal scores share a rank (1, 2, 2, 4): a ranking, not an order.
        ranks[rec.deputy_id] = (
            ranks[by_score[position - 2][1].deputy_id] if total_score == previous else position
        )
        previous = total_score
    items = [
        RankedRecord(dict(row), rec, scores[rec.deputy_id], ranks[rec.deputy_id])
        for row, rec in scored
    ]
    return sorted(items, key=lambda item: _key(order, item))
