"""Reading many rows fast: rows as lists, shipped in batches of up to 10,000 per record.

The driver's cost is per record, so a statement that ends with :data:`BATCHED` (after
``WITH [...] AS row``) and is read with :func:`stream_batches` reads ~20x faster at national
scale than one record per row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, LiteralString

from neo4j import READ_ACCESS
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graphcoord.db import Database
from graphcoord.errors import DatabaseAuthError, DatabaseUnavailable

__all__ = ["BATCHED", "stream_batches"]

#: The tail of a batched read: the ``row`` values collected into records of 10,000.
BATCHED: LiteralString = """
WITH collect(row) AS rows
UNWIND range(0, size(rows) - 1, 10000) AS i
RETURN rows[i..i + 10000] AS batch
"""


def stream_batches(
    db: Database, query: LiteralString, parameters: Mapping[str, Any] | None = None
) -> Iterator[Any]:
    """Run a batched read (ending with :data:`BATCHED`) and yield its rows as the batches arrive."""
    db.round_trips += 1
    try:
        with db.driver.session(
            database=db.settings.neo4j_database, default_access_mode=READ_ACCESS, fetch_size=20_000
        ) as session:
            for record in session.run(query, dict(parameters or {})):
                yield from record[0]
    except AuthError as error:
        raise DatabaseAuthError(db.uri, db.settings.neo4j_username) from error
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        raise DatabaseUnavailable(db.uri, str(error).strip().splitlines()[0]) from error
