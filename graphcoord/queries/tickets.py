"""The local 12345 gateway's counter and dispatch log (see :mod:`graphcoord.services.tickets`)."""

from __future__ import annotations

import datetime as dt
from typing import LiteralString

from graphcoord.db import Database

__all__ = ["record_dispatch", "reserve_numbers"]

# A new counter starts after the highest number already on an issue (seeded or imported).
RESERVE_NUMBERS: LiteralString = """
OPTIONAL MATCH (existing:TicketCounter {year: $year})
CALL (existing) {
  WITH existing WHERE existing IS NULL
  OPTIONAL MATCH (i:Issue) WHERE i.ticket STARTS WITH $prefix
  RETURN max(toInteger(substring(i.ticket, size($prefix)))) AS highest
  UNION
  WITH existing WHERE existing IS NOT NULL
  RETURN null AS highest
}
MERGE (c:TicketCounter {year: $year})
ON CREATE SET c.value = coalesce(highest, 0)
SET c.value = c.value + $count
RETURN c.value AS value
"""

RECORD_DISPATCH: LiteralString = """
MATCH (i:Issue {id: $issueId})
MERGE (t:Ticket {number: $number})
SET t.issueId = $issueId, t.dispatchedAt = $at, t.gateway = $gateway, t.category = $category
MERGE (t)-[:FOR]->(i)
RETURN t.number AS number
"""


def reserve_numbers(db: Database, year: int, prefix: str, count: int) -> int:
    """Reserve the next ``count`` ticket numbers of ``year`` (under the counter node's write
    lock); the last of them."""
    params = {"year": year, "prefix": prefix, "count": count}
    return int(db.write(RESERVE_NUMBERS, params)[0]["value"])


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
