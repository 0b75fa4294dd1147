"""Handling rates and the supervision board on the seeded Suqian city, compared with figures
computed independently (Cypher over RAISED_IN/PART_OF, working days counted in Python)."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.deadlines import Progress, finished_late, supervise, thresholds
from graphcoord.model import CHINA
from graphcoord.workdays import workdays_between
from tests.conftest import bearer, data, graphql, run_cli
from tests.test_citizen_graphql import code_of

CITY = "321300000000"
AS_OF = dt.date(2024, 12, 31)
#: Every issue of 2024 in the city, found by the area tree (not the stored areaCode).
ROWS = """
MATCH (i:Issue)-[:RAISED_IN]->(:Area)-[:PART_OF*1..4]->(:Area {code: $city})
WHERE i.createdAt >= datetime('2024-01-01T00:00:00+08:00')
  AND i.createdAt < datetime('2025-01-01T00:00:00+08:00')
OPTIONAL MATCH (i)-[:ASSIGNED_TO]->(dep:Department)
RETURN i.id AS id, i.outcome AS outcome, i.status AS status, i.clockFrom AS clockFrom,
       i.finishDue AS finishDue, i.finishedAt AS finishedAt, i.satisfaction AS satisfaction,
       dep.id AS department, i.claimedBy AS claimedBy,
       [(d:Deputy)-[:TRACKS]->(i) | d.id] AS trackers
