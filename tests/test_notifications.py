"""The reminder outbox: produced once per due item and person, read by the people it is for, and
delivered to an office's webhook (signed, retried, given up after the last attempt)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import CHINA
from graphcoord.services import handling
from graphcoord.services import issues as tracking
from graphcoord.services.dataset import write_dataset
from graphcoord.services.notifications import (
    WebhookSender,
    deliver,
    enqueue,
    notification_page,
    sign,
)
from graphcoord.services.supervision import collect_reminders
from tests.conftest import bearer, data, graphql, run_cli
from tests.test_citizen_graphql import code_of
from tests.test_citizen_tracking import citizen_city
from tests.test_handling_graphql import DEPARTMENTS, new_issue

OFFICE = "organizer:321302000000"
TRACKERS = ["deputy:C1", "deputy:N1", "deputy:T1", "deputy:Y1"]


@pytest.fixture
def city(db: Database) -> Database:
    data_ = citizen_city()
    data_["departments"] = DEPARTMENTS
    write_dataset(db, data_)
    return db


def recipients(db: Database, kind: str | None = None) -> list[str]:
    _, rows = notification_page(db, kind=kind, limit=100)
    return sorted(n.recipient for n in rows)


def test_reminders_are_produced_once_per_due_item(city: Database) -> None:
    first = new_issue(city)  # received 2025-09-26: claim due 9-28
    # On 9-26 the claim is due soon: the tracking deputies and the county office are reminded.
    run = collect_reminders(city, as_of=dt.date(2025, 9, 26))
    assert (run.due_soon, run.overdue, run.created) == (1, 0, 5)
    assert recipients(city, "issue.due_soon") == sorted([*TRACKERS, OFFICE])
    assert collect_reminders(city, as_of=dt.date(2025, 9, 26)).created == 0
    assert collect_reminders(city, as_of=dt.date(2025, 9, 28)).created == 0  # same due date
    # Overdue is another reminder of the same due date, once.
    assert collect_reminders(city, as_of=dt.date(2025, 9, 29)).created == 5
    assert collect_reminders(city, as_of=dt.date(2025, 10, 9)).created == 0
    # Assigned: the department must now reply by 10-10; it and the office are reminded.
    handling.assign_issue(
        city,
        first.issue_id,
        "D-EDU",
        tracking.Actor("organizer"),
        at=dt.datetime(2025, 9, 29, 9, tzinfo=CHINA),
    )
    run = collect_reminders(city, as_of=dt.date(2025, 10, 9))
    assert (run.due_soon, run.created) == (1, 2)
    _, rows = notification_page(city, recipients=["department:D-EDU"])
    (reminder,) = rows
    payload = json.loads(reminder.payload)
    assert reminder.due_key == "REPLY:2025-10-10"
    assert payload["message"] == "【临期提醒】《村口路灯坏了三个月》待答复，请于10月10日前答复。"
    assert collect_reminders(city, as_of=dt.date(2025, 10, 10)).created == 0


def test_enqueue_is_a_small_api_for_other_kinds(city: Database) -> None:
    """What a station alarm (issue 24) would do: one call, deduplicated by its due key."""
    people = [OFFICE, "deputy:T1"]
    payload = {"message": "联络站本月未开展活动"}
    assert enqueue(city, "station.idle", "LL-ST01", people, "2025-10", payload) == 2
    assert enqueue(city, "station.idle", "LL-ST01", people, "2025-10", payload) == 0
    assert enqueue(city, "station.idle", "LL-ST01", people, "2025-11", payload) == 2
    with pytest.raises(BadInput, match="recipient"):
        enqueue(city, "station.idle", "LL-ST01", ["somebody"], "2025-12", payload)


@dataclass
class Gateway:
    """An office's SMS gateway: records what it receives, fails while ``failing``."""

    failing: bool = True
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(503 if state.failing else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def test_webhook_signs_retries_and_gives_up(city: Database, gateway: Gateway) -> None:
    now = dt.datetime(2025, 10, 24, 9, tzinfo=CHINA)
    for issue, deputy in (("I-1", "deputy:T1"), ("I-2", "deputy:C1")):
        enqueue(city, "issue.overdue", issue, [deputy], "F", {"message": "超期"}, now=now)
    sender = WebhookSender(gateway.url, "shared-secret")
    try:
        first = deliver(city, sender, now=now, max_attempts=3)
        assert (first.sent, first.retrying, first.failed) == (0, 2, 0)
        assert deliver(city, sender, now=now).sent == 0  # the retry waits a minute
        gateway.failing = False
        later = deliver(city, sender, now=now + dt.timedelta(minutes=2), max_attempts=3)
        assert (later.sent, later.retrying, later.failed) == (2, 0, 0)
    finally:
        sender.close()
    headers, body = gateway.received[-1]
    assert headers["x-graphcoord-signature"] == sign(
        "shared-secret", headers["x-graphcoord-timestamp"], body
    )
    sent = json.loads(body)
    assert sent["payload"] == {"message": "超期"} and sent["attempt"] == 2
    assert headers["x-graphcoord-delivery"] == sent["key"]
    statuses = {n.subject_id: (n.status, n.attempts) for n in notification_page(city)[1]}
    assert statuses == {"I-1": ("SENT", 2), "I-2": ("SENT", 2)}

    enqueue(city, "issue.overdue", "I-3", ["deputy:T1"], "F", {"message": "x"}, now=now)
    gateway.failing = True
    sender = WebhookSender(gateway.url, "shared-secret")
    try:
        at = now
        results = []
        for _ in range(3):
            results.append(deliver(city, sender, now=at, max_attempts=2))
            at += dt.timedelta(hours=1)
    finally:
        sender.close()
    assert [(r.retrying, r.failed) for r in results] == [(1, 0), (0, 1), (0, 0)]
    (given_up,) = notification_page(city, status="FAILED")[1]
    assert given_up.subject_id == "I-3" and "503" in (given_up.last_error or "")


def test_notify_cli_runs_reminders_and_delivers(
    settings: Settings, city: Database, gateway: Gateway
) -> None:
    new_issue(city)
    quiet = run_cli(settings, "notify", "run", "--as-of", "2025-09-29")
    assert quiet.returncode == 0, quiet.stderr
    assert "超期 1 件；新增提醒 5 条" in quiet.stdout
    assert "GRAPHCOORD_WEBHOOK_URL" in quiet.stdout
    gateway.failing = False
    sent = run_cli(
        settings,
        "notify",
        "run",
        "--as-of",
        "2025-09-29",
        GRAPHCOORD_WEBHOOK_URL=gateway.url,
        GRAPHCOORD_WEBHOOK_SECRET="s3cret",
    )
    assert sent.returncode == 0, sent.stderr
    assert "新增提醒 0 条" in sent.stdout and "已发送 5 条" in sent.stdout
    assert len(gateway.received) == 5
    listed = run_cli(settings, "notify", "list", "--recipient", OFFICE)
    assert listed.returncode == 0 and "超期提醒" in listed.stdout
    bad = run_cli(settings, "notify", "run", GRAPHCOORD_WEBHOOK_URL="ftp://nowhere")
    assert bad.returncode == 2 and "http(s)" in bad.stderr


NOTIFICATIONS = """query($r: String) { notifications(recipient: $r) {
  totalCount nodes { recipient kind message status } } }"""


@pytest.mark.parametrize(
    ("role", "deputy", "recipient", "code", "count"),
    [
        ("deputy", "T1", None, None, 1),
        ("deputy", "T1", "deputy:T1", None, 1),
        ("deputy", "T1", "deputy:C1", "FORBIDDEN", 0),
        ("organizer", None, None, None, 5),
        ("organizer", None, OFFICE, None, 1),
        ("planner", None, None, "FORBIDDEN", 0),
        (None, None, None, "UNAUTHENTICATED", 0),
    ],
    ids=["own", "own-named", "other", "organizer", "office", "planner", "public"],
)
def test_notifications_are_read_by_those_they_are_for(
    settings: Settings,
    city: Database,
    role: str | None,
    deputy: str | None,
    recipient: str | None,
    code: str | None,
    count: int,
) -> None:
    new_issue(city)
    collect_reminders(city, as_of=dt.date(2025, 9, 29))
    with TestClient(create_app(settings, city)) as client:
        headers = bearer(settings, role, deputy) if role else {}
        answer = graphql(client, NOTIFICATIONS, {"r": recipient}, headers)
    assert code_of(answer) == code, answer
    if code is None:
        found = data(answer)["notifications"]
        assert found["totalCount"] == count
        assert all("超期" in n["message"] for n in found["nodes"])
