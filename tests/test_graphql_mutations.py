"""Planners' and organizers' mutations over HTTP, with the rules and the roles."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import bearer, graphql

ADD = """mutation($d: ID!, $v: String!) { addContact(deputyId: $d, villageCode: $v) {
  basis changed villageCode deputy { id contacts { code } } } }"""
REMOVE = """mutation($d: ID!, $v: String!) { removeContact(deputyId: $d, villageCode: $v) { changed } }"""
CONVENER = """mutation($g: ID!, $d: ID!) { setConvener(groupId: $g, deputyId: $d) {
  convener { id } members { role deputy { id } } } }"""
ACTIVITY = """mutation($g: ID!, $t: String!, $date: Date!, $a: [ID!]) {
  recordActivity(groupId: $g, title: $t, date: $date, attendeeIds: $a) { activities { title date attendance } } }"""


@pytest.fixture
def city(client: TestClient, db: Database) -> TestClient:
    write_dataset(db, factories.small_city())
    return client


def version(db: Database) -> int:
    """How many transactions the change feed has seen commit."""
    return int(
        db.execute("CALL graphcoord.changes($end) YIELD head RETURN head", {"end": 2**63 - 1})[0][0]
    )


def count(db: Database, query: Any) -> int:
    return int(db.execute(query)[0][0])


def test_planner_adds_and_removes_a_contact(
    city: TestClient, settings: Settings, db: Database
) -> None:
    planner = bearer(settings, "planner")
    before = version(db)
    body = graphql(city, ADD, {"d": "T1", "v": factories.VILLAGE_A["code"]}, planner)
    assert "errors" not in body, body
    result = body["data"]["addContact"]
    assert result["basis"] == "ORIGINAL_CONSTITUENCY"
    assert result["deputy"]["contacts"] == [{"code": factories.VILLAGE_A["code"]}]
    # the contact's transaction, then the audit trail's event (services/audit.py writes after)
    assert version(db) == before + 2
    again = graphql(city, ADD, {"d": "T1", "v": factories.VILLAGE_A["code"]}, planner)
    assert "errors" not in again
    assert count(db, "MATCH ()-[c:CONTACTS]->() RETURN count(c)") == 1
    near = graphql(city, ADD, {"d": "Y1", "v": factories.VILLAGE_B["code"]}, planner)
    assert near["data"]["addContact"]["basis"] == "NEAR_HOME_OR_WORK"
    removed = graphql(city, REMOVE, {"d": "T1", "v": factories.VILLAGE_A["code"]}, planner)
    assert removed["data"]["removeContact"]["changed"] is True
    assert count(db, "MATCH ()-[c:CONTACTS]->() RETURN count(c)") == 1


def test_coverage_after_a_contact_is_read_again(
    city: TestClient, settings: Settings, db: Database
) -> None:
    """The projection cache answers until a write: the next request's version read sees it."""
    planner = bearer(settings, "planner")
    query = "query($a: String!) { coverage(areaCode: $a) { villageCount coveredCount } }"
    county = {"a": factories.COUNTY["code"]}
    assert graphql(city, query, county, planner)["data"]["coverage"]["coveredCount"] == 0
    assert graphql(city, query, county, planner)["data"]["coverage"]["coveredCount"] == 0
    added = graphql(city, ADD, {"d": "T1", "v": factories.VILLAGE_A["code"]}, planner)
    assert "errors" not in added, added
    after = graphql(city, query, county, planner)["data"]["coverage"]
    assert after == {"villageCount": 2, "coveredCount": 1}


