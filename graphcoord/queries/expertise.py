"""Deputies whose fields, work unit, occupation or industry chains mention some words: the
candidates of a special supervision group (专项监督小组), and the supervision groups they are in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import LiteralString

from graphcoord.db import Database

__all__ = ["ExpertiseRow", "deputies_mentioning"]

DEPUTIES_MENTIONING: LiteralString = """
MATCH (d:Deputy {status: 'ACTIVE'})
WHERE $prefix IS NULL OR d.electedIn STARTS WITH $prefix OR d.baseArea STARTS WITH $prefix
   OR EXISTS { MATCH (d)-[:CONTACTS]->(v:Area) WHERE v.code STARTS WITH $prefix }
WITH d, COLLECT { MATCH (d)-[:WORKS_ON]->(c:IndustryChain) RETURN c.name ORDER BY c.name } AS chains
WHERE any(word IN $words WHERE any(s IN coalesce(d.sectors, []) WHERE s CONTAINS word)
          OR d.workUnit CONTAINS word OR d.occupation CONTAINS word
          OR any(c IN chains WHERE c CONTAINS word))
RETURN d.id AS id, d.name AS name, d.level AS level, coalesce(d.sectors, []) AS sectors,
       d.workUnit AS workUnit, d.occupation AS occupation, chains,
       COLLECT { MATCH (d)-[:MEMBER_OF]->(g:Group {kind: 'SUPERVISION'})
                 RETURN [g.id, coalesce(g.theme, ''), coalesce(g.name, g.id)] } AS groups
ORDER BY id
"""


@dataclass(frozen=True)
class ExpertiseRow:
    """What a deputy's record says of their expertise, and the supervision groups they are in
    as (id, theme, name)."""

    id: str
    name: str
    level: str
    sectors: tuple[str, ...]
    work_unit: str | None
    occupation: str | None
    chains: tuple[str, ...]
    supervision_groups: tuple[tuple[str, str, str], ...]


def deputies_mentioning(
    db: Database, words: Sequence[str], prefix: str | None
) -> list[ExpertiseRow]:
    """ACTIVE deputies (elected, based or contacting inside the areas whose codes start with
    ``prefix``; everywhere for ``None``) whose record mentions one of ``words``, by id."""
    return [
        ExpertiseRow(
            id=r["id"],
            name=r["name"] or r["id"],
            level=r["level"],
            sectors=tuple(r["sectors"]),
            work_unit=r["workUnit"],
            occupation=r["occupation"],
            chains=tuple(r["chains"]),
            supervision_groups=tuple((g[0], g[1], g[2]) for g in r["groups"]),
        )
        for r in db.execute(DEPUTIES_MENTIONING, {"words": list(words), "prefix": prefix})
    ]
