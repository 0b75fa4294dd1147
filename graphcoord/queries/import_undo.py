"""Write-ahead batches of an import and their undo records.

An import writes the new rows of a batch while the rest of the file is still being validated.
Each such batch is created together with an ``(:ImportUndo)`` node in the same transaction,
holding the keys it created; so whether the import ends rejected, fails, or is killed, what it
wrote ahead can be found and deleted again. A finished import deletes its undo records
("settles" them); a rejected one deletes what they list, then them.

An undo deletes only what the run created: a node goes with the relationships the run made
with it (an area's ``PART_OF`` links among the run's areas, a deputy's ``ELECTED_IN``) and no
other. :func:`foreign_links` finds nodes that others linked to since (a contact added through
GraphQL, an issue's ``TRACKS``, a village's issues), and the deletes are not ``DETACH``: a
link made between the check and the delete makes the delete fail rather than vanish. The
check and the choice of what to do are :mod:`graphcoord.importer.ahead`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from graphcoord.db import Database
from graphcoord.queries.imports import CREATE_NEW

__all__ = [
    "AHEAD_KINDS",
    "area_links",
    "create_ahead",
    "deputy_links",
    "mark_undone",
    "run_children",
    "run_keys",
    "run_states",
    "settle",
    "undo",
    "undo_record",
    "undo_records",
    "unsettled_runs",
]

#: Row kinds written ahead; relationship kinds keep their two keys in ``keys`` and ``keys2``.
AHEAD_KINDS: dict[str, tuple[str, ...]] = {
    "areas": ("code",),
    "deputies": ("id",),
    "contacts": ("deputyId", "areaCode"),
}

#: The importer's CREATE of new rows, preceded by the undo record of the same batch (its keys
#: taken from ``$rows`` by the server: the driver sends each key once).
CREATE_AHEAD: dict[str, LiteralString] = {
    "areas": """
CREATE (:ImportUndo {run: $run, kind: 'areas', keys: [row IN $rows | row.code]})
WITH count(*) AS recorded
"""
    + CREATE_NEW["areas"],
    "deputies": """
CREATE (:ImportUndo {run: $run, kind: 'deputies', keys: [row IN $rows | row.id]})
WITH count(*) AS recorded
"""
    + CREATE_NEW["deputies"],
    "contacts": """
CREATE (:ImportUndo {run: $run, kind: 'contacts', keys: [row IN $rows | row.deputyId],
                     keys2: [row IN $rows | row.areaCode]})
WITH count(*) AS recorded
"""
    + CREATE_NEW["contacts"],
}

#: Delete what one undo record lists, then the record (one transaction per record). Nodes lose
#: the links the run made (their own ``PART_OF`` / ``ELECTED_IN``) and are deleted without
#: DETACH: a link anybody else made fails the transaction (a child area of a later record goes
#: first; see :func:`undo`).
UNDO: dict[str, LiteralString] = {
    "areas": """
MATCH (u:ImportUndo) WHERE elementId(u) = $id
CALL (u) { UNWIND u.keys AS key MATCH (:Area {code: key})-[p:PART_OF]->(:Area) DELETE p }
CALL (u) { UNWIND u.keys AS key MATCH (a:Area {code: key}) DELETE a }
DELETE u
""",
    "deputies": """
MATCH (u:ImportUndo) WHERE elementId(u) = $id
CALL (u) { UNWIND u.keys AS key MATCH (:Deputy {id: key})-[e:ELECTED_IN]->(:Area) DELETE e }
CALL (u) { UNWIND u.keys AS key MATCH (d:Deputy {id: key}) DELETE d }
DELETE u
""",
    "contacts": """
MATCH (u:ImportUndo) WHERE elementId(u) = $id
CALL (u) {
  UNWIND range(0, size(u.keys) - 1) AS i
  MATCH (:Deputy {id: u.keys[i]})-[c:CONTACTS]->(:Area {code: u.keys2[i]})
  DELETE c
}
DELETE u
""",
}

RUN_KEYS: LiteralString = """
MATCH (u:ImportUndo) WHERE u.run IN $runs AND u.kind IN ['areas', 'deputies']
UNWIND u.keys AS key
RETURN u.kind AS kind, collect(key) AS keys
"""

#: Links of the run's areas that the run did not make: any but PART_OF, and incoming PART_OF
#: beyond those from the run's own areas (counted by :data:`RUN_CHILDREN`).
AREA_LINKS: LiteralString = """
UNWIND $keys AS key
MATCH (a:Area {code: key})
WITH key, a, COUNT { (a)<-[:PART_OF]-(:Area) } AS children,
     COLLECT { MATCH (a)-[r]-() WHERE type(r) <> 'PART_OF' RETURN DISTINCT type(r) } AS types
