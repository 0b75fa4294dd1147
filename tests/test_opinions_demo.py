"""The demo cities' hot topics (seeded texts, no fitted model: sameness from the corpus).

What an organizer does on the demo city: open November 2024's hot topics of 宿迁市, see the
planted clusters over several villages with the deputies who should act, and draft a joint
proposal; checked against independent Cypher. Liulin's record has topics too.
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.seeding.suqian_issues import ISSUE_COUNT
from tests.conftest import bearer, data, graphql, run_cli

TOPICS = """query($a: String!, $from: Date!, $to: Date!) {
  hotTopics(areaCode: $a, from: $from, to: $to) { comparedIssues
    topics(first: 20) { totalCount nodes {
    id title keywords villageCount bestLevel villages { code } townships { code name }
    deputiesByLevel { level total deputies(first: 100) { deputy { id level } villageCodes } }
    cosponsors { deputy { id level } }
    issues(first: 20) { nodes { id } } } } } }"""
WAGES = [f"SQ-I{n:04d}" for n in range(ISSUE_COUNT + 7, ISSUE_COUNT + 13)]
BRIDGE = [f"SQ-I{n:04d}" for n in range(ISSUE_COUNT + 2, ISSUE_COUNT + 7)]


def _topics(client: TestClient, settings: Settings, area: str, start: str, end: str) -> Any:
    variables = {"a": area, "from": start, "to": end}
    return data(graphql(client, TOPICS, variables, bearer(settings, "organizer")))["hotTopics"]


def test_this_months_hot_topics_of_the_demo_city(
    suqian_api: TestClient, suqian_db: Database, settings: Settings
) -> None:
    scan = _topics(suqian_api, settings, "321300000000", "2024-11-01", "2024-11-30")
    assert (
        scan["comparedIssues"]
        == suqian_db.execute(
            "MATCH (i:Issue) WHERE i.createdAt >= datetime('2024-11-01T00:00:00+08:00') "
            "AND i.createdAt < datetime('2024-12-01T00:00:00+08:00') RETURN count(i)"
        )[0][0]
    )
    topics = {t["id"]: t for t in scan["topics"]["nodes"]}
    by_issues = {frozenset(n["id"] for n in t["issues"]["nodes"]): t for t in topics.values()}
    wages = by_issues[frozenset(WAGES)]
    assert wages["bestLevel"] == "COUNTY" and wages["villageCount"] == 6
    assert len(wages["townships"]) == 3 and "工资" in wages["keywords"]
    bridge = next(t for key, t in by_issues.items() if key <= frozenset(BRIDGE) and len(key) >= 4)
    assert bridge["bestLevel"] == "TOWNSHIP" and len(bridge["townships"]) == 1

    # the deputies who should act: every ACTIVE deputy contacting the villages, by level
    villages = [v["code"] for v in wages["villages"]]
    expected = {
        (r["level"], r["id"])
        for r in suqian_db.execute(
            "MATCH (d:Deputy)-[:CONTACTS]->(v:Area) WHERE v.code IN $codes AND d.status = 'ACTIVE' "
            "RETURN DISTINCT d.level AS level, d.id AS id",
            {"codes": villages},
        )
    }
    listed = {
        (row["level"], d["deputy"]["id"])
        for row in wages["deputiesByLevel"]
        for d in row["deputies"]
    }
    assert listed == expected
    assert {row["level"] for row in wages["deputiesByLevel"]} >= {"COUNTY", "TOWNSHIP"}
    assert wages["cosponsors"] and all(
        c["deputy"]["level"] == "COUNTY" for c in wages["cosponsors"]
    )

    draft = data(
        graphql(
            suqian_api,
            """mutation($t: ID!) { draftProposalFromTopic(topicId: $t) { congressLevel title
                 originIssueIds lead { deputy { id } } cosponsors { deputy { id } } } }""",
            {"t": wages["id"]},
            bearer(settings, "organizer"),
        )
    )["draftProposalFromTopic"]
    assert draft["congressLevel"] == "COUNTY" and sorted(draft["originIssueIds"]) == WAGES
    assert draft["lead"]["deputy"]["id"] == wages["cosponsors"][0]["deputy"]["id"]


def test_topics_cli_on_the_demo_city(suqian_db: Database, settings: Settings) -> None:
    done = run_cli(
        settings, "topics", "--area", "321323000000", "--from", "2024-11-01", "--to", "2024-11-30"
    )
    assert done.returncode == 0, done.stderr
    assert "城南安置房" in done.stdout and "县（区）" in done.stdout


def test_liulin_has_topics_in_its_record(liulin_db: Database, settings: Settings) -> None:
    from graphcoord.app import create_app

    with TestClient(create_app(settings, liulin_db)) as client:
        scan = _topics(client, settings, "141125000000", "2024-01-01", "2024-12-31")
    titles = [t["title"] for t in scan["topics"]["nodes"]]
    assert any("高龄津贴" in title for title in titles), titles
    assert all(t["villageCount"] >= 3 for t in scan["topics"]["nodes"])
