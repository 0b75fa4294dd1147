"""The ASGI application: ``/health``, ``/graphql`` (with GraphiQL), the public pages, ``/static``.

Every request passes two middlewares: :class:`~graphcoord.web.BodyLimit` bounds the body while
it streams in (413 past the route's limit) and :class:`~graphcoord.web.SecurityHeaders` adds
the security headers. On ``/graphql`` the caller is known before the body is read: the bearer
token is verified and checked against revocations (:class:`~graphcoord.services.tokens.Callers`),
a signed-in caller is rate limited per token, and a multipart upload is refused unless it
carries a preflight header and an admin's token, before any byte of it is spooled.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from graphcoord.auth import PUBLIC, Principal
from graphcoord.config import Settings
from graphcoord.console import console_routes
from graphcoord.db import Database
from graphcoord.errors import (
    BadInput,
    DatabaseUnavailable,
    Forbidden,
    GraphcoordError,
    Unauthenticated,
)
from graphcoord.schema.context import Context
from graphcoord.schema.schema import build_schema
from graphcoord.services.issues import DISPATCH_GRACE, dispatch_pending
from graphcoord.services.opinions import warm as warm_text_model
from graphcoord.services.projections import warm_escalation
from graphcoord.services.ratelimit import RateLimited, limits_for
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.services.tokens import Callers
from graphcoord.threads import blocking
from graphcoord.web import BodyLimit, SecurityHeaders, graphiql_page, static_mount, web_routes

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "PREFLIGHT_HEADERS",
    "GraphcoordGraphQL",
    "create_app",
    "serving_app",
]

log = logging.getLogger(__name__)

#: The GraphQL-over-HTTP media type: request errors answer 400 and carry no ``data``.
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
#: A multipart POST (a roster upload) must carry one of these: a browser sends none of them
#: cross-site without a CORS preflight, which graphcoord never grants (CSRF).
PREFLIGHT_HEADERS = ("graphql-require-preflight", "apollo-require-preflight")


async def caller(callers: Callers, header: str | None) -> Principal:
    """The verified, unrevoked caller of ``header`` (the database only when not cached)."""
    principal = callers.verify(header)
    if callers.needs_query(principal):
        return await blocking(callers.check, principal)
    return callers.check(principal)


def _wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, error: GraphcoordError, headers: dict[str, str] | None = None
) -> Response:
    """A GraphQL answer with one error (``extensions.code``) and no ``data``."""
    body = {"errors": [{"message": str(error), "extensions": {"code": error.code}}]}
    media = GRAPHQL_RESPONSE_JSON if _wants_graphql_response(request) else "application/json"
    return Response(orjson.dumps(body), status_code=status, media_type=media, headers=headers)


class GraphcoordGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with graphcoord's callers, context and answers."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        gateway: TicketGateway,
        callers: Callers | None = None,
    ) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
            multipart_uploads_enabled=True,
        )
        self.db = db
        self.settings = settings
        self.gateway = gateway
        self.callers = callers or Callers(db, settings)
        self.limits = limits_for(settings)

    def encode_json(self, data: object) -> bytes:
        """Answers as UTF-8 JSON by orjson: the benchmark's answers (0.6-10 KB) encode in
        18-137 µs against 90-490 µs for ``json.dumps``, and Chinese names are not escaped."""
        return orjson.dumps(data)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            refused = await self.admit(request)
            if refused is not None:
                await refused(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def admit(self, request: Request) -> Response | None:
        """Know the caller before the body is read; an answer when the request is refused."""
        principal: Principal = PUBLIC
        auth_error: Unauthenticated | None = None
        try:
            principal = await caller(self.callers, request.headers.get("authorization"))
        except Unauthenticated as error:
            auth_error = error
        except DatabaseUnavailable as error:
            return error_response(request, 503, error)
        request.state.principal = principal
        request.state.auth_error = auth_error
        if principal.authenticated:
            try:
                self.limits.tokens.hit(principal.token_id or principal.role)
            except RateLimited as limited:
                headers = {"retry-after": str(limited.retry_after)}
                return error_response(request, 429, limited, headers)
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and content_type.startswith("multipart/form-data"):
            if not any(name in request.headers for name in PREFLIGHT_HEADERS):
                return error_response(
                    request,
                    400,
                    BadInput(
                        "a multipart request must carry the header "
                        "`GraphQL-Require-Preflight: 1` (uploads are refused cross-site)"
                    ),
                )
            if auth_error is not None:
                return error_response(request, 401, auth_error)
            if principal.role == "public":
                return error_response(
                    request, 401, Unauthenticated("uploading a roster needs an admin's token")
                )
            if principal.role != "admin":
                return error_response(
                    request,
                    403,
                    Forbidden(f"uploading a roster is for admin; your role is {principal.role}"),
                )
        return None

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.state
        context = Context(
            db=self.db,
            settings=self.settings,
            request=request,
            response=response,
            ticket_gateway=self.gateway,
        )
        context.principal = getattr(state, "principal", PUBLIC)
        context.auth_error = getattr(state, "auth_error", None)
        state.context = context
        return context

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page()

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Under ``application/graphql-response+json``, a request error (the document did not
        parse or validate, the variables did not coerce) answers 400 without ``data``."""
        answer = process_result(result)
        if _wants_graphql_response(request):
            context: Context | None = getattr(request.state, "context", None)
            response = context.response if context is not None else None
            if response is not None:
                response.media_type = GRAPHQL_RESPONSE_JSON
                if result.errors and not context.execution_started:  # type: ignore[union-attr]
                    answer.pop("data", None)
                    response.status_code = response.status_code or 400
        return answer

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type:
            response.headers["content-type"] = sub_response.media_type
        return response


