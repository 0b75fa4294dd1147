"""Local hardening (issue 21, item 8): the state folder 0700 and checked on start, the JVM's
environment, the password set before Bolt accepts anyone, and ``db stop`` that only stops the
server it started; through the CLI against real Neo4j servers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from graphcoord.config import Settings
from graphcoord.localserver import PASSWORD_ENV, LocalNeo4j
from tests.conftest import free_port, run_cli

local_only = pytest.mark.skipif("NEO4J_URI" in os.environ, reason="needs the local server")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_state_folder_is_created_0700_with_0600_secrets(
    settings: Settings, tmp_path: Path
) -> None:
    state = tmp_path / "fresh-state"
    created = run_cli(
        settings,
        "token",
        "create",
        "--role",
        "admin",
        GRAPHCOORD_STATE_DIR=str(state),
        GRAPHCOORD_JWT_SECRET="",
    )
    assert created.returncode == 0, created.stderr
    assert mode(state) == 0o700
    assert mode(state / "jwt-secret") == 0o600


@local_only
def test_an_open_state_folder_is_narrowed_on_start(settings: Settings) -> None:
    settings.state_dir.chmod(0o755)
    try:
        started = run_cli(settings, "db", "start")
        assert started.returncode == 0, started.stderr
        assert mode(settings.state_dir) == 0o700
    finally:
        settings.state_dir.chmod(0o700)


@local_only
def test_the_running_server_sees_no_secret_of_ours(settings: Settings) -> None:
    pid = LocalNeo4j(settings).pid()
    assert pid is not None
    names = {
        entry.split(b"=", 1)[0].decode()
        for entry in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        if entry
    }
    assert "GRAPHCOORD_JWT_SECRET" not in names
    assert not [n for n in names if n.startswith("NEO4J_")]
    assert names <= {"PATH", "JAVA_HOME", "HOME", "LANG", "TMPDIR", PASSWORD_ENV} | {
        n for n in names if n.startswith("LC_")
    }


def test_db_stop_leaves_a_process_that_reused_the_pid_alone(
    settings: Settings, tmp_path: Path
) -> None:
    state = tmp_path / "stale-state"
    state.mkdir(mode=0o700)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (state / "neo4j.pid").write_text(f"{bystander.pid}\n")
        stopped = run_cli(settings, "db", "stop", GRAPHCOORD_STATE_DIR=str(state))
        assert stopped.returncode == 0, stopped.stderr
        assert "not running" in stopped.stdout
        assert bystander.poll() is None, "db stop killed a process that was not its server"
        assert not (state / "neo4j.pid").exists()
    finally:
        bystander.kill()
        bystander.wait()


@local_only
def test_the_password_is_set_before_bolt_accepts_connections(
    settings: Settings, tmp_path: Path
) -> None:
    """A first start probed all along with the default neo4j/neo4j: never let in."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    port = free_port()
    env = {
        "GRAPHCOORD_STATE_DIR": str(tmp_path / "first-start"),
        "GRAPHCOORD_BOLT_PORT": str(port),
        "GRAPHCOORD_NEO4J_HEAP": "512m",
        "GRAPHCOORD_NEO4J_PAGECACHE": "64m",
    }
    seen: Counter[str] = Counter()
    done = threading.Event()

    def probe() -> None:
        # Until the first refusal (the password is set from then on): more failed logins
        # would lock the neo4j user (Neo4j's authentication rate limit) and the start with it.
        while not done.is_set():
            try:
                with GraphDatabase.driver(
                    f"bolt://127.0.0.1:{port}", auth=("neo4j", "neo4j"), connection_timeout=1
                ) as driver:
                    if driver.verify_authentication():
                        seen["default password accepted"] += 1
                    else:  # pragma: no cover - the driver raises AuthError instead
                        seen["refused"] += 1
                        return
            except AuthError:
                seen["refused"] += 1
                return
            except (ServiceUnavailable, OSError):
                seen["closed"] += 1
            except Neo4jError as error:
                seen[type(error).__name__] += 1
                return
            time.sleep(0.002)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    started = run_cli(
        settings,
        "db",
        "start",
        GRAPHCOORD_STATE_DIR=env["GRAPHCOORD_STATE_DIR"],
        GRAPHCOORD_BOLT_PORT=env["GRAPHCOORD_BOLT_PORT"],
        GRAPHCOORD_NEO4J_HEAP=env["GRAPHCOORD_NEO4J_HEAP"],
        GRAPHCOORD_NEO4J_PAGECACHE=env["GRAPHCOORD_NEO4J_PAGECACHE"],
    )
    done.set()
    prober.join(timeout=10)
    try:
        assert started.returncode == 0, started.stderr
        assert seen["default password accepted"] == 0, seen
        log = (tmp_path / "first-start" / "neo4j.log").read_text()
        assert "password set before Bolt opened" in log
    finally:
        stopped = subprocess.run(
            [sys.executable, "-m", "graphcoord", "db", "stop"],
            env={
                **{
                    k: v
                    for k, v in os.environ.items()
                    if not k.startswith(("NEO4J_", "GRAPHCOORD_"))
                },
                **env,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert stopped.returncode == 0, stopped.stderr
