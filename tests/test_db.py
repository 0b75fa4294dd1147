"""``graphcoord db …`` and the driver against the real server."""

from __future__ import annotations

import json

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import DatabaseAuthError, DatabaseUnavailable
from graphcoord.queries.constraints import CONSTRAINTS, INDEXES
from tests.conftest import EXTERNAL_SERVER, run_cli

local_only = pytest.mark.skipif(EXTERNAL_SERVER, reason="needs the local server")


def test_status_reports_version_address_and_node_count(settings: Settings, db: Database) -> None:
    db.write("CREATE (:Area {code: '320000000000', name: '江苏省'})")
    result = run_cli(settings, "db", "status", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["running"] is True
    assert info["version"].startswith("Neo4j/5.")
    assert info["uri"] == settings.uri
    assert info["nodes"] == 1


@local_only
def test_start_when_running_is_a_no_op(settings: Settings, db: Database) -> None:
    result = run_cli(settings, "db", "start")
    assert result.returncode == 0, result.stderr
    assert "already running" in result.stdout


def _schema_names(db: Database) -> set[str]:
    constraints = {r["name"] for r in db.execute("SHOW CONSTRAINTS YIELD name RETURN name")}
    indexes = {r["name"] for r in db.execute("SHOW INDEXES YIELD name RETURN name")}
    return constraints | indexes


def test_migrate_is_idempotent(settings: Settings, db: Database) -> None:
    before = _schema_names(db)
    for _ in range(2):
        result = run_cli(settings, "db", "migrate")
        assert result.returncode == 0, result.stderr
        assert "schema up to date" in result.stdout
    after = _schema_names(db)
    assert before == after
    assert len(CONSTRAINTS) <= len([n for n in after if not n.startswith("index_")])
    for statement in (*CONSTRAINTS, *INDEXES):
        name = statement.split()[2] if statement.startswith("CREATE CONSTRAINT") else None
        if name:
            assert name in after


def test_unique_keys_are_enforced(db: Database) -> None:
    db.write("CREATE (:Deputy {id: 'D1'})")
    with pytest.raises(Exception, match="already exists"):
        db.write("CREATE (:Deputy {id: 'D1'})")


def test_wrong_password_gives_a_clear_error(settings: Settings, db: Database) -> None:
    wrong = Database(settings.with_(neo4j_password="definitely-not-the-password"))
    try:
        with pytest.raises(DatabaseAuthError, match="refused the credentials of user 'neo4j'"):
            wrong.execute("RETURN 1")
    finally:
        wrong.close()
    # The right password still works (a single failure does not lock the account).
    assert db.execute("RETURN 1 AS one")[0]["one"] == 1


def test_wrong_password_through_the_cli(settings: Settings, db: Database) -> None:
    result = run_cli(settings, "db", "migrate", NEO4J_PASSWORD="definitely-not-the-password")
    assert result.returncode == DatabaseAuthError.exit_code
    assert "refused the credentials" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_server_is_a_clear_error(settings: Settings) -> None:
    nowhere = Database(settings.with_(neo4j_uri="bolt://127.0.0.1:9", neo4j_password="x" * 8))
    try:
        with pytest.raises(DatabaseUnavailable, match="not available"):
            nowhere.execute("RETURN 1")
    finally:
        nowhere.close()


@local_only
def test_stop_then_status_then_start(settings: Settings, db: Database) -> None:
    stopped = run_cli(settings, "db", "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert "Neo4j stopped" in stopped.stdout
    status = run_cli(settings, "db", "status")
    assert status.returncode == 1
    assert "not running" in status.stdout
    started = run_cli(settings, "db", "start")
    assert started.returncode == 0, started.stderr
    assert "Neo4j started" in started.stdout
    assert db.execute("RETURN 1 AS one")[0]["one"] == 1
