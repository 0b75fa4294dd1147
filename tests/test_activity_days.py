"""Activity days over GraphQL on a small hand-made city: scheduling and its refusals, editing,
monthly generation, attendance and opinions received at a station.

Today is pinned by the settings (``today``), so the office's calendar is the same whenever the
suite runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
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

TODAY = dt.date(2024, 6, 3)  # a Monday
DAY = "2024-06-17"

SCHEDULE = """
mutation($station: ID!, $date: Date!, $topic: String!, $deputies: [ID!]!, $notice: String) {
  scheduleActivityDay(stationId: $station, date: $date, topic: $topic, deputyIds: $deputies,
                      notice: $notice) {
    id date topic notice noticePublishedAt onDutyCount attendance
    station { id name kind }
    onDuty { id name level }
  }
}"""

UPDATE = """
mutation($id: ID!, $date: Date, $topic: String, $deputies: [ID!], $notice: String) {
  updateActivityDay(activityId: $id, date: $date, topic: $topic, deputyIds: $deputies,
                    notice: $notice) { id date topic notice onDuty { id } }
}"""

ATTEND = """
mutation($id: ID!, $deputies: [ID!]!, $voters: Int!) {
  recordAttendance(activityId: $id, deputyIds: $deputies, voterCount: $voters) {
    id attendance voterCount attended { id name }
  }
}"""

Api = Callable[..., dict[str, Any]]


@pytest.fixture
def city(db: Database) -> Database:
    write_dataset(db, factories.station_city())
    return db


@pytest.fixture
def office(settings: Settings, city: Database) -> Iterator[Callable[[dt.date], Api]]:
    """``office(today)``: a GraphQL caller as an organizer of an app whose today is ``today``."""
    clients: list[TestClient] = []

    def at(today: dt.date, role: str = "organizer") -> Api:
        client = TestClient(create_app(settings.with_(today=today), city))
        client.__enter__()
        clients.append(client)
        deputy = "T1" if role == "deputy" else None
        headers = bearer(settings, role, deputy) if role != "public" else {}

        def call(query: str, **variables: Any) -> dict[str, Any]:
            return graphql(client, query, variables, headers)

        return call

    yield at
    for client in clients:
        client.__exit__(None, None, None)


def error_of(body: dict[str, Any]) -> tuple[str, str]:
    (error,) = body["errors"]
    return error["extensions"]["code"], error["message"]


def schedule(api: Api, station: str = "ST-A", date: str = DAY, **changes: Any) -> dict[str, Any]:
    variables: dict[str, Any] = {
        "station": station,
        "date": date,
        "topic": "农村饮水安全",
        "deputies": ["T1", "C1"],
        **changes,
    }
    return api(SCHEDULE, **variables)


def test_an_organizer_schedules_a_day_with_its_roster_and_notice(
    office: Callable[..., Api], city: Database
) -> None:
    day = data(schedule(office(TODAY)))["scheduleActivityDay"]
    assert day["date"] == DAY and day["topic"] == "农村饮水安全"
    assert day["station"] == {"id": "ST-A", "name": "甲镇人大代表联络站", "kind": "STATION"}
    assert sorted(d["id"] for d in day["onDuty"]) == ["C1", "T1"] and day["onDutyCount"] == 2
    assert "2024年6月17日" in day["notice"] and "农村饮水安全" in day["notice"]
    assert day["noticePublishedAt"].startswith("2024-06-03T")  # published today, ahead
    assert day["attendance"] == 0
    stored = city.execute(
        "MATCH (s:LiaisonStation {id: 'ST-A'})-[:HOLDS]->(a:Activity {kind: 'ACTIVITY_DAY'}) "
        "RETURN a.id AS id, toString(a.date) AS date, a.stationDay AS key, "
        "[(d:Deputy)-[:ON_DUTY]->(a) | d.id] AS duty"
    )
    assert [(r["id"], r["date"], r["key"], sorted(r["duty"])) for r in stored] == [
        (day["id"], DAY, f"ST-A|{DAY}", ["C1", "T1"])
    ]


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"deputies": ["L1"]}, "RULE_VIOLATION", "duty-deputy-active"),
        ({"deputies": ["T1", "N1"]}, "RULE_VIOLATION", "duty-deputy-in-area"),
        ({"deputies": ["X1"]}, "RULE_VIOLATION", "duty-deputy-in-area"),
        ({"date": "2024-06-03"}, "RULE_VIOLATION", "activity-day-ahead"),
        ({"date": "2024-05-20"}, "RULE_VIOLATION", "activity-day-ahead"),
        ({"deputies": ["T1", "NOBODY"]}, "NOT_FOUND", "deputy 'NOBODY' not found"),
        ({"station": "ST-Z"}, "NOT_FOUND", "station 'ST-Z' not found"),
        ({"deputies": []}, "BAD_USER_INPUT", "at least one deputy"),
        ({"topic": " 水"}, "BAD_USER_INPUT", "topic must have 2 to 60"),
        ({"notice": "通" * 1001}, "BAD_USER_INPUT", "notice must have 0 to 1000"),
        (
            {"topic": " 水", "notice": "通" * 1001},
            "BAD_USER_INPUT",
            "topic must have 2 to 60 characters, not 1; notice must have 0 to 1000",
        ),
    ],
    ids=[
        "inactive-deputy",
        "outside-the-area",
        "other-township-deputy",
        "today",
        "past",
        "unknown-deputy",
        "unknown-station",
        "empty-roster",
        "short-topic",
        "long-notice",
        "both-texts",
    ],
)
def test_scheduling_refusals(
    office: Callable[..., Api], city: Database, changes: dict[str, Any], code: str, words: str
) -> None:
    refused = error_of(schedule(office(TODAY), **changes))
    assert refused[0] == code and words in refused[1], refused
    assert city.execute("MATCH (a:Activity) RETURN count(a) AS n")[0]["n"] == 0


def test_a_deputy_is_on_duty_at_one_place_a_day(office: Callable[..., Api]) -> None:
    api = office(TODAY)
    data(schedule(api))
    refused = error_of(schedule(api, station="PT-A", deputies=["Y1", "T1"]))
    assert refused[0] == "RULE_VIOLATION"
    assert "duty-one-place-a-day" in refused[1] and "T1" in refused[1] and "ST-A" in refused[1]
    data(schedule(api, station="PT-A", deputies=["Y1"]))  # another deputy is free that day
    data(schedule(api, station="PT-A", date="2024-06-18", deputies=["T1"]))  # another day


def test_one_activity_day_per_station_and_date(office: Callable[..., Api]) -> None:
    api = office(TODAY)
    data(schedule(api))
    refused = error_of(schedule(api, deputies=["Y1"]))
    assert refused[0] == "RULE_VIOLATION" and "one-activity-day-per-station-date" in refused[1]


@pytest.mark.parametrize(
    ("role", "code"),
    [("public", "UNAUTHENTICATED"), ("deputy", "FORBIDDEN"), ("planner", "FORBIDDEN")],
    ids=["public", "deputy", "planner"],
)
def test_only_organizers_and_admins_schedule(
    office: Callable[..., Api], role: str, code: str
) -> None:
    assert error_of(schedule(office(TODAY, role)))[0] == code
    assert "scheduleActivityDay" in data(schedule(office(TODAY, "admin")))


def trail(db: Database, target: str) -> list[tuple[str, str, str | None]]:
    """The audit trail of ``target``, oldest first: (action, who, detail)."""
    _total, events = audit.audit_page(db, skip=0, limit=50, target=target)
    return [(e.action, e.actor, e.detail) for e in reversed(events)]


def test_a_coming_day_is_edited_and_its_notice_written_again(
    office: Callable[..., Api], city: Database
) -> None:
    api = office(TODAY)
    day = data(schedule(api))["scheduleActivityDay"]
    moved = data(
        api(UPDATE, id=day["id"], date="2024-06-19", topic="乡村道路养护", deputies=["Y1"])
    )["updateActivityDay"]
    assert moved["date"] == "2024-06-19" and moved["topic"] == "乡村道路养护"
    assert [d["id"] for d in moved["onDuty"]] == ["Y1"]
    assert "2024年6月19日" in moved["notice"] and "乡村道路养护" in moved["notice"]
    own = data(api(UPDATE, id=day["id"], notice="请携带身份证明前来。"))["updateActivityDay"]
    assert own["notice"] == "请携带身份证明前来。" and own["date"] == "2024-06-19"
    # the roster rules hold for an edit too, the day's own duty not counted twice
    assert error_of(api(UPDATE, id=day["id"], deputies=["L1"]))[1].startswith(
        "rule duty-deputy-active"
    )
    data(api(UPDATE, id=day["id"], deputies=["Y1", "T1"]))
    cancelled = api("mutation($id: ID!) { cancelActivityDay(activityId: $id) }", id=day["id"])
    assert data(cancelled) == {"cancelActivityDay": day["id"]}
    gone = api("query($id: ID!) { activityDay(id: $id) { id } }", id=day["id"])
    assert error_of(gone)[0] == "NOT_FOUND"
    # each change is in the audit trail under the organizer; the refused one is not
    assert trail(city, f"activity:{day['id']}") == [
        (AuditAction.ACTIVITY_DAY_SCHEDULED, "token:organizer", f"ST-A {DAY}"),
        (AuditAction.ACTIVITY_DAY_CHANGED, "token:organizer", "ST-A 2024-06-19"),
        (AuditAction.ACTIVITY_DAY_CHANGED, "token:organizer", "ST-A 2024-06-19"),
        (AuditAction.ACTIVITY_DAY_CHANGED, "token:organizer", "ST-A 2024-06-19"),
        (AuditAction.ACTIVITY_DAY_CANCELLED, "token:organizer", "ST-A 2024-06-19"),
    ]


def test_a_day_that_has_come_is_kept(office: Callable[..., Api]) -> None:
    day = data(schedule(office(TODAY)))["scheduleActivityDay"]
    later = office(dt.date(2024, 6, 17))
    for refused in (
        later(UPDATE, id=day["id"], topic="改个主题"),
        later("mutation($id: ID!) { cancelActivityDay(activityId: $id) }", id=day["id"]),
    ):
        code, message = error_of(refused)
        assert code == "RULE_VIOLATION" and "activity-day-past-is-kept" in message


def test_attendance_is_recorded_on_the_day_or_after(
    office: Callable[..., Api], city: Database
) -> None:
    day = data(schedule(office(TODAY)))["scheduleActivityDay"]
    early = error_of(office(TODAY)(ATTEND, id=day["id"], deputies=["T1"], voters=5))
    assert early[0] == "RULE_VIOLATION" and "attendance-after-the-day" in early[1]
    after = office(dt.date(2024, 6, 18))
    recorded = data(after(ATTEND, id=day["id"], deputies=["T1", "C1", "Y1"], voters=23))
    assert recorded["recordAttendance"]["attendance"] == 3
    assert recorded["recordAttendance"]["voterCount"] == 23
    corrected = data(after(ATTEND, id=day["id"], deputies=["T1"], voters=21))
    assert [d["id"] for d in corrected["recordAttendance"]["attended"]] == ["T1"]
    assert city.execute("MATCH (:Deputy)-[r:ATTENDED]->() RETURN count(r) AS n")[0]["n"] == 1
    for variables, code in (
        ({"deputies": ["T1"], "voters": -1}, "BAD_USER_INPUT"),
        ({"deputies": ["NOBODY"], "voters": 1}, "NOT_FOUND"),
    ):
        assert error_of(after(ATTEND, id=day["id"], **variables))[0] == code
    assert error_of(after(ATTEND, id="AD-none", deputies=[], voters=0))[0] == "NOT_FOUND"
    assert [x[::2] for x in trail(city, f"activity:{day['id']}")[1:]] == [
        (AuditAction.ATTENDANCE_RECORDED, "3 deputies, 23 voters"),
        (AuditAction.ATTENDANCE_RECORDED, "1 deputies, 21 voters"),
    ]


GENERATE = """
mutation($area: String, $station: ID, $year: Int!, $month: Int, $topic: String) {
  generateActivityDays(areaCode: $area, stationId: $station, year: $year, month: $month,
                       topic: $topic) {
    createdCount skippedCount
    created(first: 50) { nodes { date topic notice station { id } onDutyCount } }
    skipped(first: 50) { nodes { stationId date reason } }
  }
}"""


def test_a_month_of_activity_days_for_a_township(
    office: Callable[..., Api], city: Database
) -> None:
    api = office(TODAY)
    data(schedule(api, station="PT-A", date="2024-07-01", deputies=["T1"]))
    result = data(api(GENERATE, area=factories.TOWN_A["code"], year=2024, month=7))
    generated = result["generateActivityDays"]
    # ST-A: the 15th of July 2024 is a Monday; PT-A already holds a day in July.
    assert [(d["station"]["id"], d["date"]) for d in generated["created"]["nodes"]] == [
        ("ST-A", "2024-07-15")
    ]
    assert generated["created"]["nodes"][0]["topic"] == "听取选民意见建议"
    assert generated["created"]["nodes"][0]["onDutyCount"] == 0
    assert generated["skipped"]["nodes"] == [
        {"stationId": "PT-A", "date": "2024-07-22", "reason": "本月已安排活动日"}
    ]
    again = data(api(GENERATE, area=factories.TOWN_A["code"], year=2024, month=7))
    assert again["generateActivityDays"]["createdCount"] == 0
    # one entry for the run that scheduled a day, none for the one that scheduled nothing
    assert trail(city, f"area:{factories.TOWN_A['code']}") == [
        (AuditAction.ACTIVITY_DAYS_GENERATED, "token:organizer", "1 day(s) 2024-07")
    ]


def test_a_year_of_activity_days_for_a_station_skips_the_past(office: Callable[..., Api]) -> None:
    api = office(TODAY)
    result = data(api(GENERATE, station="ST-B", year=2024, topic="年度民生实事征集"))
    generated = result["generateActivityDays"]
    dates = [d["date"] for d in generated["created"]["nodes"]]
    # The 10th, moved to the next working day, from June (today is 3 June) to December.
    assert dates == [
        "2024-06-11",  # the 10th is the Dragon Boat Festival
        "2024-07-10",
        "2024-08-12",
        "2024-09-10",
        "2024-10-10",
        "2024-11-11",
        "2024-12-10",
    ]
    assert generated["skippedCount"] == 5
    assert {s["reason"] for s in generated["skipped"]["nodes"]} == {"已过期（活动日须在今天之后）"}


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"year": 2024}, "BAD_USER_INPUT"),
        ({"year": 2024, "station": "ST-A", "area": factories.TOWN_A["code"]}, "BAD_USER_INPUT"),
        ({"year": 2024, "month": 13, "station": "ST-A"}, "BAD_USER_INPUT"),
        ({"year": 2099, "station": "ST-A"}, "BAD_USER_INPUT"),
        ({"year": 2024, "area": "321399000000"}, "NOT_FOUND"),
        ({"year": 2024, "area": "3213"}, "BAD_USER_INPUT"),
    ],
    ids=["no-place", "two-places", "month-13", "unknown-calendar", "empty-area", "bad-code"],
)
def test_generation_refusals(
    office: Callable[..., Api], variables: dict[str, Any], code: str
) -> None:
    assert error_of(office(TODAY)(GENERATE, **variables))[0] == code


SUBMIT = """
mutation($station: ID!, $village: String!, $activity: ID) {
  submitStationIssue(stationId: $station, villageCode: $village, title: "村口路灯坏了三个月",
    body: "村口主干道的路灯已经坏了三个月，晚上出行很不安全。", category: "基础设施",
    activityId: $activity) {
    submission { issueId status trackerCount trackingCode }
    station { id } activityDay { id date }
  }
}"""


def test_an_opinion_received_during_an_activity_day(
    office: Callable[..., Api], city: Database
) -> None:
    day = data(schedule(office(TODAY)))["scheduleActivityDay"]
    on_the_day = office(dt.date(2024, 6, 17))
    taken = data(on_the_day(SUBMIT, station="ST-A", village=factories.VILLAGE_A["code"]))
    result = taken["submitStationIssue"]
    assert result["station"] == {"id": "ST-A"}
    assert result["activityDay"] == {"id": day["id"], "date": DAY}
    assert result["submission"]["status"] == "DISPATCHED"
    assert result["submission"]["trackerCount"] == 3  # T1, C1, Y1 contact village A
    record = city.execute(
        "MATCH (i:Issue {id: $id}) RETURN i.channel AS channel, "
        "[(i)-[:RECEIVED_AT]->(s) | s.id] AS stations, [(i)-[:DURING]->(a) | a.id] AS days",
        {"id": result["submission"]["issueId"]},
    )[0]
    assert (record["channel"], record["stations"], record["days"]) == (
        "STATION",
        ["ST-A"],
        [day["id"]],
    )
    issues = on_the_day('{ station(id: "ST-A") { issues { totalCount nodes { id channel } } } }')
    assert data(issues)["station"]["issues"] == {
        "totalCount": 1,
        "nodes": [{"id": result["submission"]["issueId"], "channel": "STATION"}],
    }
    another_day = data(office(TODAY)(SUBMIT, station="PT-A", village=factories.VILLAGE_A["code"]))
    assert another_day["submitStationIssue"]["activityDay"] is None


@pytest.mark.parametrize(
    ("variables", "code", "words"),
    [
        ({"station": "ST-A", "village": factories.VILLAGE_B["code"]}, "RULE_VIOLATION",
         "station-issue-in-area"),
        ({"station": "ST-Z", "village": factories.VILLAGE_A["code"]}, "NOT_FOUND", "ST-Z"),
        ({"station": "ST-A", "village": "12"}, "BAD_USER_INPUT", "12位数字"),
        ({"station": "ST-A", "village": factories.VILLAGE_A["code"], "activity": "AD-none"},
         "NOT_FOUND", "AD-none"),
    ],
    ids=["village-of-another-township", "unknown-station", "bad-village-code", "unknown-day"],
)  # fmt: skip
def test_station_opinion_refusals(
    office: Callable[..., Api], city: Database, variables: dict[str, Any], code: str, words: str
) -> None:
    refused = error_of(office(TODAY)(SUBMIT, **variables))
    assert refused[0] == code and words in refused[1], refused
    assert city.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"] == 0
