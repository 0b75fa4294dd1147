"""``graphcoord import --initial DIR`` (issue 28, item 1), through the CLI against a Neo4j of its
own: the suite's server is never stopped, this module starts one in its own state folder and
stops it at the end.

The initial load must leave the graph the importer leaves (every kind, node for node), refuse a
remote server and a store that holds data, load nothing from a roll with bad rows, and leave an
empty store (with its constraints) when the import tool fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.importer import run_import, write_template
from graphcoord.importer.kinds import KIND_ORDER
from graphcoord.localserver import ADMIN_TOOL_CLASS, LocalNeo4j
from graphcoord.queries.constraints import CONSTRAINTS, INDEXES
from graphcoord.queries.imports import fingerprint
from graphcoord.services.changes import ChangeFeed
from graphcoord.services.database import ensure_database
from tests.conftest import CLEAN_GRAPH, EXTERNAL_SERVER, cli_env, free_port, run_cli

pytestmark = pytest.mark.skipif(EXTERNAL_SERVER, reason="builds a local store")

#: Labels of bookkeeping a run leaves (the run record, the import lease), not of the roll.
BOOKKEEPING = ("ImportRun", "ImportLease", "ImportUndo")


#: The kinds an initial import loads: proposals (issue 23) are imported once the store is built.
INITIAL_KINDS = [kind for kind in KIND_ORDER if not kind.startswith("proposal")]


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A local Neo4j of this module's own, stopped at its end."""
    settings = Settings.from_env({}).with_(
        state_dir=tmp_path_factory.mktemp("initial-state"),
        bolt_port=free_port(),
        neo4j_heap="512m",
        neo4j_pagecache="128m",
        jwt_secret="test-secret-not-for-production-0123456789",
    )
    ensure_database(settings)
    try:
        yield settings
    finally:
        LocalNeo4j(settings).stop()


@pytest.fixture
def own_db(own: Settings) -> Iterator[Database]:
    """The module's database, emptied (constraints and indexes stay)."""
    db = Database(own)
    db.run_autocommit(CLEAN_GRAPH)
    try:
        yield db
    finally:
        db.close()


def reconnect(db: Database) -> Database:
    """``db`` on a new driver: the store was replaced, its transaction ids start again, so the
    bookmarks the old driver holds (of the emptying before the test) are ahead of the new store
    and Neo4j would wait for them (BookmarkTimeout)."""
    db.close()  # the driver (and its bookmark manager) is created again on first use
    return db


def roll_graph(db: Database) -> tuple[list[str], list[str]]:
    """The graph of the roll, bookkeeping (run records, leases) left out."""
    nodes, edges = fingerprint(db)
    kept_nodes = [n for n in nodes if not any(f'"{label}"' in n[:40] for label in BOOKKEEPING)]
    return kept_nodes, edges


def node_count(db: Database) -> int:
    return int(db.execute("MATCH (n) RETURN count(n) AS n")[0]["n"])


def schema_names(db: Database) -> set[str]:
    return {r["name"] for r in db.execute("SHOW CONSTRAINTS YIELD name RETURN name")} | {
        r["name"] for r in db.execute("SHOW INDEXES YIELD name RETURN name")
    }


def expected_schema() -> set[str]:
    return {statement.split()[2 if "TEXT" not in statement else 3] for statement in CONSTRAINTS} | {
        statement.split()[2 if "TEXT" not in statement else 3] for statement in INDEXES
    }


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_roll(folder: Path) -> Path:
    """Areas, deputies and contacts of one province at 1/1000 of the national roll."""
    from graphcoord.seeding.national import write_national

    folder.mkdir(parents=True, exist_ok=True)
    write_national(folder, scale=0.001, provinces=("64",))
    return folder


