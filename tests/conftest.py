"""One real Neo4j for the whole test session, a clean graph for each test that asks for one.

The server is started through the same code path as ``graphcoord db start`` in a temporary
state folder on a free loopback port.

The caller's shell changes nothing: when this file is loaded, every ``NEO4J_*`` and
``GRAPHCOORD_*`` variable is removed from the test process's environment (a Neo4j user's shell
often has ``NEO4J_PASSWORD`` or ``NEO4J_URI`` set for another server), and every subprocess a
test starts gets the settings it needs from :func:`cli_env`. Only the suite's own variables,
read before that, are honoured:

``GRAPHCOORD_TEST_NEO4J_URI``
    run against this external server instead of starting one (it is wiped between tests:
    point it at a throw-away database); the tests that stop the local server are skipped.
``GRAPHCOORD_TEST_NEO4J_PASSWORD``
    its password (required with the URI).
``GRAPHCOORD_TEST_NEO4J_USERNAME`` / ``GRAPHCOORD_TEST_NEO4J_DATABASE``
    its user and database (default ``neo4j`` / ``neo4j``).
``GRAPHCOORD_TEST_NEO4J_HEAP``
    heap of the suite's own server (default ``1g``).
``GRAPHCOORD_TEST_BOLT_SCHEME``
    ``neo4j`` to reach the suite's own server through routing, as a cluster would be reached
    (default ``bolt``; CI runs the suite once each way).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.localserver import LocalNeo4j
from graphcoord.services.database import ensure_database

CLEAN_GRAPH = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: Prefixes of the variables graphcoord reads; the caller's are never used by the suite.
CALLER_PREFIXES = ("NEO4J_", "GRAPHCOORD_")
#: The suite's own variables (see the module docstring), read before the caller's are dropped.
TEST_ENV: dict[str, str] = {
    name: value for name, value in os.environ.items() if name.startswith("GRAPHCOORD_TEST_")
}
for _name in [name for name in os.environ if name.startswith(CALLER_PREFIXES)]:
    del os.environ[_name]

#: True when the suite runs against an external server (``GRAPHCOORD_TEST_NEO4J_URI``).
EXTERNAL_SERVER = bool(TEST_ENV.get("GRAPHCOORD_TEST_NEO4J_URI"))
TEST_JWT_SECRET = "test-secret-not-for-production-0123456789"


def session_settings(test_env: Mapping[str, str], state_dir: Path) -> Settings:
    """The settings of the session's Neo4j, from the suite's own variables only."""
    local = Settings.from_env({}).with_(state_dir=state_dir, jwt_secret=TEST_JWT_SECRET)
    uri = test_env.get("GRAPHCOORD_TEST_NEO4J_URI")
    if not uri:
        return local.with_(
            bolt_port=free_port(),
            bolt_scheme=test_env.get("GRAPHCOORD_TEST_BOLT_SCHEME", "bolt"),
            neo4j_heap=test_env.get("GRAPHCOORD_TEST_NEO4J_HEAP", "1g"),
            neo4j_pagecache="256m",
        )
    password = test_env.get("GRAPHCOORD_TEST_NEO4J_PASSWORD")
    if not password:
        raise pytest.UsageError(
            "GRAPHCOORD_TEST_NEO4J_URI needs GRAPHCOORD_TEST_NEO4J_PASSWORD (see tests/conftest.py)"
        )
    return local.with_(
        neo4j_uri=uri,
        neo4j_username=test_env.get("GRAPHCOORD_TEST_NEO4J_USERNAME", "neo4j"),
        neo4j_password=password,
        neo4j_database=test_env.get("GRAPHCOORD_TEST_NEO4J_DATABASE", "neo4j"),
    )


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of the session's Neo4j (started here unless ``GRAPHCOORD_TEST_NEO4J_URI``)."""
    settings = session_settings(TEST_ENV, tmp_path_factory.mktemp("graphcoord-state"))
    ensure_database(settings)
    yield settings
    if settings.is_local:
        LocalNeo4j(settings).stop()


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings)
    yield db
    db.close()


