"""What escalation needs of the national roll: liaisons, groups, chains and open issues.

:func:`write_national_links` reads the ``deputies.csv`` and ``contacts.csv`` that
:func:`graphcoord.seeding.national.write_national` wrote (streamed, township by township) and
writes, in the same proportions as the Suqian seed:

* ``liaisons.csv`` (fromId, toId): every deputy below NATIONAL gets one liaison of the next
  higher level, taken from the same township if there is one, else the same county, city or
  province, else anyone of that level (as :func:`graphcoord.seeding.deputies.build_liaisons`),
  round-robin so that loads spread;
* ``groups.csv`` (id, name, kind, areaCode) and ``memberships.csv`` (deputyId, groupId, role):
  two collaborative linkage groups per county, each deputy living in the county joining one
  with probability :data:`GROUP_SHARE`, the first member its convener;
* ``clusters.csv`` / ``chains.csv`` (id, name, clusterId) and ``chain_workers.csv`` (deputyId,
  chainId): 6 clusters and 15 chains per city, national/provincial/city deputies working on
  one of their city's chains with probability :data:`CHAIN_SHARE` (county, township: less);
* ``issues.csv`` (id, title, category, channel, status, createdAt, areaCode) and
  ``trackers.csv`` (deputyId, issueId): :data:`ISSUES_PER_VILLAGE` issues per village on
  average (Suqian: 301 for 1,440), :data:`OPEN_SHARE` of them open, tracked by every deputy who
  contacts the village.

Memory holds the ids of the deputies of the four upper levels (about 700,000 at scale 1) and
one township's contacts at a time.
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from graphcoord.model import CATEGORIES, Level

__all__ = [
    "CHAIN_SHARE",
    "GROUP_SHARE",
    "ISSUES_PER_VILLAGE",
    "LINK_HEADERS",
    "OPEN_SHARE",
    "write_national_links",
]

#: Share of a county's deputies in one of its two linkage groups.
GROUP_SHARE = 0.05
#: Share of deputies working on a chain of their city, per level.
CHAIN_SHARE: dict[str, float] = {
    Level.NATIONAL: 0.3,
    Level.PROVINCIAL: 0.3,
    Level.CITY: 0.3,
    Level.COUNTY: 0.05,
    Level.TOWNSHIP: 0.01,
}
#: Issues per village on average, and the share still open.
ISSUES_PER_VILLAGE = 0.2
OPEN_SHARE = 0.3
_OPEN = ("DISPATCHED", "IN_PROGRESS", "ESCALATED")
_CLOSED = ("RESOLVED", "CLOSED")
CHAINS_PER_CITY = 15
CLUSTERS_PER_CITY = 6

LINK_HEADERS: dict[str, tuple[str, ...]] = {
    "liaisons": ("fromId", "toId"),
    "groups": ("id", "name", "kind", "areaCode"),
    "memberships": ("deputyId", "groupId", "role"),
    "clusters": ("id", "name"),
    "chains": ("id", "name", "clusterId"),
    "chain_workers": ("deputyId", "chainId"),
    "issues": ("id", "title", "category", "channel", "status", "createdAt", "areaCode"),
    "trackers": ("deputyId", "issueId"),
}

_LEVELS = list(Level)
#: Code prefix lengths of township, county, city, province: where a liaison is looked for.
_PREFIXES = (9, 6, 4, 2)


def _deputies(path: Path) -> Iterator[tuple[str, str, str]]:
    """(id, level, base township code) of each deputy of ``deputies.csv``."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["id"], row["level"], row["baseArea"] or row["electedIn"]


