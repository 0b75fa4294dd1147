"""``/health``, the first GraphQL query over HTTP with the database up and down, and tokens."""

from __future__ import annotations

import time

import jwt
import pytest
from starlette.testclient import TestClient

from graphcoord.auth import VerifiedTokens, create_token
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import Unauthenticated
from graphcoord.localserver import LocalNeo4j
from tests.conftest import EXTERNAL_SERVER, bearer


def test_health_ok_with_database_info(client: TestClient, settings: Settings) -> None:
    response = client.get("/health", headers=bearer(settings, "admin"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["agent"].startswith("Neo4j/5.")


def test_node_counts_over_http(client: TestClient, db: Database, settings: Settings) -> None:
    db.write(
        "UNWIND range(1, 3) AS i CREATE (:Deputy {id: 'D' + i}) "
        "WITH count(*) AS _ CREATE (:Area {code: '320000000000'})"
    )
    response = client.post(
        "/graphql",
        json={"query": "{ nodeCounts { label count } }"},
        headers=bearer(settings, "deputy", "D1"),
    )
    assert response.status_code == 200
    counts = {row["label"]: row["count"] for row in response.json()["data"]["nodeCounts"]}
    assert counts == {"Area": 1, "Deputy": 3}


def test_answers_are_utf8_json(client: TestClient, db: Database, settings: Settings) -> None:
    db.write("CREATE (:Area {code: '321300000000', name: '宿迁市', kind: 'CITY'})")
    response = client.post(
        "/graphql",
        json={"query": '{ area(code: "321300000000") { name } }'},
        headers=bearer(settings, "planner"),
    )
    assert response.headers["content-type"] == "application/json"
    assert "宿迁市".encode() in response.content  # not \u-escaped
    assert response.json() == {"data": {"area": {"name": "宿迁市"}}}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"query": "{ nodeCounts { label nope } }"}, 200),
        ({"query": "{ nodeCounts { "}, 200),
        ({"querx": "{ nodeCounts { label } }"}, 400),
    ],
    ids=["unknown-field", "syntax-error", "no-query"],
)
def test_malformed_requests_get_graphql_errors(
    client: TestClient, body: dict[str, str], status: int
) -> None:
    response = client.post("/graphql", json=body)
    assert response.status_code == status
    assert "Traceback" not in response.text
    if status == 200:
        errors = response.json()["errors"]
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_verified_token_is_kept_until_it_expires_and_no_longer() -> None:
    secret = "test-secret-not-for-production-0123456789"
    tokens = VerifiedTokens(secret)
    token = create_token(secret, "deputy", deputy_id="D1", ttl_seconds=2)  # valid >= 1 s
    header = f"Bearer {token}"
    first = tokens.principal(header)
    assert (first.role, first.deputy_id) == ("deputy", "D1")
    assert tokens.principal(header) is first  # not verified again
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.principal(header)
    with pytest.raises(Unauthenticated, match="not valid"):
        tokens.principal("Bearer not-a-token")  # refusals are never kept


def test_graphiql_is_served(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


@pytest.mark.skipif(EXTERNAL_SERVER, reason="stops the local server")
@pytest.mark.parametrize(
    ("query", "role"),
    [
        ("{ nodeCounts { label } }", "admin"),
        # an analysis: the projection cache's version check meets the stopped server
        ('{ coverage(areaCode: "320000000000") { villageCount } }', "planner"),
    ],
)
def test_database_down_gives_503_then_recovers(
    client: TestClient, settings: Settings, db: Database, query: str, role: str
) -> None:
    server = LocalNeo4j(settings)
    db.write("CREATE (:Area {code: '320000000000', name: '江苏省', kind: 'PROVINCE'})")
    assert client.get("/health").status_code == 200
    server.stop()
    try:
        down = client.get("/health", headers=bearer(settings, "admin"))
        assert down.status_code == 503
        assert "not available" in down.json()["error"]
        graphql = client.post("/graphql", json={"query": query}, headers=bearer(settings, role))
        assert graphql.status_code == 503
        error = graphql.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "graphcoord db start" in error["message"]
    finally:
        server.start()
    # Same app, same driver: it recovers without a restart.
    assert client.get("/health").status_code == 200
    again = client.post("/graphql", json={"query": query}, headers=bearer(settings, role))
    assert again.status_code == 200
    assert "errors" not in again.json()
