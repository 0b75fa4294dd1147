"""An import killed with SIGKILL mid-way, then re-run, ends with exactly a clean run's graph.

For a good file the re-run finishes the job; for a bad one (its one bad row last, so batches
were written ahead before the kill) the re-run is rejected and undoes what the killed run wrote.
Deputies are written ahead after their lookups; contacts by the statement that checks them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.queries.imports import create_run, fingerprint
from graphcoord.services.dataset import write_dataset
from tests.conftest import CLEAN_GRAPH, cli_env, run_cli
from tests.test_importer_support import load_base, write_csv

ROWS = 3000
BATCH = 25


def roster(tmp_path: Path, *, bad_last: bool = False) -> Path:
    """A few thousand deputies of both townships of the base graph, with chains of thought;
    with ``bad_last`` the last one has a level that does not exist."""
    rows = []
    for n in range(ROWS):
        township = "321302001000" if n % 2 else "321302002000"
        level = "县" if n % 3 else "乡"
        rows.append([f"K-{n:05d}", f"代表{n}", level, f"1391234{n:04d}", township, "民生;教育"])
    if bad_last:
        rows[-1][2] = "副省级"
    return write_csv(
        tmp_path / "deputies.csv",
        ["代表编号", "姓名", "代表层级", "联系电话", "选区代码", "专业领域"],
        rows,
    )


def deputies(db: Database) -> int:
    return int(db.execute("MATCH (d:Deputy) RETURN count(d) AS c")[0]["c"])


def contacts(db: Database) -> int:
    return int(db.execute("MATCH ()-[c:CONTACTS]->() RETURN count(c) AS c")[0]["c"])


def contacts_roster(db: Database, tmp_path: Path) -> Path:
    """Half as many county deputies of 幸福街道 as rows (stored directly), each contacting both
    of its villages."""
    stored = [
        {"id": f"K-{n:05d}", "name": f"代表{n}", "level": "COUNTY", "electedIn": "321302001000"}
        for n in range(ROWS // 2)
    ]
    write_dataset(db, {"deputies": stored})
    villages = ("321302001001", "321302001002")
    rows = [[f"K-{n // 2:05d}", villages[n % 2]] for n in range(ROWS)]
    return write_csv(tmp_path / "contacts.csv", ["代表编号", "联系村(社区)代码"], rows)


def kill_mid_way(
    settings: Settings,
    db: Database,
    path: Path,
    base: int,
    kind: str = "deputies",
    count: Callable[[Database], int] = deputies,
) -> int:
    """Start ``graphcoord import`` of ``path``, SIGKILL it once 5 batches are committed;
    return how many rows (``count`` tells) it had written."""
    command = [
        sys.executable,
        "-m",
        "graphcoord",
        "import",
        str(path),
        "--kind",
        kind,
        "--batch-size",
        str(BATCH),
    ]
    process = subprocess.Popen(
        command, env=cli_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while count(db) < base + 5 * BATCH:  # the first batches are committed
            assert process.poll() is None, "the import finished before it could be killed"
            assert time.monotonic() < deadline, "no batch committed in time"
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    settled(db)  # a write the killed process had sent may still commit
    partial = count(db) - base
    assert 0 < partial < ROWS, partial
    return partial


def settled(db: Database, timeout: float = 60.0) -> None:
    """Wait until the server runs no transaction but this one (a killed client's last writes
    are committed or rolled back by then)."""
    deadline = time.monotonic() + timeout
    while True:
        running = db.execute(
            "SHOW TRANSACTIONS YIELD currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW' "
            "RETURN count(*) AS n"
        )[0]["n"]
        if running == 0:
            return
        assert time.monotonic() < deadline, f"{running} transaction(s) still running"
        time.sleep(0.05)


def killed(
    settings: Settings, db: Database, tmp_path: Path, *, bad_last: bool = False
) -> tuple[tuple[list[str], list[str]], Path, int]:
    """The base graph's fingerprint, then a roster whose import was killed mid-way, and how
    many deputies the killed run wrote."""
    load_base(db)
    untouched = fingerprint(db)
    path = roster(tmp_path, bad_last=bad_last)
    return untouched, path, kill_mid_way(settings, db, path, deputies(db))


def test_killed_import_then_rerun_equals_a_clean_run(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    _, path, partial = killed(settings, db, tmp_path)

    history = json.loads(run_cli(settings, "import", "history", "--json").stdout)
    assert [run["status"] for run in history] == ["RUNNING"]  # the killed run shows

    rerun = run_cli(settings, "import", str(path), "--kind", "deputies", "--json")
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["status"] == "SUCCEEDED"
    counts = report["counts"]["deputies"]
    assert counts["unchanged"] == partial
    assert counts["created"] == ROWS - partial
    resumed = fingerprint(db)
    history = json.loads(run_cli(settings, "import", "history", "--json").stdout)
    assert [run["status"] for run in history] == ["SUCCEEDED", "RUNNING"]

    db.run_autocommit(CLEAN_GRAPH)
    load_base(db)
    clean = run_cli(settings, "import", str(path), "--kind", "deputies", "--json")
    assert clean.returncode == 0, clean.stderr
    nodes, edges = fingerprint(db)
    assert len(nodes) == len(resumed[0]) and len(edges) == len(resumed[1])
    assert (nodes, edges) == resumed


def test_killed_contacts_import_then_rerun_equals_a_clean_run(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = contacts_roster(db, tmp_path)
    partial = kill_mid_way(settings, db, path, 0, "contacts", contacts)

    rerun = run_cli(settings, "import", str(path), "--kind", "contacts", "--json")
    assert rerun.returncode == 0, rerun.stderr
    counts = json.loads(rerun.stdout)["counts"]["contacts"]
    assert (counts["unchanged"], counts["created"]) == (partial, ROWS - partial)
    resumed = fingerprint(db)

    db.run_autocommit(CLEAN_GRAPH)
    load_base(db)
    contacts_roster(db, tmp_path)
    clean = run_cli(settings, "import", str(path), "--kind", "contacts", "--json")
    assert clean.returncode == 0, clean.stderr
    assert contacts(db) == ROWS
    assert fingerprint(db) == resumed


def test_killed_bad_import_then_rerun_leaves_the_graph_untouched(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    untouched, path, _ = killed(settings, db, tmp_path, bad_last=True)  # good part written ahead

    rerun = run_cli(settings, "import", str(path), "--kind", "deputies", "--json")
    assert rerun.returncode == 5, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["status"] == "REJECTED"
    assert [bad["row"] for bad in report["badRows"]] == [ROWS + 1]
    assert fingerprint(db) == untouched  # undo records included: none is left


def test_killed_import_undone_leaves_the_graph_as_before(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    untouched, _, partial = killed(settings, db, tmp_path)
    [run] = json.loads(run_cli(settings, "import", "history", "--json").stdout)
    assert run["status"] == "RUNNING" and run["undo_batches"] > 0

    refused = run_cli(settings, "import", "undo", run["id"])
    assert refused.returncode == 2
    assert "仍标记为进行中" in " ".join(refused.stderr.split())
    assert deputies(db) > 0 and fingerprint(db) != untouched  # nothing undone yet

    undone = run_cli(settings, "import", "undo", run["id"][:8], "--force", "--json")
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout) == {
        "run": run["id"],
        "status": "UNDONE",
        "deletedRows": partial,
    }
    assert fingerprint(db) == untouched  # undo records included: none is left
    [run] = json.loads(run_cli(settings, "import", "history", "--json").stdout)
    assert run["status"] == "UNDONE" and run["undo_batches"] == 0


@pytest.mark.parametrize(
    ("run_id", "exit_code", "message"),
    [
        ("no-such-run", 3, "未找到导入批次“no-such-run”"),
        ("", 3, "未找到导入批次“”"),
        (None, 2, "没有留下已写入的数据，无需撤销"),
    ],
    ids=["unknown", "empty", "finished"],
)
def test_undo_refuses_what_it_cannot_undo(
    run_id: str | None,
    exit_code: int,
    message: str,
    settings: Settings,
    db: Database,
    tmp_path: Path,
) -> None:
    load_base(db)
    done = run_cli(settings, "import", str(roster(tmp_path)), "--kind", "deputies", "--json")
    assert done.returncode == 0, done.stderr
    finished = fingerprint(db)
    run_id = json.loads(done.stdout)["runId"] if run_id is None else run_id
    result = run_cli(settings, "import", "undo", run_id, "--force")
    assert result.returncode == exit_code
    assert message in " ".join(result.stderr.split())  # rich wraps long lines
    assert fingerprint(db) == finished


def test_undo_refuses_a_run_a_later_import_built_on(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    _, _, partial = killed(settings, db, tmp_path)
    [killed_run] = json.loads(run_cli(settings, "import", "history", "--json").stdout)
    later = write_csv(
        tmp_path / "later.csv", ["代表编号", "姓名", "代表层级"], [["L-1", "后来", "市"]]
    )
    loaded = run_cli(settings, "import", str(later), "--kind", "deputies")
    assert loaded.returncode == 0, loaded.stderr
    before = fingerprint(db)

    refused = run_cli(settings, "import", "undo", killed_run["id"], "--force")
    assert refused.returncode == 2
    assert "之后还有导入 later.csv (SUCCEEDED)" in " ".join(refused.stderr.split())
    assert fingerprint(db) == before and partial > 0


def test_undo_refuses_a_start_that_names_several_runs(settings: Settings, db: Database) -> None:
    for run_id in ("ab12-first", "ab34-second"):
        create_run(db, run_id, file="d.csv", file_hash="0" * 64, kind="deputies")
    before = fingerprint(db)
    result = run_cli(settings, "import", "undo", "ab", "--force")
    assert result.returncode == 2
    assert "有多个导入编号以“ab”开头" in " ".join(result.stderr.split())
    assert fingerprint(db) == before
    history = json.loads(run_cli(settings, "import", "history", "--json").stdout)
    assert {run["status"] for run in history} == {"RUNNING"}  # neither was marked UNDONE
