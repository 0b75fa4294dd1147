"""覆盖情况 and 补缺建议: coverage with drill-down, and the gap-closing suggestions.

Coverage (any signed-in role) reads :func:`graphcoord.services.drilldown.drilldown`; the
suggestions read :func:`graphcoord.services.analysis.suggest` and are applied through
:func:`graphcoord.services.planning.apply_suggestions` (planners and admins: the check
GraphQL's ``addContact`` makes), one by one (a form per row, or htmx swapping the row) or all
at once. Each page exports what it shows as CSV (``?format=csv``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from graphcoord.console.base import ConsolePages, Signed, csv_response
from graphcoord.errors import BadInput
from graphcoord.i18n import N_
from graphcoord.i18n import gettext as _
from graphcoord.model import AREA_KIND_NAMES, LEVEL_NAMES
from graphcoord.rules import require_area_code
from graphcoord.services import access, analysis, directory, drilldown, planning
from graphcoord.threads import blocking

__all__ = ["CoveragePages"]

#: The state of a suggestion's village before the plan.
_TARGETS = {"UNCOVERED": N_("uncovered"), "FRAGILE": N_("fragile")}


class CoveragePages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages

    async def coverage(self, request: Request, signed: Signed) -> Response:
        area = await self.pages.area(request)
        found = await blocking(drilldown.drilldown, self.pages.db, area)
        report = found.report
        if request.query_params.get("format") == "csv":
            return self._coverage_csv(found)
        chart = {
            "levels": [LEVEL_NAMES[c.level] for c in report.by_level],
            "rates": [round(c.coverage_rate * 100, 1) for c in report.by_level],
            "children": [c.name for c in found.children],
            "covered": [c.covered for c in found.children],
            "uncovered": [c.uncovered for c in found.children],
            "fragile": [c.fragile for c in found.children],
            "labels": {
                "rate": _("coverage rate (%)"),
                "covered": _("covered"),
                "uncovered": _("uncovered"),
                "fragile": _("fragile (one deputy)"),
            },
        }
        return self.pages.render(
            "coverage.html",
            signed,
            found=found,
            report=report,
            kind_names=AREA_KIND_NAMES,
            chart=chart,
        )

    def _coverage_csv(self, found: drilldown.Drilldown) -> Response:
        rows: list[list[object]] = []
        for child in found.children:
            rows.append(
                [
                    child.code,
                    child.name,
                    AREA_KIND_NAMES.get(child.kind, child.kind),
                    child.village_count,
                    child.covered,
                    f"{child.rate * 100:.1f}%",
                    child.uncovered,
                    child.fragile,
                    child.without_own,
                ]
            )
        header = [
            _("code"),
            _("name"),
            _("kind"),
            _("villages"),
            _("covered"),
            _("coverage rate"),
            _("uncovered"),
            _("fragile"),
            _("no own-constituency deputy"),
        ]
        kinds = (
            (_("uncovered"), found.report.uncovered),
            (_("fragile"), found.report.fragile),
            (_("no own-constituency deputy"), found.report.without_own_constituency_deputy),
        )
        for label, codes in kinds:
            for code in codes:
                name, township = found.villages.get(code, (code, ""))
                rows.append([code, name, label, "", "", "", "", "", township])
        return csv_response(f"覆盖情况-{found.area.code}.csv", header, rows)

    async def suggestions(self, request: Request, signed: Signed) -> Response:
        area = await self.pages.area(request)
        fragile = request.query_params.get("fragile", "1") != "0"
        plan = await blocking(analysis.suggest, self.pages.db, area, include_fragile=fragile)
        names = await blocking(analysis.names, self.pages.db, area, analysis.proj.COVERAGE)
        if request.query_params.get("format") == "csv":
            return csv_response(
                f"补缺建议-{area}.csv",
                [
                    _("village code"),
                    _("village"),
                    _("township"),
                    _("gap"),
                    _("deputy id"),
                    _("deputy"),
                    _("level"),
                    _("distance"),
                    _("villages contacted before"),
                    _("reason"),
                ],
                [
                    [
                        a.village_code,
                        names.village(a.village_code).name,
                        names.village(a.village_code).township,
                        _(_TARGETS.get(a.target, a.target)),
                        a.deputy_id,
                        names.deputy(a.deputy_id),
                        LEVEL_NAMES.get(a.deputy_level, a.deputy_level),
                        a.distance,
                        a.load_before,
                        a.reason,
                    ]
                    for a in plan.assignments
                ],
            )
        areas = await blocking(directory.get_areas, self.pages.db, [area])
        return self.pages.render(
            "suggestions.html",
            signed,
            area=areas.get(area),
            area_code=area,
            plan=plan,
            names=names,
            fragile=fragile,
            may_apply=signed.can(access.PLANNING),
            applied=request.query_params.get("applied"),
            refused=request.query_params.get("refused"),
        )

    async def apply(self, request: Request, signed: Signed) -> Response:
        """Apply the posted suggestions (``pair`` fields ``DEPUTY|VILLAGE``)."""
        form = await request.form()
        area = require_area_code(str(form.get("area") or ""))
        pairs = []
        for value in form.getlist("pair"):
            deputy_id, _sep, village = str(value).partition("|")
            if deputy_id and village:
                pairs.append((deputy_id, village))
        if not pairs:
            raise BadInput("choose at least one suggestion to apply")
        result = await blocking(planning.apply_suggestions, self.pages.db, pairs, signed.principal)
        if request.headers.get("hx-request"):
            return self.pages.render("suggestion_result.html", signed, result=result, pair=pairs[0])
        return self.pages.render(
            "applied.html",
            signed,
            result=result,
            area_code=area,
            back=f"/console/suggestions?area={area}",
        )
