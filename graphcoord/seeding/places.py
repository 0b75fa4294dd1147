"""Load the committed area CSVs (``seeds/data``) into ``areas`` rows and index the hierarchy.

The CSVs are extracted from the NBS 2023 division list by ``seeds/extract_divisions.py``; the
runtime needs nothing else. ``GRAPHCOORD_SEEDS_DIR`` points elsewhere (e.g. an installed copy).
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from graphcoord.model import AreaKind

__all__ = ["Places", "load_areas", "load_places", "seeds_dir"]

_VILLAGE_KINDS = (AreaKind.VILLAGE.value, AreaKind.COMMUNITY.value)


def seeds_dir() -> Path:
    """The ``seeds/data`` folder, or ``$GRAPHCOORD_SEEDS_DIR`` when set."""
    override = os.environ.get("GRAPHCOORD_SEEDS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "seeds" / "data"


@cache
def _read(path: Path) -> tuple[tuple[str, str, str, str], ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return tuple((r["code"], r["name"], r["kind"], r["parentCode"]) for r in reader)


def load_areas(stem: str) -> list[dict[str, Any]]:
    """``areas`` rows of ``seeds/data/<stem>_areas.csv`` (parentCode omitted for a province)."""
    rows: list[dict[str, Any]] = []
    for code, name, kind, parent in _read(seeds_dir() / f"{stem}_areas.csv"):
        row: dict[str, Any] = {"code": code, "name": name, "kind": kind}
        if parent:
            row["parentCode"] = parent
        rows.append(row)
    return rows


@dataclass
class Places:
    """An area list with lookups the generators need, all in file (code) order."""

    rows: list[dict[str, Any]]
    by_code: dict[str, dict[str, Any]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for row in self.rows:
            self.by_code[row["code"]] = row
            if "parentCode" in row:
                self.children[row["parentCode"]].append(row["code"])

    def of_kind(self, *kinds: str) -> list[str]:
        """Codes of the given kinds."""
        return [r["code"] for r in self.rows if r["kind"] in kinds]

    @property
    def townships(self) -> list[str]:
        return self.of_kind(AreaKind.TOWNSHIP.value)

    @property
    def villages(self) -> list[str]:
        """Villages and communities."""
        return self.of_kind(*_VILLAGE_KINDS)

    def villages_of(self, township: str) -> list[str]:
        """Villages and communities directly under a township."""
        return [c for c in self.children[township] if self.by_code[c]["kind"] in _VILLAGE_KINDS]

    def parent(self, code: str) -> str:
        return str(self.by_code[code]["parentCode"])

    def name(self, code: str) -> str:
        return str(self.by_code[code]["name"])

    def has_congress(self, township: str) -> bool:
        """Towns and townships (镇/乡) elect a congress; subdistricts (街道) and parks do not."""
        return self.name(township).endswith(("镇", "乡", "苏木"))


def load_places(stem: str) -> Places:
    """Areas of ``stem`` wrapped in a :class:`Places` index."""
    return Places(load_areas(stem))