@pytest.mark.parametrize(
    ("deputy", "village", "code", "message"),
    [
        ("T1", factories.VILLAGE_B["code"], "RULE_VIOLATION", "contact-inside-constituency"),
        ("T1", factories.TOWN_A["code"], "RULE_VIOLATION", "contact-is-a-village"),
        ("NOPE", factories.VILLAGE_A["code"], "NOT_FOUND", "deputy 'NOPE' not found"),
        ("T1", "32130210020", "BAD_USER_INPUT", "12-digit"),
        ("T1", "321302100299", "RULE_VIOLATION", "does not exist"),
    ],
    ids=[
        "outside-constituency",
        "not-a-village",
        "unknown-deputy",
        "short-code",
        "unknown-village",
    ],
)
def test_add_contact_refusals(
    city: TestClient,
    settings: Settings,
    db: Database,
    deputy: str,
    village: str,
    code: str,
    message: str,
) -> None:
    body = graphql(city, ADD, {"d": deputy, "v": village}, bearer(settings, "admin"))
    error = body["errors"][0]
    assert error["extensions"]["code"] == code
    assert message in error["message"]
    assert count(db, "MATCH ()-[c:CONTACTS]->() RETURN count(c)") == 0


def test_removing_a_missing_contact_is_not_found(city: TestClient, settings: Settings) -> None:
    body = graphql(
        city, REMOVE, {"d": "T1", "v": factories.VILLAGE_A["code"]}, bearer(settings, "planner")
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("mutation", "variables", "allowed"),
    [
        (ADD, {"d": "T1", "v": factories.VILLAGE_A["code"]}, {"planner", "admin"}),
        (CONVENER, {"g": "G1", "d": "T1"}, {"organizer", "admin"}),
        (ACTIVITY, {"g": "G1", "t": "季度活动", "date": "2024-03-01"}, {"organizer", "admin"}),
    ],
    ids=["addContact", "setConvener", "recordActivity"],
)
@pytest.mark.parametrize("role", [None, "deputy", "planner", "organizer", "admin"], ids=str)
def test_mutation_role_matrix(
    city: TestClient,
    settings: Settings,
    mutation: str,
    variables: dict[str, str],
    allowed: set[str],
    role: str | None,
) -> None:
    headers = bearer(settings, role, "T1" if role == "deputy" else None) if role else {}
    body = graphql(city, mutation, variables, headers)
    if role in allowed:
        assert "errors" not in body, body
    else:
        expected = "UNAUTHENTICATED" if role is None else "FORBIDDEN"
        assert body["errors"][0]["extensions"]["code"] == expected


def test_set_convener_keeps_exactly_one(city: TestClient, settings: Settings, db: Database) -> None:
    organizer = bearer(settings, "organizer")
    first = graphql(city, CONVENER, {"g": "G1", "d": "T1"}, organizer)["data"]["setConvener"]
    assert first["convener"]["id"] == "T1"
    second = graphql(city, CONVENER, {"g": "G1", "d": "C1"}, organizer)["data"]["setConvener"]
    assert second["convener"]["id"] == "C1"
    roles = {m["deputy"]["id"]: m["role"] for m in second["members"]}
    assert roles == {"C1": "CONVENER", "T1": "MEMBER"}
    assert (
        count(
            db,
            "MATCH (:Deputy)-[m:MEMBER_OF {role: 'CONVENER'}]->(:Group {id: 'G1'}) RETURN count(m)",
        )
        == 1
    )


def test_record_activity(city: TestClient, settings: Settings) -> None:
    body = graphql(
        city,
        ACTIVITY,
        {"g": "G1", "t": "一季度联组活动", "date": "2024-03-15", "a": ["T1", "C1"]},
        bearer(settings, "organizer"),
    )
    assert body["data"]["recordActivity"]["activities"] == [
        {"title": "一季度联组活动", "date": "2024-03-15", "attendance": 2}
    ]


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"g": "NOPE", "t": "x", "date": "2024-03-01"}, "NOT_FOUND"),
        ({"g": "G1", "t": "   ", "date": "2024-03-01"}, "BAD_USER_INPUT"),
        ({"g": "G1", "t": "x", "date": "2024-13-01"}, "BAD_USER_INPUT"),
    ],
    ids=["unknown-group", "blank-title", "bad-date"],
)
def test_record_activity_refusals(
    city: TestClient, settings: Settings, variables: dict[str, str], code: str
) -> None:
    body = graphql(city, ACTIVITY, variables, bearer(settings, "organizer"))
    assert body["errors"][0]["extensions"]["code"] == code
