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
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
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
        console.print(f"履职档案 HTML：[bold]{files.html}[/]", highlight=False)
        console.print(f"数据 JSON：{files.json}", highlight=False)
        if files.pdf is not None:
            console.print(f"PDF：{files.pdf}（{files.pdf_renderer} 打印）", highlight=False)
        elif pdf:
            console.print("PDF：未生成（未找到 Chromium，请安装 Debian 的 chromium）")

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
        table = Table(title=f"{area} {year}年度代表定量考核排名（共 {len(items)} 人）")
        for column in (
            "名次",
            "代表",
            "层级",
            "得分",
            "活动",
            "值班",
            "解决意见",
            "议案建议",
            "满意率",
        ):
            table.add_column(column)
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
        console.print(
            f"已安排述职评议 [bold]{m.id}[/]：{m.deputy_name} · {m.area_name} · {m.date}；"
            f"打印选票：graphcoord qr --ballots {m.id} --count N",
            highlight=False,
        )

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
        console.print(f"述职评议 {m.id} 已结束，共收回 {m.ballots} 张选票。", highlight=False)

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
        console.print(
            f"{m.title}（{m.deputy_name}，{m.date}）：发出选票 {m.ballots_issued} 张，"
            f"收回 {m.ballots} 张；满意 {m.satisfied}、基本满意 {m.basically_satisfied}、"
            f"不满意 {m.dissatisfied}；满意率 {'—' if rate is None else f'{rate:.1%}'}",
            highlight=False,
        )
        for comment in r.comments or []:
            console.print(f"  · {comment}", highlight=False)
