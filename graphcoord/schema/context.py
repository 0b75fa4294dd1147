"""The per-request context: built once in ``get_context``, only read by resolvers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from graphcoord.auth import PUBLIC, Principal
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import Unauthenticated
from graphcoord.schema.loaders import Loaders
from graphcoord.services.ratelimit import client_key
from graphcoord.services.tickets import TicketGateway, gateway_for
from graphcoord.threads import blocking

__all__ = ["Context"]

T = TypeVar("T")


@dataclass
class Context:
    """What every resolver may use: the database, settings and the caller."""

    db: Database
    settings: Settings
    request: Request | None = None
    response: Response | None = None
    principal: Principal = PUBLIC
    #: A bad or expired token: fields that need a role raise it, public fields ignore it.
    auth_error: Unauthenticated | None = None
    #: The application's 12345 gateway (see :attr:`gateway`).
    ticket_gateway: TicketGateway | None = None
    #: Set when execution began (variables coerced): before that, errors are request errors
    #: (HTTP 400 under ``application/graphql-response+json``).
    execution_started: bool = False
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db)

    @property
    def gateway(self) -> TicketGateway:
        """The application's 12345 gateway, or the default one for the database."""
        return self.ticket_gateway or gateway_for(self.db)

    def after_write(self) -> None:
        """Forget what the loaders cached: a mutation changed the graph."""
        self.loaders = Loaders(self.db)

    @property
    def client_key(self) -> str:
        """Who is calling, for rate limits: the peer, or the client a trusted proxy names."""
        request = self.request
        return client_key(
            request.client.host if request is not None and request.client else None,
            request.headers if request is not None else {},
            self.settings.trusted_proxies,
        )

    @property
    def role(self) -> str:
        return self.principal.role

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking database or analytics work off the event loop."""
        return await blocking(function, *args, **kwargs)
