"""The query-cost limit and per-token rate limits (issue 21, item 2), over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests.conftest import bearer, data, graphql
from tests.factories import small_city

NESTED = (
    "{deputies(first:500){edges{node{groups{group{members{deputy{groups{group{members"
    "{deputy{id}}}}}}}}}}}}"
)


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    write_dataset(db, small_city())
    with TestClient(create_app(settings, db)) as client:
        yield client


def test_the_nested_deputies_attack_is_refused_before_it_runs(
    api: TestClient, settings: Settings, db: Database
) -> None:
    before = db.round_trips
    body = graphql(api, NESTED, headers=bearer(settings, "deputy", "T1"))
    assert db.round_trips - before <= 1  # at most the token's revocation check: nothing ran
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert "nest more than 3 deep" in error["message"]


@pytest.mark.parametrize(
    ("role", "first", "refused"),
    [
        ("deputy", 500, True),  # 500 deputies x 3 groups x 40 members: ~250,000
        ("deputy", 10, False),  # ~5,000
        ("admin", 50, False),  # ~25,000
    ],
    ids=["deputy-500", "deputy-10", "admin-50"],
)
def test_cost_multiplies_list_sizes_against_the_roles_budget(
    api: TestClient, settings: Settings, role: str, first: int, refused: bool
) -> None:
    query = (
        f"{{ deputies(first: {first}) {{ edges {{ node {{ id name "
        "groups { role group { id members { role deputy { id name } } } } } } } }"
    )
    headers = bearer(settings, role, "T1" if role == "deputy" else None)
    body = graphql(api, query, headers=headers)
    if not refused:
        assert "errors" not in body, body
        return
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] > error["extensions"]["budget"] == 10_000
    assert f"{error['extensions']['cost']:,}" in error["message"]


def test_a_first_given_as_a_variable_is_costed_with_the_value_sent(
    api: TestClient, settings: Settings
) -> None:
    query = """query($n: Int) { deputies(first: $n) { edges { node { id
        groups { group { id members { deputy { id } } } } } } } }"""
    headers = bearer(settings, "deputy", "T1")
    assert "errors" not in graphql(api, query, {"n": 2}, headers=headers)
    refused = graphql(api, query, {"n": 500}, headers=headers)
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert refused["errors"][0]["extensions"]["cost"] > 10_000
    assert "errors" not in graphql(api, query, {"n": 2}, headers=headers)  # still cached fine


def test_budgets_are_settings_per_role(settings: Settings, db: Database) -> None:
    write_dataset(db, small_city())
    tight = settings.with_(max_cost=(("public", 1), ("deputy", 3), *settings.max_cost[2:]))
    with TestClient(create_app(tight, db)) as api:
        small = "{ deputies(first: 1) { edges { node { id } } } }"
        body = graphql(api, small, headers=bearer(settings, "deputy", "T1"))
        assert body["errors"][0]["extensions"] == {
            "code": "QUERY_TOO_COSTLY",
            "cost": 4,
            "budget": 3,
            "role": "deputy",
        }
        assert "errors" not in graphql(api, small, headers=bearer(settings, "planner"))
    assert Settings.from_env({"GRAPHCOORD_MAX_COST_DEPUTY": "7"}).cost_budget("deputy") == 7


def test_introspection_is_free_and_graphiql_s_query_passes(api: TestClient) -> None:
    from graphql import get_introspection_query

    body = graphql(api, get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_a_signed_in_token_is_rate_limited(settings: Settings, db: Database) -> None:
    write_dataset(db, small_city())
    with TestClient(create_app(settings.with_(token_rate_limit_per_minute=5), db)) as api:
        headers = bearer(settings, "planner")
        answers = [
            api.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
            for _ in range(7)
        ]
        other = api.post(
            "/graphql", json={"query": "{ __typename }"}, headers=bearer(settings, "planner")
        )
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    refused = answers[-1]
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["retry-after"]) >= 1
    assert other.status_code == 200  # another token has its own window
    assert data(other.json()) == {"__typename": "Query"}
