"""Report-back meetings (述职评议) over GraphQL and the ballot page ``/e/{code}``: one-time
codes, anonymous ballots, results hidden until the meeting closes, the deputy's aggregate,
and what the record and score make of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import AuditAction
from graphcoord.services import audit
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import bearer, data, graphql
from tests.test_citizen_web import csrf_of

SCHEDULE = (
    'mutation($d: ID!, $c: String!) { scheduleReportBack(deputyId: $d, date: "2024-12-20",'
    " constituencyCode: $c) { id status title deputyName constituencyName } }"
)
ISSUE = (
    "mutation($m: ID!, $n: Int!) { issueBallots(meetingId: $m, count: $n)"
    " { codes urls meeting { ballotsIssued } } }"
)
CLOSE = "mutation($m: ID!) { closeReportBack(meetingId: $m) { status } }"
RESULTS = (
    "query($m: ID!) { reportBack(id: $m) { ballots satisfied basicallySatisfied dissatisfied"
    " satisfactionRate comments } }"
)


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    write_dataset(db, factories.station_city())
    app_settings = settings.with_(rate_limit_per_minute=1000)
    with TestClient(create_app(app_settings, db), follow_redirects=False) as client:
        yield client


def organizer(settings: Settings) -> dict[str, str]:
    return bearer(settings, "organizer")


def meeting(api: TestClient, settings: Settings, ballots: int) -> tuple[str, list[str]]:
    town = factories.TOWN_A["code"]
    created = data(graphql(api, SCHEDULE, {"d": "T1", "c": town}, organizer(settings)))
    m = created["scheduleReportBack"]
    assert (m["status"], m["deputyName"], m["constituencyName"]) == ("OPEN", "唐一", "甲镇")
    issued = data(graphql(api, ISSUE, {"m": m["id"], "n": ballots}, organizer(settings)))
    codes: list[str] = issued["issueBallots"]["codes"]
    assert issued["issueBallots"]["meeting"]["ballotsIssued"] == ballots
    assert issued["issueBallots"]["urls"][0].endswith(f"/e/{codes[0]}")
    return m["id"], codes


def vote(api: TestClient, code: str, choice: str, comment: str = "") -> Any:
    page = api.get(f"/e/{code}")
    form = {"choice": choice, "comment": comment, "csrf": csrf_of(page.text)}
    return api.post(f"/e/{code}", data=form)


def test_voters_evaluate_and_results_show_after_closing(
    api: TestClient, settings: Settings, db: Database
) -> None:
    meeting_id, codes = meeting(api, settings, 5)
    page = api.get(f"/e/{codes[0]}")
    assert page.status_code == 200 and "唐一" in page.text and "满意" in page.text
    assert "13800000000" not in page.text
    assert "12345" not in page.text  # a ballot goes to nobody's hotline: no opinion footer
    for code, choice in zip(
        codes[:4], ["SATISFIED", "SATISFIED", "BASICALLY_SATISFIED", "DISSATISFIED"], strict=True
    ):
        answer = vote(api, code, choice, "希望多回村" if choice == "DISSATISFIED" else "")
        assert answer.status_code == 200 and "投票成功" in answer.text
    hidden = graphql(api, RESULTS, {"m": meeting_id}, organizer(settings))
    assert hidden["errors"][0]["extensions"]["code"] == "RULE_VIOLATION"
    assert "report-back-results-after-close" in hidden["errors"][0]["message"]
    assert data(graphql(api, CLOSE, {"m": meeting_id}, organizer(settings)))
    results = data(graphql(api, RESULTS, {"m": meeting_id}, organizer(settings)))["reportBack"]
    assert results == {
        "ballots": 4,
        "satisfied": 2,
        "basicallySatisfied": 1,
        "dissatisfied": 1,
        "satisfactionRate": 0.75,
        "comments": ["希望多回村"],
    }
    # the deputy sees the aggregate only, another deputy nothing
    own = data(graphql(api, RESULTS, {"m": meeting_id}, bearer(settings, "deputy", "T1")))
    assert own["reportBack"]["ballots"] == 4 and own["reportBack"]["comments"] is None
    other = graphql(api, RESULTS, {"m": meeting_id}, bearer(settings, "deputy", "C1"))
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # a closed meeting takes no more ballots
    late = api.get(f"/e/{codes[4]}")
    assert late.status_code == 410 and "评议已结束" in late.text
    # the record and the score count the meeting
    record = data(
        graphql(
            api,
            '{ deputy(id: "T1") { record(year: 2024) { reportBacks visits ballots'
            " satisfactionRate } score(year: 2024) { breakdown { item subtotal } } } }",
            None,
            organizer(settings),
        )
    )["deputy"]
    assert record["record"] == {
        "reportBacks": 1,
        "visits": 1,
        "ballots": 4,
        "satisfactionRate": 0.75,
    }
    lines = {x["item"]: x["subtotal"] for x in record["score"]["breakdown"]}
    assert lines["satisfied"] == 10.0 and lines["basically_satisfied"] == 3.0  # 20x2/4, 12x1/4
    # the organizer's steps are in the audit trail; the voters' ballots are not (anonymous)
    _total, events = audit.audit_page(db, skip=0, limit=20, target=f"meeting:{meeting_id}")
    assert [(e.action, e.actor, e.detail) for e in reversed(events)] == [
        (AuditAction.REPORT_BACK_SCHEDULED, "token:organizer", "T1"),
        (AuditAction.BALLOTS_ISSUED, "token:organizer", "5"),
        (AuditAction.REPORT_BACK_CLOSED, "token:organizer", None),
    ]


def test_a_code_votes_once(api: TestClient, settings: Settings) -> None:
    _, codes = meeting(api, settings, 1)
    page = api.get(f"/e/{codes[0]}")
    form = {"choice": "SATISFIED", "comment": "", "csrf": csrf_of(page.text)}
    assert api.post(f"/e/{codes[0]}", data=form).status_code == 200
    again = api.post(f"/e/{codes[0]}", data=form)
    assert again.status_code == 409 and "此选票已使用" in again.text
    assert api.get(f"/e/{codes[0]}").status_code == 409


def test_a_ballot_stores_nothing_that_names_its_code(
    api: TestClient, settings: Settings, db: Database
) -> None:
    meeting_id, codes = meeting(api, settings, 3)
    assert vote(api, codes[1], "DISSATISFIED", "路灯").status_code == 200
    texts = [
        str(r["props"])
        for r in db.execute(
            "MATCH (n) WHERE n:ReportBack OR n:BallotCode RETURN properties(n) AS props"
        )
    ]
    assert not [t for t in texts if any(code in t for code in codes)]  # codes never stored
    (used,) = db.execute("MATCH (c:BallotCode) WHERE c.uses > 0 RETURN properties(c) AS p")
    assert set(used["p"]) == {"hash", "meetingId", "uses"}  # no choice, comment nor time
    links = db.execute("MATCH (c:BallotCode)-[r]-() RETURN count(r) AS n")[0]["n"]
    assert links == 0
    (m,) = db.execute(
        "MATCH (a:ReportBack {id: $id}) RETURN properties(a) AS p", {"id": meeting_id}
    )
    assert not [v for v in m["p"].values() if isinstance(v, str) and len(v) == 64]  # no hash


@pytest.mark.parametrize(
    ("form", "status", "text"),
    [
        ({"choice": "MAYBE"}, 400, "请选择满意、基本满意或不满意"),
        ({"choice": "SATISFIED", "comment": "长" * 501}, 400, "最多500字"),
        ({"choice": "SATISFIED", "csrf": "forged"}, 403, "页面已过期"),
    ],
    ids=["bad-choice", "long-comment", "bad-csrf"],
)
def test_the_ballot_page_refuses_bad_input(
    api: TestClient, settings: Settings, form: dict[str, str], status: int, text: str
) -> None:
    _, codes = meeting(api, settings, 1)
    page = api.get(f"/e/{codes[0]}")
    answer = api.post(f"/e/{codes[0]}", data={"csrf": csrf_of(page.text), **form})
    assert answer.status_code == status and text in answer.text
    assert api.get(f"/e/{codes[0]}").status_code == 200  # the code is still unused


@pytest.mark.parametrize("code", ["abcdefghijklmnop", "x"], ids=["unknown", "malformed"])
def test_an_unknown_ballot_is_a_friendly_404(api: TestClient, code: str) -> None:
    page = api.get(f"/e/{code}")
    assert page.status_code == 404 and "没有找到这张评议选票" in page.text


@pytest.mark.parametrize(
    ("query", "variables", "role", "code"),
    [
        (SCHEDULE, {"d": "T1", "c": "321302100000"}, "deputy", "FORBIDDEN"),
        (SCHEDULE, {"d": "T1", "c": "321302100000"}, "planner", "FORBIDDEN"),
        (SCHEDULE, {"d": "NOPE", "c": "321302100000"}, "organizer", "NOT_FOUND"),
        (SCHEDULE, {"d": "T1", "c": "3213"}, "organizer", "BAD_USER_INPUT"),
        (ISSUE, {"m": "RB-NOPE", "n": 3}, "organizer", "NOT_FOUND"),
        (CLOSE, {"m": "RB-NOPE"}, "organizer", "NOT_FOUND"),
        (RESULTS, {"m": "RB-NOPE"}, "public", "UNAUTHENTICATED"),
    ],
    ids=[
        "deputy-schedules",
        "planner-schedules",
        "unknown-deputy",
        "bad-area",
        "ballots-unknown",
        "close-unknown",
        "public-results",
    ],
)
def test_refusals_carry_a_code(
    api: TestClient,
    settings: Settings,
    query: str,
    variables: dict[str, Any],
    role: str,
    code: str,
) -> None:
    headers = {} if role == "public" else bearer(settings, role, "T1" if role == "deputy" else None)
    body = graphql(api, query, variables, headers)
    assert body["errors"][0]["extensions"]["code"] == code


@pytest.mark.parametrize("count", [0, 2001], ids=["zero", "too-many"])
def test_ballot_counts_are_bounded(api: TestClient, settings: Settings, count: int) -> None:
    town = factories.TOWN_A["code"]
    m = data(graphql(api, SCHEDULE, {"d": "T1", "c": town}, organizer(settings)))
    body = graphql(
        api, ISSUE, {"m": m["scheduleReportBack"]["id"], "n": count}, organizer(settings)
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert re.search(r"count must be 1-2000", body["errors"][0]["message"])
