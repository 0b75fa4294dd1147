"""Signing in and out of the console (``/console/login``, ``/console/logout``).

The login form is CSRF-protected too (a signed pre-session cookie holds the nonce its token is
made from). Every refusal reads the same (wrong name, wrong password, locked, disabled), and
the account is locked after repeated failures (:mod:`graphcoord.services.accounts`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from graphcoord.console.base import ConsolePages, Signed
from graphcoord.errors import Unauthenticated
from graphcoord.i18n import gettext as _
from graphcoord.model import AuditAction
from graphcoord.services import accounts, audit
from graphcoord.threads import blocking

__all__ = ["LoginPages"]

PRE_SESSION = "gc_console_login"
_MAX_FORM_BYTES = 8_000


def _next(value: str | None) -> str:
    """Only a path of the console: never another site (an open redirect)."""
    parts = urlsplit(value or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/console"):
        return "/console"
    return parts.path + (f"?{parts.query}" if parts.query else "")


class LoginPages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages

    def _form(self, request: Request, *, error: str | None = None, status: int = 200) -> Response:
        sessions = self.pages.sessions
        pre = sessions.loads(request.cookies.get(PRE_SESSION)) or sessions.new("", 0)
        response = self.pages.render(
            "login.html",
            None,
            status,
            csrf=sessions.csrf_token(pre),
            next=_next(request.query_params.get("next")),
            error=error,
            username=request.query_params.get("username", ""),
        )
        response.set_cookie(
            PRE_SESSION,
            sessions.dumps(pre),
            max_age=sessions.idle_seconds,
            path="/console",
            httponly=True,
            samesite="strict",
            secure=self.pages.secure_cookie,
        )
        return response

    async def login_form(self, request: Request) -> Response:
        if await self.pages.signed_in(request) is not None:
            return RedirectResponse(_next(request.query_params.get("next")), status_code=303)
        return self._form(request)

    async def login(self, request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > _MAX_FORM_BYTES:
            return self._form(request, error=_("The form is too large."), status=413)
        form = await request.form()
        sessions = self.pages.sessions
        pre = sessions.loads(request.cookies.get(PRE_SESSION))
        if pre is None or not sessions.csrf_ok(pre, str(form.get("csrf") or "")):
            return self._form(
                request, error=_("The page has expired; please sign in again."), status=403
            )
        username = str(form.get("username") or "")
        password = str(form.get("password") or "")
        try:
            account = await blocking(accounts.authenticate, self.pages.db, username, password)
        except Unauthenticated as error:
            return self._form(request, error=error.translated(), status=401)
        session = sessions.new(account.username, account.session_epoch)
        response = RedirectResponse(_next(str(form.get("next") or "")), status_code=303)
        self.pages.set_session(response, session)
        response.delete_cookie(PRE_SESSION, path="/console")
        return response

    async def logout(self, request: Request, signed: Signed) -> Response:
        await blocking(
            audit.record,
            self.pages.db,
            signed.principal,
            AuditAction.LOGOUT,
            f"user:{signed.account.username}",
        )
        response = RedirectResponse("/console/login", status_code=303)
        self.pages.clear_session(response)
        return response
