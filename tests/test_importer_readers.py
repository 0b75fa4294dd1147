"""The CSV reader's rows, screened a block at a time, equal the rows read cell by cell."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from graphcoord.importer import readers
from graphcoord.importer.readers import Row, open_sheets
from graphcoord.importer.text import cell_text, looks_like_national_id

HEADER = "deputyId,villageCode,basis"

#: Files (after a contacts header) with each thing that makes a row need care, among clean rows.
CASES: dict[str, str] = {
    "clean": "D1,321302001001,\nD2,321302001002,original\n",
    "spaces-at-cell-ends": "D1, 321302001001,\n D2,321302001002 ,\nD3,321302001003,\t原选区\n",
    "inner-spaces-only": "D 1,321302001001,原 选区\nD2,321302001002,\n",
    "other-white-space": "D1\u3000,321302001001,\nD2,321302001002\x0b,\nD3,\xa0321302001003,\n",
    "full-width": "Ｄ１,３２１３０２００１００１,\nD2,321302001002,（原选区）\n",
    "full-width-comma": "D1，D2,321302001001,\nD3,321302001002,\n",
    "full-width-quote": "D1＂,321302001001,\nD3,321302001002,\n",
    "quoted": 'D1,"321302001001",\n"D,2",321302001002,"a ""b"""\n"D\n3",321302001003, \n',
    "quoted-spaces": '" D4",321302001004,\n"D5\n",321302001005,"原选区 "\n',
    "national-id": "D1,321302001001,\nD2,110101199003074514,\nD3,x11010119900307451X,\n",
    "long-numbers": "D1,1234567890123456789,\nD2,12345678901234567,\nD3,321302001003,\n",
    "blank-rows": "D1,321302001001,\n\n,,\n , ,\nD2,321302001002,\n",
    "crlf": "D1,321302001001,\r\nD2 ,321302001002,\r\n",
    "cr": "D1,321302001001,\rD2,321302001002,\r",
    "short-and-long-rows": "D1\nD2,321302001002,x,y, z\nD3,321302001003\n",
    "no-final-newline": "D1,321302001001,\nD2,321302001002, ",
    "chinese": "王晓梅,321302001001,就地就便\n李 建国,321302001002,原选区\n",
}


def reference(text: str, delimiter: str = ",") -> list[Row]:
    """The data rows read cell by cell: every cell folded and trimmed, every row searched."""
    rows: list[Row] = []
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, raw in enumerate(records, start=1):
        cells = [cell_text(value) for value in raw]
        if number > 1 and any(cells):
            rows.append((number, cells, looks_like_national_id("\x1f".join(cells))))
    return rows


def read(path: Path, kind: str = "contacts") -> list[Row]:
    with open_sheets(path, kind) as sheets:
        return list(sheets[0].rows)


def read_in_blocks(
    text: str, block: int, path: Path, monkeypatch: pytest.MonkeyPatch, **options: str
) -> list[Row]:
    """``text`` written to ``path`` (``encoding`` option) and read back ``block`` characters of
    lines at a time (``kind`` option)."""
    monkeypatch.setattr(readers, "_BLOCK", block)
    path.write_text(text, encoding=options.get("encoding", "utf-8"), newline="")
    return read(path, options.get("kind", "contacts"))


def big_file(seed: int) -> str:
    """Thousands of clean rows with a row that needs care here and there."""
    odd = [line for case in CASES.values() for line in case.splitlines(keepends=True)]
    odd += ['"D\n9",321302001009,\n', '"D9","32130200\n1009",\n']  # lines inside a quoted cell
    picks = random.Random(seed)
    lines = []
    for number in range(6000):
        if picks.random() < 0.01:
            lines.append(picks.choice(odd).replace("\r", ""))
        else:
            lines.append(f"D{number},32130200{number % 10000:04d},\n")
    return "".join(lines)


@pytest.mark.parametrize("block", [16, 100, 1 << 18])
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_rows_equal_the_cell_by_cell_reading(
    case: str, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f"{HEADER}\n{CASES[case]}"
    assert read_in_blocks(text, block, tmp_path / "contacts.csv", monkeypatch) == reference(text)


@pytest.mark.parametrize("block", [64, 4096, 1 << 18])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_big_file_across_blocks(
    seed: int, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f"{HEADER}\n{big_file(seed)}"
    rows = read_in_blocks(text, block, tmp_path / "contacts.csv", monkeypatch, encoding="gb18030")
    assert rows == reference(text)
    assert any(suspect for _, _, suspect in rows)


@pytest.mark.parametrize("block", [16, 1 << 18])
def test_tsv_keeps_empty_cells_and_trims(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "区划代码\t名称\t上级代码\n321302001001\t东风村\t\n321302001002\t 项里社区\t\n\t\t\n"
    rows = read_in_blocks(text, block, tmp_path / "areas.tsv", monkeypatch, kind="areas")
    assert rows == reference(text, "\t")


def test_a_file_without_a_known_header(tmp_path: Path) -> None:
    """The first row stands for the header; the rows scanned for one come first, as read."""
    text = "a,b\n 1 ,2\n" + "".join(f"x{n},y\n" for n in range(12)) + "11010119900307451X,z\n"
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert read(path) == reference(text)
