"""The public pages over HTTP: village page, form, validation, CSRF, rate limit, tracking, 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests.factories import TOWN_A, VILLAGE_A, VILLAGE_B
from tests.test_citizen_tracking import citizen_city

VALID = {
    "title": "村口路灯坏了三个月",
    "category": "基础设施",
    "body": "村口主干道的路灯已经坏了三个月，晚上出行很不安全，希望尽快修好。",
    "contact": "13700001111",
}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the form has no CSRF field"
    return match.group(1)


def issue_count(db: Database) -> int:
    return int(db.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"])


@pytest.fixture
def web(settings: Settings, db: Database) -> Iterator[TestClient]:
    """The app on the small city, with a fresh, generous rate limit."""
    write_dataset(db, citizen_city())
    app = create_app(settings.with_(rate_limit_per_minute=1000), db)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def post_form(client: TestClient, code: str = VILLAGE_A["code"], **changes: str) -> Any:
    page = client.get(f"/v/{code}")
    return client.post(f"/v/{code}", data={**VALID, "csrf": csrf_of(page.text), **changes})


def test_village_page_lists_deputies_by_level_without_phones(web: TestClient) -> None:
    page = web.get(f"/v/{VILLAGE_A['code']}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert VILLAGE_A["name"] in html and TOWN_A["name"] in html
    for name in ("唐一", "程一", "杨一", "倪一"):
        assert name in html
    assert "离任" not in html  # deputies who left are not shown
    assert "甲镇农技站" in html
    order = [html.index(label) for label in ("全国人大代表", "市人大代表", "县（区）人大代表")]
    assert order == sorted(order)
    assert "13800000000" not in html and "13912345678" not in html
    assert 'name="csrf"' in html and "gc_csrf" in page.headers["set-cookie"]
    assert "httponly" in page.headers["set-cookie"].lower()


def test_village_without_deputies_still_takes_opinions(web: TestClient) -> None:
    page = web.get(f"/v/{VILLAGE_B['code']}")
    assert page.status_code == 200 and "暂无代表联系" in page.text


@pytest.mark.parametrize(
    "path",
    ["/v/321302999999", f"/v/{TOWN_A['code']}", "/v/abc", "/t/SHS-ZZZZZZZZZZ", "/t/xyz"],
    ids=["unknown-village", "township", "garbage", "unknown-code", "bad-code"],
)
def test_friendly_404(web: TestClient, path: str) -> None:
    page = web.get(path)
    assert page.status_code == 404
    assert "没有找到" in page.text and "<html" in page.text


def test_submit_redirects_to_tracking_page(web: TestClient, db: Database) -> None:
    response = post_form(web)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    match = re.fullmatch(r"/t/(SHS-[0-9A-Z]{10})\?new=1", location)
    assert match
    page = web.get(location)
    assert page.status_code == 200
    assert "提交成功" in page.text and match.group(1) in page.text
    assert "已派单" in page.text and "12345-" in page.text
    assert "13700001111" not in page.text  # the citizen's contact stays private
    assert issue_count(db) == 1
    stored = db.execute("MATCH (i:Issue) RETURN i.channel AS c, i.contact AS contact")[0]
    assert (stored["c"], stored["contact"]) == ("QR", "13700001111")
    lookup = web.get("/t", params={"code": match.group(1).lower()})
    assert lookup.status_code == 303 and lookup.headers["location"] == f"/t/{match.group(1)}"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写标题"),
        ({"body": "太短了"}, "内容至少需要10个字"),
        ({"body": "长" * 2001}, "内容不能超过2000个字"),
        ({"category": "不存在"}, "请选择一个问题类别"),
        ({"contact": "9" * 61}, "联系方式不能超过60个字"),
    ],
    ids=["no-title", "short-body", "long-body", "bad-category", "long-contact"],
)
def test_validation_errors_reshow_the_form(
    web: TestClient, db: Database, changes: dict[str, str], message: str
) -> None:
    response = post_form(web, **changes)
    assert response.status_code == 400
    assert message in response.text and "提交未成功" in response.text
    assert 'id="form-errors"' in response.text
    assert issue_count(db) == 0


def test_user_input_is_escaped(web: TestClient) -> None:
    evil = "<script>alert(1)</script>"
    shown = post_form(web, title=evil, body="短")
    assert shown.status_code == 400
    assert evil not in shown.text and "&lt;script&gt;" in shown.text
    created = post_form(web, title=evil + "路灯", body=evil + "，路灯坏了很久了，请尽快修理。")
    page = web.get(created.headers["location"])
    assert evil not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;路灯" in page.text


@pytest.mark.parametrize("case", ["missing", "mismatch", "forged"])
def test_csrf_refusals(web: TestClient, db: Database, case: str) -> None:
    page = web.get(f"/v/{VILLAGE_A['code']}")
    token = csrf_of(page.text)
    nonce, issued, _ = token.split(".")
    field = {
        "missing": "",
        "mismatch": token[:-1] + ("0" if token[-1] != "0" else "1"),
        "forged": f"{nonce}.{issued}.{'0' * 64}",
    }[case]
    if case == "forged":
        web.cookies.set("gc_csrf", field)
    response = web.post(f"/v/{VILLAGE_A['code']}", data={**VALID, "csrf": field})
    assert response.status_code == 403
    assert "页面已过期" in response.text
    assert issue_count(db) == 0


def test_rate_limit_refuses_a_flood_and_loses_nothing(settings: Settings, db: Database) -> None:
    write_dataset(db, citizen_city())
    limit, sent = 5, 12
    app = create_app(settings.with_(rate_limit_per_minute=limit), db)
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client.get(f"/v/{VILLAGE_A['code']}").text)
        statuses, codes = [], []
        for n in range(sent):
            response = client.post(
                f"/v/{VILLAGE_A['code']}",
                data={**VALID, "title": f"第{n}条意见：路灯", "csrf": token},
            )
            statuses.append(response.status_code)
            if response.status_code == 303:
                codes.append(response.headers["location"].split("/")[2].split("?")[0])
            else:
                assert response.status_code == 429
                assert "提交过于频繁" in response.text
                assert int(response.headers["retry-after"]) >= 1
    assert statuses == [303] * limit + [429] * (sent - limit)
    stored = db.execute("MATCH (i:Issue) RETURN collect(i.trackingCode) AS codes")[0]["codes"]
    assert sorted(stored) == sorted(codes) and len(stored) == limit


def test_every_covering_deputys_phone_is_absent_on_seeded_city(
    settings: Settings, suqian_db: Database
) -> None:
    rows = suqian_db.execute(
        "MATCH (d:Deputy {status: 'ACTIVE'})-[:CONTACTS]->(v:Area) "
        "WITH v, collect(d) AS ds ORDER BY size(ds) DESC, v.code LIMIT 3 "
        "RETURN v.code AS code, [d IN ds | d.name] AS names, [d IN ds | d.phone] AS phones"
    )
    assert rows
    with TestClient(create_app(settings, suqian_db)) as client:
        for row in rows:
            html = client.get(f"/v/{row['code']}").text
            phones = [p for p in row["phones"] if p]
            assert phones, "the seed gives deputies phones"
            for phone in phones:
                assert phone not in html
                assert f"{phone[:3]}-{phone[3:7]}-{phone[7:]}" not in html
            for name in row["names"]:
                assert name in html
