"""One import, end to end: record the run, validate everything, then write (or not).

All or nothing by default: any bad row and nothing is left written (status REJECTED). With
``allow_partial`` the good rows are written and the bad ones still reported. ``dry_run``
validates and counts what would be created, updated and left unchanged, and writes nothing,
not even a run record. New rows of a one-kind file are written ahead while validation goes on
(:mod:`graphcoord.importer.ahead`) and undone if the file is rejected; the rest is written
after validation in batches, in a deterministic order, skipping rows already stored as they
are: so a re-run changes nothing and a re-run after a crash finishes the job.

One import writes at a time per database: a run takes the import lease
(:mod:`graphcoord.importer.lease`) before its run record and holds it, with a heartbeat, to the
end; a second import is refused naming the first. Holding the lease, it may settle or undo
what earlier runs of the same file left RUNNING: their processes are gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from graphcoord import collector
from graphcoord.db import Database
from graphcoord.errors import RuleViolation
from graphcoord.i18n import N_, gettext
from graphcoord.importer.ahead import PARALLEL_WRITES, WriteAhead, Writers, undo_runs
from graphcoord.importer.lease import ImportLease
from graphcoord.importer.readers import open_sheets
from graphcoord.importer.report import BadRowSink, ImportReport, SkippedLine, Status
from graphcoord.importer.spool import CREATED, Spool
from graphcoord.importer.validate import DEPUTY_REFERENCING, Validator
from graphcoord.queries.batch import write_rows
from graphcoord.queries.groups import existing_conveners
from graphcoord.queries.import_undo import settle, unsettled_runs
from graphcoord.queries.imports import (
    CREATE_NEW,
    UPSERT_VALIDATED,
    create_new,
    create_run,
    finish_run,
    upsert_validated,
)
from graphcoord.queries.rows import STATEMENTS
from graphcoord.rules import convener_violations, raise_for

__all__ = ["ProgressSink", "file_hash", "run_import"]

_SKIP_REASONS = {
    "note": N_("a note or footnote, not data"),
    "blank": N_("a blank row between blocks of data"),
}


class ProgressSink(Protocol):
    """Where an import reports its progress (the CLI draws a rich progress bar)."""

    def phase(self, name: str, total: int | None) -> None: ...

    def advance(self, rows: int) -> None: ...


class _Silent:
    def phase(self, name: str, total: int | None) -> None:
        return None

    def advance(self, rows: int) -> None:
        return None


class _Collecting:
    """Passes progress on, and runs the paused garbage collector as rows go by."""

    def __init__(self, progress: ProgressSink, periodic: collector.Periodic) -> None:
        self.progress = progress
        self.periodic = periodic

    def phase(self, name: str, total: int | None) -> None:
        self.progress.phase(name, total)

    def advance(self, rows: int) -> None:
        self.periodic.rows(rows)
        self.progress.advance(rows)


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes: the run record says exactly which file was loaded."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def run_import(
    db: Database,
    path: Path,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    allow_partial: bool = False,
    dry_run: bool = False,
    batch_size: int = 5000,
    errors_path: Path | None = None,
    display_name: str | None = None,
    progress: ProgressSink | None = None,
    lease_seconds: float = 60.0,
) -> ImportReport:
    """Import the roster file at ``path``; return what happened (never half-written)."""
    progress = _Collecting(progress or _Silent(), collector.Periodic())
    display = display_name or path.name
    with collector.paused():
        report = ImportReport(
            file=display,
            file_hash=file_hash(path),
            kinds=[],
            dry_run=dry_run,
            allow_partial=allow_partial,
        )
        sink = BadRowSink(report, errors_path)
        try:
            with (
                contextlib.ExitStack() as held,
                open_sheets(path, kind, encoding, display=display) as sheets,
            ):
                report.kinds = [sheet.kind for sheet in sheets]
                if not dry_run:
                    report.run_id = str(uuid.uuid4())
                    held.enter_context(ImportLease(db, report.run_id, display, lease_seconds))
                    create_run(
                        db,
                        report.run_id,
                        file=display,
                        file_hash=report.file_hash,
                        kind=",".join(report.kinds),
                        allow_partial=allow_partial,
                    )
                try:
                    _import(db, report, sink, sheets, batch_size, progress)
                except BaseException as error:
                    report.status = Status.FAILED
                    report.error = str(error) or type(error).__name__
                    with contextlib.suppress(Exception):
                        _finish(db, report)
                    raise
                _finish(db, report)
        finally:
            sink.close()
        return report


def _import(
    db: Database,
    report: ImportReport,
    sink: BadRowSink,
    sheets: list[Any],
    batch_size: int,
    progress: ProgressSink,
) -> None:
    keep_deputies = "deputies" in report.kinds and any(
        k in DEPUTY_REFERENCING for k in report.kinds
    )
    # Earlier runs of this file that were killed or failed after writing ahead: this run
    # settles what they wrote (keeps it) or undoes it, with its own.
    runs = [] if report.run_id is None else [report.run_id]
    if runs:
        runs += unsettled_runs(db, report.file_hash, runs[0])
    ahead = WriteAhead(db, report) if runs and len(sheets) == 1 else None
    with tempfile.TemporaryDirectory(prefix="graphcoord-import-") as folder:
        spool = Spool(Path(folder))
        try:
            started = time.monotonic()
            validator = Validator(
                db,
                report,
                sink,
                spool,
                batch_size=batch_size,
                keep_deputies=keep_deputies,
                ahead=ahead,
            )
            with contextlib.closing(validator):
                for index, sheet in enumerate(sheets):
                    where = f"validating {sheet.kind}"
                    progress.phase(where, sheet.total)
                    validator.sheet(index, sheet, progress.advance)
                    report.skipped.extend(
                        SkippedLine(sheet.name, row, gettext(_SKIP_REASONS[why]), text)
                        for row, why, text in sheet.skipped
                    )
            if ahead is not None:
                ahead.drain()
            report.validate_seconds = time.monotonic() - started
            rejected = report.bad_row_count > 0 and not report.allow_partial
            write = not (rejected or report.dry_run)
            started = time.monotonic()
            _write(db, report, spool, validator.late_bad, batch_size, progress, write)
            if rejected and runs:
                try:
                    undo_runs(db, runs)
                except RuleViolation as kept:  # rows others linked to meanwhile stay
                    report.warnings.append(
                        f"rows written ahead were kept: {kept}; "
                        "`graphcoord import undo` deletes them once those links are gone"
                    )
            elif runs:
                settle(db, runs)
            report.write_seconds = time.monotonic() - started
        finally:
            if ahead is not None:
                ahead.close()
            spool.close()
    if rejected:
        report.status = Status.REJECTED
    elif report.dry_run:
        report.status = Status.VALIDATED
    else:
        report.status = Status.SUCCEEDED


def _write(
    db: Database,
    report: ImportReport,
    spool: Spool,
    skip: set[int],
    batch_size: int,
    progress: ProgressSink,
    write: bool,
) -> int:
    """Count (and when ``write``, write) the spooled rows; return how many were written.

    Batches of one part hold distinct keys and depend only on earlier parts (areas shallowest
    first, deputies before their chains), so they are sent on :data:`PARALLEL_WRITES`
    connections at once and the writer waits for all of them before the next part.
    """
    progress.phase("writing" if write else "counting", spool.total)
    held: dict[str, list[dict[str, Any]]] = {}
    with Writers(PARALLEL_WRITES if write else 0) as writers:
        for row_kind, part in spool.parts():
            counts = report.count(row_kind)
            started = time.monotonic()
            for entries in spool.read(row_kind, part):
                changed = []
                new = 0
                for ref, status, row in entries:
                    if ref in skip:
                        continue
                    counts.add(status)
                    if status != "unchanged":
                        changed.append(row)
                        new += status == CREATED
                if write and changed:
                    if row_kind == "memberships":
                        # A group's convener and members are checked together: write them at once.
                        held.setdefault(row_kind, []).extend(changed)
                    else:
                        all_new = new == len(changed)
                        writers.send(
                            partial(_write_batch, db, row_kind, changed, all_new, batch_size)
                        )
                progress.advance(len(entries))
            writers.drain()
            for rows in held.values():
                rows.sort(key=_group_then_convener)
                writers.written += _write_memberships(db, rows, batch_size)
            held.clear()
            counts.seconds += time.monotonic() - started
        return writers.written


def _write_batch(
    db: Database, kind: str, rows: list[dict[str, Any]], all_new: bool, batch_size: int
) -> int:
    """CREATE a batch of only new nodes where that is possible, else upsert it (MERGE).

    The rows were validated in full, so the kinds that have one take the upsert without the
    write path's second rule check (the spool holds areas of one depth per part).
    """
    if kind not in UPSERT_VALIDATED:
        return write_rows(db, STATEMENTS[kind], rows, batch_size=batch_size)
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        if not (all_new and kind in CREATE_NEW and create_new(db, kind, chunk)):
            upsert_validated(db, kind, chunk)
    return len(rows)


def _write_memberships(db: Database, rows: list[dict[str, Any]], batch_size: int) -> int:
    """Write validated memberships, checking once more that each group keeps one convener
    (another writer may have changed a group since the file was validated)."""
    groups = list(dict.fromkeys(str(row["groupId"]) for row in rows))
    raise_for(convener_violations(rows, existing_conveners(db, groups)))
    return write_rows(db, STATEMENTS["memberships"], rows, batch_size=batch_size)


def _group_then_convener(row: dict[str, Any]) -> tuple[str, int, str]:
    return (str(row["groupId"]), 0 if row["role"] == "CONVENER" else 1, str(row["deputyId"]))


def _finish(db: Database, report: ImportReport) -> None:
    if report.run_id is None:
        return
    counts = {
        kind: {
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "rejected": c.rejected,
        }
        for kind, c in report.counts.items()
    }
    finish_run(
        db,
        report.run_id,
        status=report.status,
        totals=report.totals(),
        counts=counts,
        error=report.error,
    )
