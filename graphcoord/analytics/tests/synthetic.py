"""A synthetic city-sized coordination graph with a fixed seed (for sanity tests and timing)."""

from __future__ import annotations

import random
from itertools import pairwise

import networkx as nx

from graphcoord.analytics.graph import GraphBuilder

#: Deputies per level in a city like Suqian (about 7,700 in all).
CITY_DEPUTIES: dict[str, int] = {
    "NATIONAL": 20,
    "PROVINCIAL": 80,
    "CITY": 400,
    "COUNTY": 1700,
    "TOWNSHIP": 5500,
}


def synthetic_city(
    seed: int = 7,
    *,
    counties: int = 5,
    townships_per_county: int = 24,
    villages_per_township: int = 12,
    deputies: dict[str, int] | None = None,
    groups: int = 30,
    city_code: str = "C",
) -> nx.DiGraph:
    """1 city, ``counties`` × ``townships_per_county`` × ``villages_per_township`` villages
    (5 × 24 × 12 = 1,440), ~7,700 deputies of five levels each contacting one or two villages,
    liaison chains level by level, ``groups`` groups of 20-300 members, 6 clusters of 15 chains
    with 41 observation points."""
    rng = random.Random(seed)
    counts = deputies or CITY_DEPUTIES
    b = GraphBuilder()
    b.area(city_code, kind="CITY")
    townships: list[str] = []
    villages_of: dict[str, list[str]] = {}
    county_codes: list[str] = []
    for c in range(counties):
        county = f"{city_code}K{c}"
        county_codes.append(county)
        b.area(county, kind="COUNTY", parent=city_code)
        for t in range(townships_per_county):
            township = f"{county}T{t}"
            b.area(township, kind="TOWNSHIP", parent=county)
            townships.append(township)
            villages_of[township] = []
            for v in range(villages_per_township):
                village = f"{township}V{v}"
                b.area(village, parent=township)
                villages_of[township].append(village)
    by_level: dict[str, list[str]] = {}
    n = 0
    for level, count in counts.items():
        for _ in range(count):
            deputy = f"{level[0]}{n:05d}"
            n += 1
            township = rng.choice(townships)
            village = rng.choice(villages_of[township])
            if level in ("COUNTY", "TOWNSHIP"):
                b.deputy(deputy, level, elected_in=township, open_issues=rng.randint(0, 8))
                b.contact(deputy, village)
            else:
                b.deputy(deputy, level, base_area=village, open_issues=rng.randint(0, 8))
                b.contact(deputy, village)
                if rng.random() < 0.5:
                    b.contact(deputy, rng.choice(villages_of[township]))
            by_level.setdefault(level, []).append(deputy)
    levels = list(counts)
    for upper, lower in pairwise(levels):
        for deputy in by_level.get(lower, []):
            if by_level.get(upper):
                b.liaison(rng.choice(by_level[upper]), deputy)
    everyone = [d for level in levels for d in by_level.get(level, [])]
    for g in range(groups):
        group = f"G{g:02d}"
        b.group(group, kind="COLLABORATIVE", area_code=rng.choice(county_codes))
        members = rng.sample(everyone, min(len(everyone), rng.randint(20, 300)))
        for i, deputy in enumerate(members):
            b.member(deputy, group, role="CONVENER" if i == 0 else "MEMBER")
    chains = []
    for cl in range(6):
        b.cluster(f"CL{cl}")
    for ch in range(15):
        chain = f"CH{ch:02d}"
        b.chain(chain, cluster_id=f"CL{ch % 6}")
        chains.append(chain)
    for p in range(41):
        b.observation_point(f"P{p:02d}", chains[p % 15], role="LEAD" if p < 10 else "COLLABORATIVE")
    for deputy in rng.sample(everyone, min(len(everyone), 600)):
        b.works_on(deputy, rng.choice(chains))
    for deputy in rng.sample(everyone, min(len(everyone), 120)):
        b.observes(deputy, f"P{rng.randrange(41):02d}")
    return b.build()
