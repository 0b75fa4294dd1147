"""Proposals through GraphQL over HTTP: drafting, co-signing thresholds per level, same-level
co-sponsors and cross-level contributors, submission, the whole handling path with its
deadlines on a pinned clock, re-handling, supervision, the role matrix and the error codes
users see."""

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
from tests.factories import (
    BASE_AREAS,
    CITY,
    COUNTY,
    PROVINCE,
    TOWN_A,
    VILLAGE_A,
    VILLAGE_B,
    deputy,
)
from tests.test_citizen_graphql import code_of
from tests.test_citizen_tracking import submission

OTHER_COUNTY = {
    "code": "321311000000",
    "name": "宿豫区",
    "kind": "COUNTY",
    "parentCode": CITY["code"],
}
OTHER_TOWN = {
    "code": "321311100000",
    "name": "丙镇",
    "kind": "TOWNSHIP",
    "parentCode": OTHER_COUNTY["code"],
}
OTHER_VILLAGE = {
    "code": "321311100201",
    "name": "丙村",
    "kind": "VILLAGE",
    "parentCode": OTHER_TOWN["code"],
}
#: Deputies per level in one congress each: as many as a joint motion of the level needs.
ROSTER = {
    "NATIONAL": ("N", 30, PROVINCE["code"]),
    "PROVINCIAL": ("P", 10, CITY["code"]),
    "CITY": ("Y", 10, COUNTY["code"]),
    "COUNTY": ("C", 10, TOWN_A["code"]),
    "TOWNSHIP": ("T", 5, TOWN_A["code"]),
}
SESSION = "宿城区人大2025年会议"
#: The pinned clock: drafts are written and submitted on this day…
TODAY = dt.date(2025, 5, 20)
#: … and handled as of this one (a recorded step lies before now).
LATER = dt.date(2025, 9, 5)
DEPARTMENTS = [
    {"id": "D-EDU", "name": "宿城区教育局", "kind": "COUNTY_BUREAU", "areaCode": COUNTY["code"]},
    {
        "id": "D-TRA",
        "name": "宿城区交通运输局",
        "kind": "COUNTY_BUREAU",
        "areaCode": COUNTY["code"],
    },
    {
        "id": "D-GOV",
        "name": "甲镇人民政府",
        "kind": "TOWNSHIP_GOVERNMENT",
        "areaCode": TOWN_A["code"],
    },
]


def ids(level: str) -> list[str]:
    prefix, count, _ = ROSTER[level]
    return [f"{prefix}{n:02d}" for n in range(1, count + 1)]


def proposal_city() -> dict[str, list[dict[str, Any]]]:
    """A county (宿城区) with two townships, and a second county (宿豫区): a full congress of
    each level (30 national deputies, 10 provincial, city and county ones, 5 township ones), a
    county deputy of the other county (CX1), and contacts of villages A and B."""
    deputies = [
        deputy(d, level, elected, name=f"{d}代表", baseArea=TOWN_A["code"])
        for level, (_, _, elected) in ROSTER.items()
        for d in ids(level)
    ]
    deputies.append(deputy("CX1", "COUNTY", OTHER_TOWN["code"], name="CX1代表"))
    contacts = [
        {"deputyId": d, "areaCode": VILLAGE_A["code"], "basis": "ORIGINAL_CONSTITUENCY"}
        for d in ("C01", "C02", "C03", "T01", "T02")
    ]
    contacts += [
        {"deputyId": d, "areaCode": VILLAGE_A["code"], "basis": "NEAR_HOME_OR_WORK"}
        for d in ("Y01", "Y02", "Y03", "N01")
    ]
    contacts += [
        {"deputyId": d, "areaCode": VILLAGE_B["code"], "basis": "NEAR_HOME_OR_WORK"}
        for d in ("Y01", "Y04")
    ]
    contacts.append(
        {"deputyId": "CX1", "areaCode": OTHER_VILLAGE["code"], "basis": "ORIGINAL_CONSTITUENCY"}
    )
    return {
        "areas": [*BASE_AREAS, OTHER_COUNTY, OTHER_TOWN, OTHER_VILLAGE],
        "deputies": deputies,
        "contacts": contacts,
        "liaisons": [{"fromId": "Y01", "toId": "C01"}, {"fromId": "N01", "toId": "Y01"}],
        "departments": DEPARTMENTS,
        "groups": [
            {
                "id": "G1",
                "name": "宿城区第1协同联动组",
                "kind": "COLLABORATIVE",
                "areaCode": COUNTY["code"],
            },
        ],
        "memberships": [
            {"deputyId": "Y01", "groupId": "G1", "role": "CONVENER"},
            {"deputyId": "C01", "groupId": "G1", "role": "MEMBER"},
            {"deputyId": "N01", "groupId": "G1", "role": "MEMBER"},
        ],
    }


