"""``graphcoord report proposals`` (the session's report: HTML, JSON, PDF) and
``graphcoord proposals week`` (the concentrated activity week of a year).

What organizers read is Chinese; ``--json`` prints the figures for machines, English keys.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console

from graphcoord.cli.files import print_written
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.i18n import fill

__all__ = ["register"]

# soft wrap: the headline and the files' paths stay whole when piped or wider than 80 columns
console = Console(soft_wrap=True)


def _date(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(
            "{name} {text!r} is not a date like 2024-12-31", name=name, text=text
        ) from None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _report_group(app: typer.Typer) -> typer.Typer:
    """The ``report`` command group (made by :mod:`graphcoord.cli.citizen`)."""
    for group in app.registered_groups:
        if group.name == "report" and group.typer_instance is not None:
            return group.typer_instance
    raise RuntimeError("the report command group must be registered first")


def register(app: typer.Typer) -> None:
    proposals_app = typer.Typer(help="Proposals (议案建议).", no_args_is_help=True)
    app.add_typer(proposals_app, name="proposals")

    @proposals_app.command("week")
    def week(year: int = typer.Argument(..., help="The year, e.g. 2025.")) -> None:
        """The concentrated activity week (代表集中活动周): the third full week of December."""
        from graphcoord.services.proposal_reviews import activity_week

        found = activity_week(year)
        line = fill(
            "the concentrated activity week of {year}: Monday {start:%Y-%m-%d} to Friday "
            "{end:%Y-%m-%d}",
            {"year": year, "start": found.start, "end": found.end},
        )
        console.print(line, highlight=False)

    @_report_group(app).command("proposals")
    def report(
        session: str = typer.Option(
            ..., "--session", help="The session, e.g. 宿迁市人大2024年会议."
        ),
        as_of: str = typer.Option(None, "--as-of", help="Judge overdue replies on this day."),
        out: Path = typer.Option(Path("reports"), help="Folder to write the report to."),
        pdf: bool = typer.Option(True, help="Also print a PDF with headless Chromium."),
        as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    ) -> None:
        """The proposal report of a session (议案建议办理情况报告): HTML, JSON, PDF if possible."""
        from graphcoord.printouts.proposals import figures_json, write_report

        db = Database(Settings.from_env())
        try:
            f, files = write_report(db, session, out, as_of=_date(as_of, "--as-of"), pdf=pdf)
        finally:
            db.close()
        if as_json:
            typer.echo(json.dumps(figures_json(f), ensure_ascii=False, indent=2))
            return
        o = f.overall
        summary = fill(
            "{session} (as of {as_of}): {motions} motions, {suggestions} suggestions; replied "
            "on time {on_time_rate} ({on_time}/{due}); class A {a}, B {b}, C {c}; satisfied "
            "{satisfaction_rate} ({satisfied}/{rated}); re-handled {rehandled}; under key "
            "supervision {supervised}",
            {
                "session": f.session,
                "as_of": f.as_of,
                "motions": o.motions,
                "suggestions": o.suggestions,
                "on_time_rate": _pct(o.on_time_rate),
                "on_time": o.on_time,
                "due": o.due,
                "a": _pct(o.share("A")),
                "b": _pct(o.share("B")),
                "c": _pct(o.share("C")),
                "satisfaction_rate": _pct(o.satisfaction_rate),
                "satisfied": o.satisfied,
                "rated": o.rated,
                "rehandled": o.rehandled,
                "supervised": o.supervised,
            },
        )
        console.print(summary, highlight=False)
        print_written(console, files, pdf_wanted=pdf)
