"""协同小组: the groups of an area with convener, members, coverage, overlaps, quarterly
compliance and the alarms of groups that missed a quarter (any signed-in role; phone numbers
only for organizers and admins)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from graphcoord.console.base import ConsolePages, Signed, csv_response
from graphcoord.i18n import gettext as _
from graphcoord.model import LEVEL_NAMES
from graphcoord.services import access, alarms, analysis, directory
from graphcoord.services.stations import today_in_china
from graphcoord.threads import blocking

__all__ = ["GroupPages"]


class GroupPages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages

    async def groups(self, request: Request, signed: Signed) -> Response:
        db = self.pages.db
        area = await self.pages.area(request)
        today = today_in_china(self.pages.settings.today)
        year_text = request.query_params.get("year", "").strip()
        year = int(year_text) if year_text.isdigit() else None
        report = await blocking(analysis.groups, db, area, year=year, as_of=today)
        found = await blocking(alarms.group_alarms, db, area, year=report.year, as_of=today)
        member_ids = sorted({d for g in report.coverage for d in g.member_ids})
        deputies = await blocking(directory.deputies_by_id, db, member_ids)
        compliance = {c.group_id: c for c in report.compliance}
        if request.query_params.get("format") == "csv":
            rows = []
            for g in report.coverage:
                c = compliance.get(g.group_id)
                conveners = "、".join(deputies.get(d, {}).get("name", d) for d in g.convener_ids)
                rows.append(
                    [
                        g.group_id,
                        g.name,
                        conveners,
                        len(g.member_ids),
                        g.village_count,
                        len(g.covered),
                        "/".join(str(n) for n in c.counts) if c else "",
                        "、".join(c.missing) if c else "",
                    ]
                )
            return csv_response(
                f"协同小组-{area}-{report.year}.csv",
                [
                    _("group id"),
                    _("group"),
                    _("convener"),
                    _("members"),
                    _("villages in its area"),
                    _("villages covered"),
                    _("activities Q1/Q2/Q3/Q4"),
                    _("quarters missed"),
                ],
                rows,
            )
        areas = await blocking(directory.get_areas, db, [area])
        return self.pages.render(
            "groups.html",
            signed,
            area=areas.get(area),
            area_code=area,
            report=report,
            compliance=compliance,
            alarms=found,
            deputies=deputies,
            show_phone=signed.can(access.PRIVATE_READERS),
            level_names=LEVEL_NAMES,
        )
