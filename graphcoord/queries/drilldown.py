"""Reads of the console's coverage drill-down: the areas at the top of the graph."""

from __future__ import annotations

from typing import LiteralString

from graphcoord.db import Database
from graphcoord.queries.areas import Area

__all__ = ["top_areas"]

TOP_AREAS: LiteralString = """
MATCH (a:Area) WHERE NOT (a)-[:PART_OF]->(:Area)
RETURN a.code AS code, a.name AS name, a.kind AS kind, null AS parentCode,
       a.population AS population
ORDER BY a.code LIMIT $limit
"""


def top_areas(db: Database, limit: int = 50) -> list[Area]:
    """Areas with no parent in the graph (a province, or a city loaded alone), by code."""
    return [Area.from_record(r) for r in db.execute(TOP_AREAS, {"limit": limit})]
