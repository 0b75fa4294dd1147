"""Console accounts: create, list, disable, reset a password, and sign in with lockout.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults, re-hashed when they change);
the password itself is never stored nor logged. After :data:`~graphcoord.model.LOCKOUT_FAILURES`
consecutive failures an account is locked for :data:`~graphcoord.model.LOCKOUT_MINUTES`; a
wrong password, an unknown name, a disabled or a locked account all get the same answer, so a
guesser learns nothing about which names exist. Every change is in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graphcoord.auth import ROLES, Principal
from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound, Unauthenticated
from graphcoord.model import (
    LOCKOUT_FAILURES,
    LOCKOUT_MINUTES,
    MIN_PASSWORD_LENGTH,
    USERNAME_PATTERN,
    AuditAction,
    DeputyStatus,
    now_in_china,
)
from graphcoord.queries import users as queries
from graphcoord.queries.deputies import deputies_by_id
from graphcoord.queries.users import UserRow
from graphcoord.services import access, audit

__all__ = [
    "Account",
    "authenticate",
    "create_user",
    "disable_user",
    "list_users",
    "principal_of",
    "reset_password",
    "session_account",
]

_HASHER = PasswordHasher()
_USERNAME = re.compile(USERNAME_PATTERN)
#: Verified when the name is unknown, so that a refusal takes as long either way.
_DUMMY_HASH = _HASHER.hash("graphcoord-no-such-user")


@dataclass(frozen=True)
class Account:
    """An account as the console and the CLI show it (no hash)."""

    username: str
    role: str
    deputy_id: str | None
    display_name: str | None
    disabled: bool
    locked_until: dt.datetime | None
    session_epoch: int
    created_at: dt.datetime | None
    last_login_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: UserRow) -> Account:
        return cls(
            username=row.username,
            role=row.role,
            deputy_id=row.deputy_id,
            display_name=row.display_name,
            disabled=row.disabled,
            locked_until=row.locked_until,
            session_epoch=row.session_epoch,
            created_at=row.created_at,
            last_login_at=row.last_login_at,
        )

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    @property
    def principal(self) -> Principal:
        return Principal(role=self.role, deputy_id=self.deputy_id, username=self.username)


def principal_of(account: Account) -> Principal:
    return account.principal


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput("a password needs at least {length} characters", length=MIN_PASSWORD_LENGTH)
    if password.strip() != password or not password.isprintable():
        raise BadInput("a password may not start or end with spaces nor hold control characters")


def create_user(
    db: Database,
    username: str,
    role: str,
    password: str,
    *,
    deputy_id: str | None = None,
    display_name: str | None = None,
    actor: Principal | None = None,
) -> Account:
    """Create an account; a deputy's account names an existing deputy."""
    if actor is not None:
        access.require(actor, access.ADMINS, "managing accounts")
    username = username.strip()
    if not _USERNAME.match(username):
        raise BadInput(
            "username {username!r} must be 3-40 letters, digits, '.', '_' or '-'",
            username=username,
        )
    if role not in ROLES:
        raise BadInput("role {role!r} is not one of {roles}", role=role, roles=", ".join(ROLES))
    if role == "deputy":
        if not deputy_id:
            raise BadInput("a deputy's account needs the deputy's id")
        if deputy_id not in deputies_by_id(db, [deputy_id]):
            raise NotFound("deputy", deputy_id)
    elif deputy_id:
        raise BadInput("only a deputy's account names a deputy")
    _check_password(password)
    row = queries.create_user(
        db,
        username=username,
        role=role,
        deputy_id=deputy_id,
        display_name=(display_name or "").strip() or None,
        password_hash=_HASHER.hash(password),
        at=now_in_china(),
    )
    if row is None:
        raise BadInput("username {username!r} is taken", username=username)
    audit.record(db, actor, AuditAction.USER_CREATED, f"user:{username}", f"role {role}")
    return Account.from_row(row)


def list_users(
    db: Database, *, skip: int = 0, limit: int = 100, actor: Principal | None = None
) -> tuple[int, list[Account]]:
    """Accounts by username: (total, up to ``limit + 1``)."""
    if actor is not None:
        access.require(actor, access.ADMINS, "managing accounts")
    total, rows = queries.user_page(db, skip=skip, limit=limit)
    return total, [Account.from_row(r) for r in rows]


def disable_user(
    db: Database, username: str, *, disabled: bool = True, actor: Principal | None = None
) -> Account:
    """Disable (or enable again) an account; its open sessions end at their next request."""
    if actor is not None:
        access.require(actor, access.ADMINS, "managing accounts")
    row = queries.set_disabled(db, username, disabled)
    if row is None:
        raise NotFound("user", username)
    audit.record(
        db,
        actor,
        AuditAction.USER_DISABLED,
        f"user:{username}",
        "disabled" if disabled else "enabled",
    )
    return Account.from_row(row)


def reset_password(
    db: Database, username: str, password: str, *, actor: Principal | None = None
) -> Account:
    """Set a new password: unlocks the account and ends its open sessions."""
    if actor is not None:
        access.require(actor, access.ADMINS, "managing accounts")
    _check_password(password)
    row = queries.set_password(db, username, _HASHER.hash(password))
    if row is None:
        raise NotFound("user", username)
    audit.record(db, actor, AuditAction.PASSWORD_RESET, f"user:{username}")
    return Account.from_row(row)


_REFUSED = "the username or password is wrong, or the account is locked or disabled"


def authenticate(
    db: Database, username: str, password: str, *, now: dt.datetime | None = None
) -> Account:
    """The account whose password this is; :class:`Unauthenticated` otherwise (one message for
    every refusal). Counts failures and locks the account at the limit."""
    now = now or now_in_china()
    username = username.strip()
    row = queries.get_user(db, username) if _USERNAME.match(username) else None
    if row is None:
        _verify(_DUMMY_HASH, password)
        raise Unauthenticated(_REFUSED)
    who = Principal(role=row.role, deputy_id=row.deputy_id, username=row.username)
    if (
        row.disabled
        or (row.locked_until is not None and row.locked_until > now)
        or not _deputy_serves(row)
    ):
        _verify(row.password_hash, password)
        audit.record(
            db, who, AuditAction.LOGIN_FAILED, f"user:{username}", "disabled, locked or left"
        )
        raise Unauthenticated(_REFUSED)
    if not _verify(row.password_hash, password):
        failed = queries.login_failed(
            db,
            username,
            limit=LOCKOUT_FAILURES,
            lock_until=now + dt.timedelta(minutes=LOCKOUT_MINUTES),
        )
        locked = failed is not None and failed[1]
        action = AuditAction.LOCKED_OUT if locked else AuditAction.LOGIN_FAILED
        audit.record(db, who, action, f"user:{username}")
        raise Unauthenticated(_REFUSED)
    queries.login_succeeded(db, username, now)
    audit.record(db, who, AuditAction.LOGIN, f"user:{username}")
    return Account.from_row(row)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_account(db: Database, username: str, epoch: int) -> Account | None:
    """The account a session cookie names, if it may still act: it exists, is enabled, and
    its password was not reset (nor the account disabled) since the session began."""
    row = queries.get_user(db, username)
    if row is None or row.disabled or row.session_epoch != epoch or not _deputy_serves(row):
        return None
    return Account.from_row(row)


def _deputy_serves(row: UserRow) -> bool:
    """A deputy's account acts only while the deputy exists and has not LEFT (as a deputy's
    bearer token, :mod:`graphcoord.services.tokens`); other roles have no deputy."""
    if row.role != "deputy":
        return True
    return bool(row.deputy_exists) and row.deputy_status != DeputyStatus.LEFT.value