@dataclass
class Api:
    settings: Settings
    db: Database
    clients: dict[dt.date, TestClient]
    day: dt.date = TODAY

    @property
    def client(self) -> TestClient:
        """A client of the app whose clock is pinned to :attr:`day`."""
        if self.day not in self.clients:
            app = create_app(self.settings.with_(today=self.day), self.db)
            self.clients[self.day] = TestClient(app).__enter__()
        return self.clients[self.day]

    def ask(
        self, query: str, role: str | None = None, deputy: str | None = None, **variables: Any
    ) -> dict[str, Any]:
        headers = bearer(self.settings, role, deputy) if role else {}
        return graphql(self.client, query, variables, headers)

    def ok(
        self, query: str, role: str | None = None, deputy: str | None = None, **variables: Any
    ) -> dict[str, Any]:
        return data(self.ask(query, role, deputy, **variables))


def issues_in(db: Database, *villages: str) -> list[str]:
    """Submit one citizens' issue per village (routed to its deputies), on 2025-08-04."""
    at = dt.datetime(2025, 8, 4, 9, 0, tzinfo=CHINA)
    found = []
    for n, village in enumerate(villages):
        result = tracking.submit_issue(
            db,
            LocalTicketGateway(db),
            submission(village_code=village, title=f"学校门口缺少红绿灯{n + 1}"),
            now=at + dt.timedelta(hours=n),
        )
        found.append(result.issue_id)
    return found


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    write_dataset(db, proposal_city())
    found = Api(settings, db, {})
    try:
        yield found
    finally:
        for client in found.clients.values():
            client.__exit__(None, None, None)


DRAFT = """mutation($input: DraftProposalInput!) { draftProposal(input: $input) {
  id kind status level session sponsorCount requiredSponsors congressAreaCode
  sponsor { id level } } }"""
COSIGN = """mutation($p: ID!, $d: ID) { coSignProposal(proposalId: $p, deputyId: $d) {
  sponsorCount coSponsors(first: 40) { totalCount nodes { id } } } }"""
WITHDRAW = """mutation($p: ID!, $d: ID) { withdrawCoSignature(proposalId: $p, deputyId: $d) {
  sponsorCount } }"""
LINK = """mutation($p: ID!, $d: ID!, $n: String) { linkContributor(proposalId: $p, deputyId: $d,
  note: $n) { contributorCount contributors { nodes { deputy { id level } note } } } }"""
SUBMIT = """mutation($p: ID!, $s: String) { submitProposal(proposalId: $p, session: $s) {
  status session submittedAt } }"""
ASSIGN = """mutation($p: ID!, $u: ID!, $a: [ID!], $c: Boolean, $at: DateTime) {
  assignProposal(proposalId: $p, leadUnitId: $u, assistingUnitIds: $a, complex: $c, at: $at) {
    status assignedAt replyDue complex handler
    handlers { role roleName department { id name } } } }"""
REPLY = """mutation($p: ID!, $c: ReplyCategory!, $t: String!, $at: DateTime, $d: ID) {
  replyProposal(proposalId: $p, category: $c, text: $t, at: $at, departmentId: $d) {
    status replyCategory round
    replies { category categoryName text round lateWorkdays department { id } } } }"""
