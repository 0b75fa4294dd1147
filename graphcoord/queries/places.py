"""Opinion-collection points and liaison stations, and the deputies received there."""

from __future__ import annotations

from typing import LiteralString

__all__ = ["UPSERT_COLLECTION_POINTS", "UPSERT_RECEPTIONS", "UPSERT_STATIONS"]

UPSERT_COLLECTION_POINTS: LiteralString = """
UNWIND $rows AS row
MERGE (p:CollectionPoint {id: row.id})
SET p.name = row.name, p.kind = row.kind, p.areaCode = row.areaCode
WITH p, row
MATCH (a:Area {code: row.areaCode})
MERGE (p)-[:LOCATED_IN]->(a)
"""

UPSERT_STATIONS: LiteralString = """
UNWIND $rows AS row
MERGE (s:LiaisonStation {id: row.id})
SET s.name = row.name, s.kind = row.kind, s.monthlyActivityDay = row.monthlyActivityDay,
    s.areaCode = row.areaCode
WITH s, row
MATCH (a:Area {code: row.areaCode})
MERGE (s)-[:LOCATED_IN]->(a)
"""

UPSERT_RECEPTIONS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
CALL (row) {
  MATCH (c:CollectionPoint {id: row.placeId}) RETURN c AS place
  UNION
  MATCH (s:LiaisonStation {id: row.placeId}) RETURN s AS place
}
MERGE (d)-[:RECEIVES_AT]->(place)
"""
