"""A station's public page over HTTP: the notice and the duty roster without phones, the record,
the opinion form (routing, linking, validation, CSRF, rate limit) and friendly 404s."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import stations
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.test_citizen_web import VALID, csrf_of

TODAY = dt.date(2024, 6, 3)
DAY = dt.date(2024, 6, 17)
PHONES = ("13800000000", "13912345678")

Web = Callable[..., TestClient]


@pytest.fixture
def city(db: Database) -> Database:
    """The small station city with one activity day at ST-A on 17 June (T1 and C1 on duty)."""
    write_dataset(db, factories.station_city())
    stations.schedule_activity_day(db, "ST-A", DAY, "农村饮水安全", ["T1", "C1"], today=TODAY)
    return db


@pytest.fixture
def web(settings: Settings, city: Database) -> Iterator[Web]:
    """``web(today, **settings)``: a client of the app whose today is ``today``."""
    clients: list[TestClient] = []

    def at(today: dt.date = TODAY, **changes: Any) -> TestClient:
        app_settings = settings.with_(**{"today": today, "rate_limit_per_minute": 1000, **changes})
        client = TestClient(create_app(app_settings, city), follow_redirects=False)
        client.__enter__()
        clients.append(client)
        return client

    yield at
    for client in clients:
        client.__exit__(None, None, None)


def post(client: TestClient, station: str = "ST-A", **changes: str) -> Any:
    page = client.get(f"/s/{station}")
    form = {**VALID, "village": factories.VILLAGE_A["code"], "csrf": csrf_of(page.text)}
    return client.post(f"/s/{station}", data={**form, **changes})


def test_the_page_shows_the_notice_and_the_deputies_on_duty_without_phones(web: Web) -> None:
    page = web().get("/s/ST-A")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "甲镇人大代表联络站" in html and "人大代表联络站 · 甲镇" in html
    assert "每月15日为代表活动日" in html
    assert '<strong id="next-date">2024年6月17日（星期一）</strong>' in html
    assert '<strong id="next-topic">农村饮水安全</strong>' in html
    assert "甲镇人大代表联络站定于2024年6月17日开展代表活动日" in html  # the notice
    duty = re.search(r'<ul class="deputies" id="duty">(.*?)</ul>', html, re.S)
    assert duty is not None
    assert "唐一" in duty.group(1) and "乡镇（街道）人大代表 · 甲镇农技站" in duty.group(1)
    assert "程一" in duty.group(1) and "县（区）人大代表" in duty.group(1)
    assert "杨一" not in duty.group(1)  # not on duty
    assert not [phone for phone in PHONES if phone in html]
    villages = re.findall(r'<option value="(\d{12})"', html)
    assert villages == [factories.VILLAGE_A["code"]]  # the villages of township A only
    assert 'href="/s/PT-A"' in html  # its point
    assert "gc_csrf" in page.headers["set-cookie"] and page.headers["cache-control"] == "no-store"


def test_a_point_shows_its_station_and_its_village_first(web: Web) -> None:
    html = web().get("/s/PT-A").text
    assert "人大代表联络点 · 甲镇 甲村" in html and 'href="/s/ST-A"' in html
    assert re.search(r'<option value="321302100201" selected>', html)
    assert "近期暂无安排" in html


def test_past_days_show_their_attendance(web: Web, city: Database) -> None:
    day = city.execute("MATCH (:LiaisonStation {id: 'ST-A'})-[:HOLDS]->(a) RETURN a.id")[0][0]
    stations.record_attendance(city, day, ["T1", "C1", "Y1"], 17, today=DAY)
    html = web(dt.date(2024, 6, 20)).get("/s/ST-A").text
    past = re.search(r'<section class="card" id="past">(.*?)</section>', html, re.S)
    assert past is not None
    assert "2024年6月17日（星期一）" in past.group(
        1
    ) and "进站代表 3 人 · 接待选民 17 人" in past.group(1)
    assert "已开展代表活动日 1 次，代表进站 3 人次，接待选民 17 人次" in html
    assert "近期暂无安排" in html


def test_an_opinion_from_the_page_is_routed_and_linked_to_the_station(
    web: Web, city: Database
) -> None:
    response = post(web(DAY))  # on the activity day
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/t/(SHS-[0-9A-Z]{10})\?new=1", response.headers["location"])
    assert match
    record = city.execute(
        "MATCH (i:Issue {trackingCode: $code}) RETURN i.channel AS channel, i.status AS status, "
        "i.contact AS contact, [(i)-[:RECEIVED_AT]->(s) | s.id] AS stations, "
        "[(i)-[:DURING]->(a) | toString(a.date)] AS days, "
        "[(d:Deputy)-[:TRACKS]->(i) | d.id] AS trackers, [(i)-[:RAISED_IN]->(v) | v.code] AS at",
        {"code": match.group(1)},
    )[0]
    assert record["channel"] == "STATION" and record["status"] == "DISPATCHED"
    assert record["stations"] == ["ST-A"] and record["days"] == [DAY.isoformat()]
    assert sorted(record["trackers"]) == ["C1", "T1", "Y1"]
    assert record["at"] == [factories.VILLAGE_A["code"]] and record["contact"] == VALID["contact"]
    tracking = web(DAY).get(response.headers["location"])
    assert "提交成功" in tracking.text and VALID["contact"] not in tracking.text
    another = post(web(TODAY), station="PT-A")  # not an activity day of PT-A
    assert another.status_code == 303
    linked = city.execute(
        "MATCH (i:Issue)-[:RECEIVED_AT]->(:LiaisonStation {id: 'PT-A'}) "
        "RETURN count(i) AS n, sum(COUNT { (i)-[:DURING]->() }) AS during"
    )[0]
    assert (linked["n"], linked["during"]) == (1, 0)


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"village": factories.VILLAGE_B["code"]}, 400, "请选择本联络站（点）所在乡镇的村（社区）"),
        ({"village": ""}, 400, "请选择您所在的村（社区）"),
        ({"title": "路灯", "category": ""}, 400, "标题至少需要4个字"),
        ({"csrf": "forged"}, 403, "页面已过期"),
    ],
    ids=["village-of-another-township", "no-village", "bad-fields", "forged-csrf"],
)
def test_refused_submissions_store_nothing(
    web: Web, city: Database, changes: dict[str, str], status: int, words: str
) -> None:
    response = post(web(), **changes)
    assert response.status_code == status and words in response.text
    assert city.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"] == 0
    if status == 400 and "title" in changes:
        assert 'value="路灯"' in response.text  # the form comes back with its values


def test_the_form_is_rate_limited(web: Web, city: Database) -> None:
    client = web(rate_limit_per_minute=1)
    assert post(client).status_code == 303
    refused = post(client)
    assert refused.status_code == 429 and "提交过于频繁" in refused.text
    assert refused.headers["retry-after"]
    assert city.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"] == 1


@pytest.mark.parametrize("path", ["/s/ST-Z", "/s/%E7%AB%99"], ids=["unknown", "chinese"])
def test_unknown_station_is_a_friendly_404(web: Web, path: str) -> None:
    for response in (web().get(path), web().post(path, data={"csrf": "x"})):
        assert response.status_code in (403, 404)
    page = web().get(path)
    assert page.status_code == 404 and "没有找到" in page.text and "联络站" in page.text
