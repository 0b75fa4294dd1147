"""The import lease: one ``(:ImportLease {id: 'import'})`` node says which import runs now.

An import takes the lease before it writes and renews it (a heartbeat) while it runs; another
import finds it held and is refused, unless its time ran out (the holder died), when it may be
taken over. Taking it first sets a property, so the node's write lock is held before the
lease is read: two imports starting at once cannot both see it free. The workflow is
:mod:`graphcoord.importer.lease`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import LiteralString

from graphcoord.db import Database

__all__ = ["LeaseHolder", "acquire", "current", "release", "renew"]

ACQUIRE: LiteralString = """
MERGE (l:ImportLease {id: 'import'})
SET l.lockedAt = $now
WITH l, (l.run IS NULL OR l.expiresAt < $now OR l.run = $takeOver) AS free,
     l {.run, .file, .holder, .startedAt, .heartbeatAt, .expiresAt} AS before
SET l.run = CASE WHEN free THEN $run ELSE l.run END,
    l.file = CASE WHEN free THEN $file ELSE l.file END,
    l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
    l.startedAt = CASE WHEN free THEN $now ELSE l.startedAt END,
    l.heartbeatAt = CASE WHEN free THEN $now ELSE l.heartbeatAt END,
    l.expiresAt = CASE WHEN free THEN $expiresAt ELSE l.expiresAt END
RETURN free, before
"""

RENEW: LiteralString = """
MATCH (l:ImportLease {id: 'import'}) WHERE l.run = $run
SET l.heartbeatAt = $now, l.expiresAt = $expiresAt
RETURN l.run AS run
"""

RELEASE: LiteralString = """
MATCH (l:ImportLease {id: 'import'}) WHERE l.run = $run
DELETE l
"""

CURRENT: LiteralString = """
MATCH (l:ImportLease {id: 'import'}) WHERE l.run IS NOT NULL
RETURN l {.run, .file, .holder, .startedAt, .heartbeatAt, .expiresAt} AS lease
"""


@dataclass(frozen=True)
class LeaseHolder:
    """The import holding (or last holding) the lease."""

    run: str
    file: str | None
    holder: str | None
    started_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    expires_at: dt.datetime | None


def _holder(values: dict[str, object] | None) -> LeaseHolder | None:
    if not values or values.get("run") is None:
        return None

    def when(name: str) -> dt.datetime | None:
        value = values.get(name)
        to_native = getattr(value, "to_native", None)
        return to_native() if to_native is not None else None

    return LeaseHolder(
        run=str(values["run"]),
        file=values.get("file"),  # type: ignore[arg-type]
        holder=values.get("holder"),  # type: ignore[arg-type]
        started_at=when("startedAt"),
        heartbeat_at=when("heartbeatAt"),
        expires_at=when("expiresAt"),
    )


def acquire(
    db: Database,
    run: str,
    file: str,
    holder: str,
    now: dt.datetime,
    expires_at: dt.datetime,
    take_over: str | None = None,
) -> tuple[bool, LeaseHolder | None]:
    """Take the lease for ``run`` if it is free, expired or held by ``take_over`` (a run known
    to be dead); whether it was taken, and who held it before (the live holder when refused,
    the dead one when taken over)."""
    record = db.write(
        ACQUIRE,
        {
            "run": run,
            "file": file,
            "holder": holder,
            "now": now,
            "expiresAt": expires_at,
            "takeOver": take_over,
        },
    )[0]
    return bool(record["free"]), _holder(record["before"])


def renew(db: Database, run: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
    """Push the lease's expiry on; ``False`` when ``run`` no longer holds it."""
    return bool(db.write(RENEW, {"run": run, "now": now, "expiresAt": expires_at}))


def release(db: Database, run: str) -> None:
    db.write(RELEASE, {"run": run})


def current(db: Database) -> LeaseHolder | None:
    """Who holds the lease (maybe expired), or ``None``."""
    records = db.execute(CURRENT)
    return _holder(dict(records[0]["lease"])) if records else None
