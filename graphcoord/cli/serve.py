"""``graphcoord serve`` and ``graphcoord up`` (database, demo data and server in one go)."""

from __future__ import annotations

import typer
import uvicorn
from rich.console import Console

from graphcoord.config import Settings

console = Console()


def _serve(settings: Settings) -> None:
    from graphcoord.app import create_app

    console.print(
        f"GraphQL at [bold]http://{settings.http_host}:{settings.http_port}/graphql[/]",
        highlight=False,
    )
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
    ) -> None:
        """Serve GraphQL (with GraphiQL) and the health check."""
        settings = Settings.from_env()
        settings = settings.with_(
            http_host=host or settings.http_host,
            http_port=port or settings.http_port,
            access_log=settings.access_log if access_log is None else access_log,
        )
        _serve(settings)

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
