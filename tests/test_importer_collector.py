"""The garbage collector during an import: paused, run every so many rows, restored after."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphcoord import collector
from graphcoord.config import Settings
from graphcoord.db import Database
from tests.test_importer_support import cli_in_process, load_base, write_csv


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """The generation of every collection that runs while the test does."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


@pytest.mark.parametrize("enabled_before", [True, False])
def test_a_pause_restores_the_collector_as_it_was(enabled_before: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled_before
        with pytest.raises(RuntimeError), collector.paused():
            raise RuntimeError("an import that fails")
        assert gc.isenabled() == enabled_before
    finally:
        (gc.enable if was else gc.disable)()


def test_overlapping_pauses_end_with_the_last() -> None:
    assert gc.isenabled()
    first, second = collector.paused(), collector.paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first import ends while the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_periodic_collects_once_per_every_rows(full_collections: list[int]) -> None:
    periodic = collector.Periodic(every=10)
    for _ in range(7):
        periodic.rows(4)  # 28 rows: a collection at 12 and at 24
    assert periodic.collections == 2
    assert full_collections.count(2) == 2


@pytest.mark.parametrize("bad_last_row", [False, True])
def test_an_import_collects_as_it_goes_and_leaves_the_collector_on(
    bad_last_row: bool,
    settings: Settings,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    full_collections: list[int],
) -> None:
    monkeypatch.setattr(collector, "COLLECT_EVERY", 10)
    load_base(db)
    rows = [[f"GC-{n:03d}", f"代表{n}", "市"] for n in range(45)]
    if bad_last_row:
        rows[-1][2] = "村"  # not a level: the file is rejected after its rows were checked
    path = write_csv(tmp_path / "d.csv", ["代表编号", "姓名", "代表层级"], rows)
    result = cli_in_process(
        settings,
        monkeypatch,
        capsys,
        "import",
        str(path),
        "--kind",
        "deputies",
        "--batch-size",
        "5",
        "--json",
    )
    report = json.loads(result.stdout)
    assert report["status"] == ("REJECTED" if bad_last_row else "SUCCEEDED")
    assert full_collections.count(2) >= 4  # 45 rows validated (and written) in batches of 5
    assert gc.isenabled()


def test_execute_leaves_the_callers_parameters_as_they_were(db: Database) -> None:
    codes = ["a", "b", "c"]
    records = db.execute("UNWIND $codes AS code RETURN collect(code) AS codes", {"codes": codes})
    assert records[0]["codes"] == ["a", "b", "c"]
    assert codes == ["a", "b", "c"]  # the copy sent was emptied, not the caller's list
