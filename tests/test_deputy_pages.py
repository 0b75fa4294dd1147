"""A deputy's public code and page (``/d/{code}``) over HTTP and GraphQL: public facts without
phones, unknown and retired codes, the opinion form tracked by the deputy first (and its
validation, CSRF and village check), codes per area."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import stations
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import bearer, data, graphql
from tests.test_citizen_web import VALID, csrf_of

TODAY = dt.date(2024, 6, 3)
DAY = dt.date(2024, 6, 17)
PHONES = ("13800000000", "13912345678")

CODE = "mutation($d: ID!) { deputyCode(deputyId: $d) { code pageUrl retired } }"
REISSUE = "mutation($d: ID!) { reissueDeputyCode(deputyId: $d) { code pageUrl retired } }"


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    write_dataset(db, factories.station_city())
    stations.schedule_activity_day(db, "ST-A", DAY, "农村饮水安全", ["T1", "C1"], today=TODAY)
    app_settings = settings.with_(today=TODAY, rate_limit_per_minute=1000)
    with TestClient(create_app(app_settings, db), follow_redirects=False) as client:
        yield client


def code_of(api: TestClient, settings: Settings, deputy_id: str) -> str:
    answer = data(graphql(api, CODE, {"d": deputy_id}, bearer(settings, "organizer")))
    code: str = answer["deputyCode"]["code"]
    return code


def test_the_page_shows_public_facts_without_phones(api: TestClient, settings: Settings) -> None:
    code = code_of(api, settings, "T1")
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", code) and "T1" not in code
    assert code_of(api, settings, "T1") == code  # asked again: the same code
    page = api.get(f"/d/{code}")
    assert page.status_code == 200, page.text
    html = page.text
    assert '<h1 id="deputy-name">唐一</h1>' in html
    assert "乡镇（街道）人大代表" in html and "工作单位：甲镇农技站" in html
    assert "选区（选举单位）：甲镇" in html
    assert 'href="/s/ST-A"' in html  # where they receive voters
    assert "甲镇甲村" in html  # the village they cover
    assert '<strong id="duty-date">2024年6月17日（星期一）</strong>' in html
    assert "农村饮水安全" in html
    assert not [phone for phone in PHONES if phone in html]
    assert "T1" not in html  # not the internal id either
    assert re.findall(r'<option value="(\d{12})"', html) == [factories.VILLAGE_A["code"]]


def test_an_opinion_from_the_page_is_tracked_by_that_deputy_first(
    api: TestClient, settings: Settings, db: Database
) -> None:
    code = code_of(api, settings, "T1")
    page = api.get(f"/d/{code}")
    form = {**VALID, "village": factories.VILLAGE_A["code"], "csrf": csrf_of(page.text)}
    response = api.post(f"/d/{code}", data=form)
    assert response.status_code == 303, response.text
    tracking = re.fullmatch(r"/t/(SHS-[0-9A-Z]{10})\?new=1", response.headers["location"])
    assert tracking
    (row,) = db.execute(
        "MATCH (i:Issue {trackingCode: $c}) RETURN i.firstDeputy AS first, i.channel AS channel, "
        "[(d)-[t:TRACKS]->(i) WHERE t.first | d.id] AS firsts, "
        "[(d)-[:TRACKS]->(i) | d.id] AS trackers, i.ticket AS ticket",
        {"c": tracking.group(1)},
    )
    assert row["first"] == "T1" and row["firsts"] == ["T1"] and row["channel"] == "QR"
    assert sorted(row["trackers"]) == ["C1", "T1", "Y1"]  # then the village's deputies
    assert row["ticket"]  # dispatched to 12345 like any opinion


def test_a_deputy_without_villages_gets_no_form_and_a_foreign_village_is_refused(
    api: TestClient, settings: Settings
) -> None:
    code = code_of(api, settings, "N1")
    html = api.get(f"/d/{code}").text
    assert 'id="no-form"' in html and '<form method="post"' not in html
    t1 = code_of(api, settings, "T1")
    page = api.get(f"/d/{t1}")
    form = {**VALID, "village": factories.VILLAGE_B["code"], "csrf": csrf_of(page.text)}
    response = api.post(f"/d/{t1}", data=form)
    assert response.status_code == 400
    assert "请选择这位代表联系的村（社区）" in response.text


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"title": ""}, 400, "标题"),
        ({"csrf": "forged"}, 403, "页面已过期"),
    ],
    ids=["empty-title", "bad-csrf"],
)
def test_the_form_refuses_bad_input(
    api: TestClient, settings: Settings, change: dict[str, str], status: int, text: str
) -> None:
    code = code_of(api, settings, "T1")
    page = api.get(f"/d/{code}")
    form = {**VALID, "village": factories.VILLAGE_A["code"], "csrf": csrf_of(page.text), **change}
    response = api.post(f"/d/{code}", data=form)
    assert response.status_code == status and text in response.text


def test_a_reissued_code_retires_the_old_one(api: TestClient, settings: Settings) -> None:
    old = code_of(api, settings, "T1")
    answer = data(graphql(api, REISSUE, {"d": "T1"}, bearer(settings, "organizer")))
    new = answer["reissueDeputyCode"]
    assert new["code"] != old and new["retired"] == [old]
    assert new["pageUrl"].endswith(f"/d/{new['code']}")
    gone = api.get(f"/d/{old}")
    assert gone.status_code == 410 and "此二维码已停用" in gone.text
    page = api.get(f"/d/{old}")
    assert "唐一" not in page.text
    assert api.get(f"/d/{new['code']}").status_code == 200
    # posting to the retired code is refused the same way
    form = {**VALID, "village": factories.VILLAGE_A["code"], "csrf": "x"}
    assert api.post(f"/d/{old}", data=form).status_code in (403, 410)


@pytest.mark.parametrize("code", ["abcdefghijkl", "short", "T1"], ids=["unknown", "short", "id"])
def test_an_unknown_code_is_a_friendly_404(api: TestClient, code: str) -> None:
    page = api.get(f"/d/{code}")
    assert page.status_code == 404 and "没有找到这位人大代表的页面" in page.text


@pytest.mark.parametrize(
    ("role", "deputy", "code"),
    [
        ("deputy", "T1", "FORBIDDEN"),
        ("planner", "T1", "FORBIDDEN"),
        ("organizer", "NOPE", "NOT_FOUND"),
        ("organizer", "L1", "RULE_VIOLATION"),
    ],
    ids=["deputy", "planner", "unknown-deputy", "left"],
)
def test_codes_are_issued_by_organizers_to_active_deputies(
    api: TestClient, settings: Settings, role: str, deputy: str, code: str
) -> None:
    headers = bearer(settings, role, deputy_id="T1" if role == "deputy" else None)
    body: dict[str, Any] = graphql(api, CODE, {"d": deputy}, headers)
    assert body["errors"][0]["extensions"]["code"] == code
