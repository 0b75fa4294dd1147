"""``graphcoord serve`` and ``graphcoord up`` (database, demo data and server in one go)."""

from __future__ import annotations

import os
from contextlib import ExitStack

import typer
import uvicorn
from rich.console import Console

from graphcoord.config import Settings

console = Console()


def _serve(settings: Settings, workers: int = 1) -> None:
    from graphcoord.app import create_app

    console.print(
        f"GraphQL at [bold]http://{settings.http_host}:{settings.http_port}/graphql[/]"
        + (f" ({workers} workers)" if workers > 1 else ""),
        highlight=False,
    )
    if workers > 1:
        _serve_workers(settings, workers)
        return
    uvicorn.run(
        create_app(settings, warm=True),
        host=settings.http_host,
        port=settings.http_port,
        log_level="info",
        access_log=settings.access_log,
    )


def _serve_workers(settings: Settings, workers: int) -> None:
    """Several worker processes behind one port, sharing their rate limits.

    Each worker is a process of its own that builds the application from the environment:
    it is handed the settings given on the command line, and the storage of the rate-limit
    counters (a Redis started here when ``GRAPHCOORD_RATE_LIMIT_STORAGE`` names none).
    """
    from graphcoord.localredis import LocalRedis

    with ExitStack() as stack:
        storage = settings.rate_limit_storage
        if storage.startswith("memory://"):
            storage = stack.enter_context(LocalRedis(settings.state_dir)).uri
            console.print(f"rate limits shared by the workers through Redis at {storage}")
        os.environ.update(
            GRAPHCOORD_RATE_LIMIT_STORAGE=storage,
            GRAPHCOORD_HOST=settings.http_host,
            GRAPHCOORD_PORT=str(settings.http_port),
            GRAPHCOORD_ACCESS_LOG="1" if settings.access_log else "0",
            GRAPHCOORD_PUBLIC_BASE_URL=settings.public_base_url,
        )
        uvicorn.run(
            "graphcoord.app:serving_app",
            factory=True,
            workers=workers,
            host=settings.http_host,
            port=settings.http_port,
            log_level="info",
            access_log=settings.access_log,
        )


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option(None, help="Address to listen on (GRAPHCOORD_HOST)."),
        port: int = typer.Option(None, help="Port (GRAPHCOORD_PORT)."),
        access_log: bool = typer.Option(
            None, "--access-log/--no-access-log", help="Log every request (GRAPHCOORD_ACCESS_LOG)."
        ),
        workers: int = typer.Option(
            1,
            "--workers",
            min=1,
            max=64,
            help="Worker processes behind the one port (GRAPHCOORD_WORKERS).",
            envvar="GRAPHCOORD_WORKERS",
        ),
    ) -> None:
        """Serve GraphQL (with GraphiQL), the public pages and the health check."""
        settings = Settings.from_env()
        settings = settings.with_(
            http_host=host or settings.http_host,
            http_port=port or settings.http_port,
            access_log=settings.access_log if access_log is None else access_log,
        )
        _serve(settings, workers)

    @app.command()
    def up(
        seed: str = typer.Option("suqian", help="Demo city to load when the graph is empty."),
    ) -> None:
        """Start the local Neo4j, load the demo city if the graph is empty, fit the text model
        if none is saved, and serve."""
        from graphcoord.cli.db import ensure_database
        from graphcoord.cli.opinions import fit_if_missing
        from graphcoord.cli.seed import seed_if_empty

        settings = Settings.from_env()
        ensure_database(settings)
        seed_if_empty(settings, seed)
        fit_if_missing(settings)  # suggested categories from the first submission on
        _serve(settings)
