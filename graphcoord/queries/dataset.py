"""Write a whole :data:`~graphcoord.model.Dataset` through the one write path.

Seeds, the importer and tests all come here: each row kind goes to its upsert (with the rules
checked where the model has them), in :data:`~graphcoord.model.ROW_KINDS` order so referenced
nodes exist first, then the graph version is bumped so cached projections are refreshed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import ROW_KINDS, Dataset
from graphcoord.queries import campaigns, industry, issues, places
from graphcoord.queries.areas import upsert_areas
from graphcoord.queries.batch import write_rows
from graphcoord.queries.deputies import upsert_contacts, upsert_deputies
from graphcoord.queries.groups import (
    UPSERT_ACTIVITIES,
    UPSERT_ATTENDANCES,
    UPSERT_GROUPS,
    upsert_memberships,
)
from graphcoord.queries.liaison import (
    UPSERT_ADDRESSES,
    UPSERT_PROPOSALS,
    UPSERT_SPONSORSHIPS,
    upsert_liaisons,
)
from graphcoord.queries.meta import bump_version

__all__ = ["WRITERS", "write_dataset", "write_kind"]

Writer = Callable[..., int]

WRITERS: dict[str, Writer] = {
    "areas": upsert_areas,
    "deputies": upsert_deputies,
    "contacts": upsert_contacts,
    "collectionPoints": partial(write_rows, statement=places.UPSERT_COLLECTION_POINTS),
    "stations": partial(write_rows, statement=places.UPSERT_STATIONS),
    "receptions": partial(write_rows, statement=places.UPSERT_RECEPTIONS),
    "clusters": partial(write_rows, statement=industry.UPSERT_CLUSTERS),
    "chains": partial(write_rows, statement=industry.UPSERT_CHAINS),
    "observationPoints": partial(write_rows, statement=industry.UPSERT_OBSERVATION_POINTS),
    "observers": partial(write_rows, statement=industry.UPSERT_OBSERVERS),
    "chainWorkers": partial(write_rows, statement=industry.UPSERT_CHAIN_WORKERS),
    "groups": partial(write_rows, statement=UPSERT_GROUPS),
    "memberships": upsert_memberships,
    "activities": partial(write_rows, statement=UPSERT_ACTIVITIES),
    "attendances": partial(write_rows, statement=UPSERT_ATTENDANCES),
    "campaigns": partial(write_rows, statement=campaigns.UPSERT_CAMPAIGNS),
    "participations": partial(write_rows, statement=campaigns.UPSERT_PARTICIPATIONS),
    "liaisons": upsert_liaisons,
    "issues": partial(write_rows, statement=issues.UPSERT_ISSUES),
    "trackers": partial(write_rows, statement=issues.UPSERT_TRACKERS),
    "escalations": partial(write_rows, statement=issues.UPSERT_ESCALATIONS),
    "proposals": partial(write_rows, statement=UPSERT_PROPOSALS),
    "sponsorships": partial(write_rows, statement=UPSERT_SPONSORSHIPS),
    "addresses": partial(write_rows, statement=UPSERT_ADDRESSES),
}


def write_kind(
    db: Database,
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    batch_size: int = 5000,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Write rows of one kind (no version bump: callers bump once when done)."""
    try:
        writer = WRITERS[kind]
    except KeyError:
        raise BadInput(f"unknown row kind {kind!r}; known: {', '.join(ROW_KINDS)}") from None
    if not rows:
        return 0
    if isinstance(writer, partial):
        return writer(db, rows=rows, batch_size=batch_size, on_batch=on_batch)
    return writer(db, rows, batch_size=batch_size, on_batch=on_batch)


def write_dataset(
    db: Database,
    dataset: Dataset,
    *,
    batch_size: int = 5000,
    on_kind: Callable[[str, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write every kind of ``dataset`` in dependency order; return rows written per kind."""
    unknown = set(dataset) - set(ROW_KINDS)
    if unknown:
        raise BadInput(f"unknown row kinds: {', '.join(sorted(unknown))}")
    written: dict[str, int] = {}
    try:
        for kind in ROW_KINDS:
            rows = dataset.get(kind) or []
            if on_kind is not None:
                on_kind(kind, len(rows))
            written[kind] = write_kind(db, kind, rows, batch_size=batch_size, on_batch=on_batch)
    finally:
        if any(written.values()):
            bump_version(db)
    return written
