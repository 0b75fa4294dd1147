"""Deputies, their original constituency (ELECTED_IN) and their contacts with villages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.batch import lookup
from graphcoord.queries.vocabulary import CLOSED_STATUSES
from graphcoord.rules import DeputyFacts

__all__ = [
    "UPSERT_CONTACTS",
    "UPSERT_DEPUTIES",
    "contacts_of",
    "deputies_by_id",
    "deputy_facts",
    "deputy_levels",
    "liaisons_of",
    "open_issue_counts",
    "remove_contacts",
]

UPSERT_DEPUTIES: LiteralString = """
UNWIND $rows AS row
MERGE (d:Deputy {id: row.id})
SET d.name = row.name, d.level = row.level, d.gender = row.gender,
    d.occupation = row.occupation, d.workUnit = row.workUnit, d.sectors = row.sectors,
    d.phone = row.phone, d.status = coalesce(row.status, 'ACTIVE'), d.term = row.term,
    d.electedIn = row.electedIn, d.baseArea = row.baseArea
WITH d, row
OPTIONAL MATCH (d)-[old:ELECTED_IN]->(a:Area) WHERE a.code <> row.electedIn
DELETE old
WITH DISTINCT d, row WHERE row.electedIn IS NOT NULL
MATCH (a:Area {code: row.electedIn})
MERGE (d)-[:ELECTED_IN]->(a)
"""

DEPUTY_FACTS: LiteralString = """
UNWIND $keys AS key
MATCH (d:Deputy {id: key})
RETURN key, [d.level, d.electedIn] AS value
"""

UPSERT_CONTACTS: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (a:Area {code: row.areaCode})
MERGE (d)-[c:CONTACTS]->(a)
SET c.basis = row.basis
"""

REMOVE_CONTACTS: LiteralString = """
UNWIND $rows AS row
MATCH (:Deputy {id: row.deputyId})-[c:CONTACTS]->(:Area {code: row.areaCode})
DELETE c
RETURN count(c) AS removed
"""


def deputy_facts(db: Database, ids: Sequence[str]) -> dict[str, DeputyFacts]:
    """Level and constituency of each existing deputy among ``ids``."""
    found = lookup(db, DEPUTY_FACTS, ids)
    return {key: DeputyFacts(value[0], value[1]) for key, value in found.items()}


def deputy_levels(db: Database, ids: Sequence[str]) -> dict[str, str]:
    return {key: facts.level for key, facts in deputy_facts(db, ids).items()}


def remove_contacts(db: Database, rows: Sequence[Mapping[str, Any]]) -> int:
    """Remove the given deputy→village contacts; return how many existed."""
    return int(db.write(REMOVE_CONTACTS, {"rows": list(rows)})[0]["removed"])


# -- reads ----------------------------------------------------------------------------------

DEPUTIES_BY_ID: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})
RETURN id, properties(d) AS deputy
"""

CONTACTS_OF_DEPUTIES: LiteralString = """
UNWIND $ids AS id
MATCH (:Deputy {id: id})-[c:CONTACTS]->(a:Area)
RETURN id, a.code AS code ORDER BY code
"""

LIAISON_OF_DEPUTIES: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})
RETURN id,
       COLLECT { MATCH (d)-[:LIAISON_FOR]->(l:Deputy) RETURN l.id ORDER BY l.id } AS down,
       COLLECT { MATCH (u:Deputy)-[:LIAISON_FOR]->(d) RETURN u.id ORDER BY u.id } AS up
"""

OPEN_ISSUES_OF_DEPUTIES: LiteralString = (
    """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})
RETURN id, COUNT { MATCH (d)-[:TRACKS]->(i:Issue)
                   WHERE NOT i.status IN """
    + CLOSED_STATUSES
    + """ } AS open
"""
)


def deputies_by_id(db: Database, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r["deputy"] for r in db.execute(DEPUTIES_BY_ID, {"ids": list(ids)})}


def contacts_of(db: Database, ids: Sequence[str]) -> dict[str, list[str]]:
    """Village codes each deputy contacts."""
    found: dict[str, list[str]] = {key: [] for key in ids}
    for record in db.execute(CONTACTS_OF_DEPUTIES, {"ids": list(ids)}):
        found[record["id"]].append(record["code"])
    return found


def liaisons_of(db: Database, ids: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """For each deputy: (ids they liaise for, ids who liaise for them)."""
    found: dict[str, tuple[list[str], list[str]]] = {key: ([], []) for key in ids}
    for record in db.execute(LIAISON_OF_DEPUTIES, {"ids": list(ids)}):
        found[record["id"]] = (list(record["down"]), list(record["up"]))
    return found


def open_issue_counts(db: Database, ids: Sequence[str]) -> dict[str, int]:
    return {
        r["id"]: int(r["open"]) for r in db.execute(OPEN_ISSUES_OF_DEPUTIES, {"ids": list(ids)})
    }
