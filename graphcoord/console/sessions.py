"""The console's session cookie: signed, timed, HttpOnly, SameSite=Strict.

The cookie holds the username, the account's session epoch, a random session id and the time
it was first issued, signed with itsdangerous (HMAC-SHA1 over a key derived from the settings'
signing secret, which lives in the state folder, with a salt of its own). It is re-issued with
every answer, so it expires after :data:`~graphcoord.model.SESSION_IDLE_MINUTES` without a
request, and after :data:`ABSOLUTE_HOURS` in any case.

Why not starlette's ``SessionMiddleware``: it would put a cookie on every route of the
application (the public pages too) and trusts whatever the cookie says until it expires. Here
the account is read on every request, and a session whose account was disabled or whose
password was reset (the epoch moved on) ends at once. The CSRF token of the console's forms
is bound to the session's random id (:func:`graphcoord.web.csrf.session_token`), so every
POST is bound to the session that rendered its form.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from graphcoord.model import SESSION_IDLE_MINUTES

__all__ = ["ABSOLUTE_HOURS", "COOKIE", "Session", "Sessions"]

COOKIE = "gc_console"
#: A session ends this many hours after sign-in, however busy.
ABSOLUTE_HOURS = 12


@dataclass(frozen=True)
class Session:
    username: str
    epoch: int
    sid: str
    issued: int


class Sessions:
    """Issues and reads session cookies with one secret."""

    def __init__(self, secret: str, *, idle_minutes: int = SESSION_IDLE_MINUTES) -> None:
        self.idle_seconds = idle_minutes * 60
        self._serializer = URLSafeTimedSerializer(secret, salt="graphcoord-console-session")

    def new(self, username: str, epoch: int) -> Session:
        return Session(username, epoch, secrets.token_urlsafe(18), int(time.time()))

    def dumps(self, session: Session) -> str:
        return str(
            self._serializer.dumps([session.username, session.epoch, session.sid, session.issued])
        )

    def loads(self, value: str | None) -> Session | None:
        """The session of a cookie, or ``None`` if it is missing, forged, idle or too old."""
        if not value:
            return None
        try:
            username, epoch, sid, issued = self._serializer.loads(value, max_age=self.idle_seconds)
        except (BadSignature, ValueError, TypeError):
            return None
        if time.time() - int(issued) > ABSOLUTE_HOURS * 3600:
            return None
        return Session(str(username), int(epoch), str(sid), int(issued))
