"""Submissions never lost, never doubled (issue 21, item 4): idempotency keys on GraphQL and
the form, the tracking code once stored whatever fails after, the dispatch outbox retried by
the server's loop and the CLI, the 503 page that keeps the text, and the rate-limit keys."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from typing import Any, cast

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from graphcoord.services.tickets import Dispatch, LocalTicketGateway, TicketRequest
from graphcoord.web import csrf
from tests.conftest import data, free_port, graphql, run_cli
from tests.factories import VILLAGE_A
from tests.test_citizen_tracking import citizen_city
from tests.test_citizen_web import VALID, csrf_of, issue_count

SUBMIT = """mutation($key: String, $title: String!) {
  submitIssue(villageCode: "321302100201", title: $title, category: "基础设施",
              body: "村口主干道的路灯已经坏了三个月，晚上出行很不安全。", idempotencyKey: $key) {
    issueId trackingCode ticket status } }"""
KEY = "3f0c9a52-6d1e-4b8a-9a52-0c9a526d1e4b"


def tickets(db: Database) -> int:
    return int(db.execute("MATCH (t:Ticket) RETURN count(t) AS n")[0]["n"])


def status_of(db: Database, issue_id: str) -> str:
    return str(
        db.execute("MATCH (i:Issue {id: $id}) RETURN i.status AS s", {"id": issue_id})[0]["s"]
    )


class FlakyGateway(LocalTicketGateway):
    """12345 down until :attr:`up` is set."""

    name = "flaky"

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.up = False

    def issue_number(self, at: dt.datetime) -> str:
        if not self.up:
            raise ConnectionError("12345 platform unreachable")
        return super().issue_number(at)


class UnrecordableGateway(LocalTicketGateway):
    """Takes the ticket, but answers with a time the database cannot store: the write of
    DISPATCHED after it fails (a fault after the issue was stored)."""

    name = "unrecordable"

    def dispatch(self, ticket: str, request: TicketRequest, at: dt.datetime) -> Dispatch:
        done = super().dispatch(ticket, request, at)
        return Dispatch(done.ticket, cast(dt.datetime, object()), done.gateway)


@pytest.fixture
def city(db: Database) -> Database:
    write_dataset(db, citizen_city())
    return db


def api_with(settings: Settings, db: Database, **changes: Any) -> TestClient:
    gateway = changes.pop("gateway", None)
    app = create_app(settings.with_(rate_limit_per_minute=1000, **changes), db, gateway=gateway)
    return TestClient(app, follow_redirects=False)


def test_twelve_identical_submissions_with_one_key_make_one_issue(
    settings: Settings, city: Database
) -> None:
    with api_with(settings, city) as api:
        answers = [
            data(graphql(api, SUBMIT, {"key": KEY, "title": "村口路灯坏了三个月"}))
            for _ in range(12)
        ]
    results = [answer["submitIssue"] for answer in answers]
    assert len({r["trackingCode"] for r in results}) == 1
    assert len({r["issueId"] for r in results}) == 1
    assert issue_count(city) == 1 and tickets(city) == 1
    assert results[-1]["status"] == "DISPATCHED"


def test_a_key_reused_with_other_texts_is_refused(settings: Settings, city: Database) -> None:
    with api_with(settings, city) as api:
        data(graphql(api, SUBMIT, {"key": KEY, "title": "村口路灯坏了三个月"}))
        body = graphql(api, SUBMIT, {"key": KEY, "title": "另一条完全不同的意见"})
        bad = graphql(api, SUBMIT, {"key": "short", "title": "村口路灯坏了三个月"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "different submission" in body["errors"][0]["message"]
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert issue_count(city) == 1


def test_a_double_clicked_form_makes_one_issue(settings: Settings, city: Database) -> None:
    with api_with(settings, city) as web:
        page = web.get(f"/v/{VILLAGE_A['code']}").text
        key = re.search(r'name="submission_key" value="([^"]+)"', page)
        assert key is not None
        form = {**VALID, "csrf": csrf_of(page), "submission_key": key.group(1)}
        first = web.post(f"/v/{VILLAGE_A['code']}", data=form)
        second = web.post(f"/v/{VILLAGE_A['code']}", data=form)
        fresh = web.get(f"/v/{VILLAGE_A['code']}").text
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert issue_count(city) == 1 and tickets(city) == 1
    assert key.group(1) not in fresh  # every page load carries a new key


def test_a_fault_after_storing_still_gives_the_tracking_code(
    settings: Settings, city: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING, "graphcoord.services.issues"),
        api_with(settings, city, gateway=UnrecordableGateway(city)) as api,
    ):
        body = graphql(api, SUBMIT, {"key": KEY, "title": "村口路灯坏了三个月"})
    result = data(body)["submitIssue"]
    assert re.fullmatch(r"SHS-[0-9A-Z]{10}", result["trackingCode"])
    assert result["status"] == "RECEIVED" and result["ticket"] is None
    assert status_of(city, result["issueId"]) == "RECEIVED"
    assert any(
        result["issueId"] in record.getMessage() and "not recorded" in record.getMessage()
        for record in caplog.records
    )
    # The retry records the ticket 12345 gave; it does not ask for a second one.
    retried = run_cli(settings, "dispatch", "retry")
    assert retried.returncode == 0, retried.stderr
    assert "1 dispatched" in retried.stdout
    assert status_of(city, result["issueId"]) == "DISPATCHED"
    assert tickets(city) == 1


def test_gateway_failures_are_logged_and_retried_by_the_cli(
    settings: Settings, city: Database, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = FlakyGateway(city)
    with (
        caplog.at_level(logging.WARNING, "graphcoord.services.issues"),
        api_with(settings, city, gateway=gateway) as api,
    ):
        result = data(graphql(api, SUBMIT, {"key": KEY, "title": "村口路灯坏了三个月"}))
    issue = result["submitIssue"]
    assert issue["status"] == "RECEIVED"
    assert any(
        issue["issueId"] in record.getMessage() and "will be retried" in record.getMessage()
        for record in caplog.records
    )
    retried = run_cli(settings, "dispatch", "retry")
    assert retried.returncode == 0, retried.stderr
    assert "1 issue(s) waiting: 1 dispatched" in retried.stdout
    assert status_of(city, issue["issueId"]) == "DISPATCHED"
    again = run_cli(settings, "dispatch", "retry")
    assert "0 issue(s) waiting" in again.stdout


def test_the_servers_retry_loop_dispatches_the_outbox(settings: Settings, city: Database) -> None:
    gateway = FlakyGateway(city)
    with api_with(settings, city, gateway=gateway, dispatch_retry_seconds=0.3) as api:
        issue = data(graphql(api, SUBMIT, {"key": KEY, "title": "村口路灯坏了三个月"}))[
            "submitIssue"
        ]
        assert issue["status"] == "RECEIVED"
        gateway.up = True
        deadline = time.monotonic() + 20
        while status_of(city, issue["issueId"]) != "DISPATCHED":
            assert time.monotonic() < deadline, "the retry loop did not dispatch the issue"
            time.sleep(0.2)
    assert tickets(city) == 1


def test_a_restart_resumes_the_outbox(settings: Settings, city: Database) -> None:
    """Issues stored by a server that stopped before dispatching are found by the next one."""
    with api_with(settings, city, gateway=FlakyGateway(city)) as api:
        issue = data(graphql(api, SUBMIT, {"key": KEY, "title": "村口路灯坏了三个月"}))[
            "submitIssue"
        ]
    with api_with(settings, city, dispatch_retry_seconds=0.3):
        deadline = time.monotonic() + 20
        while status_of(city, issue["issueId"]) != "DISPATCHED":
            assert time.monotonic() < deadline
            time.sleep(0.2)


def test_the_503_page_keeps_what_was_typed(settings: Settings, city: Database) -> None:
    down = Database(
        settings.with_(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="x" * 8)
    )
    token = csrf.issue_token(settings.signing_secret)
    typed = {**VALID, "title": "楼道灯不亮请修理", "csrf": token, "submission_key": KEY}
    with TestClient(create_app(settings, down), follow_redirects=False) as web:
        web.cookies.set(csrf.COOKIE, token)
        response = web.post(f"/v/{VILLAGE_A['code']}", data=typed)
    down.close()
    assert response.status_code == 503
    html = response.text
    assert "意见尚未提交" in html
    assert 'value="楼道灯不亮请修理"' in html and VALID["body"] in html
    assert 'value="13700001111"' in html  # the contact the citizen typed, shown back to them
    assert f'name="submission_key" value="{KEY}"' in html
    assert "selected" in html and VALID["category"] in html


def _submit_from(api: TestClient, title: str, **headers: str) -> str | None:
    body = graphql(api, SUBMIT, {"title": title}, headers=headers)
    errors = body.get("errors")
    return str(errors[0]["extensions"]["code"]) if errors else None


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        # an untrusted peer's X-Forwarded-For is ignored: one window for every spoofed address
        (
            (),
            "198.51.100.7",
            ["203.0.113.1", "203.0.113.2", "203.0.113.3"],
            [None, None, "RATE_LIMITED"],
        ),
        # behind a trusted proxy each forwarded client has its own window
        (
            ("10.0.0.0/8",),
            "10.0.0.1",
            ["203.0.113.1", "203.0.113.2", "203.0.113.3"],
            [None, None, None],
        ),
        # IPv6: one /64 is one client
        ((), "2001:db8:1:2::5", [], [None, None, "RATE_LIMITED"]),
    ],
    ids=["spoofed-forwarded-for", "trusted-proxy", "ipv6-same-64"],
)
def test_rate_limit_keys(
    settings: Settings,
    city: Database,
    trusted: tuple[str, ...],
    peer: str,
    forwarded: list[str],
    expected: list[str | None],
) -> None:
    app = create_app(settings.with_(rate_limit_per_minute=2, trusted_proxies=trusted), city)
    got = []
    with TestClient(app, client=(peer, 5000)) as api:
        for n, _ in enumerate(expected):
            headers = {"x-forwarded-for": forwarded[n]} if forwarded else {}
            got.append(_submit_from(api, f"第{n}条：村口路灯坏了", **headers))
    assert got == expected
    if peer.startswith("2001"):
        with TestClient(app, client=("2001:db8:1:2::9", 5000)) as same_64:
            assert _submit_from(same_64, "同一网段：村口路灯坏了") == "RATE_LIMITED"
        with TestClient(app, client=("2001:db8:1:3::1", 5000)) as other_64:
            assert _submit_from(other_64, "另一网段：村口路灯坏了") is None


def test_a_village_has_a_cap_whatever_the_address(settings: Settings, city: Database) -> None:
    app = create_app(settings.with_(village_rate_limit_per_hour=3), city)
    codes = []
    for n in range(4):
        with TestClient(app, client=(f"203.0.113.{n + 1}", 5000)) as api:
            codes.append(_submit_from(api, f"第{n}条：村口路灯坏了"))
    assert codes == [None, None, None, "RATE_LIMITED"]
    with TestClient(app, client=("203.0.113.9", 5000), follow_redirects=False) as web:
        page = web.get(f"/v/{VILLAGE_A['code']}").text
        refused = web.post(f"/v/{VILLAGE_A['code']}", data={**VALID, "csrf": csrf_of(page)})
    assert refused.status_code == 429
    assert "本村（社区）每小时最多接收3条网上意见" in refused.text
    assert issue_count(city) == 3
