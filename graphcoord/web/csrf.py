"""CSRF protection of every form: a signed double-submit token, or a token bound to a session.

Forms sent without an account (the public form, the console's login) use the double submit:
the page sets a cookie holding ``nonce.issued.signature`` (HMAC-SHA256 with the settings'
signing secret) and puts the same token in a hidden field. A POST is accepted only when the
field equals the cookie, the signature is ours and the token is younger than :data:`MAX_AGE`:
another site can make a browser send the cookie but can neither read it nor forge a token.

Forms of a signed-in session (the console) carry :func:`session_token`, an HMAC of the
session's random id: it needs no cookie of its own, ends with the session, and a token taken
from one session is worth nothing in another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from starlette.responses import Response

__all__ = [
    "COOKIE",
    "FIELD",
    "MAX_AGE",
    "double_submit_ok",
    "form_token",
    "issue_token",
    "no_store_with_token",
    "session_token",
    "session_token_ok",
    "token_is_valid",
]

COOKIE = "gc_csrf"
FIELD = "csrf"
MAX_AGE = 4 * 3600


def _signature(secret: str, payload: str, purpose: str = "graphcoord-csrf:") -> str:
    key = hashlib.sha256((purpose + secret).encode()).digest()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def issue_token(secret: str, now: float | None = None) -> str:
    """A new token: random nonce, issue time, signature."""
    payload = f"{secrets.token_urlsafe(18)}.{int(now if now is not None else time.time())}"
    return f"{payload}.{_signature(secret, payload)}"


def token_is_valid(
    secret: str, token: str | None, *, max_age: int = MAX_AGE, now: float | None = None
) -> bool:
    """True when ``token`` is ours and not expired."""
    if not token or token.count(".") != 2:
        return False
    nonce, issued, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(secret, f"{nonce}.{issued}")):
        return False
    try:
        age = (now if now is not None else time.time()) - int(issued)
    except ValueError:
        return False
    return 0 <= age <= max_age


def double_submit_ok(secret: str, cookie: str | None, field: str | None) -> bool:
    """The form's token equals the cookie's and is valid."""
    if not cookie or not field or not hmac.compare_digest(cookie, field):
        return False
    return token_is_valid(secret, cookie)


def session_token(secret: str, session_id: str) -> str:
    """The CSRF token of the forms of the session whose random id is ``session_id``."""
    return _signature(secret, session_id, "graphcoord-console-csrf:")


def session_token_ok(secret: str, session_id: str, token: str | None) -> bool:
    """Whether ``token`` is the token of that session."""
    return bool(token) and hmac.compare_digest(session_token(secret, session_id), str(token))


def form_token(secret: str, cookie: str | None) -> str:
    """The token a public form carries: the browser's own while it has half its life left (a
    form opened twice keeps working), else a new one."""
    if cookie is not None and token_is_valid(secret, cookie, max_age=MAX_AGE // 2):
        return cookie
    return issue_token(secret)


def no_store_with_token(response: Response, token: str, *, secure: bool) -> Response:
    """``response`` (a page with a form) with the double-submit cookie set and kept out of
    every cache: a cached form would carry another visitor's token."""
    response.set_cookie(
        COOKIE, token, max_age=MAX_AGE, path="/", httponly=True, samesite="strict", secure=secure
    )
    response.headers["Cache-Control"] = "no-store"
    return response
