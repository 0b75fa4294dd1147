"""Signing in and out of the console (``/console/login``, ``/console/logout``).

The login form is CSRF-protected too, as the public form is: a signed double-submit token
(:mod:`graphcoord.web.csrf`, the same cookie). Every refusal reads the same (wrong name, wrong password, locked, disabled), and
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
from graphcoord.web import csrf

__all__ = ["LoginPages"]


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
        secret = self.pages.settings.signing_secret
        token = request.cookies.get(csrf.COOKIE)
        if not csrf.token_is_valid(secret, token, max_age=csrf.MAX_AGE // 2):
            token = csrf.issue_token(secret)
        response = self.pages.render(
            "login.html",
            None,
            status,
            csrf=token,
            next=_next(request.query_params.get("next")),
            error=error,
            username=request.query_params.get("username", ""),
        )
        response.set_cookie(
            csrf.COOKIE,
            str(token),
            max_age=csrf.MAX_AGE,
            path="/",
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
        form = await request.form()
        sessions = self.pages.sessions
        secret = self.pages.settings.signing_secret
        if not csrf.double_submit_ok(
            secret, request.cookies.get(csrf.COOKIE), str(form.get(csrf.FIELD) or "")
        ):
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
