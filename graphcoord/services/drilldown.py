"""Coverage of an area with its sub-areas, for the console's drill-down (province → city →
county → township → village).

One coverage report of the area (:func:`graphcoord.services.analysis.coverage_with_areas`, a
cached projection) gives every figure: the sub-areas' village counts and their uncovered,
fragile and no-own-constituency villages are read off the same report by code prefix, so a
drill-down step costs one projection whatever the number of sub-areas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphcoord.analytics import CoverageReport
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.model import is_village_kind, parent_code, significant_length
from graphcoord.queries.areas import Area, get_areas
from graphcoord.queries.drilldown import top_areas
from graphcoord.rules import require_area_code
from graphcoord.services import analysis

__all__ = ["AreaCoverage", "Drilldown", "drilldown", "top_areas"]


@dataclass(frozen=True)
class AreaCoverage:
    """The figures of one sub-area (or, for a village, of itself)."""

    code: str
    name: str
    kind: str
    village_count: int
    uncovered: int
    fragile: int
    without_own: int

    @property
    def covered(self) -> int:
        return self.village_count - self.uncovered

    @property
    def rate(self) -> float:
        return self.covered / self.village_count if self.village_count else 0.0


@dataclass(frozen=True)
class Drilldown:
    """An area's coverage report, where it lies (its ancestors) and its sub-areas' figures."""

    area: Area
    ancestors: tuple[Area, ...]
    report: CoverageReport
    children: tuple[AreaCoverage, ...]
    #: Village code -> (name, township name) of every village the report names.
    villages: Mapping[str, tuple[str, str]]


def drilldown(db: Database, area_code: str) -> Drilldown:
    """The drill-down step of ``area_code`` (NotFound for an unknown area)."""
    require_area_code(area_code)
    chain = []
    code: str | None = area_code
    while code is not None:
        chain.append(code)
        code = parent_code(code)
    found = get_areas(db, chain)
    if area_code not in found:
        raise NotFound("area", area_code)
    report, areas = analysis.coverage_with_areas(db, area_code, top=0)
    ancestors = tuple(found[c] for c in reversed(chain[1:]) if c in found)
    children = _children(area_code, areas, report)
    villages = {
        code: _village(code, areas)
        for code in {*report.uncovered, *report.fragile, *report.without_own_constituency_deputy}
    }
    return Drilldown(found[area_code], ancestors, report, children, villages)


def _village(code: str, areas: Mapping[str, Mapping[str, Any]]) -> tuple[str, str]:
    attrs = areas.get(code) or {}
    parent = attrs.get("parent")
    township = (areas.get(parent) or {}).get("name", "") if parent else ""
    return str(attrs.get("name") or code), str(township)


def _children(
    area_code: str, areas: Mapping[str, Mapping[str, Any]], report: CoverageReport
) -> tuple[AreaCoverage, ...]:
    """The direct sub-areas of ``area_code`` with their figures, by code."""
    children = sorted(c for c in areas if areas[c].get("parent") == area_code)
    if not children:
        return ()
    length = significant_length(children[0])
    counts: dict[str, list[int]] = {c: [0, 0, 0, 0] for c in children}

    def bump(code: str, index: int) -> None:
        figures = counts.get(code[:length].ljust(12, "0"))
        if figures is not None:
            figures[index] += 1

    for code, attrs in areas.items():
        if is_village_kind(str(attrs.get("kind"))):
            bump(code, 0)
    for index, codes in enumerate(
        (report.uncovered, report.fragile, report.without_own_constituency_deputy), start=1
    ):
        for code in codes:
            bump(code, index)
    return tuple(
        AreaCoverage(c, str(areas[c].get("name") or c), str(areas[c].get("kind")), *counts[c])
        for c in children
    )
