"""Deterministic seed datasets built from the published figures (see ``seeds/README.md``).

``build_suqian`` and ``build_liulin`` return whole :data:`graphcoord.model.Dataset` dicts;
``write_national`` streams the national roll to CSV files in bounded memory.
"""

from __future__ import annotations

from graphcoord.seeding.liulin import build_liulin
from graphcoord.seeding.national import iter_national, write_national
from graphcoord.seeding.places import load_areas, load_places, seeds_dir
from graphcoord.seeding.suqian import build_suqian

__all__ = [
    "build_liulin",
    "build_suqian",
    "iter_national",
    "load_areas",
    "load_places",
    "seeds_dir",
    "write_national",
]
