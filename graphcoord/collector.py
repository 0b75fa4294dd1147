"""Python's cyclic garbage collector, paused during bulk work: the one place that pauses it.

The collector is process-wide, so every pause goes through :func:`paused` (pauses that
overlap, from two threads, share one: it is re-enabled when the last ends, if it was enabled
before the first). Two kinds of work pause it: building a large projection (millions of small
objects holding no cycles: its passes over them cost a third of a national coverage summary's
build) and an import, which also runs a full collection every so many rows (:class:`Periodic`).

An import allocates a few objects per row for minutes. Left to its default thresholds the
collector made 68 full collections during a 630k-row contacts file, 12 s of a 43 s import
(timed with ``gc.callbacks``), each walking every live object; yet an import makes almost no
cyclic garbage (the driver's Result objects, small since :meth:`Database.execute` empties the
parameter lists it sent). Paused, and run once every :data:`COLLECT_EVERY` rows, the garbage
stays bounded whatever the file size.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["COLLECT_EVERY", "Periodic", "paused"]

#: Rows between two full collections while an import runs.
COLLECT_EVERY = 250_000

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Automatic collection off inside, as it was after the last of overlapping pauses ends.

    The collector is process-wide: two imports at once (two GraphQL uploads) share one pause.
    """
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


class Periodic:
    """Runs a full collection each time another ``every`` rows have been handled."""

    def __init__(self, every: int | None = None) -> None:
        self.every = every or COLLECT_EVERY
        self.collections = 0
        self._rows = 0

    def rows(self, count: int) -> None:
        self._rows += count
        if self._rows >= self.every:
            self._rows = 0
            self.collections += 1
            gc.collect()
