"""Proposals on the seeded Suqian city (read only): the session report against independent
Cypher, the bonded-logistics chain, the activity week, review queues, peers for a draft, and
``graphcoord report proposals``."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import congress_area
from graphcoord.printouts.opinions import chromium_path
from graphcoord.seeding.suqian_proposals import CITY_SESSION
from tests.conftest import bearer, data, graphql, run_cli
from tests.test_citizen_graphql import code_of

AS_OF = "2024-12-31"
REPORT = """query($s: String!, $on: Date) { proposalReport(session: $s, asOf: $on) {
  session asOf
  overall { total motions suggestions submitted assigned replied onTime due onTimeRate
            a b c aShare bShare cShare rated satisfiedFully satisfied dissatisfied
            satisfactionRate rehandled supervised }
  byKind { key label count } byLevel { key label count } byStatus { key label count }
  byUnit(first: 100) { totalCount nodes { key label total replied onTime due a b c rated
                                           satisfied rehandled } }
  byDeputy(first: 5) { totalCount nodes { deputy { id level } led cosigned contributed } } } }"""


def ask(
    api: TestClient, settings: Settings, query: str, role: str = "organizer", **variables: Any
) -> dict[str, Any]:
    return data(graphql(api, query, variables, bearer(settings, role, "SQ-D00001")))


def expected(db: Database, session: str) -> dict[str, Any]:
    """The session's figures from the proposals' logs (replies and verdicts as events), not
    from the properties the report reads."""
    rows = db.execute(
        """MATCH (p:Proposal {session: $s})
           OPTIONAL MATCH (p)-[:HANDLED_BY {role: 'LEAD'}]->(d:Department)
           RETURN p.id AS id, p.kind AS kind, p.supervisedAt IS NOT NULL AS supervised,
                  d.id AS unit,
                  [(p)-[:HAD_EVENT]->(e:ProposalEvent) | e {.kind, .round, .late, .category,
                                                            .satisfaction}] AS events""",
        {"s": session},
    )
    figures: dict[str, Any] = defaultdict(int)
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        replies = sorted(
            (e for e in r["events"] if e["kind"] == "REPLIED"), key=lambda e: e["round"]
        )
        verdicts = sorted(
            (e for e in r["events"] if e["kind"] == "RATED"), key=lambda e: e["round"]
        )
        counts: Counter[str] = Counter(total=1)
        counts["motions"] += r["kind"] == "MOTION"
        counts["supervised"] += bool(r["supervised"])
        if replies:
            counts["replied"] += 1
            counts["onTime"] += replies[0]["late"] == 0
            counts[replies[-1]["category"].lower()] += 1
            counts["rehandled"] += len(replies) > 1
        if verdicts:
            counts["rated"] += 1
            last = verdicts[-1]["satisfaction"]
            counts["satisfied"] += last in ("SATISFIED", "BASICALLY_SATISFIED")
            counts["satisfiedFully"] += last == "SATISFIED"
            counts["dissatisfied"] += last == "DISSATISFIED"
        for key, value in counts.items():
            figures[key] += value
        if r["unit"]:
            units[r["unit"]].update(counts)
    return {"overall": dict(figures), "units": units}


def test_the_session_report_matches_independent_cypher(
    suqian_api: TestClient, settings: Settings, suqian_db: Database
) -> None:
    report = ask(suqian_api, settings, REPORT, "planner", s=CITY_SESSION, on=AS_OF)
    found = report["proposalReport"]
    want = expected(suqian_db, CITY_SESSION)
    overall = found["overall"]
    for key, value in want["overall"].items():
        assert overall[key] == value, key
    assert overall["due"] == overall["replied"] == overall["total"] == 342  # all replied by now
    assert overall["suggestions"] == 336 and overall["motions"] == 6
    assert overall["onTimeRate"] == pytest.approx(overall["onTime"] / overall["due"])
    assert overall["aShare"] + overall["bShare"] + overall["cShare"] == pytest.approx(1)
    assert overall["satisfactionRate"] == pytest.approx(overall["satisfied"] / overall["rated"])
    assert {r["key"]: r["count"] for r in found["byKind"]} == {"MOTION": 6, "SUGGESTION": 336}
    assert found["byLevel"] == [{"key": "CITY", "label": "市人大代表", "count": 342}]
    assert found["byStatus"] == [{"key": "CLOSED", "label": "办结", "count": 342}]
    units = found["byUnit"]
    assert units["totalCount"] == len(want["units"])
    for node in units["nodes"]:
        counted = want["units"][node["key"]]
        for key in ("total", "replied", "onTime", "a", "b", "c", "rated", "satisfied", "rehandled"):
            assert node[key] == counted.get(key, 0), (node["key"], key)
    totals = [n["total"] for n in units["nodes"]]
    assert totals == sorted(totals, reverse=True)
    deputies = found["byDeputy"]["nodes"]
    top = deputies[0]
    involved = suqian_db.execute(
        """MATCH (d:Deputy {id: $d})-[r:SPONSORED|CONTRIBUTED_TO]->(:Proposal {session: $s})
           RETURN count(r) AS n""",
        {"d": top["deputy"]["id"], "s": CITY_SESSION},
    )[0]["n"]
    assert top["led"] + top["cosigned"] + top["contributed"] == involved
    assert all(d["deputy"]["level"] in ("CITY", "COUNTY", "TOWNSHIP") for d in deputies)


def test_report_errors(suqian_api: TestClient, settings: Settings) -> None:
    missing = graphql(suqian_api, REPORT, {"s": "不存在的会议"}, bearer(settings, "organizer"))
    assert code_of(missing) == "NOT_FOUND"
    bad = graphql(suqian_api, REPORT, {"s": "x"}, bearer(settings, "organizer"))
    assert code_of(bad) == "BAD_USER_INPUT"
    # the whole report is over the public cost budget (refused before it runs); a small ask
    # of it reaches the permission
    assert code_of(graphql(suqian_api, REPORT, {"s": CITY_SESSION})) == "QUERY_TOO_COSTLY"
    small = "query($s: String!) { proposalReport(session: $s) { session } }"
    assert code_of(graphql(suqian_api, small, {"s": CITY_SESSION})) == "UNAUTHENTICATED"


def test_the_bonded_logistics_chain_is_a_real_proposal(
    suqian_api: TestClient, settings: Settings
) -> None:
    found = ask(
        suqian_api,
        settings,
        """{ proposal(id: "SQ-P01") { kind level session status title handler
             sponsor { id level } coSponsors { totalCount nodes { level } }
             contributors { nodes { deputy { id level } note } }
             originIssues { nodes { id title escalations { deputy { id } } } }
             handlers { role department { name kind } }
             replies { category round } satisfaction } }""",
        "deputy",
    )["proposal"]
    assert (found["kind"], found["level"], found["status"]) == ("SUGGESTION", "NATIONAL", "CLOSED")
    assert found["session"] == "十四届全国人大二次会议" and "保税物流中心" in found["title"]
    assert found["handlers"] == [
        {"role": "LEAD", "department": {"name": "海关总署", "kind": "NATIONAL_AUTHORITY"}}
    ]
    (issue,) = found["originIssues"]["nodes"]
    assert issue["id"] == "SQ-I0001"
    assert [e["deputy"]["id"] for e in issue["escalations"]] == [found["sponsor"]["id"]]
    (contributor,) = found["contributors"]["nodes"]
    assert contributor["deputy"]["level"] == "COUNTY" and "保税" in contributor["note"]
    assert {n["level"] for n in found["coSponsors"]["nodes"]} == {"NATIONAL"}
    assert found["replies"] == [{"category": "B", "round": 1}]
    assert found["satisfaction"] == "SATISFIED"


@pytest.mark.parametrize(
    "year,start,end",
    [
        (2024, "2024-12-16", "2024-12-20"),
        (2025, "2025-12-15", "2025-12-19"),
        (2026, "2026-12-21", "2026-12-25"),
    ],
    ids=["2024", "2025", "2026"],
)
def test_activity_week(
    suqian_api: TestClient, settings: Settings, year: int, start: str, end: str
) -> None:
    week = ask(
        suqian_api,
        settings,
        "query($y: Int!) { activityWeek(year: $y) { start end days } }",
        "deputy",
        y=year,
    )["activityWeek"]
    assert (week["start"], week["end"]) == (start, end)
    assert len(week["days"]) == 5 and week["days"][0] == start
    bad = graphql(suqian_api, "{ activityWeek(year: 0) { start } }", {}, bearer(settings, "admin"))
    assert code_of(bad) == "BAD_USER_INPUT"


QUEUE = """query($g: ID!, $all: Boolean) { reviewQueue(groupId: $g, includeReviewed: $all) {
  totalCount nodes { id status sponsor { id } reviews { date comment group { id } } } } }"""


def test_review_meetings_of_the_activity_week(
    suqian_api: TestClient, settings: Settings, suqian_db: Database
) -> None:
    waiting = suqian_db.execute(
        """MATCH (g:Group {kind: 'COLLABORATIVE'})-[:HELD]->(:Activity {kind: 'REVIEW'})
           MATCH (lead:Deputy)-[:MEMBER_OF]->(g)
           MATCH (lead)-[:SPONSORED {role: 'LEAD'}]->(p:Proposal {status: 'DRAFT'})
           WHERE NOT exists { (g)-[:HELD]->(:Activity)-[:REVIEWED]->(p) }
           RETURN g.id AS group, collect(p.id) AS drafts ORDER BY g.id LIMIT 1"""
    )
    group, drafts = waiting[0]["group"], waiting[0]["drafts"]
    queue = ask(suqian_api, settings, QUEUE, "deputy", g=group)["reviewQueue"]
    assert sorted(n["id"] for n in queue["nodes"]) == sorted(drafts)
    assert all(
        n["reviews"] == [] or all(r["group"]["id"] != group for r in n["reviews"])
        for n in queue["nodes"]
    )
    everything = ask(suqian_api, settings, QUEUE, "deputy", g=group, all=True)["reviewQueue"]
    reviewed = [n for n in everything["nodes"] if n["reviews"]]
    assert reviewed and everything["totalCount"] > queue["totalCount"]
    for node in reviewed:
        (review,) = [r for r in node["reviews"] if r["group"]["id"] == group]
        assert "2024-12-16" <= review["date"] <= "2024-12-20" and review["comment"]
    missing = graphql(suqian_api, QUEUE, {"g": "SQ-G99"}, bearer(settings, "organizer"))
    assert code_of(missing) == "NOT_FOUND"


def test_peers_for_a_draft_are_explained(
    suqian_api: TestClient, settings: Settings, suqian_db: Database
) -> None:
    draft = suqian_db.execute(
        """MATCH (lead:Deputy {level: 'CITY'})-[:SPONSORED {role: 'LEAD'}]->(p:Proposal
                 {status: 'DRAFT'})-[:ADDRESSES]->(:Issue)
           RETURN p.id AS id, lead.electedIn AS electedIn ORDER BY p.id LIMIT 1"""
    )[0]
    peers = ask(
        suqian_api,
        settings,
        """query($p: ID!) { proposal(id: $p) { peers(first: 8) { level targetLevel
             cosponsors { deputy { id level electedIn { code } } score reasons }
             contributors { deputy { level } reasons } escalationNote } } }""",
        "deputy",
        p=draft["id"],
    )["proposal"]["peers"]
    congress = congress_area("CITY", draft["electedIn"])
    assert peers["level"] == "CITY" and 0 < len(peers["cosponsors"]) <= 8
    for s in peers["cosponsors"]:
        assert s["deputy"]["level"] == "CITY" and s["reasons"]
        assert congress_area("CITY", s["deputy"]["electedIn"]["code"]) == congress
    scores = [s["score"] for s in peers["cosponsors"]]
    assert scores == sorted(scores, reverse=True)
    assert all(
        c["deputy"]["level"] != "CITY" and "跨层级协同" in c["reasons"][0]
        for c in peers["contributors"]
    )
    up = ask(
        suqian_api,
        settings,
        """query($p: ID!) { proposal(id: $p) { peers(targetLevel: NATIONAL, k: 2) {
             targetLevel escalation { targetLevel target { level } hops { reason } } } } }""",
        "deputy",
        p=draft["id"],
    )["proposal"]["peers"]
    assert up["targetLevel"] == "NATIONAL" and 1 <= len(up["escalation"]) <= 2
    assert all(p["target"]["level"] == "NATIONAL" and p["hops"] for p in up["escalation"])


def test_the_cli_writes_the_session_report(
    suqian_db: Database, settings: Settings, tmp_path: Path
) -> None:
    done = run_cli(
        settings,
        "report",
        "proposals",
        "--session",
        CITY_SESSION,
        "--as-of",
        AS_OF,
        "--out",
        str(tmp_path),
        "--no-pdf",
    )
    assert done.returncode == 0, done.stderr
    assert "按期答复率" in done.stdout and "议案6件、建议336件" in done.stdout
    (html,) = tmp_path.glob("proposals-*.html")
    text = html.read_text(encoding="utf-8")
    assert "议案建议办理情况报告" in text and 'id="on-time"' in text and "宿迁市教育局" in text
    figures = json.loads(next(tmp_path.glob("proposals-*.json")).read_text(encoding="utf-8"))
    want = expected(suqian_db, CITY_SESSION)["overall"]
    assert figures["overall"]["on_time"] == want["onTime"]
    assert figures["overall"]["a"] == want["a"] and figures["overall"]["total"] == 342
    as_json = run_cli(
        settings,
        "report",
        "proposals",
        "--session",
        CITY_SESSION,
        "--as-of",
        AS_OF,
        "--out",
        str(tmp_path),
        "--no-pdf",
        "--json",
    )
    assert json.loads(as_json.stdout)["overall"] == figures["overall"]
    missing = run_cli(
        settings,
        "report",
        "proposals",
        "--session",
        "不存在的会议",
        "--no-pdf",
        "--out",
        str(tmp_path),
    )
    assert missing.returncode == 3 and "未找到会议“不存在的会议”" in missing.stderr


@pytest.mark.skipif(chromium_path() is None, reason="no Chromium to print the PDF")
def test_the_report_prints_to_pdf(suqian_db: Database, settings: Settings, tmp_path: Path) -> None:
    done = run_cli(
        settings,
        "report",
        "proposals",
        "--session",
        CITY_SESSION,
        "--as-of",
        AS_OF,
        "--out",
        str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    (pdf,) = tmp_path.glob("proposals-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