"""
HANDLING_RATES = """query($a: String!, $by: RateGrouping!, $first: Int) {
  handlingRates(areaCode: $a, from: "2024-01-01", to: "2024-12-31", by: $by, first: $first,
                asOf: "2024-12-31") {
    asOf overall { total answered resolved onTime due answerRate resolutionRate }
    groups { totalCount nodes { key label kind total answered resolved notAccepted finished
             onTime due medianWorkdays rated satisfied claimed onTimeRate satisfactionRate } } } }"""


@pytest.fixture(scope="module")
def expected(suqian_db: Database) -> dict[str, dict[str, dict[str, Any]]]:
    """Per department and per deputy: the figures, computed from the raw dates."""
    groups: dict[str, dict[str, dict[str, Any]]] = {"department": {}, "deputy": {}}
    red_before = thresholds(AS_OF).red_before
    for r in suqian_db.execute(ROWS, {"city": CITY}):
        keys = {"department": [r["department"]] if r["department"] else [], "deputy": r["trackers"]}
        done = r["finishedAt"].to_native().astimezone(CHINA).date() if r["finishedAt"] else None
        due_day = r["finishDue"].to_native()
        late = finished_late(due_day, done) if done else None
        for kind, ids in keys.items():
            for key in ids:
                g = groups[kind].setdefault(key, defaultdict(int, took=[]))
                g["total"] += 1
                g["answered"] += r["outcome"] in ("RESOLVED", "ANSWERED")
                g["resolved"] += r["outcome"] == "RESOLVED"
                g["finished"] += r["outcome"] is not None
                g["due"] += done is not None or due_day < red_before
                g["onTime"] += late == 0
                g["rated"] += r["satisfaction"] is not None
                g["satisfied"] += r["satisfaction"] in ("SATISFIED", "BASICALLY_SATISFIED")
                g["claimed"] += kind == "deputy" and r["claimedBy"] == key
                if done is not None:
                    g["took"].append(workdays_between(r["clockFrom"].to_native(), done))
    return groups


@pytest.fixture(scope="module")
def api(suqian_api: TestClient) -> TestClient:
    return suqian_api


def _check(node: dict[str, Any], want: dict[str, Any]) -> None:
    for field in ("total", "answered", "resolved", "finished", "onTime", "due", "rated"):
        assert node[field] == want[field], (node["key"], field)
    assert node["satisfied"] == want["satisfied"]
    median = statistics.median(want["took"]) if want["took"] else None
    assert node["medianWorkdays"] == (round(median, 1) if median is not None else None)
    assert node["onTimeRate"] == pytest.approx(want["onTime"] / want["due"], abs=1e-4)


def test_rates_per_department_match_independent_figures(
    api: TestClient, settings: Settings, expected: dict[str, dict[str, dict[str, Any]]]
) -> None:
    answer = data(
        graphql(
            api,
            HANDLING_RATES,
            {"a": CITY, "by": "DEPARTMENT", "first": 500},
            bearer(settings, "planner"),
        )
    )["handlingRates"]
    nodes = answer["groups"]["nodes"]
    assert answer["groups"]["totalCount"] == len(nodes) == len(expected["department"]) > 20
    assert [n["total"] for n in nodes] == sorted((n["total"] for n in nodes), reverse=True)
    for node in nodes:
        _check(node, expected["department"][node["key"]])
    kinds = {n["kind"] for n in nodes}
    assert kinds <= {"TOWNSHIP_GOVERNMENT", "COUNTY_BUREAU", "CITY_BUREAU"}
    assert "TOWNSHIP_GOVERNMENT" in kinds and "COUNTY_BUREAU" in kinds


def test_rates_per_deputy_match_independent_figures(
    api: TestClient, settings: Settings, expected: dict[str, dict[str, dict[str, Any]]]
) -> None:
    first = data(
        graphql(
            api,
            HANDLING_RATES,
            {"a": CITY, "by": "DEPUTY", "first": 40},
            bearer(settings, "deputy", "SQ-D00001"),
        )
    )["handlingRates"]
    groups = first["groups"]
    assert groups["totalCount"] == len(expected["deputy"])
    for node in groups["nodes"]:
        want = expected["deputy"][node["key"]]
        _check(node, want)
        assert node["claimed"] == want["claimed"]
    busiest = max(g["total"] for g in expected["deputy"].values())
    assert groups["nodes"][0]["total"] == busiest


def test_overall_answer_and_resolution_rates(
    api: TestClient, settings: Settings, suqian_db: Database
) -> None:
    answer = data(
        graphql(api, HANDLING_RATES, {"a": CITY, "by": "LEVEL"}, bearer(settings, "organizer"))
    )["handlingRates"]
    overall = answer["overall"]
    closed = suqian_db.execute(
        "MATCH (i:Issue)-[:RAISED_IN]->(:Area)-[:PART_OF*1..4]->(:Area {code: $city}) "
        "WHERE i.createdAt >= datetime('2024-01-01T00:00:00+08:00') "
        "AND i.status IN ['RESOLVED', 'CLOSED'] RETURN count(DISTINCT i)",
        {"city": CITY},
    )
    assert overall["resolved"] == closed[0][0]  # the seeded statuses' figure, kept
    assert overall["answered"] == overall["resolved"]  # Suqian answered only by solving
    assert answer["asOf"] == "2024-12-31"
    levels = [n["key"] for n in answer["groups"]["nodes"]]
    assert levels == ["NATIONAL", "PROVINCIAL", "CITY", "COUNTY", "TOWNSHIP"]


@pytest.mark.parametrize(
    ("area", "role", "code"),
    [
        (CITY, None, "UNAUTHENTICATED"),
        ("3213", "organizer", "BAD_USER_INPUT"),
        ("999900000000", "organizer", "NOT_FOUND"),
    ],
    ids=["public", "bad-code", "unknown-area"],
)
def test_rates_refusals(
    api: TestClient, settings: Settings, area: str, role: str | None, code: str
) -> None:
    headers = bearer(settings, role) if role else {}
    answer = graphql(api, HANDLING_RATES, {"a": area, "by": "AREA"}, headers)
    assert code_of(answer) == code


def test_rates_refuse_a_reversed_period(api: TestClient, settings: Settings) -> None:
    answer = graphql(
        api,
        '{ handlingRates(areaCode: "321300000000", from: "2024-05-01", to: "2024-01-01") '
        "{ overall { total } } }",
        headers=bearer(settings, "organizer"),
    )
    assert code_of(answer) == "BAD_USER_INPUT"


def test_board_agrees_with_the_colours_computed_one_by_one(
    settings: Settings, suqian_db: Database
) -> None:
    """The board's Cypher (queries/supervision.py) and deadlines.supervise agree."""
    as_of = dt.date(2024, 12, 2)
    limits = thresholds(as_of)
    counts: dict[str, int] = defaultdict(int)
    for r in suqian_db.execute(
        "MATCH (i:Issue) WHERE i.outcome IS NULL AND NOT i.status IN ['RESOLVED', 'CLOSED'] "
        "RETURN i.claimDue AS c, i.replyDue AS r, i.finishDue AS f, i.claimedAt AS claimed, "
        "i.firstReplyAt AS replied"
    ):
        progress = Progress(
            claimed_on=as_of if r["claimed"] else None, replied_on=as_of if r["replied"] else None
        )
        state = supervise(
            r["c"].to_native(), r["r"].to_native(), r["f"].to_native(), progress, limits
        )
        counts[state.colour.value] += 1
    result = run_cli(settings, "supervise", "--area", CITY, "--as-of", "2024-12-02", "--json")
    assert result.returncode == 0, result.stderr
    board = json.loads(result.stdout)
    assert board["counts"] == {c: counts.get(c, 0) for c in ("GREEN", "YELLOW", "RED")}
    assert board["counts"]["RED"] > 50  # a red board
    items = board["items"]
    assert [i["due_on"] for i in items] == sorted(i["due_on"] for i in items)
    assert items[0]["overdueDays"] == max(i["overdueDays"] for i in items)


