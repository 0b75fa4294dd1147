"""Reading many rows fast: rows as lists, shipped in batches of up to 10,000 per record.

The driver's cost is per record, so a statement that ends with :data:`BATCHED` (after
``WITH [...] AS row``) and is read with :func:`stream_batches` reads ~20x faster at national
scale than one record per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, LiteralString

from neo4j import Record
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graphcoord.db import Database
from graphcoord.errors import DatabaseAuthError, DatabaseUnavailable

__all__ = ["BATCHED", "read_records", "stream_batches"]

#: The tail of a batched read: the ``row`` values collected into records of 10,000.
BATCHED: LiteralString = """
WITH collect(row) AS rows
UNWIND range(0, size(rows) - 1, 10000) AS i
RETURN rows[i..i + 10000] AS batch
"""


def read_records(
    db: Database,
    query: LiteralString,
    parameters: Mapping[str, Any] | None = None,
    *,
    quiet: bool = False,
) -> Iterator[Record]:
    """Run a read in a session of its own and yield its records as they arrive.

    ``quiet`` turns the server's notifications off (a statement that uses ``id()`` on purpose,
    for speed, would otherwise log a deprecation each time). Errors map as in
    :class:`~graphcoord.db.Database`.
    """
    db.round_trips += 1
    options: dict[str, Any] = {"notifications_min_severity": "OFF"} if quiet else {}
    try:
        with db.session(fetch_size=20_000, **options) as session:
            yield from session.run(query, dict(parameters or {}))
    except AuthError as error:
        raise DatabaseAuthError(db.uri, db.settings.neo4j_username) from error
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        raise DatabaseUnavailable(db.uri, str(error).strip().splitlines()[0]) from error


def stream_batches(
    db: Database, query: LiteralString, parameters: Mapping[str, Any] | None = None
) -> Iterator[Any]:
    """Run a batched read (ending with :data:`BATCHED`) and yield its rows as batches arrive."""
    for record in read_records(db, query, parameters):
        yield from record[0]
