"""The public web pages of the citizen channel (宿话说): village pages, the form, tracking; and
what every answer of the application shares: body limits, security headers, static files."""

from __future__ import annotations

from graphcoord.web.bodylimit import BodyLimit
from graphcoord.web.headers import SecurityHeaders
from graphcoord.web.ide import graphiql_page, static_mount
from graphcoord.web.pages import web_routes

__all__ = ["BodyLimit", "SecurityHeaders", "graphiql_page", "static_mount", "web_routes"]
