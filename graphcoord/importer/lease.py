"""One import at a time per database: the import lease and its heartbeat.

:class:`ImportLease` takes the lease node (:mod:`graphcoord.queries.import_lease`) before an
import writes anything, renews it every third of its lifetime from a background thread while
the import runs, and gives it back at the end. A second import is refused with a message that
names the running one; a lease whose heartbeat stopped (the process was killed, the machine
restarted) expires and the next import takes it over, at once when the holder was a process
of this machine that no longer exists. Holding the lease is also what makes it
safe for an import to settle or undo the runs of the same file that were left RUNNING: their
processes cannot be alive.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from pathlib import Path
from types import TracebackType

from graphcoord.db import Database
from graphcoord.errors import RuleViolation
from graphcoord.queries import import_lease as queries
from graphcoord.queries.import_lease import LeaseHolder

__all__ = ["LEASE_RULE", "ImportLease", "describe", "live_holder"]

log = logging.getLogger(__name__)

LEASE_RULE = "import-one-at-a-time"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def describe(holder: LeaseHolder, now: dt.datetime | None = None) -> str:
    """``run 1a2b3c4d of deputies.csv (host pid 12, started …, last heartbeat 3 s ago)``."""
    now = now or _now()
    beat = (
        f"last heartbeat {max(0, int((now - holder.heartbeat_at).total_seconds()))} s ago"
        if holder.heartbeat_at is not None
        else "no heartbeat"
    )
    started = f"started {holder.started_at:%Y-%m-%d %H:%M:%S} UTC, " if holder.started_at else ""
    return f"run {holder.run[:8]} of {holder.file} ({holder.holder}, {started}{beat})"


def _is_gone(holder: str | None) -> bool:
    """Whether ``holder`` (``host pid N``) is a process of this machine that has ended."""
    host, _, pid = (holder or "").rpartition(" pid ")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a zombie (killed, not yet reaped) has ended too
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def live_holder(db: Database) -> LeaseHolder | None:
    """The import holding an unexpired lease now (and not known dead), or ``None``."""
    holder = queries.current(db)
    if holder is None or holder.expires_at is None or holder.expires_at < _now():
        return None
    return None if _is_gone(holder.holder) else holder


class ImportLease:
    """The lease held by one import (a context manager)."""

    def __init__(self, db: Database, run: str, file: str, seconds: float = 60.0) -> None:
        self.db = db
        self.run = run
        self.file = file
        self.seconds = max(seconds, 1.0)
        self.holder = f"{socket.gethostname()} pid {os.getpid()}"
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ImportLease:
        now = _now()
        taken, before = queries.acquire(
            self.db, self.run, self.file, self.holder, now, self._expiry(now)
        )
        if not taken and before is not None and _is_gone(before.holder):
            taken, before = queries.acquire(
                self.db, self.run, self.file, self.holder, now, self._expiry(now), before.run
            )
        if not taken:
            assert before is not None
            expires = f"{before.expires_at:%H:%M:%S} UTC" if before.expires_at else "its expiry"
            raise RuleViolation(
                LEASE_RULE,
                "another import is running: {running}; wait for it to finish (if its process "
                "is gone, its lease runs out at {expires} and the next import takes it over)",
                [before.run],
                running=describe(before, now),
                expires=expires,
            )
        if before is not None:
            log.warning("import lease of a stopped import taken over: %s", describe(before, now))
        self._thread = threading.Thread(
            target=self._beat, name="graphcoord-import-lease", daemon=True
        )
        self._thread.start()
        return self

    def _expiry(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self.seconds)

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                now = _now()
                if not queries.renew(self.db, self.run, now, self._expiry(now)):
                    self.lost = True
                    log.error("import %s lost its lease (taken over after it expired)", self.run)
                    return
            except Exception as error:  # the database is down: the import itself will fail
                log.warning("import lease of %s not renewed: %s", self.run, error)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            queries.release(self.db, self.run)
        except Exception as failure:  # it expires by itself
            log.warning("import lease of %s not released: %s", self.run, failure)
