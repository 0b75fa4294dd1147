"""Roster imports: run one, load a whole roll into an empty store (``initial_import``), undo
the latest, read the history, write a template.

The import itself (reading XLSX/CSV/TSV in any encoding, validating every row against the
model's rules, writing ahead, reporting bad rows) is the :mod:`graphcoord.importer` package;
this module is what the CLI and GraphQL call.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

from graphcoord.db import Database
from graphcoord.importer import (
    KIND_ORDER,
    BadRow,
    ImportReport,
    ProgressSink,
    Status,
    file_hash,
    run_import,
    write_template,
)
from graphcoord.importer.ahead import undo_run
from graphcoord.importer.initial import InitialImport, initial_import
from graphcoord.model import AuditAction
from graphcoord.queries.imports import ImportRunRecord, import_history, import_run_page
from graphcoord.services import audit

__all__ = [
    "KIND_ORDER",
    "BadRow",
    "ImportReport",
    "ImportRunRecord",
    "InitialImport",
    "ProgressSink",
    "Status",
    "file_hash",
    "import_bytes",
    "import_file",
    "import_history",
    "import_run_page",
    "initial_import",
    "record_import",
    "run_import",
    "undo_import",
    "undo_run",
    "write_template",
]


def import_bytes(
    db: Database,
    data: bytes,
    name: str,
    *,
    batch_size: int,
    actor: audit.Acting | None = None,
    errors_path: Path | None = None,
    **options: Any,
) -> ImportReport:
    """Import an uploaded file: saved to a temporary file that keeps its suffix (which tells
    the reader its format), imported under its own name, then deleted. ``errors_path``
    receives every bad row (CSV, UTF-8 with BOM)."""
    suffix = PurePath(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="graphcoord-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return import_file(
            db,
            path,
            name,
            batch_size=batch_size,
            actor=actor,
            errors_path=errors_path,
            **options,
        )


def import_file(
    db: Database,
    path: Path,
    name: str,
    *,
    batch_size: int,
    actor: audit.Acting | None = None,
    errors_path: Path | None = None,
    **options: Any,
) -> ImportReport:
    """Import a file saved on disk (``path``'s suffix tells its format) under the name it was
    uploaded as; a run that writes is put in the audit trail with ``actor``."""
    report = run_import(
        db,
        path,
        display_name=PurePath(name).name or path.name,
        batch_size=batch_size,
        errors_path=errors_path,
        **options,
    )
    record_import(db, report, actor)
    return report


def record_import(db: Database, report: ImportReport, actor: audit.Acting | None) -> None:
    """Put a run that wrote (or tried to write) in the audit trail; dry runs change nothing."""
    if report.run_id is not None:
        totals = report.totals()
        detail = (
            f"{report.file}: {report.status}, created {totals['created']}, "
            f"updated {totals['updated']}, rejected {totals['rejected']}"
        )
        audit.record(db, actor, AuditAction.IMPORTED, f"import:{report.run_id}", detail)


def undo_import(
    db: Database, run_id: str, *, force: bool = False, actor: audit.Acting | None = None
) -> tuple[str, int]:
    """:func:`undo_run`, put in the audit trail: (the run's id, rows deleted)."""
    run, rows = undo_run(db, run_id, force=force)
    audit.record(db, actor, AuditAction.IMPORT_UNDONE, f"import:{run}", f"{rows} row(s)")
    return run, rows
