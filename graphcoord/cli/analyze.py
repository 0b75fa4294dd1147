"""``graphcoord analyze …``: coverage, gaps, suggestions, what-if, groups, peers, escalation.

Each command calls :mod:`graphcoord.services.analysis` and prints rich tables with names, or with
``--json`` the answer as JSON (the dataclasses of :mod:`graphcoord.analytics`, field for field).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import analysis
from graphcoord.services import projections as proj
from graphcoord.services.coverage_summary import SUMMARY_TOP

__all__ = ["register"]

console = Console()

AREA = typer.Option(None, "--area", help="Area code (city, county, township); default: all.")
JSON = typer.Option(False, "--json", help="Print machine-readable JSON.")
MAX_PER_DEPUTY = typer.Option(3, "--max-per-deputy", min=0, help="Most villages per deputy.")


@contextmanager
def _database() -> Iterator[Database]:
    db = Database(Settings.from_env())
    try:
        yield db
    finally:
        db.close()


def _print_json(value: Any) -> None:
    def default(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        raise TypeError(f"cannot serialise {type(obj).__name__}")

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=default))


def _pct(rate: float) -> str:
    return f"{rate:.1%}"


def _villages_table(title: str, villages: tuple[analysis.Village, ...], limit: int) -> Table:
    table = Table(title=f"{title} ({len(villages)})")
    table.add_column("code")
    table.add_column("village")
    table.add_column("township")
    for village in villages[:limit]:
        table.add_row(village.code, village.name, village.township)
    if len(villages) > limit:
        table.add_row("…", f"{len(villages) - limit} more (use --json)", "")
    return table


def coverage(
    area: str | None = AREA,
    top: int = typer.Option(5, min=0, max=SUMMARY_TOP, help="Most and least loaded deputies."),
    as_json: bool = JSON,
) -> None:
    """Villages covered overall and per level, gaps, and deputies' load (Gini)."""
    with _database() as db:
        report = analysis.coverage(db, area, top=top)
        if as_json:
            _print_json(report)
            return
        names = analysis.names(db, area, proj.SUMMARY)
    where = names.area(area) if area else "all areas"
    console.print(
        f"[bold]{where}[/]: {report.covered_count:,}/{report.village_count:,} villages covered "
        f"({_pct(report.coverage_rate)}); {len(report.uncovered)} uncovered, "
        f"{len(report.fragile)} fragile, {len(report.without_own_constituency_deputy)} without a "
        "deputy of their own constituency"
    )
    levels = Table(title="coverage per level")
    levels.add_column("level")
    levels.add_column("villages", justify="right")
    levels.add_column("rate", justify="right")
    for item in report.by_level:
        levels.add_row(item.level, f"{item.covered_count:,}", _pct(item.coverage_rate))
    console.print(levels)
    load = report.load
    console.print(
        f"load: {load.deputy_count:,} deputies, {load.contact_count:,} contacts, mean "
        f"{load.mean:.2f}, min {load.min}, max {load.max}, Gini {load.gini:.3f}"
    )
    ranked = Table(title="most loaded deputies")
    for column in ("id", "name", "level", "villages"):
        ranked.add_column(column)
    for entry in load.most_loaded:
        ranked.add_row(
            entry.deputy_id,
            names.deputy(entry.deputy_id),
            names.level(entry.deputy_id),
            str(entry.villages),
        )
    console.print(ranked)


def gaps(
    area: str | None = AREA,
    level: str | None = typer.Option(None, "--level", help="Uncovered by deputies of this level."),
    limit: int = typer.Option(30, min=1, help="Rows shown per table."),
    as_json: bool = JSON,
) -> None:
    """Uncovered, fragile (one deputy) and no-own-constituency villages."""
    with _database() as db:
        report = analysis.gaps(db, area, level=level)
    if as_json:
        _print_json(report)
        return
    title = f"uncovered by {report.level.lower()} deputies" if report.level else "uncovered"
    console.print(f"{report.village_count:,} villages in scope")
    console.print(_villages_table(title, report.uncovered, limit))
    console.print(_villages_table("fragile (one deputy)", report.fragile, limit))
    console.print(
        _villages_table(
            "no deputy of their own constituency", report.without_own_constituency_deputy, limit
        )
    )


def suggest(
    area: str | None = AREA,
    max_per_deputy: int = MAX_PER_DEPUTY,
    fragile: bool = typer.Option(
        False, "--fragile", help="Also add a second deputy to fragile villages."
    ),
    as_json: bool = JSON,
) -> None:
    """New contacts that cover every uncovered (and fragile) village at least cost."""
    with _database() as db:
        plan = analysis.suggest(db, area, max_per_deputy=max_per_deputy, include_fragile=fragile)
        if as_json:
            _print_json(plan)
            return
        names = analysis.names(db, area)
    _print_plan(plan, names)


def _print_plan(plan: Any, names: analysis.Names) -> None:
    console.print(
        f"{plan.target_count} villages to cover: {len(plan.assignments)} assignments "
        f"(total cost {plan.total_cost}), {len(plan.unassignable)} cannot be covered"
    )
    table = Table(title="suggested contacts")
    for column in ("village", "deputy", "level", "basis", "cost", "why"):
        table.add_column(column)
    for a in plan.assignments:
        table.add_row(
            f"{names.area(a.village_code)} {a.village_code}",
            f"{names.deputy(a.deputy_id)} {a.deputy_id}",
            a.deputy_level,
            a.basis,
            str(a.cost),
            a.reason,
        )
    console.print(table)
    if plan.unassignable:
        missing = Table(title="cannot be covered")
        missing.add_column("village")
        missing.add_column("why")
        for u in plan.unassignable:
            missing.add_row(f"{names.area(u.village_code)} {u.village_code}", u.reason)
        console.print(missing)


