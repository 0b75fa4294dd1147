"""``graphcoord text fit`` (the text model) and ``graphcoord topics`` (hot topics of an area).

Organizers read the topics: the table is in Chinese; ``--json`` prints the service's answer as
data (field names in English).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import LEVEL_SHORT_NAMES

__all__ = ["fit_if_missing", "register"]

console = Console()


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{name} {text!r} is not a date like 2024-01-31") from None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _fit(settings: Settings) -> None:
    from graphcoord.services import opinions

    db = Database(settings)
    try:
        report = opinions.fit(db)
    finally:
        db.close()
    sources = "，".join(f"{k} {v}" for k, v in report.sources.items())
    console.print(
        f"文本模型已训练：{report.texts} 条文本（{sources}），用时 {report.seconds} 秒，"
        f"scikit-learn {report.sklearn_version}",
        highlight=False,
    )
    console.print(
        f"已为 {report.suggested} 条意见给出建议类别，其中 {report.flagged} 条与群众所选类别"
        f"不一致，待组织者核对；模型保存在 {report.path}",
        highlight=False,
    )


def fit_if_missing(settings: Settings) -> None:
    """Fit the text model unless one is saved (``graphcoord up``: the demo has suggestions)."""
    from graphcoord.services import opinions

    if not opinions.model_path(settings).exists():
        _fit(settings)


def register(app: typer.Typer) -> None:
    text_app = typer.Typer(help="The text model of citizens' opinions.", no_args_is_help=True)
    app.add_typer(text_app, name="text")

    @text_app.command("fit")
    def fit() -> None:
        """Fit the text model on the project's corpus and the database's issues, save it in the
        state folder, and suggest a category for every issue again."""
        _fit(Settings.from_env())

    @app.command()
    def topics(
        area: str = typer.Option(..., "--area", help="Area code: city, county or township."),
        from_: str = typer.Option(..., "--from", help="First day, e.g. 2024-11-01."),
        to: str = typer.Option(..., "--to", help="Last day (included), e.g. 2024-11-30."),
        min_villages: int = typer.Option(3, "--min-villages", help="Least villages a topic spans."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    ) -> None:
        """Hot topics: opinions on one matter from several villages, and who should act."""
        from graphcoord.services import opinions

        start, end = _date(from_, "--from"), _date(to, "--to")
        db = Database(Settings.from_env())
        try:
            scan = opinions.hot_topics(db, area, start, end, min_villages)
        finally:
            db.close()
        if as_json:
            typer.echo(json.dumps(_plain(scan), ensure_ascii=False, indent=2))
            return
        console.print(
            f"{area} {start}至{end}：比对 {scan.compared} 条意见，发现 {len(scan.topics)} 个"
            f"涉及至少 {min_villages} 个村（社区）的热点问题"
            + ("（意见过多，仅比对最新部分）" if scan.truncated else ""),
            highlight=False,
        )
        for n, topic in enumerate(scan.topics, start=1):
            table = Table(title=f"{n}. {topic.title}", show_header=False, title_justify="left")
            table.add_column("项目")
            table.add_column("内容")
            table.add_row("编号", topic.id)
            table.add_row("关键词", "、".join(topic.keywords))
            table.add_row(
                "意见 / 村（社区）",
                f"{len(topic.issue_ids)} 件 / {len(topic.villages)} 个："
                + "、".join(v.name or v.code for v in topic.villages),
            )
            table.add_row("乡镇", "、".join(name or code for code, name in topic.townships))
            table.add_row("每周件数", " ".join(f"{w:%m-%d}:{c}" for w, c in topic.weekly))
            for level, found in topic.deputies.items():
                names = "、".join(d.name for d in found[:8]) + ("等" if len(found) > 8 else "")
                table.add_row(f"{LEVEL_SHORT_NAMES[level]}代表（{len(found)}）", names)
            table.add_row("建议牵头层级", topic.best_level_name)
            table.add_row("建议联名代表", "、".join(d.name for d in topic.cosponsors) or "无")
            console.print(table)
