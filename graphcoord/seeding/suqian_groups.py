"""Suqian's groups and their 2024 activities.

30 collaborative linkage groups (协同联动组), one per city-deputy team, each with a convener and
an activity room, and 15 special supervision groups by theme. Every collaborative group meets
at least once a quarter except the deliberate misses in :data:`SUQIAN_COMPLIANCE_MISSES`; all 30
meet in the concentrated activity week, 16-20 December 2024 (the 3rd full week of December,
:func:`graphcoord.rules.activity_week`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from graphcoord.model import Dataset, GroupKind, Level
from graphcoord.rules import activity_week
from graphcoord.seeding.places import Places

__all__ = [
    "CONCENTRATED_WEEK",
    "GROUPS_PER_COUNTY",
    "SUPERVISION_THEMES",
    "SUQIAN_COMPLIANCE_MISSES",
    "build_groups",
]

YEAR = 2024
#: Collaborative group id -> the quarters of 2024 in which it held no activity.
SUQIAN_COMPLIANCE_MISSES: dict[str, tuple[int, ...]] = {
    "SQ-G07": (2,),
    "SQ-G19": (3,),
    "SQ-G26": (1, 3),
}
#: Monday to Friday of the 3rd full week of December 2024 (16-20 December).
CONCENTRATED_WEEK: tuple[dt.date, dt.date] = activity_week(YEAR)
#: County code -> number of collaborative groups (30 in all).
GROUPS_PER_COUNTY: dict[str, int] = {
    "321302000000": 5,
    "321311000000": 5,
    "321322000000": 8,
    "321323000000": 5,
    "321324000000": 6,
    "321371000000": 1,
}
#: The 15 supervision themes; each matches the deputies' ``sectors``.
SUPERVISION_THEMES: tuple[str, ...] = (
    "医疗卫生",
    "乡村振兴",
    "非物质文化遗产",
    "教育",
    "养老服务",
    "生态环境",
    "食品安全",
    "营商环境",
    "交通运输",
    "水利建设",
    "安全生产",
    "法治建设",
    "科技创新",
    "文化旅游",
    "劳动就业",
)
_KINDS = ("RESEARCH", "INSPECTION", "RECEPTION", "MEETING")
_KIND_TITLES = {
    "RESEARCH": "专题调研",
    "INSPECTION": "视察",
    "RECEPTION": "联合接待选民",
    "MEETING": "小组活动会",
}
_SERIES = ("我献策", "我行动", "我监督")


def build_groups(rng: random.Random, places: Places, deputies: list[dict[str, Any]]) -> Dataset:
    """Groups, memberships, activities and attendances."""
    groups, members = _collaborative(rng, places, deputies)
    sup_groups, sup_members = _supervision(rng, deputies)
    groups += sup_groups
    members.update(sup_members)
    memberships = [
        {"deputyId": d, "groupId": g, "role": "CONVENER" if i == 0 else "MEMBER"}
        for g, ids in members.items()
        for i, d in enumerate(ids)
    ]
    activities, attendances = _activities(rng, groups, members)
    return {
        "groups": groups,
        "memberships": memberships,
        "activities": activities,
        "attendances": attendances,
    }


def _collaborative(
    rng: random.Random, places: Places, deputies: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """30 groups: a county's city deputies split over its groups, national and provincial ones
    added by home county, plus a few county and township deputies; the convener comes first."""
    by_county: dict[str, dict[Level, list[str]]] = defaultdict(lambda: defaultdict(list))
    for d in deputies:
        level = Level(d["level"])
        county = d["electedIn"] if level is Level.CITY else places.parent(d["baseArea"])
        by_county[county][level].append(d["id"])
    groups: list[dict[str, Any]] = []
    members: dict[str, list[str]] = {}
    for county, count in GROUPS_PER_COUNTY.items():
        pool = by_county[county]
        name = places.name(county)
        first = len(groups)
        for n in range(count):
            group_id = f"SQ-G{first + n + 1:02d}"
            room = f"{name}第{n + 1}协同履职活动室"
            groups.append(
                {
                    "id": group_id,
                    "name": f"{name}第{n + 1}协同联动组",
                    "kind": GroupKind.COLLABORATIVE.value,
                    "room": room,
                    "areaCode": county,
                }
            )
            city = pool[Level.CITY][n::count]
            convener = rng.choice(city)
            upper = pool[Level.NATIONAL][n::count] + pool[Level.PROVINCIAL][n::count]
            local = rng.sample(pool[Level.COUNTY][n::count], 6)
            local += rng.sample(pool[Level.TOWNSHIP][n::count], 4)
            others = sorted(set(city + upper + local) - {convener})
            members[group_id] = [convener, *others]
    return groups, members


def _supervision(
    rng: random.Random, deputies: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """15 theme groups of 8-14 deputies whose sectors match; the highest-level one convenes."""
    groups: list[dict[str, Any]] = []
    members: dict[str, list[str]] = {}
    for n, theme in enumerate(SUPERVISION_THEMES, start=1):
        matching = [d for d in deputies if theme in d["sectors"]]
        chosen = rng.sample(matching, min(len(matching), rng.randint(8, 14)))
        chosen.sort(key=lambda d: (Level(d["level"]).rank, d["id"]))
        group_id = f"SQ-S{n:02d}"
        groups.append(
            {
                "id": group_id,
                "name": f"{theme}专项监督小组",
                "kind": GroupKind.SUPERVISION.value,
                "theme": theme,
                "areaCode": "321300000000",
            }
        )
        members[group_id] = [d["id"] for d in chosen]
    return groups, members


def _quarter_day(rng: random.Random, quarter: int) -> dt.date:
    start = dt.date(YEAR, 3 * quarter - 2, 1)
    end = dt.date(YEAR + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    day = start + dt.timedelta(days=rng.randrange((end - start).days))
    if CONCENTRATED_WEEK[0] <= day <= CONCENTRATED_WEEK[1]:
        day -= dt.timedelta(days=7)
    return day


def _activities(
    rng: random.Random, groups: list[dict[str, Any]], members: dict[str, list[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Quarterly activities (minus the misses), the concentrated week, supervision visits."""
    activities: list[dict[str, Any]] = []
    attendances: list[dict[str, Any]] = []

    def add(group: dict[str, Any], day: dt.date, kind: str, title: str, series: str | None) -> None:
        activity_id = f"SQ-A{len(activities) + 1:04d}"
        row: dict[str, Any] = {
            "id": activity_id,
            "groupId": group["id"],
            "title": f"{group['name']}{title}",
            "date": day.isoformat(),
            "kind": kind,
        }
        if series:
            row["series"] = series
        activities.append(row)
        ids = members[group["id"]]
        present = [ids[0], *rng.sample(ids[1:], max(1, int(len(ids[1:]) * rng.uniform(0.4, 0.9))))]
        attendances.extend({"deputyId": d, "activityId": activity_id} for d in sorted(present))

    for group in groups:
        if group["kind"] == GroupKind.SUPERVISION.value:
            for _ in range(rng.randint(2, 3)):
                day = _quarter_day(rng, rng.randint(1, 4))
                add(group, day, "INSPECTION", "专项视察", "我监督")
            continue
        missed = SUQIAN_COMPLIANCE_MISSES.get(group["id"], ())
        for quarter in range(1, 5):
            if quarter in missed:
                continue
            for _ in range(rng.randint(1, 2)):
                kind = rng.choice(_KINDS)
                series = rng.choice(_SERIES) if rng.random() < 0.5 else None
                add(group, _quarter_day(rng, quarter), kind, _KIND_TITLES[kind], series)
        day = CONCENTRATED_WEEK[0] + dt.timedelta(days=rng.randrange(5))
        add(group, day, "CONCENTRATED_WEEK", "代表集中活动周调研", None)
    activities.sort(key=lambda a: a["id"])
    return activities, attendances