def test_supervise_cli_prints_a_chinese_table(settings: Settings, suqian_db: Database) -> None:
    result = run_cli(
        settings, "supervise", "--area", "321302000000", "--colour", "黄", "--as-of", "2024-12-02"
    )
    assert result.returncode == 0, result.stderr
    assert "截至 2024-12-02：红灯（超期）" in result.stdout
    assert "督办台账（黄灯（临期））" in result.stdout
    bad = run_cli(settings, "supervise", "--area", CITY, "--colour", "BLUE")
    assert bad.returncode == 2 and "RED, YELLOW or GREEN" in bad.stderr
    unknown_year = run_cli(settings, "supervise", "--area", CITY, "--as-of", "2040-01-02")
    assert unknown_year.returncode == 2 and "2040" in unknown_year.stderr


def test_rates_cli(settings: Settings, suqian_db: Database) -> None:
    args = ("rates", "--area", CITY, "--from", "2024-01-01", "--to", "2024-12-31")
    table = run_cli(settings, *args, "--by", "department", "--top", "5")
    assert table.returncode == 0, table.stderr
    for words in ("答复率", "解决率", "按期办结率", "按承办单位", "宿迁市"):
        assert words in table.stdout
    found = run_cli(settings, *args, "--by", "deputy", "--json", "--as-of", "2024-12-31")
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    assert answer["by"] == "DEPUTY" and len(answer["rows"]) == 15
    assert answer["overall"]["answer_rate"] == pytest.approx(
        answer["overall"]["answered"] / answer["overall"]["total"], abs=1e-4
    )
    bad = run_cli(settings, *args, "--by", "weather")
    assert bad.returncode == 2 and "--by" in bad.stderr


def test_opinion_report_names_suqian_channels_and_handling(
    settings: Settings, suqian_db: Database, tmp_path: Path
) -> None:
    result = run_cli(
        settings, "report", "opinions", "--area", CITY, "--from", "2024-01-01", "--to",
        "2024-12-31", "--out", str(tmp_path), "--no-pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    stem = tmp_path / "opinions-321300000000-20240101-20241231"
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    figures = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert "扫码（宿话说）" in html
    for words in (
        "按期办结率",
        "按承办单位",
        "按代表",
        'id="rates-area"',
        'id="rates-department"',
        'id="rates-deputy"',
    ):
        assert words in html
    assert figures["handling"]["total"] == figures["total"]
    counties = {r["key"]: r["total"] for r in figures["handling_by_area"]}
    assert counties == {r["key"]: r["total"] for r in figures["by_area"]}
    assert len(figures["handling_by_department"]) == 10
    department = figures["handling_by_department"][0]
    assert department["label"] in html
    assert 0 <= department["on_time_rate"] <= 1
