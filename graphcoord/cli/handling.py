"""Deadlines on the command line: ``calendar``, ``supervise``, ``rates``, ``notify``, ``policy``.

What clerks and organizers read is Chinese (table titles, colours, stages); ``--json`` prints
the same answer for machines, with English keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import (
    COLOUR_NAMES,
    DEPARTMENT_KIND_NAMES,
    LEVEL_SHORT_NAMES,
    STAGE_NAMES,
    WORK_KIND_NAMES,
    SupervisionColour,
)

__all__ = ["register"]

console = Console()

_COLOURS = {
    "RED": SupervisionColour.RED,
    "红": SupervisionColour.RED,
    "红灯": SupervisionColour.RED,
    "YELLOW": SupervisionColour.YELLOW,
    "黄": SupervisionColour.YELLOW,
    "黄灯": SupervisionColour.YELLOW,
    "GREEN": SupervisionColour.GREEN,
    "绿": SupervisionColour.GREEN,
    "绿灯": SupervisionColour.GREEN,
}
_STYLES = {"RED": "bold red", "YELLOW": "bold yellow", "GREEN": "green"}
_SHORT_COLOUR = {"RED": "红", "YELLOW": "黄", "GREEN": "绿"}


@contextmanager
def _database() -> Iterator[Database]:
    db = Database(Settings.from_env())
    try:
        yield db
    finally:
        db.close()


def _date(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} {text!r} is not a date like 2025-10-09") from None


def _echo_json(value: Any) -> None:
    def default(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        if isinstance(obj, dt.date | dt.datetime):
            return obj.isoformat()
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=default))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def register(app: typer.Typer) -> None:
    calendar_app = typer.Typer(help="China's working-day calendar (工作日).", no_args_is_help=True)
    notify_app = typer.Typer(help="The reminder outbox and its webhook.", no_args_is_help=True)
    policy_app = typer.Typer(help="Handling policies (handling.toml).", no_args_is_help=True)
    app.add_typer(calendar_app, name="calendar")
    app.add_typer(notify_app, name="notify")
    app.add_typer(policy_app, name="policy")

    @calendar_app.command("add-workdays")
    def add_workdays_command(
        date: str = typer.Argument(..., help="The day of receipt, e.g. 2025-09-30."),
        days: int = typer.Argument(..., help="The limit N in working days."),
    ) -> None:
        """Print the due date (ISO): the Nth working day after DATE (holidays and 调休)."""
        from graphcoord.workdays import add_workdays

        day = _date(date, "DATE")
        assert day is not None
        typer.echo(add_workdays(day, days).isoformat())

    @app.command()
    def supervise(
        area: str = typer.Option(..., "--area", help="Area code: city, county, township."),
        colour: str = typer.Option(None, "--colour", help="RED, YELLOW or GREEN (红/黄/绿)."),
        as_of: str = typer.Option(None, "--as-of", help="The day to judge on (default today)."),
        limit: int = typer.Option(50, min=1, max=500, help="Rows shown, most overdue first."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """The supervision board (三色督办): unfinished issues, most overdue first."""
        from graphcoord.services.supervision import board

        chosen = None
        if colour is not None:
            chosen = _COLOURS.get(colour.strip().upper()) or _COLOURS.get(colour.strip())
            if chosen is None:
                raise BadInput(f"--colour {colour!r}: use RED, YELLOW or GREEN (红/黄/绿)")
        with _database() as db:
            found = board(db, area, colour=chosen, limit=limit, as_of=_date(as_of, "--as-of"))
        items = found.items[:limit]
        if as_json:
            _echo_json(
                {
                    "asOf": found.as_of,
                    "counts": found.counts,
                    "total": found.total,
                    "items": [
                        {**dataclasses.asdict(item.row), "overdueDays": item.overdue_days}
                        for item in items
                    ],
                }
            )
            return
        counts = found.counts
        console.print(
            f"截至 {found.as_of}：红灯（超期）{counts.get('RED', 0)} 件，黄灯（临期）"
            f"{counts.get('YELLOW', 0)} 件，绿灯（正常）{counts.get('GREEN', 0)} 件",
            highlight=False,
        )
        title = "督办台账" + (f"（{COLOUR_NAMES[chosen]}）" if chosen else "")
        table = Table(title=f"{title}：共 {found.total} 件，显示 {len(items)} 件")
        for column in ("颜色", "编号", "标题", "村（社区）", "阶段", "时限", "超期工作日", "承办"):
            table.add_column(column)
        table.add_column("督办函")
        for item in items:
            row = item.row
            handler = row.department or (
                f"{row.claimed_by_name}代表" if row.claimed_by_name else ""
            )
            table.add_row(
                f"[{_STYLES[row.colour]}]{_SHORT_COLOUR[row.colour]}[/]",
                row.id,
                row.title,
                row.village or "",
                STAGE_NAMES[row.stage],
                row.due_on.isoformat(),
                str(item.overdue_days) if row.colour == "RED" else "",
                handler,
                row.last_letter or "",
            )
        console.print(table)

    @app.command()
    def rates(
        area: str = typer.Option(..., "--area", help="Area code of the issues."),
        from_: str = typer.Option(..., "--from", help="First day of receipt, e.g. 2024-01-01."),
        to: str = typer.Option(..., "--to", help="Last day (included), e.g. 2024-12-31."),
        by: str = typer.Option("department", "--by", help="department, deputy, area or level."),
        top: int = typer.Option(15, min=1, max=500, help="Groups shown, busiest first."),
        as_of: str = typer.Option(None, "--as-of", help="Judge overdue issues on this day."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """Answer vs resolution vs on-time rates, median working days and satisfaction."""
        from graphcoord.services import rates as service

        try:
            grouping = service.RateGrouping(by.strip().upper())
        except ValueError:
            raise BadInput(f"--by {by!r}: use department, deputy, area or level") from None
        start, end = _date(from_, "--from"), _date(to, "--to")
        assert start is not None and end is not None
        with _database() as db:
            where = service.scope(db, area, start, end, as_of=_date(as_of, "--as-of"))
            overall = service.overall(db, where)
            page = service.grouped(db, where, grouping, limit=top)
        rows = page.rows[:top]
        if as_json:

            def plain(c: service.RateCounts) -> dict[str, Any]:
                return {
                    **dataclasses.asdict(c),
                    "answer_rate": c.answer_rate,
                    "resolution_rate": c.resolution_rate,
                    "on_time_rate": c.on_time_rate,
                    "satisfaction_rate": c.satisfaction_rate,
                }

            _echo_json(
                {
                    "areaCode": where.area_code,
                    "areaName": where.area_name,
                    "from": where.start,
                    "to": where.end,
                    "asOf": where.as_of,
                    "by": grouping.value,
                    "overall": plain(overall),
                    "groups": page.groups,
                    "rows": [plain(r) for r in rows],
                }
            )
            return
        console.print(
            f"{where.area_name}（{where.area_code}）{where.start} 至 {where.end} 收到 "
            f"{overall.total} 件：答复率 {_pct(overall.answer_rate)}（{overall.answered} 件），"
            f"解决率 {_pct(overall.resolution_rate)}（{overall.resolved} 件），按期办结率 "
            f"{_pct(overall.on_time_rate)}（{overall.on_time}/{overall.due}），办结用时中位数 "
            f"{overall.median_workdays if overall.median_workdays is not None else '—'} 个工作日，"
            f"满意率 {_pct(overall.satisfaction_rate)}（{overall.satisfied}/{overall.rated}）",
            highlight=False,
        )
        heading = {"DEPARTMENT": "承办单位", "DEPUTY": "代表", "AREA": "地区", "LEVEL": "代表层级"}
        table = Table(title=f"按{heading[grouping]}（共 {page.groups} 个，显示 {len(rows)} 个）")
        for column in (heading[grouping], "类别", "件数", "答复率", "解决率", "按期办结率"):
            table.add_column(column)
        for column in ("用时中位数", "满意率"):
            table.add_column(column)
        kinds = {**DEPARTMENT_KIND_NAMES, **LEVEL_SHORT_NAMES}
        for r in rows:
            label = LEVEL_SHORT_NAMES.get(r.key, r.label) if grouping.value == "LEVEL" else r.label
            table.add_row(
                label,
                kinds.get(r.kind, r.kind),
                str(r.total),
                _pct(r.answer_rate),
                _pct(r.resolution_rate),
                _pct(r.on_time_rate),
                str(r.median_workdays) if r.median_workdays is not None else "—",
                _pct(r.satisfaction_rate),
            )
        console.print(table)

    @notify_app.command("run")
    def notify_run(
        as_of: str = typer.Option(None, "--as-of", help="Judge deadlines on this day."),
        send: bool = typer.Option(True, help="Deliver to GRAPHCOORD_WEBHOOK_URL if it is set."),
    ) -> None:
        """Put due-soon and overdue items in the outbox (once each), then deliver them."""
        from graphcoord.services.notifications import (
            deliver,
            max_attempts_from_env,
            webhook_from_env,
        )
        from graphcoord.services.proposals import collect_reminders as proposal_reminders
        from graphcoord.services.supervision import collect_reminders

        settings = Settings.from_env()
        sender = webhook_from_env(settings) if send else None
        with _database() as db:
            run = collect_reminders(db, as_of=_date(as_of, "--as-of"))
            console.print(
                f"截至 {run.as_of}：临期 {run.due_soon} 件，超期 {run.overdue} 件；"
                f"新增提醒 {run.created} 条",
                highlight=False,
            )
            replies = proposal_reminders(db, as_of=_date(as_of, "--as-of"))
            console.print(
                f"议案建议答复：临期 {replies.due_soon} 件，超期 {replies.overdue} 件；"
                f"新增提醒 {replies.created} 条",
                highlight=False,
            )
            if sender is None:
                console.print(
                    "未设置 GRAPHCOORD_WEBHOOK_URL：提醒留在待办队列中（graphcoord notify list）",
                    highlight=False,
                )
                return
            try:
                report = deliver(db, sender, max_attempts=max_attempts_from_env())
            finally:
                sender.close()
        console.print(
            f"已发送 {report.sent} 条，待重试 {report.retrying} 条，发送失败 {report.failed} 条",
            highlight=False,
        )

    @notify_app.command("list")
    def notify_list(
        recipient: str = typer.Option(None, help="e.g. deputy:SQ-D00012, organizer:321302000000."),
        status: str = typer.Option(None, help="PENDING, SENT or FAILED."),
        limit: int = typer.Option(30, min=1, max=500, help="Rows shown, newest first."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """The outbox, newest first."""
        from graphcoord.services.notifications import notification_page

        with _database() as db:
            total, rows = notification_page(
                db,
                recipients=[recipient] if recipient else None,
                status=status.upper() if status else None,
                limit=limit,
            )
        rows = rows[:limit]
        if as_json:
            _echo_json({"total": total, "items": rows})
            return
        table = Table(title=f"待办提醒：共 {total} 条，显示 {len(rows)} 条")
        for column in ("时间", "接收人", "类别", "状态", "内容"):
            table.add_column(column)
        for n in rows:
            message = json.loads(n.payload).get("message", "")
            when = n.created_at.strftime("%Y-%m-%d %H:%M") if n.created_at else ""
            table.add_row(when, n.recipient, n.kind, n.status, message)
        console.print(table)

    @policy_app.command("show")
    def policy_show() -> None:
        """The handling policies in force and where they come from."""
        from graphcoord.services.policies import load_policies

        settings = Settings.from_env()
        found = load_policies(settings.state_dir)
        console.print(f"来源：{found.source}；临期（黄灯）：到期前 {found.yellow_within} 个工作日")
        table = Table(title="办理时限（工作日，自收到之日的次一工作日起算）")
        for column in ("工作类别", "签收", "首次答复", "办结"):
            table.add_column(column)
        for kind, policy in found.policies.items():
            table.add_row(
                f"{WORK_KIND_NAMES[kind]}（{kind}）",
                str(policy.claim_within),
                str(policy.reply_within),
                str(policy.finish_within),
            )
        console.print(table)

    @policy_app.command("init")
    def policy_init() -> None:
        """Write the documented defaults to the state folder's handling.toml (if absent)."""
        from graphcoord.services.policies import POLICY_FILE, default_toml

        path = Settings.from_env().state_dir / POLICY_FILE
        if path.exists():
            raise BadInput(f"{path} exists already; edit it (graphcoord policy show checks it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(default_toml(), encoding="utf-8")
        typer.echo(f"wrote {path}")
