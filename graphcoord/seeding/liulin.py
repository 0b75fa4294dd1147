"""The Liulin (柳林县) dataset: liaison stations and points and their 2023-onward record.

From the article 打造“三个之家” 深入推进代表联络站建设: 15 stations and 46 points serve 1 national,
2 provincial, 30 city, 207 county and 892 township deputies; since 2023 deputies made 161 visits
(人次), received 345 voters, collected 124 suggestions and got 24 livelihood problems solved.
How each figure is stored is listed in ``seeds/README.md`` and :data:`LIULIN_RECORD`. Two
matters are told from several villages of a township (topics for the hot-topic scan).
How each figure is stored is listed in ``seeds/README.md`` and :data:`LIULIN_RECORD`; the
activity days behind the visits and voters are built by :mod:`graphcoord.seeding.liulin_stations`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from graphcoord.model import Channel, Dataset, IssueStatus, Level, Outcome
from graphcoord.seeding.contacts import build_contacts
from graphcoord.seeding.deputies import apportion, build_liaisons, home_township, make_deputy
from graphcoord.seeding.handling import Handlers, build_departments, handlings
from graphcoord.seeding.issues_text import (
    LIVELIHOOD,
    issue_text,
    random_time,
    short_township,
    short_village,
    topic_text,
)
from graphcoord.seeding.liulin_stations import build_station_days
from graphcoord.seeding.places import Places, load_places

__all__ = [
    "LIULIN_ANSWERED_REASONS",
    "LIULIN_CHANNEL_NAMES",
    "LIULIN_DEPUTIES",
    "LIULIN_RECORD",
    "LIULIN_STATIONS",
    "build_liulin",
]

PROVINCE, CITY, COUNTY = "140000000000", "141100000000", "141125000000"
LIULIN_DEPUTIES: dict[Level, int] = {
    Level.NATIONAL: 1,
    Level.PROVINCIAL: 2,
    Level.CITY: 30,
    Level.COUNTY: 207,
    Level.TOWNSHIP: 892,
}
#: Stations (one per township) and points.
LIULIN_STATIONS = {"STATION": 15, "POINT": 46}
#: The 2023-onward record: deputy visits = ATTENDED edges to the stations' activity days,
#: voters received = the sum of their voterCount, suggestions = STATION issues, solved =
#: issues whose outcome is RESOLVED (the 60 CLOSED ones were answered without solving the
#: problem: outcome ANSWERED, with the reason the citizens were given).
LIULIN_RECORD = {"visits": 161, "voters": 345, "suggestions": 124, "solved": 24}
#: Points the article names: (township, village code or None for the township office, name).
_NAMED_POINTS = (
    ("141125100000", "141125100004", "柳林镇贺昌社区联络点"),
    ("141125200000", None, "李家湾乡机关联络点"),
    ("141125206000", "141125206213", "王家沟乡大庄村联络点"),
)
_RECORD_PERIOD = (dt.date(2023, 1, 1), dt.date(2024, 11, 1))
#: What Liulin calls its channels (the report reads them from the data).
LIULIN_CHANNEL_NAMES: tuple[tuple[str, str], ...] = ((Channel.STATION.value, "代表联络站（点）"),)
#: Reasons given for the suggestions answered without the problem being solved.
LIULIN_ANSWERED_REASONS: tuple[str, ...] = (
    "已向群众解释相关政策；所需资金暂未落实，已纳入下一年度项目库统筹考虑。",
    "涉及多个部门职责，已答复群众并移交相关部门研究，暂未解决。",
    "受用地和规划条件限制，近期无法实施，已向群众作出说明。",
    "已答复：列入乡村振兴项目储备，待上级资金下达后实施。",
)


def build_liulin(seed: int = 2023) -> Dataset:
    """The whole Liulin dataset; the same seed gives identical rows in identical order."""
    rng = random.Random(seed)
    places = load_places("liulin")
    deputies = _deputies(rng, places)
    data: Dataset = {"areas": places.rows, "deputies": deputies}
    data["contacts"] = build_contacts(rng, places, deputies)
    data["liaisons"] = build_liaisons(deputies, {t: COUNTY for t in places.townships})
    stations = _stations(rng, places)
    data["stations"] = stations
    data["receptions"] = _receptions(deputies, stations)
    record, finished = _record(rng, places, data)
    data.update(record)
    for kind, rows in build_station_days(seed, data).items():
        data[kind] = [*data.get(kind, []), *rows]
    data.update(_handling(seed, places, data, finished))
    return data


def _deputies(rng: random.Random, places: Places) -> list[dict[str, Any]]:
    """1,132 deputies; county and township ones spread over townships by village count."""
    townships = places.townships
    weights = [len(places.villages_of(t)) + 3.0 for t in townships]
    plan: list[tuple[Level, str, str]] = []
    for level, elected_in in (
        (Level.NATIONAL, PROVINCE),
        (Level.PROVINCIAL, CITY),
        (Level.CITY, COUNTY),
    ):
        plan += [(level, elected_in, rng.choice(townships)) for _ in range(LIULIN_DEPUTIES[level])]
    for level in (Level.COUNTY, Level.TOWNSHIP):
        for township, count in zip(
            townships, apportion(LIULIN_DEPUTIES[level], weights), strict=True
        ):
            plan += [(level, township, township)] * count
    return [
        make_deputy(rng, f"LL-D{i:04d}", level, elected_in, base, places.name(base))
        for i, (level, elected_in, base) in enumerate(plan, start=1)
    ]


def _stations(rng: random.Random, places: Places) -> list[dict[str, Any]]:
    """A station per township, the three named points, 43 more points in villages."""
    rows: list[dict[str, Any]] = []
    for n, township in enumerate(places.townships, start=1):
        rows.append(
            {
                "id": f"LL-ST{n:02d}",
                "name": f"{places.name(township)}人大代表联络站",
                "kind": "STATION",
                "monthlyActivityDay": 5 + 5 * (n % 4),
                "areaCode": township,
            }
        )
    points = [(area or township, name) for township, area, name in _NAMED_POINTS]
    taken = {area for area, _ in points}
    townships = places.townships
    extra = LIULIN_STATIONS["POINT"] - len(points)
    weights = [float(len(places.villages_of(t))) for t in townships]
    for township, count in zip(townships, apportion(extra, weights), strict=True):
        free = [v for v in places.villages_of(township) if v not in taken]
        for village in rng.sample(free, count):
            points.append((village, f"{short_village(places.name(village))}人大代表联络点"))
    points.sort()
    for n, (area, name) in enumerate(points, start=1):
        rows.append(
            {
                "id": f"LL-PT{n:02d}",
                "name": name,
                "kind": "POINT",
                "monthlyActivityDay": rng.choice((10, 15, 20, 25)),
                "areaCode": area,
            }
        )
    return rows


def _township_of(area: str) -> str:
    return area[:9] + "000"


def _receptions(
    deputies: list[dict[str, Any]], stations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every deputy is received at exactly one station or point of their township, in turn."""
    places_in: dict[str, list[str]] = defaultdict(list)
    for row in stations:
        places_in[_township_of(row["areaCode"])].append(row["id"])
    turn: dict[str, int] = defaultdict(int)
    rows = []
    for deputy in deputies:
        township = home_township(deputy)
        here = places_in[township]
        rows.append({"deputyId": deputy["id"], "placeId": here[turn[township] % len(here)]})
        turn[township] += 1
    return rows


