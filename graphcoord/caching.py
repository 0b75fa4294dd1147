"""One bounded, thread-safe cache for the whole process: cachetools behind a lock.

Every cache graphcoord keeps (verified tokens, parsed and validated GraphQL documents,
projections of the graph) is a :class:`BoundedCache`: at most ``maxsize`` entries, the least
recently used goes first, and optionally each entry expires at a time of its own
(cachetools' ``TLRUCache``). :meth:`BoundedCache.get_or_make` makes a missing value once even
when many threads ask for it at the same moment (the others wait for it), which matters when
making it costs seconds (a projection of the graph).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache, TLRUCache

__all__ = ["BoundedCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class BoundedCache(Generic[K, V]):
    """A map of at most ``maxsize`` entries, least recently used out first.

    With ``expires``, an entry is dropped at the time ``expires(key, value, now)`` returns
    (seconds on ``timer``'s clock); an entry whose time has passed is never returned.
    """

    def __init__(
        self,
        maxsize: int,
        *,
        expires: Callable[[K, V, float], float] | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.maxsize = maxsize
        self._items: LRUCache[K, V] | TLRUCache[K, V] = (
            LRUCache(maxsize) if expires is None else TLRUCache(maxsize, expires, timer)
        )
        self._lock = threading.Lock()
        # key -> (the lock its makers take turns on, how many callers hold or wait for it)
        self._making: dict[K, tuple[threading.Lock, int]] = {}

    def get(self, key: K) -> V | None:
        """The value of ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            value = self._items.get(key, _MISSING)
        return None if value is _MISSING else value  # type: ignore[return-value]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value

    def get_or_make(
        self, key: K, make: Callable[[], V], *, valid: Callable[[V], bool] | None = None
    ) -> V:
        """The value of ``key`` if present (and ``valid``), else ``make()``'s, stored.

        Concurrent callers of the same key wait for one ``make`` instead of each making it.
        """
        found = self.get(key)
        if found is not None and (valid is None or valid(found)):
            return found
        with self._lock:
            key_lock, waiting = self._making.get(key, (threading.Lock(), 0))
            self._making[key] = (key_lock, waiting + 1)
        try:
            with key_lock:
                found = self.get(key)  # another thread may have made it meanwhile
                if found is not None and (valid is None or valid(found)):
                    return found
                value = make()
                self.put(key, value)
                return value
        finally:
            with self._lock:
                lock, waiting = self._making[key]
                if waiting == 1:
                    del self._making[key]
                else:
                    self._making[key] = (lock, waiting - 1)

    def items(self) -> list[tuple[K, V]]:
        """A snapshot of the entries (their recency unchanged)."""
        with self._lock:
            return list(self._items.items())

    def pop(self, key: K) -> V | None:
        """Remove ``key``; its value, or ``None``."""
        with self._lock:
            return self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
