"""The local 12345 gateway's counter and dispatch log (see :mod:`graphcoord.tickets`)."""

from __future__ import annotations

import datetime as dt
from typing import LiteralString

from graphcoord.db import Database

__all__ = ["next_number", "record_dispatch"]

# A new counter starts after the highest number already on an issue (seeded or imported).
NEXT_NUMBER: LiteralString = """
OPTIONAL MATCH (i:Issue) WHERE i.ticket STARTS WITH $prefix
WITH max(toInteger(substring(i.ticket, size($prefix)))) AS highest
MERGE (c:TicketCounter {year: $year})
ON CREATE SET c.value = coalesce(highest, 0)
SET c.value = c.value + 1
RETURN c.value AS value
"""

RECORD_DISPATCH: LiteralString = """
MATCH (i:Issue {id: $issueId})
MERGE (t:Ticket {number: $number})
SET t.issueId = $issueId, t.dispatchedAt = $at, t.gateway = $gateway, t.category = $category
MERGE (t)-[:FOR]->(i)
RETURN t.number AS number
"""


def next_number(db: Database, year: int, prefix: str) -> int:
    """The next ticket number of ``year``, under the counter node's write lock."""
    return int(db.write(NEXT_NUMBER, {"year": year, "prefix": prefix})[0]["value"])


def record_dispatch(
    db: Database,
    *,
    issue_id: str,
    number: str,
    at: dt.datetime,
    gateway: str,
    category: str | None,
) -> None:
    """Record that ticket ``number`` of an issue went to ``gateway``."""
    db.write(
        RECORD_DISPATCH,
        {"issueId": issue_id, "number": number, "at": at, "gateway": gateway, "category": category},
    )
