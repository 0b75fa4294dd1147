"""Writing new rows while the rest of the file is still being validated, undoably.

All or nothing used to mean: validate the whole file, then write. On two cores that leaves the
database idle while Python validates, and Python idle while the database writes. Instead, the
new rows of each validated batch are CREATEd at once, each batch with an undo record in the same
transaction (:mod:`graphcoord.queries.import_undo`). If the file turns out bad, what was written ahead is
deleted again; if the import is killed, the next run of the same file settles it (keeps it when
that run succeeds, deletes it when it is rejected), so a re-run still ends with exactly a clean
run's graph; or :func:`undo_run` (``graphcoord import undo RUN``) deletes it when the file will
not be imported again as it was. An undo deletes only what the run made: it refuses, naming
them, when others have linked to its nodes since (:func:`foreign_links`).

Only files of one kind are written ahead (their references all point into the database, never
to rows of the same file still waiting in the spool), and only new rows (an update has no
cheap undo); writing ahead stops at the first bad row unless the import loads the good part.

Contacts go further (:meth:`WriteAhead.check_contacts`): a batch is sent before its references
are looked up, and the statement that creates the new contacts checks them itself; what it
leaves alone comes back to be reported or classified by the validator as usual.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound, RuleViolation
from graphcoord.i18n import Term
from graphcoord.importer.lease import describe, live_holder
from graphcoord.importer.report import ImportReport, Status
from graphcoord.importer.spool import CREATED, Entry
from graphcoord.model import significant_length
from graphcoord.queries import import_undo
from graphcoord.queries.batch import chunks
from graphcoord.queries.contacts import CheckedContacts, create_contacts_checked
from graphcoord.queries.import_lease import release
from graphcoord.queries.import_undo import AHEAD_KINDS, create_ahead, mark_undone, run_states
from graphcoord.queries.imports import stored_state, upsert_validated

__all__ = [
    "PARALLEL_WRITES",
    "UNDO_FOREIGN_RULE",
    "ForeignLink",
    "WriteAhead",
    "Writers",
    "foreign_links",
    "undo_run",
    "undo_runs",
]

#: An undo never deletes a node that others have linked to since the import.
UNDO_FOREIGN_RULE = "import-undo-foreign"

#: Write transactions in flight at once (Neo4j runs them on separate cores).
PARALLEL_WRITES = 2

#: What the validator does with a checked batch once the database has answered.
Settle = Callable[[CheckedContacts], None]


def _rows_written(written: int) -> int:
    return written


class Writers:
    """Run write calls on up to ``parallel`` threads, a bounded number in flight.

    Each call's result goes, in the caller's thread and in the order the calls were sent, to
    its ``settle``, which returns how many rows the call wrote (by default the call returns
    that number itself). With ``parallel`` below 2 each call runs at once in the caller's
    thread.
    """

    def __init__(self, parallel: int) -> None:
        self.parallel = parallel
        self.written = 0
        self._pool = ThreadPoolExecutor(parallel, "graphcoord-write") if parallel > 1 else None
        self._flying: deque[tuple[Future[Any], Callable[[Any], int]]] = deque()

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            for future, _ in self._flying:
                future.cancel()
            self._pool.shutdown(wait=True)
            self._pool = None

    def send(self, call: Callable[[], Any], settle: Callable[[Any], int] = _rows_written) -> None:
        if self._pool is None:
            self.written += settle(call())
            return
        while len(self._flying) >= self.parallel:
            self._settle_oldest()
        self._flying.append((self._pool.submit(call), settle))

    def drain(self) -> None:
        """Settle every call in flight, and those their settling sends meanwhile."""
        while self._flying:
            self._settle_oldest()

    def _settle_oldest(self) -> None:
        future, settle = self._flying.popleft()
        self.written += settle(future.result())


class WriteAhead:
    """Sends the new rows of validated batches to the database with their undo records."""

    def __init__(self, db: Database, report: ImportReport) -> None:
        assert report.run_id is not None, "writing ahead needs a run record"
        self.db = db
        self.report = report
        self.run_id = report.run_id
        self.writers = {kind: Writers(PARALLEL_WRITES) for kind in AHEAD_KINDS}
        #: Codes of the areas sent in the last batch (maybe not committed yet), and the rows
        #: held back because their parent is among them.
        self._last_areas: set[str] = set()
        self._held_areas: list[dict[str, Any]] = []

    @property
    def written(self) -> int:
        return sum(writers.written for writers in self.writers.values())

    def active(self) -> bool:
        """Whether new rows may still go ahead: not once a bad row dooms the whole file."""
        return self.report.allow_partial or self.report.bad_row_count == 0

    def offer(self, row_kind: str, entries: list[Entry]) -> list[Entry]:
        """Write the created rows of ``entries`` ahead (counting them); return the others."""
        if row_kind not in AHEAD_KINDS or not self.active():
            return entries
        rows = [row for _, status, row in entries if status == CREATED]
        if not rows:
            return entries
        self.report.count(row_kind).created += len(rows)
        if row_kind == "areas":
            rows = self._areas_ready(rows)
        self._send(row_kind, rows)
        return [entry for entry in entries if entry[1] != CREATED]

    def check_contacts(self, rows: list[dict[str, Any]], settle: Settle) -> None:
        """Send new contacts to be checked and created by one statement each batch; ``settle``
        gets what the statement did, in the caller's thread, in the order batches were sent
        (they share the contacts writers' :data:`PARALLEL_WRITES` places in flight)."""

        def settled(checked: CheckedContacts) -> int:
            self.report.count("contacts").created += checked.made
            settle(checked)
            return checked.made

        call = partial(create_contacts_checked, self.db, self.run_id, rows)
        self.writers["contacts"].send(call, settled)

    def _send(self, row_kind: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.writers[row_kind].send(partial(_create, self.db, self.run_id, row_kind, rows))

    def _areas_ready(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The areas that can go now; the others wait for the next batch.

        A batch links the parents it creates itself (one statement), and a batch is sent once
        every batch but the last is committed (two in flight). So an area whose parent went in
        the last batch waits one batch, and so do its children: the next batch is sent after
        that parent is committed. When most of a batch would wait (a file ordered by depth),
        the last batch is waited for instead and the whole batch goes.
        """
        batch = sorted([*self._held_areas, *rows], key=lambda row: significant_length(row["code"]))
        last, held = self._last_areas, set()
        ready, waiting = [], []
        for row in batch:
            parent = row.get("parentCode")
            if parent is not None and (parent in last or parent in held):
                held.add(row["code"])
                waiting.append(row)
            else:
                ready.append(row)
        if len(waiting) * 2 > len(batch):
            self.writers["areas"].drain()
            ready, waiting = batch, []
        self._held_areas = waiting
        self._last_areas = {row["code"] for row in ready}
        return ready

    def drain(self) -> None:
        """Wait for every batch in flight (a failed one raises here), then send the areas
        still held back and wait for them."""
        for writers in self.writers.values():
            writers.drain()
        if self._held_areas:
            held, self._held_areas = self._held_areas, []
            self._send("areas", held)
            self.writers["areas"].drain()

    def close(self) -> None:
        for writers in self.writers.values():
            writers.close()


def _create(db: Database, run: str, kind: str, rows: list[dict[str, Any]]) -> int:
    if create_ahead(db, run, kind, rows):
        return len(rows)
    # Some of these rows were stored meanwhile by another writer: they are not ours to undo.
    fields = AHEAD_KINDS[kind]
    stored = stored_state(db, kind, rows)
    new = [row for row in rows if tuple(str(row[f]) for f in fields) not in stored]
    old = [row for row in rows if tuple(str(row[f]) for f in fields) in stored]
    if new and not create_ahead(db, run, kind, new):
        raise RuntimeError(f"{kind}: rows keep appearing while this import writes them")
    if old:
        upsert_validated(db, kind, old)
    return len(rows)


@dataclass(frozen=True)
class ForeignLink:
    """A node an undo would delete that has links the import did not make."""

    kind: str
    key: str
    types: tuple[str, ...]


def foreign_links(db: Database, runs: Sequence[str], limit: int = 20) -> list[ForeignLink]:
    """Nodes the runs wrote ahead that others have linked to since (at most ``limit``): any
    link of an area but its ``PART_OF`` among the run's areas, any link of a deputy but its
    ``ELECTED_IN``."""
    keys = import_undo.run_keys(db, runs)
    areas = keys.get("areas", [])
    own: dict[str, int] = {}
    for batch in chunks(areas, 20000):
        for parent, count in import_undo.run_children(db, batch).items():
            own[parent] = own.get(parent, 0) + count
    found: list[ForeignLink] = []
    for batch in chunks(areas, 20000):
        for code, children, types in import_undo.area_links(db, batch):
            if children > own.get(code, 0):
                types.append("PART_OF")
            if types:
                found.append(ForeignLink("area", code, tuple(sorted(types))))
    for batch in chunks(keys.get("deputies", []), 20000):
        found += [
            ForeignLink("deputy", key, tuple(sorted(types)))
            for key, types in import_undo.deputy_links(db, batch)
        ]
    return found[:limit]


def undo_runs(db: Database, runs: Sequence[str]) -> int:
    """Delete what ``runs`` wrote ahead; how many rows. Raises :class:`RuleViolation` (rule
    :data:`UNDO_FOREIGN_RULE`), deleting nothing, when a node it would delete has links the
    runs did not make (they would go with it)."""
    links = foreign_links(db, runs)
    if links:
        shown = "; ".join(f"{link.kind} {link.key} ({', '.join(link.types)})" for link in links)
        raise RuleViolation(
            UNDO_FOREIGN_RULE,
            "nodes it would delete have relationships the import did not create, which would "
            "be lost with them: {shown}. Remove those relationships first, or keep the import",
            [link.key for link in links],
            shown=shown,
        )
    rows = import_undo.undo(db, runs)
    if import_undo.undo_records(db, runs):
        raise RuleViolation(
            UNDO_FOREIGN_RULE,
            "rows it would delete were linked to by others meanwhile; the rest was deleted "
            "(run it again to see which)",
        )
    return rows


def undo_run(db: Database, run: str, *, force: bool = False) -> tuple[str, int]:
    """Delete what an import run wrote ahead and mark it UNDONE; its id and how many rows went.

    ``run`` is the run's id or a prefix naming one run (as ``import history`` shows it). For a
    run that was killed or failed: a finished run settled or undid its rows itself. A run
    still marked RUNNING may be alive (another process), and undoing it would delete rows
    under its feet: it is refused unless ``force`` says its process is gone. Only the latest
    import can be undone: a later one may have loaded the same rows (found them stored,
    unchanged) or linked to them, and would lose them too.
    """
    states = run_states(db, run) if run else []
    if not states:
        raise NotFound("import run", run)
    if len(states) > 1:
        raise BadInput(
            "{run!r} starts the ids of several import runs: give more of the id", run=run
        )
    state = states[0]
    run, status = state["id"], state["status"]
    if not state["batches"]:
        raise BadInput(
            "import run {run} ({status}) left no rows written ahead: nothing to undo",
            run=run,
            status=Term(status),
        )
    if state["later"]:
        raise BadInput(
            "import run {run} ({file}) was followed by {later}: what it wrote may be part of "
            "what they loaded, and undoing it would delete that too; only the latest import "
            "can be undone",
            run=run,
            file=state["file"],
            later=", ".join(state["later"]),
        )
    holder = live_holder(db)
    if holder is not None and holder.run == run:
        raise BadInput(
            "import run {run} is running ({running}): undoing a live import would delete rows "
            "it is writing; wait for it to end",
            run=run,
            running=describe(holder),
        )
    if status == Status.RUNNING and not force:
        raise BadInput(
            "import run {run} ({file}) is still marked RUNNING: if its process is gone "
            "(killed, machine restarted), undo it with --force; undoing a live import would "
            "delete rows it is writing",
            run=run,
            file=state["file"],
        )
    rows = undo_runs(db, [run])
    release(db, run)  # the lease of a killed run, if it still names it
    mark_undone(db, run)
    return run, rows