def _handling(
    seed: int, places: Places, data: Dataset, finished: dict[str, dt.datetime]
) -> Dataset:
    """Departments, the handling of the 124 suggestions and Liulin's channel names."""
    departments = build_departments(places, "LL")
    handlers = Handlers("LL", frozenset(d["id"] for d in departments))

    def outcome(issue: dict[str, Any]) -> tuple[str, str | None] | None:
        if issue["status"] == IssueStatus.RESOLVED.value:
            return Outcome.RESOLVED.value, None
        if issue["status"] == IssueStatus.CLOSED.value:
            reason = LIULIN_ANSWERED_REASONS[int(issue["id"][-3:]) % len(LIULIN_ANSWERED_REASONS)]
            return Outcome.ANSWERED.value, reason
        return None

    rows = handlings(
        random.Random(f"{seed}:handling"),
        data["issues"],
        data["trackers"],
        data["contacts"],
        handlers,
        outcome,
        finished,
    )
    names = [{"areaCode": COUNTY, "channel": c, "name": n} for c, n in LIULIN_CHANNEL_NAMES]
    return {"departments": departments, "handlings": rows, "channelNames": names}


def _record(
    rng: random.Random, places: Places, data: Dataset
) -> tuple[Dataset, dict[str, dt.datetime]]:
    """124 STATION issues of which 24 RESOLVED, and a report-back (述职) per station (the
    activity days are :func:`~graphcoord.seeding.liulin_stations.build_station_days`'); and
    when each finished issue was finished."""
    received_at: dict[str, list[str]] = defaultdict(list)
    for row in data["receptions"]:
        received_at[row["placeId"]].append(row["deputyId"])
    activities: list[dict[str, Any]] = []
    attendances: list[dict[str, Any]] = []
    for station in data["stations"][: LIULIN_STATIONS["STATION"]]:
        activity_id = f"LL-A{len(activities) + 1:03d}"
        activities.append(
            {
                "id": activity_id,
                "title": f"{station['name']}人大代表向原选区选民述职",
                "date": dt.date(2023, 12, 28).isoformat(),
                "kind": "REPORT_BACK",
            }
        )
        attendances += [
            {"deputyId": d, "activityId": activity_id}
            for d in sorted(rng.sample(received_at[station["id"]], 3))
        ]
    issues, trackers, finished = _suggestions(rng, places, data)
    record: Dataset = {
        "activities": activities,
        "attendances": attendances,
        "issues": issues,
        "trackers": trackers,
    }
    return record, finished


