"""Tokens (issue 21, item 3): a maximum lifetime, revocation by id and per deputy, deputies who
left refused, and short secrets refused at start; through the CLI and over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator

import jwt
import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.auth import ALGORITHM, ISSUER
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.services.dataset import write_dataset
from tests.conftest import run_cli
from tests.test_citizen_tracking import citizen_city

WHO = "{ nodeCounts { label } }"


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    write_dataset(db, citizen_city())
    # Revocations are re-read at once here (the default keeps an answer 2 s).
    with TestClient(create_app(settings.with_(revocation_refresh=0.0), db)) as client:
        yield client


def new_token(settings: Settings, *args: str) -> tuple[str, str]:
    created = run_cli(settings, "token", "create", *args)
    assert created.returncode == 0, created.stderr
    token_id = created.stderr.split("token id ")[1].split()[0]
    return created.stdout.strip(), token_id


def ask(api: TestClient, token: str) -> tuple[int, str | None]:
    response = api.post(
        "/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"}
    )
    errors = response.json().get("errors")
    return response.status_code, (errors[0]["extensions"]["code"] if errors else None)


@pytest.mark.parametrize(
    "ttl", ["36500d", "31d", "744h"], ids=["100-years", "31-days", "31-days-in-hours"]
)
def test_token_create_refuses_more_than_30_days(settings: Settings, ttl: str) -> None:
    created = run_cli(settings, "token", "create", "--role", "admin", "--ttl", ttl)
    assert created.returncode == 2
    assert "at most 30 days" in created.stderr
    assert created.stdout == ""


def test_a_token_issued_for_longer_than_30_days_is_refused(
    api: TestClient, settings: Settings
) -> None:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "role": "admin",
        "iat": now,
        "exp": now + 36500 * 86400,
        "jti": "a" * 32,
    }
    forged_by_an_old_version = jwt.encode(claims, settings.signing_secret, algorithm=ALGORITHM)
    response = api.post(
        "/graphql",
        json={"query": WHO},
        headers={"authorization": f"Bearer {forged_by_an_old_version}"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "more than the 30 days" in error["message"]


def test_token_revoke_by_id_cuts_that_token_only(api: TestClient, settings: Settings) -> None:
    token, token_id = new_token(settings, "--role", "organizer", "--ttl", "30d")
    other, _ = new_token(settings, "--role", "organizer")
    assert ask(api, token) == (200, None)
    revoked = run_cli(settings, "token", "revoke", token_id)
    assert revoked.returncode == 0, revoked.stderr
    assert ask(api, token) == (200, "UNAUTHENTICATED")
    body = api.post(
        "/graphql", json={"query": WHO}, headers={"authorization": f"Bearer {token}"}
    ).json()
    assert "revoked" in body["errors"][0]["message"]
    assert ask(api, other) == (200, None)


def test_token_revoke_accepts_the_token_itself(api: TestClient, settings: Settings) -> None:
    token, _ = new_token(settings, "--role", "planner")
    assert run_cli(settings, "token", "revoke", token).returncode == 0
    assert ask(api, token) == (200, "UNAUTHENTICATED")


def test_revoking_a_deputy_cuts_every_token_of_theirs(api: TestClient, settings: Settings) -> None:
    first, _ = new_token(settings, "--role", "deputy", "--deputy-id", "T1")
    second, _ = new_token(settings, "--role", "deputy", "--deputy-id", "T1")
    colleague, _ = new_token(settings, "--role", "deputy", "--deputy-id", "C1")
    assert ask(api, first) == ask(api, second) == (200, None)
    revoked = run_cli(settings, "token", "revoke", "--deputy", "T1")
    assert revoked.returncode == 0 and "token version 1" in revoked.stdout
    assert ask(api, first) == ask(api, second) == (200, "UNAUTHENTICATED")
    assert ask(api, colleague) == (200, None)
    fresh, _ = new_token(settings, "--role", "deputy", "--deputy-id", "T1")
    assert ask(api, fresh) == (200, None)
    unknown = run_cli(settings, "token", "revoke", "--deputy", "NOBODY")
    assert unknown.returncode == 3 and "未找到代表“NOBODY”" in unknown.stderr


def test_a_deputy_who_left_is_refused(api: TestClient, settings: Settings, db: Database) -> None:
    token, _ = new_token(settings, "--role", "deputy", "--deputy-id", "T1")
    submitted = api.post(
        "/graphql",
        json={
            "query": 'mutation { submitIssue(villageCode: "321302100201", title: "村口路灯坏了",'
            ' category: "基础设施", body: "村口主干道的路灯已经坏了三个月。") { issueId } }'
        },
    ).json()["data"]["submitIssue"]
    db.write("MATCH (d:Deputy {id: 'T1'}) SET d.status = 'LEFT'")
    response = api.post(
        "/graphql",
        json={
            "query": "mutation($id: ID!) { updateIssueStatus(issueId: $id, status: IN_PROGRESS)"
            " { status } }",
            "variables": {"id": submitted["issueId"]},
        },
        headers={"authorization": f"Bearer {token}"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "has left" in error["message"]
    status = db.execute(
        "MATCH (i:Issue {id: $id}) RETURN i.status AS s", {"id": submitted["issueId"]}
    )
    assert status[0]["s"] == "DISPATCHED"  # unchanged
    refused = run_cli(settings, "token", "create", "--role", "deputy", "--deputy-id", "T1")
    assert refused.returncode == 4 and "has left" in refused.stderr


def test_revocations_are_kept_briefly_then_read_again(settings: Settings, db: Database) -> None:
    """The default keeps a token's answer for ``revocation_refresh`` seconds: one query per
    token and period, not per request."""
    write_dataset(db, citizen_city())
    with TestClient(create_app(settings.with_(revocation_refresh=3.0), db)) as api:
        token, token_id = new_token(settings, "--role", "admin")
        assert ask(api, token) == (200, None)
        before = db.round_trips
        for _ in range(20):
            assert ask(api, token) == (200, None)
        assert db.round_trips - before == 20  # the nodeCounts query only: no check per request
        assert run_cli(settings, "token", "revoke", token_id).returncode == 0
        time.sleep(3.1)
        assert ask(api, token) == (200, "UNAUTHENTICATED")


@pytest.mark.parametrize("secret", ["short", "x" * 31], ids=["5-bytes", "31-bytes"])
def test_a_short_jwt_secret_is_refused_at_start(
    settings: Settings, db: Database, secret: str
) -> None:
    with pytest.raises(BadInput, match="at least 32 bytes"):
        create_app(settings.with_(jwt_secret=secret), db)
    served = run_cli(settings, "serve", "--port", "1", GRAPHCOORD_JWT_SECRET=secret)
    assert served.returncode == 2
    assert "at least 32 bytes" in served.stderr
    created = run_cli(settings, "token", "create", "--role", "admin", GRAPHCOORD_JWT_SECRET=secret)
    assert created.returncode == 2 and created.stdout == ""
