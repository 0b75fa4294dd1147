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

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput

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
        console.print(
            f"{year}年代表集中活动周：{found.start:%Y年%m月%d日}（周一）至"
            f"{found.end:%m月%d日}（周五）",
            highlight=False,
        )

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
        console.print(
            f"{f.session}（截至{f.as_of}）：议案{o.motions}件、建议{o.suggestions}件；"
            f"按期答复率{_pct(o.on_time_rate)}（{o.on_time}/{o.due}）；"
            f"A类{_pct(o.share('A'))}、B类{_pct(o.share('B'))}、C类{_pct(o.share('C'))}；"
            f"满意率{_pct(o.satisfaction_rate)}（{o.satisfied}/{o.rated}）；"
            f"重新办理{o.rehandled}件；重点督办{o.supervised}件",
            highlight=False,
        )
        console.print(f"HTML: [bold]{files.html}[/]", highlight=False)
        console.print(f"JSON: {files.json}", highlight=False)
        if files.pdf is not None:
            console.print(f"PDF:  {files.pdf} (printed by {files.pdf_renderer})", highlight=False)
        elif pdf:
            console.print("PDF:  skipped (no Chromium found; install Debian's chromium)")
