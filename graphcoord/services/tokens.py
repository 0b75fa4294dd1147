"""Who is calling: bearer tokens verified, then checked against revocations in the database.

:class:`Callers` is what the application asks for every request. The signature of a token is
verified once and kept until the token expires (:class:`graphcoord.auth.VerifiedTokens`); then
the database says whether the token was revoked (``graphcoord token revoke ID``), whether its
deputy's token version is still the token's (``graphcoord token revoke --deputy ID`` raises
it) and whether the deputy is still ACTIVE (a deputy who LEFT is refused). That answer, one
round trip, is kept for ``GRAPHCOORD_REVOCATION_REFRESH`` seconds (2 by default) per token, so
a revocation takes effect within that time on every server, at the cost of one small query per
token and refresh period, not one per request (docs/hardening.md has the figures). The checks
have a driver of their own (:meth:`Callers.close` closes it): a busy query pool never delays
them, and a request's round trips (``Database.round_trips``) count its own statements only.
"""

from __future__ import annotations

import datetime as dt
import time

from graphcoord.auth import PUBLIC, IssuedToken, Principal, VerifiedTokens, issue_token
from graphcoord.caching import BoundedCache
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound, RuleViolation, Unauthenticated
from graphcoord.model import DeputyStatus
from graphcoord.queries import tokens as queries

__all__ = [
    "DEPUTY_LEFT_RULE",
    "Callers",
    "create_token_for",
    "revoke_deputy_tokens",
    "revoke_token",
]

DEPUTY_LEFT_RULE = "token-deputy-active"


class Callers:
    """Verified, unrevoked principals of bearer tokens (see the module's docstring)."""

    def __init__(self, db: Database, settings: Settings, maxsize: int = 4096) -> None:
        self.db = Database(db.settings)
        self.verified = VerifiedTokens(settings.signing_secret, max_ttl=settings.token_max_ttl)
        refresh = settings.revocation_refresh
        #: token id -> why it is refused (``""``: it is not), until ``refresh`` seconds pass.
        self._checked: BoundedCache[str, tuple[float, str]] = BoundedCache(
            maxsize, expires=lambda _key, value, _now: value[0], timer=time.monotonic
        )
        self.refresh = refresh

    def close(self) -> None:
        self.db.close()

    def verify(self, header: str | None) -> Principal:
        """The principal of ``header``'s token, signature and lifetime checked (no database);
        raises :class:`Unauthenticated`."""
        return self.verified.principal(header)

    def needs_query(self, principal: Principal) -> bool:
        """Whether :meth:`check` would ask the database (so the caller may run it in a thread)."""
        return principal.token_id is not None and self._checked.get(principal.token_id) is None

    def check(self, principal: Principal) -> Principal:
        """``principal`` if its token is neither revoked nor its deputy's cut off or gone;
        raises :class:`Unauthenticated` saying why otherwise."""
        if principal is PUBLIC or principal.token_id is None:
            return principal
        known = self._checked.get(principal.token_id)
        if known is None:
            reason = self._refusal(principal)
            known = (time.monotonic() + self.refresh, reason)
            if self.refresh > 0:
                self._checked.put(principal.token_id, known)
        if known[1]:
            raise Unauthenticated(known[1])
        return principal

    def principal(self, header: str | None) -> Principal:
        """:meth:`verify` then :meth:`check`: the caller of a request (blocking)."""
        return self.check(self.verify(header))

    def _refusal(self, principal: Principal) -> str:
        assert principal.token_id is not None
        state = queries.token_state(self.db, principal.token_id, principal.deputy_id)
        if state.revoked:
            return "the bearer token has been revoked; ask for a new one"
        if principal.role != "deputy":
            return ""
        if not state.deputy_exists:
            return f"deputy {principal.deputy_id} of this bearer token no longer exists"
        if state.status == DeputyStatus.LEFT.value:
            return f"deputy {principal.deputy_id} has left (status LEFT): their tokens are refused"
        if state.version != principal.version:
            return (
                f"the tokens of deputy {principal.deputy_id} were revoked "
                "(graphcoord token revoke --deputy); ask for a new one"
            )
        return ""


def create_token_for(
    db: Database | None,
    settings: Settings,
    role: str,
    *,
    deputy_id: str | None = None,
    ttl_seconds: int,
) -> IssuedToken:
    """A token for ``role``; a deputy's carries the deputy's current token version and is
    refused for an unknown deputy or one who LEFT (``db`` is needed for deputy tokens only)."""
    version = 0
    if role == "deputy" and deputy_id:
        if db is None:  # pragma: no cover - the CLI always passes one for deputies
            raise BadInput("a deputy token needs the database")
        state = queries.deputy_token_state(db, deputy_id)
        if state is None:
            raise NotFound("deputy", deputy_id)
        if state.status == DeputyStatus.LEFT.value:
            raise RuleViolation(
                DEPUTY_LEFT_RULE, f"deputy {deputy_id} has left (status LEFT)", [deputy_id]
            )
        version = state.version
    return issue_token(
        settings.signing_secret,
        role,
        deputy_id=deputy_id,
        ttl_seconds=ttl_seconds,
        version=version,
        max_ttl=settings.token_max_ttl,
    )


def revoke_token(
    db: Database, settings: Settings, token_id: str, *, expires: float | None = None
) -> None:
    """Revoke one token by its id; kept until it would have expired (``expires``, Unix time,
    else the longest a token may live from now)."""
    token_id = token_id.strip()
    if not token_id or len(token_id) > 64 or not token_id.isalnum():
        raise BadInput(f"{token_id!r} is not a token id (32 hexadecimal characters)")
    now = dt.datetime.now(dt.UTC)
    until = (
        dt.datetime.fromtimestamp(expires, dt.UTC)
        if expires is not None
        else now + dt.timedelta(seconds=settings.token_max_ttl)
    )
    queries.revoke(db, token_id, until, now)


def revoke_deputy_tokens(db: Database, deputy_id: str) -> int:
    """Cut off every token of a deputy issued so far; the deputy's new token version."""
    version = queries.raise_deputy_version(db, deputy_id)
    if version is None:
        raise NotFound("deputy", deputy_id)
    return version
