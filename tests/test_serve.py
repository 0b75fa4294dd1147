"""``graphcoord serve`` as users run it: a process answering GraphQL, with or without an access log."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from tests.conftest import bearer, cli_env, free_port


@contextmanager
def served(settings: Settings, *args: str, **env: str) -> Iterator[tuple[str, list[str]]]:
    """``graphcoord serve ARGS`` on a free port; yields its URL and, once stopped, its log."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "graphcoord", "serve", "--port", str(port), *args],
        env=cli_env(settings, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "graphcoord serve did not start"
            time.sleep(0.2)
        yield url, log
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        log.extend(output.splitlines())


ACCESS_LOG = {
    "default: off": ((), {}, False),
    "--access-log": (("--access-log",), {}, True),
    "GRAPHCOORD_ACCESS_LOG=1": ((), {"GRAPHCOORD_ACCESS_LOG": "1"}, True),
    "--no-access-log over the environment": (
        ("--no-access-log",),
        {"GRAPHCOORD_ACCESS_LOG": "1"},
        False,
    ),
}


@pytest.mark.parametrize(("args", "env", "logged"), ACCESS_LOG.values(), ids=ACCESS_LOG.keys())
def test_serve_answers_graphql_and_logs_requests_only_when_asked(
    settings: Settings, db: Database, args: tuple[str, ...], env: dict[str, str], logged: bool
) -> None:
    with served(settings, *args, **env) as (url, log):
        response = httpx.post(
            f"{url}/graphql",
            json={"query": "{ nodeCounts { label count } }"},
            headers=bearer(settings, "planner"),
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert "errors" not in response.json()
    assert any("GraphQL at" in line for line in log), log
    assert any('"POST /graphql HTTP/1.1" 200' in line for line in log) is logged, log


BAD_SETTINGS = {
    "access log": ("GRAPHCOORD_ACCESS_LOG", "sometimes", "GRAPHCOORD_ACCESS_LOG must be 1/true"),
    "port": ("GRAPHCOORD_PORT", "eighty", "GRAPHCOORD_PORT must be an integer, got 'eighty'"),
}


@pytest.mark.parametrize(
    ("name", "value", "message"), BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys()
)
def test_a_bad_setting_is_refused_with_its_name(
    settings: Settings, name: str, value: str, message: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graphcoord", "serve"],
        env=cli_env(settings, **{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
