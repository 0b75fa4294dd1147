"""A deputy's public page (``/d/{code}``, 码上见代表): who they are, where they receive voters,
the villages they cover, their next station day on duty, and the opinion form.

The code is the deputy's public code (:mod:`graphcoord.services.deputy_pages`), never the
internal id; a re-issued code answers 410 with a Chinese message, an unknown one 404. ``POST``
is handled like the village form (rate limited per client address and village, CSRF-checked,
validated with Chinese messages and the form re-shown, a submission key against doubles), then
:func:`~graphcoord.services.deputy_pages.submit_to_deputy` and a 303 to ``/t/{trackingCode}``.
Never a phone number; no JavaScript needed.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, DatabaseUnavailable, NotFound, RuleViolation
from graphcoord.model import SUBMISSION_KEY, Channel
from graphcoord.services import deputy_pages
from graphcoord.services import issues as tracking
from graphcoord.services.deputy_pages import CodeRetired
from graphcoord.services.ratelimit import RateLimited
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.threads import blocking
from graphcoord.web import csrf
from graphcoord.web.pages import KEY_FIELD, _Pages
from graphcoord.web.stations import _day

__all__ = ["deputy_routes"]

_FORM_FIELDS = ("village", "title", "category", "body", "contact")


class _DeputyPages(_Pages):
    def __init__(self, db: Database, settings: Settings, gateway: TicketGateway) -> None:
        super().__init__(db, settings, gateway)
        self.env.filters["day"] = _day

    def retired(self) -> Response:
        return self.message(
            410,
            "此二维码已停用",
            "这张代表二维码已经更换，原码不再使用。请扫描代表联络站（点）或代表家门口张贴的新二维码，"
            "或通过所在村（社区）的二维码反映意见。",
        )

    async def form(
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
            page = await blocking(
                deputy_pages.deputy_public_page, self.db, code, today=self.settings.today
            )
        except CodeRetired:
            return self.retired()
        except NotFound:
            return self.not_found("这位人大代表的页面")
        except DatabaseUnavailable:
            return self.unavailable()
        token = csrf.form_token(self.settings.signing_secret, request.cookies.get(csrf.COOKIE))
        defaults = dict.fromkeys(_FORM_FIELDS, "")
        defaults["village"] = page.villages[0][0] if page.villages else ""
        response = self.render(
            "deputy.html",
            status,
            page=page,
            deputy=page.row.deputy,
            values=values or defaults,
            errors=errors or {},
            csrf=token,
            submission_key=key or uuid.uuid4().hex,
        )
        return csrf.no_store_with_token(response, token, secure=self.secure_cookie)

    async def deputy(self, request: Request) -> Response:
        return await self.form(request, request.path_params["code"])

    async def submit_to_deputy(self, request: Request) -> Response:
        code = request.path_params["code"]
        back = f"/d/{code}"
        try:
            self.limits.submissions.hit(self.client(request))
        except RateLimited as limited:
            return self.message(
                429,
                "提交过于频繁",
                f"同一网络每分钟最多提交{limited.limit}条意见，请{limited.retry_after}秒后再试。"
                "此前已成功提交的意见不受影响。",
                back=back,
                headers={"Retry-After": str(limited.retry_after)},
            )
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
            return self.message(
                403,
                "页面已过期",
                "为保护您的信息安全，请返回重新打开页面后再提交。",
                back=back,
                back_label="返回重新填写",
            )
        submission = tracking.Submission.clean(
            values["village"],
            values["title"],
            values["body"],
            values["category"],
            values["contact"],
            Channel.QR,
        )
        problems = submission.problems()
        if "village" in problems:
            problems["village"] = "请选择您所在的村（社区）。"
        if problems:
            return await self.form(
                request, code, values=values, errors=problems, status=400, key=key
            )
        try:
            self.limits.villages.hit(submission.village_code)
        except RateLimited as limited:
            return self.message(
                429,
                "提交过于频繁",
                f"本村（社区）每小时最多接收{limited.limit}条网上意见，"
                f"请{limited.retry_after}秒后再试，或拨打12345热线反映。",
                back=back,
                headers={"Retry-After": str(limited.retry_after)},
            )
        try:
            result = await blocking(
                deputy_pages.submit_to_deputy,
                self.db,
                self.gateway,
                code,
                submission,
                idempotency_key=key,
            )
        except CodeRetired:
            return self.retired()
        except NotFound:
            return self.not_found("这位人大代表的页面或所选村（社区）")
        except RuleViolation:  # a village the deputy does not cover: the form offers none
            errors = {"village": "请选择这位代表联系的村（社区）。"}
            return await self.form(request, code, values=values, errors=errors, status=400, key=key)
        except BadInput as error:  # a key reused for other texts
            return self.message(400, "提交未成功", str(error), back=back)
        except DatabaseUnavailable:
            return self.unavailable()
        return RedirectResponse(f"/t/{result.tracking_code}?new=1", status_code=303)


def deputy_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """The deputies' pages, to be added to the application's routes."""
    pages = _DeputyPages(db, settings, gateway or gateway_for(db))
    return [
        Route("/d/{code}", pages.deputy, methods=["GET"]),
        Route("/d/{code}", pages.submit_to_deputy, methods=["POST"]),
    ]
