"""End to end in headless Chromium: from a village's page to a tracked issue whose status a
deputy changes through GraphQL. Screenshots go to ``test-artifacts/citizen/``."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests.conftest import bearer, free_port
from tests.factories import VILLAGE_A
from tests.test_citizen_tracking import citizen_city

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "citizen"


@pytest.fixture
def server(settings: Settings, db: Database) -> Iterator[tuple[str, Settings]]:
    """The real app served by uvicorn in a background thread, on the small city."""
    write_dataset(db, citizen_city())
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


def test_citizen_goes_from_village_page_to_tracked_issue(
    server: tuple[str, Settings], db: Database
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it as root)")
    from playwright.sync_api import expect, sync_playwright

    base, app_settings = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN"
        )
        page = context.new_page()
        page.goto(f"{base}/v/{VILLAGE_A['code']}")
        expect(page.locator("#village-name")).to_have_text(VILLAGE_A["name"])
        deputies = page.locator("#deputies li")
        expect(deputies).to_have_count(4)
        for name in ("唐一", "程一", "杨一", "倪一"):
            expect(page.locator("#deputies")).to_contain_text(name)
        assert "13800000000" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "1-village.png"), full_page=True)

        # a server-side validation error first (the browser's own checks are off: novalidate)
        page.fill("#title", "路灯")
        page.click("#submit")
        expect(page.locator("#form-errors")).to_contain_text("标题至少需要4个字")
        expect(page.locator("#form-errors")).to_contain_text("请选择一个问题类别")
        expect(page.locator("#title")).to_have_value("路灯")
        page.screenshot(path=str(ARTIFACTS / "2-validation.png"), full_page=True)

        page.fill("#title", "村口路灯坏了三个月")
        page.select_option("#category", "基础设施")
        page.fill("#body", "村口主干道的路灯已经坏了三个月，晚上出行很不安全，希望尽快修好。")
        page.fill("#contact", "13700001111")
        page.click("#submit")
        page.wait_for_url(re.compile(r".*/t/SHS-[0-9A-Z]{10}\?new=1$"))
        code = page.locator("#tracking-code").inner_text().strip()
        assert re.fullmatch(r"SHS-[0-9A-Z]{10}", code)
        expect(page.locator("#status")).to_have_text("已派单")
        assert "13700001111" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "3-submitted.png"), full_page=True)

        issue_id = db.execute("MATCH (i:Issue {trackingCode: $c}) RETURN i.id AS id", {"c": code})[
            0
        ]["id"]
        response = httpx.post(
            f"{base}/graphql",
            json={
                "query": "mutation($id: ID!) { updateIssueStatus(issueId: $id, "
                'status: IN_PROGRESS, note: "内部：村支书电话已核实", '
                'publicNote: "已联系镇村两级，本周内维修") { status } }',
                "variables": {"id": issue_id},
            },
            headers=bearer(app_settings, "deputy", "T1"),
            timeout=30,
        )
        assert response.json() == {"data": {"updateIssueStatus": {"status": "IN_PROGRESS"}}}

        page.goto(f"{base}/t/{code}")
        expect(page.locator("#status")).to_have_text("办理中")
        history = page.locator("#history li")
        expect(history).to_have_count(3)
        expect(history.nth(2)).to_contain_text("已联系镇村两级，本周内维修")
        assert "唐一" not in page.locator("#history").inner_text()  # no names, no staff notes
        assert "村支书电话" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "4-tracking-in-progress.png"), full_page=True)

        page.goto(f"{base}/v/999999999999")
        expect(page.locator("#message h1")).to_have_text("没有找到这个页面")
        page.screenshot(path=str(ARTIFACTS / "5-not-found.png"), full_page=True)
        browser.close()
    assert db.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"] == 1
