"""Whole-graph facts: node counts per label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from graphcoord.db import Database

__all__ = ["LabelCount", "deputy_count", "label_counts", "node_count"]

LABEL_COUNTS: LiteralString = """
CALL db.labels() YIELD label
CALL (label) {
  MATCH (n) WHERE label IN labels(n)
  RETURN count(n) AS count
}
RETURN label, count ORDER BY label
"""


@dataclass(frozen=True)
class LabelCount:
    label: str
    count: int


def label_counts(db: Database) -> list[LabelCount]:
    """How many nodes carry each label (the ``GraphVersion`` node of older stores excluded)."""
    return [
        LabelCount(record["label"], record["count"])
        for record in db.execute(LABEL_COUNTS)
        if record["label"] != "GraphVersion" and record["count"] > 0
    ]


NODE_COUNT: LiteralString = "MATCH (n) RETURN count(n) AS n"


def node_count(db: Database) -> int:
    """How many nodes the database holds (from Neo4j's count store: O(1))."""
    return int(db.execute(NODE_COUNT)[0]["n"])


DEPUTY_COUNT: LiteralString = "MATCH (d:Deputy) RETURN count(d) AS n"


def deputy_count(db: Database) -> int:
    """How many deputies the graph holds (read from Neo4j's count store: no scan)."""
    return int(db.execute(DEPUTY_COUNT)[0]["n"])