def _suggestions(
    rng: random.Random, places: Places, data: Dataset
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dt.datetime]]:
    """124 suggestions via stations: 24 livelihood problems RESOLVED, the rest answered
    without being solved (CLOSED, no ``resolvedAt``), IN_PROGRESS or DISPATCHED; and when each
    RESOLVED or CLOSED one was finished."""
    contacts: dict[str, list[str]] = defaultdict(list)
    for row in data["contacts"]:
        contacts[row["areaCode"]].append(row["deputyId"])
    solved = LIULIN_RECORD["solved"]
    rest = LIULIN_RECORD["suggestions"] - solved
    statuses = [IssueStatus.RESOLVED] * solved + [IssueStatus.CLOSED] * (rest * 3 // 5)
    statuses += [IssueStatus.IN_PROGRESS] * (rest // 4)
    statuses += [IssueStatus.DISPATCHED] * (LIULIN_RECORD["suggestions"] - len(statuses))
    rng.shuffle(statuses)
    issues, trackers = [], []
    finished: dict[str, dt.datetime] = {}
    for n, status in enumerate(statuses, start=1):
        village = rng.choice(places.villages)
        categories = LIVELIHOOD if status is IssueStatus.RESOLVED else ()
        category, title, body = issue_text(
            rng, short_village(places.name(village)), categories, key=f"LL-I{n:03d}"
        )
        created = random_time(rng, *_RECORD_PERIOD)
        issue: dict[str, Any] = {
            "id": f"LL-I{n:03d}",
            "title": title,
            "body": body,
            "category": category,
            "channel": Channel.STATION.value,
            "status": status.value,
            "createdAt": created.isoformat(),
            "areaCode": village,
        }
        if status in (IssueStatus.RESOLVED, IssueStatus.CLOSED):
            finished[issue["id"]] = created + dt.timedelta(days=rng.randint(7, 90))
            if status is IssueStatus.RESOLVED:  # answered is not resolved
                issue["resolvedAt"] = finished[issue["id"]].isoformat()
        issues.append(issue)
        for deputy_id in sorted(rng.sample(contacts[village], min(2, len(contacts[village])))):
            trackers.append({"deputyId": deputy_id, "issueId": issue["id"]})
    _plant_topics(issues, places)
    return issues, trackers, finished


#: Topics told again in Liulin's own suggestions: the elderly's allowance paid late, and
#: houses cracking over the coal seams (采煤沉陷).
_LIULIN_TOPICS = ("allowance", "subsidence")


def _plant_topics(issues: list[dict[str, Any]], places: Places) -> None:
    """Tell each topic from three or four villages of one township: the reports of the latest
    year of the township with the most villages reporting that year (the first report of each
    village) get the topic's texts and category, so that the county's hot topics find them.
    No random draw: the counts, places, dates and statuses stay as they were."""
    taken: set[str] = set()
    for topic in _LIULIN_TOPICS:
        groups: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
        for issue in sorted(issues, key=lambda i: (i["createdAt"], i["id"])):
            if issue["id"] not in taken:
                key = (_township_of(issue["areaCode"]), issue["createdAt"][:4])
                groups[key].setdefault(issue["areaCode"], issue)
        fits = [
            (year, len(first), township, list(first.values())[:4])
            for (township, year), first in sorted(groups.items())
            if len(first) >= 3
        ]
        if not fits:
            continue
        _, _, township, chosen = max(fits, key=lambda fit: (fit[0], fit[1], fit[2]))
        for k, issue in enumerate(chosen):
            issue["category"], issue["title"], issue["body"] = topic_text(
                topic,
                k,
                short_village(places.name(issue["areaCode"])),
                short_township(places.name(township)),
            )
            taken.add(issue["id"])
