"""What the peers of a draft are found from: its origin issues' villages and chains, the
lead's chains, and the deputies who contact those villages, work on those chains or track
those issues (one round trip each)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import LiteralString

from graphcoord.db import Database
from graphcoord.queries.vocabulary import CLOSED_STATUSES

__all__ = ["Candidate", "DraftFacts", "candidates", "draft_facts"]

DRAFT_FACTS: LiteralString = """
MATCH (p:Proposal {id: $id})
OPTIONAL MATCH (lead:Deputy)-[:SPONSORED {role: 'LEAD'}]->(p)
CALL (p) {
  OPTIONAL MATCH (p)-[:ADDRESSES]->(i:Issue)
  OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
  OPTIONAL MATCH (i)-[:CONCERNS]->(c:IndustryChain)
  RETURN collect(DISTINCT i.id) AS issues,
         collect(DISTINCT CASE WHEN v IS NULL THEN null ELSE [v.code, v.name] END) AS villages,
         collect(DISTINCT CASE WHEN c IS NULL THEN null ELSE [c.id, c.name] END) AS chains
}
CALL (lead) {
  OPTIONAL MATCH (lead)-[:WORKS_ON|OBSERVES]->(x)
  OPTIONAL MATCH (x)-[:ON_CHAIN]->(viaPoint:IndustryChain)
  WITH CASE WHEN x:IndustryChain THEN x ELSE viaPoint END AS c
  RETURN collect(DISTINCT CASE WHEN c IS NULL THEN null ELSE [c.id, c.name] END) AS leadChains
}
RETURN p.congressLevel AS level, p.congressAreaCode AS congress, lead.id AS leadId,
       [(d:Deputy)-[:SPONSORED]->(p) | d.id] AS sponsors,
       [(d:Deputy)-[:CONTRIBUTED_TO]->(p) | d.id] AS contributors,
       issues, villages, chains, leadChains
"""

#: ACTIVE deputies who contact one of ``$villages``, are on one of ``$chains`` (working on it
#: or observing one of its points) or track one of ``$issues``: what links them, and their
#: open-issue load.
CANDIDATES: LiteralString = (
    """
CALL () {
  UNWIND $villages AS code
  MATCH (d:Deputy)-[:CONTACTS]->(:Area {code: code})
  RETURN d
  UNION
  UNWIND $chains AS chain
  MATCH (d:Deputy)-[:WORKS_ON]->(:IndustryChain {id: chain})
  RETURN d
  UNION
  UNWIND $chains AS chain
  MATCH (d:Deputy)-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->(:IndustryChain {id: chain})
  RETURN d
  UNION
  UNWIND $issues AS issue
  MATCH (d:Deputy)-[:TRACKS]->(:Issue {id: issue})
  RETURN d
}
WITH DISTINCT d WHERE d.status = 'ACTIVE'
RETURN d.id AS id, d.name AS name, d.level AS level, d.electedIn AS electedIn,
       [(d)-[:CONTACTS]->(v:Area) WHERE v.code IN $villages | v.code] AS villages,
       [(d)-[:WORKS_ON]->(c:IndustryChain) WHERE c.id IN $chains | c.id]
         + [(d)-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->(c:IndustryChain)
            WHERE c.id IN $chains | c.id] AS chains,
       [(d)-[:TRACKS]->(i:Issue) WHERE i.id IN $issues | i.id] AS tracks,
       COUNT { (d)-[:TRACKS]->(o:Issue) WHERE NOT o.status IN """
    + CLOSED_STATUSES
    + """ } AS load
ORDER BY d.id
LIMIT $limit
"""
)


@dataclass(frozen=True)
class DraftFacts:
    """A proposal's level and congress, its lead, sponsors and contributors, and what its
    origin issues touch."""

    level: str
    congress: str | None
    lead_id: str | None
    sponsors: list[str]
    contributors: list[str]
    issues: list[str]
    villages: dict[str, str]
    chains: dict[str, str]
    lead_chains: dict[str, str]


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    level: str
    elected_in: str | None
    villages: list[str] = field(default_factory=list)
    chains: list[str] = field(default_factory=list)
    tracks: list[str] = field(default_factory=list)
    load: int = 0


def draft_facts(db: Database, proposal_id: str) -> DraftFacts | None:
    records = db.execute(DRAFT_FACTS, {"id": proposal_id})
    if not records:
        return None
    r = records[0]
    return DraftFacts(
        level=r["level"],
        congress=r["congress"],
        lead_id=r["leadId"],
        sponsors=list(r["sponsors"]),
        contributors=list(r["contributors"]),
        issues=[i for i in r["issues"] if i],
        villages={code: name for code, name in r["villages"]},
        chains={cid: name for cid, name in r["chains"]},
        lead_chains={cid: name for cid, name in r["leadChains"]},
    )


def candidates(
    db: Database,
    *,
    villages: Sequence[str],
    chains: Sequence[str],
    issues: Sequence[str],
    limit: int,
) -> list[Candidate]:
    """The deputies linked to the villages, chains or issues (at most ``limit``, by id)."""
    return [
        Candidate(
            id=r["id"],
            name=r["name"] or r["id"],
            level=r["level"],
            elected_in=r["electedIn"],
            villages=sorted(set(r["villages"])),
            chains=sorted(set(r["chains"])),
            tracks=sorted(set(r["tracks"])),
            load=int(r["load"]),
        )
        for r in db.execute(
            CANDIDATES,
            {
                "villages": list(villages),
                "chains": list(chains),
                "issues": list(issues),
                "limit": limit,
            },
        )
    ]