RATE = """mutation($p: ID!, $s: Satisfaction!, $m: String) {
  rateProposalReply(proposalId: $p, satisfaction: $s, comment: $m) {
    status round satisfaction satisfactionName rehandlingDue } }"""
SUPERVISE = """mutation($p: ID!, $n: String) { superviseProposal(proposalId: $p, note: $n) {
  supervision { supervised note } } }"""
STATE = """query($p: ID!, $on: Date) { proposal(id: $p) {
  status round replyDue rehandlingDue satisfaction
  supervision(asOf: $on) { supervised colour dueOn overdueDays }
  log { kind kindName by byName text category satisfaction round } } }"""


def draft(
    api: Api, lead: str, kind: str = "MOTION", title: str = "关于完善校园周边交通设施的议案"
) -> str:
    answer = api.ok(DRAFT, "deputy", lead, input={"kind": kind, "title": title, "session": SESSION})
    return str(answer["draftProposal"]["id"])


def cosign(api: Api, proposal: str, *deputies: str) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for d in deputies:
        answer = api.ok(COSIGN, "deputy", d, p=proposal)
    return answer


def rule_of(body: dict[str, Any]) -> str:
    assert code_of(body) == "RULE_VIOLATION", body
    return str(body["errors"][0]["message"])


# -- drafting ---------------------------------------------------------------------------------


def test_a_draft_takes_its_level_and_congress_from_its_lead(api: Api) -> None:
    answer = api.ok(
        DRAFT,
        "deputy",
        "C01",
        input={"kind": "SUGGESTION", "title": "关于增设学校门口红绿灯的建议", "body": "详见附件"},
    )["draftProposal"]
    assert answer["status"] == "DRAFT" and answer["level"] == "COUNTY"
    assert answer["congressAreaCode"] == COUNTY["code"]  # a county deputy of 甲镇 sits in 宿城区's
    assert answer["sponsor"] == {"id": "C01", "level": "COUNTY"}
    assert answer["sponsorCount"] == 1 and answer["requiredSponsors"] == 1
    motion = api.ok(DRAFT, "deputy", "N02", input={"kind": "MOTION", "title": "关于修改某法的议案"})
    assert motion["draftProposal"]["requiredSponsors"] == 30
    assert motion["draftProposal"]["congressAreaCode"] is None  # the NPC


BAD_DRAFTS = [
    ({"kind": "SUGGESTION", "title": "短"}, "BAD_USER_INPUT"),
    ({"kind": "SUGGESTION", "title": "关于某事的建议", "issueIds": ["I-NONE"]}, "NOT_FOUND"),
    ({"kind": "SUGGESTION", "title": "关于某事的建议", "body": "长" * 8001}, "BAD_USER_INPUT"),
]


@pytest.mark.parametrize("fields,code", BAD_DRAFTS, ids=["title", "issue", "body"])
def test_bad_drafts_are_refused(api: Api, fields: dict[str, Any], code: str) -> None:
    assert code_of(api.ask(DRAFT, "deputy", "C01", input=fields)) == code


def test_draft_from_three_issues_carries_villages_and_trackers(api: Api) -> None:
    issues = issues_in(api.db, VILLAGE_A["code"], VILLAGE_A["code"], VILLAGE_B["code"])
    answer = api.ok(
        """mutation($i: [ID!]!) { draftProposalFromIssues(issueIds: $i, session: "宿城区人大2025年会议") {
          id title body level status sponsor { id }
          originIssues { totalCount nodes { id area { name } trackers { id } } } } }""",
        "deputy",
        "C01",
        i=issues,
    )["draftProposalFromIssues"]
    assert answer["status"] == "DRAFT" and answer["sponsor"]["id"] == "C01"
    assert answer["title"] == "关于解决群众反映的基础设施问题的建议"  # the issues' one category
    assert answer["originIssues"]["totalCount"] == 3
    assert {n["area"]["name"] for n in answer["originIssues"]["nodes"]} == {"甲村", "乙村"}
    body = answer["body"]
    assert "3件意见" in body and "2个村（社区）" in body
    assert all(i in body for i in issues) and "甲镇甲村" in body and "12345" in body
    assert "跟踪代表：" in body and "C01代表（县（区）人大代表）" in body
    assert (
        code_of(
            api.ask("mutation { draftProposalFromIssues(issueIds: []) { id } }", "deputy", "C01")
        )
        == "BAD_USER_INPUT"
    )


