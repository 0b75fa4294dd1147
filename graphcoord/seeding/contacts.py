"""Village contact assignment that obeys the basis rules and covers every village.

County and township deputies contact villages of the township they were elected in
(ORIGINAL_CONSTITUENCY); national, provincial and city deputies contact villages of the township
where they live or work (NEAR_HOME_OR_WORK). Designated *fragile* villages get exactly one
contact and designated *no-constituency* villages get near-home contacts only, so the analytics
have known gaps to find.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from graphcoord.model import Basis, Level
from graphcoord.seeding.places import Places

__all__ = ["build_contacts"]

_ORIGINAL = Basis.ORIGINAL_CONSTITUENCY.value
_NEAR = Basis.NEAR_HOME_OR_WORK.value


def build_contacts(
    rng: random.Random,
    places: Places,
    deputies: list[dict[str, Any]],
    fragile: Collection[str] = (),
    no_constituency: Collection[str] = (),
) -> list[dict[str, Any]]:
    """``contacts`` rows covering every village of ``places``.

    May move the ``baseArea`` of two CITY deputies (or other near-home deputies) per
    no-constituency village into that village's township so that it is still covered.
    """
    special = set(fragile) | set(no_constituency)
    direct: dict[str, list[str]] = defaultdict(list)
    near: list[dict[str, Any]] = []
    for deputy in deputies:
        if Level(deputy["level"]).directly_elected:
            direct[deputy["electedIn"]].append(deputy["id"])
        else:
            near.append(deputy)
    pairs: dict[tuple[str, str], str] = {}
    for township in places.townships:
        villages = places.villages_of(township)
        ordinary = [v for v in villages if v not in special]
        elected = direct.get(township, [])
        if not elected:
            raise ValueError(f"township {township} has no county or township deputy")
        for k in range(max(len(elected), len(ordinary)) if ordinary else 0):
            pairs[(elected[k % len(elected)], ordinary[k % len(ordinary)])] = _ORIGINAL
            if rng.random() < 0.35:
                pairs[(elected[k % len(elected)], rng.choice(ordinary))] = _ORIGINAL
        for village in villages:
            if village in fragile:
                pairs[(rng.choice(elected), village)] = _ORIGINAL
    _pin_near(rng, places, near, no_constituency, pairs)
    for deputy in near:
        choices = [v for v in places.villages_of(deputy["baseArea"]) if v not in special]
        for village in rng.sample(choices, min(len(choices), rng.randint(1, 3))):
            pairs[(deputy["id"], village)] = _NEAR
    _top_up(places, direct, special, pairs)
    return [
        {"deputyId": deputy_id, "areaCode": village, "basis": basis}
        for (deputy_id, village), basis in sorted(pairs.items(), key=lambda item: item[0])
    ]


def _pin_near(
    rng: random.Random,
    places: Places,
    near: list[dict[str, Any]],
    no_constituency: Collection[str],
    pairs: dict[tuple[str, str], str],
) -> None:
    """Give every no-constituency village two near-home contacts, preferring its county's
    city deputies, whose home/work township is moved there."""
    taken: set[str] = set()
    for village in sorted(no_constituency):
        township = places.parent(village)
        county = places.parent(township)
        local = [d for d in near if d["electedIn"] == county and d["id"] not in taken]
        pool = local if len(local) >= 2 else [d for d in near if d["id"] not in taken]
        for deputy in rng.sample(pool, 2):
            taken.add(deputy["id"])
            deputy["baseArea"] = township
            pairs[(deputy["id"], village)] = _NEAR


def _top_up(
    places: Places,
    direct: dict[str, list[str]],
    special: set[str],
    pairs: dict[tuple[str, str], str],
) -> None:
    """Make sure every ordinary village has at least two distinct contact deputies."""
    contacts: dict[str, set[str]] = defaultdict(set)
    for deputy_id, village in pairs:
        contacts[village].add(deputy_id)
    for township in places.townships:
        for village in places.villages_of(township):
            if village in special:
                continue
            for deputy_id in direct.get(township, []):
                if len(contacts[village]) >= 2:
                    break
                if deputy_id not in contacts[village]:
                    contacts[village].add(deputy_id)
                    pairs[(deputy_id, village)] = _ORIGINAL
