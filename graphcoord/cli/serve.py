"""``graphcoord serve`` and ``graphcoord up`` (database, demo data and server in one go)."""

from __future__ import annotations

import os

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
        # Each worker is a process of its own that builds the application from the
        # environment: hand it the settings given on the command line.
        os.environ.update(
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
        return
    uvicorn.run(
        create_app(settings, warm=True),
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
