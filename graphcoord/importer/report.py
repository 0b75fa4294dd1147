"""What an import reports: bad rows (file, sheet, row, column, value, reason) and counts.

The same :class:`ImportReport` is printed by the CLI and returned by GraphQL. Bad rows are
streamed to the error file as they are found and only the first :data:`KEPT_BAD_ROWS` are kept
in memory, so a file with a million bad rows cannot exhaust memory. Rows are found out of order
(a batch's references and rules are checked after later rows were parsed, a sheet's forward
references at its end), so at the end both are put in row order, sheet by sheet: the error file
when it holds at most :data:`SORTED_FILE_ROWS` problems (past that it stays in the order found).

The error file is opened by clerks in a spreadsheet, and a cell that starts with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return) would run as a formula there (CSV injection): such
cells are written with a leading ``'`` (:func:`spreadsheet_safe`), which shows the text as typed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graphcoord.importer.text import mask

__all__ = [
    "ERROR_COLUMNS",
    "KEPT_BAD_ROWS",
    "SORTED_FILE_ROWS",
    "BadRow",
    "BadRowSink",
    "ImportReport",
    "KindCounts",
    "SkippedLine",
    "Status",
    "spreadsheet_safe",
]

KEPT_BAD_ROWS = 1000
#: Problems an error file may hold to be rewritten in row order at the end (~85 MB to sort).
SORTED_FILE_ROWS = 100_000
ERROR_COLUMNS = ("file", "sheet", "row", "column", "value", "reason")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it as a formula (OWASP's rule)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


class Status:
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    REJECTED = "REJECTED"
    #: A dry run: validated and counted, nothing written.
    VALIDATED = "VALIDATED"
    #: An interrupted or failed run whose written-ahead rows were deleted (``import undo``).
    UNDONE = "UNDONE"


@dataclass(frozen=True)
class BadRow:
    """One problem in one row (a row with two problems is reported twice)."""

    file: str
    sheet: str | None
    row: int
    column: str | None
    value: str | None
    reason: str

    def as_list(self) -> list[str]:
        return [
            self.file,
            self.sheet or "",
            str(self.row),
            self.column or "",
            self.value or "",
            self.reason,
        ]


@dataclass(frozen=True)
class SkippedLine:
    """A line of a sheet that holds no data: a note (注：…, 填表说明) or a blank row."""

    sheet: str | None
    row: int
    reason: str
    text: str


@dataclass
class KindCounts:
    """Rows of one row kind: created, updated, unchanged (would be, in a dry run), rejected."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def add(self, status: str, count: int = 1) -> None:
        setattr(self, status, getattr(self, status) + count)


@dataclass
class ImportReport:
    """The outcome of one import."""

    file: str
    file_hash: str
    kinds: list[str]
    status: str = Status.RUNNING
    dry_run: bool = False
    allow_partial: bool = False
    run_id: str | None = None
    counts: dict[str, KindCounts] = field(default_factory=dict)
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_row_count: int = 0
    rejected_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Lines read as not-data (notes, footnotes, blank rows between blocks), never bad rows.
    skipped: list[SkippedLine] = field(default_factory=list)
    validate_seconds: float = 0.0
    write_seconds: float = 0.0
    error: str | None = None

    def count(self, kind: str) -> KindCounts:
        return self.counts.setdefault(kind, KindCounts())

    @property
    def written(self) -> int:
        """Rows that were (or in a dry run would be) created or updated."""
        return sum(c.created + c.updated for c in self.counts.values())

    def totals(self) -> dict[str, int]:
        return {
            "created": sum(c.created for c in self.counts.values()),
            "updated": sum(c.updated for c in self.counts.values()),
            "unchanged": sum(c.unchanged for c in self.counts.values()),
            "rejected": self.rejected_rows,
        }

    def summary(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kinds": self.kinds,
            **self.totals(),
            "badRows": self.bad_row_count,
        }


class BadRowSink:
    """Collects bad rows: all go to the error file (if any), the first ones stay in memory."""

    def __init__(self, report: ImportReport, errors_path: Path | None = None) -> None:
        self.report = report
        self.errors_path = errors_path
        self._handle: IO[str] | None = None
        self._writer: Any = None
        #: Each sheet's place in the order its first problem was found.
        self._sheets: dict[tuple[str, str], int] = {}
        if errors_path is not None:
            # UTF-8 with BOM so that Excel opens the Chinese text correctly.
            self._handle = errors_path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(ERROR_COLUMNS)

    def add(self, bad: BadRow) -> None:
        self._sheets.setdefault((bad.file, bad.sheet or ""), len(self._sheets))
        if bad.value:
            bad = BadRow(bad.file, bad.sheet, bad.row, bad.column, mask(bad.value), bad.reason)
        self.report.bad_row_count += 1
        if len(self.report.bad_rows) < KEPT_BAD_ROWS:
            self.report.bad_rows.append(bad)
        if self._writer is not None:
            self._writer.writerow([spreadsheet_safe(cell) for cell in bad.as_list()])

    def close(self) -> None:
        """Close the error file; put it (if small enough) and the kept rows in row order."""
        sheets = self._sheets
        self.report.bad_rows.sort(key=lambda bad: (sheets[bad.file, bad.sheet or ""], bad.row))
        if self._handle is None:
            return
        self._handle.close()
        self._handle = None
        if self.errors_path is not None and 1 < self.report.bad_row_count <= SORTED_FILE_ROWS:
            _sort_error_file(self.errors_path, sheets)


def _sort_error_file(path: Path, sheets: dict[tuple[str, str], int]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows.sort(key=lambda row: (sheets.get((row[0], row[1]), 0), int(row[2])))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
