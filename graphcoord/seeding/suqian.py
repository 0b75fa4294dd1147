"""The Suqian (宿迁) dataset: five-level deputies coordinating over the city's real villages.

Figures follow the article 构建协同履职机制 充分发挥代表作用 (see ``seeds/README.md``): all
1,440 villages/communities of the 2023 division list covered, 7,684 deputies of whom 7,515 took
part in the five-year legislation-plan call with 85,000 citizens, 6 clusters / 15 chains,
10 + 31 observation points, 30 collaborative and 15 supervision groups.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from graphcoord.model import Channel, Dataset, DepartmentKind, IssueStatus, Level, Outcome
from graphcoord.seeding.contacts import build_contacts
from graphcoord.seeding.deputies import apportion, build_liaisons, make_deputy
from graphcoord.seeding.handling import Handlers, build_departments, handlings
from graphcoord.seeding.places import Places, load_places
from graphcoord.seeding.suqian_groups import SUQIAN_COMPLIANCE_MISSES, build_groups
from graphcoord.seeding.suqian_industry import build_industry
from graphcoord.seeding.suqian_issues import build_issues
from graphcoord.seeding.suqian_proposals import build_proposals

__all__ = [
    "SUQIAN_CHANNEL_NAMES",
    "SUQIAN_CITY_UNITS",
    "SUQIAN_COMPLIANCE_MISSES",
    "SUQIAN_DEPUTIES",
    "SUQIAN_FRAGILE_VILLAGES",
    "SUQIAN_NO_CONSTITUENCY_VILLAGES",
    "build_suqian",
]

PROVINCE = "320000000000"
CITY = "321300000000"

#: Deputies per level; 7,684 in all (7,515 participants are 97.8 %).
SUQIAN_DEPUTIES: dict[Level, int] = {
    Level.NATIONAL: 15,
    Level.PROVINCIAL: 62,
    Level.CITY: 450,
    Level.COUNTY: 2300,
    Level.TOWNSHIP: 4857,
}
CAMPAIGN_PARTICIPANTS = 7515
CAMPAIGN_CITIZENS = 85_000

#: Villages covered by exactly one deputy (one county/township deputy of their constituency).
SUQIAN_FRAGILE_VILLAGES: tuple[str, ...] = (
    "321322128005",  # 沭阳县 青伊湖镇 蔷薇分场社区
    "321322102200",  # 沭阳县 胡集镇 刘河村委会
    "321323103202",  # 泗阳县 裴圩镇 陈集村委会
    "321302110204",  # 宿城区 蔡集镇 施圩村委会
    "321302150221",  # 宿城区 洋河镇 邱夏村委会
    "321324105501",  # 泗洪县 半城镇 渔沟养殖场生活区
    "321311108203",  # 宿豫区 来龙镇 路墩村委会
    "321323003202",  # 泗阳县 来安街道 董荡村委会
)
#: Villages covered only by near-home (city) deputies, none of their own constituency.
SUQIAN_NO_CONSTITUENCY_VILLAGES: tuple[str, ...] = (
    "321324111203",  # 泗洪县 界集镇 颜圩村委会
    "321302150004",  # 宿城区 洋河镇 东关居委会
    "321324102207",  # 泗洪县 上塘镇 马巷村委会
    "321322109201",  # 沭阳县 华冲镇 官沟村委会
    "321302109201",  # 宿城区 陈集镇 庙庄村委会
    "321311106005",  # 宿豫区 大兴镇 丁嘴社区居委会
)

_POINT_KINDS = (("SQUARE", "文化广场"), ("PARK", "公园"), ("MARKET", "农贸市场"))
#: City-level handling units: (id suffix, name, kind).
SUQIAN_CITY_UNITS: tuple[tuple[str, str, DepartmentKind], ...] = (
    ("BIZ", "宿迁市政务服务管理办公室", DepartmentKind.CITY_BUREAU),
    ("TRANSPORT", "宿迁市交通运输局", DepartmentKind.CITY_BUREAU),
    ("ECOLOGY", "宿迁市生态环境局", DepartmentKind.CITY_BUREAU),
    ("WATERCO", "宿迁市水务集团有限公司", DepartmentKind.PUBLIC_SERVICE),
)
#: What Suqian calls its channels: the QR channel is 宿话说 (the report reads it from the data).
SUQIAN_CHANNEL_NAMES: tuple[tuple[str, str], ...] = ((Channel.QR.value, "扫码（宿话说）"),)


def build_suqian(seed: int = 2024) -> Dataset:
    """The whole Suqian dataset; the same seed gives identical rows in identical order."""
    rng = random.Random(seed)
    places = load_places("suqian")
    deputies = _deputies(rng, places)
    data: Dataset = {"areas": places.rows, "deputies": deputies}
    data["contacts"] = build_contacts(
        rng, places, deputies, SUQIAN_FRAGILE_VILLAGES, SUQIAN_NO_CONSTITUENCY_VILLAGES
    )
    county_of = {t: places.parent(t) for t in places.townships}
    data["liaisons"] = build_liaisons(deputies, county_of)
    data.update(_collection_points(rng, places, deputies))
    data.update(build_industry(rng, places, deputies))
    data.update(build_groups(rng, places, deputies))
    data.update(_campaign(rng, deputies))
    data.update(build_issues(rng, places, data))
    data.update(_handling(seed, places, data))
    for kind, rows in build_proposals(seed, places, data).items():
        data[kind] = data.get(kind, []) + rows
    return data


def _handling(seed: int, places: Places, data: Dataset) -> Dataset:
    """Departments, the clocks and handling of the seeded issues, and Suqian's channel names.

    Every RESOLVED or CLOSED issue is finished with the outcome RESOLVED at its ``resolvedAt``
    (so the city's resolution figures stay those of the statuses)."""
    departments = build_departments(places, "SQ", SUQIAN_CITY_UNITS, CITY)
    handlers = Handlers("SQ", frozenset(d["id"] for d in departments), CITY)
    done = (IssueStatus.RESOLVED.value, IssueStatus.CLOSED.value)
    finished = {
        i["id"]: dt.datetime.fromisoformat(i["resolvedAt"])
        for i in data["issues"]
        if i["status"] in done and "resolvedAt" in i
    }
    rows = handlings(
        random.Random(f"{seed}:handling"),
        data["issues"],
        data["trackers"],
        data["contacts"],
        handlers,
        lambda issue: (Outcome.RESOLVED.value, None) if issue["status"] in done else None,
        finished,
    )
    names = [{"areaCode": CITY, "channel": c, "name": n} for c, n in SUQIAN_CHANNEL_NAMES]
    return {"departments": departments, "handlings": rows, "channelNames": names}


def _deputies(rng: random.Random, places: Places) -> list[dict[str, Any]]:
    """7,684 deputies: county and township ones spread over townships by village count."""
    townships = places.townships
    weights = [len(places.villages_of(t)) + 1.0 for t in townships]
    counties = places.of_kind("COUNTY")
    plan: list[tuple[Level, str, str]] = []  # level, electedIn, baseArea
    for level, elected_in in ((Level.NATIONAL, PROVINCE), (Level.PROVINCIAL, CITY)):
        plan += [(level, elected_in, rng.choice(townships)) for _ in range(SUQIAN_DEPUTIES[level])]
    county_weights = [sum(len(places.villages_of(t)) for t in places.children[c]) for c in counties]
    for county, count in zip(
        counties, apportion(SUQIAN_DEPUTIES[Level.CITY], county_weights), strict=True
    ):
        plan += [(Level.CITY, county, rng.choice(places.children[county])) for _ in range(count)]
    for township, count in zip(
        townships, apportion(SUQIAN_DEPUTIES[Level.COUNTY], weights), strict=True
    ):
        plan += [(Level.COUNTY, township, township)] * count
    with_congress = [t for t in townships if places.has_congress(t)]
    town_weights = [len(places.villages_of(t)) + 2.0 for t in with_congress]
    for township, count in zip(
        with_congress, apportion(SUQIAN_DEPUTIES[Level.TOWNSHIP], town_weights), strict=True
    ):
        plan += [(Level.TOWNSHIP, township, township)] * count
    return [
        make_deputy(rng, f"SQ-D{i:05d}", level, elected_in, base, places.name(base))
        for i, (level, elected_in, base) in enumerate(plan, start=1)
    ]


def _collection_points(
    rng: random.Random, places: Places, deputies: list[dict[str, Any]]
) -> Dataset:
    """One opinion-collection point per township (two in subdistricts), in squares, parks and
    markets; near-home deputies receive at one in their township, a third of the others too."""
    points: list[dict[str, Any]] = []
    by_township: dict[str, list[str]] = {}
    for township in places.townships:
        extra = 1 if places.name(township).endswith("街道") else 0
        for n in range(1 + extra):
            kind, label = _POINT_KINDS[(len(points) + n) % len(_POINT_KINDS)]
            point_id = f"SQ-CP{len(points) + 1:03d}"
            name = f"{places.name(township)}{label}社情民意收集点"
            points.append({"id": point_id, "name": name, "kind": kind, "areaCode": township})
            by_township.setdefault(township, []).append(point_id)
    receptions = []
    for deputy in deputies:
        directly = Level(deputy["level"]).directly_elected
        if directly and rng.random() > 1 / 3:
            continue
        home = deputy["electedIn"] if directly else deputy["baseArea"]
        receptions.append({"deputyId": deputy["id"], "placeId": rng.choice(by_township[home])})
    return {"collectionPoints": points, "receptions": receptions}


def _campaign(rng: random.Random, deputies: list[dict[str, Any]]) -> Dataset:
    """The five-year legislation-plan call: 7,515 participants, 85,000 citizens."""
    participants = sorted(rng.sample([d["id"] for d in deputies], CAMPAIGN_PARTICIPANTS))
    campaign = {"id": "SQ-C01", "title": "五年立法规划征集", "citizenCount": CAMPAIGN_CITIZENS}
    return {
        "campaigns": [campaign],
        "participations": [{"deputyId": d, "campaignId": "SQ-C01"} for d in participants],
    }
