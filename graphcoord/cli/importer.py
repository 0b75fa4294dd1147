"""``graphcoord import FILE``, ``graphcoord import history`` and ``graphcoord import template``.

``import`` is a command group whose default command is ``run``: ``graphcoord import FILE …``
is ``graphcoord import run FILE …``, so the everyday use needs no sub-command while
``history`` and ``template`` still read naturally.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from typer import _click
from typer.core import TyperGroup

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, ImportRejected
from graphcoord.i18n import fill
from graphcoord.i18n import gettext as _
from graphcoord.model import ROW_KINDS
from graphcoord.services.imports import (
    KIND_ORDER,
    ImportReport,
    InitialImport,
    Status,
    import_history,
    initial_import,
    record_import,
    run_import,
    undo_import,
    write_template,
)

__all__ = ["register"]

console = Console()
err_console = Console(stderr=True)
SHOWN_BAD_ROWS = 50
_TEMPLATE_KINDS = f"Kinds to include ({', '.join(KIND_ORDER)} or all)."
_KIND_HELP = (
    f"What the file holds ({', '.join(KIND_ORDER)}); default: from the file or sheet names."
)


class _RunByDefault(TyperGroup):
    """A group that runs ``run`` when its first argument is not a sub-command, and
    ``initial`` for ``--initial DIR``."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if args and args[0] == "--initial":
            args = ["initial", *args[1:]]
        elif args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


class _RichProgress:
    """The importer's progress as a rich bar with rows/s and ETA (on stderr)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.started = time.monotonic()

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(name, total=total, rate="")
        self.started = time.monotonic()

    def advance(self, rows: int) -> None:
        if self.task is None:
            return
        self.progress.advance(self.task, rows)
        done = self.progress.tasks[-1].completed
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, rate=f"{done / elapsed:,.0f} rows/s")


def _bad_rows_table(report: ImportReport) -> Table:
    title = fill(
        "{n} problem(s) in {file}", {"n": f"{report.bad_row_count:,}", "file": report.file}
    )
    table = Table(title=title, show_lines=False)
    for column in (_("sheet"), _("row"), _("column"), _("value"), _("problem")):
        table.add_column(column, overflow="fold")
    for bad in report.bad_rows[:SHOWN_BAD_ROWS]:
        table.add_row(bad.sheet or "", str(bad.row), bad.column or "", bad.value or "", bad.reason)
    if report.bad_row_count > SHOWN_BAD_ROWS:
        more = report.bad_row_count - SHOWN_BAD_ROWS
        table.caption = fill(
            "… and {more} more (write them all with --errors FILE.csv)", {"more": f"{more:,}"}
        )
    return table


def _summary_table(report: ImportReport) -> Table:
    dry = report.status in (Status.VALIDATED, Status.REJECTED)
    table = Table(title=f"{report.file}: {_(report.status)}")
    table.add_column(_("kind"))
    columns = (
        (_("would be created"), _("would be updated")) if dry else (_("created"), _("updated"))
    )
    for column in (*columns, _("unchanged")):
        table.add_column(column, justify="right")
    table.add_column(_("rejected"), justify="right")
    table.add_column(_("seconds"), justify="right")
    for kind, counts in sorted(report.counts.items(), key=lambda kv: ROW_KINDS.index(kv[0])):
        table.add_row(
            _(kind),
            f"{counts.created:,}",
            f"{counts.updated:,}",
            f"{counts.unchanged:,}",
            f"{counts.rejected:,}",
            f"{counts.seconds:.1f}",
        )
    seconds = {"validate": f"{report.validate_seconds:.1f}", "write": f"{report.write_seconds:.1f}"}
    table.caption = (
        fill("validated in {validate} s, counted in {write} s", seconds)
        if dry
        else fill("validated in {validate} s, written in {write} s", seconds)
    )
    return table


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report as plain JSON (``--json``)."""
    return {
        "file": report.file,
        "fileHash": report.file_hash,
        "status": report.status,
        "runId": report.run_id,
        "kinds": report.kinds,
        "dryRun": report.dry_run,
        "counts": {
            kind: {
                "created": c.created,
                "updated": c.updated,
                "unchanged": c.unchanged,
                "rejected": c.rejected,
            }
            for kind, c in report.counts.items()
        },
        "rejectedRows": report.rejected_rows,
        "badRowCount": report.bad_row_count,
        "badRows": [
            {
                "file": b.file,
                "sheet": b.sheet,
                "row": b.row,
                "column": b.column,
                "value": b.value,
                "reason": b.reason,
            }
            for b in report.bad_rows
        ],
        "warnings": report.warnings,
        "validateSeconds": report.validate_seconds,
        "writeSeconds": report.write_seconds,
    }


