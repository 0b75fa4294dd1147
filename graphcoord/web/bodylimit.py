"""Request bodies bounded while they stream in: an ASGI middleware counting bytes.

Every route has a limit (:func:`body_limit`): GraphQL JSON 1 MiB, the public form and the
console's forms 64 KiB, roster uploads (GraphQL multipart, the console's upload)
``GRAPHCOORD_MAX_UPLOAD``. A ``Content-Length`` above the limit is refused before a byte is
read; a body without one (chunked) is counted as it arrives and refused as soon as it passes
the limit, so no handler ever holds, parses or spools more than the limit.
The refusal is HTTP 413: a GraphQL error with ``extensions.code = "PAYLOAD_TOO_LARGE"`` on
``/graphql``, a Chinese page elsewhere.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import orjson
from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphcoord.config import Settings
from graphcoord.i18n import current_locale, fill, gettext

__all__ = ["UPLOAD_PATHS", "BodyLimit", "BodyTooLarge", "body_limit"]

GRAPHQL_PATH = "/graphql"
#: The routes that take a roster file (multipart): GraphQL's ``importRoster`` and the console's
#: upload (docs/console.md).
UPLOAD_PATHS = frozenset({GRAPHQL_PATH, "/console/imports/check"})


class BodyTooLarge(Exception):
    """The body passed its route's limit (raised from ``receive``, caught by the middleware)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body larger than {limit} bytes")
        self.limit = limit


def body_limit(settings: Settings, path: str, content_type: str) -> int:
    """The most bytes a request to ``path`` with ``content_type`` may carry."""
    if path in UPLOAD_PATHS and content_type.startswith("multipart/form-data"):
        return settings.max_upload
    if path == GRAPHQL_PATH:
        return settings.max_graphql_body
    return settings.max_form_body


def too_large(path: str, limit: int) -> Response:
    """The 413 answer: a GraphQL error on ``/graphql``, a page for people elsewhere."""
    if path == GRAPHQL_PATH:
        body = {
            "errors": [
                {
                    "message": f"the request body is larger than the limit of {limit} bytes",
                    "extensions": {"code": "PAYLOAD_TOO_LARGE", "limit": limit},
                }
            ]
        }
        return Response(orjson.dumps(body), status_code=413, media_type="application/json")
    heading = gettext("Too long")
    text = fill(
        "What you sent is longer than the limit of {kib} KB and was not taken. Please shorten "
        "it, go back and submit it again.",
        {"kib": max(1, limit // 1024)},
    )
    page = _PAGE.format(
        lang="en" if current_locale() == "en" else "zh-CN",
        heading=html.escape(heading),
        text=html.escape(text),
    )
    return HTMLResponse(page, status_code=413)


# The pages' own look is in their templates; this answer comes before any handler runs, so it
# is a small page of its own (no script, no external resource).
_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title></head>
<body><main id="message"><h1>{heading}</h1>
<p>{text}</p></main></body></html>
"""


class BodyLimit:
    """Refuse (413) a request whose body passes its route's limit, counting while streaming."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        limit: Callable[[Settings, str, str], int] = body_limit,
    ) -> None:
        self.app = app
        self.settings = settings
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path = scope["path"]
        limit = self.limit(self.settings, path, headers.get("content-type", ""))
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(path, limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge:
            if started:  # pragma: no cover - no handler answers before reading its body
                raise
            await too_large(path, limit)(scope, receive, send)
