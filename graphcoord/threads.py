"""Blocking work (the Neo4j driver, NetworkX) run off the event loop, in threads of our own.

Resolvers, loaders and pages call the synchronous data layer through :func:`blocking`. It hands
the call to a ``ThreadPoolExecutor`` with ``loop.run_in_executor`` rather than starlette's
``run_in_threadpool`` (anyio's worker threads): on the benchmark machine the anyio hop cost
0.86 ms per call against 0.17 ms for the executor (a coverage answer already in memory,
measured in-process), and a GraphQL request makes one to three such calls.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["WORKER_THREADS", "SharedLock", "blocking"]

T = TypeVar("T")

#: As many as anyio allows by default (40), below the driver's 100 pooled connections.
WORKER_THREADS = 40

_executor: ThreadPoolExecutor | None = None


def _workers() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:  # made on first use: importing the schema starts no thread
        _executor = ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="graphcoord-worker")
    return _executor


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` in a worker thread, awaited without blocking the loop.

    The call runs in a copy of the caller's context variables, as with ``run_in_threadpool``.
    Cancelling the awaiting task does not stop a call already running (nor does anyio's).
    """
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_workers(), call)


class SharedLock:
    """A lock that many holders share and one takes alone (a readers-writer lock).

    Shared holders (searches reading a graph) run together; an exclusive holder (an in-place
    update of that graph) waits for them to leave, and new shared holders wait while it waits,
    so that a steady stream of searches cannot keep an update out for ever.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._sharing = 0
        self._exclusive = False
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not (self._exclusive or self._waiting))
            self._sharing += 1
        try:
            yield
        finally:
            with self._condition:
                self._sharing -= 1
                if not self._sharing:
                    self._condition.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._condition:
            self._waiting += 1
            try:
                self._condition.wait_for(lambda: not (self._exclusive or self._sharing))
            finally:
                self._waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._condition:
                self._exclusive = False
                self._condition.notify_all()
