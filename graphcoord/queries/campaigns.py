"""Campaigns for all deputies (e.g. the five-year legislation-plan call) and participation."""

from __future__ import annotations

from typing import LiteralString

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
