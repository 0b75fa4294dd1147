"""The office console in headless Chromium, role by role, on the seeded Suqian city.

A planner drills down to 沭阳县 (charts drawn), reads its fragile villages and applies a
suggested second deputy for one of them; an organizer reads the queue in three colours and
assigns an issue and changes its status; a deputy is refused the import page in Chinese; an
admin checks a messy roster (bad rows in Chinese, the error file downloaded), imports the good
rows and reads the import in the history and in the audit trail. Every request the
browser makes that does not go to the server is refused and counted (there must be none), and
with the network cut an action says so in Chinese. Screenshots go to
``test-artifacts/console/``."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import uvicorn

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.i18n import gettext
from graphcoord.model import AuditAction
from graphcoord.services import analysis, audit
from tests.conftest import free_port
from tests.test_citizen_browser import ARGS, CHROMIUM
from tests.test_console import PASSWORD, make_user
from tests.test_importer_messy import messy_workbook

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "console"
SHUYANG = "321322000000"  # 沭阳县


@dataclass
class Console:
    base: str
    browser: Browser
    #: Requests the browser tried to send to another host (refused).
    outside: list[str] = field(default_factory=list)

    def context(self) -> BrowserContext:
        """A fresh browser profile whose requests to any other host are refused."""
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        host = urlsplit(self.base).netloc

        def guard(route: Route) -> None:
            if urlsplit(route.request.url).netloc == host:
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort("blockedbyclient")

        context.route("**/*", guard)
        return context

    def sign_in(self, context: BrowserContext, username: str, shot: str | None = None) -> Page:
        from playwright.sync_api import expect

        page = context.new_page()
        page.goto(f"{self.base}/console/login")
        expect(page.locator("h1")).to_have_text("登录")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        if shot:
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        page.click("#sign-in")
        expect(page.locator("#who")).to_be_visible()
        return page


@pytest.fixture(scope="module")
def console(settings: Settings, suqian_db: Database) -> Iterator[Console]:
    """The real app served by uvicorn in a background thread over the seeded city, and
    Chromium; accounts of each role."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it as root)")
    from playwright.sync_api import sync_playwright

    for role in ("admin", "organizer", "planner", "deputy"):
        make_user(suqian_db, role)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app_settings = settings.with_(rate_limit_per_minute=1000, public_base_url=base)
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
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            found = Console(base, browser)
            yield found
            browser.close()
        assert found.outside == [], "the console asked for something outside the server"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        server_db.close()


def test_planner_opens_shuyang_and_applies_a_suggestion_for_a_fragile_village(
    console: Console, suqian_db: Database
) -> None:
    from playwright.sync_api import expect

    context = console.context()
    page = console.sign_in(context, "t-planner", shot="01-login.png")
    page.goto(f"{console.base}/console/coverage")
    # drill down from the top area (the province) to 沭阳县 by its links: 宿迁市, then 沭阳县
    for code in ("321300000000", SHUYANG):
        link = page.locator(f'#children a[href$="area={code}"]')
        if link.count():
            link.click()
            expect(page).to_have_url(re.compile(f"area={code}$"))
    expect(page.locator("#area-name")).to_contain_text("沭阳县")
    expect(page.locator("#chart-levels canvas")).to_have_count(1)  # ECharts drew it
    expect(page.locator("#chart-children canvas")).to_have_count(1)
    fragile = int(page.locator("#fragile-count").inner_text())
    assert fragile > 0
    expect(page.locator("#fragile li")).to_have_count(min(fragile, 300))
    page.screenshot(path=str(ARTIFACTS / "02-planner-coverage-shuyang.png"), full_page=True)

    fragile_villages = {v.code for v in analysis.gaps(suqian_db, SHUYANG).fragile}
    page.goto(f"{console.base}/console/suggestions?area={SHUYANG}&fragile=1")
    row = page.locator("#suggestions tbody tr", has=page.locator(".tag.warn")).first
    expect(row).to_be_visible()
    village = row.get_attribute("data-village")
    deputy = row.get_attribute("data-deputy")
    assert village and deputy
    assert village in fragile_villages
    row.locator(".apply-one").click()
    expect(row.locator(".applied")).to_have_text("已采纳")
    page.screenshot(path=str(ARTIFACTS / "03-planner-applied-suggestion.png"), full_page=True)
    linked = suqian_db.execute(
        "MATCH (:Deputy {id: $d})-[:CONTACTS]->(:Area {code: $v}) RETURN count(*) AS n",
        {"d": deputy, "v": village},
    )
    assert linked[0]["n"] == 1
    _total, events = audit.audit_page(suqian_db, skip=0, limit=5, actor="user:t-planner")
    assert any(e.action == AuditAction.CONTACT_ADDED and e.detail == village for e in events)

    # the network cut: the next action says so in Chinese instead of doing nothing
    context.set_offline(True)
    page.locator("#suggestions .apply-one").first.click()
    notice = page.locator("#connection-lost")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("无法连接服务器")
    page.screenshot(path=str(ARTIFACTS / "04-network-cut.png"), full_page=True)
    context.set_offline(False)
    context.close()


