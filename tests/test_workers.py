"""Several workers: shared rate limits, and answers that follow the graph in every process.

``graphcoord serve`` runs as operators run it (a process of its own, over HTTP). Two servers
that name one Redis, and the workers of ``serve --workers 2`` (which starts a Redis of its
own), count submissions in one window; a server started after a write, and one that was
already warm, both answer the new state.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis import Redis

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.localredis import LocalRedis
from graphcoord.services import ratelimit
from graphcoord.services.dataset import write_dataset
from graphcoord.services.ratelimit import RateLimited, limits_for
from tests.conftest import bearer, run_cli
from tests.servers import ServeProcess
from tests.test_live_graph import COUNTY, COVERAGE, VILLAGE_A, check_coverage, city, fresh_coverage

LIMIT = 10
SUBMIT = (
    "mutation($v: String!, $t: String!, $b: String!) { submitIssue(villageCode: $v, "
    'title: $t, body: $b, category: "基础设施") { trackingCode } }'
)


def post(url: str, query: str, variables: dict[str, Any] | None = None, **headers: str) -> Any:
    response = httpx.post(
        f"{url}/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return response.json()


def submit(url: str, n: int) -> dict[str, Any]:
    """The ``n``-th submission of the test, through the server at ``url``."""
    return post(
        url,
        SUBMIT,
        {"v": VILLAGE_A, "t": f"路灯坏了第{n}次", "b": f"村口路灯又坏了，这是第{n}次反映。"},
    )


def refused(answer: dict[str, Any]) -> bool:
    codes = [error["extensions"]["code"] for error in answer.get("errors", [])]
    return codes == ["RATE_LIMITED"] and (answer.get("data") or {}).get("submitIssue") is None


@pytest.fixture
def redis(tmp_path: Path) -> Any:
    with LocalRedis(tmp_path) as server:
        yield server


def test_two_servers_naming_one_redis_share_the_limit(
    settings: Settings, db: Database, redis: LocalRedis
) -> None:
    write_dataset(db, city())
    env = {"GRAPHCOORD_RATE_LIMIT": str(LIMIT), "GRAPHCOORD_RATE_LIMIT_STORAGE": redis.uri}
    with ServeProcess(settings, **env) as first, ServeProcess(settings, **env) as second:
        for n in range(LIMIT):  # five through each
            answer = submit((first, second)[n % 2].url, n)
            assert answer["data"]["submitIssue"]["trackingCode"], answer
        assert refused(submit(first.url, LIMIT))
        assert refused(submit(second.url, LIMIT + 1))
    stored = db.execute(
        "MATCH (i:Issue) WHERE i.title STARTS WITH '路灯坏了第' RETURN count(i) AS n"
    )
    assert stored[0]["n"] == LIMIT  # the refused ones wrote nothing


def test_serve_with_two_workers_starts_its_redis_and_shares_the_limit(
    settings: Settings, db: Database
) -> None:
    write_dataset(db, city())
    serve = ServeProcess(settings, "--workers", "2", GRAPHCOORD_RATE_LIMIT=str(LIMIT))
    with serve:
        workers: set[int] = set()
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            # A new connection each time: the kernel hands it to either worker.
            workers.add(httpx.get(f"{serve.url}/health").json()["worker"])
        assert len(workers) == 2  # both workers answer behind the one port
        answers = [submit(serve.url, n) for n in range(LIMIT + 1)]
        assert all(a["data"]["submitIssue"]["trackingCode"] for a in answers[:LIMIT])
        assert refused(answers[LIMIT])
        socket = settings.state_dir / "redis" / "redis.sock"
        assert socket.exists()
    assert not socket.exists()  # the server's Redis stopped with it


def test_a_server_started_after_a_write_and_a_warm_one_both_answer_the_new_state(
    settings: Settings, db: Database
) -> None:
    write_dataset(db, city())
    planner = bearer(settings, "planner")
    with ServeProcess(settings) as warm:
        before = post(warm.url, COVERAGE, {"a": COUNTY}, **planner)["data"]["coverage"]
        changed = post(
            warm.url,
            'mutation($v: String!) { addContact(deputyId: "Y1", villageCode: $v) { changed } }',
            {"v": VILLAGE_A},
            **planner,
        )
        assert changed["data"]["addContact"]["changed"]
        # An out-of-band write as well, which only the change feed tells the servers about.
        db.write("MATCH (d:Deputy {id: 'T2'}) SET d.status = 'LEFT'")
        expected = fresh_coverage(db, COUNTY)
        with ServeProcess(settings) as late:
            for server in (warm, late):
                answer = post(server.url, COVERAGE, {"a": COUNTY}, **planner)["data"]["coverage"]
                check_coverage(answer, expected)
    assert answer != before


def test_a_limiter_counts_in_memory_while_redis_is_down_and_returns_to_it(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    redis = LocalRedis(tmp_path)
    limits = limits_for(settings.with_(rate_limit_per_minute=3, rate_limit_storage=redis.uri))
    monkeypatch.setattr(ratelimit, "RETRY_SHARED_AFTER", 0.0)
    with caplog.at_level(logging.WARNING, logger="graphcoord.services.ratelimit"):
        for _ in range(3):  # no Redis yet: counted in this process
            limits.submissions.hit("10.0.0.1")
        with pytest.raises(RateLimited):
            limits.submissions.hit("10.0.0.1")
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and said[0].startswith("rate-limit storage unreachable")  # once
    with redis:
        for _ in range(3):  # Redis answers: a fresh shared window
            limits.submissions.hit("10.0.0.1")
        with pytest.raises(RateLimited) as error:
            limits.submissions.hit("10.0.0.1")
        assert error.value.limit == 3 and 1 <= error.value.retry_after <= 60
        with Redis(unix_socket_path=str(redis.socket)) as connection:
            assert any(key.startswith(b"graphcoord") for key in connection.scan_iter())
    assert caplog.records[-1].getMessage() == "rate-limit storage reachable again"


@pytest.mark.parametrize(
    ("uri", "kind"),
    [
        ("memory://", "MemoryStorage"),
        ("redis://127.0.0.1:6399", "RedisStorage"),
        ("redis+unix:///run/graphcoord/redis.sock", "RedisStorage"),
    ],
)
def test_the_storage_is_chosen_by_its_uri(uri: str, kind: str) -> None:
    assert type(ratelimit.storage(uri)).__name__ == kind


@pytest.mark.parametrize(
    "uri", ["bogus://user:s3cret@host/0", "async+redis://:s3cret@host:6379", "redis"]
)
def test_an_unusable_storage_is_refused_without_its_password(uri: str) -> None:
    with pytest.raises(BadInput) as error:
        ratelimit.storage(uri)
    assert "GRAPHCOORD_RATE_LIMIT_STORAGE" in str(error.value)
    assert "s3cret" not in str(error.value)


def test_serve_with_workers_says_what_is_missing_without_redis(
    settings: Settings, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    python_only = f"{empty}{os.pathsep}{Path(sys.executable).parent}"  # no redis-server
    result = run_cli(settings, "serve", "--workers", "2", PATH=python_only)
    assert result.returncode != 0
    assert "redis-server" in result.stderr + result.stdout
