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
from graphcoord.i18n import fill
from graphcoord.i18n import gettext as _
from graphcoord.model import LEVEL_NAMES
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
    table.add_column(_("code"))
    table.add_column(_("village"))
    table.add_column(_("township"))
    for village in villages[:limit]:
        table.add_row(village.code, village.name, village.township)
    if len(villages) > limit:
        table.add_row("…", fill("{n} more (use --json)", {"n": len(villages) - limit}), "")
    return table


def _level(level: str) -> str:
    return LEVEL_NAMES.get(level, level)


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
    where = names.area(area) if area else _("all areas")
    summary = fill(
        "{covered}/{villages} villages covered ({rate}); {uncovered} uncovered, {fragile} "
        "fragile, {without} without a deputy of their own constituency",
        {
            "covered": f"{report.covered_count:,}",
            "villages": f"{report.village_count:,}",
            "rate": _pct(report.coverage_rate),
            "uncovered": len(report.uncovered),
            "fragile": len(report.fragile),
            "without": len(report.without_own_constituency_deputy),
        },
    )
    console.print(f"[bold]{where}[/]: {summary}")
    levels = Table(title=_("coverage per level"))
    levels.add_column(_("level"))
    levels.add_column(_("villages covered"), justify="right")
    levels.add_column(_("coverage rate"), justify="right")
    for item in report.by_level:
        levels.add_row(_level(item.level), f"{item.covered_count:,}", _pct(item.coverage_rate))
    console.print(levels)
    load = report.load
    console.print(
        fill(
            "load: {deputies} deputies, {contacts} contacts, mean {mean}, min {min}, max {max}, "
            "Gini {gini}",
            {
                "deputies": f"{load.deputy_count:,}",
                "contacts": f"{load.contact_count:,}",
                "mean": f"{load.mean:.2f}",
                "min": load.min,
                "max": load.max,
                "gini": f"{load.gini:.3f}",
            },
        )
    )
    ranked = Table(title=_("most loaded deputies"))
    for column in (_("deputy id"), _("name"), _("level"), _("villages")):
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
    title = (
        fill("uncovered by {level} deputies", {"level": _level(report.level)})
        if report.level
        else _("uncovered")
    )
    console.print(fill("{n} villages in scope", {"n": f"{report.village_count:,}"}))
    console.print(_villages_table(title, report.uncovered, limit))
    console.print(_villages_table(_("fragile (one deputy)"), report.fragile, limit))
    console.print(
        _villages_table(
            _("no own-constituency deputy"), report.without_own_constituency_deputy, limit
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
        fill(
            "{targets} villages to cover: {n} assignments (total cost {cost}), {missing} cannot "
            "be covered",
            {
                "targets": plan.target_count,
                "n": len(plan.assignments),
                "cost": plan.total_cost,
                "missing": len(plan.unassignable),
            },
        )
    )
    table = Table(title=_("suggested contacts"))
    for column in (_("village"), _("deputy"), _("level"), _("basis"), _("cost"), _("reason")):
        table.add_column(column)
    for a in plan.assignments:
        table.add_row(
            f"{names.area(a.village_code)} {a.village_code}",
            f"{names.deputy(a.deputy_id)} {a.deputy_id}",
            _level(a.deputy_level),
            _(a.basis),
            str(a.cost),
            a.reason,
        )
    console.print(table)
    if plan.unassignable:
        missing = Table(title=_("cannot be covered"))
        missing.add_column(_("village"))
        missing.add_column(_("reason"))
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
        fill(
            "if {who} leave: coverage {covered}/{villages} ({before} -> {after}); {n} villages "
            "affected",
            {
                "who": who,
                "covered": f"{report.covered_after:,}",
                "villages": f"{report.village_count:,}",
                "before": _pct(report.coverage_rate_before),
                "after": _pct(report.coverage_rate_after),
                "n": len(report.affected),
            },
        )
    )
    table = Table(title=_("affected villages"))
    table.add_column(_("village"))
    table.add_column(_("becomes"))
    for code in report.affected:
        state = (
            _("uncovered")
            if code in report.newly_uncovered
            else _("fragile")
            if code in report.newly_fragile
            else _("still covered")
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
    table = Table(title=_("group coverage"))
    for column in (
        _("group"),
        _("name"),
        _("kind"),
        _("members"),
        _("villages"),
        _("rate in area"),
    ):
        table.add_column(column)
    for c in report.coverage:
        rate = "" if c.coverage_rate is None else _pct(c.coverage_rate)
        table.add_row(c.group_id, c.name, c.kind, str(len(c.member_ids)), str(len(c.covered)), rate)
    console.print(table)
    overlaps = Table(title=_("largest overlaps"))
    for column in (_("group a"), _("group b"), _("shared villages"), "Jaccard"):
        overlaps.add_column(column)
    for o in report.overlaps[:10]:
        overlaps.add_row(o.group_a, o.group_b, str(o.shared_count), f"{o.jaccard:.3f}")
    console.print(overlaps)
    missed = [m for m in report.compliance if not m.compliant]
    compliance = Table(
        title=fill(
            "quarterly compliance {year}: {n} groups missed",
            {"year": report.year, "n": len(missed)},
        )
    )
    for column in (_("group"), _("name"), "Q1", "Q2", "Q3", "Q4", _("quarters missed")):
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
    table = Table(
        title=fill(
            "chain peers of {name} ({deputy}): {n}",
            {"name": names.deputy(deputy), "deputy": deputy, "n": len(found)},
        )
    )
    for column in (_("deputy id"), _("name"), _("level"), _("score"), _("reason")):
        table.add_column(column)
    for peer in found:
        table.add_row(peer.deputy_id, peer.name, _level(peer.level), f"{peer.score:g}", peer.reason)
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
    start = fill("issue {issue}, ", {"issue": answer.issue_id}) if answer.issue_id else ""
    console.print(
        start
        + fill(
            "{kind} {start} -> a {level} deputy: {n} paths",
            {
                "kind": _(answer.start_kind.lower()),
                "start": answer.start_id,
                "level": _level(answer.target_level),
                "n": len(answer.paths),
            },
        )
    )
    for rank, path in enumerate(answer.paths, start=1):
        reach = fill(
            "cost {cost}, reaches {deputy}",
            {"cost": f"{path.cost:g}", "deputy": path.target_deputy_id},
        )
        console.print(f"[bold]{rank}.[/] {reach}")
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
