"""The public pages of the citizen channel: a village's page and form, and the tracking page.

``GET /v/{code}`` shows the village, its covering deputies by level (name and work unit, never a
phone) and the form; ``POST /v/{code}`` is rate limited per client address and per village,
checks the CSRF token, validates (clear Chinese messages, the form re-shown with its values)
and calls the same :func:`~graphcoord.services.issues.submit_issue` as GraphQL, then redirects
to ``/t/{trackingCode}``. The form carries a one-time submission key (the idempotency key), so a
double click or a resent form returns the first issue instead of making a second; when the
database is down the answer (503) shows the form again with what was typed and the same key.
The tracking page shows each change's status, time and public note only, the handling
(department, replies, outcome) and, once the issue is finished, the citizen's rating form
(``POST /t/{code}/rate``, CSRF-checked and rate limited like the form; 不满意 reopens the issue
once). Jinja2 autoescapes every value. What a citizen reads goes through the message catalogs
(:mod:`graphcoord.i18n`): Chinese by default, English with ``GRAPHCOORD_LANG=en``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from graphcoord import i18n
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, DatabaseUnavailable, NotFound, RuleViolation
from graphcoord.i18n import fill
from graphcoord.i18n import gettext as _
from graphcoord.model import (
    CATEGORIES,
    CHINA,
    EVENT_NAMES,
    LEVEL_NAMES,
    LEVEL_SHORT_NAMES,
    OUTCOME_NAMES,
    SATISFACTION_NAMES,
    STATUS_NAMES,
    SUBMISSION_KEY,
    SUBMISSION_LIMITS,
    Channel,
    Satisfaction,
)
from graphcoord.services import handling
from graphcoord.services import issues as tracking
from graphcoord.services.ratelimit import RateLimited, client_key, limits_for
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.threads import blocking
from graphcoord.web import csrf

__all__ = ["web_routes"]

_FORM_FIELDS = ("title", "category", "body", "contact")
#: The hidden field of the one-time submission key.
KEY_FIELD = "submission_key"


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.globals.update(
        _=i18n.gettext,
        level_names=LEVEL_NAMES,
        level_short=LEVEL_SHORT_NAMES,
        status_names=STATUS_NAMES,
        categories=CATEGORIES,
        limits=SUBMISSION_LIMITS,
        outcome_names=OUTCOME_NAMES,
        satisfaction_names=SATISFACTION_NAMES,
        event_names=EVENT_NAMES,
    )
    return env


class _Pages:
    """The handlers, bound to one database, settings and ticket gateway."""

    def __init__(self, db: Database, settings: Settings, gateway: TicketGateway) -> None:
        self.db = db
        self.settings = settings
        self.gateway = gateway
        self.env = _environment()
        self.limits = limits_for(settings)
        self.secure_cookie = settings.public_base_url.startswith("https://")

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(locale=i18n.current_locale(), **context)
        return HTMLResponse(html, status_code=status)

    def message(
        self,
        status: int,
        heading: str,
        text: str,
        back: str | None = None,
        *,
        back_label: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        response = self.render(
            "message.html", status, heading=heading, text=text, back=back, back_label=back_label
        )
        response.headers.update(headers or {})
        return response

    def client(self, request: Request) -> str:
        """Who is calling, for rate limits: the peer, or the client a trusted proxy names."""
        return client_key(
            request.client.host if request.client else None,
            request.headers,
            self.settings.trusted_proxies,
        )

    def not_found(self, what: str) -> HTMLResponse:
        """The 404 page; ``what`` is what was not found, in the reader's language."""
        return self.message(
            404,
            _("Page not found"),
            fill(
                "{what} was not found. Check that the QR code or tracking code is complete, or "
                "ask the deputies' liaison station of your village (community).",
                {"what": what},
            ),
        )

    def expired(self, back: str, *, rating: bool = False) -> HTMLResponse:
        """The 403 page of a form whose CSRF token is missing or old."""
        return self.message(
            403,
            _("The page has expired"),
            _("To keep your information safe, please go back, open the page again and rate again.")
            if rating
            else _(
                "To keep your information safe, please go back, open the page again and submit "
                "again."
            ),
            back=back,
            back_label=_("Go back and rate again") if rating else _("Go back and fill it in again"),
        )

    def unavailable(self) -> HTMLResponse:
        return self.message(
            503, _("The system is busy"), _("The system cannot answer now; please try again later.")
        )

    def unavailable_form(
        self, code: str, values: dict[str, str], token: str, key: str
    ) -> HTMLResponse:
        """The 503 answer to a submission: the form again, with what was typed and the same
        submission key, so sending it again later neither loses nor doubles it."""
        response = self.render(
            "retry.html", 503, code=code, values=values, csrf=token, submission_key=key
        )
        response.headers["Retry-After"] = "30"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def village_form(
        self,
        request: Request,
        code: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
        key: str | None = None,
    ) -> Response:
        try:
            village = await blocking(tracking.village_page, self.db, code)
        except NotFound:
            return self.not_found(fill("The village (community) with code {code}", {"code": code}))
        except DatabaseUnavailable:
            return self.unavailable()
        token = csrf.form_token(self.settings.signing_secret, request.cookies.get(csrf.COOKIE))
        response = self.render(
            "village.html",
            status,
            village=village,
            groups=village.by_level(),
            values=values or dict.fromkeys(_FORM_FIELDS, ""),
            errors=errors or {},
            csrf=token,
            submission_key=key or uuid.uuid4().hex,
        )
        return csrf.no_store_with_token(response, token, secure=self.secure_cookie)

    async def village(self, request: Request) -> Response:
        return await self.village_form(request, request.path_params["code"])

    async def submit(self, request: Request) -> Response:
        code = request.path_params["code"]
        try:
            self.limits.submissions.hit(self.client(request))
        except RateLimited as limited:
            return self.rate_limited(code, limited)
        # The body is bounded while it streams in (web/bodylimit.py): 413 past 64 KiB.
        form = await request.form()
        values = {name: str(form.get(name) or "") for name in _FORM_FIELDS}
        key = str(form.get(KEY_FIELD) or "").strip()
        if not SUBMISSION_KEY.match(key):
            key = uuid.uuid4().hex
        if not csrf.double_submit_ok(
            self.settings.signing_secret,
            request.cookies.get(csrf.COOKIE),
            str(form.get(csrf.FIELD) or ""),
        ):
            return self.expired(f"/v/{code}")
        submission = tracking.Submission.clean(
            code,
            values["title"],
            values["body"],
            values["category"],
            values["contact"],
            Channel.QR,
        )
        problems = submission.problems()
        if problems:
            return await self.village_form(
                request, code, values=values, errors=problems, status=400, key=key
            )
        try:
            self.limits.villages.hit(submission.village_code)
        except RateLimited as limited:
            return self.rate_limited(code, limited)
        try:
            result = await blocking(
                tracking.submit_issue, self.db, self.gateway, submission, idempotency_key=key
            )
        except NotFound:
            return self.not_found(fill("The village (community) with code {code}", {"code": code}))
        except BadInput as error:  # a key reused for other texts (problems() caught the rest)
            return self.message(400, _("Not submitted"), error.translated(), back=f"/v/{code}")
        except DatabaseUnavailable:
            token = str(form.get(csrf.FIELD) or "")
            return self.unavailable_form(code, values, token, key)
        return RedirectResponse(f"/t/{result.tracking_code}?new=1", status_code=303)

    def rate_limited(self, code: str, limited: RateLimited) -> HTMLResponse:
        values = {"limit": limited.limit, "seconds": limited.retry_after}
        if limited.scope == "village":
            text = fill(
                "A village (community) takes at most {limit} opinions an hour online; please "
                "try again in {seconds} seconds, or call the 12345 hotline.",
                values,
            )
        else:
            text = fill(
                "One network may submit at most {limit} opinions a minute; please try again in "
                "{seconds} seconds.",
                values,
            )
        return self.message(
            429,
            _("Too many submissions"),
            text + _(" Opinions submitted before are not affected."),
            back=f"/v/{code}",
            headers={"Retry-After": str(limited.retry_after)},
        )

    async def tracking_page(
        self, request: Request, *, rating_error: str | None = None, status: int = 200
    ) -> Response:
        code = request.path_params["code"]
        try:
            issue = await blocking(tracking.public_issue, self.db, code)
            handled = await blocking(handling.public_handling, self.db, code)
        except NotFound:
            return self.not_found(fill("The opinion with tracking code {code}", {"code": code}))
        except DatabaseUnavailable:
            return self.unavailable()
        token = csrf.form_token(self.settings.signing_secret, request.cookies.get(csrf.COOKIE))
        response = self.render(
            "tracking.html",
            status,
            issue=issue,
            handling=handled,
            new=request.query_params.get("new") == "1",
            rated=request.query_params.get("rated"),
            rating_error=rating_error,
            verdicts=list(Satisfaction),
            csrf=token,
        )
        return csrf.no_store_with_token(response, token, secure=self.secure_cookie)

    async def rate(self, request: Request) -> Response:
        """The citizen's verdict from the tracking page (CSRF-checked, rate limited)."""
        code = request.path_params["code"]
        try:
            self.limits.submissions.hit(self.client(request))
        except RateLimited as limited:
            return self.message(
                429,
                _("Too many submissions"),
                fill("Please try again in {seconds} seconds.", {"seconds": limited.retry_after}),
                back=f"/t/{code}",
                headers={"Retry-After": str(limited.retry_after)},
            )
        form = await request.form()
        if not csrf.double_submit_ok(
            self.settings.signing_secret,
            request.cookies.get(csrf.COOKIE),
            str(form.get(csrf.FIELD) or ""),
        ):
            return self.expired(f"/t/{code}", rating=True)
        choice = str(form.get("satisfaction") or "")
        if choice not in Satisfaction.__members__:
            return await self.tracking_page(
                request,
                rating_error=_("Please choose satisfied, fairly satisfied or not satisfied."),
                status=400,
            )
        comment = str(form.get("comment") or "")
        try:
            result = await blocking(
                handling.rate_issue, self.db, code, Satisfaction(choice), comment
            )
        except NotFound:
            return self.not_found(fill("The opinion with tracking code {code}", {"code": code}))
        except BadInput:
            return await self.tracking_page(
                request,
                rating_error=_("A comment may have at most 500 characters."),
                status=400,
            )
        except RuleViolation:
            return await self.tracking_page(
                request,
                rating_error=_(
                    "The opinion is not finished yet, or this round of handling has been rated "
                    "already: it cannot be rated again."
                ),
                status=409,
            )
        except DatabaseUnavailable:
            return self.unavailable()
        outcome = "reopened" if result.reopened else "1"
        return RedirectResponse(f"/t/{code.strip().upper()}?rated={outcome}", status_code=303)

    async def lookup(self, request: Request) -> Response:
        code = request.query_params.get("code", "").strip().upper()
        if not tracking.TRACKING_CODE.match(code):
            return self.not_found(
                fill("The opinion of tracking code {code}", {"code": code or _("(empty)")})
            )
        return RedirectResponse(f"/t/{code}", status_code=303)


def web_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """The public pages, to be added to the application's routes."""
    pages = _Pages(db, settings, gateway or gateway_for(db))
    return [
        Route("/v/{code}", pages.village, methods=["GET"]),
        Route("/v/{code}", pages.submit, methods=["POST"]),
        Route("/t", pages.lookup, methods=["GET"]),
        Route("/t/{code}", pages.tracking_page, methods=["GET"]),
        Route("/t/{code}/rate", pages.rate, methods=["POST"]),
    ]
