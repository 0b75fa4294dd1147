"""Writing ahead: new rows go to the database while the file is still validated, undoably.

Each case is a one-kind file of a few hundred good rows and one bad row, last: by the time the
bad row is found, earlier batches were written (a probe counts them when validation ends), and
the rejected import leaves the graph exactly as it was, undo records included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graphcoord.db import Database
from graphcoord.importer import run_import
from graphcoord.importer.report import ImportReport, Status
from graphcoord.queries.imports import fingerprint
from tests.test_importer_support import load_base, write_csv

ROWS = 300
BATCH = 20
TOWNSHIP = "321302001000"
VILLAGES = ("321302001001", "321302001002")

Roster = Callable[[Path], Path]


def areas(tmp_path: Path) -> Path:
    rows = [[f"321302001{n:03d}", f"第{n}村"] for n in range(100, 100 + ROWS)]
    rows.append(["32130200X999", "坏村"])
    return write_csv(tmp_path / "areas.csv", ["区划代码", "名称"], rows)


def deputies(tmp_path: Path) -> Path:
    rows = [[f"A-{n:04d}", f"代表{n}", "县", TOWNSHIP] for n in range(ROWS)]
    rows.append(["A-BAD", "代表", "副省级", TOWNSHIP])
    return write_csv(tmp_path / "deputies.csv", ["代表编号", "姓名", "代表层级", "选区代码"], rows)


def contacts(tmp_path: Path) -> Path:
    """Contacts of the deputies of :func:`deputies`, imported first (without their bad row)."""
    rows = [[f"A-{n // 2:04d}", VILLAGES[n % 2]] for n in range(ROWS)]
    rows.append(["A-NONE", VILLAGES[0]])
    return write_csv(tmp_path / "contacts.csv", ["代表编号", "联系村(社区)代码"], rows)


#: kind → (roster, Cypher counting the rows of that kind).
CASES: dict[str, tuple[Roster, str]] = {
    "areas": (areas, "MATCH (a:Area) RETURN count(a) AS n"),
    "deputies": (deputies, "MATCH (d:Deputy) RETURN count(d) AS n"),
    "contacts": (contacts, "MATCH ()-[c:CONTACTS]->() RETURN count(c) AS n"),
}


class Probe:
    """A progress sink that counts the kind's rows in the database when validation ends."""

    def __init__(self, db: Database, count: str) -> None:
        self.db = db
        self.count = count
        self.after_validation: int | None = None

    def phase(self, name: str, total: int | None) -> None:
        if name in ("writing", "counting"):
            self.after_validation = int(self.db.execute(self.count)[0]["n"])

    def advance(self, rows: int) -> None:
        return None


def prepare(db: Database, kind: str, tmp_path: Path) -> Path:
    load_base(db)
    if kind == "contacts":
        report = run_import(db, deputies(tmp_path), kind="deputies", allow_partial=True)
        assert report.count("deputies").created == ROWS
    return CASES[kind][0](tmp_path)


def stored(db: Database, kind: str) -> int:
    return int(db.execute(CASES[kind][1])[0]["n"])


def imported(
    db: Database, kind: str, path: Path, *, allow_partial: bool = False
) -> tuple[ImportReport, Probe]:
    probe = Probe(db, CASES[kind][1])
    report = run_import(
        db, path, kind=kind, batch_size=BATCH, progress=probe, allow_partial=allow_partial
    )
    return report, probe


@pytest.mark.parametrize("kind", list(CASES))
def test_rejected_file_leaves_nothing_it_wrote_ahead(
    kind: str, db: Database, tmp_path: Path
) -> None:
    path = prepare(db, kind, tmp_path)
    before, count = fingerprint(db), stored(db, kind)
    report, probe = imported(db, kind, path)
    assert report.status == Status.REJECTED
    assert [bad.row for bad in report.bad_rows] == [ROWS + 2]
    assert probe.after_validation is not None
    assert probe.after_validation >= count + ROWS - 2 * BATCH  # written ahead meanwhile
    assert fingerprint(db) == before  # undone, undo records included


@pytest.mark.parametrize("kind", list(CASES))
def test_allow_partial_keeps_what_it_wrote_ahead(kind: str, db: Database, tmp_path: Path) -> None:
    path = prepare(db, kind, tmp_path)
    count = stored(db, kind)
    report, probe = imported(db, kind, path, allow_partial=True)
    assert report.status == Status.SUCCEEDED
    assert report.count(kind).created == ROWS
    assert report.count(kind).rejected == 1
    assert probe.after_validation == count + ROWS  # all written while validating
    assert stored(db, kind) == count + ROWS
    assert not db.execute("MATCH (u:ImportUndo) RETURN u")  # settled

    again, _ = imported(db, kind, path, allow_partial=True)
    assert again.count(kind).unchanged == ROWS and again.count(kind).created == 0


def test_areas_written_ahead_link_to_parents_of_earlier_batches(
    db: Database, tmp_path: Path
) -> None:
    load_base(db)
    rows = [["321399000000", "新县"], ["321399001000", "新镇"]]
    rows += [[f"321399001{n:03d}", f"新{n}村"] for n in range(1, 3 * BATCH)]
    path = write_csv(tmp_path / "areas.csv", ["区划代码", "名称"], rows)
    before = stored(db, "areas")
    report, probe = imported(db, "areas", path)
    assert report.status == Status.SUCCEEDED
    assert probe.after_validation == before + len(rows)  # all of them written ahead
    linked = db.execute(
        "MATCH (v:Area)-[:PART_OF]->(:Area {code: '321399001000'})-[:PART_OF]->"
        "(:Area {code: '321399000000'})-[:PART_OF]->(:Area {code: '321300000000'}) "
        "RETURN count(v) AS n"
    )
    assert linked[0]["n"] == 3 * BATCH - 1
