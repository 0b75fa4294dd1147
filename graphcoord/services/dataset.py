"""The one write path of whole rows: each kind checked by the model's rules, then written.

Seeds, the mutations that change contacts and tests come here (the importer checks rows its
own way, row by row with a report, then writes through the same statements): each row kind
goes to its writer in :data:`~graphcoord.model.ROW_KINDS` order, so referenced nodes exist
first; kinds the model has rules for (areas, deputies, contacts, memberships, liaisons,
stations) are checked against the database first and refused with one
:class:`~graphcoord.errors.RuleViolation` naming every offender. Caches of analyses see the
writes through the change feed (:mod:`graphcoord.services.changes`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import DEPUTY_KEYS, ROW_KINDS, Dataset, significant_length
from graphcoord.queries import areas, deputies, groups, liaisons
from graphcoord.queries.batch import write_rows
from graphcoord.queries.rows import STATEMENTS
from graphcoord.rules import (
    area_violations,
    contact_violations,
    convener_violations,
    level_violations,
    liaison_violations,
    raise_for,
    station_violations,
)

__all__ = [
    "WRITERS",
    "upsert_areas",
    "upsert_contacts",
    "upsert_deputies",
    "upsert_liaisons",
    "upsert_memberships",
    "upsert_stations",
    "write_dataset",
    "write_kind",
]

OnBatch = Callable[[int], None] | None


def upsert_areas(
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Create or update areas after checking the area rules.

    Levels are written one after another (provinces first) so that every parent exists when
    its children link to it.
    """
    parents = [row["parentCode"] for row in rows if row.get("parentCode")]
    raise_for(area_violations(rows, areas.area_kinds(db, parents)))
    by_depth: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        full = {"population": None, "parentCode": None, **row}
        by_depth.setdefault(significant_length(row["code"]), []).append(full)
    return sum(
        write_rows(
            db, areas.UPSERT_AREAS, by_depth[depth], batch_size=batch_size, on_batch=on_batch
        )
        for depth in sorted(by_depth)
    )


def upsert_deputies(
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Create or update deputies (and their ELECTED_IN edge); the level must be valid."""
    raise_for(level_violations(rows))
    full = [{key: row.get(key) for key in DEPUTY_KEYS} for row in rows]
    return write_rows(db, deputies.UPSERT_DEPUTIES, full, batch_size=batch_size, on_batch=on_batch)


def upsert_contacts(
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Create contacts after checking basis and constituency rules against the database."""
    facts = deputies.deputy_facts(db, [str(row["deputyId"]) for row in rows])
    kinds = areas.area_kinds(db, [str(row["areaCode"]) for row in rows])
    raise_for(contact_violations(rows, facts, kinds))
    return write_rows(db, deputies.UPSERT_CONTACTS, rows, batch_size=batch_size, on_batch=on_batch)


def upsert_memberships(
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Write memberships after checking that every group touched keeps exactly one convener."""
    touched = list(dict.fromkeys(str(row["groupId"]) for row in rows))
    raise_for(convener_violations(rows, groups.existing_conveners(db, touched)))
    return write_rows(db, groups.UPSERT_MEMBERSHIPS, rows, batch_size=batch_size, on_batch=on_batch)


def upsert_liaisons(
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Write LIAISON_FOR edges after checking that each goes from a higher level down."""
    ids = [str(row[key]) for row in rows for key in ("fromId", "toId")]
    raise_for(liaison_violations(rows, deputies.deputy_levels(db, ids)))
    return write_rows(db, liaisons.UPSERT_LIAISONS, rows, batch_size=batch_size, on_batch=on_batch)


def upsert_stations(
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Write liaison stations and points after checking that each lies where its kind may."""
    kinds = areas.area_kinds(db, [str(row["areaCode"]) for row in rows])
    raise_for(station_violations(rows, kinds))
    return write_rows(db, STATEMENTS["stations"], rows, batch_size=batch_size, on_batch=on_batch)


def _write_kind_rows(
    kind: str,
    db: Database,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """The writer of a kind without rules: its statement over the rows, in batches."""
    return write_rows(db, STATEMENTS[kind], rows, batch_size=batch_size, on_batch=on_batch)


Writer = Callable[..., int]

_CHECKED: dict[str, Writer] = {
    "areas": upsert_areas,
    "deputies": upsert_deputies,
    "contacts": upsert_contacts,
    "memberships": upsert_memberships,
    "liaisons": upsert_liaisons,
    "stations": upsert_stations,
}
#: The writer of every row kind: the rules checked where the model has them.
WRITERS: dict[str, Writer] = {
    kind: _CHECKED.get(kind) or partial(_write_kind_rows, kind) for kind in ROW_KINDS
}


def write_kind(
    db: Database,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: OnBatch = None,
) -> int:
    """Write rows of one kind."""
    try:
        writer = WRITERS[kind]
    except KeyError:
        raise BadInput(f"unknown row kind {kind!r}; known: {', '.join(ROW_KINDS)}") from None
    if not rows:
        return 0
    return writer(db, rows, batch_size=batch_size, on_batch=on_batch)


def write_dataset(
    db: Database,
    dataset: Dataset,
    *,
    batch_size: int = 5000,
    on_kind: Callable[[str, int], None] | None = None,
    on_batch: OnBatch = None,
) -> dict[str, int]:
    """Write every kind of ``dataset`` in dependency order; return rows written per kind."""
    unknown = set(dataset) - set(ROW_KINDS)
    if unknown:
        raise BadInput(f"unknown row kinds: {', '.join(sorted(unknown))}")
    written: dict[str, int] = {}
    for kind in ROW_KINDS:
        rows = dataset.get(kind) or []
        if on_kind is not None:
            on_kind(kind, len(rows))
        written[kind] = write_kind(db, kind, rows, batch_size=batch_size, on_batch=on_batch)
    return written
