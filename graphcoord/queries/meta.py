"""Whole-graph facts: node counts per label and the graph version.

The version is a counter on one ``GraphVersion`` node that every write path bumps, so caches
of projections (``graphcoord/queries/projection.py``) know when to read the graph again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from graphcoord.db import Database

__all__ = ["LabelCount", "bump_version", "graph_version", "label_counts"]

LABEL_COUNTS: LiteralString = """
CALL db.labels() YIELD label
CALL (label) {
  MATCH (n) WHERE label IN labels(n)
  RETURN count(n) AS count
}
RETURN label, count ORDER BY label
"""

GRAPH_VERSION: LiteralString = """
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
RETURN coalesce(v.version, 0) AS version
"""

BUMP_VERSION: LiteralString = """
MERGE (v:GraphVersion {id: 'graph'})
SET v.version = coalesce(v.version, 0) + 1
RETURN v.version AS version
"""


@dataclass(frozen=True)
class LabelCount:
    label: str
    count: int


def label_counts(db: Database) -> list[LabelCount]:
    """How many nodes carry each label (``GraphVersion`` bookkeeping excluded)."""
    return [
        LabelCount(record["label"], record["count"])
        for record in db.execute(LABEL_COUNTS)
        if record["label"] != "GraphVersion" and record["count"] > 0
    ]


def graph_version(db: Database) -> int:
    return int(db.execute(GRAPH_VERSION)[0]["version"])


def bump_version(db: Database) -> int:
    """Mark the graph as changed; every write path calls this after it commits."""
    return int(db.write(BUMP_VERSION)[0]["version"])