# -- co-sponsors, thresholds, contributors ----------------------------------------------------


@pytest.mark.parametrize("level", list(ROSTER), ids=[lvl.lower() for lvl in ROSTER])
def test_a_motion_needs_its_level_s_co_sponsors(api: Api, level: str) -> None:
    team = ids(level)
    proposal = draft(api, team[0])
    cosign(api, proposal, *team[1:-1])  # one below the threshold
    refused = api.ask(SUBMIT, "deputy", team[0], p=proposal)
    message = rule_of(refused)
    assert "motion-needs-cosponsors" in message and f"has {len(team) - 1}" in message
    signed = cosign(api, proposal, team[-1])["coSignProposal"]
    assert signed["sponsorCount"] == len(team)
    submitted = api.ok(SUBMIT, "deputy", team[0], p=proposal)["submitProposal"]
    assert submitted["status"] == "SUBMITTED" and submitted["session"] == SESSION


def test_a_suggestion_may_be_sole(api: Api) -> None:
    proposal = draft(api, "C01", kind="SUGGESTION", title="关于增设路灯的建议")
    assert api.ok(SUBMIT, "deputy", "C01", p=proposal)["submitProposal"]["status"] == "SUBMITTED"


CROSS = [("Y01", "a CITY deputy"), ("T01", "a TOWNSHIP deputy"), ("CX1", "congress of 321311")]


@pytest.mark.parametrize("signer,why", CROSS, ids=["upper-level", "lower-level", "other-county"])
def test_a_co_sponsor_of_another_congress_is_refused(api: Api, signer: str, why: str) -> None:
    proposal = draft(api, "C01")
    message = rule_of(api.ask(COSIGN, "deputy", signer, p=proposal))
    assert "cosponsor-same-level" in message and why in message
    state = api.ok(STATE, "organizer", p=proposal)["proposal"]
    assert [e["kind"] for e in state["log"]] == ["DRAFTED"]


def test_a_contributor_of_another_level_is_accepted(api: Api) -> None:
    proposal = draft(api, "Y01", kind="SUGGESTION", title="关于学校周边交通组织的建议")
    cosign(api, proposal, "Y02")
    linked = api.ok(LINK, "deputy", "Y01", p=proposal, d="C01", n="提供了调研材料")
    assert linked["linkContributor"]["contributorCount"] == 1
    assert linked["linkContributor"]["contributors"]["nodes"] == [
        {"deputy": {"id": "C01", "level": "COUNTY"}, "note": "提供了调研材料"}
    ]
    again = api.ok(LINK, "deputy", "Y01", p=proposal, d="C01")  # linking twice changes nothing
    assert again["linkContributor"]["contributorCount"] == 1
    assert "contributor-not-sponsor" in rule_of(api.ask(LINK, "deputy", "Y01", p=proposal, d="Y02"))
    assert code_of(api.ask(LINK, "deputy", "Y02", p=proposal, d="N01")) == "FORBIDDEN"  # not lead
    notes = api.ok(
        'query { notifications(recipient: "deputy:C01") { nodes { kind message } } }', "admin"
    )["notifications"]["nodes"]
    assert [n["kind"] for n in notes] == ["proposal.contributor"] and "跨层级协同" in notes[0][
        "message"
    ]


