"""The suite and the local server are independent of the caller's environment.

A Neo4j user's shell often has ``NEO4J_PASSWORD`` or ``NEO4J_URI`` set for another server;
graphcoord's own ``GRAPHCOORD_*`` variables may be set for a real deployment. None of them may
change what the suite does, and the server's JVM sees none of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphcoord.auth import decode_token
from graphcoord.config import PROJECT_ROOT, Settings
from graphcoord.db import Database
from graphcoord.localserver import (
    JVM_ENV_NAMES,
    PASSWORD_ENV,
    LocalNeo4j,
    build_environment,
    jvm_environment,
)
from tests.conftest import (
    CALLER_PREFIXES,
    EXTERNAL_SERVER,
    TEST_JWT_SECRET,
    cli_env,
    run_cli,
    session_settings,
)
from tests.test_importer_support import cli_in_process

#: What a caller's shell may hold: every value would break the suite if it were used.
HOSTILE: dict[str, str] = {
    "NEO4J_URI": "bolt://127.0.0.1:1",
    "NEO4J_USERNAME": "nobody",
    "NEO4J_PASSWORD": "wrong-password",
    "NEO4J_DATABASE": "nope",
    "GRAPHCOORD_STATE_DIR": "/nonexistent",
    "GRAPHCOORD_BOLT_PORT": "1",
    "GRAPHCOORD_PORT": "eighty",
    "GRAPHCOORD_JWT_SECRET": "x",
    "GRAPHCOORD_ACCESS_LOG": "sometimes",
    "GRAPHCOORD_BATCH_SIZE": "many",
    "GRAPHCOORD_LAUNCHER_DIR": "/nonexistent",
    "GRAPHCOORD_SEEDS_DIR": "/nonexistent",
}


def _status(stdout: str) -> dict[str, object]:
    info: dict[str, object] = json.loads(stdout)
    return info


def test_the_callers_variables_are_gone_from_the_test_process() -> None:
    assert [name for name in os.environ if name.startswith(CALLER_PREFIXES)] == []


def test_a_cli_subprocess_ignores_the_callers_environment(
    settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in HOSTILE.items():
        monkeypatch.setenv(name, value)
    db.write("CREATE (:Area {code: '320000000000', name: '江苏省'})")
    status = run_cli(settings, "db", "status", "--json")
    assert status.returncode == 0, status.stderr
    info = _status(status.stdout)
    assert (info["uri"], info["nodes"]) == (settings.uri, 1)
    token = run_cli(settings, "token", "create", "--role", "planner")
    assert token.returncode == 0, token.stderr
    assert decode_token(settings.signing_secret, token.stdout.strip()).role == "planner"


def test_the_cli_in_process_ignores_the_callers_environment(
    settings: Settings,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in HOSTILE.items():
        monkeypatch.setenv(name, value)
    db.write("CREATE (:Area {code: '320000000000', name: '江苏省'})")
    result = cli_in_process(settings, monkeypatch, capsys, "db", "status", "--json")
    assert result.returncode == 0, result.stderr
    info = _status(result.stdout)
    assert (info["uri"], info["nodes"]) == (settings.uri, 1)


EXTERNAL = {
    "GRAPHCOORD_TEST_NEO4J_URI": "neo4j://db.example:7687",
    "GRAPHCOORD_TEST_NEO4J_USERNAME": "tester",
    "GRAPHCOORD_TEST_NEO4J_PASSWORD": "throw-away-password",
    "GRAPHCOORD_TEST_NEO4J_DATABASE": "scratch",
}
SESSION_SETTINGS = {
    "plain variables only: the suite's own server": (
        HOSTILE,
        (None, "neo4j", None, "neo4j"),
    ),
    "GRAPHCOORD_TEST_NEO4J_URI: that server": (
        {**HOSTILE, **EXTERNAL},
        ("neo4j://db.example:7687", "tester", "throw-away-password", "scratch"),
    ),
}


@pytest.mark.parametrize(("env", "server"), SESSION_SETTINGS.values(), ids=SESSION_SETTINGS.keys())
def test_session_settings_come_from_the_suites_own_variables(
    tmp_path: Path, env: dict[str, str], server: tuple[str | None, str, str | None, str]
) -> None:
    settings = session_settings(env, tmp_path)
    assert (
        settings.neo4j_uri,
        settings.neo4j_username,
        settings.neo4j_password,
        settings.neo4j_database,
    ) == server
    assert settings.state_dir == tmp_path
    assert settings.jwt_secret == TEST_JWT_SECRET
    if settings.is_local:
        assert settings.bolt_port != 1
        assert settings.launcher_dir == PROJECT_ROOT / "neo4j-server"


def test_an_external_test_server_needs_its_password(tmp_path: Path) -> None:
    env = {"GRAPHCOORD_TEST_NEO4J_URI": "bolt://db.example:7687", **HOSTILE}
    with pytest.raises(pytest.UsageError, match="GRAPHCOORD_TEST_NEO4J_PASSWORD"):
        session_settings(env, tmp_path)


#: Tests run by a pytest of their own under :data:`HOSTILE`: the session settings, a CLI
#: subprocess, the CLI in process, ``graphcoord serve`` answering a signed request.
INNER_TESTS = (
    "tests/test_environment.py::test_the_callers_variables_are_gone_from_the_test_process",
    "tests/test_db.py::test_status_reports_version_address_and_node_count",
    "tests/test_db.py::test_wrong_password_through_the_cli",
    "tests/test_importer.py::test_dry_run_counts_and_writes_nothing",
    "tests/test_serve.py::test_serve_answers_graphql_and_logs_requests_only_when_asked"
    "[default: off]",
)


def test_the_suite_passes_under_a_hostile_environment(settings: Settings, db: Database) -> None:
    """A pytest of its own, on this session's server named by ``GRAPHCOORD_TEST_NEO4J_*``."""
    env = cli_env(settings, **HOSTILE)
    env.update(
        GRAPHCOORD_TEST_NEO4J_URI=settings.uri,
        GRAPHCOORD_TEST_NEO4J_USERNAME=settings.neo4j_username,
        GRAPHCOORD_TEST_NEO4J_PASSWORD=settings.password,
        GRAPHCOORD_TEST_NEO4J_DATABASE=settings.neo4j_database,
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *INNER_TESTS],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"{len(INNER_TESTS)} passed" in result.stdout, result.stdout[-4000:]


