"""The keys a sheet has shown so far, to report a duplicate with the row it repeats.

A dictionary of key hash → first row costs ~120 bytes a key; past :data:`SPILL_AFTER` keys the
dictionary moves to a temporary SQLite table (a file beside the spool), so the importer's memory stays
bounded whatever the file size (a national contacts file, 2.8 M rows, stays in memory).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["SPILL_AFTER", "SeenKeys"]

#: Keys held in memory before they move to disk (~360 MB of dictionary).
SPILL_AFTER = 3_000_000
#: Keys gathered in memory between two moves to disk, once spilled.
_BUFFER = 100_000


class SeenKeys:
    """First row number of each key hash added; in memory, then on disk."""

    def __init__(self, path: Path, spill_after: int | None = None) -> None:
        self.path = path
        self.spill_after = SPILL_AFTER if spill_after is None else spill_after
        self._recent: dict[int, int] = {}
        self._disk: sqlite3.Connection | None = None

    def first(self, key: int) -> int | None:
        """The row that first held ``key``, or ``None``."""
        row = self._recent.get(key)
        if row is not None or self._disk is None:
            return row
        found = self._disk.execute("SELECT row FROM seen WHERE key = ?", (key,)).fetchone()
        return None if found is None else int(found[0])

    def add(self, key: int, row: int) -> None:
        self._recent[key] = row
        limit = self.spill_after if self._disk is None else _BUFFER
        if len(self._recent) >= limit:
            self._spill()

    def _spill(self) -> None:
        if self._disk is None:
            self._disk = sqlite3.connect(self.path)
            # A scratch table: nothing to recover after a crash, so no journal and no syncing.
            self._disk.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                "PRAGMA cache_size = -65536; "
                "CREATE TABLE seen (key INTEGER PRIMARY KEY, row INTEGER NOT NULL);"
            )
        self._disk.executemany("INSERT INTO seen VALUES (?, ?)", self._recent.items())
        self._recent.clear()

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            self._disk = None