def test_co_signatures_are_withdrawn_and_only_for_oneself(api: Api) -> None:
    proposal = draft(api, "C01")
    assert code_of(api.ask(COSIGN, "deputy", "C02", p=proposal, d="C03")) == "FORBIDDEN"
    assert cosign(api, proposal, "C02")["coSignProposal"]["sponsorCount"] == 2
    assert cosign(api, proposal, "C02")["coSignProposal"]["sponsorCount"] == 2  # idempotent
    assert api.ok(COSIGN, "admin", p=proposal, d="C03")["coSignProposal"]["sponsorCount"] == 3
    assert code_of(api.ask(COSIGN, "admin", p=proposal)) == "BAD_USER_INPUT"  # names nobody
    assert code_of(api.ask(WITHDRAW, "deputy", "C04", p=proposal)) == "NOT_FOUND"
    assert api.ok(WITHDRAW, "deputy", "C02", p=proposal)["withdrawCoSignature"]["sponsorCount"] == 2
    assert code_of(api.ask(COSIGN, "organizer", p=proposal, d="C04")) == "FORBIDDEN"
    assert code_of(api.ask(COSIGN, None, p=proposal)) == "UNAUTHENTICATED"
    assert code_of(api.ask(COSIGN, "deputy", "C02", p="P-NONE")) == "NOT_FOUND"


def test_a_submitted_proposal_takes_no_more_signatures(api: Api) -> None:
    proposal = draft(api, "C01", kind="SUGGESTION", title="关于增设路灯的建议")
    api.ok(SUBMIT, "deputy", "C01", p=proposal)
    message = rule_of(api.ask(COSIGN, "deputy", "C02", p=proposal))
    assert "proposal-status" in message and "SUBMITTED" in message
    assert "proposal-status" in rule_of(api.ask(SUBMIT, "deputy", "C01", p=proposal))


def test_only_the_lead_submits_and_a_session_is_needed(api: Api) -> None:
    answer = api.ok(DRAFT, "deputy", "C01", input={"kind": "SUGGESTION", "title": "关于路灯的建议"})
    proposal = answer["draftProposal"]["id"]
    assert code_of(api.ask(SUBMIT, "deputy", "C02", p=proposal)) == "FORBIDDEN"
    assert code_of(api.ask(SUBMIT, "organizer", p=proposal)) == "FORBIDDEN"
    assert code_of(api.ask(SUBMIT, "deputy", "C01", p=proposal)) == "BAD_USER_INPUT"
    submitted = api.ok(SUBMIT, "deputy", "C01", p=proposal, s=SESSION)["submitProposal"]
    assert submitted["status"] == "SUBMITTED"
    office = api.ok(
        'query { notifications(recipient: "organizer:321302000000") { nodes { kind message } } }',
        "organizer",
    )["notifications"]["nodes"]
    assert [n["kind"] for n in office] == ["proposal.submitted"] and "请交办" in office[0][
        "message"
    ]


# -- handling ---------------------------------------------------------------------------------


def submitted(api: Api) -> str:
    """A suggestion submitted on :data:`TODAY`, then the clock moved on to :data:`LATER`."""
    proposal = draft(api, "C01", kind="SUGGESTION", title="关于完善校园周边交通设施的建议")
    api.ok(SUBMIT, "deputy", "C01", p=proposal)
    api.day = LATER
    return proposal


def at(day: str, hour: int = 10) -> str:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00").isoformat()


