"""Suqian's opinions and proposals: a few hundred issues over every channel and status, their
12345 tickets and tracking deputies, escalations, and proposals of several congresses,
including the bonded-logistics-centre chain (county deputy -> national deputy -> NPC proposal
handled by the customs administration 海关总署), and three topics planted in November 2024 over
several villages (a township's bridge, a county's wage arrears, a bus line over two districts)
for the hot topics of the demo's month."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from graphcoord.model import Channel, Dataset, IssueStatus, Level
from graphcoord.seeding.issues_text import (
    issue_text,
    pick,
    random_time,
    short_township,
    short_village,
    topic_text,
)
from graphcoord.seeding.places import Places

__all__ = ["BONDED_ISSUE", "BONDED_PROPOSAL", "ISSUE_COUNT", "PLANTED_TOPICS", "build_issues"]

ISSUE_COUNT = 300  # besides the bonded-logistics issue and the planted topics
#: Topics planted in November 2024: (topic, counties, townships per county, villages per
#: township). One township of 沭阳县 (best placed: TOWNSHIP), three of 泗阳县 (COUNTY), and
#: one township each of 宿城区 and 宿豫区 (CITY).
PLANTED_TOPICS: tuple[tuple[str, tuple[str, ...], int, int], ...] = (
    ("bridge", ("321322",), 1, 5),
    ("wages", ("321323",), 3, 2),
    ("bus", ("321302", "321311"), 1, 2),
)
_PLANTED_MONTH = (dt.date(2024, 11, 4), dt.date(2024, 11, 29))
BONDED_ISSUE = "SQ-I0001"
BONDED_PROPOSAL = "SQ-P01"
_ECOMMERCE_TOWN = "321302101000"  # 宿城区耿车镇, the e-commerce town
_CHANNELS = (Channel.QR, Channel.COLLECTION_POINT, Channel.OBSERVATION_POINT, Channel.STATION)
_CHANNEL_WEIGHTS = (60, 20, 13, 7)
_STATUSES = tuple(IssueStatus)
_STATUS_WEIGHTS = (8, 12, 20, 35, 22, 3)
_YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
_ENTERPRISE_TITLES = (
    "企业反映用工短缺",
    "企业反映用电成本偏高",
    "企业反映惠企政策兑现慢",
    "企业反映物流成本高",
)


class _Index:
    """Lookups over an assembled dataset."""

    def __init__(self, data: Dataset) -> None:
        self.level = {d["id"]: Level(d["level"]) for d in data["deputies"]}
        self.liaison = {row["toId"]: row["fromId"] for row in data["liaisons"]}
        self.contacts: dict[str, list[str]] = defaultdict(list)
        for row in data["contacts"]:
            self.contacts[row["areaCode"]].append(row["deputyId"])
        self.lead_observer = {
            row["pointId"]: row["deputyId"] for row in data["observers"] if row["role"] == "LEAD"
        }

    def upward(self, deputy_id: str) -> list[str]:
        """The liaison chain from a deputy up to a national deputy."""
        chain = [deputy_id]
        while chain[-1] in self.liaison:
            chain.append(self.liaison[chain[-1]])
        return chain


def build_issues(rng: random.Random, places: Places, data: Dataset) -> Dataset:
    """Issues, trackers, escalations, proposals, sponsorships and addresses."""
    index = _Index(data)
    out: Dataset = {k: [] for k in ("issues", "trackers", "escalations")}
    _bonded(places, index, data, out)
    villages = places.villages
    points = data["observationPoints"]
    chains = {c["id"]: c["name"] for c in data["chains"]}
    for n in range(2, ISSUE_COUNT + 2):
        channel = rng.choices(_CHANNELS, _CHANNEL_WEIGHTS)[0]
        status = rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]
        issue: dict[str, Any] = {"id": f"SQ-I{n:04d}", "channel": channel.value}
        trackers: list[str]
        if channel is Channel.OBSERVATION_POINT:
            point = rng.choice(points)
            in_town = places.villages_of(point["areaCode"]) or villages
            issue["areaCode"] = rng.choice(in_town)
            issue["chainId"] = point["chainId"]
            title = point["enterprise"] + rng.choice(_ENTERPRISE_TITLES)
            issue.update(
                category="营商环境",
                title=title,
                body=f"观察点报告：{title}（{chains[point['chainId']]}）。",
            )
            trackers = [index.lead_observer[point["id"]]]
        else:
            village = rng.choice(villages)
            issue["areaCode"] = village
            category, title, body = issue_text(
                rng, short_village(places.name(village)), key=issue["id"]
            )
            issue.update(category=category, title=title, body=body)
            trackers = rng.sample(index.contacts[village], min(3, len(index.contacts[village])))
        created = random_time(rng, *_YEAR)
        issue.update(status=status.value, createdAt=created.isoformat())
        if channel is Channel.QR or status is not IssueStatus.RECEIVED:
            issue["ticket"] = f"12345-2024-{n:06d}"
        if channel is Channel.QR:
            issue["trackingCode"] = f"SHS-{rng.randrange(16**8):08X}"
        if status in (IssueStatus.RESOLVED, IssueStatus.CLOSED):
            resolved = created + dt.timedelta(days=rng.randint(2, 40), hours=rng.randint(0, 6))
            issue["resolvedAt"] = resolved.isoformat()
        out["issues"].append(issue)
        out["trackers"] += [{"deputyId": d, "issueId": issue["id"]} for d in sorted(set(trackers))]
        upper = index.liaison.get(trackers[0]) if trackers else None
        if status is IssueStatus.ESCALATED and upper:
            at = created + dt.timedelta(days=rng.randint(3, 20))
            out["escalations"].append(
                {
                    "issueId": issue["id"],
                    "deputyId": upper,
                    "at": at.isoformat(),
                    "reason": "本级难以解决，经代表联系人制度提交上级人大代表",
                }
            )
    out.update(_proposals(rng, data["deputies"], out))
    _planted(places, index, out)
    return out


def _planted(places: Places, index: _Index, out: Dataset) -> None:
    """The planted topics' issues (ids after the others), with a random stream of their own
    so that nothing else of the dataset changes."""
    n = ISSUE_COUNT + 2
    tz = dt.timezone(dt.timedelta(hours=8))
    for topic, counties, townships, per_township in PLANTED_TOPICS:
        rng = random.Random(f"planted-{topic}")
        villages: list[str] = []
        for county in counties:
            towns = [
                t
                for t in places.townships
                if t.startswith(county) and len(places.villages_of(t)) >= per_township
            ]
            for town in pick(towns, townships, f"{topic}-{county}"):
                villages += pick(places.villages_of(town), per_township, f"{topic}-{town}")
        for k, village in enumerate(villages):
            town = places.parent(village)
            category, title, body = topic_text(
                topic,
                k,
                short_village(places.name(village)),
                short_township(places.name(town)),
            )
            created = random_time(rng, *_PLANTED_MONTH).astimezone(tz)
            status = IssueStatus.IN_PROGRESS if k % 3 == 0 else IssueStatus.DISPATCHED
            issue = {
                "id": f"SQ-I{n:04d}",
                "title": title,
                "body": body,
                "category": category,
                "channel": Channel.QR.value,
                "ticket": f"12345-2024-{n:06d}",
                "status": status.value,
                "createdAt": created.isoformat(),
                "areaCode": village,
                "trackingCode": f"SHS-{rng.randrange(16**8):08X}",
            }
            out["issues"].append(issue)
            covering = sorted(index.contacts[village])[:3]
            out["trackers"] += [{"deputyId": d, "issueId": issue["id"]} for d in covering]
            n += 1


def _bonded(places: Places, index: _Index, data: Dataset, out: Dataset) -> None:
    """The 2024 bonded-logistics-centre idea of a county deputy of the e-commerce town."""
    county_deputy = next(
        d["id"]
        for d in data["deputies"]
        if d["level"] == Level.COUNTY.value and d["electedIn"] == _ECOMMERCE_TOWN
    )
    chain = index.upward(county_deputy)
    national = chain[-1]
    village = next(row["areaCode"] for row in data["contacts"] if row["deputyId"] == county_deputy)
    tz = dt.timezone(dt.timedelta(hours=8))
    out["issues"].append(
        {
            "id": BONDED_ISSUE,
            "title": "建议推进宿迁保税物流中心建设",
            "body": (
                "电商园区企业反映：宿迁市是江苏省内唯一没有设立保税监管场所的地级市，"
                "很多跨境电商企业难以落户，建议推进保税物流中心建设。"
            ),
            "category": "营商环境",
            "channel": Channel.STATION.value,
            "ticket": "12345-2024-000001",
            "status": IssueStatus.ESCALATED.value,
            "createdAt": dt.datetime(2024, 1, 8, 9, 30, tzinfo=tz).isoformat(),
            "areaCode": village,
            "chainId": "SQ-CH15",
        }
    )
    out["trackers"] += [{"deputyId": d, "issueId": BONDED_ISSUE} for d in sorted(set(chain))]
    out["escalations"].append(
        {
            "issueId": BONDED_ISSUE,
            "deputyId": national,
            "at": dt.datetime(2024, 1, 22, 10, 0, tzinfo=tz).isoformat(),
            "reason": "设立保税监管场所需国家层面审批，经代表联系人制度由在宿全国人大代表提出建议",
        }
    )
    assert index.level[national] is Level.NATIONAL, places.name(_ECOMMERCE_TOWN)


#: (id, title, level, session, status, handler, category of the issues it addresses)
_PROPOSALS: tuple[tuple[str, str, Level, str, str, str, str], ...] = (
    (
        "SQ-P02",
        "关于加快苏北农村供水管网改造的建议",
        Level.PROVINCIAL,
        "江苏省十四届人大二次会议",
        "HANDLED",
        "江苏省水利厅",
        "饮水安全",
    ),
    (
        "SQ-P03",
        "关于优化城区学校周边交通组织的建议",
        Level.CITY,
        "宿迁市人大2024年会议",
        "IN_PROGRESS",
        "宿迁市公安局",
        "教育",
    ),
    (
        "SQ-P04",
        "关于加强居家养老服务站运营的建议",
        Level.CITY,
        "宿迁市人大2024年会议",
        "HANDLED",
        "宿迁市民政局",
        "养老服务",
    ),
    (
        "SQ-P05",
        "关于实施农村路灯亮化工程的建议",
        Level.COUNTY,
        "宿城区人大2024年会议",
        "SUBMITTED",
        "宿城区交通运输局",
        "基础设施",
    ),
)


def _proposals(rng: random.Random, deputies: list[dict[str, Any]], out: Dataset) -> Dataset:
    """The NPC proposal on the bonded centre and same-level co-signed (同级联名) proposals."""
    national = next(e["deputyId"] for e in out["escalations"] if e["issueId"] == BONDED_ISSUE)
    by_level: dict[Level, list[str]] = defaultdict(list)
    county_of: dict[str, str] = {}
    for d in deputies:
        by_level[Level(d["level"])].append(d["id"])
        county_of[d["id"]] = str(d["electedIn"])[:6]
    proposals = [
        {
            "id": BONDED_PROPOSAL,
            "title": "关于支持宿迁设立保税物流中心（B型）的建议",
            "congressLevel": Level.NATIONAL.value,
            "session": "十四届全国人大二次会议",
            "status": "HANDLED",
            "handler": "海关总署",
        }
    ]
    co = rng.sample([d for d in by_level[Level.NATIONAL] if d != national], 2)
    sponsorships = [{"deputyId": national, "proposalId": BONDED_PROPOSAL, "role": "LEAD"}]
    sponsorships += [{"deputyId": d, "proposalId": BONDED_PROPOSAL, "role": "CO"} for d in co]
    addresses = [{"proposalId": BONDED_PROPOSAL, "issueId": BONDED_ISSUE}]
    for pid, title, level, session, status, handler, category in _PROPOSALS:
        proposals.append(
            {
                "id": pid,
                "title": title,
                "congressLevel": level.value,
                "session": session,
                "status": status,
                "handler": handler,
            }
        )
        lead = rng.choice(by_level[level])
        peers = [d for d in by_level[level] if d != lead and county_of[d] == county_of[lead]]
        sponsorships.append({"deputyId": lead, "proposalId": pid, "role": "LEAD"})
        sponsorships += [
            {"deputyId": d, "proposalId": pid, "role": "CO"} for d in rng.sample(peers, 2)
        ]
        matching = [i["id"] for i in out["issues"] if i["category"] == category]
        addresses += [{"proposalId": pid, "issueId": i} for i in matching[:3]]
    return {"proposals": proposals, "sponsorships": sponsorships, "addresses": addresses}
