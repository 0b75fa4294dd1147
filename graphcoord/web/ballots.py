"""The public ballot page of a report-back meeting (``/e/{ballotCode}``, 述职评议).

``GET`` shows whom the voter evaluates (the deputy's name and level, the meeting's title and
date) and the choice 满意 / 基本满意 / 不满意 with an optional comment — never the results,
which stay hidden until the meeting closes and are never public. ``POST`` is rate limited per
client address, CSRF-checked (double submit), and calls
:func:`~graphcoord.services.report_backs.cast_ballot`: a used code answers 409, a closed
meeting 410, an unknown code 404, all in Chinese. No JavaScript needed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, DatabaseUnavailable, NotFound, RuleViolation
from graphcoord.model import MAX_BALLOT_COMMENT, ReportBackStatus
from graphcoord.services import report_backs
from graphcoord.services.ratelimit import RateLimited
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.threads import blocking
from graphcoord.web import csrf
from graphcoord.web.pages import _Pages
from graphcoord.web.stations import _day

__all__ = ["ballot_routes"]

_CHOICES = (
    ("SATISFIED", "满意"),
    ("BASICALLY_SATISFIED", "基本满意"),
    ("DISSATISFIED", "不满意"),
)


class _BallotPages(_Pages):
    def __init__(self, db: Database, settings: Settings, gateway: TicketGateway) -> None:
        super().__init__(db, settings, gateway)
        self.env.filters["day"] = _day

    def used(self) -> Response:
        return self.message(
            409, "此选票已使用", "每张选票只能投一次，这张选票已经投过了。感谢您的参与！"
        )

    def closed(self) -> Response:
        return self.message(410, "评议已结束", "本次述职评议已经结束，不再接受投票。感谢您的关注！")

    async def ballot(
        self, request: Request, *, error: str | None = None, status: int = 200
    ) -> Response:
        code = request.path_params["code"]
        try:
            target = await blocking(report_backs.ballot_of, self.db, code)
        except NotFound:
            return self.not_found("这张评议选票")
        except DatabaseUnavailable:
            return self.unavailable()
        if target.uses:
            return self.used()
        if target.status != ReportBackStatus.OPEN:
            return self.closed()
        token = csrf.form_token(self.settings.signing_secret, request.cookies.get(csrf.COOKIE))
        response = self.render(
            "ballot.html",
            status,
            code=code,
            target=target,
            choices=_CHOICES,
            error=error,
            csrf=token,
            max_comment=MAX_BALLOT_COMMENT,
        )
        return csrf.no_store_with_token(response, token, secure=self.secure_cookie)

    async def get(self, request: Request) -> Response:
        return await self.ballot(request)

    async def vote(self, request: Request) -> Response:
        code = request.path_params["code"]
        back = f"/e/{code}"
        try:
            self.limits.submissions.hit(self.client(request))
        except RateLimited as limited:
            return self.message(
                429,
                "提交过于频繁",
                f"请{limited.retry_after}秒后再试。",
                back=back,
                headers={"Retry-After": str(limited.retry_after)},
            )
        form = await request.form()
        if not csrf.double_submit_ok(
            self.settings.signing_secret,
            request.cookies.get(csrf.COOKIE),
            str(form.get(csrf.FIELD) or ""),
        ):
            return self.message(
                403, "页面已过期", "请返回重新打开选票页面后再投票。", back=back, back_label="返回"
            )
        choice = str(form.get("choice") or "")
        comment = str(form.get("comment") or "")
        if choice not in {value for value, _ in _CHOICES}:
            return await self.ballot(request, error="请选择满意、基本满意或不满意。", status=400)
        if len(comment.strip()) > MAX_BALLOT_COMMENT:
            error = f"意见建议最多{MAX_BALLOT_COMMENT}字。"
            return await self.ballot(request, error=error, status=400)
        try:
            await blocking(report_backs.cast_ballot, self.db, code, choice, comment)
        except NotFound:
            return self.not_found("这张评议选票")
        except RuleViolation as violation:
            return self.used() if violation.rule == "ballot-code-used-once" else self.closed()
        except BadInput:  # pragma: no cover - checked above
            return await self.ballot(request, error="请检查后重新提交。", status=400)
        except DatabaseUnavailable:
            return self.unavailable()
        return self.message(
            200,
            "投票成功",
            "您的评议已匿名记录，感谢您的参与！结果将在评议结束后由人大常委会统一公布。",
        )


def ballot_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """The ballot pages, to be added to the application's routes."""
    pages = _BallotPages(db, settings, gateway or gateway_for(db))
    return [
        Route("/e/{code}", pages.get, methods=["GET"]),
        Route("/e/{code}", pages.vote, methods=["POST"]),
    ]
