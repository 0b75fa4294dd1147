"""Write-ahead batches of an import and their undo records.

An import writes the new rows of a batch while the rest of the file is still being validated.
Each such batch is created together with an ``(:ImportUndo)`` node in the same transaction,
holding the keys it created; so whether the import ends rejected, fails, or is killed, what it
wrote ahead can be found and deleted again. A finished import deletes its undo records
("settles" them); a rejected one deletes what they list, then them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from graphcoord.db import Database
from graphcoord.queries.imports import CREATE_NEW

__all__ = [
    "AHEAD_KINDS",
    "create_ahead",
    "mark_undone",
    "run_states",
    "settle",
    "undo",
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

#: Delete what one undo record lists, then the record (one transaction per record).
UNDO: dict[str, LiteralString] = {
    "areas": """
MATCH (u:ImportUndo) WHERE elementId(u) = $id
CALL (u) { UNWIND u.keys AS key MATCH (a:Area {code: key}) DETACH DELETE a }
DELETE u
""",
    "deputies": """
MATCH (u:ImportUndo) WHERE elementId(u) = $id
CALL (u) { UNWIND u.keys AS key MATCH (d:Deputy {id: key}) DETACH DELETE d }
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


def undo(db: Database, runs: Sequence[str]) -> int:
    """Delete every row the undo records of ``runs`` list, and the records; how many rows.

    Nodes go with their relationships (DETACH DELETE), so the order of the records is free.
    """
    records = db.execute(UNDO_RECORDS, {"runs": list(runs)})
    for record in records:
        db.write(UNDO[record["kind"]], {"id": record["id"]})
    return sum(int(record["rows"]) for record in records)


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
