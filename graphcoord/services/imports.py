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
from graphcoord.queries.imports import ImportRunRecord, import_history, import_run_page

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
    "import_history",
    "import_run_page",
    "initial_import",
    "run_import",
    "undo_run",
    "write_template",
]


def import_bytes(
    db: Database, data: bytes, name: str, *, batch_size: int, **options: Any
) -> ImportReport:
    """Import an uploaded file: saved to a temporary file that keeps its suffix (which tells
    the reader its format), imported under its own name, then deleted."""
    suffix = PurePath(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="graphcoord-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return run_import(
            db,
            path,
            display_name=PurePath(name).name or path.name,
            batch_size=batch_size,
            **options,
        )
