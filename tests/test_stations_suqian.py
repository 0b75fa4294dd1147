"""Suqian's alarms, supervision candidates and collection points on the seeded city (read-only):
the groups that missed a quarter (SQ-G07, SQ-G19, SQ-G26) equal independent Cypher, over
GraphQL and the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import SUPERVISION_THEMES
from graphcoord.seeding.suqian import SUQIAN_COMPLIANCE_MISSES
from tests.conftest import bearer, data, graphql, run_cli

SUQIAN = "321300000000"


@pytest.fixture(scope="module")
def organizer(settings: Settings) -> dict[str, str]:
    return bearer(settings, "organizer")


def misses_in_cypher(db: Database, year: int, last_quarter: int) -> dict[str, list[str]]:
    """Collaborative groups without an activity in a quarter up to ``last_quarter``."""
    records = db.execute(
        "MATCH (g:Group {kind: 'COLLABORATIVE'}) UNWIND range(1, $last) AS q "
        "WITH g, q WHERE NOT EXISTS { MATCH (g)-[:HELD]->(a:Activity) "
        "  WHERE a.date.year = $year AND a.date.quarter = q } "
        "WITH g, collect('Q' + toString(q)) AS missed "
        "MATCH (c:Deputy)-[:MEMBER_OF {role: 'CONVENER'}]->(g) "
        "RETURN g.id AS id, missed, c.id AS convener ORDER BY id",
        {"year": year, "last": last_quarter},
    )
    return {r["id"]: [*r["missed"], r["convener"]] for r in records}


GROUP_ALARMS = """query($year: Int!, $quarter: Int, $asOf: Date, $area: String) {
  groupAlarms(areaCode: $area, year: $year, quarter: $quarter, asOf: $asOf) {
    totalCount nodes { groupId name missingQuarters counts convener { id name phone }
                       group { room } } } }"""


@pytest.mark.parametrize(
    ("variables", "last_quarter", "only"),
    [
        ({"year": 2024, "asOf": "2024-12-31"}, 4, None),
        ({"year": 2024, "asOf": "2024-12-31", "quarter": 3}, 4, "Q3"),
        ({"year": 2024, "asOf": "2024-12-31", "quarter": 2}, 4, "Q2"),
        ({"year": 2024, "asOf": "2024-05-01"}, 1, None),
        ({"year": 2024, "asOf": "2024-05-01", "quarter": 2}, 0, None),
    ],
    ids=["the-year", "q3", "q2", "only-q1-due", "q2-not-due"],
)
def test_group_alarms_equal_independent_cypher(
    suqian_api: TestClient,
    organizer: dict[str, str],
    suqian_db: Database,
    variables: dict[str, Any],
    last_quarter: int,
    only: str | None,
) -> None:
    body = graphql(suqian_api, GROUP_ALARMS, variables, organizer)
    page = data(body)["groupAlarms"]
    expected = misses_in_cypher(suqian_db, 2024, last_quarter)
    if only is not None:
        expected = {g: m for g, m in expected.items() if only in m}
    found = {n["groupId"]: [*n["missingQuarters"], n["convener"]["id"]] for n in page["nodes"]}
    assert found == expected and page["totalCount"] == len(expected)
    for node in page["nodes"]:
        assert node["convener"]["phone"]  # organizers may call the convener
        assert node["group"]["room"] and len(node["counts"]) == 4


def test_the_seeded_misses_are_the_documented_ones(
    suqian_api: TestClient, organizer: dict[str, str]
) -> None:
    body = graphql(suqian_api, GROUP_ALARMS, {"year": 2024, "asOf": "2025-01-01"}, organizer)
    found = {n["groupId"]: n["missingQuarters"] for n in data(body)["groupAlarms"]["nodes"]}
    assert found == {
        group: [f"Q{q}" for q in quarters] for group, quarters in SUQIAN_COMPLIANCE_MISSES.items()
    }


def test_group_alarms_of_a_county_and_the_phone_rule(
    suqian_api: TestClient, settings: Settings, suqian_db: Database
) -> None:
    county = suqian_db.execute("MATCH (g:Group {id: 'SQ-G07'}) RETURN g.areaCode")[0][0]
    variables = {"year": 2024, "asOf": "2024-12-31", "area": county}
    planner = bearer(settings, "planner")
    body = graphql(
        suqian_api,
        """query($year: Int!, $asOf: Date, $area: String) {
             groupAlarms(areaCode: $area, year: $year, asOf: $asOf) {
               nodes { groupId convener { name phone } } } }""",
        variables,
        planner,
    )
    assert [n["groupId"] for n in body["data"]["groupAlarms"]["nodes"]] == ["SQ-G07"]
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # the phone, below organizer
    assert body["errors"][0]["path"][-1] == "phone"


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"year": 2024, "quarter": 5}, "BAD_USER_INPUT"),
        ({"year": 2024, "area": "3213"}, "BAD_USER_INPUT"),
        ({"year": 2024, "area": "321399000000"}, "NOT_FOUND"),
    ],
    ids=["quarter-5", "bad-code", "unknown-area"],
)
def test_group_alarm_refusals(
    suqian_api: TestClient, organizer: dict[str, str], variables: dict[str, Any], code: str
) -> None:
    body = graphql(suqian_api, GROUP_ALARMS, variables, organizer)
    assert body["errors"][0]["extensions"]["code"] == code, body


def test_cli_alarms_show_the_groups_and_their_conveners(
    settings: Settings, suqian_db: Database
) -> None:
    args = ("alarms", "--area", SUQIAN, "--year", "2024", "--as-of", "2024-12-31")
    result = run_cli(settings, *args, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    found = {g["group_id"]: [*g["missing"], g["convener_id"]] for g in report["groups"]}
    assert found == misses_in_cypher(suqian_db, 2024, 4)
    names = {
        r["id"]: r["name"]
        for r in suqian_db.execute(
            "MATCH (c:Deputy)-[:MEMBER_OF {role: 'CONVENER'}]->(g:Group) "
            "WHERE g.id IN $ids RETURN g.id AS id, c.name AS name",
            {"ids": list(found)},
        )
    }
    assert {g["group_id"]: g["convener_name"] for g in report["groups"]} == names
    shown = run_cli(settings, *args, "--quarter", "3")
    assert shown.returncode == 0, shown.stderr
    assert "SQ-G19" in shown.stdout and "SQ-G26" in shown.stdout and "SQ-G07" not in shown.stdout
    assert "协同联动组未按季度活动 2 个" in shown.stdout
    refused = run_cli(settings, "alarms", "--area", SUQIAN, "--quarter", "0")
    assert refused.returncode == 2 and "季度应为1至4，而不是0" in refused.stderr


CANDIDATES = """query($theme: String!, $area: String) {
  supervisionCandidates(theme: $theme, areaCode: $area) {
    theme candidates(first: 500) { totalCount nodes { deputy { id level } score reasons memberOf } }
  } }"""


def mentioning_in_cypher(db: Database, words: tuple[str, ...]) -> set[str]:
    records = db.execute(
        "MATCH (d:Deputy {status: 'ACTIVE'}) "
        "WITH d, [(d)-[:WORKS_ON]->(c:IndustryChain) | c.name] AS chains "
        "WHERE any(w IN $words WHERE any(s IN coalesce(d.sectors, []) WHERE s CONTAINS w) "
        "  OR d.workUnit CONTAINS w OR d.occupation CONTAINS w OR any(c IN chains WHERE c CONTAINS w)) "
        "RETURN collect(d.id) AS ids",
        {"words": list(words)},
    )
    return set(records[0]["ids"])


@pytest.mark.parametrize(
    ("asked", "theme", "group"),
    [("医疗卫生", "医疗卫生", "SQ-S01"), ("非遗", "非物质文化遗产", "SQ-S03")],
    ids=["health", "heritage-by-its-short-name"],
)
def test_supervision_candidates_ranked_with_reasons(
    suqian_api: TestClient,
    organizer: dict[str, str],
    suqian_db: Database,
    asked: str,
    theme: str,
    group: str,
) -> None:
    body = graphql(suqian_api, CANDIDATES, {"theme": asked}, organizer)
    answer = data(body)["supervisionCandidates"]
    assert answer["theme"] == theme
    nodes = answer["candidates"]["nodes"]
    assert answer["candidates"]["totalCount"] == len(nodes) > 0
    assert {n["deputy"]["id"] for n in nodes} == mentioning_in_cypher(
        suqian_db, SUPERVISION_THEMES[theme]
    )
    assert [n["score"] for n in nodes] == sorted((n["score"] for n in nodes), reverse=True)
    assert all(n["reasons"] for n in nodes)
    assert f"专业领域：{theme}" in nodes[0]["reasons"]
    members = suqian_db.execute(
        "MATCH (d:Deputy)-[:MEMBER_OF]->(:Group {id: $g}) RETURN collect(d.id)", {"g": group}
    )[0][0]
    flagged = {n["deputy"]["id"] for n in nodes if n["memberOf"]}
    assert flagged == set(members)


def test_supervision_candidates_inside_a_county(
    suqian_api: TestClient, organizer: dict[str, str]
) -> None:
    everywhere = graphql(suqian_api, CANDIDATES, {"theme": "教育"}, organizer)
    county = graphql(suqian_api, CANDIDATES, {"theme": "教育", "area": "321371000000"}, organizer)
    total = data(everywhere)["supervisionCandidates"]["candidates"]["totalCount"]
    inside = data(county)["supervisionCandidates"]["candidates"]["totalCount"]
    assert 0 < inside < total


@pytest.mark.parametrize(
    ("role", "theme", "code"),
    [("organizer", "航天", "BAD_USER_INPUT"), ("deputy", "教育", "FORBIDDEN"),
     ("planner", "教育", "FORBIDDEN")],
    ids=["unknown-theme", "deputy", "planner"],
)  # fmt: skip
def test_supervision_candidate_refusals(
    suqian_api: TestClient, settings: Settings, role: str, theme: str, code: str
) -> None:
    headers = bearer(settings, role, "SQ-D00001" if role == "deputy" else None)
    body = graphql(suqian_api, CANDIDATES, {"theme": theme}, headers)
    assert body["errors"][0]["extensions"]["code"] == code


def test_collection_points_with_the_levels_received_there(
    suqian_api: TestClient, organizer: dict[str, str], suqian_db: Database
) -> None:
    body = graphql(
        suqian_api,
        """{ collectionPoints(where: {areaCode: "321300000000"}, first: 3) {
               totalCount nodes { id name kind area { kind }
                 deputies(first: 2) { totalCount nodes { id } }
                 receptions { deputyCount levelCount byLevel { level count } } } } }""",
        headers=organizer,
    )
    page = data(body)["collectionPoints"]
    assert page["totalCount"] == 137
    for node in page["nodes"]:
        levels = suqian_db.execute(
            "MATCH (d:Deputy {status: 'ACTIVE'})-[:RECEIVES_AT]->(:CollectionPoint {id: $id}) "
            "RETURN d.level AS level, count(*) AS n",
            {"id": node["id"]},
        )
        expected = {r["level"]: r["n"] for r in levels}
        assert {b["level"]: b["count"] for b in node["receptions"]["byLevel"]} == expected
        assert node["receptions"]["levelCount"] == len(expected)
        assert node["deputies"]["totalCount"] == sum(expected.values())
        assert node["kind"] in ("SQUARE", "PARK", "MARKET") and node["area"]["kind"] == "TOWNSHIP"
    markets = graphql(
        suqian_api, "{ collectionPoints(where: {kind: MARKET}) { totalCount } }", headers=organizer
    )
    count = suqian_db.execute("MATCH (c:CollectionPoint {kind: 'MARKET'}) RETURN count(c)")[0][0]
    assert data(markets)["collectionPoints"]["totalCount"] == count
    one = graphql(suqian_api, '{ collectionPoint(id: "SQ-CP999") { id } }', headers=organizer)
    assert one["errors"][0]["extensions"]["code"] == "NOT_FOUND"
