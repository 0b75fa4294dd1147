"""``graphcoord record`` (a deputy's 履职档案 as HTML/PDF), ``graphcoord ranking`` (records and
scores of an area, per township and level), ``graphcoord scoring-table`` (the default TOML) and
``graphcoord report-back`` (述职评议 meetings: schedule, close, results).

The command line is the operator's: it acts as an admin. What organizers read is Chinese;
``--json`` prints the answer for scripts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from graphcoord.auth import Principal
from graphcoord.cli.files import print_written
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.i18n import N_, fill
from graphcoord.i18n import gettext as _
from graphcoord.model import LEVEL_SHORT_NAMES, Level

__all__ = ["register"]

console = Console()
OPERATOR = Principal(role="admin")


def _level(text: str | None) -> str | None:
    if text is None:
        return None
    if text not in Level.__members__:
        raise BadInput(
            "level {level!r} is not one of {allowed}",
            level=text,
            allowed=", ".join(Level.__members__),
        )
    return text


def register(app: typer.Typer) -> None:
    report_back = typer.Typer(help="Report-back meetings (述职评议).", no_args_is_help=True)
    app.add_typer(report_back, name="report-back")

    @app.command()
    def record(
        deputy: str = typer.Option(..., "--deputy", help="The deputy's id."),
        year: int = typer.Option(..., help="Calendar year of the record."),
        out: Path = typer.Option(Path("records"), help="Folder to write the record to."),
        pdf: bool = typer.Option(True, help="Also print a PDF with headless Chromium."),
    ) -> None:
        """A deputy's performance record (履职档案) of YEAR with its score: HTML, JSON, PDF."""
        from graphcoord.printouts.record import write_record

        settings = Settings.from_env()
        db = Database(settings)
        try:
            files = write_record(
                db,
                OPERATOR,
                deputy,
                year,
                out,
                state_dir=settings.state_dir,
                pdf=pdf,
                today=settings.today,
            )
        finally:
            db.close()
        print_written(console, files, pdf_wanted=pdf)

    @app.command()
    def ranking(
        area: str = typer.Option(..., help="Area code: a county, a township…"),
        year: int = typer.Option(..., help="Calendar year."),
        level: str | None = typer.Option(None, help="Only deputies of this level."),
        limit: int = typer.Option(20, min=1, max=5000, help="How many to print."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """Deputies of AREA ranked by their assessment score of YEAR (ties share a rank)."""
        from graphcoord.services.records import ranked_records

        settings = Settings.from_env()
        db = Database(settings)
        try:
            items = ranked_records(
                db,
                OPERATOR,
                area_code=area,
                year=year,
                level=_level(level),
                state_dir=settings.state_dir,
                today=settings.today,
            )
        finally:
            db.close()
        if as_json:
            rows = [
                {
                    "rank": i.rank,
                    "deputyId": i.record.deputy_id,
                    "name": i.deputy.get("name"),
                    "level": i.deputy.get("level"),
                    "score": i.score.total,
                    "record": dataclasses.asdict(i.record),
                }
                for i in items[:limit]
            ]
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        title = fill(
            "{area} {year}: deputies ranked by the scoring table ({count} deputies)",
            {"area": area, "year": year, "count": len(items)},
        )
        table = Table(title=title)
        for column in (
            N_("rank"),
            N_("deputy"),
            N_("level"),
            N_("score"),
            N_("visits"),
            N_("days on duty"),
            N_("issues resolved"),
            N_("proposals"),
            N_("satisfaction rate"),
        ):
            table.add_column(_(column))
        for i in items[:limit]:
            r = i.record
            rate = "—" if r.satisfaction_rate is None else f"{r.satisfaction_rate:.0%}"
            table.add_row(
                str(i.rank),
                str(i.deputy.get("name")),
                LEVEL_SHORT_NAMES.get(str(i.deputy.get("level")), ""),
                f"{i.score.total:.1f}",
                str(r.visits),
                str(r.activity_days_on_duty),
                str(r.issues_resolved),
                str(r.proposals_sponsored + r.proposals_co_signed),
                rate,
            )
        console.print(table)

    @app.command("scoring-table")
    def scoring_table() -> None:
        """Print the default scoring table (save it as scoring.toml in the state folder)."""
        from graphcoord.services.scoring import DEFAULT_TABLE

        typer.echo(DEFAULT_TABLE, nl=False)

    @report_back.command("schedule")
    def schedule(
        deputy: str = typer.Option(..., "--deputy", help="The deputy who reports."),
        date: str = typer.Option(..., help="The day of the meeting, e.g. 2024-12-20."),
        constituency: str = typer.Option(..., help="Area code of the voters' constituency."),
        title: str | None = typer.Option(None, help="Title (default 人大代表向原选区选民述职)."),
    ) -> None:
        """Schedule a report-back meeting; print its id."""
        from graphcoord.services.report_backs import schedule_report_back

        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise BadInput(
                "{name} {text!r} is not a date like 2024-12-31", name="--date", text=date
            ) from None
        settings = Settings.from_env()
        db = Database(settings)
        try:
            m = schedule_report_back(
                db,
                OPERATOR,
                deputy_id=deputy,
                date=day,
                constituency_code=constituency,
                title=title,
            )
        finally:
            db.close()
        line = fill(
            "report-back [bold]{id}[/] scheduled: {deputy} · {area} · {date}; print its "
            "ballots with graphcoord qr --ballots {id} --count N",
            {"id": m.id, "deputy": m.deputy_name, "area": m.area_name, "date": m.date},
        )
        console.print(line, highlight=False)

    @report_back.command("close")
    def close(meeting: str = typer.Argument(..., help="The meeting's id.")) -> None:
        """Close a meeting: no more ballots; the results can be read."""
        from graphcoord.services.report_backs import close_report_back

        settings = Settings.from_env()
        db = Database(settings)
        try:
            m = close_report_back(db, OPERATOR, meeting)
        finally:
            db.close()
        line = fill(
            "report-back {id} closed: {ballots} ballots returned",
            {"id": m.id, "ballots": m.ballots},
        )
        console.print(line, highlight=False)

    @report_back.command("results")
    def results(
        meeting: str = typer.Argument(..., help="The meeting's id."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """The results of a closed meeting: counts, satisfaction rate, comments."""
        from graphcoord.services.report_backs import meeting_results

        settings = Settings.from_env()
        db = Database(settings)
        try:
            r = meeting_results(db, OPERATOR, meeting)
        finally:
            db.close()
        m = r.meeting
        rate = r.satisfaction_rate
        if as_json:
            body = {
                "meetingId": m.id,
                "deputyId": m.deputy_id,
                "ballotsIssued": m.ballots_issued,
                "ballots": m.ballots,
                "satisfied": m.satisfied,
                "basicallySatisfied": m.basically_satisfied,
                "dissatisfied": m.dissatisfied,
                "satisfactionRate": rate,
                "comments": r.comments,
            }
            typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
            return
        line = fill(
            "{title} ({deputy}, {date}): {issued} ballots issued, {ballots} returned; "
            "satisfied {satisfied}, basically satisfied {basically}, dissatisfied "
            "{dissatisfied}; satisfaction rate {rate}",
            {
                "title": m.title,
                "deputy": m.deputy_name,
                "date": m.date,
                "issued": m.ballots_issued,
                "ballots": m.ballots,
                "satisfied": m.satisfied,
                "basically": m.basically_satisfied,
                "dissatisfied": m.dissatisfied,
                "rate": "—" if rate is None else f"{rate:.1%}",
            },
        )
        console.print(line, highlight=False)
        for comment in r.comments or []:
            console.print(f"  · {comment}", highlight=False)
