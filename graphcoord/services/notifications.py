"""The notification outbox and its optional webhook sender.

Anything that must reach a person later (a deadline reminder, a supervision letter, later a
station's alarm) is put in the outbox with :func:`enqueue`::

    enqueue(db, kind="issue.overdue", subject_id="I-…", recipients=["deputy:SQ-D00012"],
            due_key="FINISH:2025-10-21", payload={"message": "…"})

One notification per (kind, subject, due key, recipient): its key is made of the four, so
enqueueing it again changes nothing (reminders produced on every run are stored once).
Recipients are strings ``<type>:<id>``: ``deputy:<id>``, ``department:<id>``,
``organizer:<12-digit county code>`` (the county office of the area).

The outbox is a queue people read (GraphQL ``notifications``, ``graphcoord notify list``); an
office that wants them pushed to its SMS or messaging gateway sets ``GRAPHCOORD_WEBHOOK_URL``,
and :func:`deliver` POSTs each pending notification there as JSON, signed with HMAC-SHA256
(``X-Graphcoord-Signature: sha256=<hex>`` over ``<timestamp>.<body>``), retrying failures with
back-off on later runs until ``GRAPHCOORD_WEBHOOK_ATTEMPTS`` attempts (then FAILED). The secret
is ``GRAPHCOORD_WEBHOOK_SECRET`` or one generated into the state folder (``webhook-secret``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from graphcoord.config import Settings, read_or_create_secret
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import now_in_china
from graphcoord.queries import notifications as queries
from graphcoord.queries.notifications import NotificationRow

__all__ = [
    "BACKOFF",
    "DeliveryReport",
    "NotificationRow",
    "Sender",
    "WebhookSender",
    "deliver",
    "enqueue",
    "max_attempts_from_env",
    "notification_key",
    "notification_page",
    "sign",
    "status_counts",
    "webhook_from_env",
]

log = logging.getLogger(__name__)

#: Waits before the next attempt after the 1st, 2nd, … failure.
BACKOFF: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
_RECIPIENT_TYPES = ("deputy", "department", "organizer")


def notification_key(kind: str, subject_id: str, due_key: str, recipient: str) -> str:
    """The outbox key: the same reminder for the same person is one notification."""
    return "|".join((kind, subject_id, due_key, recipient))


def enqueue(
    db: Database,
    kind: str,
    subject_id: str,
    recipients: Iterable[str],
    due_key: str,
    payload: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> int:
    """Put a notification for each recipient in the outbox, once; how many were new."""
    people = list(dict.fromkeys(recipients))
    for recipient in people:
        if recipient.partition(":")[0] not in _RECIPIENT_TYPES or ":" not in recipient:
            raise BadInput(f"recipient {recipient!r} is not one of deputy:/department:/organizer:")
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    rows = [
        {
            "key": notification_key(kind, subject_id, due_key, recipient),
            "kind": kind,
            "subjectId": subject_id,
            "recipient": recipient,
            "dueKey": due_key,
            "payload": body,
        }
        for recipient in people
    ]
    return queries.enqueue(db, rows, now or now_in_china(), uuid.uuid4().hex)


def notification_page(
    db: Database,
    *,
    recipients: list[str] | None = None,
    status: str | None = None,
    kind: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[int, list[NotificationRow]]:
    """Notifications newest first (of ``recipients`` when given); ``limit + 1`` rows."""
    return queries.notification_page(
        db, recipients=recipients, status=status, kind=kind, skip=skip, limit=limit
    )


def status_counts(db: Database) -> dict[str, int]:
    """How many notifications are PENDING, SENT and FAILED."""
    return queries.status_counts(db)


class Sender(Protocol):
    """Delivers one notification; raises when the gateway did not take it."""

    def send(self, notification: NotificationRow, attempt: int) -> None: ...


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` with the shared secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookSender:
    """POSTs notifications as signed JSON to an office's gateway."""

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        timeout: float = 10.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url
        self.secret = secret
        self.client = client or httpx.Client(timeout=timeout)

    def body(self, notification: NotificationRow, attempt: int) -> bytes:
        return json.dumps(
            {
                "key": notification.key,
                "kind": notification.kind,
                "subjectId": notification.subject_id,
                "recipient": notification.recipient,
                "dueKey": notification.due_key,
                "payload": json.loads(notification.payload),
                "createdAt": notification.created_at.isoformat()
                if notification.created_at
                else None,
                "attempt": attempt,
            },
            ensure_ascii=False,
        ).encode()

    def send(self, notification: NotificationRow, attempt: int) -> None:
        body = self.body(notification, attempt)
        stamp = str(int(time.time()))
        response = self.client.post(
            self.url,
            content=body,
            headers={
                "content-type": "application/json; charset=utf-8",
                "x-graphcoord-delivery": notification.key,
                "x-graphcoord-event": notification.kind,
                "x-graphcoord-timestamp": stamp,
                "x-graphcoord-signature": sign(self.secret, stamp, body),
            },
        )
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"the webhook answered HTTP {response.status_code}")

    def close(self) -> None:
        self.client.close()


