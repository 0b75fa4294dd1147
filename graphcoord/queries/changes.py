"""The change feed of graphcoord's Neo4j launcher: ``CALL graphcoord.changes($since)``.

The launcher (neo4j-server/src/main/java/graphcoord/server/ChangeFeed.java) summarises every
committed transaction -- labels and relationship types touched, node keys (``+Deputy:D1``
created, ``-…`` deleted, ``~…`` changed, with the properties changed) and relationship endpoints
(``+CONTACTS|D1|321302001001``) -- in a bounded log. An external Neo4j has no such procedure;
:func:`read_changes` then returns ``None`` and the caller falls back to the database's bookmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j.exceptions import ClientError

from graphcoord.db import Database

__all__ = ["ChangeRecord", "FeedState", "read_changes"]

CHANGES: LiteralString = """
CALL graphcoord.changes($since) YIELD epoch, head, oldest, changes
RETURN epoch, head, oldest, changes
"""

_NO_PROCEDURE = "Neo.ClientError.Procedure.ProcedureNotFound"


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """What one committed transaction touched."""

    seq: int
    labels: frozenset[str]
    types: frozenset[str]
    #: ``+Label:key`` created, ``-Label:key`` deleted, ``~Label:key`` changed.
    nodes: tuple[str, ...]
    #: ``+TYPE|start key|end key`` created, ``-…`` deleted, ``~…`` properties changed.
    relationships: tuple[str, ...]
    #: ``Label.property`` of the node properties set or removed.
    properties: frozenset[str]
    #: More was touched than the record lists: treat every label and type named as wholly
    #: changed.
    truncated: bool

    @classmethod
    def from_map(cls, row: dict[str, Any]) -> ChangeRecord:
        return cls(
            seq=int(row["seq"]),
            labels=frozenset(row["labels"]),
            types=frozenset(row["types"]),
            nodes=tuple(row["nodes"]),
            relationships=tuple(row["relationships"]),
            properties=frozenset(row.get("properties") or ()),
            truncated=bool(row["truncated"]),
        )


@dataclass(frozen=True, slots=True)
class FeedState:
    """Where the feed stands: its run (``epoch``), last and oldest kept sequence numbers, and
    the records after the ``since`` asked for."""

    epoch: str
    head: int
    oldest: int
    records: tuple[ChangeRecord, ...]


def read_changes(db: Database, since: int) -> FeedState | None:
    """The feed after ``since``, or ``None`` when the server has no change feed."""
    try:
        record = db.run_autocommit(CHANGES, {"since": since}, write=False)[0]
    except ClientError as error:
        if error.code == _NO_PROCEDURE:
            return None
        raise
    return FeedState(
        epoch=str(record["epoch"]),
        head=int(record["head"]),
        oldest=int(record["oldest"]),
        records=tuple(ChangeRecord.from_map(row) for row in record["changes"]),
    )
