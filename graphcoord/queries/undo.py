"""Write-ahead batches of an import and their undo records.

An import writes the new rows of a batch while the rest of the file is still being validated.
Each such batch is created together with an ``(:ImportUndo)`` node in the same transaction,
holding the keys it created; so whether the import ends rejected, fails, or is killed, what it
wrote ahead can be found and deleted again. A finished import deletes its undo records
("settles" them); a rejected one deletes what they list, then them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from graphcoord.db import Database
from graphcoord.model import DIRECTLY_ELECTED, Level, basis_for_level
from graphcoord.queries.imports import CREATE_NEW
from graphcoord.rules import VILLAGE_KINDS

__all__ = [
    "AHEAD_KINDS",
    "CheckedContacts",
    "Refused",
    "create_ahead",
    "create_contacts_checked",
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

#: New contacts checked by the statement that creates them: a contact is created when its
#: deputy and village exist, it is not stored yet, and it keeps the rules of
#: :func:`graphcoord.rules.contact_violations` (a village or community; the basis its deputy's
#: level requires; a county or township deputy's village inside the constituency, by code
#: prefix as :func:`graphcoord.rules.is_within`). Every other row comes back with what was
#: found of it, for the importer to report or classify with the rules in Python; the undo
#: record lists only the contacts made. One pair of index seeks per row instead of two (the
#: lookups before the write cost as much again at the national scale).
CREATE_CONTACTS_CHECKED: LiteralString = """
UNWIND range(0, size($rows) - 1) AS i
WITH i, $rows[i] AS row
OPTIONAL MATCH (d:Deputy {id: row.deputyId})
OPTIONAL MATCH (a:Area {code: row.areaCode})
OPTIONAL MATCH (d)-[c:CONTACTS]->(a)
WITH i, row, d, a, c, $bases[d.level] AS basis,
     CASE
       WHEN d.electedIn ENDS WITH '0000000000' THEN left(d.electedIn, 2)
       WHEN d.electedIn ENDS WITH '00000000' THEN left(d.electedIn, 4)
       WHEN d.electedIn ENDS WITH '000000' THEN left(d.electedIn, 6)
       WHEN d.electedIn ENDS WITH '000' THEN left(d.electedIn, 9)
       ELSE d.electedIn
     END AS constituency
WITH i, d, a, c, basis,
     coalesce(
       d IS NOT NULL AND a IS NOT NULL AND c IS NULL AND a.kind IN $villages
       AND coalesce(row.basis, basis) = basis
       AND (NOT d.level IN $direct OR row.areaCode STARTS WITH constituency),
       false
     ) AS ok
CALL (d, a, basis, ok) {
  WITH * WHERE ok
  CREATE (d)-[:CONTACTS {basis: basis}]->(a)
}
WITH collect(CASE WHEN ok THEN i END) AS made,
     collect(CASE WHEN NOT ok THEN [i, d IS NOT NULL, d.level, d.electedIn, a.kind, c.basis] END)
       AS refused
CALL (made) {
  WITH made WHERE size(made) > 0
  CREATE (:ImportUndo {run: $run, kind: 'contacts', keys: [i IN made | $rows[i].deputyId],
                       keys2: [i IN made | $rows[i].areaCode]})
}
RETURN size(made) AS made, refused
"""

_CONTACT_RULES: dict[str, Any] = {
    "bases": {level.value: basis_for_level(level).value for level in Level},
    "villages": list(VILLAGE_KINDS),
    "direct": sorted(DIRECTLY_ELECTED),
}


@dataclass(frozen=True, slots=True)
class Refused:
    """A contact row the checked write left alone, with what the database holds of it."""

    #: The row's position in the batch sent.
    index: int
    #: The deputy's level and constituency (``None`` when the deputy does not exist).
    deputy: tuple[str, str | None] | None
    #: The area's kind (``None`` when the area does not exist).
    area_kind: str | None
    #: The basis of the same contact already stored (``None`` when it is not).
    stored_basis: str | None


@dataclass(frozen=True, slots=True)
class CheckedContacts:
    """What :func:`create_contacts_checked` did with a batch."""

    made: int
    refused: list[Refused]


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


def create_contacts_checked(
    db: Database, run: str, rows: Sequence[Mapping[str, Any]]
) -> CheckedContacts:
    """CREATE the contacts of ``rows`` that pass :data:`CREATE_CONTACTS_CHECKED`'s checks, with
    their undo record; the others are returned (see :class:`Refused`)."""
    records = db.write(CREATE_CONTACTS_CHECKED, {"run": run, "rows": list(rows), **_CONTACT_RULES})
    record = records[0]
    refused = [
        Refused(index, (level, elected_in) if found else None, kind, stored)
        for index, found, level, elected_in, kind, stored in record["refused"]
    ]
    return CheckedContacts(int(record["made"]), refused)


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