def webhook_from_env(
    settings: Settings, env: Mapping[str, str] | None = None
) -> WebhookSender | None:
    """The webhook sender ``GRAPHCOORD_WEBHOOK_URL`` names (``None`` when it is unset)."""
    env = os.environ if env is None else env
    url = env.get("GRAPHCOORD_WEBHOOK_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise BadInput(f"GRAPHCOORD_WEBHOOK_URL must be an http(s) URL, got {url!r}")
    secret = env.get("GRAPHCOORD_WEBHOOK_SECRET") or read_or_create_secret(
        settings.state_dir / "webhook-secret", nbytes=32
    )
    try:
        timeout = float(env.get("GRAPHCOORD_WEBHOOK_TIMEOUT", "10"))
    except ValueError:
        raise BadInput("GRAPHCOORD_WEBHOOK_TIMEOUT must be a number of seconds") from None
    return WebhookSender(url, secret, timeout=timeout)


def max_attempts_from_env(env: Mapping[str, str] | None = None) -> int:
    """``GRAPHCOORD_WEBHOOK_ATTEMPTS``: attempts before a notification is FAILED (5)."""
    env = os.environ if env is None else env
    raw = env.get("GRAPHCOORD_WEBHOOK_ATTEMPTS", "5")
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"GRAPHCOORD_WEBHOOK_ATTEMPTS must be an integer, got {raw!r}") from None
    if value < 1:
        raise BadInput("GRAPHCOORD_WEBHOOK_ATTEMPTS must be at least 1")
    return value


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int
    retrying: int
    failed: int


def deliver(
    db: Database,
    sender: Sender,
    *,
    now: dt.datetime | None = None,
    limit: int = 500,
    max_attempts: int = 5,
) -> DeliveryReport:
    """Send the pending notifications whose attempt is due; a failure waits for a later run
    (:data:`BACKOFF`) and the last allowed failure marks the notification FAILED."""
    at = now or now_in_china()
    sent = retrying = failed = 0
    for notification in queries.pending(db, at, limit):
        attempt = notification.attempts + 1
        try:
            sender.send(notification, attempt)
        except Exception as error:  # a gateway's failure is reported, never raised
            wait = BACKOFF[min(notification.attempts, len(BACKOFF) - 1)]
            status = queries.mark_failed(
                db, notification.key, str(error)[:500], at + wait, max_attempts
            )
            log.warning("notification %s not delivered (%s): %s", notification.key, status, error)
            if status == "FAILED":
                failed += 1
            else:
                retrying += 1
            continue
        queries.mark_sent(db, notification.key, at)
        sent += 1
    return DeliveryReport(sent, retrying, failed)
