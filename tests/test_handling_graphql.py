"""Claim, assign, reply, follow up, rate and reopen through GraphQL over HTTP, with the role
matrix and the error codes users see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import CHINA
from graphcoord.services import issues as tracking
from graphcoord.services.dataset import write_dataset
from graphcoord.services.tickets import LocalTicketGateway
from tests.conftest import bearer, data, graphql
from tests.factories import COUNTY, TOWN_A
from tests.test_citizen_graphql import code_of
from tests.test_citizen_tracking import citizen_city, submission

#: Received on Friday 2025-09-26, before the National Day break.
RECEIVED = dt.datetime(2025, 9, 26, 10, 0, tzinfo=CHINA)
DEPARTMENTS = [
    {"id": "D-EDU", "name": "宿城区教育局", "kind": "COUNTY_BUREAU", "areaCode": COUNTY["code"]},
    {
        "id": "D-GOV",
        "name": "甲镇人民政府",
        "kind": "TOWNSHIP_GOVERNMENT",
        "areaCode": TOWN_A["code"],
    },
]


@dataclass
class Case:
    client: TestClient
    settings: Settings
    db: Database
    issue_id: str
    code: str

    def ask(
        self, query: str, role: str | None = None, deputy: str | None = None, **vars: Any
    ) -> dict[str, Any]:
        headers = bearer(self.settings, role, deputy) if role else {}
        return graphql(self.client, query, vars, headers)


def new_issue(db: Database, at: dt.datetime = RECEIVED) -> tracking.SubmissionResult:
    return tracking.submit_issue(db, LocalTicketGateway(db), submission(), now=at)


@pytest.fixture
def case(settings: Settings, db: Database) -> Iterator[Case]:
    city = citizen_city()
    city["departments"] = DEPARTMENTS
    write_dataset(db, city)
    result = new_issue(db)
    app = create_app(settings.with_(rate_limit_per_minute=1000), db)
    with TestClient(app) as client:
        yield Case(client, settings, db, result.issue_id, result.tracking_code)


CLAIM = "mutation($i: ID!) { claimIssue(issueId: $i) { id status handling { claimedBy { id } } } }"
ASSIGN = """mutation($i: ID!, $d: ID!, $at: DateTime) {
  assignIssue(issueId: $i, departmentId: $d, at: $at) {
    status handling { claimedAt department { id name kind area { code } } } } }"""
REPLY = """mutation($i: ID!, $t: String!, $o: IssueOutcome, $at: DateTime) {
  replyIssue(issueId: $i, text: $t, outcome: $o, at: $at) {
    status handling { outcome outcomeReason firstReplyAt finishedWithinWorkdays round } } }"""
FOLLOW = "mutation($i: ID!, $n: String!) { followUpIssue(issueId: $i, note: $n) { id } }"
LETTER = "mutation($i: ID!) { issueSupervisionLetter(issueId: $i) { number stage dueOn text } }"
RATE = """mutation($c: String!, $s: Satisfaction!, $m: String) {
  rateIssue(trackingCode: $c, satisfaction: $s, comment: $m) { reopened round satisfaction } }"""
BOARD = """query($a: String!, $on: Date) { supervisionBoard(areaCode: $a, asOf: $on) {
  totalCount nodes { issueId colour stage dueAt overdueDays } } }"""
ISSUE = """query($i: ID!, $on: Date) { issue(id: $i) {
  status supervision(asOf: $on) { colour stage dueAt overdueDays }
  handling { round outcome satisfaction clock { workKind policy receivedOn claimDue finishDue }
             log { kind byName text outcome satisfaction departmentName } } } }"""


def assigned(case: Case) -> None:
    answer = case.ask(ASSIGN, "organizer", i=case.issue_id, d="D-EDU")
    assert code_of(answer) is None, answer


def finished(case: Case, outcome: str = "ANSWERED") -> None:
    assigned(case)
    answer = case.ask(REPLY, "admin", i=case.issue_id, t="已答复：明年统筹安排", o=outcome)
    assert code_of(answer) is None, answer


ROLES = [
    # (mutation, set-up, role, deputy, expected code)
    ("claim", None, None, None, "UNAUTHENTICATED"),
    ("claim", None, "planner", None, "FORBIDDEN"),
    ("claim", None, "organizer", None, "FORBIDDEN"),
    ("claim", None, "deputy", "X1", "RULE_VIOLATION"),  # covers another village
    ("claim", None, "deputy", "T1", None),
    ("assign", None, None, None, "UNAUTHENTICATED"),
    ("assign", None, "deputy", "T1", "FORBIDDEN"),
    ("assign", None, "planner", None, "FORBIDDEN"),
    ("assign", None, "organizer", None, None),
    ("assign", None, "admin", None, None),
    ("reply", assigned, None, None, "UNAUTHENTICATED"),
    ("reply", assigned, "planner", None, "FORBIDDEN"),
    ("reply", assigned, "deputy", "C1", "FORBIDDEN"),  # tracks it, did not claim it
    ("reply", assigned, "organizer", None, None),
    ("reply", None, "organizer", None, "RULE_VIOLATION"),  # nobody handles it yet
    ("follow", None, "deputy", "C1", None),
    ("follow", None, "deputy", "X1", "FORBIDDEN"),
    ("follow", None, "planner", None, "FORBIDDEN"),
    ("follow", finished, "deputy", "C1", "RULE_VIOLATION"),
    ("letter", None, "deputy", "C1", "FORBIDDEN"),
    ("letter", None, "planner", None, "FORBIDDEN"),
    ("letter", None, "organizer", None, None),  # received in 2025: long overdue
    ("letter", finished, "organizer", None, "RULE_VIOLATION"),  # not red any more: done
    ("rate", None, None, None, "RULE_VIOLATION"),  # not finished
    ("rate", finished, None, None, None),
    ("rate", finished, "deputy", "T1", None),  # whoever holds the code
]


@pytest.mark.parametrize(
    ("mutation", "setup", "role", "deputy", "expected"),
    ROLES,
    ids=[f"{m}-{s.__name__ if s else 'open'}-{d or r or 'public'}" for m, s, r, d, _ in ROLES],
)
def test_role_matrix(
    case: Case,
    mutation: str,
    setup: Any,
    role: str | None,
    deputy: str | None,
    expected: str | None,
) -> None:
    if setup is not None:
        setup(case)
    query, variables = {
        "claim": (CLAIM, {"i": case.issue_id}),
        "assign": (ASSIGN, {"i": case.issue_id, "d": "D-GOV"}),
        "reply": (REPLY, {"i": case.issue_id, "t": "正在协调施工队"}),
        "follow": (FOLLOW, {"i": case.issue_id, "n": "已到现场查看"}),
        "letter": (LETTER, {"i": case.issue_id}),
        "rate": (RATE, {"c": case.code, "s": "SATISFIED"}),
    }[mutation]
    answer = case.ask(query, role, deputy, **variables)
    assert code_of(answer) == expected, answer


def test_claim_assign_reply_rate_reopen(case: Case) -> None:
    claimed = data(case.ask(CLAIM, "deputy", "T1", i=case.issue_id))["claimIssue"]
    assert claimed["status"] == "IN_PROGRESS"
    assert claimed["handling"]["claimedBy"]["id"] == "T1"
    again = case.ask(CLAIM, "deputy", "C1", i=case.issue_id)
    assert code_of(again) == "RULE_VIOLATION"
    assert "claimed by deputy T1" in again["errors"][0]["message"]
    assert code_of(case.ask(CLAIM, "deputy", "T1", i=case.issue_id)) is None  # a no-op

    at = "2025-09-29T09:30:00+08:00"
    answer = data(case.ask(ASSIGN, "organizer", i=case.issue_id, d="D-EDU", at=at))
    department = answer["assignIssue"]["handling"]["department"]
    assert department == {
        "id": "D-EDU",
        "name": "宿城区教育局",
        "kind": "COUNTY_BUREAU",
        "area": {"code": COUNTY["code"]},
    }
    interim = data(case.ask(REPLY, "organizer", i=case.issue_id, t="已安排维修", at=at))
    assert interim["replyIssue"]["handling"]["firstReplyAt"].startswith("2025-09-29T09:30")
    assert interim["replyIssue"]["status"] == "IN_PROGRESS"
    final = data(
        case.ask(
            REPLY,
            "organizer",
            i=case.issue_id,
            t="资金暂未落实，已列入明年计划",
            o="ANSWERED",
            at="2025-10-20T16:00:00+08:00",
        )
    )["replyIssue"]
    assert final["status"] == "CLOSED"
    handling = final["handling"]
    assert (handling["outcome"], handling["outcomeReason"]) == (
        "ANSWERED",
        "资金暂未落实，已列入明年计划",
    )
    assert handling["finishedWithinWorkdays"] == 12  # 9-28 … 10-20, the break not counted
    on_time = data(case.ask(ISSUE, "organizer", i=case.issue_id, on="2026-01-05"))["issue"]
    assert on_time["supervision"] == {
        "colour": "GREEN",
        "stage": "DONE",
        "dueAt": "2025-10-23",
        "overdueDays": 0,
    }
    assert code_of(case.ask(REPLY, "organizer", i=case.issue_id, t="再答复")) == "RULE_VIOLATION"

    verdict = data(case.ask(RATE, c=case.code.lower(), s="DISSATISFIED", m="问题没有解决"))
    assert verdict["rateIssue"] == {"reopened": True, "round": 2, "satisfaction": "DISSATISFIED"}
    reopened = data(case.ask(ISSUE, "organizer", i=case.issue_id))["issue"]
    assert reopened["status"] == "IN_PROGRESS"
    assert reopened["handling"]["round"] == 2
    assert reopened["handling"]["outcome"] is None
    clock = reopened["handling"]["clock"]
    assert (clock["workKind"], clock["policy"]) == ("REHANDLING", "REHANDLING:1/5/15")
    kinds = [e["kind"] for e in reopened["handling"]["log"]]
    assert kinds == ["CLAIMED", "ASSIGNED", "REPLIED", "FINISHED", "RATED", "REOPENED"]
    assert reopened["handling"]["log"][0]["byName"] == "唐一"
    assert reopened["handling"]["log"][2]["departmentName"] == "宿城区教育局"

    resolved = data(case.ask(REPLY, "deputy", "T1", i=case.issue_id, t="路灯已修好", o="RESOLVED"))
    assert resolved["replyIssue"]["handling"]["outcome"] == "RESOLVED"
    final_verdict = data(case.ask(RATE, c=case.code, s="DISSATISFIED"))["rateIssue"]
    assert final_verdict == {"reopened": False, "round": 2, "satisfaction": "DISSATISFIED"}
    twice = case.ask(RATE, c=case.code, s="SATISFIED")
    assert code_of(twice) == "RULE_VIOLATION"
    assert "rated already" in twice["errors"][0]["message"]
    public = data(
        case.ask(
            "query($c: String!) { issueByTrackingCode(trackingCode: $c) { status handling {"
            " outcome round satisfaction canRate department steps { kind text by } } } }",
            c=case.code,
        )
    )["issueByTrackingCode"]
    assert public["status"] == "CLOSED"
    assert public["handling"]["outcome"] == "RESOLVED"
    assert public["handling"]["canRate"] is False
    assert public["handling"]["satisfaction"] == "DISSATISFIED"
    assert "路灯已修好" in [s["text"] for s in public["handling"]["steps"]]


@pytest.mark.parametrize(
    ("query", "variables", "code", "message"),
    [
        (REPLY, {"t": "   "}, "BAD_USER_INPUT", "text is required"),
        (REPLY, {"t": "x" * 2001}, "BAD_USER_INPUT", "at most 2000"),
        (REPLY, {"t": "好", "at": "2099-01-01T00:00:00+08:00"}, "BAD_USER_INPUT", "future"),
        (REPLY, {"t": "好", "at": "2025-01-01T00:00:00+08:00"}, "BAD_USER_INPUT", "before"),
        (ASSIGN, {"d": "D-NONE"}, "NOT_FOUND", "department 'D-NONE' not found"),
        (ASSIGN, {"i": "I-NONE", "d": "D-EDU"}, "NOT_FOUND", "issue 'I-NONE' not found"),
        (RATE, {"c": "SHS-UNKNOWN000", "s": "SATISFIED"}, "NOT_FOUND", "tracking code"),
        (RATE, {"s": "SATISFIED", "m": "长" * 501}, "BAD_USER_INPUT", "at most 500"),
    ],
    ids=["empty", "long", "future", "before-receipt", "department", "issue", "code", "comment"],
)
def test_bad_input_is_refused_with_a_code(
    case: Case, query: str, variables: dict[str, Any], code: str, message: str
) -> None:
    assigned(case)
    answer = case.ask(query, "organizer", **{"i": case.issue_id, "c": case.code, **variables})
    assert code_of(answer) == code, answer
    assert message in answer["errors"][0]["message"]


def test_supervision_field_and_board_over_time(case: Case) -> None:
    later = new_issue(case.db, dt.datetime(2025, 10, 20, 9, 0, tzinfo=CHINA))
    colours = {}
    for day in ("2025-09-26", "2025-09-29", "2025-10-21"):
        issue = data(case.ask(ISSUE, "organizer", i=case.issue_id, on=day))["issue"]
        colours[day] = issue["supervision"]
    assert colours["2025-09-26"]["colour"] == "YELLOW"
    assert colours["2025-09-29"] == {
        "colour": "RED",
        "stage": "CLAIM",
        "dueAt": "2025-09-28",
        "overdueDays": 1,
    }
    board = data(case.ask(BOARD, "organizer", a=COUNTY["code"], on="2025-10-21"))
    nodes = board["supervisionBoard"]["nodes"]
    assert [n["issueId"] for n in nodes] == [case.issue_id, later.issue_id]  # most overdue first
    assert [n["colour"] for n in nodes] == ["RED", "YELLOW"]
    # 9-29, 9-30, 10-09, 10-10, the make-up Saturday 10-11, five days, 10-20 and 10-21
    assert nodes[0]["overdueDays"] == colours["2025-10-21"]["overdueDays"] == 12
    red_only = (
        'query { supervisionBoard(areaCode: "321302000000", colour: RED, asOf: "2025-10-21") '
        '{ totalCount } supervisionCounts(areaCode: "321302000000", asOf: "2025-10-21") '
        "{ red yellow green } }"
    )
    answer = data(case.ask(red_only, "admin"))
    assert answer["supervisionBoard"]["totalCount"] == 1
    assert answer["supervisionCounts"] == {"red": 1, "yellow": 1, "green": 0}


@pytest.mark.parametrize(
    ("role", "deputy", "code"),
    [
        (None, None, "UNAUTHENTICATED"),
        ("deputy", "T1", "FORBIDDEN"),
        ("planner", None, "FORBIDDEN"),
    ],
    ids=["public", "deputy", "planner"],
)
def test_board_is_for_organizers(
    case: Case, role: str | None, deputy: str | None, code: str
) -> None:
    assert code_of(case.ask(BOARD, role, deputy, a=COUNTY["code"])) == code


def test_board_refuses_bad_arguments(case: Case) -> None:
    assert code_of(case.ask(BOARD, "organizer", a="3213")) == "BAD_USER_INPUT"
    assert code_of(case.ask(BOARD, "organizer", a=COUNTY["code"], on="2040-01-02")) == (
        "BAD_USER_INPUT"
    )


LETTERS = """query($i: ID!) { issue(id: $i) { handling {
  supervisionLetters { number text stage overdueDays } log { kind } } } }"""


def test_letters_are_for_trackers_and_organizers(case: Case) -> None:
    letter = data(case.ask(LETTER, "organizer", i=case.issue_id))["issueSupervisionLetter"]
    year = dt.datetime.now(CHINA).year
    assert letter["number"] == f"督〔{year}〕1号"
    assert letter["stage"] == "CLAIM"
    assert "超期" in letter["text"]
    second = data(case.ask(LETTER, "admin", i=case.issue_id))["issueSupervisionLetter"]
    assert second["number"] == f"督〔{year}〕2号"
    tracker = data(case.ask(LETTERS, "deputy", "C1", i=case.issue_id))["issue"]["handling"]
    assert [x["number"] for x in tracker["supervisionLetters"]] == [
        letter["number"],
        second["number"],
    ]
    assert [e["kind"] for e in tracker["log"]] == ["LETTER", "LETTER"]
    outsider = case.ask(LETTERS, "deputy", "X1", i=case.issue_id)
    assert code_of(outsider) == "FORBIDDEN"
    log_only = "query($i: ID!) { issue(id: $i) { handling { log { kind } } } }"
    assert data(case.ask(log_only, "planner", i=case.issue_id))["issue"]["handling"]["log"] == []


def test_nested_handling_costs_a_bounded_number_of_round_trips(case: Case) -> None:
    query = """{ issues(first: 50) { nodes { id supervision { colour }
      handling { department { name } claimedBy { name } log { kind } } } } }"""
    costs = []
    for extra in (1, 6):
        for _ in range(extra):
            result = new_issue(case.db)
            assigned_case = Case(case.client, case.settings, case.db, result.issue_id, "")
            assigned(assigned_case)
        before = case.db.round_trips
        nodes = data(case.ask(query, "organizer"))["issues"]["nodes"]
        costs.append(case.db.round_trips - before)
        # every issue but the fixture's one is assigned
        assert sum(n["handling"]["department"] is not None for n in nodes) == len(nodes) - 1
    assert costs[0] == costs[1], costs


def test_a_changed_policy_does_not_rewrite_history(case: Case) -> None:
    """Clocks started under the old policy keep their due dates; new ones take the new one."""
    policy_file = case.settings.state_dir / "handling.toml"
    assert not policy_file.exists()
    policy_file.write_text("[ISSUE]\nfinish_within = 10\n", encoding="utf-8")
    try:
        later = new_issue(case.db)
    finally:
        policy_file.unlink()
    clocks = {
        issue_id: data(case.ask(ISSUE, "organizer", i=issue_id))["issue"]["handling"]["clock"]
        for issue_id in (case.issue_id, later.issue_id)
    }
    assert clocks[case.issue_id]["policy"] == "ISSUE:1/5/15"
    assert clocks[case.issue_id]["finishDue"] == "2025-10-23"
    assert clocks[later.issue_id]["policy"] == "ISSUE:1/5/10"
    assert clocks[later.issue_id]["finishDue"] == "2025-10-16"
