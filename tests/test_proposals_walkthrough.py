"""The issue's "done means", through GraphQL over HTTP and the CLI: a deputy drafts a proposal
from three citizens' issues, gathers the co-sponsors the engine suggests, the group reviews it
in the concentrated activity week, it is submitted, assigned, answered (class A) and rated, and
the session report (GraphQL and ``graphcoord report proposals``) shows it. Also the review
meeting's error paths."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import AuditAction
from graphcoord.services import audit
from graphcoord.services.dataset import write_dataset
from tests.conftest import run_cli
from tests.factories import VILLAGE_A, VILLAGE_B
from tests.test_citizen_graphql import code_of
from tests.test_proposals_graphql import (
    ASSIGN,
    RATE,
    REPLY,
    SUBMIT,
    Api,
    at,
    draft,
    issues_in,
    proposal_city,
    rule_of,
)

SESSION = "宿城区人大2026年会议"
#: Tuesday of the 2025 activity week (15–19 December).
IN_THE_WEEK = dt.date(2025, 12, 16)
FROM_ISSUES = """mutation($i: [ID!]!, $s: String) {
  draftProposalFromIssues(issueIds: $i, session: $s) {
    id status level originIssues { totalCount } } }"""
PEERS = """query($p: ID!) { proposal(id: $p) { peers(first: 5) {
  level cosponsors { deputy { id level } reasons }
  contributors { deputy { id level } reasons } } } }"""
COSIGN = """mutation($p: ID!) { coSignProposal(proposalId: $p) { sponsorCount } }"""
LINK = """mutation($p: ID!, $d: ID!) { linkContributor(proposalId: $p, deputyId: $d) {
  contributorCount } }"""
WEEK = "query($y: Int!) { activityWeek(year: $y) { start end } }"
QUEUE = """query($g: ID!) { reviewQueue(groupId: $g) { totalCount nodes { id } } }"""
REVIEW = """mutation($g: ID!, $d: Date!, $r: [ReviewCommentInput!]!) {
  recordProposalReview(groupId: $g, date: $d, reviews: $r) {
    activityId title date inActivityWeek proposals { id reviews { date comment groupName } } } }"""
REPORT = """query($s: String!, $on: Date) { proposalReport(session: $s, asOf: $on) {
  overall { total suggestions onTime due onTimeRate a aShare rated satisfied satisfactionRate
            rehandled }
  byUnit { nodes { key total a } }
  byDeputy(first: 20) { totalCount nodes { deputy { id } led cosigned contributed } } } }"""


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    """The proposal city of :mod:`tests.test_proposals_graphql`, its clock pinned per step."""
    write_dataset(db, proposal_city())
    found = Api(settings, db, {})
    try:
        yield found
    finally:
        for client in found.clients.values():
            client.__exit__(None, None, None)


def test_a_proposal_from_three_issues_to_the_session_report(api: Api, tmp_path: Path) -> None:
    issues = issues_in(api.db, VILLAGE_A["code"], VILLAGE_A["code"], VILLAGE_B["code"])
    api.day = IN_THE_WEEK
    drafted = api.ok(FROM_ISSUES, "deputy", "C01", i=issues, s=SESSION)["draftProposalFromIssues"]
    proposal = drafted["id"]
    assert drafted["status"] == "DRAFT" and drafted["level"] == "COUNTY"
    assert drafted["originIssues"]["totalCount"] == 3

    # the engine suggests co-sponsors of the same congress and contributors of other levels,
    # each explained; the lead gathers them
    peers = api.ok(PEERS, "deputy", "C01", p=proposal)["proposal"]["peers"]
    suggested = [s["deputy"]["id"] for s in peers["cosponsors"]]
    assert {"C02", "C03"} <= set(suggested), peers  # they contact village A, as C01 does
    assert all(s["deputy"]["level"] == "COUNTY" and s["reasons"] for s in peers["cosponsors"])
    assert all(s["deputy"]["level"] != "COUNTY" and s["reasons"] for s in peers["contributors"])
    for deputy in ("C02", "C03", "C02"):  # signing again changes nothing
        api.ok(COSIGN, "deputy", deputy, p=proposal)
    contributor = peers["contributors"][0]["deputy"]["id"]
    assert api.ok(LINK, "deputy", "C01", p=proposal, d=contributor)["linkContributor"] == {
        "contributorCount": 1
    }

    # the group reviews it in the activity week, on the convener's record
    week = api.ok(WEEK, "deputy", "C01", y=2025)["activityWeek"]
    assert week == {"start": "2025-12-15", "end": "2025-12-19"}
    queue = api.ok(QUEUE, "deputy", "Y01", g="G1")["reviewQueue"]
    assert proposal in [n["id"] for n in queue["nodes"]]
    meeting = api.ok(
        REVIEW,
        "deputy",
        "Y01",
        g="G1",
        d=IN_THE_WEEK.isoformat(),
        r=[{"proposalId": proposal, "comment": "问题清楚、建议可行，修改后提交"}],
    )["recordProposalReview"]
    assert meeting["inActivityWeek"] is True and "代表集中活动周" in meeting["title"]
    (reviewed,) = meeting["proposals"]
    assert reviewed["reviews"] == [
        {
            "date": "2025-12-16",
            "comment": "问题清楚、建议可行，修改后提交",
            "groupName": "宿城区第1协同联动组",
        }
    ]
    assert proposal not in [
        n["id"] for n in api.ok(QUEUE, "deputy", "Y01", g="G1")["reviewQueue"]["nodes"]
    ]

    # submitted at the session, assigned at the assignment meeting, answered in time, rated
    api.day = dt.date(2026, 1, 20)
    assert api.ok(SUBMIT, "deputy", "C01", p=proposal)["submitProposal"]["session"] == SESSION
    api.day = dt.date(2026, 6, 30)
    assigned = api.ok(ASSIGN, "organizer", p=proposal, u="D-TRA", at=at("2026-02-25"))
    assert assigned["assignProposal"]["replyDue"] == "2026-05-25"
    replied = api.ok(
        REPLY, "organizer", p=proposal, c="A", t="已增设信号灯并投入使用。", at=at("2026-05-12")
    )["replyProposal"]
    assert replied["replies"][0]["lateWorkdays"] == 0
    rated = api.ok(RATE, "deputy", "C01", p=proposal, s="SATISFIED")["rateProposalReply"]
    assert rated["status"] == "CLOSED"

    # every step is in the audit trail under whoever took it (co-signing again changed
    # nothing and left no entry); the review meeting is the group's entry
    _total, events = audit.audit_page(api.db, skip=0, limit=50, target=f"proposal:{proposal}")
    assert [(e.action, e.actor) for e in reversed(events)] == [
        (AuditAction.PROPOSAL_DRAFTED, "token:deputy:C01"),
        (AuditAction.PROPOSAL_COSIGNED, "token:deputy:C02"),
        (AuditAction.PROPOSAL_COSIGNED, "token:deputy:C03"),
        (AuditAction.PROPOSAL_CONTRIBUTOR_LINKED, "token:deputy:C01"),
        (AuditAction.PROPOSAL_SUBMITTED, "token:deputy:C01"),
        (AuditAction.PROPOSAL_ASSIGNED, "token:organizer"),
        (AuditAction.PROPOSAL_REPLIED, "token:organizer"),
        (AuditAction.PROPOSAL_RATED, "token:deputy:C01"),
    ]
    _total, reviews = audit.audit_page(api.db, skip=0, limit=5, target="group:G1")
    assert [(e.action, e.actor, e.detail) for e in reviews] == [
        (AuditAction.PROPOSALS_REVIEWED, "token:deputy:Y01", proposal)
    ]

    # the session report shows it, in GraphQL …
    report = api.ok(REPORT, "planner", s=SESSION, on="2026-06-30")["proposalReport"]
    assert report["overall"] == {
        "total": 1,
        "suggestions": 1,
        "onTime": 1,
        "due": 1,
        "onTimeRate": 1.0,
        "a": 1,
        "aShare": 1.0,
        "rated": 1,
        "satisfied": 1,
        "satisfactionRate": 1.0,
        "rehandled": 0,
    }
    assert report["byUnit"]["nodes"] == [{"key": "D-TRA", "total": 1, "a": 1}]
    involved = {
        n["deputy"]["id"]: (n["led"], n["cosigned"], n["contributed"])
        for n in report["byDeputy"]["nodes"]
    }
    assert involved == {
        "C01": (1, 0, 0),
        "C02": (0, 1, 0),
        "C03": (0, 1, 0),
        contributor: (0, 0, 1),
    }
    # … and in the organizers' printout
    done = run_cli(
        api.settings,
        "report",
        "proposals",
        "--session",
        SESSION,
        "--as-of",
        "2026-06-30",
        "--out",
        str(tmp_path),
        "--no-pdf",
    )
    assert done.returncode == 0, done.stderr
    assert "建议1件" in done.stdout and "按期答复率100.0%（1/1）" in done.stdout, done.stdout
    (html,) = tmp_path.glob("proposals-*.html")
    assert str(html) in done.stdout and "宿城区交通运输局" in html.read_text(encoding="utf-8")
    figures = json.loads(next(tmp_path.glob("proposals-*.json")).read_text(encoding="utf-8"))
    assert figures["overall"]["total"] == 1 and figures["overall"]["a"] == 1


REVIEW_ERRORS: list[tuple[str, str | None, dict[str, Any], str, str]] = [
    # (role, deputy, variables besides the draft, code, text in the message)
    ("deputy", "C01", {}, "FORBIDDEN", "convener"),
    ("planner", None, {}, "FORBIDDEN", "planner"),
    ("organizer", None, {"d": "2025-12-18"}, "RULE_VIOLATION", "proposal-review"),
    ("organizer", None, {"g": "G-NONE"}, "NOT_FOUND", "G-NONE"),
    ("organizer", None, {"lead": "C02"}, "RULE_VIOLATION", "not a member"),
    ("organizer", None, {"submitted": True}, "RULE_VIOLATION", "SUBMITTED"),
]


@pytest.mark.parametrize(
    "role,who,variables,code,text",
    REVIEW_ERRORS,
    ids=["member-records", "planner", "not-held-yet", "unknown-group", "non-member", "submitted"],
)
def test_review_meeting_errors(
    api: Api, role: str, who: str | None, variables: dict[str, Any], code: str, text: str
) -> None:
    api.day = IN_THE_WEEK
    lead = variables.get("lead", "C01")
    proposal = draft(api, lead, kind="SUGGESTION", title="关于增设学校门口红绿灯的建议")
    if variables.get("submitted"):
        api.ok(SUBMIT, "deputy", lead, p=proposal, s=SESSION)
    body = api.ask(
        REVIEW,
        role,
        who,
        g=variables.get("g", "G1"),
        d=variables.get("d", IN_THE_WEEK.isoformat()),
        r=[{"proposalId": proposal}],
    )
    assert code_of(body) == code, body
    message = rule_of(body) if code == "RULE_VIOLATION" else body["errors"][0]["message"]
    assert text in message, message


@pytest.mark.parametrize(
    "year,lang,printed",
    [
        ("2024", "zh_CN", "2024年代表集中活动周：2024年12月16日（周一）至12月20日（周五）"),
        ("2025", "zh_CN", "2025年代表集中活动周：2025年12月15日（周一）至12月19日（周五）"),
        ("2026", "zh_CN", "2026年代表集中活动周：2026年12月21日（周一）至12月25日（周五）"),
        (
            "2025",
            "en",
            "the concentrated activity week of 2025: Monday 2025-12-15 to Friday 2025-12-19",
        ),
    ],
    ids=["2024", "2025", "2026", "2025-en"],
)
def test_the_cli_prints_the_activity_week(
    settings: Settings, year: str, lang: str, printed: str
) -> None:
    done = run_cli(settings, "proposals", "week", year, GRAPHCOORD_LANG=lang)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == printed


def test_the_cli_refuses_a_year_out_of_range(settings: Settings) -> None:
    done = run_cli(settings, "proposals", "week", "0")
    assert done.returncode == 2 and "年份 0 超出范围" in done.stderr, done
