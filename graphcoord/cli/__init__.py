"""The ``graphcoord`` command line (typer); each command family is a module here."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from typer import _click

from graphcoord.errors import GraphcoordError
from graphcoord.i18n import gettext as _

__all__ = ["app", "main"]

app = typer.Typer(
    name="graphcoord",
    help="Coordination engine for five-level people's-congress deputies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

err_console = Console(stderr=True)


def _register() -> None:
    from graphcoord.cli import (
        admin,
        analyze,
        citizen,
        db,
        handling,
        importer,
        opinions,
        proposals,
        records,
        seed,
        serve,
        stations,
        users,
    )

    app.add_typer(db.app, name="db")
    seed.register(app)
    serve.register(app)
    admin.register(app)
    importer.register(app)
    analyze.register(app)
    citizen.register(app)
    opinions.register(app)
    stations.register(app)
    handling.register(app)
    proposals.register(app)
    records.register(app)
    users.register(app)


_register()


def main() -> None:
    """Run the CLI; a graphcoord error prints its message and exits with its code."""
    try:
        code = app(standalone_mode=False)
    except GraphcoordError as error:
        # What a clerk reads, in their language (GRAPHCOORD_LANG; Chinese by default).
        err_console.print(f"[bold red]{_('error:')}[/] {error.translated()}", highlight=False)
        sys.exit(error.exit_code)
    except typer.Abort:
        err_console.print(_("aborted"))
        sys.exit(130)
    except _click.ClickException as exc:  # usage errors: typer's own click, not the package
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
