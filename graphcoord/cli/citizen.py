"""``graphcoord qr`` (printable village codes) and ``graphcoord report opinions``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console

from graphcoord.cli.files import print_written
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.i18n import fill

__all__ = ["register"]

console = Console()


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} {text!r} is not a date like 2024-01-31") from None


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="Reports for organizers.", no_args_is_help=True)
    app.add_typer(report_app, name="report")

    @app.command()
    def qr(
        area: str | None = typer.Option(
            None, help="Area code: a city, county, township or village (not with --ballots)."
        ),
        out: Path = typer.Option(Path("qr"), help="Folder to write the codes to."),
        sheets: bool = typer.Option(True, help="Also write an A4 PDF sheet per township."),
        stations: bool = typer.Option(
            False, "--stations", help="Codes of the liaison stations' pages instead of villages'."
        ),
        deputies: bool = typer.Option(
            False, "--deputies", help="Codes of the deputies' own pages (/d/…) of AREA."
        ),
        ballots: str | None = typer.Option(
            None, "--ballots", help="New one-time ballot codes of this report-back meeting."
        ),
        count: int = typer.Option(0, help="How many ballot codes (with --ballots)."),
    ) -> None:
        """Write a printable QR code (SVG + PNG, name underneath) for every village of AREA
        (or, with --stations, every liaison station and point; with --deputies, every deputy's
        page; with --ballots MEETING --count N, N new ballots of a report-back meeting)."""
        from graphcoord.cli.record_codes import ballot_codes, deputy_codes
        from graphcoord.printouts.qr import cjk_font_path, write_qr_codes
        from graphcoord.services.issues import villages_under

        settings = Settings.from_env()
        if ballots is not None:
            ballot_codes(settings, ballots, count, out)
            return
        if area is None:
            raise BadInput("--area is needed (except with --ballots)")
        if deputies:
            deputy_codes(settings, area, out, sheets)
            return
        if stations:
            _station_codes(settings, area, out, sheets)
            return
        db = Database(settings)
        try:
            villages = villages_under(db, area)
        finally:
            db.close()
        if not villages:
            raise BadInput(f"area {area} has no village or community")
        files = write_qr_codes(villages, settings.public_base_url, out, sheets=sheets)
        townships = len({f.village.township_code for f in files})
        console.print(
            f"{len(files)} QR codes ({townships} townships) in [bold]{out}[/] → "
            f"{settings.public_base_url}/v/<code>; print {out}/<township>-A4.pdf",
            highlight=False,
        )
        if cjk_font_path() is None:
            console.print("no CJK font found: PNG captions show village codes", style="yellow")

    @report_app.command("opinions")
    def opinions(
        area: str = typer.Option(..., help="Area code of the report."),
        from_: str = typer.Option(..., "--from", help="First day, e.g. 2024-01-01."),
        to: str = typer.Option(..., "--to", help="Last day (included), e.g. 2024-12-31."),
        out: Path = typer.Option(Path("reports"), help="Folder to write the report to."),
        pdf: bool = typer.Option(True, help="Also print a PDF with headless Chromium."),
    ) -> None:
        """The opinion-analysis report (民意分析报告): HTML with charts, JSON, PDF if possible."""
        from graphcoord.printouts.opinions import write_report

        start, end = _date(from_, "--from"), _date(to, "--to")
        settings = Settings.from_env()
        db = Database(settings)
        try:
            files = write_report(db, area, start, end, out, pdf=pdf)
        finally:
            db.close()
        print_written(console, files, pdf_wanted=pdf)


def _station_codes(settings: Settings, area: str, out: Path, sheets: bool) -> None:
    """``graphcoord qr --stations``: the codes of the station pages of AREA."""
    from graphcoord.printouts.station_qr import write_station_qr_codes
    from graphcoord.services.stations import stations_under

    db = Database(settings)
    try:
        found = stations_under(db, area)
    finally:
        db.close()
    files = write_station_qr_codes(found, settings.public_base_url, out, sheets=sheets)
    townships = len({f.station.township_code for f in files})
    line = fill(
        "{count} QR codes of stations and points ({townships} townships) written to "
        "[bold]{out}[/] → {base}/s/<id>; print {out}/<township code>-stations-A4.pdf",
        {"count": len(files), "townships": townships, "out": out, "base": settings.public_base_url},
    )
    console.print(line, highlight=False)