def test_the_whole_handling_path_with_deadlines(api: Api) -> None:
    """Submitted on 2025-05-20, assigned on 2025-05-30 (reply due 2025-08-30, 3 calendar
    months), yellow 10 working days ahead, red once a working day has passed, replied late
    (B), rated 不满意 on 2025-09-05, re-handled for one month, replied (A) and rated 满意:
    closed."""
    proposal = submitted(api)
    assigned = api.ok(ASSIGN, "organizer", p=proposal, u="D-EDU", a=["D-TRA"], at=at("2025-05-30"))[
        "assignProposal"
    ]
    assert assigned["status"] == "ASSIGNED" and assigned["replyDue"] == "2025-08-30"
    assert assigned["handler"] == "宿城区教育局"
    assert [(h["role"], h["department"]["id"]) for h in assigned["handlers"]] == [
        ("LEAD", "D-EDU"),
        ("ASSIST", "D-TRA"),
    ]
    colours = {
        day: api.ok(STATE, "organizer", p=proposal, on=day)["proposal"]["supervision"]
        for day in ("2025-08-01", "2025-08-20", "2025-08-31", "2025-09-01", "2025-09-02")
    }
    assert colours["2025-08-01"]["colour"] == "GREEN"
    assert colours["2025-08-20"]["colour"] == "YELLOW"  # due within 10 working days
    assert colours["2025-08-31"]["colour"] == "YELLOW"  # due on a Saturday: no working day lost
    assert colours["2025-09-01"]["overdueDays"] == 1
    assert colours["2025-09-02"] == {
        "supervised": False,
        "colour": "RED",
        "dueOn": "2025-08-30",
        "overdueDays": 2,
    }
    units = api.ok(
        'query { notifications(recipient: "department:D-TRA") { nodes { kind message } } }',
        "organizer",
    )["notifications"]["nodes"]
    assert [n["kind"] for n in units] == ["proposal.assigned"] and "协办" in units[0]["message"]

    replied = api.ok(
        REPLY, "organizer", p=proposal, c="B", t="已列入2026年计划，分步实施。", at=at("2025-09-02")
    )["replyProposal"]
    assert replied["status"] == "REPLIED" and replied["replyCategory"] == "B"
    (first,) = replied["replies"]
    assert first["lateWorkdays"] == 2 and first["department"]["id"] == "D-EDU"
    assert first["categoryName"].startswith("B类")

    rated = api.ok(RATE, "deputy", "C01", p=proposal, s="DISSATISFIED", m="未解决实际问题")
    assert rated["rateProposalReply"] == {
        "status": "REHANDLING",
        "round": 2,
        "satisfaction": "DISSATISFIED",
        "satisfactionName": "不满意",
        "rehandlingDue": "2025-10-05",
    }
    rehandled = api.ok(STATE, "organizer", p=proposal, on="2025-09-25")["proposal"]
    assert rehandled["supervision"]["colour"] == "YELLOW"
    assert rehandled["supervision"]["dueOn"] == "2025-10-05"
    again = api.ok(REPLY, "organizer", p=proposal, c="A", t="已安装到位。")
    assert again["replyProposal"]["round"] == 2
    assert [r["round"] for r in again["replyProposal"]["replies"]] == [1, 2]
    closed = api.ok(RATE, "deputy", "C01", p=proposal, s="SATISFIED")["rateProposalReply"]
    assert closed["status"] == "CLOSED" and closed["round"] == 2
    log = api.ok(STATE, "organizer", p=proposal)["proposal"]["log"]
    assert [e["kind"] for e in log] == [
        "DRAFTED",
        "SUBMITTED",
        "ASSIGNED",
        "REPLIED",
        "RATED",
        "REOPENED",
        "REPLIED",
        "RATED",
    ]
    assert "proposal-rating" in rule_of(api.ask(RATE, "deputy", "C01", p=proposal, s="SATISFIED"))
    asked = api.ok('query { notifications(recipient: "deputy:C01") { nodes { kind } } }', "admin")[
        "notifications"
    ]["nodes"]
    assert sorted(n["kind"] for n in asked) == ["proposal.replied", "proposal.replied"]


def test_a_second_verdict_of_dissatisfaction_closes_it(api: Api) -> None:
    proposal = submitted(api)
    api.ok(ASSIGN, "organizer", p=proposal, u="D-EDU", at=at("2025-06-02"))
    api.ok(REPLY, "organizer", p=proposal, c="C", t="受条件限制，暂不能解决。", at=at("2025-07-01"))
    api.ok(RATE, "deputy", "C01", p=proposal, s="DISSATISFIED")
    api.ok(REPLY, "organizer", p=proposal, c="C", t="经再次研究，仍暂不能解决。")
    final = api.ok(RATE, "deputy", "C01", p=proposal, s="DISSATISFIED")["rateProposalReply"]
    assert final["status"] == "CLOSED" and final["round"] == 2  # sent back once only


