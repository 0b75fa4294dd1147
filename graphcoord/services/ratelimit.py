"""Rate limits: public submissions per client and per village, requests per bearer token.

The ``limits`` library counts hits in a moving window. Its storage is chosen in one place,
:func:`storage` (in memory, per process, for now; a shared storage such as Redis makes the
limits hold across workers). One :class:`Limits` serves every surface built from the same
settings object (:func:`limits_for`): the web form and the public GraphQL ``submitIssue`` count
against the same windows. A refused request changes nothing, so a flood costs no accepted
submission.

Clients are keyed by :func:`client_key`: the peer address, or behind a reverse proxy listed in
``GRAPHCOORD_TRUSTED_PROXIES`` the address it forwarded (``X-Forwarded-For``, read from the
right, skipping trusted proxies); IPv6 addresses are grouped by their /64, which one household
or phone usually holds whole.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
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


def storage() -> Storage:
    """Where the counters live: the one place to choose it (memory, per process, for now)."""
    return MemoryStorage()


class Limiter:
    """At most ``item`` hits per key in a moving window; ``limit`` 0 or less means no limit."""

    def __init__(self, item: RateLimitItem | None, what: str, scope: str, store: Storage) -> None:
        self.item = item
        self.what = what
        self.scope = scope
        self.strategy = MovingWindowRateLimiter(store)

    def hit(self, key: str) -> None:
        """Count one hit of ``key`` or raise :class:`RateLimited` (counting nothing)."""
        if self.item is None:
            return
        if not self.strategy.hit(self.item, self.scope, key):
            reset = self.strategy.get_window_stats(self.item, self.scope, key).reset_time
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
    store = storage()
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
