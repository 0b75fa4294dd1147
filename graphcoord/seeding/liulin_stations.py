"""Liulin's activity days at its stations and points since 2023, and the opinions received there.

The article counts 161 deputy visits (人次) and 345 voters received since 2023. They are kept as
what happened on activity days: ``activityDays`` held by the stations and points (each on the
station's monthly day, moved to the next working day, with a topic and a notice published a
week ahead), the deputies who came as ``attendances`` (161 in all; they were the day's duty
roster, ``duties``) and the voters as each day's ``voterCount`` (345 in all).

In the last three months of the record (September to November 2024) every station and point
held a day except :data:`LIULIN_IDLE_POINTS`, so the idle-station alarm has something to find;
two of them (:data:`LIULIN_NEVER_HELD`) never held one. The 124 suggestions received through
stations (``channel`` STATION) are linked to the point of their village, else to their
township's station (``stationIssues``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from graphcoord.model import CHINA, Channel, Dataset, township_code
from graphcoord.rules import monthly_activity_day

__all__ = [
    "LIULIN_DAY_RECORD",
    "LIULIN_IDLE_POINTS",
    "LIULIN_NEVER_HELD",
    "RECORD_END",
    "build_station_days",
]

#: The published figures the activity days add up to.
LIULIN_DAY_RECORD = {"visits": 161, "voters": 345}
#: Points without an activity day from 2024-09-01 to :data:`RECORD_END`.
LIULIN_IDLE_POINTS: tuple[str, ...] = ("LL-PT05", "LL-PT17", "LL-PT29", "LL-PT41")
#: Of those, the points that never held one.
LIULIN_NEVER_HELD: tuple[str, ...] = ("LL-PT17", "LL-PT41")
#: The last day of the record.
RECORD_END = dt.date(2024, 11, 30)
_LAST_MONTHS = ((2024, 9), (2024, 10), (2024, 11))
_EARLIER_MONTHS = tuple((2023 + (m - 1) // 12, (m - 1) % 12 + 1) for m in range(1, 21))
#: Topics chosen for the days (精准定题): Liulin's livelihood and development questions.
TOPICS: tuple[str, ...] = (
    "农村饮水安全",
    "乡村道路建设与养护",
    "红枣产业发展",
    "农村人居环境整治",
    "农村养老服务",
    "义务教育均衡发展",
    "煤矿安全生产",
    "黄河流域生态保护",
    "优化营商环境",
    "就业创业服务",
    "基层医疗卫生服务",
    "高标准农田建设",
    "年度民生实事项目征集",
)


def build_station_days(seed: int, data: Dataset) -> Dataset:
    """The activity days of ``data``'s stations (its ``stations`` and ``receptions``) and the
    links of its STATION issues; the same seed gives the same rows."""
    rng = random.Random(f"liulin-station-days-{seed}")
    stations = {row["id"]: row for row in data["stations"]}
    received: dict[str, list[str]] = defaultdict(list)
    for row in data["receptions"]:
        received[row["placeId"]].append(row["deputyId"])
    plan: list[tuple[str, int, int, int]] = []  # station, year, month, deputies who came
    left = LIULIN_DAY_RECORD["visits"]
    for station_id in sorted(stations):
        if station_id in LIULIN_IDLE_POINTS or not received[station_id]:
            continue
        year, month = rng.choice(_LAST_MONTHS)
        plan.append((station_id, year, month, rng.randint(1, 2)))
    for station_id in LIULIN_IDLE_POINTS:  # the idle points that held a day before
        if station_id not in LIULIN_NEVER_HELD:
            plan.append((station_id, 2024, rng.randint(2, 6), 1))
    left -= sum(size for *_, size in plan)
    taken = {(s, y, m) for s, y, m, _ in plan}
    active = [s for s in sorted(stations) if s not in LIULIN_NEVER_HELD and received[s]]
    while left > 0:
        station_id = rng.choice(active)
        year, month = rng.choice(_EARLIER_MONTHS)
        if (station_id, year, month) in taken:
            continue
        size = min(left, rng.randint(1, 3), len(received[station_id]))
        plan.append((station_id, year, month, size))
        taken.add((station_id, year, month))
        left -= size
    days = []
    for station_id, year, month, size in plan:
        station = stations[station_id]
        day = monthly_activity_day(year, month, station["monthlyActivityDay"])
        came = sorted(rng.sample(received[station_id], size))
        days.append((day, station_id, came))
    days.sort()
    voters = _spread(rng, LIULIN_DAY_RECORD["voters"], len(days))
    rows: Dataset = {"activityDays": [], "duties": [], "attendances": []}
    held: dict[tuple[str, str], str] = {}
    for n, ((day, station_id, came), count) in enumerate(zip(days, voters, strict=True), 1):
        station = stations[station_id]
        activity_id = f"LL-AD{n:03d}"
        topic = rng.choice(TOPICS)
        published = dt.datetime.combine(day - dt.timedelta(days=7), dt.time(9), CHINA)
        rows["activityDays"].append(
            {
                "id": activity_id,
                "stationId": station_id,
                "title": f"{station['name']}代表活动日",
                "date": day.isoformat(),
                "topic": topic,
                "notice": (
                    f"{station['name']}定于{day.year}年{day.month}月{day.day}日开展代表活动日，"
                    f"主题：{topic}。届时人大代表进站接待选民，欢迎选民群众前来反映意见建议。"
                ),
                "noticePublishedAt": published.isoformat(),
                "voterCount": count,
            }
        )
        for deputy_id in came:
            rows["duties"].append({"deputyId": deputy_id, "activityId": activity_id})
            rows["attendances"].append({"deputyId": deputy_id, "activityId": activity_id})
        held[(station_id, day.isoformat())] = activity_id
    rows["stationIssues"] = _station_issues(data, held)
    return rows


def _spread(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split over ``parts`` (each at least one), at random."""
    counts = [1] * parts
    for _ in range(total - parts):
        counts[rng.randrange(parts)] += 1
    return counts


def _station_issues(data: Dataset, held: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """Each STATION issue at the point of its village, else at its township's station, and
    during that place's activity day of the day it was created, if there was one."""
    by_area: dict[str, str] = {}
    for place in sorted(data["stations"], key=lambda r: r["id"]):
        if place["kind"] == "STATION":
            by_area.setdefault(place["areaCode"], place["id"])
    points = {p["areaCode"]: p["id"] for p in data["stations"] if p["kind"] == "POINT"}
    rows = []
    for issue in data.get("issues", []):
        if issue["channel"] != Channel.STATION.value:
            continue
        village = issue["areaCode"]
        station_id = points.get(village) or by_area.get(township_code(village) or "")
        if station_id is None:
            continue
        row: dict[str, Any] = {"issueId": issue["id"], "stationId": station_id}
        activity_id = held.get((station_id, str(issue["createdAt"])[:10]))
        if activity_id is not None:
            row["activityId"] = activity_id
        rows.append(row)
    return rows
