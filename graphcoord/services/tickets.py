"""The 12345 hotline platform as seen by graphcoord: a ticket number and a dispatch.

:class:`TicketGateway` is the plug point of a real 12345 integration (an HTTP client of the
city platform would implement it). The application makes one gateway at start
(:func:`gateway_for`) and every surface uses it. :class:`LocalTicketGateway` stands in for it:
numbers ``12345-YYYY-NNNNNN`` come from one ``TicketCounter`` node per year in Neo4j
(incremented under the node's write lock, so concurrent submissions never share a number), and
every dispatch is recorded as a ``(:Ticket {number, issueId, dispatchedAt, gateway})-[:FOR]->(:Issue)`` node.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from graphcoord.db import Database
from graphcoord.model import CHINA
from graphcoord.queries import tickets as ticket_queries

__all__ = ["Dispatch", "LocalTicketGateway", "TicketGateway", "TicketRequest", "gateway_for"]


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
        return f"{prefix}{ticket_queries.next_number(self.db, year, prefix):06d}"

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


def gateway_for(db: Database) -> TicketGateway:
    """The 12345 gateway of an application over ``db`` (the local stand-in: graphcoord has no
    client of a real platform yet; one would be chosen here from the settings)."""
    return LocalTicketGateway(db)