def test_a_complex_proposal_has_six_months(api: Api) -> None:
    proposal = submitted(api)
    answer = api.ok(ASSIGN, "admin", p=proposal, u="D-GOV", c=True, at=at("2025-05-31"))
    assert answer["assignProposal"]["replyDue"] == "2025-11-30"  # no 31 November
    assert answer["assignProposal"]["complex"] is True


HANDLING_ERRORS = [
    # (step, role, deputy, variables, code, text in the message)
    ("assign", "deputy", "C01", {"u": "D-EDU"}, "FORBIDDEN", "organizer"),
    ("assign", "planner", None, {"u": "D-EDU"}, "FORBIDDEN", ""),
    ("assign", None, None, {"u": "D-EDU"}, "UNAUTHENTICATED", ""),
    ("assign", "organizer", None, {"u": "D-NONE"}, "NOT_FOUND", "D-NONE"),
    (
        "assign",
        "organizer",
        None,
        {"u": "D-EDU", "a": ["D-EDU"]},
        "RULE_VIOLATION",
        "proposal-handling",
    ),
    (
        "assign",
        "organizer",
        None,
        {"u": "D-EDU", "at": "2030-01-01T09:00:00+08:00"},
        "BAD_USER_INPUT",
        "future",
    ),
    ("reply", "organizer", None, {"c": "A", "t": "已解决"}, "RULE_VIOLATION", "proposal-status"),
    ("rate", "deputy", "C01", {"s": "SATISFIED"}, "RULE_VIOLATION", "proposal-rating"),
    ("supervise", "deputy", "C01", {}, "FORBIDDEN", ""),
]


@pytest.mark.parametrize(
    "step,role,who,variables,code,text",
    HANDLING_ERRORS,
    ids=[
        "deputy-assigns",
        "planner-assigns",
        "anonymous",
        "unknown-unit",
        "unit-twice",
        "future",
        "reply-unassigned",
        "rate-unreplied",
        "deputy-supervises",
    ],
)
def test_handling_errors(
    api: Api,
    step: str,
    role: str | None,
    who: str | None,
    variables: dict[str, Any],
    code: str,
    text: str,
) -> None:
    proposal = submitted(api)
    query = {"assign": ASSIGN, "reply": REPLY, "rate": RATE, "supervise": SUPERVISE}[step]
    body = api.ask(query, role, who, p=proposal, **variables)
    assert code_of(body) == code, body
    assert text in body["errors"][0]["message"]


def test_replies_come_from_the_lead_unit_and_follow_their_round(api: Api) -> None:
    proposal = submitted(api)
    api.ok(ASSIGN, "organizer", p=proposal, u="D-EDU", a=["D-TRA"], at=at("2025-06-02"))
    message = rule_of(api.ask(REPLY, "organizer", p=proposal, c="A", t="协办意见", d="D-TRA"))
    assert "proposal-handling" in message and "主办" in message
    early = api.ask(REPLY, "organizer", p=proposal, c="A", t="已解决", at=at("2025-06-01"))
    assert code_of(early) == "BAD_USER_INPUT"  # before the assignment
    api.ok(REPLY, "organizer", p=proposal, c="A", t="已解决")
    assert "proposal-status" in rule_of(api.ask(REPLY, "organizer", p=proposal, c="A", t="再答"))
    assert "proposal-status" in rule_of(api.ask(ASSIGN, "organizer", p=proposal, u="D-GOV"))
    assert code_of(api.ask(RATE, "deputy", "C02", p=proposal, s="SATISFIED")) == "FORBIDDEN"


def test_reassigning_before_the_reply_replaces_the_units(api: Api) -> None:
    proposal = submitted(api)
    api.ok(ASSIGN, "organizer", p=proposal, u="D-EDU", a=["D-TRA"], at=at("2025-06-02"))
    moved = api.ok(ASSIGN, "organizer", p=proposal, u="D-GOV", at=at("2025-06-10"))
    assert moved["assignProposal"]["replyDue"] == "2025-09-10"
    assert [h["department"]["id"] for h in moved["assignProposal"]["handlers"]] == ["D-GOV"]


