"""Duplicate keys are found with the row they repeat, in memory and once spilled to disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.importer import keys
from graphcoord.importer.keys import SeenKeys
from tests.test_importer_support import cli_in_process, load_base, write_csv


@pytest.mark.parametrize("spill_after", [1, 3, 7, 10**9])
def test_first_row_of_each_key(spill_after: int, tmp_path: Path) -> None:
    seen = SeenKeys(tmp_path / "keys.sqlite", spill_after)
    try:
        for row, key in enumerate(range(0, 40, 2), start=2):  # even keys, rows 2..21
            assert seen.first(key) is None
            seen.add(key, row)
        assert [seen.first(key) for key in (0, 2, 38)] == [2, 3, 21]
        assert [seen.first(key) for key in (1, 39, -5)] == [None, None, None]
        assert (tmp_path / "keys.sqlite").exists() == (spill_after < 20)
    finally:
        seen.close()


@pytest.mark.parametrize("spill_after", [4, 10**9])
def test_duplicates_found_past_the_spill(
    spill_after: int,
    settings: Settings,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(keys, "SPILL_AFTER", spill_after)
    load_base(db)
    rows = [[f"S-{n:03d}", f"代表{n}", "市"] for n in range(30)]
    rows[20][0] = "S-002"  # row 22 repeats row 4 (spilled by then)
    rows[29][0] = "S-027"  # row 31 repeats row 29 (still in memory)
    path = write_csv(tmp_path / "d.csv", ["代表编号", "姓名", "代表层级"], rows)
    result = cli_in_process(
        settings, monkeypatch, capsys, "import", str(path), "--kind", "deputies", "--json"
    )
    report = json.loads(result.stdout)
    assert report["status"] == "REJECTED"
    assert [(bad["row"], bad["reason"]) for bad in report["badRows"]] == [
        (22, "编号 S-002 重复：已在第4行出现"),
        (31, "编号 S-027 重复：已在第29行出现"),
    ]
