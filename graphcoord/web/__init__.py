"""The public web pages of the citizen channel (宿话说): village pages, the form, tracking, and
the liaison stations' pages."""

from __future__ import annotations

from starlette.routing import BaseRoute

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.web.pages import web_routes as village_routes
from graphcoord.web.stations import station_routes

__all__ = ["web_routes"]


def web_routes(
    db: Database, settings: Settings, gateway: TicketGateway | None = None
) -> list[BaseRoute]:
    """Every public page: villages and tracking (``/v``, ``/t``), stations (``/s``)."""
    gateway = gateway or gateway_for(db)
    return [*village_routes(db, settings, gateway), *station_routes(db, settings, gateway)]
