"""Validated rows written straight into the files of ``neo4j-admin database import full``.

:class:`BulkFiles` takes the validator's place of the spool (:class:`Spool`): each batch of
validated rows goes at once into the node and relationship files of its row kind, laid out by
:data:`graphcoord.queries.bulk_layout.LAYOUT`, so the files are complete when validation ends
and no second pass over the rows is needed. Memberships alone wait (pickled, as in the spool):
a group's convener is checked when its sheet ends, and a row found bad then must not be
written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graphcoord.importer.report import ImportReport
from graphcoord.importer.spool import Entry, Spool
from graphcoord.queries.bulk_layout import ARRAY_DELIMITER, LAYOUT, Nodes, Relationships

__all__ = ["BulkFiles", "BulkInput"]

#: Row kinds held back until their sheet's whole-sheet checks are done.
HELD = frozenset({"memberships"})
#: Row kinds made from a list cell, which may name an item twice (MERGE makes it once).
FROM_LISTS = frozenset({"chainWorkers", "receptions"})
#: Labels that a relationship may end at among others (its end is looked up by key).
_SHARED_ENDS = frozenset(
    label
    for specs in LAYOUT.values()
    for spec in specs
    if isinstance(spec, Relationships) and len(spec.end) > 1
    for label in spec.end
)


@dataclass
class BulkInput:
    """The files of one initial import, as the import tool's options name them."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    #: Whether a value holds a line break (the tool must then read multi-line fields).
    multiline: bool = False
    node_count: int = 0
    relationship_count: int = 0


class _File:
    """One CSV file of the import tool, opened at its first row."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(header)
        self.rows = 0

    def close(self) -> None:
        self.handle.close()


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        items = [str(item) for item in value]
        if any(ARRAY_DELIMITER in item for item in items):
            raise ValueError(f"a list item holds the array delimiter: {items!r}")
        return ARRAY_DELIMITER.join(items) if items else None
    return value


class BulkFiles(Spool):
    """Writes the rows the validator passes on into the import tool's CSV files."""

    def __init__(self, directory: Path, report: ImportReport) -> None:
        super().__init__(directory)
        self.report = report
        self._files: dict[tuple[str, int, str], _File] = {}
        #: Keys written of the labels some relationship ends at among others.
        self._keys: dict[str, set[str]] = {label: set() for label in _SHARED_ENDS}

    def add(self, kind: str, entries: list[Entry], part: int = 0) -> None:
        if not entries:
            return
        if kind in HELD:
            super().add(kind, entries, part)
            return
        self._write(kind, [row for _, _, row in entries])
        counts = self.report.count(kind)
        for _, status, _ in entries:
            counts.add(status)

    def finish(self, skip: set[int]) -> BulkInput:
        """Write the held rows (but those in ``skip``), close the files, say what they hold."""
        for kind, part in [key for key in self.sizes if key[0] in HELD]:
            for entries in self.read(kind, part):
                kept = [entry for entry in entries if entry[0] not in skip]
                self._write(kind, [row for _, _, row in kept])
                counts = self.report.count(kind)
                for _, status, _ in kept:
                    counts.add(status)
        found = BulkInput()
        for (_, _, name), handle in self._files.items():
            handle.close()
            found.multiline = found.multiline or _line_breaks_inside(handle.path, handle.rows)
            if name.startswith(":"):
                found.relationships.append((name[1:].split(":")[0], handle.path))
                found.relationship_count += handle.rows
            else:
                found.nodes.append((name, handle.path))
                found.node_count += handle.rows
        return found

    def close(self) -> None:
        super().close()
        for handle in self._files.values():
            handle.close()

    # -- writing ---------------------------------------------------------------------------
    def _write(self, kind: str, rows: list[dict[str, Any]]) -> None:
        for index, spec in enumerate(LAYOUT[kind]):
            if isinstance(spec, Nodes):
                self._nodes(kind, index, spec, rows)
            else:
                self._relationships(kind, index, spec, rows)

    def _file(self, kind: str, index: int, name: str, header: list[str]) -> _File:
        key = (kind, index, name)
        found = self._files.get(key)
        if found is None:
            stem = f"{kind}-{index}-{name.lstrip(':').replace(':', '-')}"
            prefix = "relationships" if name.startswith(":") else "nodes"
            found = self._files[key] = _File(self.directory / f"{prefix}-{stem}.csv", header)
        return found

    def _nodes(self, kind: str, index: int, spec: Nodes, rows: list[dict[str, Any]]) -> None:
        out = self._file(kind, index, spec.label, spec.header)
        columns = spec.columns
        lines = [[row[spec.key], *(_cell(c.value(row)) for c in columns)] for row in rows]
        out.writer.writerows(lines)
        out.rows += len(lines)
        keys = self._keys.get(spec.label)
        if keys is not None:
            keys.update(str(row[spec.key]) for row in rows)

    def _relationships(
        self, kind: str, index: int, spec: Relationships, rows: list[dict[str, Any]]
    ) -> None:
        for end in spec.end:
            keys = self._keys.get(end) if len(spec.end) > 1 else None
            lines = list(_edges(spec, rows, keys, distinct=kind in FROM_LISTS))
            if not lines:
                continue
            out = self._file(kind, index, f":{spec.type}:{end}", spec.header(end))
            out.writer.writerows(lines)
            out.rows += len(lines)


def _edges(
    spec: Relationships,
    rows: Iterable[Mapping[str, Any]],
    keys: set[str] | None,
    *,
    distinct: bool,
) -> Iterable[list[Any]]:
    """The lines of ``rows``' relationships; with ``distinct``, each pair once (a row's list
    may repeat an item: MERGE makes one relationship of it)."""
    seen: set[tuple[Any, Any]] = set()
    columns = spec.columns
    for row in rows:
        start, end = row.get(spec.start_field), row.get(spec.end_field)
        if start is None or end is None or (keys is not None and str(end) not in keys):
            continue
        if distinct:
            if (start, end) in seen:
                continue
            seen.add((start, end))
        yield [start, end, *(_cell(c.value(row)) for c in columns)]


def _line_breaks_inside(path: Path, rows: int) -> bool:
    """Whether a file of ``rows`` rows (and a header) holds a line break inside a value: the
    csv module quotes such a value, and the file then has more line breaks than lines."""
    breaks = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            if b"\r" in block:
                return True
            breaks += block.count(b"\n")
    return breaks > rows + 1
