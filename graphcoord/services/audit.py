"""The audit trail: every change a person makes, through the console or GraphQL, with who
made it and when.

The services that change the graph on a person's behalf (contacts, conveners, activities,
issue status and handling, letters, imports, accounts, proposals and their review meetings,
report-backs, stations' activity days) call :func:`record` after the change succeeded;
surfaces never write the trail themselves, so both surfaces leave the same trace.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol

from graphcoord.db import Database
from graphcoord.model import CHINA, AuditAction
from graphcoord.queries.audit import AuditRow, audit_page, record_event

__all__ = ["Acting", "AuditRow", "audit_page", "record"]


class Acting(Protocol):
    """Who acts: a :class:`~graphcoord.auth.Principal` or an issue's ``Actor``."""

    @property
    def role(self) -> str: ...

    @property
    def who(self) -> str: ...


#: Longest detail kept with an event.
_DETAIL = 500


def record(
    db: Database,
    actor: Acting | None,
    action: AuditAction,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Write one event; ``actor`` ``None`` (a script with no caller) is recorded as ``system``."""
    record_event(
        db,
        {
            "id": uuid.uuid4().hex,
            # To the microsecond: the trail is read newest first, and the steps of one
            # workflow often fall within the same second.
            "at": dt.datetime.now(CHINA),
            "actor": actor.who if actor is not None else "system",
            "role": actor.role if actor is not None else "system",
            "action": action.value,
            "target": target,
            "detail": (detail or "")[:_DETAIL] or None,
        },
    )
