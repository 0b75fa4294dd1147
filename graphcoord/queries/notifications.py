"""The notification outbox: ``(:Notification {key, kind, subjectId, recipient, dueKey, payload,
status, attempts, createdAt, nextAttemptAt, sentAt, lastError})``.

``key`` is unique (a constraint): it is derived from kind, subject, due key and recipient, so
enqueueing the same reminder twice MERGEs onto the one already there. ``payload`` is a JSON
text. A notification is PENDING until the sender delivers it (SENT) or gives up (FAILED).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import native

__all__ = [
    "NotificationRow",
    "enqueue",
    "mark_failed",
    "mark_sent",
    "notification_page",
    "pending",
    "status_counts",
]

ENQUEUE: LiteralString = """
UNWIND $rows AS row
MERGE (n:Notification {key: row.key})
ON CREATE SET n.kind = row.kind, n.subjectId = row.subjectId, n.recipient = row.recipient,
              n.dueKey = row.dueKey, n.payload = row.payload, n.status = 'PENDING',
              n.attempts = 0, n.createdAt = $at, n.nextAttemptAt = $at, n.batch = $batch
RETURN count(CASE WHEN n.batch = $batch THEN 1 END) AS created
"""

PENDING: LiteralString = """
MATCH (n:Notification)
WHERE n.status = 'PENDING' AND n.nextAttemptAt <= $now
WITH n ORDER BY n.nextAttemptAt, n.key LIMIT $limit
RETURN n {.*} AS n
"""

MARK_SENT: LiteralString = """
MATCH (n:Notification {key: $key})
SET n.status = 'SENT', n.sentAt = $at, n.attempts = n.attempts + 1, n.lastError = null
"""

MARK_FAILED: LiteralString = """
MATCH (n:Notification {key: $key})
SET n.attempts = n.attempts + 1, n.lastError = $error, n.nextAttemptAt = $next,
    n.status = CASE WHEN n.attempts + 1 >= $maxAttempts THEN 'FAILED' ELSE 'PENDING' END
RETURN n.status AS status
"""

PAGE: LiteralString = """
MATCH (n:Notification)
WHERE ($recipients IS NULL OR n.recipient IN $recipients)
  AND ($status IS NULL OR n.status = $status)
  AND ($kind IS NULL OR n.kind = $kind)
WITH n ORDER BY n.createdAt DESC, n.key
WITH collect(n) AS found
RETURN size(found) AS total, [n IN found[$skip..$skip + $limit + 1] | n {.*}] AS rows
"""

STATUS_COUNTS: LiteralString = """
MATCH (n:Notification)
RETURN n.status AS status, count(*) AS count
"""


@dataclass(frozen=True)
class NotificationRow:
    key: str
    kind: str
    subject_id: str
    recipient: str
    due_key: str
    payload: str
    status: str
    attempts: int
    created_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    last_error: str | None

    @classmethod
    def from_map(cls, n: Mapping[str, Any]) -> NotificationRow:
        return cls(
            key=n["key"],
            kind=n["kind"],
            subject_id=n["subjectId"],
            recipient=n["recipient"],
            due_key=n["dueKey"],
            payload=n.get("payload") or "{}",
            status=n["status"],
            attempts=int(n.get("attempts") or 0),
            created_at=native(n.get("createdAt")),
            next_attempt_at=native(n.get("nextAttemptAt")),
            sent_at=native(n.get("sentAt")),
            last_error=n.get("lastError"),
        )


def enqueue(db: Database, rows: Sequence[Mapping[str, Any]], at: dt.datetime, batch: str) -> int:
    """MERGE notifications by key; how many were new."""
    if not rows:
        return 0
    record = db.write(ENQUEUE, {"rows": [dict(r) for r in rows], "at": at, "batch": batch})
    return int(record[0]["created"])


def pending(db: Database, now: dt.datetime, limit: int) -> list[NotificationRow]:
    """PENDING notifications whose next attempt is due, oldest first."""
    return [
        NotificationRow.from_map(r["n"]) for r in db.execute(PENDING, {"now": now, "limit": limit})
    ]


def mark_sent(db: Database, key: str, at: dt.datetime) -> None:
    db.write(MARK_SENT, {"key": key, "at": at})


def mark_failed(
    db: Database, key: str, error: str, next_attempt: dt.datetime, max_attempts: int
) -> str:
    """Count a failed attempt; the status after it (PENDING, or FAILED at the last one)."""
    record = db.write(
        MARK_FAILED,
        {"key": key, "error": error, "next": next_attempt, "maxAttempts": max_attempts},
    )
    return str(record[0]["status"])


def notification_page(
    db: Database,
    *,
    recipients: Sequence[str] | None,
    status: str | None,
    kind: str | None,
    skip: int,
    limit: int,
) -> tuple[int, list[NotificationRow]]:
    """Notifications newest first, filtered; ``limit + 1`` rows to show a next page."""
    record = db.execute(
        PAGE,
        {
            "recipients": list(recipients) if recipients is not None else None,
            "status": status,
            "kind": kind,
            "skip": skip,
            "limit": limit,
        },
    )[0]
    return int(record["total"]), [NotificationRow.from_map(r) for r in record["rows"]]


def status_counts(db: Database) -> dict[str, int]:
    return {r["status"]: int(r["count"]) for r in db.execute(STATUS_COUNTS)}
