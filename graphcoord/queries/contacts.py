"""Contacts checked by the statement that writes them: the Cypher twin of the contact rules.

:func:`graphcoord.rules.contact_violations` is the rule in Python; :data:`CREATE_CONTACTS_CHECKED`
says the same inside the statement that creates contacts, for the importer's bulk path (the
lookups the Python rule needs would cost a second pair of index seeks per row at national
scale). Both read the model's words (:data:`~graphcoord.model.VILLAGE_KINDS`, the basis per
level, the directly elected levels) from :mod:`graphcoord.model`, and
tests/test_importer_checked.py checks that both refuse the same rows, case by case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.model import DIRECTLY_ELECTED, VILLAGE_KINDS, Level, basis_for_level

__all__ = [
    "CONTACT_RULE_PARAMETERS",
    "CREATE_CONTACTS_CHECKED",
    "CheckedContacts",
    "Refused",
    "create_contacts_checked",
]

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

#: The parameters that tell :data:`CREATE_CONTACTS_CHECKED` the rules, from the model.
CONTACT_RULE_PARAMETERS: dict[str, Any] = {
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


def create_contacts_checked(
    db: Database, run: str, rows: Sequence[Mapping[str, Any]]
) -> CheckedContacts:
    """CREATE the contacts of ``rows`` that pass :data:`CREATE_CONTACTS_CHECKED`'s checks, with
    their undo record; the others are returned (see :class:`Refused`)."""
    records = db.write(
        CREATE_CONTACTS_CHECKED, {"run": run, "rows": list(rows), **CONTACT_RULE_PARAMETERS}
    )
    record = records[0]
    refused = [
        Refused(index, (level, elected_in) if found else None, kind, stored)
        for index, found, level, elected_in, kind, stored in record["refused"]
    ]
    return CheckedContacts(int(record["made"]), refused)
