"""The performance record (履职档案) and scores over GraphQL on seeded Liulin (read-only):
every field against independent Cypher, the roles, the ranking per township and level, no N+1,
and the score of a hand-computed record."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.deadlines import last_workday
from graphcoord.errors import BadInput
from graphcoord.queries.records import RecordRow
from graphcoord.services.scoring import DEFAULT_TABLE, load_table, parse_table, score_of
from tests.conftest import bearer, data, graphql

LIULIN = "141125000000"

RECORD_FIELDS = """
villagesContacted visits activityDaysOnDuty missedDuty receptions supervisionActivities
reportBacks issuesTracked issuesResolved onTimeRate proposalsSponsored proposalsCoSigned
proposalsContributed ballots satisfactionRate
"""

PAGE = (
    "query($a: String!, $y: Int!, $after: String, $level: Level, $o: RecordOrder) {"
    " deputyRecords(areaCode: $a, year: $y, first: 100, after: $after, level: $level,"
    " orderBy: $o) { totalCount pageInfo { hasNextPage endCursor }"
    " nodes { rank deputy { id level } score { total } record { " + RECORD_FIELDS + " } } } }"
)


@pytest.fixture(scope="module")
def api(settings: Settings, liulin_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, liulin_db)) as client:
        yield client


def _by_deputy(db: Database, query: str, **params: Any) -> dict[str, Any]:
    return {r["id"]: r["n"] for r in db.execute(query, params)}


def cypher_records(db: Database, year: int) -> dict[str, dict[str, Any]]:
    """Each record field of every deputy, counted by statements of their own."""
    in_year = "a.date.year = $year"
    china_year = "datetime({datetime: i.createdAt, timezone: '+08:00'}).year = $year"
    fields = {
        "villagesContacted": "MATCH (d:Deputy)-[:CONTACTS]->(a:Area) RETURN d.id AS id, "
        "count(DISTINCT a) AS n",
        "visits": f"MATCH (d:Deputy)-[:ATTENDED]->(a:Activity) WHERE {in_year} "
        "RETURN d.id AS id, count(a) AS n",
        "activityDaysOnDuty": f"MATCH (d:Deputy)-[:ON_DUTY]->(a:Activity) WHERE {in_year} "
        "RETURN d.id AS id, count(a) AS n",
        "receptions": "MATCH (s:LiaisonStation)-[:HOLDS]->(a:Activity)<-[:ATTENDED]-(d:Deputy) "
        f"WHERE {in_year} RETURN d.id AS id, count(a) AS n",
        "reportBacks": "MATCH (d:Deputy)-[:ATTENDED]->(a:Activity {kind: 'REPORT_BACK'}) "
        f"WHERE {in_year} RETURN d.id AS id, count(a) AS n",
        "supervisionActivities": "MATCH (g:Group)-[:HELD]->(a:Activity)<-[:ATTENDED]-(d) "
        f"WHERE g.kind = 'SUPERVISION' AND {in_year} RETURN d.id AS id, count(a) AS n",
        "issuesTracked": f"MATCH (d:Deputy)-[:TRACKS]->(i:Issue) WHERE {china_year} "
        "RETURN d.id AS id, count(i) AS n",
        "issuesResolved": f"MATCH (d:Deputy)-[:TRACKS]->(i:Issue) WHERE {china_year} "
        "AND coalesce(i.outcome, i.status) = 'RESOLVED' RETURN d.id AS id, count(i) AS n",
        "proposalsSponsored": "MATCH (d:Deputy)-[s:SPONSORED {role: 'LEAD'}]->(p:Proposal) "
        "RETURN d.id AS id, count(p) AS n",
    }
    found = {name: _by_deputy(db, q, year=year) for name, q in fields.items()}
    red_before = last_workday(dt.date(year, 12, 31))
    rates = db.execute(
        f"MATCH (d:Deputy)-[:TRACKS]->(i:Issue) WHERE {china_year} "
        "WITH d, i, (i.finishedLate IS NOT NULL OR (i.outcome IS NULL AND i.finishDue < $rb)) "
        "AS due RETURN d.id AS id, sum(CASE WHEN due THEN 1 ELSE 0 END) AS due, "
        "sum(CASE WHEN i.finishedLate = 0 THEN 1 ELSE 0 END) AS onTime",
        {"year": year, "rb": red_before},
    )
    on_time = {r["id"]: (r["onTime"] / r["due"] if r["due"] else None) for r in rates}
    ids = [r["id"] for r in db.execute("MATCH (d:Deputy) RETURN d.id AS id")]
    return {
        i: {name: values.get(i, 0) for name, values in found.items()}
        | {"onTimeRate": on_time.get(i)}
        for i in ids
    }


def all_pages(api: TestClient, headers: dict[str, str], year: int) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        answer = data(graphql(api, PAGE, {"a": LIULIN, "y": year, "after": after}, headers))
        page = answer["deputyRecords"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("year", [2023, 2024], ids=["2023", "2024"])
def test_every_record_field_equals_independent_cypher(
    api: TestClient, settings: Settings, liulin_db: Database, year: int
) -> None:
    expected = cypher_records(liulin_db, year)
    nodes = all_pages(api, bearer(settings, "organizer"), year)
    assert len(nodes) == 1132
    checked = 0
    for node in nodes:
        want = expected[node["deputy"]["id"]]
        got = node["record"]
        for name, value in want.items():
            if name == "onTimeRate":
                assert got[name] == pytest.approx(value) if value is not None else got[name] is None
            else:
                assert got[name] == value, (node["deputy"]["id"], name)
        checked += 1
    assert checked == 1132
    # the seeds give the record something to count
    assert sum(n["record"]["visits"] for n in nodes) > 0
    assert sum(n["record"]["issuesTracked"] for n in nodes) > 0
    # ranked by score, highest first, ranks ascending
    totals = [n["score"]["total"] for n in nodes]
    assert totals == sorted(totals, reverse=True)
    assert nodes[0]["rank"] == 1


def test_report_backs_of_2023_count_for_their_45_attendees(
    api: TestClient, settings: Settings
) -> None:
    nodes = all_pages(api, bearer(settings, "organizer"), 2023)
    assert sum(n["record"]["reportBacks"] for n in nodes) == 45  # 15 meetings x 3 deputies


def test_a_page_of_records_costs_a_bounded_number_of_round_trips(
    api: TestClient, settings: Settings, liulin_db: Database
) -> None:
    query = (
        "query($a: String!, $n: Int!) { deputyRecords(areaCode: $a, year: 2024, first: $n,"
        " orderBy: ID) { nodes { deputy { id name record(year: 2024) { visits }"
        " score(year: 2024) { total } } record { visits } } } }"
    )
    trips = []
    for n in (3, 60):
        before = liulin_db.round_trips
        data(graphql(api, query, {"a": LIULIN, "n": n}, bearer(settings, "organizer")))
        trips.append(liulin_db.round_trips - before)
    # one statement per batch: 20 times the deputies, at most one batch more (loader ticks)
    assert trips[1] <= trips[0] + 1 <= 6


def test_ranking_per_township_and_level(api: TestClient, settings: Settings) -> None:
    township = "141125100000"
    answer = data(
        graphql(
            api,
            PAGE,
            {"a": township, "y": 2024, "level": "TOWNSHIP", "o": "SCORE"},
            bearer(settings, "planner"),
        )
    )["deputyRecords"]
    assert answer["totalCount"] > 0
    assert {n["deputy"]["level"] for n in answer["nodes"]} == {"TOWNSHIP"}
    ranks = [n["rank"] for n in answer["nodes"]]
    assert ranks == sorted(ranks) and ranks[0] == 1


@pytest.mark.parametrize(
    ("role", "own", "code"),
    [
        ("public", False, "UNAUTHENTICATED"),
        ("deputy", False, "FORBIDDEN"),
        ("deputy", True, None),
        ("planner", False, None),
        ("organizer", False, None),
    ],
    ids=["public", "another-deputy", "own-record", "planner", "organizer"],
)
def test_who_reads_a_record(
    api: TestClient, settings: Settings, liulin_db: Database, role: str, own: bool, code: str | None
) -> None:
    (deputy_id, other) = [
        r["id"] for r in liulin_db.execute("MATCH (d:Deputy) RETURN d.id AS id ORDER BY id LIMIT 2")
    ]
    headers = {} if role == "public" else bearer(settings, role, deputy_id=deputy_id)
    target = deputy_id if own or role != "deputy" else other
    body = graphql(
        api,
        "query($d: ID!) { deputy(id: $d) { record(year: 2024) { visits } score(year: 2024)"
        " { total breakdown { item label subtotal } } } }",
        {"d": target},
        headers,
    )
    if code is None:
        got = data(body)["deputy"]
        assert got["record"]["visits"] >= 0
        assert got["score"]["breakdown"][0]["label"] == "基础分"
    else:
        assert {e["extensions"]["code"] for e in body["errors"]} == {code}


@pytest.mark.parametrize(
    ("role", "code"),
    [("public", "UNAUTHENTICATED"), ("deputy", "FORBIDDEN")],
    ids=["public", "deputy"],
)
def test_rankings_are_for_organizers_planners_and_admins(
    api: TestClient, settings: Settings, liulin_db: Database, role: str, code: str
) -> None:
    (deputy_id,) = [
        r["id"] for r in liulin_db.execute("MATCH (d:Deputy) RETURN d.id AS id LIMIT 1")
    ]
    headers = {} if role == "public" else bearer(settings, role, deputy_id=deputy_id)
    query = (
        "query($a: String!) { deputyRecords(areaCode: $a, year: 2024, first: 5) { totalCount } }"
    )
    body = graphql(api, query, {"a": LIULIN}, headers)
    assert body["errors"][0]["extensions"]["code"] == code


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"a": "14112", "y": 2024}, "12-digit"),
        ({"a": LIULIN, "y": 1800}, "outside"),
    ],
    ids=["bad-area", "bad-year"],
)
def test_bad_input_is_refused_with_a_code(
    api: TestClient, settings: Settings, variables: dict[str, Any], message: str
) -> None:
    body = graphql(api, PAGE, variables, bearer(settings, "organizer"))
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]


def _record(**counts: int) -> RecordRow:
    fields = dict.fromkeys(
        [
            "villages_contacted",
            "visits",
            "activity_days_on_duty",
            "missed_duty",
            "receptions",
            "supervision_activities",
            "report_backs",
            "issues_tracked",
            "issues_resolved",
            "on_time",
            "due",
            "proposals_sponsored",
            "proposals_co_signed",
            "proposals_contributed",
            "voted_satisfied",
            "voted_basically_satisfied",
            "voted_dissatisfied",
        ],
        0,
    )
    fields.update(counts)
    return RecordRow(deputy_id="X", year=2024, **fields)


def test_score_of_a_hand_computed_record() -> None:
    table = parse_table(DEFAULT_TABLE)
    record = _record(
        visits=6,
        activity_days_on_duty=4,
        missed_duty=1,
        receptions=3,
        supervision_activities=1,
        issues_tracked=10,
        issues_resolved=4,
        proposals_sponsored=1,
        proposals_co_signed=2,
        proposals_contributed=1,
        voted_satisfied=6,
        voted_basically_satisfied=3,
        voted_dissatisfied=1,
    )
    # 60 + 6x2 + 4x3 + 3x1 + 1x3 + 10x0.5 + 4x2 + 1x5 + 2x2 + 1x2
    #    + 0.6x20 + 0.3x12 + 0.1x0 - 1x5 = 60+12+12+3+3+5+8+5+4+2+12+3.6-5 = 124.6
    score = score_of(record, table)
    assert score.total == pytest.approx(124.6)
    lines = {line.item: line.subtotal for line in score.lines}
    assert lines["basically_satisfied"] == pytest.approx(3.6)
    assert lines["missed_duty"] == -5


def test_a_scoring_table_in_the_state_folder_overrides_the_defaults(tmp_path: Path) -> None:
    assert load_table(tmp_path).points["visit"] == 2.0
    (tmp_path / "scoring.toml").write_text("base = 0\n[points]\nvisit = 10\n", encoding="utf-8")
    table = load_table(tmp_path)
    assert (table.base, table.points["visit"], table.points["issue_resolved"]) == (0, 10, 2)
    assert score_of(_record(visits=3), table).total == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[points]\nvisits = 1\n", "unknown key(s) in [points]: visits"),
        ("[points]\nvisit = -1\n", "must be a number ≥ 0"),
        ("base = \n", "not valid TOML"),
    ],
    ids=["unknown-key", "negative", "not-toml"],
)
def test_a_bad_scoring_table_is_refused(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=re.escape(message)):
        parse_table(text)