WHERE children > 0 OR size(types) > 0
RETURN key, children, types
"""

RUN_CHILDREN: LiteralString = """
UNWIND $keys AS key
MATCH (:Area {code: key})-[:PART_OF]->(p:Area)
RETURN p.code AS parent, count(*) AS children
"""

DEPUTY_LINKS: LiteralString = """
UNWIND $keys AS key
MATCH (d:Deputy {id: key})
WITH key, COLLECT {
  MATCH (d)-[r]-() WHERE NOT (type(r) = 'ELECTED_IN' AND startNode(r) = d)
  RETURN DISTINCT type(r)
} AS types
WHERE size(types) > 0
RETURN key, types
"""

UNDO_RECORDS: LiteralString = """
MATCH (u:ImportUndo) WHERE u.run IN $runs
RETURN elementId(u) AS id, u.kind AS kind, size(u.keys) AS rows
"""

SETTLE: LiteralString = """
MATCH (u:ImportUndo) WHERE u.run IN $runs
CALL (u) { DELETE u } IN TRANSACTIONS OF 1000 ROWS
"""

RUN_STATE: LiteralString = """
MATCH (r:ImportRun) WHERE r.id STARTS WITH $run
RETURN r.id AS id, r.status AS status, r.file AS file,
       COUNT { MATCH (u:ImportUndo) WHERE u.run = r.id } AS batches,
       COLLECT {
         MATCH (l:ImportRun)
         WHERE l.startedAt > r.startedAt AND NOT l.status IN ['REJECTED', 'UNDONE']
         RETURN l.file + ' (' + l.status + ')' AS later ORDER BY l.startedAt
       } AS later
LIMIT 2
"""

MARK_UNDONE: LiteralString = """
MATCH (r:ImportRun {id: $run})
SET r.status = 'UNDONE', r.finishedAt = coalesce(r.finishedAt, datetime()),
    r.undoneAt = datetime()
"""

UNSETTLED_RUNS: LiteralString = """
MATCH (r:ImportRun {fileHash: $fileHash})
WHERE r.status IN ['RUNNING', 'FAILED'] AND r.id <> $run
  AND EXISTS { MATCH (u:ImportUndo) WHERE u.run = r.id }
RETURN r.id AS id
"""


def create_ahead(db: Database, run: str, kind: str, rows: Sequence[Mapping[str, Any]]) -> bool:
    """CREATE new rows of ``kind`` with their undo record; ``False`` (nothing written) if one
    of them exists already (another writer got there first: the caller upserts instead)."""
    try:
        db.write(CREATE_AHEAD[kind], {"run": run, "rows": list(rows)})
    except ConstraintError:
        return False
    return True


def run_keys(db: Database, runs: Sequence[str]) -> dict[str, list[str]]:
    """The keys of the areas and deputies the undo records of ``runs`` list, by kind."""
    return {r["kind"]: list(r["keys"]) for r in db.execute(RUN_KEYS, {"runs": list(runs)})}


def run_children(db: Database, keys: Sequence[str]) -> dict[str, int]:
    """How many of the areas ``keys`` are ``PART_OF`` each parent."""
    return {r["parent"]: int(r["children"]) for r in db.execute(RUN_CHILDREN, {"keys": list(keys)})}


def area_links(db: Database, keys: Sequence[str]) -> list[tuple[str, int, list[str]]]:
    """Areas of ``keys`` with children or with links other than PART_OF: (code, how many
    children, the other relationship types)."""
    return [
        (r["key"], int(r["children"]), list(r["types"]))
        for r in db.execute(AREA_LINKS, {"keys": list(keys)})
    ]


def deputy_links(db: Database, keys: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Deputies of ``keys`` with links other than their own ELECTED_IN: (id, types)."""
    return [(r["key"], list(r["types"])) for r in db.execute(DEPUTY_LINKS, {"keys": list(keys)})]


def undo_records(db: Database, runs: Sequence[str]) -> list[dict[str, Any]]:
    """The undo records of ``runs``: element id, kind and how many rows each lists."""
    return [dict(r) for r in db.execute(UNDO_RECORDS, {"runs": list(runs)})]


def undo_record(db: Database, kind: str, record_id: str) -> bool:
    """Delete what one undo record lists, and the record; ``False`` (nothing deleted) when a
    node is still linked by a relationship the statement does not remove."""
    try:
        db.write(UNDO[kind], {"id": record_id})
    except ConstraintError:
        return False
    return True


def undo(db: Database, runs: Sequence[str]) -> int:
    """Delete what the undo records of ``runs`` list, in as many passes as the order of the
    records needs; how many rows. Records that cannot go (linked by others) stay."""
    waiting = list(reversed(undo_records(db, runs)))
    rows = 0
    while waiting:
        postponed = [r for r in waiting if not undo_record(db, r["kind"], r["id"])]
        rows += sum(int(r["rows"]) for r in waiting if r not in postponed)
        if len(postponed) == len(waiting):
            break
        waiting = postponed
    return rows


def settle(db: Database, runs: Sequence[str]) -> None:
    """Forget the undo records of ``runs``: what they wrote stays."""
    db.run_autocommit(SETTLE, {"runs": list(runs)})


def run_states(db: Database, prefix: str) -> list[dict[str, Any]]:
    """The id, status and file of the runs whose id starts with ``prefix`` (at most two: one
    means the prefix names a run), how many undo records each left, and the runs after it
    that may have written (``later``: file and status)."""
    return [dict(record) for record in db.execute(RUN_STATE, {"run": prefix})]


def mark_undone(db: Database, run: str) -> None:
    db.write(MARK_UNDONE, {"run": run})


def unsettled_runs(db: Database, file_hash: str, run: str) -> list[str]:
    """Earlier runs of the same file that ended without settling what they wrote ahead
    (killed, or failed): the next run of that file settles or undoes them with its own."""
    return [r["id"] for r in db.execute(UNSETTLED_RUNS, {"fileHash": file_hash, "run": run})]
