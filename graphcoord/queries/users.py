"""Console accounts (``User`` nodes): who signs in to the office console, with which role.

A user is keyed by ``username`` and holds the argon2 hash of its password (never the
password), its role, the deputy it is (deputies only), a ``disabled`` flag, the count of
consecutive failed logins and the time it is locked until. ``sessionEpoch`` grows whenever the
password is reset or the account disabled, which ends the sessions issued before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import native

__all__ = [
    "UserRow",
    "create_user",
    "get_user",
    "login_failed",
    "login_succeeded",
    "set_disabled",
    "set_password",
    "user_page",
]


@dataclass(frozen=True)
class UserRow:
    """A console account as stored (the hash included: only services/accounts reads it)."""

    username: str
    role: str
    deputy_id: str | None
    display_name: str | None
    password_hash: str
    disabled: bool
    failed_logins: int
    locked_until: dt.datetime | None
    session_epoch: int
    created_at: dt.datetime | None
    last_login_at: dt.datetime | None
    #: For a deputy's account read by :func:`get_user`: whether the deputy still exists, and
    #: their status (``None`` when not read).
    deputy_exists: bool | None = None
    deputy_status: str | None = None

    @classmethod
    def from_record(
        cls, u: dict[str, Any], deputy_exists: bool | None = None, deputy_status: str | None = None
    ) -> UserRow:
        return cls(
            username=u["username"],
            role=u["role"],
            deputy_id=u.get("deputyId"),
            display_name=u.get("displayName"),
            password_hash=u["passwordHash"],
            disabled=bool(u.get("disabled")),
            failed_logins=int(u.get("failedLogins") or 0),
            locked_until=native(u.get("lockedUntil")),
            session_epoch=int(u.get("sessionEpoch") or 0),
            created_at=native(u.get("createdAt")),
            last_login_at=native(u.get("lastLoginAt")),
            deputy_exists=deputy_exists,
            deputy_status=deputy_status,
        )


CREATE_USER: LiteralString = """
OPTIONAL MATCH (existing:User {username: $username})
WITH existing WHERE existing IS NULL
CREATE (u:User {username: $username, role: $role, deputyId: $deputyId,
                displayName: $displayName, passwordHash: $hash, disabled: false,
                failedLogins: 0, sessionEpoch: 0, createdAt: $at})
RETURN properties(u) AS u
"""

GET_USER: LiteralString = """
MATCH (u:User {username: $username})
OPTIONAL MATCH (d:Deputy {id: u.deputyId})
RETURN properties(u) AS u, d IS NOT NULL AS deputyExists, d.status AS deputyStatus
"""

USER_PAGE: LiteralString = """
MATCH (u:User)
WITH u ORDER BY u.username
WITH collect(u) AS matched
RETURN size(matched) AS total, [x IN matched[$skip..($skip + $limit + 1)] | properties(x)] AS page
"""

SET_DISABLED: LiteralString = """
MATCH (u:User {username: $username})
SET u.disabled = $disabled, u.sessionEpoch = coalesce(u.sessionEpoch, 0) + 1
RETURN properties(u) AS u
"""

SET_PASSWORD: LiteralString = """
MATCH (u:User {username: $username})
SET u.passwordHash = $hash, u.failedLogins = 0, u.lockedUntil = null,
    u.sessionEpoch = coalesce(u.sessionEpoch, 0) + 1
RETURN properties(u) AS u
"""

# A failure counts; the one that reaches the limit locks the account and starts counting anew.
LOGIN_FAILED: LiteralString = """
MATCH (u:User {username: $username})
WITH u, coalesce(u.failedLogins, 0) + 1 AS failures
SET u.failedLogins = CASE WHEN failures >= $limit THEN 0 ELSE failures END,
    u.lockedUntil = CASE WHEN failures >= $limit THEN $lockUntil ELSE u.lockedUntil END
RETURN properties(u) AS u, failures >= $limit AS locked
"""

LOGIN_SUCCEEDED: LiteralString = """
MATCH (u:User {username: $username})
SET u.failedLogins = 0, u.lockedUntil = null, u.lastLoginAt = $at
"""


def _one(records: list[Any]) -> UserRow | None:
    return UserRow.from_record(records[0]["u"]) if records else None


def create_user(
    db: Database,
    *,
    username: str,
    role: str,
    deputy_id: str | None,
    display_name: str | None,
    password_hash: str,
    at: dt.datetime,
) -> UserRow | None:
    """Create the account; ``None`` when the username is taken."""
    records = db.write(
        CREATE_USER,
        {
            "username": username,
            "role": role,
            "deputyId": deputy_id,
            "displayName": display_name,
            "hash": password_hash,
            "at": at,
        },
    )
    return _one(records)


def get_user(db: Database, username: str) -> UserRow | None:
    """The account, with its deputy's existence and status (one round trip)."""
    records = db.execute(GET_USER, {"username": username})
    if not records:
        return None
    record = records[0]
    return UserRow.from_record(record["u"], bool(record["deputyExists"]), record["deputyStatus"])


def user_page(db: Database, *, skip: int, limit: int) -> tuple[int, list[UserRow]]:
    """Accounts by username: (total, up to ``limit + 1`` rows)."""
    record = db.execute(USER_PAGE, {"skip": skip, "limit": limit})[0]
    return int(record["total"]), [UserRow.from_record(u) for u in record["page"]]


def set_disabled(db: Database, username: str, disabled: bool) -> UserRow | None:
    return _one(db.write(SET_DISABLED, {"username": username, "disabled": disabled}))


def set_password(db: Database, username: str, password_hash: str) -> UserRow | None:
    return _one(db.write(SET_PASSWORD, {"username": username, "hash": password_hash}))


def login_failed(
    db: Database, username: str, *, limit: int, lock_until: dt.datetime
) -> tuple[UserRow, bool] | None:
    """Count a failed login; (the account, whether this failure locked it)."""
    records = db.write(
        LOGIN_FAILED, {"username": username, "limit": limit, "lockUntil": lock_until}
    )
    if not records:
        return None
    return UserRow.from_record(records[0]["u"]), bool(records[0]["locked"])


def login_succeeded(db: Database, username: str, at: dt.datetime) -> None:
    db.write(LOGIN_SUCCEEDED, {"username": username, "at": at})
