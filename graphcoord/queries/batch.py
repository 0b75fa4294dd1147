"""Batched, idempotent writes: ``UNWIND $rows`` in slices of a configurable size."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = ["chunks", "lookup", "write_rows"]


def chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_rows(
    db: Database,
    statement: LiteralString,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Run ``statement`` (which starts with ``UNWIND $rows AS row``) over ``rows`` in batches.

    Each batch is one transaction; statements MERGE on constrained keys, so a batch that is
    written twice (a re-run after a crash) changes nothing the second time.
    """
    written = 0
    for batch in chunks(rows, batch_size):
        db.write(statement, {"rows": list(batch)})
        written += len(batch)
        if on_batch is not None:
            on_batch(len(batch))
    return written


def lookup(
    db: Database, statement: LiteralString, keys: Sequence[str], *, batch_size: int = 20000
) -> dict[str, Any]:
    """Run a ``UNWIND $keys AS key … RETURN key, value`` statement and map key to value."""
    found: dict[str, Any] = {}
    unique = list(dict.fromkeys(keys))
    for batch in chunks(unique, batch_size):
        for record in db.execute(statement, {"keys": list(batch)}):
            found[record["key"]] = record["value"]
    return found