def what_if(
    deputy: list[str] = typer.Option(..., "--deputy", help="A deputy who leaves (repeatable)."),
    area: str | None = AREA,
    max_per_deputy: int = MAX_PER_DEPUTY,
    as_json: bool = JSON,
) -> None:
    """Villages that become uncovered or fragile if deputies leave, and replacements."""
    with _database() as db:
        report = analysis.what_if(db, deputy, area, max_per_deputy=max_per_deputy)
        if as_json:
            _print_json(report)
            return
        names = analysis.names(db, area)
    who = ", ".join(f"{names.deputy(d)} ({d})" for d in deputy)
    console.print(
        f"if {who} leave: coverage {report.covered_after:,}/{report.village_count:,} "
        f"({_pct(report.coverage_rate_before)} -> {_pct(report.coverage_rate_after)}); "
        f"{len(report.affected)} villages affected"
    )
    table = Table(title="affected villages")
    table.add_column("village")
    table.add_column("becomes")
    for code in report.affected:
        state = (
            "UNCOVERED"
            if code in report.newly_uncovered
            else "FRAGILE"
            if code in report.newly_fragile
            else "still covered"
        )
        table.add_row(f"{names.area(code)} {code}", state)
    console.print(table)
    _print_plan(report.replacements, names)


def groups(
    area: str | None = AREA,
    year: int | None = typer.Option(None, "--year", help="Compliance year (default: latest)."),
    as_json: bool = JSON,
) -> None:
    """Each group's coverage, overlaps between groups, and quarterly compliance."""
    with _database() as db:
        report = analysis.groups(db, area, year=year)
    if as_json:
        _print_json(report)
        return
    table = Table(title="group coverage")
    for column in ("group", "name", "kind", "members", "villages", "rate in area"):
        table.add_column(column)
    for c in report.coverage:
        rate = "" if c.coverage_rate is None else _pct(c.coverage_rate)
        table.add_row(c.group_id, c.name, c.kind, str(len(c.member_ids)), str(len(c.covered)), rate)
    console.print(table)
    overlaps = Table(title="largest overlaps")
    for column in ("group a", "group b", "shared", "Jaccard"):
        overlaps.add_column(column)
    for o in report.overlaps[:10]:
        overlaps.add_row(o.group_a, o.group_b, str(o.shared_count), f"{o.jaccard:.3f}")
    console.print(overlaps)
    missed = [m for m in report.compliance if not m.compliant]
    compliance = Table(title=f"quarterly compliance {report.year}: {len(missed)} groups missed")
    for column in ("group", "name", "Q1", "Q2", "Q3", "Q4", "missing"):
        compliance.add_column(column)
    for m in missed:
        compliance.add_row(m.group_id, m.name, *map(str, m.counts), ", ".join(m.missing))
    console.print(compliance)


def peers(
    deputy: str = typer.Option(..., "--deputy", help="The deputy whose chain peers are wanted."),
    k: int | None = typer.Option(None, "--k", min=1, help="At most this many peers."),
    as_json: bool = JSON,
) -> None:
    """Deputies on the same industry chain, then on chains of the same cluster, with reasons."""
    with _database() as db:
        found = analysis.peers(db, deputy, limit=k)
        if as_json:
            _print_json(found)
            return
        names = analysis.names(db, None, proj.PEERS)
    table = Table(title=f"chain peers of {names.deputy(deputy)} ({deputy}): {len(found)}")
    for column in ("deputy", "name", "level", "score", "why"):
        table.add_column(column)
    for peer in found:
        table.add_row(peer.deputy_id, peer.name, peer.level, f"{peer.score:g}", peer.reason)
    console.print(table)


def escalate(
    village: str | None = typer.Option(None, "--village", help="Start from this village code."),
    issue: str | None = typer.Option(None, "--issue", help="Start from this issue's village."),
    deputy: str | None = typer.Option(None, "--deputy", help="Start from this deputy."),
    level: str | None = typer.Option(None, "--level", help="Target level (default: by scope)."),
    k: int = typer.Option(3, "--k", min=1, help="How many paths."),
    as_json: bool = JSON,
) -> None:
    """The k best explained paths from a village (or issue, or deputy) to a target level."""
    with _database() as db:
        answer = analysis.escalate(
            db, village_code=village, issue_id=issue, deputy_id=deputy, level=level, k=k
        )
    if as_json:
        _print_json(answer)
        return
    start = f"issue {answer.issue_id}, " if answer.issue_id else ""
    console.print(
        f"{start}{answer.start_kind.lower()} {answer.start_id} -> a {answer.target_level} deputy: "
        f"{len(answer.paths)} paths"
    )
    for rank, path in enumerate(answer.paths, start=1):
        console.print(f"[bold]{rank}.[/] cost {path.cost:g}, reaches {path.target_deputy_id}")
        for hop in path.hops:
            console.print(f"   - {hop.reason}")


COMMANDS: dict[str, Callable[..., None]] = {
    "coverage": coverage,
    "gaps": gaps,
    "suggest": suggest,
    "what-if": what_if,
    "groups": groups,
    "peers": peers,
    "escalate": escalate,
}


def register(app: typer.Typer) -> None:
    analyze_app = typer.Typer(
        help="Coverage, gaps, gap closing, what-if, groups, chain peers and escalation paths.",
        no_args_is_help=True,
    )
    for name, command in COMMANDS.items():
        analyze_app.command(name)(command)
    app.add_typer(analyze_app, name="analyze")
