"""Proposals (议案建议), their sponsors and the issues they address."""

from __future__ import annotations

from typing import LiteralString

__all__ = ["UPSERT_ADDRESSES", "UPSERT_PROPOSALS", "UPSERT_SPONSORSHIPS"]

UPSERT_PROPOSALS: LiteralString = """
UNWIND $rows AS row
MERGE (p:Proposal {id: row.id})
SET p.title = row.title, p.congressLevel = row.congressLevel, p.session = row.session,
    p.status = row.status, p.handler = row.handler
"""

UPSERT_SPONSORSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (p:Proposal {id: row.proposalId})
MERGE (d)-[s:SPONSORED]->(p)
SET s.role = row.role
"""

UPSERT_ADDRESSES: LiteralString = """
UNWIND $rows AS row
MATCH (p:Proposal {id: row.proposalId})
MATCH (i:Issue {id: row.issueId})
MERGE (p)-[:ADDRESSES]->(i)
"""
