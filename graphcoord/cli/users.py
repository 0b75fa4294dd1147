"""``graphcoord user create|list|disable|enable|reset-password``: the office console's accounts.

A password is typed at a prompt (twice, not echoed) or read from standard input with
``--password-stdin`` (scripts); it is never an argument, which other users of the machine could
read in the process list.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from graphcoord.auth import ROLES
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.i18n import gettext as _
from graphcoord.model import CHINA, now_in_china
from graphcoord.services import accounts

__all__ = ["register"]

console = Console()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise BadInput("no password on standard input")
        return line.rstrip("\r\n")
    return str(typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True))


def register(app: typer.Typer) -> None:
    user_app = typer.Typer(help="Accounts of the office console (/console).", no_args_is_help=True)
    app.add_typer(user_app, name="user")

    @user_app.command("create")
    def create(
        username: str = typer.Argument(..., help="Letters, digits, '.', '_' or '-' (3-40)."),
        role: str = typer.Option(..., help=f"One of: {', '.join(ROLES)}."),
        deputy_id: str = typer.Option(None, "--deputy-id", help="A deputy account's deputy."),
        name: str = typer.Option(None, "--name", help="The name shown in the console."),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from standard input."
        ),
    ) -> None:
        """Create an account (the password is asked for, never given as an argument)."""
        password = _password(password_stdin)
        db = Database(Settings.from_env())
        try:
            account = accounts.create_user(
                db, username, role, password, deputy_id=deputy_id, display_name=name
            )
        finally:
            db.close()
        console.print(
            _("created account {username} ({role})").format(
                username=account.username, role=account.role
            ),
            highlight=False,
        )

    @user_app.command("list")
    def list_(limit: int = typer.Option(200, min=1, max=1000, help="How many to show.")) -> None:
        """The accounts, by username."""
        db = Database(Settings.from_env())
        try:
            total, found = accounts.list_users(db, limit=limit)
        finally:
            db.close()
        now = now_in_china()
        table = Table(title=_("{count} console account(s)").format(count=total))
        for column in (_("username"), _("role"), _("deputy"), _("name"), _("state")):
            table.add_column(column)
        table.add_column(_("last login"), no_wrap=True)
        for account in found[:limit]:
            state = (
                _("disabled")
                if account.disabled
                else _("locked")
                if account.locked(now)
                else _("active")
            )
            last = account.last_login_at
            table.add_row(
                account.username,
                account.role,
                account.deputy_id or "",
                account.display_name or "",
                state,
                last.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if last else "",
            )
        console.print(table)

    @user_app.command("disable")
    def disable(username: str = typer.Argument(...)) -> None:
        """Disable an account: it can no longer sign in and its sessions end."""
        db = Database(Settings.from_env())
        try:
            accounts.disable_user(db, username)
        finally:
            db.close()
        console.print(_("account {username} disabled").format(username=username), highlight=False)

    @user_app.command("enable")
    def enable(username: str = typer.Argument(...)) -> None:
        """Enable a disabled account again."""
        db = Database(Settings.from_env())
        try:
            accounts.disable_user(db, username, disabled=False)
        finally:
            db.close()
        console.print(_("account {username} enabled").format(username=username), highlight=False)

    @user_app.command("reset-password")
    def reset_password(
        username: str = typer.Argument(...),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from standard input."
        ),
    ) -> None:
        """Set a new password: unlocks the account and ends its sessions."""
        password = _password(password_stdin)
        db = Database(Settings.from_env())
        try:
            accounts.reset_password(db, username, password)
        finally:
            db.close()
        console.print(
            _("password of {username} reset; its sessions have ended").format(username=username),
            highlight=False,
        )
