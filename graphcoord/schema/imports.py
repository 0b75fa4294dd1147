"""``importRoster`` and ``importRuns``: the roster importer over GraphQL (admin only).

``importRoster`` (a multipart upload) runs the same import as ``graphcoord import``
(:mod:`graphcoord.services.imports`) and returns the same report. A file with bad rows is not an error: the
report says ``REJECTED`` and lists every bad row (the first 1,000; ``badRowCount`` has them
all). ``importRuns`` is ``graphcoord import history``: the runs recorded in the database,
newest first.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from graphcoord.model import ROW_KINDS
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import IsAdmin
from graphcoord.services.imports import (
    BadRow,
    ImportReport,
    ImportRunRecord,
    import_bytes,
    import_run_page,
)

__all__ = [
    "ImportBadRow",
    "ImportKindCount",
    "ImportMutation",
    "ImportQuery",
    "ImportReportType",
    "ImportRun",
    "IsAdminUploading",
]


@strawberry.type
class ImportKindCount:
    """Rows of one row kind: created, updated, unchanged (would be, in a dry run), rejected."""

    kind: str
    created: int
    updated: int
    unchanged: int
    rejected: int


@strawberry.type
class ImportBadRow:
    """One problem in one row of the uploaded file."""

    file: str
    sheet: str | None
    row: int
    column: str | None
    value: str | None
    reason: str

    @classmethod
    def from_bad_row(cls, bad: BadRow) -> ImportBadRow:
        return cls(
            file=bad.file,
            sheet=bad.sheet,
            row=bad.row,
            column=bad.column,
            value=bad.value,
            reason=bad.reason,
        )


@strawberry.type(name="ImportReport")
class ImportReportType:
    """What an import did: SUCCEEDED, REJECTED (nothing written) or VALIDATED (dry run)."""

    status: str
    file: str
    file_hash: str
    run_id: str | None
    kinds: list[str]
    dry_run: bool
    counts: list[ImportKindCount]
    rejected_rows: int
    bad_row_count: int
    bad_rows: list[ImportBadRow]
    warnings: list[str]

    @classmethod
    def from_report(cls, report: ImportReport) -> ImportReportType:
        ordered = sorted(report.counts.items(), key=lambda kv: ROW_KINDS.index(kv[0]))
        return cls(
            status=report.status,
            file=report.file,
            file_hash=report.file_hash,
            run_id=report.run_id,
            kinds=report.kinds,
            dry_run=report.dry_run,
            counts=[
                ImportKindCount(
                    kind=kind,
                    created=c.created,
                    updated=c.updated,
                    unchanged=c.unchanged,
                    rejected=c.rejected,
                )
                for kind, c in ordered
            ],
            rejected_rows=report.rejected_rows,
            bad_row_count=report.bad_row_count,
            bad_rows=[ImportBadRow.from_bad_row(b) for b in report.bad_rows],
            warnings=report.warnings,
        )


@strawberry.type(description="One recorded import: its file, outcome and counts.")
class ImportRun:
    id: strawberry.ID
    file: str
    file_hash: str
    kind: str
    status: str = strawberry.field(
        description="RUNNING (or killed), SUCCEEDED, REJECTED (nothing written), FAILED or UNDONE."
    )
    started_at: str
    finished_at: str | None
    created: int | None
    updated: int | None
    unchanged: int | None
    rejected: int | None
    error: str | None
    undo_batches: int = strawberry.field(
        description="Batches it wrote ahead and left to settle or undo (a killed or failed run)."
    )

    @classmethod
    def from_record(cls, run: ImportRunRecord) -> ImportRun:
        return cls(**{**asdict(run), "id": strawberry.ID(run.id)})


def _close(upload: Any) -> None:
    """Close the upload's spooled temporary file (the server does not)."""
    handle = getattr(upload, "file", None)
    if handle is not None:
        handle.close()


class IsAdminUploading(IsAdmin):
    """:class:`IsAdmin` that also closes the refused upload, so no temporary file leaks."""

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        try:
            return super().has_permission(source, info, **kwargs)
        except Exception:
            _close(kwargs.get("file"))
            raise


@strawberry.type
class ImportMutation:
    @strawberry.mutation(permission_classes=[IsAdminUploading])
    async def import_roster(
        self,
        info: Info[Any, Any],
        file: Upload,
        kind: str | None = None,
        dry_run: bool = False,
        allow_partial: bool = False,
    ) -> ImportReportType:
        """Import a roster file (XLSX, CSV, TSV): all or nothing unless allowPartial."""
        try:
            data = await file.read()  # type: ignore[attr-defined]
        finally:
            _close(file)
        name = str(getattr(file, "filename", None) or "upload.csv")
        report = await info.context.run(
            import_bytes,
            info.context.db,
            data,
            name,
            batch_size=info.context.settings.import_batch_size,
            lease_seconds=info.context.settings.import_lease_seconds,
            kind=kind,
            dry_run=dry_run,
            allow_partial=allow_partial,
            actor=info.context.principal,
        )
        return ImportReportType.from_report(report)


@strawberry.type
class ImportQuery:
    @strawberry.field(permission_classes=[IsAdmin], description="Import runs, newest first.")
    async def import_runs(
        self, info: Info[Any, Any], first: int | None = None, after: str | None = None
    ) -> Connection[ImportRun]:
        window = page_window(first, after, info.context.settings)
        total, runs = await info.context.run(
            import_run_page, info.context.db, window.skip, window.limit + 1
        )
        return connection_from_rows(runs, window, total, ImportRun.from_record)
