"""The office console (``/console``): a Chinese web workspace for organizers, planners,
deputies and admins, over the same services as GraphQL (docs/console.md).

Server-rendered Jinja pages, progressively enhanced with htmx, charts drawn by ECharts; every
script and style sheet is served from ``/console/static`` (vendored with its licence), never
from a CDN, so the console works on an intranet.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from graphcoord.config import Settings
from graphcoord.console.audit import AuditPages
from graphcoord.console.base import ConsolePages
from graphcoord.console.coverage import CoveragePages
from graphcoord.console.deputies import DeputyPages
from graphcoord.console.groups import GroupPages
from graphcoord.console.imports import ImportPages
from graphcoord.console.issues import IssuePages
from graphcoord.console.login import LoginPages
from graphcoord.db import Database
from graphcoord.services import access
from graphcoord.services.tickets import TicketGateway, gateway_for

__all__ = ["console_routes"]

STATIC = Path(__file__).parent / "static"


def console_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """Every route of the console, to be added to the application's."""
    pages = ConsolePages(db, settings, gateway or gateway_for(db))
    login = LoginPages(pages)
    coverage = CoveragePages(pages)
    groups = GroupPages(pages)
    issues = IssuePages(pages)
    imports = ImportPages(pages)
    deputies = DeputyPages(pages)
    trail = AuditPages(pages)
    readers, planners, admins = access.READERS, access.PLANNING, access.ADMINS

    async def home(request: Request) -> Response:
        return RedirectResponse("/console/coverage", status_code=303)

    page = pages.page
    return [
        Route("/console", home),
        Route("/console/", home),
        Route("/console/login", login.login_form, methods=["GET"]),
        Route("/console/login", login.login, methods=["POST"]),
        Route("/console/logout", page(readers, login.logout), methods=["POST"]),
        Route("/console/coverage", page(readers, coverage.coverage, what="coverage")),
        Route("/console/suggestions", page(readers, coverage.suggestions, what="suggestions")),
        Route(
            "/console/suggestions/apply",
            page(planners, coverage.apply, what="changing contacts"),
            methods=["POST"],
        ),
        Route("/console/groups", page(readers, groups.groups, what="groups")),
        Route("/console/issues", page(readers, issues.queue, what="issues")),
        Route("/console/issues/{issue}", page(readers, issues.issue, what="issues")),
        Route(
            "/console/issues/{issue}",
            page(readers, issues.change, what="changing an issue"),
            methods=["POST"],
        ),
        Route("/console/imports", page(admins, imports.index, what="roster imports")),
        Route(
            "/console/imports/check",
            page(admins, imports.check, what="roster imports"),
            methods=["POST"],
        ),
        Route(
            "/console/imports/run",
            page(admins, imports.run, what="roster imports"),
            methods=["POST"],
        ),
        Route(
            "/console/imports/undo",
            page(admins, imports.undo, what="roster imports"),
            methods=["POST"],
        ),
        Route("/console/imports/jobs/{job}", page(admins, imports.job, what="roster imports")),
        Route(
            "/console/imports/errors/{token}.csv",
            page(admins, imports.errors_file, what="roster imports"),
        ),
        Route("/console/imports/template", page(admins, imports.template, what="roster imports")),
        Route("/console/deputies", page(readers, deputies.search, what="deputies")),
        Route("/console/deputies/{deputy}", page(readers, deputies.deputy, what="deputies")),
        Route("/console/audit", page(admins, trail.trail, what="the audit trail")),
        Mount("/console/static", StaticFiles(directory=STATIC), name="console-static"),
    ]
