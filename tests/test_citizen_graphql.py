"""Citizens' issues over GraphQL: submit and track (public), queues, status changes, the
permission matrix of every issue field, and report figures against independent Cypher."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests.conftest import bearer, data, graphql
from tests.factories import VILLAGE_A
from tests.test_citizen_tracking import citizen_city

SUBMIT = """mutation($v: String!, $contact: String) {
  submitIssue(villageCode: $v, title: "村口路灯坏了三个月", category: "基础设施",
              body: "村口主干道的路灯已经坏了三个月，晚上出行很不安全。", contact: $contact) {
    issueId trackingCode ticket status trackerCount trackingUrl } }"""
UPDATE = """mutation($id: ID!, $s: IssueStatus!, $note: String, $to: ID) {
  updateIssueStatus(issueId: $id, status: $s, note: $note, escalateTo: $to) {
    id status history { status by byName note } escalations { deputy { id } reason } } }"""


def code_of(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return str(errors[0]["extensions"]["code"]) if errors else None


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    write_dataset(db, citizen_city())
    with TestClient(create_app(settings.with_(rate_limit_per_minute=1000), db)) as client:
        yield client


@pytest.fixture
def submitted(api: TestClient) -> dict[str, Any]:
    result: dict[str, Any] = data(
        graphql(api, SUBMIT, {"v": VILLAGE_A["code"], "contact": "13700001111"})
    )["submitIssue"]
    return result


def test_public_submit_and_track(
    api: TestClient, submitted: dict[str, Any], settings: Settings
) -> None:
    assert submitted["status"] == "DISPATCHED" and submitted["trackerCount"] == 4
    assert submitted["ticket"].startswith("12345-")
    assert submitted["trackingUrl"].endswith(f"/t/{submitted['trackingCode']}")
    view = data(
        graphql(
            api,
            """query($c: String!) { issueByTrackingCode(trackingCode: $c) {
                 status ticket villageName trackerCount trackerLevels history { status at note } } }""",
            {"c": submitted["trackingCode"]},
        )
    )["issueByTrackingCode"]
    assert view["status"] == "DISPATCHED" and view["trackerCount"] == 4
    assert [h["status"] for h in view["history"]] == ["RECEIVED", "DISPATCHED"]
    # the public type has no contact field at all
    body = graphql(
        api,
        "query($c: String!) { issueByTrackingCode(trackingCode: $c) { contact } }",
        {"c": submitted["trackingCode"]},
    )
    assert code_of(body) == "BAD_USER_INPUT"
    missing = graphql(api, '{ issueByTrackingCode(trackingCode: "SHS-ZZZZZZZZZZ") { status } }')
    assert code_of(missing) == "NOT_FOUND"


def test_submit_validation_and_unknown_village(api: TestClient) -> None:
    body = graphql(
        api,
        """mutation { submitIssue(villageCode: "321302100201", title: "", category: "x",
             body: "短") { issueId } }""",
    )
    assert code_of(body) == "BAD_USER_INPUT"
    assert "请填写标题" in body["errors"][0]["message"]
    unknown = graphql(api, SUBMIT, {"v": "321302999999"})
    assert code_of(unknown) == "NOT_FOUND"


def test_public_submissions_are_rate_limited(settings: Settings, db: Database) -> None:
    write_dataset(db, citizen_city())
    with TestClient(create_app(settings.with_(rate_limit_per_minute=2), db)) as client:
        codes = [code_of(graphql(client, SUBMIT, {"v": VILLAGE_A["code"]})) for _ in range(4)]
        signed = graphql(client, SUBMIT, {"v": VILLAGE_A["code"]}, bearer(settings, "organizer"))
    assert codes == [None, None, "RATE_LIMITED", "RATE_LIMITED"]
    assert code_of(signed) is None  # staff entering calls are not limited
    assert db.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"] == 3


def test_deputy_queue_and_status_update(
    api: TestClient, submitted: dict[str, Any], settings: Settings
) -> None:
    t1 = bearer(settings, "deputy", "T1")
    queue = data(graphql(api, "{ myQueue { totalCount nodes { id status } } }", headers=t1))
    assert queue["myQueue"]["totalCount"] == 1
    assert queue["myQueue"]["nodes"][0]["id"] == submitted["issueId"]
    changed = data(
        graphql(
            api, UPDATE, {"id": submitted["issueId"], "s": "IN_PROGRESS", "note": "已到现场"}, t1
        )
    )["updateIssueStatus"]
    assert changed["status"] == "IN_PROGRESS"
    assert changed["history"][-1] == {
        "status": "IN_PROGRESS",
        "by": "deputy:T1",
        "byName": "唐一",
        "note": "已到现场",
    }
    escalated = data(
        graphql(api, UPDATE, {"id": submitted["issueId"], "s": "ESCALATED", "note": "需县统筹"}, t1)
    )["updateIssueStatus"]
    assert escalated["escalations"] == [{"deputy": {"id": "C1"}, "reason": "需县统筹"}]
    refused = graphql(api, UPDATE, {"id": submitted["issueId"], "s": "CLOSED"}, t1)
    assert code_of(refused) == "RULE_VIOLATION"
    assert "issue-status-machine" in refused["errors"][0]["message"]


ISSUE_FIELDS = "id title status channel ticket trackingCode area { code name } trackers { id }"


@pytest.mark.parametrize(
    ("role", "deputy_id", "expected"),
    [
        (None, None, {"issues": "UNAUTHENTICATED", "issue": "UNAUTHENTICATED",
                      "contact": "UNAUTHENTICATED", "myQueue": "UNAUTHENTICATED",
                      "report": "UNAUTHENTICATED", "update": "UNAUTHENTICATED"}),
        ("deputy", "T1", {"issues": None, "issue": None, "contact": "FORBIDDEN",
                          "myQueue": None, "report": None, "update": None}),
        ("deputy", "X1", {"issues": None, "issue": None, "contact": "FORBIDDEN",
                          "myQueue": None, "report": None, "update": "FORBIDDEN"}),
        ("planner", None, {"issues": None, "issue": None, "contact": "FORBIDDEN",
                           "myQueue": "FORBIDDEN", "report": None, "update": "FORBIDDEN"}),
        ("organizer", None, {"issues": None, "issue": None, "contact": None,
                             "myQueue": "FORBIDDEN", "report": None, "update": None}),
        ("admin", None, {"issues": None, "issue": None, "contact": None,
                         "myQueue": "FORBIDDEN", "report": None, "update": None}),
    ],
    ids=["public", "tracking-deputy", "other-deputy", "planner", "organizer", "admin"],
)  # fmt: skip
def test_permission_matrix(
    api: TestClient,
    submitted: dict[str, Any],
    settings: Settings,
    role: str | None,
    deputy_id: str | None,
    expected: dict[str, str | None],
) -> None:
    headers = bearer(settings, role, deputy_id) if role else {}
    issue_id = submitted["issueId"]
    queries = {
        "issues": ("{ issues(first: 5) { totalCount nodes { " + ISSUE_FIELDS + " } } }", {}),
        "issue": ("query($id: ID!) { issue(id: $id) { " + ISSUE_FIELDS + " } }", {"id": issue_id}),
        "contact": ("query($id: ID!) { issue(id: $id) { id contact } }", {"id": issue_id}),
        "myQueue": ("{ myQueue { totalCount } }", {}),
        "report": (
            '{ opinionReport(areaCode: "321302000000", from: "2020-01-01", to: "2099-12-31")'
            " { total } }",
            {},
        ),
        "update": (UPDATE, {"id": issue_id, "s": "IN_PROGRESS"}),
    }
    got = {name: code_of(graphql(api, q, v, headers)) for name, (q, v) in queries.items()}
    assert got == expected
    if expected["contact"] is None:
        body = graphql(api, queries["contact"][0], {"id": issue_id}, headers)
        assert data(body)["issue"]["contact"] == "13700001111"


def test_issue_filters(api: TestClient, submitted: dict[str, Any], settings: Settings) -> None:
    organizer = bearer(settings, "organizer")
    query = "query($w: IssueWhere) { issues(where: $w) { totalCount } }"
    cases = [
        ({"status": "DISPATCHED"}, 1),
        ({"status": "CLOSED"}, 0),
        ({"channel": "QR", "category": "基础设施"}, 1),
        ({"areaCode": "321302100000"}, 1),
        ({"areaCode": "321302101000"}, 0),
    ]
    for where, count in cases:
        assert data(graphql(api, query, {"w": where}, organizer))["issues"]["totalCount"] == count


# --- report figures on the seeded city --------------------------------------------------------

CITY = "321300000000"


@pytest.fixture(scope="module")
def seeded_api(settings: Settings, suqian_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, suqian_db)) as client:
        yield client


REPORT = """query($a: String!) { opinionReport(areaCode: $a, from: "2024-01-01", to: "2024-12-31") {
  total answered resolved answerRate resolutionRate medianDaysToResolve
  byCategory { key count } byChannel { key count } byWeek { key count }
  byTownship { key total resolved } byArea { key label total answered resolved }
  byLevel { key total answered resolved } topVillages { code count }
  longestOpen { id daysOpen } } }"""

_IN_CITY = (
    "MATCH (i:Issue)-[:RAISED_IN]->(v:Area)-[:PART_OF*1..4]->(:Area {code: $city}) "
    "WHERE i.createdAt >= datetime('2024-01-01T00:00:00+08:00') "
    "AND i.createdAt < datetime('2025-01-01T00:00:00+08:00') "
)


def test_report_figures_match_independent_cypher(
    seeded_api: TestClient, suqian_db: Database, settings: Settings
) -> None:
    report = data(graphql(seeded_api, REPORT, {"a": CITY}, bearer(settings, "organizer")))[
        "opinionReport"
    ]

    def one(tail: str) -> Any:
        return suqian_db.execute(_IN_CITY + tail, {"city": CITY})[0][0]

    def table(tail: str) -> dict[str, int]:
        return {r[0]: r[1] for r in suqian_db.execute(_IN_CITY + tail, {"city": CITY})}

    total = one("RETURN count(DISTINCT i)")
    assert report["total"] == total > 200
    resolved = one("AND i.outcome = 'RESOLVED' RETURN count(DISTINCT i)")
    assert report["resolved"] == resolved
    answered = one("AND i.outcome IN ['RESOLVED', 'ANSWERED'] RETURN count(DISTINCT i)")
    assert report["answered"] == answered
    assert report["resolutionRate"] == pytest.approx(resolved / total, abs=1e-4)
    assert report["answerRate"] == pytest.approx(answered / total, abs=1e-4)
    assert {r["key"]: r["count"] for r in report["byCategory"]} == table(
        "RETURN i.category, count(DISTINCT i)"
    )
    assert {r["key"]: r["count"] for r in report["byChannel"]} == table(
        "RETURN i.channel, count(DISTINCT i)"
    )
    assert sum(r["count"] for r in report["byWeek"]) == total
    assert {r["key"]: r["total"] for r in report["byTownship"]} == table(
        "MATCH (v)-[:PART_OF]->(t:Area {kind: 'TOWNSHIP'}) RETURN t.code, count(DISTINCT i)"
    )
    counties = table(
        "MATCH (v)-[:PART_OF*]->(c:Area {kind: 'COUNTY'}) RETURN c.code, count(DISTINCT i)"
    )
    assert {r["key"]: r["total"] for r in report["byArea"]} == counties
    levels = table("MATCH (d:Deputy)-[:TRACKS]->(i) RETURN d.level, count(DISTINCT i)")
    assert {r["key"]: r["total"] for r in report["byLevel"]} == levels
    level_resolved = table(
        "AND i.outcome = 'RESOLVED' MATCH (d:Deputy)-[:TRACKS]->(i) "
        "RETURN d.level, count(DISTINCT i)"
    )
    assert {r["key"]: r["resolved"] for r in report["byLevel"]} == {
        k: level_resolved.get(k, 0) for k in levels
    }
    days = [
        r[0]
        for r in suqian_db.execute(
            _IN_CITY + "AND i.resolvedAt IS NOT NULL "
            "RETURN duration.inSeconds(i.createdAt, i.resolvedAt).seconds / 86400.0",
            {"city": CITY},
        )
    ]
    days.sort()
    middle = len(days) // 2
    median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    assert report["medianDaysToResolve"] == pytest.approx(median, abs=0.01)
    oldest_open = one(
        "AND i.outcome IS NULL AND NOT i.status IN ['RESOLVED', 'CLOSED'] "
        "RETURN i.id ORDER BY i.createdAt, i.id LIMIT 1"
    )
    assert report["longestOpen"][0]["id"] == oldest_open
    top = report["topVillages"][0]
    assert top["count"] == max(table("RETURN v.code, count(DISTINCT i)").values())


def test_report_of_a_county_and_bad_arguments(
    seeded_api: TestClient, suqian_db: Database, settings: Settings
) -> None:
    organizer = bearer(settings, "organizer")
    county = "321302000000"
    report = data(graphql(seeded_api, REPORT, {"a": county}, organizer))["opinionReport"]
    expected = suqian_db.execute(
        _IN_CITY.replace("$city", "$county") + "RETURN count(DISTINCT i)", {"county": county}
    )[0][0]
    assert report["total"] == expected
    assert all(row["key"].startswith("321302") for row in report["byArea"])
    bad = graphql(
        seeded_api,
        '{ opinionReport(areaCode: "321300000000", from: "2024-05-01", to: "2024-01-01") '
        "{ total } }",
        headers=organizer,
    )
    assert code_of(bad) == "BAD_USER_INPUT"
    unknown = graphql(
        seeded_api,
        '{ opinionReport(areaCode: "999900000000", from: "2024-01-01", to: "2024-02-01") '
        "{ total } }",
        headers=organizer,
    )
    assert code_of(unknown) == "NOT_FOUND"
