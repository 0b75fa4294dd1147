"""The public web pages of the citizen channel (宿话说): village pages, the form, tracking."""

from __future__ import annotations

from graphcoord.web.pages import web_routes

__all__ = ["web_routes"]
