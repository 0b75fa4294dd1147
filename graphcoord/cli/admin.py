"""``graphcoord token create | revoke``, ``graphcoord dispatch retry`` and ``graphcoord schema
export``."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import jwt
import typer

from graphcoord.auth import ROLES, parse_ttl
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput


def sdl() -> str:
    from graphcoord.schema.schema import schema

    return schema.as_str().rstrip() + "\n"


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="Bearer tokens for the GraphQL API.", no_args_is_help=True)
    schema_app = typer.Typer(help="The GraphQL schema (SDL).", no_args_is_help=True)
    dispatch_app = typer.Typer(help="The 12345 dispatch outbox.", no_args_is_help=True)
    app.add_typer(token_app, name="token")
    app.add_typer(schema_app, name="schema")
    app.add_typer(dispatch_app, name="dispatch")

    @token_app.command("create")
    def token_create(
        role: str = typer.Option(..., help=f"One of: {', '.join(ROLES)}."),
        deputy_id: str = typer.Option(
            None, "--deputy-id", help="The deputy a deputy token is for."
        ),
        ttl: str = typer.Option("8h", help="Lifetime, e.g. 30m, 8h, 7d (at most 30d)."),
    ) -> None:
        """Print a signed token, alone on stdout (use it as `Authorization: Bearer <token>`);
        its id (for `token revoke`) goes to stderr."""
        from graphcoord.services.tokens import create_token_for

        settings = Settings.from_env()
        seconds = parse_ttl(ttl)
        db = Database(settings) if role == "deputy" and deputy_id else None
        try:
            issued = create_token_for(db, settings, role, deputy_id=deputy_id, ttl_seconds=seconds)
        finally:
            if db is not None:
                db.close()
        typer.echo(issued.token)
        typer.echo(f"token id {issued.token_id} (revoke: graphcoord token revoke ID)", err=True)

    @token_app.command("revoke")
    def token_revoke(
        token: str = typer.Argument(
            None, help="The token's id (as `token create` printed it), or the token itself."
        ),
        deputy: str = typer.Option(
            None, "--deputy", help="Revoke every token of this deputy issued so far."
        ),
    ) -> None:
        """Revoke one token, or every token of a deputy; servers refuse it within seconds."""
        from graphcoord.services.tokens import revoke_deputy_tokens, revoke_token

        if (token is None) == (deputy is None):
            raise BadInput("give a token id (or token), or --deputy ID, not both")
        settings = Settings.from_env()
        db = Database(settings)
        try:
            if deputy is not None:
                version = revoke_deputy_tokens(db, deputy)
                typer.echo(f"every token of deputy {deputy} revoked (token version {version})")
                return
            token_id, expires = token, None
            if token.count(".") == 2:  # a whole token: its id and expiry, signature unchecked
                try:
                    claims = jwt.decode(token, options={"verify_signature": False})
                except jwt.InvalidTokenError as error:
                    raise BadInput(f"not a token: {error}") from None
                token_id, expires = str(claims.get("jti") or ""), claims.get("exp")
            revoke_token(db, settings, token_id, expires=expires)
            typer.echo(f"token {token_id} revoked")
        finally:
            db.close()

    @dispatch_app.command("retry")
    def dispatch_retry(
        limit: int = typer.Option(100, min=1, help="At most this many issues in one pass."),
    ) -> None:
        """Dispatch to 12345 the issues stored but never dispatched (the outbox), oldest first."""
        import datetime as dt

        from graphcoord.services.issues import dispatch_pending
        from graphcoord.services.tickets import gateway_for

        db = Database(Settings.from_env())
        try:
            done = dispatch_pending(db, gateway_for(db), limit=limit, grace=dt.timedelta(0))
        finally:
            db.close()
        typer.echo(
            f"{done.found} issue(s) waiting: {done.dispatched} dispatched, "
            f"{done.failed} still waiting"
        )
        if done.failed:
            raise typer.Exit(75)

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