def test_a_remote_server_is_refused(settings: Settings, tmp_path: Path) -> None:
    write(tmp_path / "areas.csv", "code,name", "110000000000,北京市")
    done = run_cli(
        settings,
        "import",
        "--initial",
        str(tmp_path),
        NEO4J_URI="bolt://127.0.0.1:1",
        NEO4J_PASSWORD="elsewhere-password",
    )
    assert done.returncode == 2, done.stdout + done.stderr
    said = "".join(done.stderr.split())  # rich wraps long messages; Chinese has no spaces
    assert "NEO4J_URI指向另一台服务器（bolt://127.0.0.1:1）" in said
    assert "`graphcoordimportFILE`逐个导入文件" in said


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "中没有名册文件"),
        ({"名单.csv": "a,b\n1,2\n"}, "名单.csv：文件名看不出是哪类名册"),
        (
            {"areas.csv": "code,name\n", "区划.csv": "code,name\n"},
            "都是区划名册：首次导入每类名册只能有一个文件（或工作表），请合并",
        ),
    ],
    ids=["empty-folder", "unnamed-file", "two-files-of-a-kind"],
)
def test_a_folder_that_is_no_roll_is_refused(
    own: Settings, own_db: Database, tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = run_cli(own, "import", "--initial", str(tmp_path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in "".join(done.stderr.split())
    assert node_count(own_db) == 0


def test_a_store_that_holds_data_is_refused(
    own: Settings, own_db: Database, tmp_path: Path
) -> None:
    own_db.write("CREATE (:Area {code: '640000000000', name: '宁夏回族自治区'})")
    pid = LocalNeo4j(own).pid()
    write(tmp_path / "areas.csv", "code,name", "640100000000,银川市")
    done = run_cli(own, "import", "--initial", str(tmp_path), "--dry-run")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "数据库中已有1个节点：--initial只能导入空库" in "".join(done.stderr.split())
    assert LocalNeo4j(own).pid() == pid  # not restarted
    assert node_count(own_db) == 1


def test_a_roll_with_a_bad_row_loads_nothing(
    own: Settings, own_db: Database, tmp_path: Path
) -> None:
    roll = tmp_path / "roll"
    roll.mkdir()
    write(
        roll / "areas.csv",
        "code,name,kind,parentCode",
        "640000000000,宁夏回族自治区,PROVINCE,",
        "640100000000,银川市,CITY,640000000000",
    )
    write(
        roll / "代表.csv",
        "代表编号,姓名,代表层级,选区代码",
        "NX-D1,马文,市人大代表,",
        "NX-D2,李红,县,",  # a county deputy needs an original constituency
    )
    errors = tmp_path / "bad.csv"
    pid = LocalNeo4j(own).pid()
    done = run_cli(own, "import", "--initial", str(roll), "--errors", str(errors))
    assert done.returncode == 5, done.stdout + done.stderr
    assert "什么都没有导入，库仍为空" in "".join(done.stderr.split())
    with errors.open(encoding="utf-8-sig") as handle:
        rows = handle.read().splitlines()
    assert rows[0] == "file,sheet,row,column,value,reason"
    assert rows[1].startswith("roll/,代表.csv,3,选区代码,,")
    assert "人大代表需要填写原选区（选区代码）" in rows[1]
    assert LocalNeo4j(own).pid() == pid
    assert node_count(own_db) == 0
    assert not (own.state_dir / "initial-import" / "files").exists()


def test_the_initial_load_leaves_the_importers_graph(
    own: Settings, own_db: Database, db: Database, tmp_path: Path
) -> None:
    roll = tmp_path / "roll"
    roll.mkdir()
    workbook = write_template(roll / "roster.xlsx", INITIAL_KINDS)
    normal = run_import(db, workbook)
    assert normal.status == "SUCCEEDED", normal.bad_rows
    expected = roll_graph(db)
    feed = ChangeFeed()
    feed.poll(own_db)
    assert not feed.poll(own_db)  # nothing changed since

    done = run_cli(own, "import", "--initial", str(roll), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    assert answer["status"] == "SUCCEEDED"
    assert answer["kinds"] == INITIAL_KINDS
    assert {kind: c["created"] for kind, c in answer["counts"].items()} == {
        kind: c.created for kind, c in normal.counts.items()
    }
    assert set(answer["seconds"]) == {"validate", "stop", "import", "start", "indexes", "record"}

    assert roll_graph(reconnect(own_db)) == expected
    # The server was restarted on a new store: the change feed says everything changed.
    assert feed.poll(own_db).everything
    assert expected_schema() <= schema_names(own_db)
    history = run_cli(own, "import", "history", "--json")
    runs = json.loads(history.stdout)
    assert [(r["file"], r["status"], r["kind"]) for r in runs] == [
        ("roll/", "SUCCEEDED", ",".join(INITIAL_KINDS))
    ]
    assert runs[0]["created"] == sum(c.created for c in normal.counts.values())
    assert not (own.state_dir / "initial-import" / "files").exists()


def test_a_roll_with_proposals_is_refused_before_the_store_changes(
    own: Settings, own_db: Database, tmp_path: Path
) -> None:
    roll = tmp_path / "roll"
    roll.mkdir()
    write_template(roll / "roster.xlsx", list(KIND_ORDER))
    refused = run_cli(own, "import", "--initial", str(roll))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    said = "".join(refused.stderr.split())  # rich wraps long messages; Chinese has no spaces
    assert "是proposals，首次导入不载入此类" in said and "`graphcoordimportFILE`" in said
    assert node_count(own_db) == 0


def test_the_national_generators_roll_loads_as_the_importer_loads_it(
    own: Settings, own_db: Database, db: Database, tmp_path: Path
) -> None:
    roll = small_roll(tmp_path / "roll")
    for kind in ("areas", "deputies", "contacts"):
        assert run_import(db, roll / f"{kind}.csv").status == "SUCCEEDED"
    done = run_cli(own, "import", "initial", str(roll))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已导入5,956个节点、9,140条关系，用时" in "".join(done.stdout.split())
    assert roll_graph(reconnect(own_db)) == roll_graph(db)


def _admin_tool_of(state: Path) -> int | None:
    """The pid of the import tool working on ``state``'s store, if it runs."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if ADMIN_TOOL_CLASS.encode() in command and any(
            str(state).encode() in part for part in command
        ):
            return int(entry.name)
    return None


def test_a_failed_import_tool_leaves_an_empty_store(
    own: Settings, own_db: Database, tmp_path: Path
) -> None:
    roll = small_roll(tmp_path / "roll")
    process = subprocess.Popen(
        [sys.executable, "-m", "graphcoord", "import", "--initial", str(roll)],
        env=cli_env(own),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 300
        tool = None
        while tool is None and process.poll() is None and time.monotonic() < deadline:
            tool = _admin_tool_of(own.state_dir)
            time.sleep(0.05)
        assert tool is not None, "the import tool never ran"
        os.kill(tool, signal.SIGKILL)  # as the OOM killer would
        out, err = process.communicate(timeout=600)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    assert process.returncode == 70, out + err
    assert "neo4j-admin database import full exited with -9" in " ".join(err.split())
    assert LocalNeo4j(own).pid() is not None
    assert node_count(reconnect(own_db)) == 0
    assert expected_schema() <= schema_names(own_db)
    assert not (own.state_dir / "initial-import" / "files").exists()
    # And the store takes an initial import again.
    again = run_cli(own, "import", "--initial", str(roll), "--dry-run")
    assert again.returncode == 0, again.stdout + again.stderr
