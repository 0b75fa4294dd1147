"""Citizens' issues (opinions), who tracks them and where they were escalated."""

from __future__ import annotations

from typing import LiteralString

__all__ = ["UPSERT_ESCALATIONS", "UPSERT_ISSUES", "UPSERT_TRACKERS"]

UPSERT_ISSUES: LiteralString = """
UNWIND $rows AS row
MERGE (i:Issue {id: row.id})
SET i.title = row.title, i.body = row.body, i.category = row.category,
    i.channel = row.channel, i.ticket = row.ticket, i.status = row.status,
    i.createdAt = datetime(row.createdAt),
    i.resolvedAt = CASE WHEN row.resolvedAt IS NULL THEN null ELSE datetime(row.resolvedAt) END,
    i.areaCode = row.areaCode, i.trackingCode = row.trackingCode,
    i.contact = row.contact
WITH i, row
MATCH (a:Area {code: row.areaCode})
MERGE (i)-[:RAISED_IN]->(a)
WITH i, row WHERE row.chainId IS NOT NULL
MATCH (c:IndustryChain {id: row.chainId})
MERGE (i)-[:CONCERNS]->(c)
"""

UPSERT_TRACKERS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (i:Issue {id: row.issueId})
MERGE (d)-[:TRACKS]->(i)
"""

UPSERT_ESCALATIONS: LiteralString = """
UNWIND $rows AS row
MATCH (i:Issue {id: row.issueId})
MATCH (d:Deputy {id: row.deputyId})
MERGE (i)-[e:ESCALATED_TO]->(d)
SET e.at = datetime(row.at), e.reason = row.reason
"""
