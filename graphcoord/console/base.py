"""What every console page shares: the signed-in account, rendering, CSRF, errors, CSV.

:meth:`ConsolePages.page` wraps a handler: it reads the session cookie (a missing, idle or
ended session goes to the login page), checks the role the page needs with
:func:`graphcoord.services.access.require` (the check GraphQL makes), turns a
:class:`~graphcoord.errors.GraphcoordError` into a page that says what went wrong in the
clerk's language, and re-issues the cookie so that the idle timeout starts again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from graphcoord import i18n
from graphcoord.auth import Principal
from graphcoord.config import Settings
from graphcoord.console.sessions import COOKIE, Session, Sessions
from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, GraphcoordError, Unauthenticated
from graphcoord.model import (
    CHINA,
    COLOUR_NAMES,
    EVENT_NAMES,
    LEVEL_NAMES,
    LEVEL_SHORT_NAMES,
    OUTCOME_NAMES,
    STATUS_NAMES,
)
from graphcoord.rules import require_area_code
from graphcoord.services import access, accounts, drilldown
from graphcoord.services.tickets import TicketGateway
from graphcoord.threads import blocking
from graphcoord.web import csrf

__all__ = ["ConsolePages", "Handler", "Signed", "csv_response"]


@dataclass(frozen=True)
class Signed:
    """The request's signed-in account and session."""

    account: accounts.Account
    session: Session
    csrf: str

    @property
    def principal(self) -> Principal:
        return self.account.principal

    def can(self, roles: frozenset[str]) -> bool:
        return access.can(self.principal, roles)


Handler = Callable[[Request, Signed], Awaitable[Response]]

#: The console's pages in the order of its menu: (path, title msgid, roles that see it).
MENU: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/console/coverage", i18n.N_("Coverage"), access.READERS),
    ("/console/suggestions", i18n.N_("Gap-closing suggestions"), access.READERS),
    ("/console/groups", i18n.N_("Collaborative groups"), access.READERS),
    ("/console/issues", i18n.N_("Opinion handling"), access.READERS),
    ("/console/imports", i18n.N_("Roster import"), access.ADMINS),
    ("/console/deputies", i18n.N_("Deputies"), access.READERS),
    ("/console/audit", i18n.N_("Audit trail"), access.ADMINS),
)


def _when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=_when, percent=_percent, tojson_attr=lambda v: json.dumps(v))
    env.globals.update(
        _=i18n.gettext,
        level_names=LEVEL_NAMES,
        level_short=LEVEL_SHORT_NAMES,
        status_names=STATUS_NAMES,
        colour_names=COLOUR_NAMES,
        event_names=EVENT_NAMES,
        outcome_names=OUTCOME_NAMES,
        menu=MENU,
        roles=access,
    )
    return env


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """A CSV download (UTF-8 with BOM, which Excel opens as Chinese text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = "\ufeff" + buffer.getvalue()
    return Response(
        data.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )


class ConsolePages:
    """The console's shared machinery, bound to one database, settings and ticket gateway."""

    def __init__(self, db: Database, settings: Settings, gateway: TicketGateway) -> None:
        self.db = db
        self.settings = settings
        self.gateway = gateway
        self.env = environment()
        self.sessions = Sessions(settings.signing_secret)
        self.secure_cookie = settings.public_base_url.startswith("https://")

    # -- rendering -------------------------------------------------------------------------
    def render(
        self, template: str, signed: Signed | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            signed=signed, locale=i18n.current_locale(), **context
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    def problem(self, signed: Signed | None, status: int, error: GraphcoordError) -> HTMLResponse:
        return self.render("problem.html", signed, status, error=error, message=error.translated())

    def set_session(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self.sessions.dumps(session),
            max_age=self.sessions.idle_seconds,
            path="/console",
            httponly=True,
            samesite="strict",
            secure=self.secure_cookie,
        )

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE, path="/console", httponly=True, samesite="strict", secure=self.secure_cookie
        )

    async def area(self, request: Request) -> str:
        """The area a page is about (``?area=``), else the top area of the graph."""
        code = request.query_params.get("area", "").strip()
        if code:
            return require_area_code(code)
        top = await blocking(drilldown.top_areas, self.db, 1)
        if not top:
            raise BadInput("the graph holds no area yet: import or seed one first")
        return top[0].code

    # -- the session -----------------------------------------------------------------------
    async def signed_in(self, request: Request) -> Signed | None:
        session = self.sessions.loads(request.cookies.get(COOKIE))
        if session is None or not session.username:
            return None
        account = await blocking(accounts.session_account, self.db, session.username, session.epoch)
        if account is None:
            return None
        return Signed(
            account, session, csrf.session_token(self.settings.signing_secret, session.sid)
        )

    def page(
        self, roles: frozenset[str], handler: Handler, *, what: str = "this page"
    ) -> Callable[[Request], Awaitable[Response]]:
        """``handler`` for the signed-in accounts of ``roles``; POSTs must carry the CSRF
        token (form field ``csrf`` or header ``X-CSRF-Token``)."""

        async def endpoint(request: Request) -> Response:
            signed = await self.signed_in(request)
            if signed is None:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                response: Response = RedirectResponse(
                    f"/console/login?next={quote(target)}", status_code=303
                )
                self.clear_session(response)
                return response
            try:
                access.require(signed.principal, roles, what)
                if request.method == "POST" and not await self._csrf_ok(request, signed):
                    raise Forbidden(
                        "the form has expired or did not come from the console; reload the "
                        "page and try again"
                    )
                response = await handler(request, signed)
            except Unauthenticated as error:
                response = self.problem(signed, 401, error)
            except Forbidden as error:
                response = self.problem(signed, 403, error)
            except GraphcoordError as error:
                status = {"NOT_FOUND": 404, "UNAVAILABLE": 503, "RULE_VIOLATION": 409}
                response = self.problem(signed, status.get(error.code, 400), error)
            marker = COOKIE.encode() + b"="
            if not any(
                k == b"set-cookie" and v.startswith(marker) for k, v in response.raw_headers
            ):
                self.set_session(response, signed.session)  # the idle timeout starts again
            return response

        return endpoint

    async def _csrf_ok(self, request: Request, signed: Signed) -> bool:
        token = request.headers.get("x-csrf-token")
        if token is None:
            form = await request.form()
            token = str(form.get("csrf") or "")
        return csrf.session_token_ok(self.settings.signing_secret, signed.session.sid, token)
