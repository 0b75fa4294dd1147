"""Industry clusters and chains, observation points and the deputies working on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = [
    "UPSERT_CHAINS",
    "UPSERT_CHAIN_WORKERS",
    "UPSERT_CLUSTERS",
    "UPSERT_OBSERVATION_POINTS",
    "UPSERT_OBSERVERS",
]

UPSERT_CLUSTERS: LiteralString = """
UNWIND $rows AS row
MERGE (c:IndustryCluster {id: row.id})
SET c.name = row.name
"""

UPSERT_CHAINS: LiteralString = """
UNWIND $rows AS row
MERGE (c:IndustryChain {id: row.id})
SET c.name = row.name
WITH c, row
MATCH (k:IndustryCluster {id: row.clusterId})
MERGE (c)-[:IN_CLUSTER]->(k)
"""

UPSERT_OBSERVATION_POINTS: LiteralString = """
UNWIND $rows AS row
MERGE (p:ObservationPoint {id: row.id})
SET p.name = row.name, p.enterprise = row.enterprise, p.role = row.role,
    p.areaCode = row.areaCode
WITH p, row
MATCH (c:IndustryChain {id: row.chainId})
MERGE (p)-[:ON_CHAIN]->(c)
WITH p, row WHERE row.areaCode IS NOT NULL
MATCH (a:Area {code: row.areaCode})
MERGE (p)-[:LOCATED_IN]->(a)
"""

UPSERT_OBSERVERS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (p:ObservationPoint {id: row.pointId})
MERGE (d)-[o:OBSERVES]->(p)
SET o.role = row.role
"""

UPSERT_CHAIN_WORKERS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (c:IndustryChain {id: row.chainId})
MERGE (d)-[:WORKS_ON]->(c)
"""


CHAINS_OF_DEPUTIES: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})
CALL (d) {
  MATCH (d)-[:WORKS_ON]->(c:IndustryChain) RETURN c
  UNION
  MATCH (d)-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->(c:IndustryChain) RETURN c
}
OPTIONAL MATCH (c)-[:IN_CLUSTER]->(k:IndustryCluster)
RETURN id, c.id AS chainId, c.name AS name, k.id AS clusterId, k.name AS clusterName
ORDER BY chainId
"""


def chains_of(db: Database, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The chains each deputy works on or observes, with their cluster."""
    found: dict[str, list[dict[str, Any]]] = {key: [] for key in ids}
    for record in db.execute(CHAINS_OF_DEPUTIES, {"ids": list(ids)}):
        row = dict(record)
        found[row.pop("id")].append(row)
    return found
