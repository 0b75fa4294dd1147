"""``graphcoord import --initial DIR``: a whole roll into graphcoord's own empty Neo4j, built by
``neo4j-admin database import full`` instead of written transaction by transaction.

The files of the folder (one per kind: CSV, TSV, or workbooks whose sheets are named after
kinds) are validated by the importer's own :class:`Validator`, in dependency order, with the
same rules, reasons and report as ``graphcoord import FILE``; the rows that pass go straight
into the import tool's files (:class:`BulkFiles`). Only when the whole roll is good (or
``allow_partial``) is the server stopped, the store built by the tool, the server started
again and every constraint and index created; then the run is recorded as any import's is.

Refused: a server named by ``NEO4J_URI`` (the tool builds a local store), and a database that
holds any node (the tool replaces the store). A roll with bad rows loads nothing and records
nothing: the store stays empty, so the next attempt is again an initial import. If the tool
fails (or is killed), or the server does not come back, the store is dropped and created again
empty, with its constraints, before the error is raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graphcoord import collector
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.i18n import Term, fill
from graphcoord.importer.bulk import BulkFiles, BulkInput
from graphcoord.importer.kinds import KIND_ORDER, KINDS, kind_for_name
from graphcoord.importer.readers import Sheet, open_sheets
from graphcoord.importer.report import BadRowSink, ImportReport, Status
from graphcoord.importer.run import ProgressSink, file_hash
from graphcoord.importer.validate import DEPUTY_REFERENCING, Validator
from graphcoord.localserver import LocalNeo4j
from graphcoord.queries.bulk_layout import ARRAY_DELIMITER, LAYOUT
from graphcoord.queries.constraints import migrate
from graphcoord.queries.imports import create_run, finish_run
from graphcoord.queries.meta import node_count

__all__ = ["INDEX_WAIT_SECONDS", "InitialImport", "initial_import", "roll_files"]

#: Roster files of a roll folder; other files (a README) are left alone.
ROLL_SUFFIXES = (".csv", ".tsv", ".tab", ".xlsx", ".xlsm")
#: How long the constraints and indexes of a freshly built store may take to come online.
INDEX_WAIT_SECONDS = 3600


@dataclass
class InitialImport:
    """What an initial import did: the importer's report and where the time went."""

    report: ImportReport
    #: Seconds per phase: validate (and write the tool's files), stop, import (the tool),
    #: start, indexes (constraints and indexes created and populated), record.
    seconds: dict[str, float] = field(default_factory=dict)
    nodes: int = 0
    relationships: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class _Silent:
    def phase(self, name: str, total: int | None) -> None:
        return None

    def advance(self, rows: int) -> None:
        return None


def roll_files(folder: Path) -> list[Path]:
    """The roster files of ``folder``, by name; refused when there is none."""
    if not folder.is_dir():
        raise BadInput(
            "{folder} is not a folder: --initial takes the folder of the roll", folder=str(folder)
        )
    files = sorted(
        path
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix.lower() in ROLL_SUFFIXES
        and not path.name.startswith((".", "~$"))
    )
    if not files:
        raise BadInput(
            "{folder} holds no roster file ({suffixes}): name each after its kind (areas.csv, "
            "代表.csv, …) or put the kinds in the sheets of a workbook",
            folder=str(folder),
            suffixes=", ".join(ROLL_SUFFIXES),
        )
    for path in files:
        if path.suffix.lower() not in (".xlsx", ".xlsm") and kind_for_name(path.stem) is None:
            raise BadInput(
                "{file}: its name does not say which kind it holds; name it after its kind "
                "({kinds}, or the Chinese names such as 代表.csv)",
                file=path.name,
                kinds=", ".join(KIND_ORDER),
            )
    return files


