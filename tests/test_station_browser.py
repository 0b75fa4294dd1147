"""A station's page in headless Chromium, on a phone-sized screen: the notice and the deputies
on duty, an opinion sent from the form during the activity day, the way to the point's page.
Screenshots go to ``test-artifacts/stations/``."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import stations
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import free_port
from tests.test_citizen_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "stations"
DAY = dt.date(2024, 6, 17)


@pytest.fixture
def server(settings: Settings, db: Database) -> Iterator[str]:
    """The real app served by uvicorn on the small station city, on its activity day."""
    write_dataset(db, factories.station_city())
    stations.schedule_activity_day(
        db, "ST-A", DAY, "农村饮水安全", ["T1", "C1"], today=dt.date(2024, 6, 3)
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app_settings = settings.with_(rate_limit_per_minute=100, public_base_url=base, today=DAY)
    server_db = Database(app_settings)
    config = uvicorn.Config(
        create_app(app_settings, server_db), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)
    server_db.close()


def test_a_citizen_reads_the_notice_and_sends_an_opinion_at_the_station(
    server: str, db: Database
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it as root)")
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            locale="zh-CN",
            java_script_enabled=False,  # the page needs none
        )
        page = context.new_page()
        page.goto(f"{server}/s/ST-A")
        expect(page.locator("#station-name")).to_have_text("甲镇人大代表联络站")
        expect(page.locator("#next-date")).to_have_text("2024年6月17日（星期一）")
        expect(page.locator("#next-day")).to_contain_text("今天")
        expect(page.locator("#next-topic")).to_have_text("农村饮水安全")
        expect(page.locator("#notice")).to_contain_text("欢迎选民群众前来反映意见建议")
        duty = page.locator("#duty li")
        expect(duty).to_have_count(2)
        expect(duty.nth(0)).to_contain_text("程一")  # the county deputy first
        expect(duty.nth(0)).to_contain_text("县（区）人大代表")
        expect(duty.nth(1)).to_contain_text("唐一")
        expect(duty.nth(1)).to_contain_text("乡镇（街道）人大代表 · 甲镇农技站")
        assert "13800000000" not in page.content() and "13912345678" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "1-station.png"), full_page=True)

        page.fill("#title", "水")
        page.click("#submit")
        expect(page.locator("#form-errors")).to_contain_text("标题至少需要4个字")
        expect(page.locator("#title")).to_have_value("水")
        page.screenshot(path=str(ARTIFACTS / "2-validation.png"), full_page=True)

        page.select_option("#village", factories.VILLAGE_A["code"])
        page.fill("#title", "自来水水压不足")
        page.select_option("#category", "饮水安全")
        page.fill("#body", "村里地势高的几户自来水水压不足，早晚用水高峰时基本没水。")
        page.fill("#contact", "13700002222")
        page.click("#submit")
        page.wait_for_url(re.compile(r".*/t/SHS-[0-9A-Z]{10}\?new=1$"))
        code = page.locator("#tracking-code").inner_text().strip()
        expect(page.locator("#status")).to_have_text("已派单")
        assert "13700002222" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "3-submitted.png"), full_page=True)

        page.goto(f"{server}/s/ST-A")
        page.click("a[href='/s/PT-A']")
        expect(page.locator("#station-name")).to_have_text("甲村人大代表联络点")
        expect(page.locator("#parent a")).to_have_text("甲镇人大代表联络站")
        expect(page.locator("#no-next")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "4-point.png"), full_page=True)

        page.goto(f"{server}/s/ST-ZZ")
        expect(page.locator("#message h1")).to_have_text("没有找到这个页面")
        browser.close()
    record = db.execute(
        "MATCH (i:Issue {trackingCode: $code}) RETURN i.channel AS channel, "
        "[(i)-[:RECEIVED_AT]->(s) | s.id] AS stations, [(i)-[:DURING]->(a) | a.topic] AS days",
        {"code": code},
    )[0]
    assert (record["channel"], record["stations"], record["days"]) == (
        "STATION",
        ["ST-A"],
        ["农村饮水安全"],
    )
