"""``graphcoord stations list|schedule|attend`` and ``graphcoord alarms``: running liaison
stations from the command line, and what has gone quiet.

They call :mod:`graphcoord.services.stations` and :mod:`graphcoord.services.alarms`, as GraphQL
does; what organizers read is Chinese, ``--json`` prints the answer for scripts. Today is
China's, or ``GRAPHCOORD_TODAY``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import IDLE_MONTHS, STATION_KIND_NAMES

__all__ = ["register"]

console = Console()

JSON = typer.Option(False, "--json", help="Print machine-readable JSON.")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@contextmanager
def _database() -> Iterator[tuple[Database, Settings]]:
    settings = Settings.from_env()
    db = Database(settings)
    try:
        yield db, settings
    finally:
        db.close()


def _print_json(value: Any) -> None:
    def default(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        if isinstance(obj, dt.date | dt.datetime):
            return obj.isoformat()
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=default))


def _date(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} {text!r} is not a date like 2024-11-30") from None


def _month(text: str) -> tuple[int, int | None]:
    """``2026-12`` -> (2026, 12); ``2026`` -> (2026, None): the whole year."""
    if text.isdigit() and len(text) == 4:
        return int(text), None
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadInput(f"--month {text!r} is not a month like 2026-12 (or a year like 2026)")
    return int(match.group(1)), int(match.group(2))


def _when(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def list_stations(
    area: str = typer.Option(..., "--area", help="Area code: a county or a township."),
    as_json: bool = JSON,
) -> None:
    """Stations and points per township of AREA, read back from the database."""
    from graphcoord.services.stations import stations_per_township

    with _database() as (db, _):
        rows = stations_per_township(db, area)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"{area} 人大代表联络站（点）")
    for column in ("乡镇代码", "乡镇", "联络站", "联络点"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.township_code, row.township_name or "", str(row.stations), str(row.points)
        )
    console.print(table)
    stations, points = sum(r.stations for r in rows), sum(r.points for r in rows)
    console.print(
        f"共 {len(rows)} 个乡镇：联络站 {stations} 个，联络点 {points} 个", highlight=False
    )


def schedule(
    month: str = typer.Option(
        ..., "--month", help="The month, e.g. 2026-12 (or a year, e.g. 2026, for all of it)."
    ),
    area: str | None = typer.Option(
        None, "--area", help="Every station and point of this area (a township)."
    ),
    station: str | None = typer.Option(None, "--station", help="One station or point."),
    day: int | None = typer.Option(
        None, "--day", min=1, max=31, help="Day of the month (default: each station's own)."
    ),
    topic: str | None = typer.Option(None, "--topic", help="The topic (精准定题)."),
    as_json: bool = JSON,
) -> None:
    """Schedule the monthly activity days of a township (or one station): each station's day
    of the month, moved to the next working day, with a topic and a published notice."""
    from graphcoord.services.stations import generate_activity_days

    year, which = _month(month)
    with _database() as (db, settings):
        result = generate_activity_days(
            db,
            year=year,
            month=which,
            station_id=station,
            area_code=area,
            day_of_month=day,
            topic=topic,
            today=settings.today,
        )
    if as_json:
        _print_json(result)
        return
    table = Table(title=f"{month} 代表活动日")
    for column in ("编号", "联络站（点）", "日期", "主题"):
        table.add_column(column)
    for item in result.created:
        table.add_row(item.id, item.title.removesuffix("代表活动日"), _when(item.date), item.topic)
    console.print(table)
    console.print(
        f"已安排 {len(result.created)} 个代表活动日，通告已在各站（点）页面发布；"
        f"跳过 {len(result.skipped)} 个。进站代表编组：graphcoord stations roster <编号> -d <代表编号>",
        highlight=False,
    )
    for skipped in result.skipped:
        console.print(f"  跳过 {skipped.station_id} {_when(skipped.date)}：{skipped.reason}")


def roster(
    activity: str = typer.Argument(..., help="The activity day's id."),
    deputy: list[str] = typer.Option([], "--deputy", "-d", help="A deputy on duty (repeat)."),
    topic: str | None = typer.Option(None, "--topic", help="A new topic."),
    notice: str | None = typer.Option(None, "--notice", help="A new notice."),
    date: str | None = typer.Option(None, "--date", help="A new date, e.g. 2026-12-16."),
    as_json: bool = JSON,
) -> None:
    """Set the duty roster (进站编组) of a coming activity day (and its topic, notice or
    date): the deputies given replace the roster; the rules of the roster are checked."""
    from graphcoord.services.stations import rosters_of, update_activity_day

    with _database() as (db, settings):
        row = update_activity_day(
            db,
            activity,
            day=_date(date, "--date"),
            topic=topic,
            deputy_ids=deputy or None,
            notice=notice,
            today=settings.today,
        )
        on_duty, _ = rosters_of(db, [activity]).get(activity, ([], []))
    if as_json:
        _print_json({"activityDay": row, "onDuty": on_duty})
        return
    console.print(
        f"{row.title}（{row.date}，主题：{row.topic}）：进站代表 {row.on_duty} 位 "
        f"{'、'.join(on_duty)}",
        highlight=False,
    )


def attend(
    activity: str = typer.Argument(..., help="The activity day's id."),
    deputy: list[str] = typer.Option([], "--deputy", "-d", help="A deputy who came (repeat)."),
    voters: int = typer.Option(..., "--voters", min=0, help="Voters received."),
    as_json: bool = JSON,
) -> None:
    """Record who attended an activity day and how many voters came (replaces the record)."""
    from graphcoord.services.stations import record_attendance

    with _database() as (db, settings):
        row = record_attendance(db, activity, deputy, voters, today=settings.today)
    if as_json:
        _print_json(row)
        return
    console.print(
        f"{row.title}（{row.date}）：进站代表 {row.attendance} 人，接待选民 {row.voter_count} 人",
        highlight=False,
    )


def alarms(
    area: str = typer.Option(..., "--area", help="Area code (a city, county or township)."),
    months: int = typer.Option(IDLE_MONTHS, "--months", help="Idle window, in months."),
    as_of: str | None = typer.Option(None, "--as-of", help="Last day of the window (today)."),
    year: int | None = typer.Option(None, "--year", help="Year of the quarters (as-of's)."),
    quarter: int | None = typer.Option(None, "--quarter", help="Only groups that missed it."),
    as_json: bool = JSON,
) -> None:
    """What has gone quiet: idle stations and points (挂空挡), and linkage groups that missed
    a quarter, with their conveners."""
    from graphcoord.services import alarms as service

    with _database() as (db, settings):
        report = service.alarms(
            db,
            area,
            months=months,
            as_of=_date(as_of, "--as-of") or settings.today,
            year=year,
            quarter=quarter,
        )
    if as_json:
        _print_json(report)
        return
    idle = Table(
        title=f"{report.months}个月内未开展代表活动日的联络站（点）（截至 {report.as_of}）"
    )
    for column in ("编号", "名称", "类型", "乡镇", "上次活动日", "下次安排"):
        idle.add_column(column)
    for item in report.idle:
        station = item.station
        idle.add_row(
            station.id,
            station.name,
            STATION_KIND_NAMES.get(station.kind, station.kind),
            station.township_name or "",
            _when(item.last_held),
            _when(item.next_scheduled),
        )
    console.print(idle)
    groups = Table(title="未按季度开展活动的协同联动组")
    for column in ("小组", "名称", "缺少活动的季度", "各季度活动次数", "召集人"):
        groups.add_column(column)
    for alarm in report.groups:
        groups.add_row(
            alarm.group_id,
            alarm.name,
            "、".join(alarm.missing),
            " / ".join(str(c) for c in alarm.counts),
            alarm.convener_name or "（无）",
        )
    console.print(groups)
    console.print(
        f"预警：联络站（点）挂空挡 {len(report.idle)} 个，协同联动组未按季度活动 "
        f"{len(report.groups)} 个",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    stations_app = typer.Typer(
        help="Liaison stations and points: list them, schedule activity days, record attendance.",
        no_args_is_help=True,
    )
    stations_app.command("list")(list_stations)
    stations_app.command("schedule")(schedule)
    stations_app.command("roster")(roster)
    stations_app.command("attend")(attend)
    app.add_typer(stations_app, name="stations")
    app.command("alarms")(alarms)
