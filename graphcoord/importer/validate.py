"""Streaming validation: every row checked, every problem reported, good rows spooled (or,
new rows of a one-kind file, written ahead: :mod:`graphcoord.importer.ahead`).

Per row: national-ID refusal (the reader marks the rows), the kind's pydantic model, duplicate
keys inside the file. Per batch (one database round trip per kind of lookup): references to
areas, deputies, groups and chains in the file or the database, the model's rules from
:mod:`graphcoord.rules`, and the stored state that tells created from updated from unchanged; a
batch's lookups run in a thread while the next batch is parsed. Checks that need a whole sheet
(forward references between areas, one convener per group) run when the sheet ends.

A contacts file written ahead skips the lookups: each batch goes to the statement that creates
the contacts passing the same checks (:meth:`WriteAhead.check_contacts`), and only the rows it
refuses come back through the lookups' path — to be reported, or classified as stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import ValidationError

from graphcoord.db import Database
from graphcoord.i18n import Lazy, Term, fill, gettext
from graphcoord.importer.ahead import WriteAhead
from graphcoord.importer.keys import SeenKeys
from graphcoord.importer.kinds import KINDS, KindSpec, header_key, is_forbidden_header
from graphcoord.importer.models import (
    AreaRow,
    ContactRow,
    DeputyRow,
    ProposalRow,
    RosterRow,
    RowProblem,
)
from graphcoord.importer.readers import Sheet
from graphcoord.importer.report import BadRow, BadRowSink, ImportReport
from graphcoord.importer.spool import CREATED, Entry, Spool
from graphcoord.importer.text import NATIONAL_ID
from graphcoord.model import AreaKind, ProposalStatus, congress_area, significant_length
from graphcoord.queries.contacts import CheckedContacts
from graphcoord.queries.groups import existing_conveners
from graphcoord.queries.imports import (
    STATE_FIELDS,
    activity_ids,
    area_kinds,
    chain_ids,
    department_ids,
    deputy_facts,
    group_ids,
    issue_ids,
    proposal_ids,
    station_days,
    station_ids,
    stored_count,
    stored_state,
)
from graphcoord.rules import (
    CONTRIBUTOR_RULE,
    COSPONSOR_RULE,
    MOTION_RULE,
    DeputyFacts,
    SponsorFacts,
    Violation,
    activity_day_violations,
    area_violations,
    contact_violations,
    convener_violations,
    cosponsor_violations,
    liaison_violations,
    required_sponsors,
    station_violations,
)

__all__ = ["Validator"]

_VILLAGES = (AreaKind.VILLAGE.value, AreaKind.COMMUNITY.value)

Advance = Callable[[int], None]


@dataclass(slots=True)
class _Pending:
    """A row that passed the per-row checks, waiting for its batch checks."""

    ref: int
    number: int
    model: Any
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class Known:
    """What exists, in this file (rows that passed) or in the database (looked up in bulk)."""

    def __init__(self, db: Database, keep_deputies: bool) -> None:
        self.db = db
        self.keep_deputies = keep_deputies
        self.areas: dict[str, str] = {}
        self.db_areas: dict[str, str | None] = {}
        self.deputies: dict[str, DeputyFacts] = {}
        self.db_deputies: dict[str, DeputyFacts] = {}
        self.groups: set[str] = set()
        self.db_groups: dict[str, bool] = {}
        self.chains: set[str] = set()
        self.db_chains: dict[str, bool] = {}
        self.stations: set[str] = set()
        self.db_stations: dict[str, bool] = {}
        self.activities: set[str] = set()
        self.db_activities: dict[str, bool] = {}
        self.issues: set[str] = set()
        self.db_issues: dict[str, bool] = {}
        self.proposals: set[str] = set()
        self.db_proposals: dict[str, bool] = {}
        self.departments: set[str] = set()
        self.db_departments: dict[str, bool] = {}

    def missing(self, wanted: dict[str, set[str]]) -> dict[str, list[str]]:
        """The wanted keys of each target that neither the file nor earlier lookups know."""
        missing = {
            "area": [
                c for c in wanted.get("area", ()) if c not in self.areas and c not in self.db_areas
            ],
            "deputy": [d for d in wanted.get("deputy", ()) if d not in self.deputies],
        }
        for target, known, cache in self._sets():
            missing[target] = [
                k for k in wanted.get(target, ()) if k not in known and k not in cache
            ]
        return missing

    def fetch(self, missing: dict[str, list[str]]) -> dict[str, Any]:
        """What the database holds of ``missing`` (reads only: runs in a lookup thread)."""
        found: dict[str, Any] = {}
        for target, lookup in _LOOKUPS.items():
            if missing.get(target):
                found[target] = lookup(self.db, missing[target])
        return found

    def apply(self, missing: dict[str, list[str]], found: dict[str, Any]) -> None:
        """Remember what :meth:`fetch` found (and what it did not)."""
        areas = found.get("area", {})
        self.db_areas.update({code: areas.get(code) for code in missing.get("area", ())})
        self.db_deputies = found.get("deputy", {})
        for target, _, cache in self._sets():
            ids = found.get(target, set())
            cache.update({k: k in ids for k in missing.get(target, ())})

    def _sets(self) -> tuple[tuple[str, set[str], dict[str, bool]], ...]:
        """The targets known by id only: (target, ids in the file, ids looked up)."""
        return (
            ("group", self.groups, self.db_groups),
            ("chain", self.chains, self.db_chains),
            ("station", self.stations, self.db_stations),
            ("activity", self.activities, self.db_activities),
            ("issue", self.issues, self.db_issues),
            ("proposal", self.proposals, self.db_proposals),
            ("department", self.departments, self.db_departments),
        )

    def area_kind(self, code: str) -> str | None:
        return self.areas.get(code) or self.db_areas.get(code)

    def deputy(self, deputy_id: str) -> DeputyFacts | None:
        return self.deputies.get(deputy_id) or self.db_deputies.get(deputy_id)

    def exists(self, target: str, key: str) -> bool:
        if target == "area":
            return self.area_kind(key) is not None
        if target == "deputy":
            return self.deputy(key) is not None
        for name, known, cache in self._sets():
            if name == target:
                return key in known or cache.get(key, False)
        return False


class Validator:
    """Validates the sheets of one file in dependency order, spooling the good rows."""

    def __init__(
        self,
        db: Database,
        report: ImportReport,
        sink: BadRowSink,
        spool: Spool,
        *,
        batch_size: int,
        keep_deputies: bool,
        ahead: WriteAhead | None = None,
    ) -> None:
        self.db = db
        #: Writes the new rows of each batch while later batches are validated (or None).
        self.ahead = ahead
        self.report = report
        self.sink = sink
        self.spool = spool
        self.batch_size = batch_size
        self.known = Known(db, keep_deputies)
        #: Rows found bad after they were spooled (skipped when writing).
        self.late_bad: set[int] = set()
        self._bad_refs_seen: set[int] = set()
        self._any_stored: dict[str, bool] = {}
        self._clusters: dict[str, str] = {}
        #: ``<station>|<date>`` -> the activity day of the file (or the database) held then.
        self._station_days: dict[str, str] = {}
        #: The keys seen so far per kind, shared by the sheets of one kind (a roster per
        #: county in one workbook), each key with the sheet index and row that held it first.
        self._seen: dict[str, SeenKeys] = {}
        self._sheet_names: dict[int, str | None] = {}

    def close(self) -> None:
        """Let go of the keys' scratch files (the spool's folder is removed by its owner)."""
        for seen in self._seen.values():
            seen.close()
        self._seen.clear()

    # -- reporting -------------------------------------------------------------------------
    def _bad(
        self,
        sheet: Sheet,
        spec: KindSpec,
        number: int,
        column: str | None,
        value: Any,
        reason: str,
        *,
        ref: int | None = None,
    ) -> None:
        self.sink.add(
            BadRow(
                self.report.file,
                sheet.name,
                number,
                column,
                None if value is None else str(value),
                reason,
            )
        )
        if ref is not None and ref in self._bad_refs_seen:
            return
        if ref is not None:
            self._bad_refs_seen.add(ref)
        self.report.rejected_rows += 1
        self.report.count(spec.row_kinds[0]).rejected += 1

    # -- a sheet ---------------------------------------------------------------------------
    def sheet(self, index: int, sheet: Sheet, advance: Advance | None = None) -> None:
        spec = KINDS[sheet.kind]
        header = sheet.header
        columns: dict[str, int] = {}
        names: dict[str, str] = {}
        alias_to_field = {header_key(a): f for f, aliases in spec.headers.items() for a in aliases}
        ignored: list[str] = []
        forbidden: list[str] = []
        for position, title in enumerate(header):
            key = header_key(title)
            if not key:
                continue
            if is_forbidden_header(key):
                forbidden.append(title)
                continue
            target = alias_to_field.get(key)
            if target is None or target in columns:
                ignored.append(title)
                continue
            columns[target] = position
            names[target] = title
        where = f"{self.report.file}" + (f" [{sheet.name}]" if sheet.name else "")
        if ignored:
            self.report.warnings.append(
                fill(
                    "{where}: ignored columns {columns}",
                    {"where": where, "columns": ", ".join(ignored)},
                )
            )
        missing = [f for f in spec.required if f not in columns]
        refusal: list[tuple[str | None, str]] = []
        for title in forbidden:
            refusal.append(
                (
                    title,
                    fill(
                        "column {title} would hold national ID numbers, which graphcoord never "
                        "stores: delete the column and import again",
                        {"title": title},
                    ),
                )
            )
        if missing:
            wanted = "; ".join(f"{spec.headers[f][0]} ({spec.headers[f][-1]})" for f in missing)
            refusal.append((None, fill("missing required column(s): {wanted}", {"wanted": wanted})))
        if refusal:
            for column, reason in refusal:
                self.sink.add(
                    BadRow(self.report.file, sheet.name, sheet.header_row, column, None, reason)
                )
            rows = sum(1 for _ in sheet.rows)
            self.report.rejected_rows += rows
            self.report.count(spec.row_kinds[0]).rejected += rows
            return
        self._rows(index, sheet, spec, columns, names, advance)

    def _rows(
        self,
        index: int,
        sheet: Sheet,
        spec: KindSpec,
        columns: dict[str, int],
        names: dict[str, str],
        advance: Advance | None,
    ) -> None:
        seen = self._seen.get(sheet.kind)
        if seen is None:
            seen = SeenKeys(self.spool.directory / f"keys-{sheet.kind}.sqlite")
            self._seen[sheet.kind] = seen
        self._sheet_names[index] = sheet.name
        pending: list[_Pending] = []
        self._names = names
        self._memberships: list[_Pending] = []
        self._deferred: list[_Pending] = []
        model = spec.model
        key_hash = model.key_hash()
        items = list(columns.items())
        last = max(columns.values(), default=-1)
        base = index << 32
        with _Batches(self, sheet, spec, advance) as batches:
            for number, cells, suspect in sheet.rows:
                ref = base | number
                if suspect:
                    self._national_ids(sheet, spec, number, ref, cells)
                    continue
                if len(cells) > last:
                    values = {f: cells[p] for f, p in items if cells[p]}
                else:  # a short row: its missing cells are blank
                    values = {f: cells[p] for f, p in items if p < len(cells) and cells[p]}
                try:
                    parsed = model.model_validate(values)
                except ValidationError as error:
                    self._model_errors(sheet, spec, number, ref, values, error)
                    continue
                key = key_hash(parsed)
                first = seen.first(key)
                if first is not None:
                    shown = " / ".join(parsed.key())
                    self._bad(
                        sheet,
                        spec,
                        number,
                        names.get(parsed.KEY[0]),
                        shown,
                        self._duplicate(index, first, shown),
                        ref=ref,
                    )
                    continue
                seen.add(key, ref)
                pending.append(_Pending(ref, number, parsed))
                if len(pending) >= self.batch_size:
                    batches.send(pending)
                    pending = []
            if pending:
                batches.send(pending)
        self._finish_sheet(sheet, spec)

    def _duplicate(self, index: int, first: int, shown: str) -> str:
        """The reason of a row repeating the key of ``first`` (a row reference: sheet index
        and row number), naming the sheet when it is another sheet of the same kind."""
        sheet_index, row = first >> 32, first & 0xFFFFFFFF
        if sheet_index == index:
            return fill("duplicate key {key}: already in row {row}", {"key": shown, "row": row})
        return fill(
            "duplicate key {key}: already in row {row} of sheet {sheet}",
            {"key": shown, "row": row, "sheet": self._sheet_names.get(sheet_index) or ""},
        )

    def _national_ids(
        self, sheet: Sheet, spec: KindSpec, number: int, ref: int, cells: list[str]
    ) -> None:
        for position, cell in enumerate(cells):
            if NATIONAL_ID.search(cell):
                title = sheet.header[position] if position < len(sheet.header) else None
                self._bad(
                    sheet,
                    spec,
                    number,
                    title,
                    cell,
                    gettext(
                        "looks like a national ID number (身份证号), which graphcoord never "
                        "stores: remove it"
                    ),
                    ref=ref,
                )

    def _model_errors(
        self,
        sheet: Sheet,
        spec: KindSpec,
        number: int,
        ref: int,
        values: dict[str, str],
        error: ValidationError,
    ) -> None:
        for item in error.errors():
            field_name = str(item["loc"][0]) if item["loc"] else None
            column = self._names.get(field_name or "", field_name)
            value = values.get(field_name or "")
            message = str(item["msg"]).removeprefix("Value error, ")
            problem = (item.get("ctx") or {}).get("error")
            if isinstance(problem, RowProblem):
                message = problem.localized()
            elif item["type"] == "missing":
                message = fill("{column} is required", {"column": column})
            elif item["type"] in ("int_parsing", "int_from_float"):
                message = fill("{value!r} is not a whole number", {"value": value})
            self._bad(sheet, spec, number, column, value, message, ref=ref)

    # -- a batch ---------------------------------------------------------------------------
    def _batch(self, sheet: Sheet, spec: KindSpec, pending: list[_Pending]) -> None:
        """Check a batch at once: look up what it references, then the checks."""
        wanted, missing = self._prepare(spec, pending)
        self._check(sheet, spec, pending, wanted, missing, self.known.fetch(missing))

    def _prepare(
        self, spec: KindSpec, pending: list[_Pending]
    ) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
        """The keys a batch references, and those of them to look up in the database."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for reference in spec.references:
            values = wanted[reference.target]
            name = reference.field
            for item in pending:
                value = getattr(item.model, name)
                if value is None:
                    continue
                if reference.many:
                    values.update(str(v) for v in value)
                else:
                    values.add(str(value))
        if spec.name == "areas":
            # Rows of the same batch may be each other's parents: make them known first.
            for item in pending:
                self.known.areas[item.model.code] = str(item.model.kind)
        return wanted, self.known.missing(wanted)

    def _check(
        self,
        sheet: Sheet,
        spec: KindSpec,
        pending: list[_Pending],
        wanted: dict[str, set[str]],
        missing: dict[str, list[str]],
        found: dict[str, Any],
    ) -> None:
        """The checks of a batch whose lookups ``found`` are back."""
        self.known.apply(missing, found)
        exists = self.known.exists
        unknown = any(
            not exists(target, value) for target, values in wanted.items() for value in values
        )
        good: list[_Pending] = []
        for item in pending:
            # Every reference of the batch exists (the common case): no row-by-row check.
            if not unknown or self._references_ok(sheet, spec, item):
                item.rows = item.rows or spec.to_rows(item.model)
                good.append(item)
        checker = _RULES.get(spec.name)
        if checker is not None:
            good = checker(self, sheet, spec, good)
        if spec.name == "areas":
            kept = {item.ref for item in good}
            for item in pending:
                if item.ref not in kept:
                    self.known.areas.pop(item.model.code, None)
        self._classify_and_spool(spec, good)

    # -- contacts checked by the write ---------------------------------------------------
    def checks_by_writing(self, spec: KindSpec) -> bool:
        """Whether a batch of ``spec`` goes straight to a checked write (no lookups first)."""
        return spec.name == "contacts" and self.ahead is not None and self.ahead.active()

    def write_checked(self, sheet: Sheet, spec: KindSpec, pending: list[_Pending]) -> None:
        """Send a contacts batch to be checked and created at once (see the module's notes)."""
        assert self.ahead is not None
        rows = []
        for item in pending:
            item.rows = spec.to_rows(item.model)
            rows.append(item.rows[0][1])
        self.ahead.check_contacts(rows, partial(self._settle_checked, sheet, spec, pending))

    def _settle_checked(
        self, sheet: Sheet, spec: KindSpec, pending: list[_Pending], checked: CheckedContacts
    ) -> None:
        """Put the rows a checked write refused through the usual checks, with what the
        write found of their deputies and areas as the lookups' answer."""
        if not checked.refused:
            return
        items = [pending[refused.index] for refused in checked.refused]
        deputies: dict[str, DeputyFacts] = {}
        kinds: dict[str, str] = {}
        for item, refused in zip(items, checked.refused, strict=True):
            model: ContactRow = item.model
            if refused.deputy is not None:
                deputies[model.deputyId] = DeputyFacts(*refused.deputy)
            if refused.area_kind is not None:
                kinds[model.areaCode] = refused.area_kind
        wanted = {
            "deputy": {item.model.deputyId for item in items},
            "area": {item.model.areaCode for item in items},
        }
        missing = {target: sorted(keys) for target, keys in wanted.items()}
        self._check(sheet, spec, items, wanted, missing, {"deputy": deputies, "area": kinds})

    def _references_ok(self, sheet: Sheet, spec: KindSpec, item: _Pending) -> bool:
        model = item.model
        ok = True
        for reference in spec.references:
            for value in _values(model, reference.field, reference.many):
                if self.known.exists(reference.target, value):
                    continue
                if isinstance(model, AreaRow):
                    if model.parentDerived and model.kind not in _VILLAGES:
                        model.parentCode = None  # the division above is not loaded: no link
                        continue
                    self._deferred.append(item)
                    return False
                self._bad(
                    sheet,
                    spec,
                    item.number,
                    self._names.get(reference.field, reference.field),
                    value,
                    fill(
                        "unknown {target} {value}: not in this file nor in the database",
                        {"target": Term(reference.target), "value": value},
                    ),
                    ref=item.ref,
                )
                ok = False
        return ok

    def _classify_and_spool(self, spec: KindSpec, good: Sequence[_Pending]) -> None:
        by_kind: dict[str, list[tuple[_Pending, dict[str, Any]]]] = defaultdict(list)
        for item in good:
            for row_kind, row in item.rows:
                if row_kind == "clusters":
                    if row["id"] in self._clusters:
                        continue
                    self._clusters[row["id"]] = row["name"]
                by_kind[row_kind].append((item, row))
            self._define(spec, item.model)
        for row_kind, pairs in by_kind.items():
            statuses = self._statuses(row_kind, [row for _, row in pairs])
            entries: list[Entry] = [
                (item.ref, status, row) for (item, row), status in zip(pairs, statuses, strict=True)
            ]
            if self.ahead is not None:
                # One transaction for the batch: Cypher links the parents it creates itself.
                entries = self.ahead.offer(row_kind, entries)
            if row_kind != "areas":
                self.spool.add(row_kind, entries)
                continue
            by_part: dict[int, list[Entry]] = defaultdict(list)
            for entry in entries:  # written later shallowest first, parents before children
                by_part[significant_length(entry[2]["code"])].append(entry)
            for part, held in by_part.items():
                self.spool.add(row_kind, held, part)

    def _statuses(self, row_kind: str, rows: list[dict[str, Any]]) -> list[str]:
        """Created, updated or unchanged, for each of ``rows``, from the stored state."""
        if not self._stored(row_kind):
            return [CREATED] * len(rows)
        state = stored_state(self.db, row_kind, rows)
        fields = STATE_FIELDS[row_kind]
        key_fields = _key_fields(row_kind)
        statuses = []
        for row in rows:
            stored = state.get(tuple(str(row[k]) for k in key_fields))
            if stored is None:
                statuses.append(CREATED)
            elif stored == [row.get(f) for f in fields]:
                statuses.append("unchanged")
            else:
                statuses.append("updated")
        return statuses

    def _stored(self, row_kind: str) -> bool:
        """Whether rows of ``row_kind`` may be stored (nothing is written while validating)."""
        stored = self._any_stored.get(row_kind)
        if stored is None:
            stored = self._any_stored[row_kind] = stored_count(self.db, row_kind) > 0
        return stored

    def _define(self, spec: KindSpec, model: RosterRow) -> None:
        if isinstance(model, AreaRow):
            self.known.areas[model.code] = str(model.kind)
        elif isinstance(model, DeputyRow):
            if self.known.keep_deputies:
                self.known.deputies[model.id] = DeputyFacts(model.level.value, model.electedIn)
        elif spec.defines == "group":
            self.known.groups.add(str(model.key()[0]))
        elif spec.defines == "chain":
            self.known.chains.add(str(model.key()[0]))
        elif spec.defines == "station":
            self.known.stations.add(str(model.key()[0]))
        elif spec.defines == "activity":
            self.known.activities.add(str(model.key()[0]))
        elif spec.defines == "proposal":
            self.known.proposals.add(str(model.key()[0]))
        elif spec.name == "departments":
            self.known.departments.add(str(model.key()[0]))

    # -- end of a sheet --------------------------------------------------------------------
    def _finish_sheet(self, sheet: Sheet, spec: KindSpec) -> None:
        deferred = self._deferred
        while deferred:
            self._deferred = []
            ready = [i for i in deferred if self.known.area_kind(str(i.model.parentCode))]
            if not ready:
                break
            self._batch(sheet, spec, ready)
            ids = {i.ref for i in ready}
            deferred = [i for i in deferred if i.ref not in ids] + self._deferred
        for item in deferred:
            self._bad(
                sheet,
                spec,
                item.number,
                self._names.get("parentCode", "parentCode"),
                item.model.parentCode,
                fill(
                    "unknown parent area {code}: not in this file nor in the database",
                    {"code": item.model.parentCode},
                ),
                ref=item.ref,
            )
        self._deferred = []
        if spec.name == "memberships" and self._memberships:
            self._check_conveners(sheet, spec)

    def _check_conveners(self, sheet: Sheet, spec: KindSpec) -> None:
        items = self._memberships
        rows = [i.model.model_dump() for i in items]
        groups = list(dict.fromkeys(r["groupId"] for r in rows))
        for violation in convener_violations(rows, existing_conveners(self.db, groups)):
            group = violation.ids[0]
            conveners = set(violation.ids[1:])
            offenders = [
                i
                for i in items
                if i.model.groupId == group and (not conveners or i.model.deputyId in conveners)
            ] or [items[violation.index]]
            for item in offenders:
                self.late_bad.add(item.ref)
                self._bad(
                    sheet,
                    spec,
                    item.number,
                    self._names.get("role", "role"),
                    item.model.role,
                    violation.localized(),
                    ref=item.ref,
                )
        self._memberships = []

    # -- rules per kind --------------------------------------------------------------------
    def _report_violations(
        self, sheet: Sheet, spec: KindSpec, good: list[_Pending], violations: Iterable[Violation]
    ) -> list[_Pending]:
        bad: set[int] = set()
        for violation in violations:
            item = good[violation.index]
            bad.add(violation.index)
            column = self._names.get(violation.column or "", violation.column)
            value = item.rows[0][1].get(violation.column or "") if item.rows else None
            if value is None and violation.column:
                value = getattr(item.model, violation.column, None)
            self._bad(sheet, spec, item.number, column, value, violation.localized(), ref=item.ref)
        return [item for i, item in enumerate(good) if i not in bad]

    def rule_areas(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        rows = [item.rows[0][1] for item in good]
        parents = {
            str(r["parentCode"]): str(self.known.area_kind(str(r["parentCode"])))
            for r in rows
            if r["parentCode"] and self.known.area_kind(str(r["parentCode"]))
        }
        return self._report_violations(sheet, spec, good, area_violations(rows, parents))

    def rule_deputies(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        kept = []
        for item in good:
            model: DeputyRow = item.model
            if model.level.directly_elected and model.electedIn is None:
                self._bad(
                    sheet,
                    spec,
                    item.number,
                    self._names.get("electedIn", spec.headers["electedIn"][0]),
                    None,
                    fill(
                        "a {level} deputy needs an original constituency (选区代码)",
                        {"level": Term(model.level.value)},
                    ),
                    ref=item.ref,
                )
                continue
            kept.append(item)
        return kept

    def rule_contacts(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        facts: dict[str, DeputyFacts] = {}
        kinds: dict[str, str] = {}
        deputy, area_kind = self.known.deputy, self.known.area_kind
        rows = []
        for item in good:
            model: ContactRow = item.model
            row = item.rows[0][1]
            rows.append(row)
            facts_of = deputy(model.deputyId)
            if facts_of is not None:
                facts[model.deputyId] = facts_of
                row["basis"] = model.with_basis(facts_of.level)
            kind = area_kind(model.areaCode)
            if kind is not None:
                kinds[model.areaCode] = kind
        return self._report_violations(sheet, spec, good, contact_violations(rows, facts, kinds))

    def rule_memberships(
        self, sheet: Sheet, spec: KindSpec, good: list[_Pending]
    ) -> list[_Pending]:
        self._memberships.extend(good)
        return good

    def rule_liaisons(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        levels: dict[str, str] = {}
        for item in good:
            for deputy_id in (item.model.fromId, item.model.toId):
                facts = self.known.deputy(deputy_id)
                if facts is not None:
                    levels[deputy_id] = facts.level
        rows = [{"fromId": i.model.fromId, "toId": i.model.toId} for i in good]
        return self._report_violations(sheet, spec, good, liaison_violations(rows, levels))

    def rule_stations(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        rows = [item.rows[0][1] for item in good]
        kinds = {
            str(r["areaCode"]): str(self.known.area_kind(str(r["areaCode"])))
            for r in rows
            if self.known.area_kind(str(r["areaCode"]))
        }
        return self._report_violations(sheet, spec, good, station_violations(rows, kinds))

    def rule_activities(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        rows = [item.rows[0][1] for item in good]
        keys = [f"{r['stationId']}|{r['date']}" for r in rows if r.get("stationId") is not None]
        unseen = [k for k in keys if k not in self._station_days]
        if unseen:
            self._station_days.update(station_days(self.db, unseen))
        violations = activity_day_violations(rows, self._station_days)
        kept = self._report_violations(sheet, spec, good, violations)
        for item in kept:
            row = item.rows[0][1]
            if row.get("stationId") is not None:
                self._station_days.setdefault(f"{row['stationId']}|{row['date']}", row["id"])
        return kept

    def rule_proposals(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        """The lead gives the proposal its level and congress; co-sponsors sit in the same
        congress (``cosponsor-same-level``); contributors are not sponsors
        (``contributor-not-sponsor``); a submitted motion has its sponsors
        (``motion-needs-cosponsors``)."""
        kept = []
        for item in good:
            model: ProposalRow = item.model
            row = item.rows[0][1]
            lead = self.known.deputy(model.leadId)
            if lead is None:  # pragma: no cover - the reference check reported it
                continue
            problem = self._proposal_problem(model, lead)
            if problem is not None:
                field, value, reason = problem
                column = self._names.get(field, spec.headers[field][0])
                self._bad(sheet, spec, item.number, column, value, reason, ref=item.ref)
                continue
            row["congressLevel"] = lead.level
            row["congressAreaCode"] = congress_area(lead.level, lead.elected_in)
            kept.append(item)
        return kept

    def _proposal_problem(
        self, model: ProposalRow, lead: DeputyFacts
    ) -> tuple[str, str | None, str] | None:
        if model.level is not None and model.level.value != lead.level:
            return (
                "level",
                model.level.value,
                _rule(
                    COSPONSOR_RULE,
                    Lazy(
                        "a proposal goes to its lead's congress; {lead} is a {level} deputy, not "
                        "{wanted}",
                        lead=model.leadId,
                        level=Term(lead.level),
                        wanted=Term(model.level.value),
                    ),
                ),
            )
        facts = SponsorFacts(model.leadId, lead.level, lead.elected_in)
        others = []
        for deputy_id in model.coSponsorIds:
            found = self.known.deputy(deputy_id)
            others.append(
                SponsorFacts(
                    deputy_id, found.level if found else None, found.elected_in if found else None
                )
            )
        violations = cosponsor_violations(facts, others)
        if violations:
            first = violations[0]
            reason = first.message or Lazy(first.reason)
            return ("coSponsorIds", first.ids[0], _rule(COSPONSOR_RULE, reason))
        sponsors = {model.leadId, *model.coSponsorIds}
        overlap = sorted(sponsors & set(model.contributorIds))
        if overlap:
            return (
                "contributorIds",
                overlap[0],
                _rule(
                    CONTRIBUTOR_RULE,
                    Lazy("deputy {deputy} sponsors the proposal already", deputy=overlap[0]),
                ),
            )
        needed = required_sponsors(model.kind, lead.level)
        if model.status == ProposalStatus.SUBMITTED.value and len(sponsors) < needed:
            return (
                "coSponsorIds",
                str(len(sponsors)),
                _rule(
                    MOTION_RULE,
                    Lazy(
                        "a {level} motion (议案) needs {needed} or more sponsors of its congress, "
                        "the lead included; it has {sponsors}",
                        level=Term(lead.level),
                        needed=needed,
                        sponsors=len(sponsors),
                    ),
                ),
            )
        return None

    def rule_chains(self, sheet: Sheet, spec: KindSpec, good: list[_Pending]) -> list[_Pending]:
        kept = []
        for item in good:
            known = self._clusters.get(item.model.clusterId)
            if known is not None and known != item.model.clusterName:
                self._bad(
                    sheet,
                    spec,
                    item.number,
                    self._names.get("clusterName", "clusterName"),
                    item.model.clusterName,
                    fill(
                        "cluster {cluster} is named {name} in an earlier row",
                        {"cluster": item.model.clusterId, "name": known},
                    ),
                    ref=item.ref,
                )
                continue
            kept.append(item)
        return kept


#: A batch whose lookups are running: its rows, wanted and missing keys, the lookups.
_Waiting = tuple[
    list[_Pending], dict[str, set[str]], dict[str, list[str]], "Future[dict[str, Any]]"
]


class _Batches:
    """Checks the batches of a sheet, each batch's lookups running while the next is parsed.

    A batch's lookups start once the batch before it is checked (so they see what it made
    known), and run in a thread while the rows of the next batch are read and parsed.
    """

    def __init__(
        self, validator: Validator, sheet: Sheet, spec: KindSpec, advance: Advance | None
    ) -> None:
        self.validator = validator
        self.sheet = sheet
        self.spec = spec
        self.advance = advance
        self._lookups = ThreadPoolExecutor(1, "graphcoord-lookup")
        self._waiting: _Waiting | None = None

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        try:
            if kind is None:
                self._check_waiting()
        finally:
            self._lookups.shutdown(wait=True)

    def send(self, pending: list[_Pending]) -> None:
        self._check_waiting()
        validator = self.validator
        if validator.checks_by_writing(self.spec):
            validator.write_checked(self.sheet, self.spec, pending)
            if self.advance is not None:
                self.advance(len(pending))
            return
        wanted, missing = validator._prepare(self.spec, pending)
        lookup = self._lookups.submit(validator.known.fetch, missing)
        self._waiting = (pending, wanted, missing, lookup)

    def _check_waiting(self) -> None:
        if self._waiting is None:
            return
        pending, wanted, missing, lookup = self._waiting
        self._waiting = None
        self.validator._check(self.sheet, self.spec, pending, wanted, missing, lookup.result())
        if self.advance is not None:
            self.advance(len(pending))


_RULES: dict[str, Callable[[Validator, Sheet, KindSpec, list[_Pending]], list[_Pending]]] = {
    "areas": Validator.rule_areas,
    "deputies": Validator.rule_deputies,
    "contacts": Validator.rule_contacts,
    "memberships": Validator.rule_memberships,
    "liaisons": Validator.rule_liaisons,
    "chains": Validator.rule_chains,
    "stations": Validator.rule_stations,
    "activities": Validator.rule_activities,
    "proposals": Validator.rule_proposals,
}

_KEYS: dict[str, tuple[str, ...]] = {
    "contacts": ("deputyId", "areaCode"),
    "memberships": ("deputyId", "groupId"),
    "liaisons": ("fromId", "toId"),
    "chainWorkers": ("deputyId", "chainId"),
    "areas": ("code",),
    "receptions": ("deputyId", "placeId"),
    "attendances": ("deputyId", "activityId"),
    "sponsorships": ("deputyId", "proposalId"),
    "addresses": ("proposalId", "issueId"),
    "contributions": ("deputyId", "proposalId"),
    "proposalHandlings": ("proposalId",),
}


def _rule(rule: str, detail: Lazy) -> str:
    """A row's reason that names the broken rule, in the clerk's language."""
    return fill("rule {rule}: {detail}", {"rule": Term(rule), "detail": detail})


def _key_fields(row_kind: str) -> tuple[str, ...]:
    return _KEYS.get(row_kind, ("id",))


def _values(model: Any, name: str, many: bool) -> list[str]:
    value = getattr(model, name)
    if value is None:
        return []
    return [str(v) for v in value] if many else [str(value)]


#: One lookup per target: keys → what the database holds of them.
_LOOKUPS: dict[str, Callable[[Database, list[str]], Any]] = {
    "area": area_kinds,
    "deputy": deputy_facts,
    "group": group_ids,
    "chain": chain_ids,
    "station": station_ids,
    "activity": activity_ids,
    "issue": issue_ids,
    "proposal": proposal_ids,
    "department": department_ids,
}

#: Kinds whose rows name deputies: a file holding one of them keeps its deputies' facts.
DEPUTY_REFERENCING = (
    "contacts",
    "memberships",
    "liaisons",
    "stations",
    "collection-points",
    "attendance",
    "proposals",
)
