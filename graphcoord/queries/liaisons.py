"""The liaison chain between levels: ``(upper:Deputy)-[:LIAISON_FOR]->(lower:Deputy)``."""

from __future__ import annotations

from typing import LiteralString

__all__ = ["UPSERT_LIAISONS"]

UPSERT_LIAISONS: LiteralString = """
UNWIND $rows AS row
MATCH (upper:Deputy {id: row.fromId})
MATCH (lower:Deputy {id: row.toId})
MERGE (upper)-[:LIAISON_FOR]->(lower)
"""