def write_national_links(folder: Path, seed: int = 2023) -> Counter[str]:
    """Write the link files beside ``deputies.csv`` and ``contacts.csv`` in ``folder``; rows
    written per file."""
    rng = random.Random(seed)
    written: Counter[str] = Counter()
    handles = {
        kind: (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="")
        for kind in LINK_HEADERS
    }
    try:
        writers = {kind: csv.writer(h, lineterminator="\n") for kind, h in handles.items()}
        for kind, header in LINK_HEADERS.items():
            writers[kind].writerow(header)

        def write(kind: str, *values: str) -> None:
            writers[kind].writerow(values)
            written[kind] += 1

        # Pass 1: the pools of possible liaisons, by level and region.
        pools: dict[str, dict[str, list[str]]] = {level: defaultdict(list) for level in _LEVELS}
        for deputy_id, level, base in _deputies(folder / "deputies.csv"):
            if level != Level.TOWNSHIP:
                for length in _PREFIXES:
                    pools[level][base[:length]].append(deputy_id)
                pools[level]["*"].append(deputy_id)
        # Pass 2: liaisons, memberships and chain work, deputy by deputy.
        turns: Counter[tuple[str, str]] = Counter()
        counties: set[str] = set()
        cities: set[str] = set()
        members: Counter[str] = Counter()
        for deputy_id, level, base in _deputies(folder / "deputies.csv"):
            county, city = base[:6], base[:4]
            upper = _LEVELS[_LEVELS.index(Level(level)) - 1] if level != Level.NATIONAL else None
            if upper is not None:
                for key in (*(base[:n] for n in _PREFIXES), "*"):
                    pool = pools[upper].get(key)
                    if pool:
                        write("liaisons", pool[turns[upper, key] % len(pool)], deputy_id)
                        turns[upper, key] += 1
                        break
            if county not in counties:
                counties.add(county)
                for n in (1, 2):
                    write(
                        "groups",
                        f"CN-G-{county}-{n}",
                        f"{county}协同联动组{n}",
                        "COLLABORATIVE",
                        county.ljust(12, "0"),
                    )
            if rng.random() < GROUP_SHARE:
                group = f"CN-G-{county}-{rng.randint(1, 2)}"
                write("memberships", deputy_id, group, "MEMBER" if members[group] else "CONVENER")
                members[group] += 1
            if city not in cities:
                cities.add(city)
                for k in range(1, CLUSTERS_PER_CITY + 1):
                    write("clusters", f"CN-K-{city}-{k}", f"{city}产业集群{k}")
                for n in range(1, CHAINS_PER_CITY + 1):
                    cluster = f"CN-K-{city}-{(n - 1) % CLUSTERS_PER_CITY + 1}"
                    write("chains", f"CN-CH-{city}-{n:02d}", f"{city}产业链{n}", cluster)
            if rng.random() < CHAIN_SHARE[level]:
                write(
                    "chain_workers",
                    deputy_id,
                    f"CN-CH-{city}-{rng.randint(1, CHAINS_PER_CITY):02d}",
                )
        # Pass 3: issues and their trackers, village by village of each township's contacts.
        serial = 0
        with (folder / "contacts.csv").open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle)
            for _, township_rows in groupby(rows, key=lambda r: r["areaCode"][:9]):
                by_village: dict[str, list[str]] = defaultdict(list)
                for row in township_rows:
                    by_village[row["areaCode"]].append(row["deputyId"])
                for village, trackers in by_village.items():
                    count = 1 if rng.random() < ISSUES_PER_VILLAGE else 0
                    for _ in range(count):
                        serial += 1
                        issue = f"CN-I-{serial:07d}"
                        is_open = rng.random() < OPEN_SHARE
                        status = rng.choice(_OPEN if is_open else _CLOSED)
                        day = 1 + rng.randrange(28)
                        write(
                            "issues",
                            issue,
                            "群众反映的问题",
                            rng.choice(CATEGORIES),
                            "QR",
                            status,
                            f"2024-{rng.randint(1, 12):02d}-{day:02d}T09:00:00+08:00",
                            village,
                        )
                        for deputy_id in trackers:
                            write("trackers", deputy_id, issue)
    finally:
        for handle in handles.values():
            handle.close()
    return written
