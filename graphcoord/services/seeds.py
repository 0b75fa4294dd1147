"""Loading the deterministic demo cities (Suqian, Liulin) through the one write path."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from graphcoord.db import Database
from graphcoord.model import Dataset
from graphcoord.queries.meta import label_counts
from graphcoord.services.dataset import write_dataset

__all__ = ["City", "build", "graph_has_deputies", "load_seed", "write_dataset"]


class City(StrEnum):
    suqian = "suqian"
    liulin = "liulin"


def build(city: City | str, seed: int | None = None) -> Dataset:
    """The dataset of ``city`` (with the published RNG seed unless ``seed`` is given)."""
    if City(city) is City.suqian:
        from graphcoord.seeding.suqian import build_suqian

        return build_suqian() if seed is None else build_suqian(seed)
    from graphcoord.seeding.liulin import build_liulin

    return build_liulin() if seed is None else build_liulin(seed)


def load_seed(
    db: Database,
    city: City | str,
    *,
    seed: int | None = None,
    on_kind: Callable[[str, int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Build the dataset of ``city`` and write it; rows written per kind (loading it twice
    changes nothing)."""
    return write_dataset(db, build(city, seed), on_kind=on_kind, on_batch=on_batch)


def graph_has_deputies(db: Database) -> bool:
    """Whether the graph holds deputies already (the demo does not load over them)."""
    return any(row.label == "Deputy" for row in label_counts(db))