def test_key_supervision(api: Api) -> None:
    proposal = submitted(api)
    api.ok(ASSIGN, "organizer", p=proposal, u="D-EDU", at=at("2025-06-02"))
    answer = api.ok(SUPERVISE, "organizer", p=proposal, n="事关学生安全")["superviseProposal"]
    assert answer["supervision"] == {"supervised": True, "note": "事关学生安全"}
    api.ok(SUPERVISE, "admin", p=proposal)  # again: nothing changes
    listed = api.ok(
        "query { proposals(where: {supervised: true}) { totalCount nodes { id } } }", "planner"
    )["proposals"]
    assert listed == {"totalCount": 1, "nodes": [{"id": proposal}]}
    told = api.ok(
        'query { notifications(recipient: "department:D-EDU") { nodes { kind } } }', "organizer"
    )["notifications"]["nodes"]
    assert sorted(n["kind"] for n in told) == ["proposal.assigned", "proposal.supervised"]
    drafted = draft(api, "C02", kind="SUGGESTION", title="关于另一件事的建议")
    assert "proposal-status" in rule_of(api.ask(SUPERVISE, "organizer", p=drafted))


def test_organizers_do_not_draft_and_everyone_signed_in_reads(api: Api) -> None:
    assert (
        code_of(
            api.ask(DRAFT, "organizer", input={"kind": "SUGGESTION", "title": "关于某事的建议"})
        )
        == "FORBIDDEN"
    )
    assert (
        code_of(api.ask(DRAFT, "admin", input={"kind": "SUGGESTION", "title": "关于某事的建议"}))
        == "BAD_USER_INPUT"
    )
    proposal = draft(api, "C01")
    for role in ("planner", "organizer", "deputy"):
        assert api.ok("query($p: ID!) { proposal(id: $p) { id } }", role, "C02", p=proposal)
    assert code_of(api.ask("query { proposals { totalCount } }")) == "UNAUTHENTICATED"


def test_filters_and_pages(api: Api) -> None:
    first = draft(api, "C01", kind="SUGGESTION", title="关于第一件事的建议")
    second = draft(api, "C02", kind="SUGGESTION", title="关于第二件事的建议")
    api.ok(LINK, "deputy", "C02", p=second, d="Y01")
    api.ok(SUBMIT, "deputy", "C01", p=first)
    query = """query($w: ProposalFilter, $f: Int, $a: String) { proposals(where: $w, first: $f,
      after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }"""
    everything = api.ok(query, "planner", f=1)["proposals"]
    assert everything["totalCount"] == 2 and everything["pageInfo"]["hasNextPage"]
    rest = api.ok(query, "planner", f=1, a=everything["pageInfo"]["endCursor"])["proposals"]
    assert {everything["nodes"][0]["id"], rest["nodes"][0]["id"]} == {first, second}
    by_status = api.ok(query, "planner", w={"status": "SUBMITTED"})["proposals"]["nodes"]
    assert by_status == [{"id": first}]
    by_contributor = api.ok(query, "planner", w={"deputyId": "Y01"})["proposals"]["nodes"]
    assert by_contributor == [{"id": second}]
    assert code_of(api.ask(query, "planner", f=-1)) == "BAD_USER_INPUT"


def test_a_page_of_proposals_costs_the_same_round_trips_whatever_its_size(api: Api) -> None:
    query = """query($f: Int) { proposals(first: $f) { nodes { id sponsor { name workUnit }
      coSponsors(first: 5) { nodes { name } } contributors { nodes { deputy { name } } }
      handlers { role } replies { category } log { kind } reviews { date }
      originIssues { nodes { title } } supervision { colour } } } }"""
    for n in range(6):
        proposal = draft(api, f"C0{n + 1}", kind="SUGGESTION", title=f"关于第{n + 1}件事的建议")
        cosign(api, proposal, f"C{n + 2:02d}")
    costs = []
    for first in (1, 6):
        before = api.db.round_trips
        nodes = api.ok(query, "organizer", f=first)["proposals"]["nodes"]
        assert len(nodes) == first
        costs.append(api.db.round_trips - before)
    assert costs[0] == costs[1], costs
