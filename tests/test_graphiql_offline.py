"""GraphiQL from the project's own files (issue 21, item 6): Chromium opens ``/graphql`` with
every request that would leave the machine refused, GraphiQL renders and runs a query, and no
script breaks the page's Content-Security-Policy. Screenshot: test-artifacts/graphiql/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from tests.servers import served
from tests.test_citizen_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "graphiql"
LOCAL = {"127.0.0.1", "localhost", "::1"}


def test_graphiql_renders_with_the_network_cut(settings: Settings, db: Database) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it as root)")
    from playwright.sync_api import Route, expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    loaded: list[str] = []
    problems: list[str] = []

    def local_only(route: Route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOCAL:
            loaded.append(url)
            route.continue_()
        else:
            refused.append(url)
            route.abort("internetdisconnected")

    with served(create_app(settings, db)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", local_only)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{base}/graphql", wait_until="networkidle")
        expect(page.locator(".graphiql-container")).to_be_visible(timeout=20000)
        expect(page.locator(".graphiql-query-editor")).to_be_visible()
        page.locator(".graphiql-execute-button").click()
        expect(page.locator(".graphiql-response")).to_contain_text('"__typename": "Query"')
        page.screenshot(path=str(ARTIFACTS / "offline.png"))
        browser.close()
    assert refused == [], refused
    assert any(url.endswith("/static/graphiql/graphiql.min.js") for url in loaded)
    assert [p for p in problems if "Content Security Policy" in p] == []
    assert problems == [], problems