@pytest.fixture
def db(database: Database) -> Database:
    """The session's database, emptied of data (constraints and indexes stay)."""
    from graphcoord.services.tickets import forget_reserved_numbers

    database.run_autocommit(CLEAN_GRAPH)
    forget_reserved_numbers()  # the counters they were reserved from are gone
    return database


_SEEDED: dict[str, frozenset[str]] = {}


def _seeded(database: Database, city: str) -> Database:
    """Load ``city`` unless the graph still is exactly what the last load of it left.

    The database's bookmark changes when (and only when) a transaction commits, so an
    unchanged bookmark since the last load proves the seed is intact and test modules can
    share one load.
    """
    from graphcoord.services.seeds import load_seed

    if _SEEDED.get(city) == database.bookmark():
        return database
    database.run_autocommit(CLEAN_GRAPH)
    _SEEDED.clear()
    load_seed(database, city)
    _SEEDED[city] = database.bookmark()
    return database


@pytest.fixture(scope="module")
def suqian_db(database: Database) -> Database:
    """The seeded Suqian city, loaded once per test module; tests must not change it."""
    return _seeded(database, "suqian")


@pytest.fixture(scope="module")
def liulin_db(database: Database) -> Database:
    """The seeded Liulin county, loaded once per test module; tests must not change it."""
    return _seeded(database, "liulin")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    """An HTTP client of the ASGI app on a clean graph."""
    with TestClient(create_app(settings, db)) as test_client:
        yield test_client


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment under which the ``graphcoord`` CLI talks to the test server.

    The test process's own environment without any ``NEO4J_*`` / ``GRAPHCOORD_*`` variable
    (whatever a test or the caller put there), then exactly the settings of ``settings``,
    then ``extra``.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(CALLER_PREFIXES)}
    env.update(
        GRAPHCOORD_STATE_DIR=str(settings.state_dir),
        GRAPHCOORD_BOLT_HOST=settings.bolt_host,
        GRAPHCOORD_BOLT_PORT=str(settings.bolt_port),
        GRAPHCOORD_BOLT_SCHEME=settings.bolt_scheme,
        GRAPHCOORD_NEO4J_HEAP=settings.neo4j_heap,
        GRAPHCOORD_NEO4J_PAGECACHE=settings.neo4j_pagecache,
    )
    if settings.jwt_secret:
        env["GRAPHCOORD_JWT_SECRET"] = settings.jwt_secret
    if not settings.is_local:
        env.update(
            NEO4J_URI=settings.uri,
            NEO4J_USERNAME=settings.neo4j_username,
            NEO4J_PASSWORD=settings.password,
            NEO4J_DATABASE=settings.neo4j_database,
        )
    env.update(extra)
    return env


def run_cli(
    settings: Settings, *args: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``graphcoord ARGS`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "graphcoord", *args],
        env=cli_env(settings, **env),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def bearer(settings: Settings, role: str, deputy_id: str | None = None) -> dict[str, str]:
    """Headers that sign a request in as ``role`` (a deputy token names its deputy)."""
    from graphcoord.auth import create_token

    token = create_token(settings.signing_secret, role, deputy_id=deputy_id)
    return {"authorization": f"Bearer {token}"}


def graphql(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST a GraphQL request; return the JSON body (asserting it is never a 500)."""
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    assert response.status_code != 500, response.text
    body: dict[str, Any] = response.json()
    return body


def data(body: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of a GraphQL answer that must have no errors."""
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


@pytest.fixture(scope="module")
def suqian_api(settings: Settings, suqian_db: Database) -> Iterator[TestClient]:
    """An HTTP client of the app over the seeded Suqian city (read-only tests)."""
    with TestClient(create_app(settings, suqian_db)) as test_client:
        yield test_client
