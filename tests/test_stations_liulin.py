"""Liulin's stations and points over GraphQL, the CLI and the station page, on the seeded county
(read-only): listed per township, nested relations at a bounded cost, idle-station alarms
equal to independent Cypher."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.seeding.liulin_stations import LIULIN_IDLE_POINTS, LIULIN_NEVER_HELD
from tests.conftest import bearer, data, graphql, run_cli

LIULIN = "141125000000"
AS_OF = dt.date(2024, 11, 30)


@pytest.fixture(scope="module")
def api(settings: Settings, liulin_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings.with_(today=dt.date(2024, 11, 1)), liulin_db)) as client:
        yield client


@pytest.fixture(scope="module")
def organizer(settings: Settings) -> dict[str, str]:
    return bearer(settings, "organizer")


def per_township_in_cypher(db: Database) -> dict[str, tuple[int, int]]:
    records = db.execute(
        "MATCH (s:LiaisonStation)-[:LOCATED_IN]->(a:Area) "
        "OPTIONAL MATCH (a)-[:PART_OF]->(up:Area) "
        "WITH CASE a.kind WHEN 'TOWNSHIP' THEN a.code ELSE up.code END AS township, s "
        "RETURN township, count(CASE s.kind WHEN 'STATION' THEN 1 END) AS stations, "
        "count(CASE s.kind WHEN 'POINT' THEN 1 END) AS points"
    )
    return {r["township"]: (r["stations"], r["points"]) for r in records}


def test_the_15_stations_and_46_points_listed_per_township(
    api: TestClient, organizer: dict[str, str], liulin_db: Database
) -> None:
    body = graphql(
        api,
        """query($area: String) { stations(where: {areaCode: $area}, first: 100) {
             totalCount nodes { id kind township { code name } parent { id } } } }""",
        {"area": LIULIN},
        organizer,
    )
    page = data(body)["stations"]
    assert page["totalCount"] == 61 == len(page["nodes"])
    counted: dict[str, Counter[str]] = {}
    order: list[str] = []
    for node in page["nodes"]:
        township = node["township"]["code"]
        counted.setdefault(township, Counter())[node["kind"]] += 1
        if not order or order[-1] != township:
            order.append(township)
            assert node["kind"] == "STATION", "each township's station comes first"
        if node["kind"] == "POINT":
            assert node["parent"]["id"].startswith("LL-ST")
    assert order == sorted(order) and len(order) == 15  # grouped by township
    expected = per_township_in_cypher(liulin_db)
    assert {t: (c["STATION"], c["POINT"]) for t, c in counted.items()} == expected
    assert sum(s for s, _ in expected.values()) == 15
    assert sum(p for _, p in expected.values()) == 46


def test_points_of_a_township_by_kind(api: TestClient, organizer: dict[str, str]) -> None:
    body = graphql(
        api,
        """{ stations(where: {areaCode: "141125100000", kind: POINT}) {
               totalCount nodes { id name area { name kind } } } }""",
        headers=organizer,
    )
    page = data(body)["stations"]
    assert page["totalCount"] == 6
    assert {n["name"] for n in page["nodes"]} >= {"柳林镇贺昌社区联络点"}
    assert all(n["area"]["kind"] in ("VILLAGE", "COMMUNITY") for n in page["nodes"])


def test_a_station_with_its_points_deputies_and_activity_days(
    api: TestClient, organizer: dict[str, str], liulin_db: Database
) -> None:
    body = graphql(
        api,
        """{ station(id: "LL-ST01") {
               name kind monthlyActivityDay pageUrl
               points { id parent { id } }
               deputies(first: 3) { totalCount nodes { id level } }
               activities(first: 50) { totalCount nodes { id date topic attendance voterCount
                                                          attended { id } onDuty { id } } }
               schedule(from: "2023-01-01", to: "2023-12-31") { date }
               issues(first: 2) { totalCount nodes { channel } } } }""",
        headers=organizer,
    )
    station = data(body)["station"]
    assert station["name"] == "柳林镇人大代表联络站" and station["kind"] == "STATION"
    assert station["pageUrl"].endswith("/s/LL-ST01")
    points = liulin_db.execute(
        "MATCH (p:LiaisonStation {kind: 'POINT'}) WHERE p.areaCode STARTS WITH '141125100' "
        "RETURN p.id AS id ORDER BY id"
    )
    assert [p["id"] for p in station["points"]] == [r["id"] for r in points]
    assert {p["parent"]["id"] for p in station["points"]} == {"LL-ST01"}
    received = liulin_db.execute(
        "MATCH (d:Deputy)-[:RECEIVES_AT]->(:LiaisonStation {id: 'LL-ST01'}) RETURN count(d)"
    )[0][0]
    assert station["deputies"]["totalCount"] == received and len(station["deputies"]["nodes"]) == 3
    days = liulin_db.execute(
        "MATCH (:LiaisonStation {id: 'LL-ST01'})-[:HOLDS]->(a:Activity) "
        "RETURN a.id AS id, toString(a.date) AS date, a.voterCount AS voters, "
        "[(d)-[:ATTENDED]->(a) | d.id] AS came ORDER BY date DESC"
    )
    nodes = station["activities"]["nodes"]
    assert [(n["id"], n["date"], n["voterCount"]) for n in nodes] == [
        (r["id"], r["date"], r["voters"]) for r in days
    ]
    for node, record in zip(nodes, days, strict=True):
        assert sorted(d["id"] for d in node["attended"]) == sorted(record["came"])
        assert sorted(d["id"] for d in node["onDuty"]) == sorted(record["came"])
        assert node["attendance"] == len(record["came"]) and node["topic"]
    assert [d["date"] for d in station["schedule"]] == sorted(
        r["date"] for r in days if r["date"].startswith("2023")
    )
    issues = liulin_db.execute(
        "MATCH (i:Issue)-[:RECEIVED_AT]->(:LiaisonStation {id: 'LL-ST01'}) RETURN count(i)"
    )[0][0]
    assert station["issues"]["totalCount"] == issues


NESTED = """query($first: Int) { stations(where: {areaCode: "141125000000"}, first: $first) {
  nodes { id township { name } parent { name } points { id }
          deputies(first: 2) { totalCount nodes { name level } }
          activities(first: 2) { nodes { date onDuty { name } } }
          schedule(from: "2024-01-01", to: "2024-12-31") { date attendance } } } }"""


def test_a_nested_page_costs_the_same_round_trips_at_two_sizes(
    api: TestClient, organizer: dict[str, str], liulin_db: Database
) -> None:
    trips = []
    for first in (3, 40):
        data(graphql(api, NESTED, {"first": first}, organizer))  # warm the document caches
        liulin_db.round_trips = 0
        body = graphql(api, NESTED, {"first": first}, organizer)
        assert len(data(body)["stations"]["nodes"]) == first
        trips.append(liulin_db.round_trips)
    # Two chains end at the deputy loader (received deputies; activities' on-duty deputies):
    # whether their loads share one batch depends on which query returns first, so the count
    # may differ by that one batch -- an N+1 would add 37 round trips at the larger size.
    assert abs(trips[0] - trips[1]) <= 1, trips
    assert max(trips) <= 12


def idle_in_cypher(db: Database, since: dt.date, as_of: dt.date) -> dict[str, str | None]:
    records = db.execute(
        "MATCH (s:LiaisonStation) WHERE s.areaCode STARTS WITH '141125' "
        "OPTIONAL MATCH (s)-[:HOLDS]->(a:Activity) "
        "WHERE a.date <= date($asOf) AND (:Deputy)-[:ATTENDED]->(a) "
        "WITH s, max(a.date) AS last WHERE last IS NULL OR last < date($since) "
        "RETURN s.id AS id, toString(last) AS last",
        {"since": since.isoformat(), "asOf": as_of.isoformat()},
    )
    return {r["id"]: r["last"] for r in records}


IDLE = """query($months: Int!, $asOf: Date) {
  idleStations(areaCode: "141125000000", months: $months, asOf: $asOf, first: 100) {
    totalCount nodes { station { id kind township { name } } since asOf lastHeld nextScheduled }
  } }"""


@pytest.mark.parametrize(
    ("months", "since"),
    [(3, dt.date(2024, 8, 31)), (12, dt.date(2023, 12, 1)), (1, dt.date(2024, 10, 31))],
    ids=["a-quarter", "a-year", "a-month"],
)
def test_idle_stations_equal_independent_cypher(
    api: TestClient, organizer: dict[str, str], liulin_db: Database, months: int, since: dt.date
) -> None:
    body = graphql(api, IDLE, {"months": months, "asOf": AS_OF.isoformat()}, organizer)
    page = data(body)["idleStations"]
    found = {n["station"]["id"]: n["lastHeld"] for n in page["nodes"]}
    assert found == idle_in_cypher(liulin_db, since, AS_OF)
    assert page["totalCount"] == len(found)
    assert {(n["since"], n["asOf"]) for n in page["nodes"]} == {
        (since.isoformat(), AS_OF.isoformat())
    }
    if months == 3:
        assert sorted(found) == sorted(LIULIN_IDLE_POINTS)
        assert sorted(i for i, last in found.items() if last is None) == sorted(LIULIN_NEVER_HELD)
    if months == 12:
        assert sorted(found) == sorted(LIULIN_NEVER_HELD)


def test_idle_stations_default_to_the_settings_today(
    api: TestClient, organizer: dict[str, str], liulin_db: Database
) -> None:
    body = graphql(api, IDLE, {"months": 3}, organizer)  # today is pinned at 2024-11-01
    found = {n["station"]["id"] for n in data(body)["idleStations"]["nodes"]}
    assert found == set(idle_in_cypher(liulin_db, dt.date(2024, 8, 2), dt.date(2024, 11, 1)))


@pytest.mark.parametrize(
    ("query", "headers", "code"),
    [
        ('{ idleStations(areaCode: "1411") { totalCount } }', True, "BAD_USER_INPUT"),
        ('{ idleStations(areaCode: "141125999000") { totalCount } }', True, "NOT_FOUND"),
        ('{ idleStations(areaCode: "141125000000", months: 0) { totalCount } }', True,
         "BAD_USER_INPUT"),
        ('{ idleStations(areaCode: "141125000000") { totalCount } }', False, "UNAUTHENTICATED"),
        ('{ station(id: "LL-ST99") { id } }', True, "NOT_FOUND"),
        ('{ station(id: "LL-ST01") { schedule(from: "2024-01-01", to: "2025-12-31") { id } } }',
         True, "BAD_USER_INPUT"),
    ],
    ids=["bad-code", "unknown-area", "no-months", "public", "unknown-station", "long-window"],
)  # fmt: skip
def test_reading_refusals(
    api: TestClient, organizer: dict[str, str], query: str, headers: bool, code: str
) -> None:
    body = graphql(api, query, headers=organizer if headers else None)
    assert body["errors"][0]["extensions"]["code"] == code, body


def test_cli_lists_stations_per_township_and_the_alarms(
    settings: Settings, liulin_db: Database
) -> None:
    listed = run_cli(settings, "stations", "list", "--area", LIULIN, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    expected = per_township_in_cypher(liulin_db)
    assert {r["township_code"]: (r["stations"], r["points"]) for r in rows} == expected
    table = run_cli(settings, "stations", "list", "--area", LIULIN)
    assert "共 15 个乡镇：联络站 15 个，联络点 46 个" in table.stdout
    alarms = run_cli(settings, "alarms", "--area", LIULIN, "--as-of", "2024-11-30", "--json")
    assert alarms.returncode == 0, alarms.stderr
    report = json.loads(alarms.stdout)
    idle = {i["station"]["id"]: i["last_held"] for i in report["idle"]}
    assert idle == idle_in_cypher(liulin_db, dt.date(2024, 8, 31), AS_OF)
    assert report["groups"] == []  # Liulin has no linkage groups
    shown = run_cli(settings, "alarms", "--area", LIULIN, "--as-of", "2024-11-30")
    assert "联络站（点）挂空挡 4 个" in shown.stdout
    for point in LIULIN_IDLE_POINTS:
        assert point in shown.stdout
    refused = run_cli(settings, "alarms", "--area", LIULIN, "--as-of", "30.11.2024")
    assert refused.returncode == 2 and "is not a date" in refused.stderr


def test_the_page_of_a_point_without_a_coming_day(api: TestClient, liulin_db: Database) -> None:
    page = api.get("/s/LL-PT17")
    assert page.status_code == 200
    html = page.text
    name = liulin_db.execute("MATCH (s:LiaisonStation {id: 'LL-PT17'}) RETURN s.name")[0][0]
    assert name in html and "近期暂无安排" in html and 'id="parent"' in html
    assert "往期代表活动日" in html and "暂无记录" in html  # it never held a day


def test_the_page_of_a_station_never_shows_a_phone(api: TestClient, liulin_db: Database) -> None:
    html = api.get("/s/LL-ST03").text
    phones = liulin_db.execute("MATCH (d:Deputy) RETURN collect(d.phone)")[0][0]
    assert not [p for p in phones if p in html]
    held = liulin_db.execute(
        "MATCH (:LiaisonStation {id: 'LL-ST03'})-[:HOLDS]->(a:Activity) "
        "WHERE a.date < date('2024-11-01') RETURN count(a) AS days, sum(a.voterCount) AS voters"
    )[0]
    assert f"已开展代表活动日 {held['days']} 次" in html
    assert f"接待选民 {held['voters']} 人次" in html
    assert re.search(r'<option value="1411251\d{5}"', html)  # the township's villages
