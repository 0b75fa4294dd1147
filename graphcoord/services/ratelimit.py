"""Per-client-address limit of public submissions: a sliding one-minute window in memory.

One limiter serves a process's web form and the public GraphQL ``submitIssue`` (looked up by
the settings object, see :func:`limiter_for`). A refused request changes nothing, so a flood
costs no accepted submission. Behind a reverse proxy, run uvicorn with ``--proxy-headers`` so
the client address is the citizen's, not the proxy's.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from graphcoord.config import Settings
from graphcoord.errors import GraphcoordError

__all__ = ["RateLimited", "SubmissionLimiter", "limiter_for"]

WINDOW_SECONDS = 60.0


class RateLimited(GraphcoordError):
    """Too many submissions from one address; try again after ``retry_after`` seconds."""

    code = "RATE_LIMITED"
    exit_code = 75  # EX_TEMPFAIL

    def __init__(self, limit: int, retry_after: int) -> None:
        super().__init__(
            f"at most {limit} submissions per minute from one address; try again in {retry_after} s"
        )
        self.limit = limit
        self.retry_after = retry_after


class SubmissionLimiter:
    """At most ``limit`` hits per client in any ``window`` seconds."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Count one submission of ``client`` or raise :class:`RateLimited`."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                retry = max(1, int(hits[0] + self.window - now + 0.999))
                raise RateLimited(self.limit, retry)
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients
                for key in [
                    k for k, v in self._hits.items() if not v or v[-1] <= now - self.window
                ]:
                    del self._hits[key]


_limiters: dict[int, tuple[Settings, SubmissionLimiter]] = {}
_registry_lock = threading.Lock()


def limiter_for(settings: Settings) -> SubmissionLimiter:
    """The limiter shared by every surface built from this settings object."""
    with _registry_lock:
        entry = _limiters.get(id(settings))
        if entry is None or entry[0] is not settings:
            entry = (settings, SubmissionLimiter(settings.rate_limit_per_minute))
            _limiters[id(settings)] = entry
        return entry[1]
