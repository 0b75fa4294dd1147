"""``graphcoord db start | stop | status | migrate``."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.localserver import LocalNeo4j
from graphcoord.queries.schema import migrate as run_migrate

app = typer.Typer(help="Run and inspect the graph database.", no_args_is_help=True)
console = Console()


def ensure_database(settings: Settings, *, quiet: bool = False) -> None:
    """Start the local server when it is the one in use, then apply the schema."""
    if settings.is_local:
        server = LocalNeo4j(settings)
        if not server.is_built():
            if not quiet:
                console.print("building the Neo4j launcher (first time only)…")
            seconds = server.build()
            if not quiet:
                console.print(f"built in {seconds:.1f} s")
        seconds = server.start()
        if not quiet:
            if seconds:
                console.print(f"Neo4j started on {settings.uri} in {seconds:.1f} s")
            else:
                console.print(f"Neo4j already running on {settings.uri}")
    elif not quiet:
        console.print(f"using the external Neo4j at {settings.uri}")
    db = Database(settings)
    try:
        run_migrate(db)
    finally:
        db.close()


@app.command()
def start() -> None:
    """Start the local Neo4j (building it on first use) and create constraints and indexes."""
    ensure_database(Settings.from_env())


@app.command()
def stop() -> None:
    """Stop the local Neo4j of this state folder."""
    settings = Settings.from_env()
    if not settings.is_local:
        console.print(f"NEO4J_URI is set ({settings.uri}): nothing to stop here")
        return
    if LocalNeo4j(settings).stop():
        console.print("Neo4j stopped")
    else:
        console.print("Neo4j was not running")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Say whether the database runs, its version, address and node count."""
    settings = Settings.from_env()
    if settings.is_local:
        state = LocalNeo4j(settings).status()
        info = {
            "running": state.running and state.agent is not None,
            "pid": state.pid,
            "uri": state.uri,
            "version": state.agent,
            "nodes": state.nodes,
            "detail": state.detail,
        }
    else:
        db = Database(settings)
        try:
            server = db.server_info()
            info = {
                "running": True,
                "uri": settings.uri,
                "version": server["agent"],
                "nodes": server["nodes"],
                "detail": "external server",
            }
        finally:
            db.close()
    if as_json:
        typer.echo(json.dumps(info))
    elif info["running"]:
        console.print(
            f"running: {info['version']} at {info['uri']}, {info['nodes']} nodes", highlight=False
        )
    else:
        console.print(f"not running ({info['uri']}): {info['detail']}", highlight=False)
    if not info["running"]:
        raise typer.Exit(1)


@app.command()
def migrate() -> None:
    """Create every constraint and index of the graph model (idempotent)."""
    settings = Settings.from_env()
    db = Database(settings)
    try:
        count = run_migrate(db)
    finally:
        db.close()
    console.print(f"schema up to date ({count} constraints and indexes)")
