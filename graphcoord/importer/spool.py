"""Validated rows waiting to be written, pickled batch by batch into a temporary folder.

Validation streams the file once; the rows that passed wait here (not in memory) until the
whole file is known to be good, then the write phase streams them back in a deterministic
order: row kinds in :data:`graphcoord.model.ROW_KINDS` order, areas shallowest first.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from graphcoord.model import ROW_KINDS

__all__ = ["CREATED", "Entry", "Spool"]

#: ``(row reference, status, row)``: status is created, updated or unchanged. (Created rows
#: written ahead, see :mod:`graphcoord.importer.ahead`, are counted and not spooled.)
Entry = tuple[int, str, dict[str, Any]]
CREATED = "created"


class Spool:
    """Append-only pickled batches per ``(row kind, part)``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._handles: dict[tuple[str, int], IO[bytes]] = {}
        self.sizes: dict[tuple[str, int], int] = {}

    def add(self, kind: str, entries: list[Entry], part: int = 0) -> None:
        if not entries:
            return
        key = (kind, part)
        handle = self._handles.get(key)
        if handle is None:
            handle = (self.directory / f"{kind}-{part}.pickle").open("wb")
            self._handles[key] = handle
            self.sizes[key] = 0
        pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.sizes[key] += len(entries)

    def parts(self) -> list[tuple[str, int]]:
        """Every ``(kind, part)`` that holds rows, in write order."""
        return sorted(self.sizes, key=lambda key: (ROW_KINDS.index(key[0]), key[1]))

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def read(self, kind: str, part: int = 0) -> Iterator[list[Entry]]:
        handle = self._handles.get((kind, part))
        if handle is None:
            return
        handle.flush()
        with (self.directory / f"{kind}-{part}.pickle").open("rb") as source:
            while True:
                try:
                    yield pickle.load(source)
                except EOFError:
                    return

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
