"""Industry clusters and chains, observation points and the deputies working on them."""

from __future__ import annotations

from typing import LiteralString

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