def initial_import(
    settings: Settings,
    folder: Path,
    *,
    encoding: str | None = None,
    allow_partial: bool = False,
    dry_run: bool = False,
    batch_size: int = 5000,
    errors_path: Path | None = None,
    progress: ProgressSink | None = None,
    say: Callable[[str], None] = lambda message: None,
) -> InitialImport:
    """Validate the roll in ``folder`` and build the empty local store from it (see the
    module's notes); ``say`` is told each step, for the operator to read."""
    if not settings.is_local:
        raise BadInput(
            "--initial builds the store of graphcoord's own Neo4j, and NEO4J_URI names another "
            "server ({uri}): import the files one by one with `graphcoord import FILE`",
            uri=settings.uri,
        )
    progress = progress or _Silent()
    files = roll_files(folder)
    server = LocalNeo4j(settings)
    server.start()
    work = settings.state_dir / "initial-import"
    shutil.rmtree(work, ignore_errors=True)
    (work / "files").mkdir(parents=True, mode=0o700)
    result = InitialImport(
        ImportReport(
            file=f"{folder.name}/",
            file_hash=_roll_hash(files),
            kinds=[],
            dry_run=dry_run,
            allow_partial=allow_partial,
        )
    )
    try:
        with contextlib.closing(Database(settings)) as db:
            _require_empty(db)
            loaded = _validate(
                db, result, files, work / "files", encoding, batch_size, errors_path, progress
            )
            if loaded is None:
                return result
            _require_empty(db)  # nothing may have been written while the roll was validated
        result.nodes, result.relationships = loaded.node_count, loaded.relationship_count
        say(
            fill(
                "validated in {seconds} s: {nodes} nodes, {relationships} relationships; "
                "stopping Neo4j for the import tool",
                {
                    "seconds": f"{result.seconds['validate']:.1f}",
                    "nodes": f"{loaded.node_count:,}",
                    "relationships": f"{loaded.relationship_count:,}",
                },
            )
        )
        _build_store(settings, server, loaded, work, result, progress, say)
        return result
    finally:
        shutil.rmtree(work / "files", ignore_errors=True)


def _validate(
    db: Database,
    result: InitialImport,
    files: list[Path],
    out: Path,
    encoding: str | None,
    batch_size: int,
    errors_path: Path | None,
    progress: ProgressSink,
) -> BulkInput | None:
    """Validate every sheet into the tool's files; ``None`` when nothing is to be loaded."""
    report = result.report
    started = time.monotonic()
    periodic = collector.Periodic()
    sink = BadRowSink(report, errors_path)
    try:
        with collector.paused(), contextlib.ExitStack() as stack:
            sheets = _sheets(stack, files, encoding)
            report.kinds = [sheet.kind for sheet in sheets]
            keep_deputies = "deputies" in report.kinds and any(
                kind in DEPUTY_REFERENCING for kind in report.kinds
            )
            bulk = stack.enter_context(contextlib.closing(BulkFiles(out, report)))
            validator = Validator(
                db, report, sink, bulk, batch_size=batch_size, keep_deputies=keep_deputies
            )

            def advance(rows: int) -> None:
                periodic.rows(rows)
                progress.advance(rows)

            for index, sheet in enumerate(sheets):
                progress.phase(f"validating {sheet.kind}", sheet.total)
                validator.sheet(index, sheet, advance)
            loaded = bulk.finish(validator.late_bad)
    finally:
        sink.close()
    result.seconds["validate"] = report.validate_seconds = time.monotonic() - started
    if report.bad_row_count > 0 and not report.allow_partial:
        report.status = Status.REJECTED
        return None
    if report.dry_run:
        report.status = Status.VALIDATED
        return None
    return loaded


