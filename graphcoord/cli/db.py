"""``graphcoord db start | stop | status | migrate``."""

from __future__ import annotations

import dataclasses
import json

import typer
from rich.console import Console

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import database

app = typer.Typer(help="Run and inspect the graph database.", no_args_is_help=True)
console = Console()


def ensure_database(settings: Settings, *, quiet: bool = False) -> None:
    """Start the local server when it is the one in use, then apply the schema."""
    database.ensure_database(settings, say=(lambda _: None) if quiet else console.print)


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
    if database.stop(settings):
        console.print("Neo4j stopped")
    else:
        console.print("Neo4j was not running")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Say whether the database runs, its version, address and node count."""
    state = database.status(Settings.from_env())
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(state)))
    elif state.running:
        console.print(
            f"running: {state.version} at {state.uri}, {state.nodes} nodes", highlight=False
        )
    else:
        console.print(f"not running ({state.uri}): {state.detail}", highlight=False)
    if not state.running:
        raise typer.Exit(1)


@app.command()
def migrate() -> None:
    """Create every constraint and index of the graph model (idempotent)."""
    settings = Settings.from_env()
    db = Database(settings)
    try:
        count = database.migrate(db)
    finally:
        db.close()
    console.print(f"schema up to date ({count} constraints and indexes)")
