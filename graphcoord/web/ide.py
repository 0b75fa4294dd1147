"""GraphiQL and the pages' own files, served from the package: nothing comes from a CDN.

``/static`` serves ``graphcoord/web/static`` (the pages' CSS, and GraphiQL with React as built
by the npm registry, see ``static/graphiql/README.md``); :func:`graphiql_page` is the HTML that
``/graphql`` answers a browser with. Both work on a machine without internet.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from graphcoord.web.headers import GRAPHIQL_POLICY

__all__ = ["STATIC", "graphiql_page", "static_mount"]

STATIC = Path(__file__).parent / "static"
_PAGE = Path(__file__).parent / "templates" / "graphiql.html"


@cache
def _graphiql_html() -> str:
    return _PAGE.read_text(encoding="utf-8")


def graphiql_page() -> HTMLResponse:
    """GraphiQL's page: scripts from ``/static/graphiql`` only, under its own policy."""
    return HTMLResponse(
        _graphiql_html(),
        headers={"content-security-policy": GRAPHIQL_POLICY, "cache-control": "no-store"},
    )


def static_mount() -> Mount:
    """``/static``: the package's own files (cached a day by browsers)."""
    return Mount("/static", app=StaticFiles(directory=STATIC), name="static")
