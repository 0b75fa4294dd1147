"""A liaison station's public page (``/s/{stationId}``): its notice, duty roster and record, and
the opinion form.

``GET`` shows the station, its next activity day with the topic, the notice and the deputies
on duty (name, level, work unit — never a phone), its past days with attendance, and the form;
``POST`` is handled like the village form (rate limited per client address, CSRF-checked,
validated with Chinese messages and the form re-shown) and calls
:func:`~graphcoord.services.stations.submit_station_issue`: the opinion is routed like a
village's, dispatched as a 12345 ticket and linked to the station (channel STATION), then the
citizen is redirected to ``/t/{trackingCode}``. No JavaScript is needed.
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from graphcoord import i18n
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, DatabaseUnavailable, NotFound, RuleViolation
from graphcoord.i18n import fill
from graphcoord.i18n import gettext as _
from graphcoord.model import STATION_KIND_NAMES
from graphcoord.services import issues as tracking
from graphcoord.services import stations
from graphcoord.services.ratelimit import RateLimited
from graphcoord.services.station_pages import station_public_page
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.threads import blocking
from graphcoord.web import csrf
from graphcoord.web.pages import _Pages

__all__ = ["station_routes"]

_FORM_FIELDS = ("village", "title", "category", "body", "contact")
_WEEKDAYS = "一二三四五六日"


def _day(value: Any) -> str:
    """``2024年6月17日（星期一）``; in English ``Monday, June 17, 2024``."""
    if i18n.current_locale() == "en":
        return str(format_date(value, format="full", locale="en"))
    return f"{value.year}年{value.month}月{value.day}日（星期{_WEEKDAYS[value.weekday()]}）"


class _StationPages(_Pages):
    """The station page's handlers, bound like the village pages'."""

    def __init__(self, db: Database, settings: Settings, gateway: TicketGateway) -> None:
        super().__init__(db, settings, gateway)
        self.env.filters["day"] = _day
        self.env.globals["station_kind_names"] = STATION_KIND_NAMES

    async def form(
        self,
        request: Request,
        station_id: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response:
        try:
            page = await blocking(
                station_public_page, self.db, station_id, today=self.settings.today
            )
        except NotFound:
            return self.not_found(
                fill("The deputies' liaison station (point) {station}", {"station": station_id})
            )
        except DatabaseUnavailable:
            return self.unavailable()
        token = csrf.form_token(self.settings.signing_secret, request.cookies.get(csrf.COOKIE))
        defaults = dict.fromkeys(_FORM_FIELDS, "")
        defaults["village"] = page.villages[0].code if page.villages else ""
        response = self.render(
            "station.html",
            status,
            page=page,
            station=page.station,
            values=values or defaults,
            errors=errors or {},
            csrf=token,
        )
        return csrf.no_store_with_token(response, token, secure=self.secure_cookie)

    async def station(self, request: Request) -> Response:
        return await self.form(request, request.path_params["station"])

    async def submit_at_station(self, request: Request) -> Response:
        station_id = request.path_params["station"]
        back = f"/s/{station_id}"
        try:
            self.limits.submissions.hit(self.client(request))
        except RateLimited as limited:
            text = fill(
                "One network may submit at most {limit} opinions a minute; please try again in "
                "{seconds} seconds.",
                {"limit": limited.limit, "seconds": limited.retry_after},
            )
            return self.message(
                429,
                _("Too many submissions"),
                text + _(" Opinions submitted before are not affected."),
                back=back,
                headers={"Retry-After": str(limited.retry_after)},
            )
        form = await request.form()
        values = {name: str(form.get(name) or "") for name in _FORM_FIELDS}
        if not csrf.double_submit_ok(
            self.settings.signing_secret,
            request.cookies.get(csrf.COOKIE),
            str(form.get(csrf.FIELD) or ""),
        ):
            return self.expired(back)
        submission = tracking.Submission.clean(
            values["village"],
            values["title"],
            values["body"],
            values["category"],
            values["contact"],
        )
        problems = submission.problems()
        if "village" in problems:
            problems["village"] = _("Please choose your village (community).")
        if problems:
            return await self.form(request, station_id, values=values, errors=problems, status=400)
        try:
            found = await blocking(
                stations.submit_station_issue,
                self.db,
                self.gateway,
                station_id,
                submission,
                today=self.settings.today,
            )
        except NotFound:
            return self.not_found(
                fill(
                    "The deputies' liaison station (point) {station} or the village "
                    "(community) chosen",
                    {"station": station_id},
                )
            )
        except RuleViolation:  # a village of another township: the form offers none
            errors = {
                "village": _(
                    "Please choose a village (community) of this station's (point's) township."
                )
            }
            return await self.form(request, station_id, values=values, errors=errors, status=400)
        except BadInput as error:  # pragma: no cover - problems() caught it above
            return self.message(400, _("Not submitted"), error.translated(), back=back)
        except DatabaseUnavailable:
            return self.unavailable()
        return RedirectResponse(f"/t/{found.result.tracking_code}?new=1", status_code=303)


def station_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """The station pages, to be added to the application's routes."""
    pages = _StationPages(db, settings, gateway or gateway_for(db))
    return [
        Route("/s/{station}", pages.station, methods=["GET"]),
        Route("/s/{station}", pages.submit_at_station, methods=["POST"]),
    ]
