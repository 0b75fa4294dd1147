"""审计记录 (admins only): who changed what and when, through the console or GraphQL."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from graphcoord.console.base import ConsolePages, Signed, csv_response
from graphcoord.i18n import gettext as _
from graphcoord.model import AuditAction
from graphcoord.services import audit
from graphcoord.threads import blocking

__all__ = ["AuditPages"]

PAGE = 100


class AuditPages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages

    async def trail(self, request: Request, signed: Signed) -> Response:
        params = request.query_params
        action = params.get("action", "")
        actor = params.get("actor", "").strip() or None
        total, rows = await blocking(
            audit.audit_page,
            self.pages.db,
            skip=0,
            limit=PAGE,
            actor=actor,
            action=action if action in AuditAction.__members__ else None,
        )
        if params.get("format") == "csv":
            return csv_response(
                "审计记录.csv",
                [_("when"), _("who"), _("role"), _("action"), _("target"), _("detail")],
                [[r.at.isoformat(), r.actor, r.role, r.action, r.target, r.detail] for r in rows],
            )
        return self.pages.render(
            "audit.html",
            signed,
            rows=rows[:PAGE],
            total=total,
            action=action,
            actor=actor or "",
            actions=list(AuditAction),
        )
