"""Campaigns for all deputies (e.g. the five-year legislation-plan call) and participation."""

from __future__ import annotations

from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = ["UPSERT_CAMPAIGNS", "UPSERT_PARTICIPATIONS"]

UPSERT_CAMPAIGNS: LiteralString = """
UNWIND $rows AS row
MERGE (c:Campaign {id: row.id})
SET c.title = row.title, c.citizenCount = row.citizenCount
"""

UPSERT_PARTICIPATIONS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (c:Campaign {id: row.campaignId})
MERGE (d)-[:PARTICIPATED_IN]->(c)
"""


CAMPAIGNS: LiteralString = """
MATCH (c:Campaign)
RETURN c.id AS id, c.title AS title, c.citizenCount AS citizenCount,
       COUNT { (:Deputy)-[:PARTICIPATED_IN]->(c) } AS participants
ORDER BY id
"""

PARTICIPATION_BY_LEVEL: LiteralString = """
MATCH (c:Campaign {id: $id})
MATCH (d:Deputy) WHERE coalesce(d.status, 'ACTIVE') = 'ACTIVE'
WITH c, d.level AS level, d
RETURN level, count(d) AS deputies,
       count(CASE WHEN (d)-[:PARTICIPATED_IN]->(c) THEN 1 END) AS participants
ORDER BY level
"""

PARTICIPATION_BY_COUNTY: LiteralString = """
MATCH (c:Campaign {id: $id})
MATCH (d:Deputy) WHERE coalesce(d.status, 'ACTIVE') = 'ACTIVE' AND size(d.electedIn) = 12
  AND NOT d.electedIn ENDS WITH '000000'
WITH c, left(d.electedIn, 6) + '000000' AS county, d
OPTIONAL MATCH (a:Area {code: county})
RETURN county, a.name AS name, count(d) AS deputies,
       count(CASE WHEN (d)-[:PARTICIPATED_IN]->(c) THEN 1 END) AS participants
ORDER BY county
"""


def campaigns(db: Database) -> list[dict[str, Any]]:
    return [dict(r) for r in db.execute(CAMPAIGNS)]


def participation(
    db: Database, campaign_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Participation per level and per county (of the deputies' constituency)."""
    by_level = [dict(r) for r in db.execute(PARTICIPATION_BY_LEVEL, {"id": campaign_id})]
    by_county = [dict(r) for r in db.execute(PARTICIPATION_BY_COUNTY, {"id": campaign_id})]
    return by_level, by_county
