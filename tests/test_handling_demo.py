"""The issue's "done means" on the demo city, through GraphQL over HTTP: an organizer sees a red
board, sends a supervision letter, records the department's reply, the citizen rates it, and
the rates show answer vs resolution vs on-time per department and deputy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.seeds import load_seed
from tests.conftest import bearer, data, graphql

COUNTY = "321302000000"  # 宿城区
RATES = """query($by: RateGrouping!) { handlingRates(areaCode: "321302000000", from: "2024-01-01",
  to: "2026-12-31", by: $by, first: 500) { overall { total answered resolved onTime due }
  groups { nodes { key label total resolved answerRate resolutionRate onTimeRate } } } }"""


@pytest.fixture
def demo(settings: Settings, db: Database) -> Iterator[TestClient]:
    load_seed(db, "suqian")
    with TestClient(create_app(settings, db)) as client:
        yield client


def test_red_board_letter_reply_verdict_and_rates(demo: TestClient, settings: Settings) -> None:
    organizer = bearer(settings, "organizer")

    def ask(query: str, headers: dict[str, str] | None = None, **variables: Any) -> dict[str, Any]:
        return data(graphql(demo, query, variables, headers))

    board = ask(
        """{ supervisionBoard(areaCode: "321302000000", colour: RED, first: 100) {
             totalCount nodes { issueId colour stage overdueDays department } } }""",
        organizer,
    )["supervisionBoard"]
    assert board["totalCount"] > 10
    assert all(n["colour"] == "RED" and n["overdueDays"] > 0 for n in board["nodes"])
    codes = {
        n["issueId"]: ask(
            "query($i: ID!) { issue(id: $i) { trackingCode } }", organizer, i=n["issueId"]
        )["issue"]["trackingCode"]
        for n in board["nodes"]
        if n["department"] and n["stage"] != "CLAIM"
    }
    issue_id, code = next((i, c) for i, c in codes.items() if c)

    letter = ask(
        "mutation($i: ID!) { issueSupervisionLetter(issueId: $i) { number text } }",
        organizer,
        i=issue_id,
    )["issueSupervisionLetter"]
    assert letter["number"].startswith("督〔") and "超期" in letter["text"]
    trackers = ask(
        "query($i: ID!) { issue(id: $i) { trackers { id } handling { department { id name } } } }",
        organizer,
        i=issue_id,
    )["issue"]
    tracker = trackers["trackers"][0]["id"]
    seen = ask(
        "query($i: ID!) { issue(id: $i) { handling { supervisionLetters { number } } } }",
        bearer(settings, "deputy", tracker),
        i=issue_id,
    )
    assert seen["issue"]["handling"]["supervisionLetters"] == [{"number": letter["number"]}]

    department = trackers["handling"]["department"]
    before = {
        n["key"]: n
        for n in ask(RATES, organizer, by="DEPARTMENT")["handlingRates"]["groups"]["nodes"]
    }[department["id"]]
    replied = ask(
        """mutation($i: ID!) { replyIssue(issueId: $i, text: "已完成整改，问题解决", outcome: RESOLVED) {
             status handling { outcome department { name } } } }""",
        organizer,
        i=issue_id,
    )["replyIssue"]
    assert replied == {
        "status": "CLOSED",
        "handling": {"outcome": "RESOLVED", "department": {"name": department["name"]}},
    }
    verdict = ask(
        "mutation($c: String!) { rateIssue(trackingCode: $c, satisfaction: SATISFIED) { reopened } }",
        c=code,
    )
    assert verdict["rateIssue"]["reopened"] is False

    rates = ask(RATES, organizer, by="DEPARTMENT")["handlingRates"]
    after = {n["key"]: n for n in rates["groups"]["nodes"]}[department["id"]]
    assert after["resolved"] == before["resolved"] + 1
    assert after["total"] == before["total"]
    assert after["onTimeRate"] == before["onTimeRate"]  # finished late: not on time
    deputies = ask(RATES, organizer, by="DEPUTY")["handlingRates"]["groups"]["nodes"]
    assert all({"answerRate", "resolutionRate", "onTimeRate"} <= set(node) for node in deputies)
