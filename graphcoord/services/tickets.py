"""The 12345 hotline platform as seen by graphcoord: a ticket number and a dispatch.

:class:`TicketGateway` is the plug point of a real 12345 integration (an HTTP client of the
city platform would implement it). The application makes one gateway at start
(:func:`gateway_for`) and every surface uses it. :class:`LocalTicketGateway` stands in for it:
numbers ``12345-YYYY-NNNNNN`` come from one ``TicketCounter`` node per year in Neo4j, which a
process touches once per :data:`BLOCK` numbers (it reserves a block under the node's write
lock, then hands the block's numbers out from memory): numbers are never shared, submissions
do not queue on the counter, and a process that stops leaves the rest of its block unused (a
gap in the numbering). Every dispatch is recorded as a ``(:Ticket {number, issueId, dispatchedAt, gateway})-[:FOR]->(:Issue)`` node.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Protocol

from graphcoord.db import Database
from graphcoord.model import CHINA
from graphcoord.queries import tickets as ticket_queries

__all__ = [
    "BLOCK",
    "Dispatch",
    "LocalTicketGateway",
    "TicketGateway",
    "TicketRequest",
    "forget_reserved_numbers",
    "gateway_for",
]

#: Ticket numbers a process reserves at once.
BLOCK = 50


@dataclass(frozen=True)
class TicketRequest:
    """What the hotline platform needs to open and route a ticket (never the contact)."""

    issue_id: str
    title: str
    body: str
    category: str
    area_code: str
    area_name: str


@dataclass(frozen=True)
class Dispatch:
    """The platform's answer: the ticket number and when it was dispatched."""

    ticket: str
    dispatched_at: dt.datetime
    gateway: str


class TicketGateway(Protocol):
    """A 12345 platform: issues ticket numbers and dispatches tickets."""

    name: str

    def issue_number(self, at: dt.datetime) -> str:
        """A new, never reused ticket number."""
        ...

    def dispatch(self, ticket: str, request: TicketRequest, at: dt.datetime) -> Dispatch:
        """Hand the ticket to the platform; raise if it refuses (the issue stays RECEIVED)."""
        ...


class LocalTicketGateway:
    """A stand-in 12345 platform keeping its counter and dispatch log in Neo4j."""

    name = "local-12345"

    def __init__(self, db: Database) -> None:
        self.db = db

    def issue_number(self, at: dt.datetime) -> str:
        year = at.astimezone(CHINA).year
        prefix = f"12345-{year}-"
        return f"{prefix}{_blocks.take(self.db, year, prefix):06d}"

    def dispatch(self, ticket: str, request: TicketRequest, at: dt.datetime) -> Dispatch:
        ticket_queries.record_dispatch(
            self.db,
            issue_id=request.issue_id,
            number=ticket,
            at=at,
            gateway=self.name,
            category=request.category,
        )
        return Dispatch(ticket=ticket, dispatched_at=at, gateway=self.name)


class _Blocks:
    """The blocks of ticket numbers this process has reserved, per database and year."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[tuple[str, str, int], tuple[int, int]] = {}

    def take(self, db: Database, year: int, prefix: str) -> int:
        key = (db.uri, db.settings.neo4j_database, year)
        with self._lock:
            following, last = self._next.get(key, (1, 0))
            if following > last:
                last = ticket_queries.reserve_numbers(db, year, prefix, BLOCK)
                following = last - BLOCK + 1
            self._next[key] = (following + 1, last)
            return following

    def forget(self) -> None:
        """Drop the reserved blocks (their unused numbers are never handed out)."""
        with self._lock:
            self._next.clear()


_blocks = _Blocks()


def forget_reserved_numbers() -> None:
    """Forget this process's reserved ticket numbers (after the graph was emptied, in tests)."""
    _blocks.forget()


def gateway_for(db: Database) -> TicketGateway:
    """The 12345 gateway of an application over ``db`` (the local stand-in: graphcoord has no
    client of a real platform yet; one would be chosen here from the settings)."""
    return LocalTicketGateway(db)
