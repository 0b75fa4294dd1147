"""The liaison chain between levels, proposals and their sponsors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.batch import write_rows
from graphcoord.queries.deputies import deputy_levels
from graphcoord.rules import liaison_violations, raise_for

__all__ = ["UPSERT_ADDRESSES", "UPSERT_PROPOSALS", "UPSERT_SPONSORSHIPS", "upsert_liaisons"]

UPSERT_LIAISONS: LiteralString = """
UNWIND $rows AS row
MATCH (upper:Deputy {id: row.fromId})
MATCH (lower:Deputy {id: row.toId})
MERGE (upper)-[:LIAISON_FOR]->(lower)
"""

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


def upsert_liaisons(
    db: Database, rows: Sequence[Mapping[str, Any]], *, batch_size: int = 5000, **kwargs: Any
) -> int:
    """Write LIAISON_FOR edges after checking that each goes from a higher level down."""
    ids = [str(row[key]) for row in rows for key in ("fromId", "toId")]
    raise_for(liaison_violations(rows, deputy_levels(db, ids)))
    return write_rows(db, UPSERT_LIAISONS, rows, batch_size=batch_size, **kwargs)
