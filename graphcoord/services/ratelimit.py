"""Rate limits: public submissions per client and per village, requests per bearer token.

The ``limits`` library counts hits in a moving window. Its storage is chosen in one place,
:func:`storage`, from ``GRAPHCOORD_RATE_LIMIT_STORAGE``: ``memory://`` (the default, one
process) or a storage every worker reaches, such as ``redis://host:6379`` or
``redis+unix:///path/redis.sock`` (``graphcoord serve --workers N`` starts a Redis of its own
when none is named, see :mod:`graphcoord.localredis`). While a shared storage cannot be
reached, each process counts in memory instead (as Flask-Limiter's in-memory fallback does)
and goes back to the shared counters once they answer again: a Redis restart neither opens
the gates nor refuses citizens.

One :class:`Limits` serves every surface built from the same settings object
(:func:`limits_for`): the web form and the public GraphQL ``submitIssue`` count against the
same windows. A refused request changes nothing, so a flood costs no accepted submission.

Clients are keyed by :func:`client_key`: the peer address, or behind a reverse proxy listed in
``GRAPHCOORD_TRUSTED_PROXIES`` the address it forwarded (``X-Forwarded-For``, read from the
right, skipping trusted proxies); IPv6 addresses are grouped by their /64, which one household
or phone usually holds whole.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.errors import ConfigurationError, StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from graphcoord.config import Settings
from graphcoord.errors import BadInput, GraphcoordError

__all__ = [
    "Limiter",
    "Limits",
    "RateLimited",
    "client_address",
    "client_key",
    "limits_for",
    "storage",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

log = logging.getLogger(__name__)

#: Seconds between two attempts to reach a shared storage that failed.
RETRY_SHARED_AFTER = 5.0


class RateLimited(GraphcoordError):
    """Too many requests under one key; try again after ``retry_after`` seconds."""

    code = "RATE_LIMITED"
    exit_code = 75  # EX_TEMPFAIL

    def __init__(self, what: str, limit: int, retry_after: int, scope: str) -> None:
        super().__init__(f"at most {limit} {what}; try again in {retry_after} s")
        self.limit = limit
        self.retry_after = retry_after
        #: Whose window is full: ``address``, ``village`` or ``token``.
        self.scope = scope


def storage(uri: str = "memory://") -> Storage:
    """Where the counters live: the one place to choose it (see the module's docstring).

    Raises :class:`~graphcoord.errors.BadInput` for a URI ``limits`` does not know or whose
    client library is not installed.
    """
    if uri.startswith("memory://"):
        return MemoryStorage()
    try:
        # Keys are prefixed so that several graphcoord deployments may share one Redis.
        store = storage_from_string(uri, wrap_exceptions=True, key_prefix="graphcoord")
    except ConfigurationError as error:
        # The URI may carry a password: name its scheme only.
        reason = str(error).replace(uri, "<URI>")
        raise BadInput(
            f"GRAPHCOORD_RATE_LIMIT_STORAGE ({uri.split(':')[0]}:…) is unusable: {reason}"
        ) from None
    if not isinstance(store, Storage):  # an ``async+…`` storage: the limiters are blocking
        raise BadInput(f"GRAPHCOORD_RATE_LIMIT_STORAGE: {uri.split(':')[0]} is asynchronous")
    return store


class _Counters:
    """A shared storage with a per-process memory stand-in while it cannot be reached."""

    def __init__(self, shared: Storage) -> None:
        self.shared = MovingWindowRateLimiter(shared)
        self.fallback = (
            self.shared
            if isinstance(shared, MemoryStorage)
            else MovingWindowRateLimiter(MemoryStorage())
        )
        self._down_until = 0.0
        self._lock = threading.Lock()

    def strategy(self) -> MovingWindowRateLimiter:
        """The counters to use now: the shared ones unless they failed a moment ago."""
        return self.fallback if time.monotonic() < self._down_until else self.shared

    def failed(self, error: StorageError) -> None:
        """Count in memory for :data:`RETRY_SHARED_AFTER` seconds; say so once per outage."""
        with self._lock:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + RETRY_SHARED_AFTER
        if first:
            log.warning("rate-limit storage unreachable, counting per process: %s", error)

    def recovered(self) -> None:
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            log.warning("rate-limit storage reachable again")


class Limiter:
    """At most ``item`` hits per key in a moving window; ``limit`` 0 or less means no limit."""

    def __init__(
        self, item: RateLimitItem | None, what: str, scope: str, counters: _Counters
    ) -> None:
        self.item = item
        self.what = what
        self.scope = scope
        self.counters = counters

    def hit(self, key: str) -> None:
        """Count one hit of ``key`` or raise :class:`RateLimited` (counting nothing)."""
        if self.item is None:
            return
        strategy = self.counters.strategy()
        try:
            allowed = strategy.hit(self.item, self.scope, key)
            if not allowed:
                reset = strategy.get_window_stats(self.item, self.scope, key).reset_time
        except StorageError as error:
            self.counters.failed(error)
            strategy = self.counters.fallback
            allowed = strategy.hit(self.item, self.scope, key)
            if not allowed:
                reset = strategy.get_window_stats(self.item, self.scope, key).reset_time
        else:
            if strategy is self.counters.shared:
                self.counters.recovered()
        if not allowed:
            retry = max(1, math.ceil(reset - time.time()))
            raise RateLimited(self.what, self.item.amount, retry, self.scope)


@dataclass(frozen=True)
class Limits:
    """The limiters of one application."""

    submissions: Limiter
    villages: Limiter
    tokens: Limiter


def _item(kind: type[RateLimitItem], amount: int) -> RateLimitItem | None:
    return kind(amount) if amount > 0 else None


def _make(settings: Settings) -> Limits:
    store = _Counters(storage(settings.rate_limit_storage))
    return Limits(
        submissions=Limiter(
            _item(RateLimitItemPerMinute, settings.rate_limit_per_minute),
            "submissions per minute from one address",
            "address",
            store,
        ),
        villages=Limiter(
            _item(RateLimitItemPerHour, settings.village_rate_limit_per_hour),
            "submissions per hour for one village",
            "village",
            store,
        ),
        tokens=Limiter(
            _item(RateLimitItemPerMinute, settings.token_rate_limit_per_minute),
            "requests per minute with one bearer token",
            "token",
            store,
        ),
    )


_limits: dict[int, tuple[Settings, Limits]] = {}
_registry_lock = threading.Lock()


def limits_for(settings: Settings) -> Limits:
    """The limiters shared by every surface built from this settings object."""
    with _registry_lock:
        entry = _limits.get(id(settings))
        if entry is None or entry[0] is not settings:
            entry = (settings, _make(settings))
            _limits[id(settings)] = entry
        return entry[1]


def _networks(trusted: Sequence[str]) -> list[Network]:
    try:
        return [ipaddress.ip_network(entry, strict=False) for entry in trusted]
    except ValueError as error:
        raise BadInput(f"GRAPHCOORD_TRUSTED_PROXIES: {error}") from None


def _is_trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, headers: Mapping[str, str], trusted: Sequence[str]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last
    address of ``X-Forwarded-For`` that is not itself a trusted proxy."""
    address = peer or "unknown"
    if not trusted:
        return address
    networks = _networks(trusted)
    if not _is_trusted(address, networks):
        return address
    forwarded = [part.strip() for part in headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([part for part in forwarded if part]):
        if not _is_trusted(hop, networks):
            return hop
        address = hop
    return address


def client_key(peer: str | None, headers: Mapping[str, str], trusted: Sequence[str]) -> str:
    """The rate-limit key of a client: its address, an IPv6 one cut to its /64."""
    address = client_address(peer, headers, trusted)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
