"""The audit trail: one ``AuditEvent`` node per change made by a person (who, when, what)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import native

__all__ = ["AuditRow", "audit_page", "record_event"]


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: dt.datetime
    actor: str
    role: str
    action: str
    target: str | None
    detail: str | None

    @classmethod
    def from_record(cls, e: dict[str, Any]) -> AuditRow:
        return cls(
            id=e["id"],
            at=native(e["at"]),
            actor=e["actor"],
            role=e["role"],
            action=e["action"],
            target=e.get("target"),
            detail=e.get("detail"),
        )


RECORD_EVENT: LiteralString = """
CREATE (e:AuditEvent {id: $id, at: $at, actor: $actor, role: $role, action: $action,
                      target: $target, detail: $detail})
"""

AUDIT_PAGE: LiteralString = """
MATCH (e:AuditEvent)
WHERE ($actor IS NULL OR e.actor = $actor) AND ($action IS NULL OR e.action = $action)
  AND ($target IS NULL OR e.target = $target)
WITH e ORDER BY e.at DESC, e.id
WITH collect(e) AS matched
RETURN size(matched) AS total, [x IN matched[$skip..($skip + $limit + 1)] | properties(x)] AS page
"""


def record_event(db: Database, event: dict[str, Any]) -> None:
    db.write(RECORD_EVENT, event)


def audit_page(
    db: Database,
    *,
    skip: int,
    limit: int,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
) -> tuple[int, list[AuditRow]]:
    """Events newest first: (total, up to ``limit + 1`` rows)."""
    record = db.execute(
        AUDIT_PAGE,
        {"skip": skip, "limit": limit, "actor": actor, "action": action, "target": target},
    )[0]
    return int(record["total"]), [AuditRow.from_record(e) for e in record["page"]]