#: The caller's variables and whether the server's JVM gets them.
JVM_VARIABLES = {
    "PATH": True,
    "JAVA_HOME": True,
    "HOME": True,
    "LANG": True,
    "LC_ALL": True,
    "LC_CTYPE": True,
    "TMPDIR": True,
    "GRAPHCOORD_JWT_SECRET": False,
    "GRAPHCOORD_NEO4J_PASSWORD": False,  # replaced by the settings' password
    "NEO4J_PASSWORD": False,
    "NEO4J_URI": False,
    "JAVA_TOOL_OPTIONS": False,
    "AWS_SECRET_ACCESS_KEY": False,
    "PYTHONPATH": False,
}


@pytest.mark.parametrize(
    ("name", "passes"), JVM_VARIABLES.items(), ids=[f"{n}={p}" for n, p in JVM_VARIABLES.items()]
)
def test_the_jvm_gets_only_the_variables_it_needs(
    monkeypatch: pytest.MonkeyPatch, name: str, passes: bool
) -> None:
    monkeypatch.setenv(name, "from-the-caller")
    env = jvm_environment("the-settings-password")
    assert (env.get(name) == "from-the-caller") is passes
    assert env[PASSWORD_ENV] == "the-settings-password"
    assert all(key in JVM_ENV_NAMES or key.startswith("LC_") or key == PASSWORD_ENV for key in env)


def test_the_maven_build_gets_no_graphcoord_variable() -> None:
    environ = {"PATH": "/usr/bin", "MAVEN_OPTS": "-Xmx1g", **HOSTILE}
    assert build_environment(environ) == {"PATH": "/usr/bin", "MAVEN_OPTS": "-Xmx1g"}


@pytest.mark.skipif(EXTERNAL_SERVER, reason="needs the local server")
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_the_running_server_has_only_the_allowed_environment(settings: Settings) -> None:
    pid = LocalNeo4j(settings).pid()
    assert pid is not None
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    env = dict(entry.split("=", 1) for entry in raw.decode().split("\0") if entry)
    unexpected = {
        key
        for key in env
        if key not in JVM_ENV_NAMES | {PASSWORD_ENV} and not key.startswith("LC_")
    }
    assert unexpected == set()
    assert env[PASSWORD_ENV] == settings.password
