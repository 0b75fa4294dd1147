"""In headless Chromium on a phone-sized screen: a deputy's page (/d/) with its opinion form,
a retired code, and a report-back ballot (/e/) voted once. Screenshots go to
``test-artifacts/records/``."""

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
from graphcoord.auth import Principal
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import deputy_pages, report_backs
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import free_port
from tests.test_citizen_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "records"
ORGANIZER = Principal(role="organizer")


@pytest.fixture
def server(settings: Settings, db: Database) -> Iterator[tuple[str, Settings]]:
    """The real app served by uvicorn in a background thread, on the small station city."""
    write_dataset(db, factories.station_city())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app_settings = settings.with_(rate_limit_per_minute=100, public_base_url=base)
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
    yield base, app_settings
    server.should_exit = True
    thread.join(timeout=10)
    server_db.close()


def test_a_citizen_on_the_deputy_page_and_a_voter_on_a_ballot(
    server: tuple[str, Settings], db: Database
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it as root)")
    from playwright.sync_api import expect, sync_playwright

    base, _ = server
    code = deputy_pages.code_of(db, "T1").code
    meeting = report_backs.schedule_report_back(
        db,
        ORGANIZER,
        deputy_id="T1",
        date=dt.date(2024, 12, 20),
        constituency_code=factories.TOWN_A["code"],
    )
    (ballot,) = report_backs.issue_ballots(db, ORGANIZER, meeting.id, 1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN"
        )
        page = context.new_page()
        page.goto(f"{base}/d/{code}")
        expect(page.locator("#deputy-name")).to_have_text("唐一")
        expect(page.locator("#villages")).to_contain_text("甲村")
        assert "13800000000" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "1-deputy-page.png"), full_page=True)

        page.fill("#title", "路灯")
        page.click("#submit")
        expect(page.locator("#form-errors")).to_contain_text("标题至少需要4个字")
        page.fill("#title", "村口路灯坏了三个月")
        page.select_option("#category", "基础设施")
        page.fill("#body", "村口主干道的路灯已经坏了三个月，晚上出行很不安全，希望尽快修好。")
        page.click("#submit")
        page.wait_for_url(re.compile(r".*/t/SHS-[0-9A-Z]{10}\?new=1$"))
        page.screenshot(path=str(ARTIFACTS / "2-opinion-submitted.png"), full_page=True)
        tracking = page.locator("#tracking-code").inner_text().strip()
        (row,) = db.execute(
            "MATCH (i:Issue {trackingCode: $c}) RETURN i.firstDeputy AS first", {"c": tracking}
        )
        assert row["first"] == "T1"

        new = deputy_pages.reissue_code(db, "T1").code
        page.goto(f"{base}/d/{code}")
        expect(page.locator("#message h1")).to_have_text("此二维码已停用")
        page.screenshot(path=str(ARTIFACTS / "3-retired-code.png"), full_page=True)
        page.goto(f"{base}/d/{new}")
        expect(page.locator("#deputy-name")).to_have_text("唐一")

        page.goto(f"{base}/e/{ballot}")
        expect(page.locator("#deputy-name")).to_have_text("唐一")
        page.screenshot(path=str(ARTIFACTS / "4-ballot.png"), full_page=True)
        page.check("#choice-BASICALLY_SATISFIED")
        page.fill("#comment", "希望多到村里听取意见")
        page.click("#submit")
        expect(page.locator("#message h1")).to_have_text("投票成功")
        page.screenshot(path=str(ARTIFACTS / "5-voted.png"), full_page=True)
        page.goto(f"{base}/e/{ballot}")
        expect(page.locator("#message h1")).to_have_text("此选票已使用")
        page.screenshot(path=str(ARTIFACTS / "6-ballot-used.png"), full_page=True)
        browser.close()
    counts = report_backs.get_meeting(db, meeting.id)
    assert (counts.satisfied, counts.basically_satisfied, counts.dissatisfied) == (0, 1, 0)
