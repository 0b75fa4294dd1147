"""The analysis fields of the GraphQL API on the seeded Suqian city, checked against Cypher."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.seeding.suqian import SUQIAN_COMPLIANCE_MISSES, SUQIAN_FRAGILE_VILLAGES
from tests.conftest import bearer, data, graphql

SHUYANG = "321322000000"


@pytest.fixture(scope="module")
def api(suqian_api: TestClient) -> TestClient:
    return suqian_api


@pytest.fixture(scope="module")
def planner(settings: Settings) -> dict[str, str]:
    return bearer(settings, "planner")


def test_county_coverage_matches_cypher(
    api: TestClient, planner: dict[str, str], suqian_db: Database
) -> None:
    coverage = data(
        graphql(
            api,
            """query($a: String!) { coverage(areaCode: $a) { villageCount coveredCount coverageRate
                byLevel { level coveredCount } fragile { totalCount edges { node { code } } }
                load { gini max min mean } } }""",
            {"a": SHUYANG},
            planner,
        )
    )["coverage"]
    villages = suqian_db.execute(
        "MATCH (v:Area) WHERE v.kind IN ['VILLAGE','COMMUNITY'] AND v.code STARTS WITH '321322' RETURN count(v)"
    )[0][0]
    per_level = {
        r["level"]: r["n"]
        for r in suqian_db.execute(
            "MATCH (d:Deputy)-[:CONTACTS]->(v:Area) WHERE v.code STARTS WITH '321322' "
            "RETURN d.level AS level, count(DISTINCT v) AS n"
        )
    }
    assert coverage["villageCount"] == villages == 487
    assert coverage["coveredCount"] == villages
    assert coverage["coverageRate"] == 1.0
    assert {
        row["level"]: row["coveredCount"] for row in coverage["byLevel"] if row["coveredCount"]
    } == per_level
    fragile = {edge["node"]["code"] for edge in coverage["fragile"]["edges"]}
    assert fragile == {code for code in SUQIAN_FRAGILE_VILLAGES if code.startswith("321322")}
    assert 0 <= coverage["load"]["gini"] < 1
    assert coverage["load"]["min"] <= coverage["load"]["mean"] <= coverage["load"]["max"]


def test_area_coverage_field(api: TestClient, planner: dict[str, str]) -> None:
    body = data(
        graphql(
            api,
            '{ area(code: "321300000000") { name coverage { villageCount coveredCount } } }',
            headers=planner,
        )
    )
    assert body["area"]["coverage"] == {"villageCount": 1440, "coveredCount": 1440}


@pytest.mark.parametrize("level", ["NATIONAL", "PROVINCIAL", "CITY"])
def test_uncovered_villages_per_level(
    api: TestClient, planner: dict[str, str], suqian_db: Database, level: str
) -> None:
    body = data(
        graphql(
            api,
            'query($l: Level) { uncoveredVillages(areaCode: "321300000000", level: $l, first: 5) { totalCount edges { node { code kind } } } }',
            {"l": level},
            planner,
        )
    )["uncoveredVillages"]
    expected = suqian_db.execute(
        "MATCH (v:Area) WHERE v.kind IN ['VILLAGE','COMMUNITY'] "
        "AND NOT EXISTS { (v)<-[:CONTACTS]-(:Deputy {level: $level}) } RETURN count(v)",
        {"level": level},
    )[0][0]
    assert body["totalCount"] == expected
    assert len(body["edges"]) == min(5, expected)


def test_uncovered_villages_without_level_is_empty(
    api: TestClient, planner: dict[str, str]
) -> None:
    body = data(
        graphql(
            api,
            '{ uncoveredVillages(areaCode: "321300000000") { totalCount edges { cursor } } }',
            headers=planner,
        )
    )
    assert body["uncoveredVillages"] == {"totalCount": 0, "edges": []}


def test_suggest_assignments_closes_the_fragile_gaps(
    api: TestClient, planner: dict[str, str], suqian_db: Database
) -> None:
    plan = data(
        graphql(
            api,
            """{ suggestAssignments(areaCode: "321300000000", includeFragile: true) {
                 targetCount assignments { villageCode basis deputy { id level electedIn { code } } reason }
                 unassignable { villageCode reason } } }""",
            headers=planner,
        )
    )["suggestAssignments"]
    assert plan["targetCount"] == len(SUQIAN_FRAGILE_VILLAGES)
    covered = {a["villageCode"] for a in plan["assignments"]} | {
        u["villageCode"] for u in plan["unassignable"]
    }
    assert covered == set(SUQIAN_FRAGILE_VILLAGES)
    for assignment in plan["assignments"]:
        deputy = assignment["deputy"]
        if deputy["level"] in ("COUNTY", "TOWNSHIP"):
            prefix = deputy["electedIn"]["code"].rstrip("0")
            assert assignment["villageCode"].startswith(prefix)
            assert assignment["basis"] == "ORIGINAL_CONSTITUENCY"
        assert assignment["reason"]
        already = suqian_db.execute(
            "MATCH (:Deputy {id: $d})-[c:CONTACTS]->(:Area {code: $v}) RETURN count(c)",
            {"d": deputy["id"], "v": assignment["villageCode"]},
        )[0][0]
        assert already == 0


def test_what_if_a_fragile_villages_only_deputy_leaves(
    api: TestClient, planner: dict[str, str], suqian_db: Database
) -> None:
    village = SUQIAN_FRAGILE_VILLAGES[0]
    deputy = suqian_db.execute(
        "MATCH (d:Deputy)-[:CONTACTS]->(:Area {code: $v}) RETURN d.id", {"v": village}
    )[0][0]
    report = data(
        graphql(
            api,
            "query($d: [ID!]!) { whatIf(deputyIds: $d) { newlyUncovered coveredBefore coveredAfter replacements { assignments { villageCode } } } }",
            {"d": [deputy]},
            planner,
        )
    )["whatIf"]
    assert village in report["newlyUncovered"]
    assert report["coveredBefore"] - report["coveredAfter"] == len(report["newlyUncovered"])


def test_chain_peers_share_a_chain(
    api: TestClient, planner: dict[str, str], suqian_db: Database
) -> None:
    deputy = suqian_db.execute(
        "MATCH (d:Deputy)-[:WORKS_ON]->() RETURN d.id ORDER BY d.id LIMIT 1"
    )[0][0]
    peers = data(
        graphql(
            api,
            "query($d: ID!) { chainPeers(deputyId: $d, first: 10) { deputy { id } relation score reason chains } }",
            {"d": deputy},
            planner,
        )
    )["chainPeers"]
    assert peers
    scores = [p["score"] for p in peers]
    assert scores == sorted(scores, reverse=True) or peers[0]["relation"] == "SAME_CHAIN"
    same = [p for p in peers if p["relation"] == "SAME_CHAIN"]
    for peer in same:
        shared = suqian_db.execute(
            "MATCH (a:Deputy {id: $a}), (b:Deputy {id: $b}) "
            "MATCH (c:IndustryChain) WHERE ((a)-[:WORKS_ON]->(c) OR (a)-[:OBSERVES]->()-[:ON_CHAIN]->(c)) "
            "AND ((b)-[:WORKS_ON]->(c) OR (b)-[:OBSERVES]->()-[:ON_CHAIN]->(c)) RETURN count(c)",
            {"a": deputy, "b": peer["deputy"]["id"]},
        )[0][0]
        assert shared >= 1
        assert peer["reason"]


RELATION_CYPHER = {
    "LIAISON_UP": "MATCH (:Deputy {id: $to})-[:LIAISON_FOR]->(:Deputy {id: $from}) RETURN count(*)",
    "LIAISON_DOWN": "MATCH (:Deputy {id: $from})-[:LIAISON_FOR]->(:Deputy {id: $to}) RETURN count(*)",
    "SHARED_GROUP": "MATCH (:Deputy {id: $from})-[:MEMBER_OF]->(:Group {id: $via})<-[:MEMBER_OF]-(:Deputy {id: $to}) RETURN count(*)",
    "SHARED_CHAIN": "MATCH (c:IndustryChain {id: $via}) MATCH (a:Deputy {id: $from}), (b:Deputy {id: $to}) "
    "WHERE ((a)-[:WORKS_ON]->(c) OR (a)-[:OBSERVES]->()-[:ON_CHAIN]->(c)) "
    "AND ((b)-[:WORKS_ON]->(c) OR (b)-[:OBSERVES]->()-[:ON_CHAIN]->(c)) RETURN count(*)",
    "CONTACTS": "MATCH (:Deputy {id: $to})-[:CONTACTS]->(:Area {code: $from}) RETURN count(*)",
}


@pytest.mark.parametrize("level", ["TOWNSHIP", "COUNTY", "CITY", "PROVINCIAL", "NATIONAL"])
def test_escalation_paths_use_real_edges(
    api: TestClient, settings: Settings, suqian_db: Database, level: str
) -> None:
    village = suqian_db.execute(
        "MATCH (v:Area {kind: 'VILLAGE'}) RETURN v.code ORDER BY v.code SKIP 100 LIMIT 1"
    )[0][0]
    paths = data(
        graphql(
            api,
            "query($v: String!, $l: Level!) { escalationPaths(villageCode: $v, targetLevel: $l, k: 3) { cost target { id level } hops { from to relation via reason } } }",
            {"v": village, "l": level},
            bearer(settings, "deputy", "SQ-D00001"),
        )
    )["escalationPaths"]
    assert 1 <= len(paths) <= 3
    assert [p["cost"] for p in paths] == sorted(p["cost"] for p in paths)
    for path in paths:
        assert path["target"]["level"] == level
        assert path["hops"][0]["from"] == village
        assert path["hops"][-1]["to"] == path["target"]["id"]
        for hop in path["hops"]:
            assert hop["reason"]
            found = suqian_db.execute(
                RELATION_CYPHER[hop["relation"]],
                {"from": hop["from"], "to": hop["to"], "via": hop["via"]},
            )[0][0]
            assert found >= 1, hop


def test_escalation_from_the_bonded_logistics_issue(
    api: TestClient, planner: dict[str, str]
) -> None:
    paths = data(
        graphql(
            api,
            '{ escalationPaths(issueId: "SQ-I0001", targetLevel: NATIONAL, k: 1) { target { level } hops { relation } } }',
            headers=planner,
        )
    )["escalationPaths"]
    assert paths[0]["target"]["level"] == "NATIONAL"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (
            '{ escalationPaths(villageCode: "321322999999", targetLevel: CITY) { cost } }',
            "NOT_FOUND",
        ),
        (
            '{ escalationPaths(villageCode: "321322", targetLevel: CITY) { cost } }',
            "BAD_USER_INPUT",
        ),
        ("{ escalationPaths(targetLevel: CITY) { cost } }", "BAD_USER_INPUT"),
        (
            '{ escalationPaths(villageCode: "321322100201", targetLevel: CITY, k: 0) { cost } }',
            "BAD_USER_INPUT",
        ),
        ('{ chainPeers(deputyId: "NOPE") { score } }', "NOT_FOUND"),
        ('{ coverage(areaCode: "999900000000") { villageCount } }', "NOT_FOUND"),
        ('{ whatIf(deputyIds: ["NOPE"]) { coveredAfter } }', "NOT_FOUND"),
    ],
    ids=[
        "unknown-village",
        "short-code",
        "no-start",
        "k-zero",
        "unknown-deputy",
        "unknown-area",
        "what-if-unknown",
    ],
)
def test_analysis_errors(api: TestClient, planner: dict[str, str], query: str, code: str) -> None:
    body = graphql(api, query, headers=planner)
    assert body["errors"][0]["extensions"]["code"] == code


def test_group_compliance_and_coverage(api: TestClient, planner: dict[str, str]) -> None:
    for group_id, quarters in SUQIAN_COMPLIANCE_MISSES.items():
        group = data(
            graphql(
                api,
                "query($g: ID!) { group(id: $g) { quarterlyCompliance(year: 2024) { counts missingQuarters compliant } coverage { villageCount coveredInArea uncovered { count } } overlaps { otherGroupId jaccard } } }",
                {"g": group_id},
                planner,
            )
        )["group"]
        compliance = group["quarterlyCompliance"]
        assert compliance["compliant"] is False
        assert sorted(int(q.lstrip("Q")) for q in compliance["missingQuarters"]) == sorted(quarters)
        assert group["coverage"]["villageCount"] >= group["coverage"]["coveredInArea"]
    ok = data(
        graphql(
            api,
            '{ group(id: "SQ-G01") { quarterlyCompliance(year: 2024) { compliant missingQuarters } } }',
            headers=planner,
        )
    )
    assert ok["group"]["quarterlyCompliance"] == {"compliant": True, "missingQuarters": []}


def test_analysis_needs_a_token(api: TestClient) -> None:
    body = graphql(api, '{ coverage(areaCode: "321322000000") { villageCount } }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
