"""``graphcoord token create`` and ``graphcoord schema export``."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import typer

from graphcoord.auth import ROLES, create_token, parse_ttl
from graphcoord.config import Settings
from graphcoord.errors import BadInput


def sdl() -> str:
    from graphcoord.schema.schema import schema

    return schema.as_str().rstrip() + "\n"


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="Bearer tokens for the GraphQL API.", no_args_is_help=True)
    schema_app = typer.Typer(help="The GraphQL schema (SDL).", no_args_is_help=True)
    app.add_typer(token_app, name="token")
    app.add_typer(schema_app, name="schema")

    @token_app.command("create")
    def token_create(
        role: str = typer.Option(..., help=f"One of: {', '.join(ROLES)}."),
        deputy_id: str = typer.Option(
            None, "--deputy-id", help="The deputy a deputy token is for."
        ),
        ttl: str = typer.Option("8h", help="Lifetime, e.g. 30m, 8h, 7d."),
    ) -> None:
        """Print a signed token, alone on stdout (use it as `Authorization: Bearer <token>`)."""
        settings = Settings.from_env()
        token = create_token(
            settings.signing_secret, role, deputy_id=deputy_id, ttl_seconds=parse_ttl(ttl)
        )
        typer.echo(token)

    @schema_app.command("export")
    def schema_export(
        out: Path = typer.Option(Path("schema.graphql"), help="Where to write the SDL."),
        check: Path = typer.Option(
            None, help="Do not write; fail if this checked-in SDL differs from the code."
        ),
    ) -> None:
        """Write the schema's SDL (or check that the checked-in one is current)."""
        text = sdl()
        if check is not None:
            current = check.read_text(encoding="utf-8") if check.exists() else ""
            if current != text:
                diff = difflib.unified_diff(
                    current.splitlines(), text.splitlines(), str(check), "code", lineterm=""
                )
                sys.stderr.write("\n".join(list(diff)[:60]) + "\n")
                raise BadInput(
                    f"{check} is stale: run `graphcoord schema export --out {check}` and commit"
                )
            typer.echo(f"{check} is current")
            return
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")