def _sheets(stack: contextlib.ExitStack, files: list[Path], encoding: str | None) -> list[Sheet]:
    """Every sheet of the roll, in dependency order; one sheet per kind."""
    sheets: list[Sheet] = []
    where: dict[str, str] = {}
    for path in files:
        for sheet in stack.enter_context(open_sheets(path, None, encoding, display=path.name)):
            # The report's sheet column names the file (and its sheet): a roll has several.
            sheet.name = f"{path.name} [{sheet.name}]" if sheet.name else path.name
            if not set(KINDS[sheet.kind].row_kinds) <= LAYOUT.keys():
                raise BadInput(
                    "{sheet} holds {kind}, which an initial import does not load: leave it out "
                    "and import it with `graphcoord import FILE` once the store is built",
                    sheet=sheet.name,
                    kind=sheet.kind,
                )
            if sheet.kind in where:
                raise BadInput(
                    "{sheet} and {other} both hold {kind}: an initial import takes one file (or "
                    "sheet) per kind; put them together",
                    sheet=sheet.name,
                    other=where[sheet.kind],
                    kind=Term(sheet.kind),
                )
            where[sheet.kind] = sheet.name
            sheets.append(sheet)
    sheets.sort(key=lambda sheet: KIND_ORDER.index(sheet.kind))
    return sheets


def _require_empty(db: Database) -> None:
    held = node_count(db)
    if held:
        raise BadInput(
            "the database already holds {held} nodes: --initial only loads an empty store (it "
            "replaces the store); import into it with `graphcoord import FILE`",
            held=f"{held:,}",
        )


def _roll_hash(files: list[Path]) -> str:
    """SHA-256 over each file's name and SHA-256: which roll was loaded, exactly."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.name}\0{file_hash(path)}\n".encode())
    return digest.hexdigest()


def _build_store(
    settings: Settings,
    server: LocalNeo4j,
    loaded: BulkInput,
    work: Path,
    result: InitialImport,
    progress: ProgressSink,
    say: Callable[[str], None],
) -> None:
    """Stop the server, let the tool build the store, start again, create the constraints and
    indexes, record the run; on any failure, an empty store (with its constraints) again."""
    seconds = result.seconds
    report = result.report
    started = time.monotonic()
    server.stop()
    seconds["stop"] = time.monotonic() - started
    try:
        progress.phase("neo4j-admin import", None)
        seconds["import"] = server.admin_import(
            loaded.nodes,
            loaded.relationships,
            work=work,
            array_delimiter=ARRAY_DELIMITER,
            multiline=loaded.multiline,
        )
        say(
            fill(
                "store built by neo4j-admin in {seconds} s; starting Neo4j",
                {"seconds": f"{seconds['import']:.1f}"},
            )
        )
        progress.phase("starting Neo4j", None)
        seconds["start"] = server.start()
        progress.phase("constraints and indexes", None)
        started = time.monotonic()
        with contextlib.closing(Database(settings)) as db:
            migrate(db, wait_seconds=INDEX_WAIT_SECONDS)
            seconds["indexes"] = time.monotonic() - started
            started = time.monotonic()
            report.status = Status.SUCCEEDED
            report.write_seconds = seconds["import"] + seconds["start"] + seconds["indexes"]
            _record(db, report)
            seconds["record"] = time.monotonic() - started
    except BaseException:
        _empty_again(settings, server)
        raise


def _record(db: Database, report: ImportReport) -> None:
    """The run, as every import records it (``graphcoord import history``)."""
    report.run_id = str(uuid.uuid4())
    create_run(
        db,
        report.run_id,
        file=report.file,
        file_hash=report.file_hash,
        kind=",".join(report.kinds),
        allow_partial=report.allow_partial,
    )
    counts = {
        kind: {
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "rejected": c.rejected,
        }
        for kind, c in report.counts.items()
    }
    finish_run(db, report.run_id, status=report.status, totals=report.totals(), counts=counts)


def _empty_again(settings: Settings, server: LocalNeo4j) -> None:
    """Drop whatever the failed load left and start on an empty store with its schema."""
    server.stop()
    server.drop_store()
    server.start()
    with contextlib.closing(Database(settings)) as db:
        migrate(db)
