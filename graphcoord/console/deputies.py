"""代表: find a deputy, and a deputy's page with contacts, groups, chain peers and escalation
paths (any signed-in role; a deputy account opens its own page; phone numbers for organizers
and admins only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from graphcoord.console.base import ConsolePages, Signed, csv_response
from graphcoord.errors import GraphcoordError, NotFound
from graphcoord.i18n import gettext as _
from graphcoord.model import LEVEL_NAMES, Level
from graphcoord.services import access, analysis, directory
from graphcoord.threads import blocking

__all__ = ["DeputyPages"]

PAGE = 50


class DeputyPages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages

    async def search(self, request: Request, signed: Signed) -> Response:
        params = request.query_params
        name = params.get("name", "").strip()[:40]
        level = params.get("level", "")
        if not name and not level and signed.account.deputy_id and not params.get("area"):
            return RedirectResponse(
                f"/console/deputies/{signed.account.deputy_id}", status_code=303
            )
        area = await self.pages.area(request)
        total, rows = await blocking(
            directory.deputy_page,
            self.pages.db,
            after=None,
            limit=PAGE,
            count=True,
            level=level if level in Level.__members__ else None,
            area_code=area,
            name_contains=name or None,
        )
        if params.get("format") == "csv":
            return csv_response(
                f"代表-{area}.csv",
                [_("deputy id"), _("name"), _("level"), _("work unit"), _("status")],
                [
                    [
                        r["id"],
                        r.get("name"),
                        LEVEL_NAMES.get(r.get("level", ""), ""),
                        r.get("workUnit"),
                        r.get("status"),
                    ]
                    for r in rows[:PAGE]
                ],
            )
        return self.pages.render(
            "deputies.html",
            signed,
            rows=rows[:PAGE],
            total=total,
            name=name,
            level=level,
            area_code=area,
            levels=list(Level),
        )

    async def deputy(self, request: Request, signed: Signed) -> Response:
        db = self.pages.db
        deputy_id = request.path_params["deputy"]
        found = await blocking(directory.deputies_by_id, db, [deputy_id])
        if deputy_id not in found:
            raise NotFound("deputy", deputy_id)
        deputy = found[deputy_id]
        contacts = (await blocking(directory.contacts_of, db, [deputy_id]))[deputy_id]
        areas = await blocking(directory.get_areas, db, contacts)
        found_groups = (await blocking(directory.groups_of, db, [deputy_id]))[deputy_id]
        memberships = [(group_id, role) for group_id, role, _ in found_groups]
        groups = {group_id: group for group_id, _, group in found_groups}
        peers = await blocking(analysis.peers, db, deputy_id, limit=20)
        try:
            escalation: analysis.Escalation | None = await blocking(
                analysis.escalate, db, deputy_id=deputy_id, k=3
            )
            escalation_error = None
        except GraphcoordError as error:  # a national deputy has no level above, no path…
            escalation, escalation_error = None, error.translated()
        if request.query_params.get("format") == "csv":
            rows: list[list[object]] = [
                [_("contact"), c, areas[c].name if c in areas else ""] for c in contacts
            ]
            rows += [[_("group"), g, groups.get(g, {}).get("name", "")] for g, _role in memberships]
            rows += [[_("chain peer"), p.deputy_id, p.name] for p in peers]
            return csv_response(f"代表-{deputy_id}.csv", [_("relation"), _("id"), _("name")], rows)
        return self.pages.render(
            "deputy.html",
            signed,
            deputy=deputy,
            contacts=[(c, areas.get(c)) for c in contacts],
            memberships=memberships,
            groups=groups,
            peers=peers,
            escalation=escalation,
            escalation_error=escalation_error,
            show_phone=signed.can(access.PRIVATE_READERS),
        )