def test_organizer_reads_the_three_colours_and_handles_an_issue(console: Console) -> None:
    from playwright.sync_api import expect

    context = console.context()
    page = console.sign_in(context, "t-organizer")
    page.goto(f"{console.base}/console/issues?area={SHUYANG}")
    colours = page.locator("#colours a.colour")
    expect(colours).to_have_count(3)
    for css, name in (("RED", "红"), ("YELLOW", "黄"), ("GREEN", "绿")):
        expect(page.locator(f"#colours a.colour.{css}")).to_contain_text(name)
    expect(page.locator("#queue tbody tr").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "05-organizer-queue.png"), full_page=True)

    # an unfinished issue nobody handles yet: assign it, then move it on
    free = page.locator("#queue tbody tr", has_text="—").first
    free.locator("a").first.click()
    expect(page.locator("#assign-form")).to_be_visible()
    options = page.locator("#department option")
    assert options.count() > 1
    department = options.nth(1).inner_text()
    page.select_option("#department", index=1)
    page.click("#assign-form button")
    expect(page.locator("#done")).to_have_text("已保存。")
    expect(page.locator("#history")).to_contain_text(department)
    before = page.locator("#issue-status").inner_text()
    values = page.locator("#to option").evaluate_all("options => options.map(o => o.value)")
    to = next(v for v in ("IN_PROGRESS", "RESOLVED") if v in values)
    target_name = page.locator(f'#to option[value="{to}"]').inner_text()
    page.select_option("#to", to)
    page.fill("#note", "已与承办单位电话确认")
    page.click("#status-form button")
    expect(page.locator("#issue-status")).to_have_text(target_name)
    assert target_name != before
    expect(page.locator("#history")).to_contain_text("已与承办单位电话确认")
    page.screenshot(path=str(ARTIFACTS / "06-organizer-issue-handled.png"), full_page=True)
    context.close()


def test_deputy_is_refused_the_import_page_in_chinese(console: Console) -> None:
    from playwright.sync_api import expect

    context = console.context()
    page = console.sign_in(context, "t-deputy")
    expect(page.locator('#menu a[href="/console/imports"]')).to_have_count(0)
    response = page.goto(f"{console.base}/console/imports")
    assert response is not None and response.status == 403
    expect(page.locator("#problem")).to_have_attribute("data-code", "FORBIDDEN")
    expect(page.locator("h1")).to_have_text("操作未完成")
    page.screenshot(path=str(ARTIFACTS / "07-deputy-refused-imports.png"), full_page=True)
    context.close()


def test_admin_checks_a_messy_roster_and_imports_it(
    console: Console, suqian_db: Database, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    roster = tmp_path / "宿城区代表名单.xlsx"
    roster.write_bytes(messy_workbook())
    context = console.context()
    page = console.sign_in(context, "t-admin")
    page.goto(f"{console.base}/console/imports")
    page.set_input_files("#file", str(roster))
    page.select_option("#kind", "deputies")
    page.click("#check")
    expect(page.locator("#verdict")).to_contain_text("未写入")
    bad = page.locator("#bad-rows tbody tr")
    expect(bad).to_have_count(1)
    expect(bad.first).to_contain_text("代表名单（一）")
    expect(bad.first.locator(".reason")).to_contain_text("不是代表层级")
    expect(page.locator("#skipped")).to_contain_text("代表层级填写县或乡")
    page.screenshot(path=str(ARTIFACTS / "08-admin-roster-check.png"), full_page=True)
    with page.expect_download() as waiting:
        page.click("#errors-file")
    errors = Path(waiting.value.path()).read_bytes().decode("utf-8-sig")
    assert "代表层级" in errors and "不是代表层级" in errors
    ids = "MATCH (d:Deputy) WHERE d.id STARTS WITH 'M-' RETURN count(d) AS n"
    assert suqian_db.execute(ids)[0]["n"] == 0  # the check wrote nothing

    page.check("#allow-partial")
    page.click("#run")
    expect(page.locator("#job-status")).to_contain_text("新增3条", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "09-admin-roster-imported.png"), full_page=True)
    assert suqian_db.execute(ids)[0]["n"] == 3

    page.goto(f"{console.base}/console/imports")
    newest = page.locator("#history tbody tr").first
    expect(newest).to_contain_text("宿城区代表名单.xlsx")
    expect(newest).to_contain_text("已完成")
    expect(page.locator("#undo")).to_have_count(0)  # a finished run settled its rows
    page.screenshot(path=str(ARTIFACTS / "10-admin-import-history.png"), full_page=True)

    page.goto(f"{console.base}/console/audit")
    trail = page.locator("main table").first
    expect(trail).to_contain_text("user:t-admin")
    expect(trail).to_contain_text(gettext(AuditAction.IMPORTED))
    page.screenshot(path=str(ARTIFACTS / "11-admin-audit-trail.png"), full_page=True)
    context.close()


def test_nothing_was_asked_of_another_host(console: Console) -> None:
    """Every page above ran with requests to other hosts refused; a last walk over the pages
    with their charts and scripts, then none may have been tried."""
    from playwright.sync_api import expect

    context = console.context()
    page = console.sign_in(context, "t-admin")
    for path in (
        f"/console/coverage?area={SHUYANG}",
        f"/console/groups?area={SHUYANG}",
        f"/console/suggestions?area={SHUYANG}",
        "/console/issues",
        "/console/deputies",
        "/console/imports",
        "/console/audit",
    ):
        response = page.goto(console.base + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("#menu")).to_be_visible()
    context.close()
    assert console.outside == []
