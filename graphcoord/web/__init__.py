"""The public web pages of the citizen channel: village pages, the form, tracking, the liaison
stations' pages; and what every answer of the application shares: body limits, security
headers, static files."""

from __future__ import annotations

from starlette.routing import BaseRoute

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.web.bodylimit import BodyLimit
from graphcoord.web.headers import SecurityHeaders
from graphcoord.web.ide import graphiql_page, static_mount
from graphcoord.web.pages import web_routes as village_routes
from graphcoord.web.stations import station_routes

__all__ = ["BodyLimit", "SecurityHeaders", "graphiql_page", "static_mount", "web_routes"]


def web_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """Every public page: villages and tracking (``/v``, ``/t``), stations (``/s``)."""
    gateway = gateway or gateway_for(db)
    return [*village_routes(db, settings, gateway), *station_routes(db, settings, gateway)]
