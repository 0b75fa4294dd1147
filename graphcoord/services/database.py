"""The database itself: starting the local Neo4j, the schema (constraints and indexes), status.

Surfaces call these rather than :mod:`graphcoord.localserver` and the queries: ``graphcoord db
…``, ``graphcoord up``, the test suite and the benchmarks start a database the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.localserver import LocalNeo4j
from graphcoord.queries.constraints import migrate as create_constraints
from graphcoord.queries.meta import LabelCount, label_counts

__all__ = [
    "DatabaseStatus",
    "LabelCount",
    "ensure_database",
    "label_counts",
    "migrate",
    "status",
    "stop",
]


def _quiet(message: str) -> None:
    return None


def ensure_database(settings: Settings, *, say: Callable[[str], None] = _quiet) -> None:
    """Start the local server when it is the one in use (building it on first use), then
    create every constraint and index; ``say`` is told what happens, for people to read."""
    if settings.is_local:
        server = LocalNeo4j(settings)
        if not server.is_built():
            say("building the Neo4j launcher (first time only)…")
            say(f"built in {server.build():.1f} s")
        seconds = server.start()
        if seconds:
            say(f"Neo4j started on {settings.uri} in {seconds:.1f} s")
        else:
            say(f"Neo4j already running on {settings.uri}")
    else:
        say(f"using the external Neo4j at {settings.uri}")
    db = Database(settings)
    try:
        create_constraints(db)
    finally:
        db.close()


def migrate(db: Database) -> int:
    """Create every constraint and index that is missing; how many statements ran."""
    return create_constraints(db)


def stop(settings: Settings) -> bool:
    """Stop the local server of the settings' state folder; ``False`` if it was not running."""
    return LocalNeo4j(settings).stop()


@dataclass(frozen=True)
class DatabaseStatus:
    running: bool
    uri: str
    version: str | None
    nodes: int | None
    detail: str
    pid: int | None = None


def status(settings: Settings) -> DatabaseStatus:
    """Whether the database answers, its version, address and node count."""
    if settings.is_local:
        state = LocalNeo4j(settings).status()
        return DatabaseStatus(
            running=state.running and state.agent is not None,
            uri=state.uri,
            version=state.agent,
            nodes=state.nodes,
            detail=state.detail,
            pid=state.pid,
        )
    db = Database(settings)
    try:
        server = db.server_info()
    finally:
        db.close()
    return DatabaseStatus(
        running=True,
        uri=settings.uri,
        version=server["agent"],
        nodes=server["nodes"],
        detail="external server",
    )
