"""Deputy rows, quotas and liaison edges shared by the city and national generators."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from graphcoord.model import Level
from graphcoord.seeding.names import firm, person_name, phone, pick_occupation

__all__ = ["TERMS", "apportion", "build_liaisons", "home_township", "make_deputy"]

#: Terms of office: the 14th NPC and provincial congresses sit 2023-2028, the local ones
#: elected in 2021 sit 2021-2026.
TERMS: dict[Level, str] = {
    Level.NATIONAL: "2023-2028",
    Level.PROVINCIAL: "2023-2028",
    Level.CITY: "2021-2026",
    Level.COUNTY: "2021-2026",
    Level.TOWNSHIP: "2021-2026",
}
_FEMALE_SHARE = 0.3


def make_deputy(
    rng: random.Random,
    deputy_id: str,
    level: Level,
    elected_in: str,
    base_area: str,
    place_name: str,
) -> dict[str, Any]:
    """One ACTIVE deputy row with a name, gender, phone, occupation, work unit and sectors."""
    female = rng.random() < _FEMALE_SHARE
    occupation = pick_occupation(rng)
    return {
        "id": deputy_id,
        "name": person_name(rng, female),
        "level": level.value,
        "gender": "女" if female else "男",
        "occupation": occupation.title,
        "workUnit": occupation.work_unit.format(place=place_name, firm=firm(rng)),
        "sectors": list(occupation.sectors),
        "phone": phone(rng),
        "status": "ACTIVE",
        "term": TERMS[level],
        "electedIn": elected_in,
        "baseArea": base_area,
    }


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` over ``weights`` by cumulative rounding: exact sum, stable order."""
    whole = sum(weights)
    counts: list[int] = []
    running = 0.0
    given = 0
    for weight in weights:
        running += weight
        upto = round(total * running / whole) if whole else 0
        counts.append(upto - given)
        given = upto
    return counts


def home_township(deputy: dict[str, Any]) -> str:
    """The township a deputy belongs to: constituency for county/township, else home/work."""
    if Level(deputy["level"]).directly_elected:
        return str(deputy["electedIn"])
    return str(deputy["baseArea"])


def _keys(deputy: dict[str, Any], county_of: dict[str, str]) -> tuple[str, str, str]:
    township = home_township(deputy)
    return (f"T{township}", f"C{county_of[township]}", "*")


def build_liaisons(
    deputies: Iterable[dict[str, Any]], county_of: dict[str, str]
) -> list[dict[str, Any]]:
    """``liaisons`` rows: every deputy below NATIONAL gets one liaison of the next higher level.

    The liaison is taken from the same township if possible, else the same county, else anyone
    of that level, round-robin so the load spreads evenly. ``county_of`` maps township codes to
    county codes.
    """
    by_level: dict[Level, list[dict[str, Any]]] = defaultdict(list)
    for deputy in deputies:
        by_level[Level(deputy["level"])].append(deputy)
    rows: list[dict[str, Any]] = []
    levels = list(Level)
    for upper_level, lower_level in itertools.pairwise(levels):
        pools: dict[str, list[str]] = defaultdict(list)
        for upper in by_level[upper_level]:
            for key in _keys(upper, county_of):
                pools[key].append(upper["id"])
        turn: dict[str, int] = defaultdict(int)
        for lower in by_level[lower_level]:
            for key in _keys(lower, county_of):
                pool = pools.get(key)
                if pool:
                    rows.append({"fromId": pool[turn[key] % len(pool)], "toId": lower["id"]})
                    turn[key] += 1
                    break
    return rows