def _warm_caches(db: Database) -> None:
    try:
        started = time.monotonic()
        if warm_escalation(db):
            log.info("escalation projection ready in %.1f s", time.monotonic() - started)
    except GraphcoordError as error:  # the database is down: the first question will say so
        log.warning("cache not warmed: %s", error)
    warm_text_model(db.settings)  # the saved text model and jieba's dictionary (no database)


_FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def _is_loopback(request: Request) -> bool:
    """A request made on this machine, not relayed by a proxy."""
    if request.client is None or any(name in request.headers for name in _FORWARDED):
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


async def _dispatch_retry_loop(db: Database, gateway: TicketGateway, interval: float) -> None:
    """Dispatch the outbox's issues every ``interval`` seconds while the server runs (a
    restart picks them up again: the outbox is in the database)."""
    grace = min(DISPATCH_GRACE, dt.timedelta(seconds=interval))
    while True:
        await asyncio.sleep(interval)
        try:
            await blocking(dispatch_pending, db, gateway, grace=grace)
        except Exception as error:
            log.warning("dispatch retry pass failed: %s", error)


def create_app(
    settings: Settings | None = None,
    db: Database | None = None,
    *,
    warm: bool = False,
    gateway: TicketGateway | None = None,
) -> Starlette:
    """Build the application; the database driver is opened lazily and closed on shutdown.

    With ``warm`` (``graphcoord serve``) the escalation projection and its hop graph are read
    in the background at start-up, so the first deputy to ask does not wait for them.
    ``gateway`` is the 12345 platform every surface dispatches to (default: the settings').
    Raises :class:`BadInput` for a JWT secret shorter than 32 bytes.
    """
    settings = settings or Settings.from_env()
    db = db or Database(settings)
    gateway = gateway or gateway_for(db)
    callers = Callers(db, settings)  # reads (and checks) the signing secret now

    async def health(request: Request) -> Response:
        detailed = _is_loopback(request)
        if not detailed and request.headers.get("authorization"):
            with contextlib.suppress(GraphcoordError):
                try:
                    principal = await caller(callers, request.headers.get("authorization"))
                except DatabaseUnavailable:  # cannot check revocations: the signature will do
                    principal = callers.verify(request.headers.get("authorization"))
                detailed = principal.role == "admin"
        try:
            info = await blocking(db.server_info)
        except GraphcoordError as error:
            down = {"status": "unavailable", **({"error": str(error)} if detailed else {})}
            return JSONResponse(down, status_code=503)
        if not detailed:
            return JSONResponse({"status": "ok"})
        # The worker's pid tells, behind ``serve --workers N``, which process answered.
        return JSONResponse({"status": "ok", "database": info, "worker": os.getpid()})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=_warm_caches, args=(db,), daemon=True).start()
        retry = None
        if settings.dispatch_retry_seconds > 0:
            retry = asyncio.create_task(
                _dispatch_retry_loop(db, gateway, settings.dispatch_retry_seconds)
            )
        try:
            yield
        finally:
            if retry is not None:
                retry.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await retry
            callers.close()
            db.close()

    graphql_app = GraphcoordGraphQL(db, settings, gateway, callers)
    app = Starlette(
        routes=[
            Route("/health", health),
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            *web_routes(db, settings, gateway),
            *console_routes(db, settings, gateway),
            static_mount(),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(BodyLimit, settings=settings)],
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.ticket_gateway = gateway
    app.state.callers = callers
    return app


def serving_app() -> Starlette:
    """The application of one worker of ``graphcoord serve --workers N`` (settings from the
    environment, caches warmed at start)."""
    return create_app(warm=True)
