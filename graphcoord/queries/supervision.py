"""The supervision board (三色督办): unfinished issues with a clock, most overdue first.

The stage, its due date and the colour are decided here as :mod:`graphcoord.deadlines` decides
them for one issue: the stage is the first of claim / reply / finish not done yet (by the
presence of ``claimedAt`` and ``firstReplyAt``); RED when ``due < $redBefore``, YELLOW when
``due <= $yellowUntil``, else GREEN, with the two dates computed by
:func:`graphcoord.deadlines.thresholds` (tests/test_supervision.py checks that both agree).
Ordering by the due date puts the most overdue first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import native
from graphcoord.queries.vocabulary import CLOSED_STATUSES

__all__ = ["BoardRow", "board_counts", "board_page", "reminder_rows"]

_ON_BOARD: LiteralString = (
    """
MATCH (i:Issue)
WHERE i.outcome IS NULL AND i.finishDue IS NOT NULL AND NOT i.status IN """
    + CLOSED_STATUSES
    + """
  AND ($prefix IS NULL OR i.areaCode STARTS WITH $prefix)
WITH i, CASE WHEN i.claimedAt IS NULL THEN 'CLAIM'
             WHEN i.firstReplyAt IS NULL THEN 'REPLY'
             ELSE 'FINISH' END AS stage
WITH i, stage, CASE stage WHEN 'CLAIM' THEN i.claimDue
                          WHEN 'REPLY' THEN i.replyDue
                          ELSE i.finishDue END AS due
WITH i, stage, due, CASE WHEN due < $redBefore THEN 'RED'
                         WHEN due <= $yellowUntil THEN 'YELLOW'
                         ELSE 'GREEN' END AS colour
"""
)

BOARD_PAGE: LiteralString = (
    _ON_BOARD
    + """
WHERE $colour IS NULL OR colour = $colour
WITH i, stage, due, colour ORDER BY due, i.createdAt, i.id
WITH collect({i: i, stage: stage, due: due, colour: colour}) AS found
WITH size(found) AS total, found[$skip..$skip + $limit + 1] AS page
CALL (page) {
  UNWIND page AS x
  WITH x, x.i AS i
  RETURN collect(i {.id, .title, .status, .areaCode, .ticket, .createdAt, .claimedBy,
                    .departmentId, .round, stage: x.stage, due: x.due, colour: x.colour,
                    village: [(i)-[:RAISED_IN]->(v:Area) | v.name][0],
                    department: [(i)-[:ASSIGNED_TO]->(d:Department) | d.name][0],
                    claimedByName: [(c:Deputy)-[:CLAIMED]->(i) | c.name][0],
                    lastLetter: [(i)-[:HAD_EVENT]->(e:HandlingEvent {kind: 'LETTER'})
                                 | e.number][-1]}) AS rows
}
RETURN total, rows
"""
)

BOARD_COUNTS: LiteralString = (
    _ON_BOARD
    + """
RETURN colour, count(*) AS count
"""
)

#: Due-soon and overdue items with who must act: the claiming deputy or the assigned
#: department, or, while nobody has claimed it, the deputies who track it.
REMINDER_ROWS: LiteralString = (
    _ON_BOARD
    + """
WHERE colour IN ['RED', 'YELLOW']
WITH i, stage, due, colour ORDER BY due, i.id
SKIP $skip LIMIT $limit
RETURN i.id AS id, i.title AS title, i.areaCode AS areaCode, stage, due, colour,
       i.claimedBy AS claimedBy, i.departmentId AS departmentId,
       [(d:Deputy)-[:TRACKS]->(i) WHERE d.status = 'ACTIVE' | d.id] AS trackers
"""
)


@dataclass(frozen=True)
class BoardRow:
    """An unfinished issue on the board, with its stage, due date and colour."""

    id: str
    title: str
    status: str
    area_code: str | None
    village: str | None
    ticket: str | None
    created_at: dt.datetime | None
    stage: str
    due_on: dt.date
    colour: str
    round: int
    claimed_by: str | None
    claimed_by_name: str | None
    department_id: str | None
    department: str | None
    last_letter: str | None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> BoardRow:
        return cls(
            id=row["id"],
            title=row["title"],
            status=row["status"],
            area_code=row.get("areaCode"),
            village=row.get("village"),
            ticket=row.get("ticket"),
            created_at=native(row.get("createdAt")),
            stage=row["stage"],
            due_on=native(row["due"]),
            colour=row["colour"],
            round=int(row.get("round") or 1),
            claimed_by=row.get("claimedBy"),
            claimed_by_name=row.get("claimedByName"),
            department_id=row.get("departmentId"),
            department=row.get("department"),
            last_letter=row.get("lastLetter"),
        )


def _params(prefix: str | None, red_before: dt.date, yellow_until: dt.date) -> dict[str, Any]:
    return {"prefix": prefix, "redBefore": red_before, "yellowUntil": yellow_until}


def board_page(
    db: Database,
    *,
    prefix: str | None,
    colour: str | None,
    red_before: dt.date,
    yellow_until: dt.date,
    skip: int,
    limit: int,
) -> tuple[int, list[BoardRow]]:
    """A page of the board (``limit + 1`` rows to show a next page) and the matching total."""
    record = db.execute(
        BOARD_PAGE,
        {
            **_params(prefix, red_before, yellow_until),
            "colour": colour,
            "skip": skip,
            "limit": limit,
        },
    )[0]
    return int(record["total"]), [BoardRow.from_map(r) for r in record["rows"]]


def board_counts(
    db: Database, *, prefix: str | None, red_before: dt.date, yellow_until: dt.date
) -> dict[str, int]:
    """How many unfinished issues with a clock are of each colour."""
    return {
        r["colour"]: int(r["count"])
        for r in db.execute(BOARD_COUNTS, _params(prefix, red_before, yellow_until))
    }


def reminder_rows(
    db: Database,
    *,
    red_before: dt.date,
    yellow_until: dt.date,
    skip: int,
    limit: int,
) -> list[dict[str, Any]]:
    """A slice of the due-soon and overdue items with their handlers and trackers."""
    return [
        {**r.data(), "due": native(r["due"])}
        for r in db.execute(
            REMINDER_ROWS,
            {**_params(None, red_before, yellow_until), "skip": skip, "limit": limit},
        )
    ]
