"""Contacts checked by the write that creates them, against the lookups and rules in Python.

A contacts file written ahead sends each batch straight to one statement that creates the
contacts passing the rules and returns the others. That statement must agree with
:func:`graphcoord.rules.contact_violations` on every combination of level, constituency, area
kind and basis, and an import through it must end as an import through the lookups does:
same bad rows, same counts, same graph.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from graphcoord.db import Database
from graphcoord.importer import run_import
from graphcoord.importer.report import ImportReport
from graphcoord.importer.validate import Validator
from graphcoord.model import basis_for_level
from graphcoord.queries.contacts import create_contacts_checked
from graphcoord.queries.imports import area_kinds, deputy_facts, fingerprint
from graphcoord.rules import contact_violations
from graphcoord.services.dataset import write_dataset
from tests.test_importer_support import BASE, load_base, write_csv

#: Deputies beyond the base graph's: every level, constituencies at several depths.
DEPUTIES: list[dict[str, Any]] = [
    {"id": "K-P1", "name": "省代表", "level": "PROVINCIAL", "electedIn": "321300000000"},
    {"id": "K-M1", "name": "市代表", "level": "CITY", "electedIn": "321302000000"},
    {"id": "K-C1", "name": "县代表", "level": "COUNTY", "electedIn": "321302000000"},
    {"id": "K-C2", "name": "县代表", "level": "COUNTY", "electedIn": "321302002000"},
    {"id": "K-T1", "name": "乡代表", "level": "TOWNSHIP", "electedIn": "321302002000"},
    {"id": "K-T2", "name": "乡代表", "level": "TOWNSHIP", "electedIn": "321300000000"},
]
#: A contact stored before the import: the same row again is not created a second time.
STORED = {"deputyId": "B-N1", "areaCode": "321302002001", "basis": "NEAR_HOME_OR_WORK"}
BASES = (None, "ORIGINAL_CONSTITUENCY", "NEAR_HOME_OR_WORK")


def _graph(db: Database) -> None:
    load_base(db)
    write_dataset(db, {"deputies": [dict(d) for d in DEPUTIES], "contacts": [dict(STORED)]})


def _all_rows() -> list[dict[str, Any]]:
    """Every deputy (and one unknown) with every area (and one unknown), with every basis."""
    ids = [d["id"] for d in BASE["deputies"] + DEPUTIES] + ["K-NONE"]
    codes = [a["code"] for a in BASE["areas"]] + ["321302009999"]
    return [
        {"deputyId": d, "areaCode": c, "basis": b}
        for d, c, b in itertools.product(ids, codes, BASES)
    ]


def test_the_checked_write_keeps_exactly_the_rules(db: Database) -> None:
    _graph(db)
    rows = _all_rows()
    facts = deputy_facts(db, sorted({r["deputyId"] for r in rows}))
    kinds = area_kinds(db, sorted({r["areaCode"] for r in rows}))

    checked = create_contacts_checked(db, "checked-test", rows)

    refused = {r.index: r for r in checked.refused}
    stored_key = (STORED["deputyId"], STORED["areaCode"])
    expected_made = []
    for index, row in enumerate(rows):
        known = facts.get(row["deputyId"])
        derived = dict(row, basis=row["basis"] or (known and basis_for_level(known.level).value))
        broken = contact_violations([derived], facts, kinds)
        key = (row["deputyId"], row["areaCode"])
        if broken or key == stored_key:
            assert index in refused, (row, "was created")
            found = refused[index]
            assert found.deputy == ((known.level, known.elected_in) if known else None)
            assert found.area_kind == kinds.get(row["areaCode"])
            assert found.stored_basis == (STORED["basis"] if key == stored_key else None)
        else:
            assert index not in refused, (row, "was refused")
            expected_made.append((*key, derived["basis"]))
    assert checked.made == len(expected_made) > 0
    assert len(refused) == len(rows) - len(expected_made)

    made = db.execute(
        "MATCH (d:Deputy)-[c:CONTACTS]->(a:Area) WHERE [d.id, a.code] <> $stored "
        "RETURN d.id AS d, a.code AS a, c.basis AS b",
        {"stored": list(stored_key)},
    )
    assert sorted((r["d"], r["a"], r["b"]) for r in made) == sorted(expected_made)
    undo = db.execute(
        "MATCH (u:ImportUndo {run: 'checked-test'}) RETURN u.keys AS k, u.keys2 AS k2"
    )
    assert len(undo) == 1
    assert sorted(zip(undo[0]["k"], undo[0]["k2"], strict=True)) == sorted(
        (d, a) for d, a, _ in expected_made
    )


def test_a_batch_with_nothing_to_create_leaves_no_undo_record(db: Database) -> None:
    _graph(db)
    checked = create_contacts_checked(db, "nothing", [dict(STORED)])
    assert checked.made == 0
    assert [r.stored_basis for r in checked.refused] == [STORED["basis"]]
    assert db.execute("MATCH (u:ImportUndo) RETURN count(u) AS n")[0]["n"] == 0


def _import(db: Database, path: Path, *, checked: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Import ``path`` (good part loaded) through the checked write or through the lookups;
    the bad rows, counts and graph it ends with; then the graph as it was before."""
    with monkeypatch.context() as patch:
        if not checked:
            patch.setattr(Validator, "checks_by_writing", lambda self, spec: False)
        report: ImportReport = run_import(
            db, path, kind="contacts", allow_partial=True, batch_size=7
        )
    outcome = (
        sorted((b.row, b.column, b.value, b.reason) for b in report.bad_rows),
        {
            kind: (c.created, c.updated, c.unchanged, c.rejected)
            for kind, c in report.counts.items()
        },
        fingerprint(db),
    )
    db.write("MATCH ()-[c:CONTACTS]->() DELETE c")
    db.write("MATCH (n) WHERE n:ImportRun OR n:ImportUndo DETACH DELETE n")
    write_dataset(db, {"contacts": [dict(STORED)]})
    return outcome


def test_an_import_ends_the_same_through_the_checked_write_and_the_lookups(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _graph(db)
    rows = _all_rows()
    # The stored contact with another basis too: an update, written after validation.
    rows.append({"deputyId": "B-N1", "areaCode": "321302002001", "basis": "ORIGINAL_CONSTITUENCY"})
    path = write_csv(
        tmp_path / "contacts.csv",
        ["代表编号", "联系村(社区)代码", "联系方式"],
        [[r["deputyId"], r["areaCode"], r["basis"] or ""] for r in rows],
    )
    checked = _import(db, path, checked=True, monkeypatch=monkeypatch)
    looked_up = _import(db, path, checked=False, monkeypatch=monkeypatch)
    bad_rows, counts, _ = checked
    assert len(bad_rows) > 100 and counts["contacts"][0] > 10
    assert checked == looked_up