def _initial_json(done: InitialImport) -> dict[str, Any]:
    """An initial import as JSON: the report of ``import FILE --json`` and the phases."""
    return {
        **report_json(done.report),
        "nodes": done.nodes,
        "relationships": done.relationships,
        "seconds": done.seconds,
    }


def register(app: typer.Typer) -> None:
    import_app = typer.Typer(
        cls=_RunByDefault,
        help=(
            "Import rosters (XLSX, CSV, TSV): `graphcoord import FILE --kind deputies`. "
            "All or nothing unless --allow-partial."
        ),
        no_args_is_help=True,
    )
    app.add_typer(import_app, name="import")

    @import_app.command("run")
    def run(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="XLSX, CSV or TSV."),
        kind: str = typer.Option(
            None,
            "--kind",
            "-k",
            help=_KIND_HELP,
        ),
        encoding: str = typer.Option(
            None, help="CSV encoding (utf-8, utf-8-sig, gb18030…); default: detected."
        ),
        allow_partial: bool = typer.Option(
            False, "--allow-partial", help="Load the good rows even if some are bad."
        ),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count; write nothing."),
        errors: Path = typer.Option(
            None, "--errors", help="Write every bad row to this CSV (UTF-8 with BOM)."
        ),
        batch_size: int = typer.Option(
            None, "--batch-size", min=1, help="Rows per write transaction (default 5000)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Validate a roster file completely, then write it (or nothing)."""
        settings = Settings.from_env()
        db = Database(settings)
        try:
            with Progress(
                TextColumn("[bold]{task.description:<22}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=err_console,
                transient=True,
                disable=as_json,
            ) as progress:
                report = run_import(
                    db,
                    file,
                    kind=kind,
                    encoding=encoding,
                    allow_partial=allow_partial,
                    dry_run=dry_run,
                    batch_size=batch_size or settings.import_batch_size,
                    lease_seconds=settings.import_lease_seconds,
                    errors_path=errors,
                    progress=_RichProgress(progress),
                )
            record_import(db, report, None)
        finally:
            db.close()
        if as_json:
            typer.echo(json.dumps(report_json(report), ensure_ascii=False, indent=1))
        else:
            for warning in report.warnings:
                err_console.print(f"[yellow]{_('warning:')}[/] {warning}", highlight=False)
            if report.bad_row_count:
                console.print(_bad_rows_table(report))
            console.print(_summary_table(report))
            if errors is not None and report.bad_row_count:
                console.print(fill("every problem is listed in {file}", {"file": errors}))
        if report.status == Status.REJECTED:
            raise ImportRejected(
                "{file}: {rows} bad row(s); nothing was written. Fix them (or use "
                "--allow-partial) and import again.",
                file=report.file,
                rows=f"{report.rejected_rows:,}",
            )

    @import_app.command("initial")
    def initial(
        folder: Path = typer.Argument(
            ..., exists=True, file_okay=False, help="The roll: one file (or sheet) per kind."
        ),
        encoding: str = typer.Option(
            None, help="CSV encoding (utf-8, utf-8-sig, gb18030…); default: detected."
        ),
        allow_partial: bool = typer.Option(
            False, "--allow-partial", help="Load the good rows even if some are bad."
        ),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count; load nothing."),
        errors: Path = typer.Option(
            None, "--errors", help="Write every bad row to this CSV (UTF-8 with BOM)."
        ),
        batch_size: int = typer.Option(
            None, "--batch-size", min=1, help="Rows validated at once (default 5000)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """`graphcoord import --initial DIR`: validate a whole roll like `import FILE`, then
        build graphcoord's own EMPTY Neo4j from it with neo4j-admin (the server is stopped
        meanwhile). Refused when the database holds data or NEO4J_URI is set."""
        settings = Settings.from_env()

        def say(message: str) -> None:
            if not as_json:
                err_console.print(message, highlight=False)

        with Progress(
            TextColumn("[bold]{task.description:<26}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=err_console,
            transient=True,
            disable=as_json,
        ) as progress:
            done = initial_import(
                settings,
                folder,
                encoding=encoding,
                allow_partial=allow_partial,
                dry_run=dry_run,
                batch_size=batch_size or settings.import_batch_size,
                errors_path=errors,
                progress=_RichProgress(progress),
                say=say,
            )
        report = done.report
        if as_json:
            typer.echo(json.dumps(_initial_json(done), ensure_ascii=False, indent=1))
        else:
            for warning in report.warnings:
                err_console.print(f"[yellow]{_('warning:')}[/] {warning}", highlight=False)
            if report.bad_row_count:
                console.print(_bad_rows_table(report))
            console.print(_summary_table(report))
            if errors is not None and report.bad_row_count:
                console.print(fill("every problem is listed in {file}", {"file": errors}))
            if report.status == Status.SUCCEEDED:
                phases = ", ".join(f"{name} {s:.1f} s" for name, s in done.seconds.items())
                console.print(
                    fill(
                        "loaded {nodes} nodes and {relationships} relationships in {seconds} s "
                        "({phases})",
                        {
                            "nodes": f"{done.nodes:,}",
                            "relationships": f"{done.relationships:,}",
                            "seconds": f"{done.total_seconds:.1f}",
                            "phases": phases,
                        },
                    )
                )
        if report.status == Status.REJECTED:
            raise ImportRejected(
                "{file}: {rows} bad row(s); nothing was loaded and the store is still empty. Fix "
                "them (or use --allow-partial) and import again.",
                file=report.file,
                rows=f"{report.rejected_rows:,}",
            )

    @import_app.command("history")
    def history(
        limit: int = typer.Option(20, min=1, help="How many runs to show."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """The latest import runs (RUNNING means it was interrupted: re-run the same file, or
        `graphcoord import undo RUN --force` to delete what it wrote ahead). --json adds each
        file's SHA-256."""
        db = Database(Settings.from_env())
        try:
            runs = import_history(db, limit)
        finally:
            db.close()
        if as_json:
            typer.echo(json.dumps([run.__dict__ for run in runs], ensure_ascii=False, indent=1))
            return
        table = Table(title=_("import runs (newest first)"))
        for column in (_("started (UTC)"), _("run"), _("status")):
            table.add_column(column, no_wrap=True)
        for column in (_("kind"), _("file")):
            table.add_column(column, overflow="fold")
        table.add_column(_("created/updated/unchanged/rejected"), justify="right", overflow="fold")
        table.add_column(_("batches to undo"), justify="right")
        for run in runs:
            counts = (run.created, run.updated, run.unchanged, run.rejected)
            table.add_row(
                run.started_at[:19].replace("T", " "),
                run.id[:8],
                _(run.status),
                run.kind,
                run.file,
                "/".join("" if v is None else f"{v:,}" for v in counts),
                f"{run.undo_batches:,}" if run.undo_batches else "",
            )
        console.print(table)

    @import_app.command("undo")
    def undo(
        run_id: str = typer.Argument(
            ..., help="The run's id, or its start as `graphcoord import history` shows it."
        ),
        force: bool = typer.Option(
            False, "--force", help="Undo a run still marked RUNNING (its process is gone)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Delete the rows an interrupted or failed import wrote ahead (the graph as before it)."""
        db = Database(Settings.from_env())
        try:
            run, rows = undo_import(db, run_id, force=force)
        finally:
            db.close()
        if as_json:
            typer.echo(json.dumps({"run": run, "status": Status.UNDONE, "deletedRows": rows}))
            return
        console.print(
            fill(
                "import run {run} undone: {rows} row(s) it wrote ahead deleted",
                {"run": run, "rows": f"{rows:,}"},
            )
        )

    @import_app.command("template")
    def template(
        kind: list[str] = typer.Option(..., "--kind", "-k", help=_TEMPLATE_KINDS),
        out: Path = typer.Option(Path("roster-template.xlsx"), help="Where to write it."),
    ) -> None:
        """Write an XLSX template: Chinese headers, an example row, the allowed values."""
        kinds = list(KIND_ORDER) if "all" in kind else kind
        unknown = [k for k in kinds if k not in KIND_ORDER]
        if unknown:
            raise BadInput(
                "unknown kind(s) {kinds}; known: {known}",
                kinds=", ".join(unknown),
                known=", ".join(KIND_ORDER),
            )
        write_template(out, sorted(kinds, key=KIND_ORDER.index))
        console.print(fill("wrote {file} ({kinds})", {"file": out, "kinds": ", ".join(kinds)}))
