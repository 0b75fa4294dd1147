"""Imports kept apart (issue 21, item 7): one import at a time through a lease with a
heartbeat, an undo that refuses to delete what others linked to, and error files whose cells
never run as spreadsheet formulas; through the CLI and GraphQL against the real Neo4j."""

from __future__ import annotations

import csv
import datetime as dt
import json
import threading
from pathlib import Path

from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.importer.lease import ImportLease
from tests.conftest import bearer, run_cli
from tests.test_importer_killed import deputies, kill_mid_way, roster
from tests.test_importer_support import load_base, write_csv

LEASE = """
CREATE (:ImportLease {id: 'import', run: $run, file: '代表名单.csv', holder: 'office-pc pid 4242',
        startedAt: $started, heartbeatAt: $beat, expiresAt: $expires})
"""


def small_roster(tmp_path: Path, name: str = "deputies.csv") -> Path:
    rows = [[f"Q-{n:03d}", f"代表{n}", "县", "321302001000"] for n in range(20)]
    return write_csv(tmp_path / name, ["代表编号", "姓名", "代表层级", "选区代码"], rows)


def hold_lease(db: Database, *, expires_in: float) -> None:
    now = dt.datetime.now(dt.UTC)
    db.write(
        LEASE,
        {
            "run": "9f8e7d6c-0000-4000-8000-000000000000",
            "started": now - dt.timedelta(minutes=3),
            "beat": now - dt.timedelta(seconds=2),
            "expires": now + dt.timedelta(seconds=expires_in),
        },
    )


def test_a_second_import_is_refused_naming_the_running_one(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    hold_lease(db, expires_in=60)
    refused = run_cli(settings, "import", str(small_roster(tmp_path)), "--kind", "deputies")
    assert refused.returncode == 4
    message = " ".join(refused.stderr.split())
    assert "另一项导入正在进行" in message
    assert "run 9f8e7d6c of 代表名单.csv" in message and "office-pc pid 4242" in message
    assert (
        db.execute("MATCH (d:Deputy) WHERE d.id STARTS WITH 'Q-' RETURN count(d) AS n")[0]["n"] == 0
    )
    assert db.execute("MATCH (r:ImportRun) RETURN count(r) AS n")[0]["n"] == 0
    # A dry run writes nothing and needs no lease.
    dry = run_cli(
        settings, "import", str(small_roster(tmp_path)), "--kind", "deputies", "--dry-run"
    )
    assert dry.returncode == 0, dry.stderr


def test_the_same_refusal_over_graphql(settings: Settings, db: Database, tmp_path: Path) -> None:
    load_base(db)
    hold_lease(db, expires_in=60)
    operations = {
        "query": 'mutation($f: Upload!) { importRoster(file: $f, kind: "deputies") { status } }',
        "variables": {"f": None},
    }
    with TestClient(create_app(settings, db)) as api:
        response = api.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
            files={"0": ("deputies.csv", small_roster(tmp_path).read_bytes(), "text/csv")},
            headers={**bearer(settings, "admin"), "graphql-require-preflight": "1"},
        )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RULE_VIOLATION"
    assert "import-one-at-a-time" in error["message"] and "代表名单.csv" in error["message"]


def test_an_expired_lease_is_taken_over(settings: Settings, db: Database, tmp_path: Path) -> None:
    load_base(db)
    hold_lease(db, expires_in=-1)
    done = run_cli(settings, "import", str(small_roster(tmp_path)), "--kind", "deputies")
    assert done.returncode == 0, done.stderr
    assert db.execute("MATCH (l:ImportLease) RETURN count(l) AS n")[0]["n"] == 0  # given back


def test_a_live_import_keeps_its_lease_with_a_heartbeat(db: Database) -> None:
    lease = ImportLease(db, "run-heartbeat", "x.csv", seconds=1.5)
    with lease:
        first = db.execute("MATCH (l:ImportLease) RETURN l.expiresAt AS e")[0]["e"]
        threading.Event().wait(1.2)  # more than a third of the lease: renewed at least once
        later = db.execute("MATCH (l:ImportLease) RETURN l.expiresAt AS e, l.run AS r")[0]
        assert later["r"] == "run-heartbeat" and later["e"] > first
        other = ImportLease(db, "run-second", "y.csv", seconds=1.5)
        try:
            other.__enter__()
            raise AssertionError("a second lease was granted")
        except Exception as refused:
            assert "run run-hear of x.csv" in str(refused)
    assert db.execute("MATCH (l:ImportLease) RETURN count(l) AS n")[0]["n"] == 0


def test_undo_refuses_to_delete_what_others_linked_to(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = roster(tmp_path)
    kill_mid_way(settings, db, path, deputies(db))
    run = db.execute("MATCH (r:ImportRun) RETURN r.id AS id")[0]["id"]
    victim = db.execute("MATCH (u:ImportUndo {kind: 'deputies'}) RETURN u.keys[0] AS id LIMIT 1")[
        0
    ]["id"]
    # Since the import, a contact was added through GraphQL and the deputy tracks an issue.
    db.write(
        "MATCH (d:Deputy {id: $id}), (v:Area {code: '321302001001'}) "
        "CREATE (d)-[:CONTACTS {basis: 'ORIGINAL_CONSTITUENCY'}]->(v) "
        "CREATE (d)-[:TRACKS]->(:Issue {id: 'I-KEEP', title: '保留', status: 'RECEIVED'})",
        {"id": victim},
    )
    before = deputies(db)
    refused = run_cli(settings, "import", "undo", run[:8], "--force")
    assert refused.returncode == 4
    message = " ".join(refused.stderr.split())
    assert f"deputy {victim} (CONTACTS, TRACKS)" in message
    assert "不是本次导入建立的关联" in message
    assert deputies(db) == before  # nothing deleted
    db.write("MATCH (:Deputy {id: $id})-[r:CONTACTS|TRACKS]->() DELETE r", {"id": victim})
    undone = run_cli(settings, "import", "undo", run[:8], "--force")
    assert undone.returncode == 0, undone.stderr
    assert not db.execute("MATCH (d:Deputy) WHERE d.id STARTS WITH 'K-' RETURN d LIMIT 1")
    assert db.execute("MATCH (i:Issue {id: 'I-KEEP'}) RETURN count(i) AS n")[0]["n"] == 1


def test_error_file_cells_never_run_as_formulas(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    rows = [  # levels that do not exist: each is reported with its value
        ["Q-001", "甲", '=HYPERLINK("http://evil.example","点我")', "321302001000"],
        ["Q-002", "乙", "+cmd|' /C calc'!A0", "321302001000"],
        ["Q-003", "丙", "@SUM(1+1)", "321302001000"],
        ["Q-004", "丁", "-1", "321302001000"],
    ]
    path = write_csv(tmp_path / "bad.csv", ["代表编号", "姓名", "代表层级", "选区代码"], rows)
    errors = tmp_path / "errors.csv"
    result = run_cli(settings, "import", str(path), "--kind", "deputies", "--errors", str(errors))
    assert result.returncode == 5
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert cells
    dangerous = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []
    assert "'-1" in cells  # the bad level, shown as typed
