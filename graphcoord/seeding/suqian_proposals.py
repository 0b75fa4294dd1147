"""Suqian's proposals (议案建议): the handling of the bonded-logistics chain and of the other
seeded proposals, the city congress's 2024 session (suggestions and motions with their units,
A/B/C replies, verdicts and re-handling), and the drafts the 30 collaborative groups reviewed
in the concentrated activity week of December 2024.

Everything here draws from its own random stream (``"<seed>:proposals"``), so the rest of the
dataset is the same with or without it. The proportions are stated in ``seeds/README.md``:
replies A 62 % / B 30 % / C 8 %, 95 % on time, 8 % complex (6 months), verdicts depending on
the class (about 2–3 % 不满意, which sends a proposal back once), 12 under key supervision.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from graphcoord.deadlines import ReplyStep, VerdictStep, proposal_reply_due, proposal_timeline
from graphcoord.model import (
    CHINA,
    JOINT_MOTION_SPONSORS,
    REVIEW,
    DepartmentKind,
    Level,
    ProposalKind,
    Satisfaction,
    congress_area,
)
from graphcoord.rules import activity_week
from graphcoord.seeding.places import Places

__all__ = [
    "CITY_SESSION",
    "NEXT_CITY_SESSION",
    "SESSION_MOTIONS",
    "SESSION_SUGGESTIONS",
    "build_proposals",
]

#: The city congress's 2024 session (the seed's label; the session opened on 16 January).
CITY_SESSION = "宿迁市人大2024年会议"
#: The session the drafts of the December 2024 activity week are meant for.
NEXT_CITY_SESSION = "宿迁市人大2025年会议"
#: Generated proposals of the 2024 session besides the two of ``suqian_issues`` (SQ-P03/04).
SESSION_SUGGESTIONS = 334
SESSION_MOTIONS = 6
CITY = "321300000000"
PROVINCE = "320000000000"
_SUBMITTED = dt.date(2024, 1, 16)
_ASSIGNED = dt.datetime(2024, 2, 27, 10, 0, tzinfo=CHINA)  # the assignment meeting (交办会)
_SUPERVISED_AT = dt.datetime(2024, 3, 5, 10, 0, tzinfo=CHINA)
_SUPERVISED = 12
_CATEGORY_WEIGHTS = (62, 30, 8)
#: Verdicts (满意, 基本满意, 不满意) per class of reply.
_VERDICTS = {"A": (94, 5, 1), "B": (85, 12, 3), "C": (60, 30, 10)}
_SATISFACTIONS = tuple(Satisfaction)
_ON_TIME = 0.95
_COMPLEX = 0.08

#: City handling units besides those of the issues' handling: (id suffix, name, the category
#: of citizens' issues they answer, what suggestions ask of them).
_UNITS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("EDU", "宿迁市教育局", "教育", ("改善农村学校寄宿条件", "缓解城区学校大班额问题",
                                  "加强中小学生心理健康教育", "提升学校课后服务质量")),
    ("HEALTH", "宿迁市卫生健康委员会", "医疗卫生", ("加强村卫生室标准化建设",
                                               "缓解基层医疗卫生人才短缺",
                                               "推进紧密型县域医共体建设", "完善家庭医生签约服务")),
    ("CIVIL", "宿迁市民政局", "养老服务", ("加强居家养老服务站运营", "推进农村互助养老",
                                        "完善困难群众救助机制")),
    ("PSB", "宿迁市公安局", "道路交通", ("优化城区学校周边交通组织", "加强电动自行车安全管理",
                                      "治理城区交通拥堵节点")),
    ("HOUSING", "宿迁市住房和城乡建设局", "基础设施", ("加快老旧小区改造", "规范住宅小区物业服务",
                                                  "加强城市排水防涝设施建设")),
    ("AGRI", "宿迁市农业农村局", "农业农村", ("发展稻虾共作特色产业", "加强高标准农田建后管护",
                                           "扶持家庭农场和农民合作社发展")),
    ("HRSS", "宿迁市人力资源和社会保障局", "劳动就业", ("保障农民工工资按时足额支付",
                                                   "促进高校毕业生留宿就业", "加强技能人才培养")),
    ("MIIT", "宿迁市工业和信息化局", "营商环境", ("支持新型储能产业发展", "推动中小企业数字化转型")),
    ("COMMERCE", "宿迁市商务局", "营商环境", ("支持跨境电商发展", "完善县域商业体系")),
    ("CULTURE", "宿迁市文化广电和旅游局", "其他", ("加强非物质文化遗产保护传承",
                                              "打造运河文化旅游品牌")),
    ("MARKET", "宿迁市市场监督管理局", "其他", ("加强校园食品安全监管", "规范农村集贸市场秩序")),
    ("URBAN", "宿迁市城市管理局", "环境卫生", ("增加城区公共停车泊位", "推进生活垃圾分类")),
    ("WATERRES", "宿迁市水利局", "饮水安全", ("加强农村河道长效管护", "推进农村供水保障工程")),
    ("MEDINS", "宿迁市医疗保障局", "医疗卫生", ("扩大异地就医直接结算范围", "完善门诊慢特病待遇保障")),
    # units of the issues' handling (suqian.SUQIAN_CITY_UNITS): their rows exist already
    ("BIZ", "", "营商环境", ("优化政务服务“一件事”办理", "提升惠企政策兑现效率")),
    ("TRANSPORT", "", "道路交通", ("加密农村公交班次", "加强农村公路养护")),
    ("ECOLOGY", "", "环境卫生", ("加强农村生活污水治理", "加强骆马湖生态保护")),
    ("WATERCO", "", "饮水安全", ("推进城乡区域供水管网改造",)),
)  # fmt: skip
#: Motions of the session (议案): what they ask the congress to make.
_MOTIONS: tuple[tuple[str, str], ...] = (
    ("关于制定《宿迁市电动自行车管理条例》的议案", "PSB"),
    ("关于制定《宿迁市农村生活污水治理条例》的议案", "ECOLOGY"),
    ("关于制定《宿迁市居家养老服务条例》的议案", "CIVIL"),
    ("关于制定《宿迁市古黄河保护条例》的议案", "WATERRES"),
    ("关于制定《宿迁市物业管理条例》的议案", "HOUSING"),
    ("关于制定《宿迁市非物质文化遗产保护条例》的议案", "CULTURE"),
)
#: The names of the units of the issues' handling (their rows exist already).
_EXISTING_NAMES = {
    "BIZ": "宿迁市政务服务管理办公室",
    "TRANSPORT": "宿迁市交通运输局",
    "ECOLOGY": "宿迁市生态环境局",
    "WATERCO": "宿迁市水务集团有限公司",
}
_REPLIES = {
    "A": "经研究，所提问题已解决（或基本解决），具体措施如下：",
    "B": "所提建议已列入工作计划，将分步实施、逐步解决：",
    "C": "受资金和政策条件限制，所提问题目前难以解决，将作为今后工作的参考：",
}
_REVIEW_COMMENTS = (
    "建议补充调研数据，明确责任部门",
    "涉及上级事权，建议联系上级代表跨层级提出",
    "与其他代表关注的问题相同，建议同级联名提出",
    "问题清楚、建议可行，修改后提交",
)


def _unit_id(suffix: str) -> str:
    return f"SQ-DEP-3213-{suffix}"


def _departments() -> list[dict[str, Any]]:
    """The city's units that handle proposals, the provincial water department and the
    customs administration (located nowhere in Suqian's areas)."""
    rows: list[dict[str, Any]] = [
        {"id": _unit_id(s), "name": name, "kind": DepartmentKind.CITY_BUREAU.value,
         "areaCode": CITY}
        for s, name, _, _ in _UNITS
        if name
    ]  # fmt: skip
    rows.append(
        {"id": "JS-DEP-32-WATER", "name": "江苏省水利厅",
         "kind": DepartmentKind.PROVINCIAL_BUREAU.value, "areaCode": PROVINCE}
    )  # fmt: skip
    rows.append(
        {"id": "CN-DEP-GACC", "name": "海关总署", "kind": DepartmentKind.NATIONAL_AUTHORITY.value}
    )
    return rows


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time in office hours on ``day`` (China)."""
    return dt.datetime(day.year, day.month, day.day, rng.randint(9, 16), rng.choice((0, 30)),
                       tzinfo=CHINA)  # fmt: skip


class _Handling:
    """Draws the replies and verdicts of one proposal."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def row(
        self,
        proposal_id: str,
        lead_unit: str,
        assisting: list[str],
        assigned: dt.datetime,
        *,
        category: str | None = None,
        satisfaction: str | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        complex_ = rng.random() < _COMPLEX
        due = proposal_reply_due(assigned.date(), complex_=complex_)
        if rng.random() < _ON_TIME:
            day = assigned.date() + dt.timedelta(days=rng.randint(30, (due - assigned.date()).days))
        else:
            day = due + dt.timedelta(days=rng.randint(3, 25))
        first = category or rng.choices("ABC", _CATEGORY_WEIGHTS)[0]
        replies = [ReplyStep(1, _at(rng, day), first, _REPLIES[first] + "（详见答复函）")]
        verdict = satisfaction or rng.choices(_SATISFACTIONS, _VERDICTS[first])[0].value
        rated = _at(rng, day + dt.timedelta(days=rng.randint(5, 25)))
        verdicts = [VerdictStep(1, rated, verdict)]
        if verdict == Satisfaction.DISSATISFIED.value:
            again = {"C": "B", "B": "A", "A": "A"}[first] if rng.random() < 0.5 else first
            second = rated + dt.timedelta(days=rng.randint(10, 28))
            replies.append(ReplyStep(2, second, again, _REPLIES[again] + "（重新办理后再次答复）"))
            final = rng.choices(_SATISFACTIONS, (60, 35, 5))[0].value
            verdicts.append(VerdictStep(2, second + dt.timedelta(days=rng.randint(3, 12)), final,
                                        "重新办理后"))  # fmt: skip
        facts = proposal_timeline(assigned, complex_=complex_, replies=replies, verdicts=verdicts)
        return {"proposalId": proposal_id, "leadUnitId": lead_unit, "assistingUnitIds": assisting,
                **facts}  # fmt: skip


def build_proposals(
    seed: int, places: Places, data: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """Proposals, sponsorships, addresses, contributions, handlings, departments, review
    activities and reviews to add to the dataset (``data``: what it holds so far)."""
    rng = random.Random(f"{seed}:proposals")
    handling = _Handling(rng)
    deputies = {d["id"]: d for d in data["deputies"]}
    by_level: dict[str, list[str]] = defaultdict(list)
    for d in data["deputies"]:
        by_level[d["level"]].append(d["id"])
    out: dict[str, list[dict[str, Any]]] = {
        "proposals": [], "sponsorships": [], "addresses": [], "contributions": [],
        "proposalHandlings": [], "departments": _departments(), "activities": [],
        "attendances": [], "reviews": [],
    }  # fmt: skip
    _seeded(rng, handling, data, deputies, out)
    _session(rng, handling, places, data, deputies, by_level, out)
    _week(rng, places, data, deputies, out)
    return out


def _seeded(
    rng: random.Random,
    handling: _Handling,
    data: dict[str, list[dict[str, Any]]],
    deputies: dict[str, dict[str, Any]],
    out: dict[str, list[dict[str, Any]]],
) -> None:
    """The bonded-logistics suggestion to the NPC (its contributor: the county deputy who found
    the problem; handled by 海关总署), the provincial and county ones of ``suqian_issues``."""
    by_id = {p["id"]: p for p in data["proposals"]}
    bonded = by_id["SQ-P01"]
    finder = next(
        t["deputyId"]
        for t in data["trackers"]
        if t["issueId"] == "SQ-I0001" and deputies[t["deputyId"]]["level"] == Level.COUNTY.value
    )
    bonded.update(
        kind=ProposalKind.SUGGESTION.value,
        submittedOn="2024-03-05",
        body=(
            "宿迁市是江苏省内唯一没有设立保税监管场所的地级市，很多跨境电商企业难以落户。"
            "电商园区的县级人大代表在联系企业时发现这一问题，经代表联系人制度提请在宿全国人大"
            "代表形成建议：支持宿迁设立保税物流中心（B型）。"
        ),
    )
    out["contributions"].append(
        {"deputyId": finder, "proposalId": "SQ-P01",
         "note": "发现并提出问题：电商园区企业反映宿迁没有保税监管场所"}
    )  # fmt: skip
    gacc = dt.datetime(2024, 3, 28, 10, 0, tzinfo=CHINA)
    out["proposalHandlings"].append(
        handling.row("SQ-P01", "CN-DEP-GACC", [], gacc, category="B", satisfaction="SATISFIED")
    )
    water = dt.datetime(2024, 2, 20, 10, 0, tzinfo=CHINA)
    out["proposalHandlings"].append(
        handling.row("SQ-P02", "JS-DEP-32-WATER", [], water, category="A",
                     satisfaction="SATISFIED")
    )  # fmt: skip
    by_id["SQ-P02"].update(kind=ProposalKind.SUGGESTION.value, submittedOn="2024-01-23")
    roads = dt.datetime(2024, 2, 22, 10, 0, tzinfo=CHINA)
    out["proposalHandlings"].append(
        handling.row("SQ-P05", "SQ-DEP-321302-TRANSPORT", [], roads, category="B")
    )
    by_id["SQ-P05"].update(kind=ProposalKind.SUGGESTION.value, submittedOn="2024-01-09")
    for pid in ("SQ-P01", "SQ-P02", "SQ-P05"):
        lead = next(s["deputyId"] for s in data["sponsorships"]
                    if s["proposalId"] == pid and s["role"] == "LEAD")  # fmt: skip
        by_id[pid]["congressAreaCode"] = congress_area(
            deputies[lead]["level"], deputies[lead].get("electedIn")
        )
    _statuses(data["proposals"], out["proposalHandlings"])


def _statuses(proposals: list[dict[str, Any]], handlings: list[dict[str, Any]]) -> None:
    """A proposal row says the status its handling led to (and its lead unit's name)."""
    facts = {h["proposalId"]: h for h in handlings}
    for p in proposals:
        if p["id"] in facts:
            p["status"] = facts[p["id"]]["status"]


def _session(
    rng: random.Random,
    handling: _Handling,
    places: Places,
    data: dict[str, list[dict[str, Any]]],
    deputies: dict[str, dict[str, Any]],
    by_level: dict[str, list[str]],
    out: dict[str, list[dict[str, Any]]],
) -> None:
    """The city congress's 2024 session: SQ-P03/04 and the generated suggestions and motions,
    all assigned at the assignment meeting, replied to, rated (some re-handled)."""
    city = sorted(by_level[Level.CITY.value])
    county_of = {d: str(deputies[d]["electedIn"])[:6] for d in city}
    peers: dict[str, list[str]] = defaultdict(list)
    for d in city:
        peers[county_of[d]].append(d)
    units = {s: (cat, subjects) for s, _, cat, subjects in _UNITS}
    names = {s: name for s, name, _, _ in _UNITS if name}
    names.update(_EXISTING_NAMES)
    session: list[tuple[str, str, str]] = [
        ("SQ-P03", "PSB", ProposalKind.SUGGESTION.value),
        ("SQ-P04", "CIVIL", ProposalKind.SUGGESTION.value),
    ]
    by_id = {p["id"]: p for p in data["proposals"]}
    for pid, _, _ in session:
        by_id[pid].update(
            kind=ProposalKind.SUGGESTION.value,
            submittedOn=_SUBMITTED.isoformat(),
            congressAreaCode=CITY,
        )
    contributors_of: dict[str, list[str]] = defaultdict(list)
    for d in sorted(deputies):
        if deputies[d]["level"] in (Level.COUNTY.value, Level.TOWNSHIP.value):
            contributors_of[str(deputies[d]["electedIn"])[:6]].append(d)
    suffixes = sorted(units)
    generated: list[dict[str, Any]] = []
    for n in range(1, SESSION_MOTIONS + SESSION_SUGGESTIONS + 1):
        motion = n <= SESSION_MOTIONS
        lead = rng.choice(city)
        if motion:
            title, suffix = _MOTIONS[n - 1]
            pid = f"SQ-M2024-{n:02d}"
            need = JOINT_MOTION_SPONSORS[Level.CITY.value] - 1
            co = rng.sample([d for d in city if d != lead], need + rng.randint(0, 6))
        else:
            suffix = rng.choice(suffixes)
            subject = rng.choice(units[suffix][1])
            county = places.name(county_of[lead] + "000000")
            title = rng.choice(
                (
                    f"关于{subject}的建议",
                    f"关于进一步{subject}的建议",
                    f"关于{county}{subject}的建议",
                )
            )
            pid = f"SQ-P2024-{n - SESSION_MOTIONS:03d}"
            size = rng.choices((0, rng.randint(1, 3), rng.randint(4, 9)), (65, 30, 5))[0]
            pool = [d for d in peers[county_of[lead]] if d != lead]
            co = rng.sample(pool, min(size, len(pool)))
        kind = ProposalKind.MOTION if motion else ProposalKind.SUGGESTION
        generated.append(
            {
                "id": pid,
                "title": title,
                "kind": kind.value,
                "congressLevel": Level.CITY.value,
                "congressAreaCode": CITY,
                "session": CITY_SESSION,
                "status": "SUBMITTED",
                "submittedOn": _SUBMITTED.isoformat(),
                "handler": names[suffix],
            }
        )
        out["sponsorships"].append({"deputyId": lead, "proposalId": pid, "role": "LEAD"})
        out["sponsorships"] += [{"deputyId": d, "proposalId": pid, "role": "CO"} for d in co]
        if not motion and rng.random() < 0.15 and contributors_of[county_of[lead]]:
            finder = rng.choice(contributors_of[county_of[lead]])
            out["contributions"].append(
                {"deputyId": finder, "proposalId": pid, "note": "提供基层调研情况"}
            )
        session.append((pid, suffix, kind.value))
    out["proposals"] += generated
    _origins(data, session, units, out)
    motions = [pid for pid, _, kind in session if kind == ProposalKind.MOTION.value]
    rest = [pid for pid, _, kind in session if kind != ProposalKind.MOTION.value]
    supervised = set(motions[:2]) | set(rng.sample(rest, _SUPERVISED - 2))
    for pid, suffix, _ in session:
        assisting: list[str] = []
        if rng.random() < 0.25:
            assisting = [_unit_id(rng.choice([u for u in suffixes if u != suffix]))]
        row = handling.row(pid, _unit_id(suffix), assisting, _ASSIGNED)
        if pid in supervised:
            row.update(
                supervisedAt=_SUPERVISED_AT.isoformat(),
                supervisionNote="列为2024年度市人大常委会重点督办建议",
            )
        out["proposalHandlings"].append(row)
    _statuses(data["proposals"] + generated, out["proposalHandlings"])


def _origins(
    data: dict[str, list[dict[str, Any]]],
    session: list[tuple[str, str, str]],
    units: dict[str, tuple[str, tuple[str, ...]]],
    out: dict[str, list[dict[str, Any]]],
) -> None:
    """Citizens' issues raised before the session become the origin of a suggestion of the
    unit that answers their category (the first such suggestion not carrying one yet)."""
    cutoff = dt.datetime.combine(_SUBMITTED, dt.time(), CHINA)
    early = sorted(
        (
            i
            for i in data["issues"]
            if i["id"] != "SQ-I0001" and dt.datetime.fromisoformat(i["createdAt"]) < cutoff
        ),
        key=lambda i: str(i["id"]),
    )
    taken: set[str] = set()
    for issue in early:
        for pid, suffix, kind in session:
            if pid in taken or kind != ProposalKind.SUGGESTION.value:
                continue
            if units[suffix][0] == issue["category"]:
                out["addresses"].append({"proposalId": pid, "issueId": issue["id"]})
                taken.add(pid)
                break


def _week(
    rng: random.Random,
    places: Places,
    data: dict[str, list[dict[str, Any]]],
    deputies: dict[str, dict[str, Any]],
    out: dict[str, list[dict[str, Any]]],
) -> None:
    """Drafts for the 2025 sessions that the 30 collaborative groups went through at a review
    meeting (小组会议) in the activity week of December 2024; a third of the groups keep a
    second draft in their review queue."""
    start, _ = activity_week(2024)
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for m in data["memberships"]:
        members[m["groupId"]].append((m["deputyId"], m["role"]))
    tracked: dict[str, list[str]] = defaultdict(list)
    for t in data["trackers"]:
        tracked[t["deputyId"]].append(t["issueId"])
    subjects = [subject for _, _, _, items in _UNITS for subject in items]
    n = 0
    for group in (g for g in data["groups"] if g["kind"] == "COLLABORATIVE"):
        people = [d for d, _ in members[group["id"]]]
        convener = next(d for d, role in members[group["id"]] if role == "CONVENER")
        leads = rng.sample(people, 2 if rng.random() < 1 / 3 else 1)
        day = start + dt.timedelta(days=rng.randrange(5))
        activity = f"SQ-RV{len(out['activities']) + 1:03d}"
        out["activities"].append(
            {
                "id": activity,
                "groupId": group["id"],
                "kind": REVIEW,
                "date": day.isoformat(),
                "title": f"{group['name']}代表集中活动周议案建议交流会",
            }
        )
        present = {convener}
        for k, lead in enumerate(leads):
            n += 1
            pid = f"SQ-PD{n:03d}"
            level = deputies[lead]["level"]
            out["proposals"].append(
                {
                    "id": pid,
                    "title": f"关于{rng.choice(subjects)}的建议",
                    "kind": ProposalKind.SUGGESTION.value,
                    "congressLevel": level,
                    "congressAreaCode": congress_area(level, deputies[lead].get("electedIn")),
                    "session": _next_session(places, deputies[lead]),
                    "status": "DRAFT",
                    "draftedOn": day.isoformat(),
                }
            )
            out["sponsorships"].append({"deputyId": lead, "proposalId": pid, "role": "LEAD"})
            same = [d for d in people if d != lead and _same_congress(deputies, d, lead)]
            if same and rng.random() < 0.5:
                out["sponsorships"].append(
                    {"deputyId": rng.choice(same), "proposalId": pid, "role": "CO"}
                )
            lower = [d for d in people if Level(deputies[d]["level"]).rank > Level(level).rank]
            if lower and rng.random() < 0.4:
                out["contributions"].append(
                    {"deputyId": rng.choice(lower), "proposalId": pid, "note": "提供基层意见"}
                )
            out["addresses"] += [
                {"proposalId": pid, "issueId": i} for i in sorted(tracked[lead])[:2]
            ]
            if k == 1:  # the second draft waits for the group's next meeting
                continue
            out["reviews"].append(
                {"activityId": activity, "proposalId": pid, "comment": rng.choice(_REVIEW_COMMENTS)}
            )
            present.add(lead)
        out["attendances"] += [{"deputyId": d, "activityId": activity} for d in sorted(present)]


def _same_congress(deputies: dict[str, dict[str, Any]], a: str, b: str) -> bool:
    one, other = deputies[a], deputies[b]
    return one["level"] == other["level"] and congress_area(
        one["level"], one.get("electedIn")
    ) == congress_area(other["level"], other.get("electedIn"))


def _next_session(places: Places, deputy: dict[str, Any]) -> str:
    """The 2025 session of the deputy's congress."""
    level = deputy["level"]
    if level == Level.NATIONAL.value:
        return "十四届全国人大三次会议"
    if level == Level.PROVINCIAL.value:
        return "江苏省人大2025年会议"
    if level == Level.CITY.value:
        return NEXT_CITY_SESSION
    return f"{places.name(str(congress_area(level, deputy.get('electedIn'))))}人大2025年会议"
