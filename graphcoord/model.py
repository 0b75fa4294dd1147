"""Domain vocabulary shared by every layer: enums of the graph model and the row shapes.

Rows are plain dicts with camelCase keys, exactly the property names stored in Neo4j plus the
keys of the nodes they link to. Seeds, the importer and the GraphQL mutations all produce
rows; ``graphcoord/services/dataset.py`` writes them (rules checked) with the ``UNWIND $rows``
batches of ``graphcoord/queries/``. One shape, one write path.

Row kinds (``Dataset`` keys) and their keys; ``?`` marks optional keys:

- ``areas``: code, name, kind, parentCode?, population?
- ``deputies``: id, name, level, gender?, occupation?, workUnit?, sectors? (list), phone?,
  status, term?, electedIn? (area code), baseArea? (area code of home/work)
- ``contacts``: deputyId, areaCode, basis
- ``collectionPoints``: id, name, kind, areaCode
- ``stations``: id, name, kind (STATION/POINT), monthlyActivityDay?, areaCode
- ``receptions``: deputyId, placeId (a collection point or station id)
- ``clusters``: id, name; ``chains``: id, name, clusterId
- ``observationPoints``: id, name, enterprise, role, chainId, areaCode?
- ``observers``: deputyId, pointId, role; ``chainWorkers``: deputyId, chainId
- ``groups``: id, name, kind, room?, theme?, areaCode?
- ``memberships``: deputyId, groupId, role (CONVENER/MEMBER)
- ``activities``: id, groupId?, title, date (ISO), kind, series?
- ``activityDays``: id, stationId, title, date (ISO), topic, notice?, noticePublishedAt?
  (ISO datetime), voterCount? — a station's activity day (``kind`` ACTIVITY_DAY)
- ``duties``: deputyId, activityId (the duty roster of an activity day, 进站编组)
- ``attendances``: deputyId, activityId
- ``campaigns``: id, title, citizenCount; ``participations``: deputyId, campaignId
- ``liaisons``: fromId (higher level), toId (lower level)
- ``issues``: id, title, body, category, channel, ticket?, status, createdAt, resolvedAt?,
  areaCode, chainId?, trackingCode?
- ``trackers``: deputyId, issueId; ``escalations``: issueId, deputyId, at, reason
- ``proposals``: id, title, congressLevel, session, status, handler?, kind?, body?,
  congressAreaCode?, draftedOn?, submittedOn? (ISO dates) — ``handler`` is the name of the
  lead handling unit, for reading
- ``sponsorships``: deputyId, proposalId, role (LEAD/CO); ``addresses``: proposalId, issueId
- ``stationIssues``: issueId, stationId, activityId? (an issue received at a station, during
  one of its activity days)
- ``departments``: id, name, kind, areaCode (handling units, 承办单位)
- ``handlings``: issueId and the handling facts of an issue (clock, claim, assignment, replies,
  outcome, verdict): see :mod:`graphcoord.queries.handling`
- ``channelNames``: areaCode, channel, name (what a city calls a channel, e.g. 宿话说)
- ``contributions``: deputyId, proposalId, note? (a deputy of another congress who
  contributed to a proposal: the cross-level collaboration)
- ``proposalHandlings``: proposalId, leadUnitId, assistingUnitIds and the handling facts of a
  proposal (assignment, reply deadline, replies, verdicts, re-handling, supervision), as
  :func:`graphcoord.deadlines.proposal_timeline` makes them
- ``reviews``: activityId, proposalId, comment? (a group's review meeting of a draft, an
  ``Activity`` of kind REVIEW held by the group)
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

__all__ = [
    "ACTIVITY_DAY",
    "ACTIVITY_DAY_LIMITS",
    "ACTIVITY_WEEK_OF_DECEMBER",
    "ANSWERED_OUTCOMES",
    "AREA_CODE",
    "AREA_KIND_BY_CODE_LENGTH",
    "AREA_KIND_NAMES",
    "AWAITING_REPLY",
    "BALLOT_CODE",
    "CATEGORIES",
    "CATEGORY_FLAG_CONFIDENCE",
    "CHANNEL_NAMES",
    "CHINA",
    "CLOSED_STATUSES",
    "COLLECTION_POINT_KIND_NAMES",
    "COLOUR_NAMES",
    "DEFAULT_ACTIVITY_DAY_OF_MONTH",
    "DEFAULT_ACTIVITY_TOPIC",
    "DEPARTMENT_KIND_NAMES",
    "DEPUTY_CODE",
    "DEPUTY_KEYS",
    "EVENT_NAMES",
    "HANDLER_ROLE_NAMES",
    "IDLE_MONTHS",
    "JOINT_MOTION_SPONSORS",
    "LEVEL_NAMES",
    "LEVEL_SHORT_NAMES",
    "LOCKOUT_FAILURES",
    "LOCKOUT_MINUTES",
    "MAX_BALLOTS",
    "MAX_BALLOT_COMMENT",
    "MAX_DUTY_ROSTER",
    "MAX_ORIGIN_ISSUES",
    "MAX_PROPOSAL_HANDLERS",
    "MAX_REOPENINGS",
    "MAX_REVIEWED_DRAFTS",
    "MAX_SCHEDULE_DAYS",
    "MAX_VOTER_COUNT",
    "MIN_PASSWORD_LENGTH",
    "OPEN_STATUSES",
    "OUTCOMES_WITH_REASON",
    "OUTCOME_NAMES",
    "PROPOSAL_COMPLEX_REPLY_MONTHS",
    "PROPOSAL_EVENT_NAMES",
    "PROPOSAL_KIND_NAMES",
    "PROPOSAL_LIMITS",
    "PROPOSAL_OPEN_STATUSES",
    "PROPOSAL_REHANDLING_MONTHS",
    "PROPOSAL_REPLY_MONTHS",
    "PROPOSAL_STATUS_NAMES",
    "PROPOSAL_YELLOW_WITHIN",
    "PUBLIC_EVENTS",
    "RECORD_YEARS",
    "REPLY_CATEGORY_NAMES",
    "REPORT_BACK",
    "REPORT_BACK_STATUS_NAMES",
    "RESOLVED_OUTCOMES",
    "REVIEW",
    "ROW_KINDS",
    "SATISFACTION_NAMES",
    "SATISFIED_VERDICTS",
    "SESSION_IDLE_MINUTES",
    "SPONSOR_ROLE_NAMES",
    "STAGE_NAMES",
    "STATION_KIND_NAMES",
    "STATUS_NAMES",
    "SUBMISSION_KEY",
    "SUBMISSION_LIMITS",
    "SUPERVISION_THEMES",
    "THEME_ALIASES",
    "TRANSITIONS",
    "USERNAME_PATTERN",
    "VILLAGE_KINDS",
    "WORK_KIND_NAMES",
    "AreaKind",
    "AuditAction",
    "Basis",
    "Channel",
    "CollectionPointKind",
    "Dataset",
    "DepartmentKind",
    "DeputyStatus",
    "GroupKind",
    "HandlerRole",
    "HandlingEventKind",
    "HandlingStage",
    "IssueStatus",
    "Level",
    "ObservationRole",
    "Outcome",
    "ProposalEventKind",
    "ProposalKind",
    "ProposalStatus",
    "ReplyCategory",
    "ReportBackStatus",
    "Satisfaction",
    "SponsorRole",
    "StationKind",
    "SupervisionColour",
    "WorkKind",
    "basis_for_level",
    "congress_area",
    "is_area_code",
    "is_village_kind",
    "now_in_china",
    "parent_code",
    "significant_length",
    "township_code",
]


#: China Standard Time: the practice's days (a report's dates, a ticket's year) are China's.
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def now_in_china() -> dt.datetime:
    """Now, in China time, to the second (what an issue's history records)."""
    return dt.datetime.now(CHINA).replace(microsecond=0)


class Level(StrEnum):
    """The five levels of people's congress, highest first."""

    NATIONAL = "NATIONAL"
    PROVINCIAL = "PROVINCIAL"
    CITY = "CITY"
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"

    @property
    def rank(self) -> int:
        """0 for NATIONAL … 4 for TOWNSHIP: a smaller rank is a higher level."""
        return list(Level).index(self)

    @property
    def directly_elected(self) -> bool:
        """County and township deputies are elected directly in constituencies."""
        return self in DIRECTLY_ELECTED


class AreaKind(StrEnum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"
    VILLAGE = "VILLAGE"
    COMMUNITY = "COMMUNITY"


#: The kinds of the contact units (村/社区): villages and communities.
VILLAGE_KINDS: tuple[str, ...] = (AreaKind.VILLAGE.value, AreaKind.COMMUNITY.value)


def is_village_kind(kind: str | None) -> bool:
    """Whether an area of ``kind`` is a contact unit (a village or a community)."""
    return kind in VILLAGE_KINDS


class Basis(StrEnum):
    ORIGINAL_CONSTITUENCY = "ORIGINAL_CONSTITUENCY"
    NEAR_HOME_OR_WORK = "NEAR_HOME_OR_WORK"


class GroupKind(StrEnum):
    COLLABORATIVE = "COLLABORATIVE"
    SUPERVISION = "SUPERVISION"
    DEPUTY_TEAM = "DEPUTY_TEAM"


class ObservationRole(StrEnum):
    LEAD = "LEAD"
    COLLABORATIVE = "COLLABORATIVE"


class Channel(StrEnum):
    QR = "QR"
    COLLECTION_POINT = "COLLECTION_POINT"
    STATION = "STATION"
    OBSERVATION_POINT = "OBSERVATION_POINT"


class IssueStatus(StrEnum):
    RECEIVED = "RECEIVED"
    DISPATCHED = "DISPATCHED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    ESCALATED = "ESCALATED"


#: The status machine of an issue (rule ``issue-status-machine``): where each status may go.
#:
#: RECEIVED -> DISPATCHED -> IN_PROGRESS -> RESOLVED -> CLOSED, and DISPATCHED | IN_PROGRESS ->
#: ESCALATED -> IN_PROGRESS | RESOLVED.
TRANSITIONS: dict[IssueStatus, frozenset[IssueStatus]] = {
    IssueStatus.RECEIVED: frozenset({IssueStatus.DISPATCHED}),
    IssueStatus.DISPATCHED: frozenset({IssueStatus.IN_PROGRESS, IssueStatus.ESCALATED}),
    IssueStatus.IN_PROGRESS: frozenset({IssueStatus.RESOLVED, IssueStatus.ESCALATED}),
    IssueStatus.ESCALATED: frozenset({IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED}),
    IssueStatus.RESOLVED: frozenset({IssueStatus.CLOSED}),
    IssueStatus.CLOSED: frozenset(),
}
#: Statuses in which an issue no longer counts in a deputy's open load.
CLOSED_STATUSES: tuple[str, ...] = (IssueStatus.RESOLVED.value, IssueStatus.CLOSED.value)
#: Statuses of an issue still being handled.
OPEN_STATUSES: tuple[str, ...] = tuple(s.value for s in IssueStatus if s not in CLOSED_STATUSES)

#: Categories a citizen can choose on the public form (those of the seeded data, and “other”).
CATEGORIES: tuple[str, ...] = (
    "道路交通",
    "饮水安全",
    "环境卫生",
    "教育",
    "医疗卫生",
    "养老服务",
    "劳动就业",
    "农业农村",
    "基础设施",
    "营商环境",
    "其他",
)
#: A suggested category at least this probable that differs from the citizen's choice flags
#: the issue for an organizer (rule ``category-suggestion``). On the corpus's training split
#: (cross-validated), suggestions this confident were right 97 % of the time.
CATEGORY_FLAG_CONFIDENCE = 0.5
#: Deputies of the same level who may jointly sign a motion (议案): the lead and co-sponsors
#: together, per congress level; a hot topic suggests up to this many co-sponsors.
JOINT_MOTION_SPONSORS: dict[str, int] = {
    "NATIONAL": 30,
    "PROVINCIAL": 10,
    "CITY": 10,
    "COUNTY": 10,
    "TOWNSHIP": 5,
}
#: (min, max) characters of a submission's texts after trimming; a minimum of 0 is optional.
SUBMISSION_LIMITS: dict[str, tuple[int, int]] = {
    "title": (4, 60),
    "body": (10, 2000),
    "contact": (0, 60),
}

#: What citizens and clerks read for each level.
LEVEL_NAMES: dict[str, str] = {
    Level.NATIONAL: "全国人大代表",
    Level.PROVINCIAL: "省人大代表",
    Level.CITY: "市人大代表",
    Level.COUNTY: "县（区）人大代表",
    Level.TOWNSHIP: "乡镇（街道）人大代表",
}
#: The level's short name, for tables and charts.
LEVEL_SHORT_NAMES: dict[str, str] = {
    Level.NATIONAL: "全国",
    Level.PROVINCIAL: "省",
    Level.CITY: "市",
    Level.COUNTY: "县（区）",
    Level.TOWNSHIP: "乡镇",
}
#: What citizens and clerks read for each status of an issue.
STATUS_NAMES: dict[str, str] = {
    IssueStatus.RECEIVED: "已受理",
    IssueStatus.DISPATCHED: "已派单",
    IssueStatus.IN_PROGRESS: "办理中",
    IssueStatus.RESOLVED: "已解决",
    IssueStatus.CLOSED: "已办结",
    IssueStatus.ESCALATED: "已提请上级代表",
}


def basis_for_level(level: Level | str) -> Basis:
    """The contact basis the rules require for a deputy of ``level``."""
    try:
        return _BASIS_BY_LEVEL[level]
    except KeyError:
        raise ValueError(f"{level!r} is not a level") from None


#: Deputies elected directly in constituencies (county, township), by enum and by value.
DIRECTLY_ELECTED: frozenset[str] = frozenset({"COUNTY", "TOWNSHIP"})
_BASIS_BY_LEVEL: dict[str, Basis] = {
    level: Basis.ORIGINAL_CONSTITUENCY if level in DIRECTLY_ELECTED else Basis.NEAR_HOME_OR_WORK
    for level in Level
}


#: Statistical division codes are 12 digits; the significant prefix length gives the kind.
AREA_KIND_BY_CODE_LENGTH: dict[int, AreaKind] = {
    2: AreaKind.PROVINCE,
    4: AreaKind.CITY,
    6: AreaKind.COUNTY,
    9: AreaKind.TOWNSHIP,
    12: AreaKind.VILLAGE,
}

_PREFIX_LENGTHS = (2, 4, 6, 9, 12)

#: A statistical division code: 12 digits, zero-padded (rule ``area-code-is-12-digits``).
AREA_CODE = re.compile(r"[0-9]{12}")


def is_area_code(code: str | None) -> bool:
    """Whether ``code`` has the shape of a 12-digit statistical division code (ASCII digits)."""
    return code is not None and AREA_CODE.fullmatch(code) is not None


def significant_length(code: str) -> int:
    """Length of the meaningful prefix of a 12-digit code (``320000000000`` -> 2)."""
    significant = len(code.rstrip("0"))
    for length in _PREFIX_LENGTHS:
        if significant <= length:
            return length
    return 12


def parent_code(code: str) -> str | None:
    """The 12-digit code of the parent division, or ``None`` for a province."""
    length = significant_length(code)
    index = _PREFIX_LENGTHS.index(length)
    if index == 0:
        return None
    keep = _PREFIX_LENGTHS[index - 1]
    return code[:keep].ljust(12, "0")


#: The keys of a ``deputies`` row: the properties of a ``Deputy`` node.
DEPUTY_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "level",
    "gender",
    "occupation",
    "workUnit",
    "sectors",
    "phone",
    "status",
    "term",
    "electedIn",
    "baseArea",
)

#: Every row kind, in the order in which they can be written (referenced kinds first).
ROW_KINDS: tuple[str, ...] = (
    "areas",
    "deputies",
    "contacts",
    "collectionPoints",
    "stations",
    "receptions",
    "clusters",
    "chains",
    "observationPoints",
    "observers",
    "chainWorkers",
    "groups",
    "memberships",
    "activities",
    "activityDays",
    "duties",
    "attendances",
    "campaigns",
    "participations",
    "liaisons",
    "issues",
    "trackers",
    "escalations",
    "proposals",
    "sponsorships",
    "addresses",
    "stationIssues",
    "departments",
    "handlings",
    "channelNames",
    "contributions",
    "proposalHandlings",
    "reviews",
)

Dataset = dict[str, list[dict[str, Any]]]


# -- liaison stations, collection points, activity days (issue 24) ---------------------------


class StationKind(StrEnum):
    """A liaison station (联络站, one per township) or a liaison point (联络点, in a village)."""

    STATION = "STATION"
    POINT = "POINT"


#: What citizens and clerks read for each kind of station.
STATION_KIND_NAMES: dict[str, str] = {
    StationKind.STATION: "人大代表联络站",
    StationKind.POINT: "人大代表联络点",
}


class CollectionPointKind(StrEnum):
    """Where an opinion-collection point (社情民意收集点) sits."""

    SQUARE = "SQUARE"
    PARK = "PARK"
    MARKET = "MARKET"
    SERVICE_CENTER = "SERVICE_CENTER"
    OTHER = "OTHER"


#: What clerks read for each kind of collection point.
COLLECTION_POINT_KIND_NAMES: dict[str, str] = {
    CollectionPointKind.SQUARE: "广场",
    CollectionPointKind.PARK: "公园",
    CollectionPointKind.MARKET: "市场",
    CollectionPointKind.SERVICE_CENTER: "党群服务中心",
    CollectionPointKind.OTHER: "其他",
}

#: The ``kind`` of an ``Activity`` a station holds on its monthly activity day (代表活动日).
ACTIVITY_DAY = "ACTIVITY_DAY"
#: The day of the month of a station's activity day when the station names none.
DEFAULT_ACTIVITY_DAY_OF_MONTH = 15
#: The topic of generated activity days until an organizer sets a precise one (精准定题).
DEFAULT_ACTIVITY_TOPIC = "听取选民意见建议"
#: (min, max) characters of an activity day's texts after trimming; a minimum of 0 is optional.
ACTIVITY_DAY_LIMITS: dict[str, tuple[int, int]] = {"topic": (2, 60), "notice": (0, 1000)}
#: Most deputies on one activity day's duty roster (进站编组), and most voters recorded.
MAX_DUTY_ROSTER = 30
MAX_VOTER_COUNT = 100_000
#: Longest window of ``LiaisonStation.schedule(from, to)``, in days.
MAX_SCHEDULE_DAYS = 400
#: The default window, in months, in which a station without an activity day is idle (挂空挡).
IDLE_MONTHS = 3


def township_code(code: str) -> str | None:
    """The 12-digit code of the township an area lies in (itself for a township), or ``None``
    for an area above the township level."""
    if significant_length(code) < 9:
        return None
    return code[:9] + "000"


#: Themes of the special supervision groups (专项监督小组) and the words that show a deputy's
#: expertise in them, in the deputy's fields (sectors), work unit, occupation or chain names.
#: The first word is the theme itself.
SUPERVISION_THEMES: dict[str, tuple[str, ...]] = {
    "医疗卫生": ("医疗卫生", "医疗", "卫生院", "医院", "医生", "护士", "卫健", "医药"),
    "乡村振兴": ("乡村振兴", "农业农村", "家庭农场", "合作社", "种植", "养殖", "村党"),
    "非物质文化遗产": ("非物质文化遗产", "非遗", "传承人", "民俗", "文化站"),
    "教育": ("教育", "学校", "小学", "中学", "幼儿园", "教师"),
    "养老服务": ("养老服务", "养老", "敬老院", "老年"),
    "生态环境": ("生态环境", "环保", "生态", "污染"),
    "食品安全": ("食品安全", "食品", "质检"),
    "营商环境": ("营商环境", "企业负责人", "个体工商户", "商会"),
    "交通运输": ("交通运输", "交通", "运输", "物流"),
    "水利建设": ("水利建设", "水利", "水务"),
    "安全生产": ("安全生产", "安全管理", "应急", "煤矿"),
    "法治建设": ("法治建设", "法治", "律师", "司法", "法院"),
    "科技创新": ("科技创新", "科技", "研发", "工程师"),
    "文化旅游": ("文化旅游", "旅游", "文旅", "综合文化"),
    "劳动就业": ("劳动就业", "就业", "职工", "人社"),
}
#: Short names clerks use for a theme.
THEME_ALIASES: dict[str, str] = {"非遗": "非物质文化遗产", "医疗": "医疗卫生", "文旅": "文化旅游"}
# -- handling: departments, outcomes, the citizen's verdict, three-colour supervision ----------


class DepartmentKind(StrEnum):
    """What kind of handling unit (承办单位) a department is."""

    TOWNSHIP_GOVERNMENT = "TOWNSHIP_GOVERNMENT"
    COUNTY_BUREAU = "COUNTY_BUREAU"
    CITY_BUREAU = "CITY_BUREAU"
    PUBLIC_SERVICE = "PUBLIC_SERVICE"
    OTHER = "OTHER"
    PROVINCIAL_BUREAU = "PROVINCIAL_BUREAU"
    NATIONAL_AUTHORITY = "NATIONAL_AUTHORITY"


#: What clerks read for each kind of department.
DEPARTMENT_KIND_NAMES: dict[str, str] = {
    DepartmentKind.TOWNSHIP_GOVERNMENT: "乡镇人民政府（街道办事处）",
    DepartmentKind.COUNTY_BUREAU: "县（区）职能部门",
    DepartmentKind.CITY_BUREAU: "市级职能部门",
    DepartmentKind.PUBLIC_SERVICE: "公共服务单位",
    DepartmentKind.OTHER: "其他单位",
    DepartmentKind.PROVINCIAL_BUREAU: "省级部门",
    DepartmentKind.NATIONAL_AUTHORITY: "中央和国家机关",
}


class Outcome(StrEnum):
    """How an issue was finished (办结): honestly, answered is not resolved."""

    RESOLVED = "RESOLVED"
    ANSWERED = "ANSWERED"
    NOT_ACCEPTED = "NOT_ACCEPTED"


#: What citizens and clerks read for each outcome.
OUTCOME_NAMES: dict[str, str] = {
    Outcome.RESOLVED: "问题解决",
    Outcome.ANSWERED: "已答复但未解决",
    Outcome.NOT_ACCEPTED: "不予受理",
}
#: Outcomes the answer rate (答复率) counts: answered or resolved.
ANSWERED_OUTCOMES: tuple[str, ...] = (Outcome.RESOLVED.value, Outcome.ANSWERED.value)
#: Outcomes the resolution rate (解决率) counts: resolved only.
RESOLVED_OUTCOMES: tuple[str, ...] = (Outcome.RESOLVED.value,)
#: Outcomes that need a reason given to the citizen.
OUTCOMES_WITH_REASON: tuple[str, ...] = (Outcome.ANSWERED.value, Outcome.NOT_ACCEPTED.value)


class Satisfaction(StrEnum):
    """The citizen's verdict on the handling of their issue."""

    SATISFIED = "SATISFIED"
    BASICALLY_SATISFIED = "BASICALLY_SATISFIED"
    DISSATISFIED = "DISSATISFIED"


#: What citizens read for each verdict.
SATISFACTION_NAMES: dict[str, str] = {
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY_SATISFIED: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
}
#: Verdicts the satisfaction rate counts as satisfied.
SATISFIED_VERDICTS: tuple[str, ...] = (
    Satisfaction.SATISFIED.value,
    Satisfaction.BASICALLY_SATISFIED.value,
)
#: How often a 不满意 verdict reopens an issue for re-handling (重新办理).
MAX_REOPENINGS = 1


class WorkKind(StrEnum):
    """Kinds of handling work, each with its own policy of working-day limits."""

    ISSUE = "ISSUE"
    REHANDLING = "REHANDLING"


#: What clerks read for each kind of work.
WORK_KIND_NAMES: dict[str, str] = {
    WorkKind.ISSUE: "群众意见",
    WorkKind.REHANDLING: "重新办理",
}


class HandlingStage(StrEnum):
    """Which limit of the clock an issue is working towards."""

    CLAIM = "CLAIM"
    REPLY = "REPLY"
    FINISH = "FINISH"
    DONE = "DONE"


#: What clerks read for each stage.
STAGE_NAMES: dict[str, str] = {
    HandlingStage.CLAIM: "待签收",
    HandlingStage.REPLY: "待答复",
    HandlingStage.FINISH: "待办结",
    HandlingStage.DONE: "已办结",
}


class SupervisionColour(StrEnum):
    """Three-colour supervision (三色督办): on time, due soon, overdue."""

    GREEN = "GREEN"
    YELLOW = "YELLOW"
    RED = "RED"


#: What clerks read for each colour.
COLOUR_NAMES: dict[str, str] = {
    SupervisionColour.GREEN: "绿灯（正常）",
    SupervisionColour.YELLOW: "黄灯（临期）",
    SupervisionColour.RED: "红灯（超期）",
}


class HandlingEventKind(StrEnum):
    """What an entry of an issue's handling log records."""

    CLAIMED = "CLAIMED"
    ASSIGNED = "ASSIGNED"
    REPLIED = "REPLIED"
    FINISHED = "FINISHED"
    FOLLOWED_UP = "FOLLOWED_UP"
    LETTER = "LETTER"
    RATED = "RATED"
    REOPENED = "REOPENED"


#: What clerks and citizens read for each entry of the handling log.
EVENT_NAMES: dict[str, str] = {
    HandlingEventKind.CLAIMED: "代表签收",
    HandlingEventKind.ASSIGNED: "交办承办单位",
    HandlingEventKind.REPLIED: "答复",
    HandlingEventKind.FINISHED: "办结",
    HandlingEventKind.FOLLOWED_UP: "代表跟踪督办",
    HandlingEventKind.LETTER: "督办函",
    HandlingEventKind.RATED: "群众评价",
    HandlingEventKind.REOPENED: "重新办理",
}
#: Log entries the citizen sees on the tracking page (letters and follow-ups are internal).
PUBLIC_EVENTS: tuple[str, ...] = (
    HandlingEventKind.CLAIMED.value,
    HandlingEventKind.ASSIGNED.value,
    HandlingEventKind.REPLIED.value,
    HandlingEventKind.FINISHED.value,
    HandlingEventKind.RATED.value,
    HandlingEventKind.REOPENED.value,
)

#: Channel names when a city's data names none (a city's own names, such as Suqian's QR
#: channel 宿话说, are ``channelNames`` rows of its dataset).
CHANNEL_NAMES: dict[str, str] = {
    Channel.QR: "扫码提交",
    Channel.COLLECTION_POINT: "社情民意收集点",
    Channel.STATION: "代表联络站",
    Channel.OBSERVATION_POINT: "经济运行观察点",
}


# -- console accounts and the audit trail (docs/console.md) ---------------------------------

#: Consecutive failed logins after which an account is locked for :data:`LOCKOUT_MINUTES`.
LOCKOUT_FAILURES = 5
LOCKOUT_MINUTES = 15
#: A console session ends after this many minutes without a request.
SESSION_IDLE_MINUTES = 30
#: Shortest password of a console account.
MIN_PASSWORD_LENGTH = 10
#: What a console username may look like (letters, digits, ``._-``; 3-40 characters).
USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$"


class AuditAction(StrEnum):
    """What a change recorded in the audit trail did."""

    LOGIN = "LOGIN"
    LOGIN_FAILED = "LOGIN_FAILED"
    LOCKED_OUT = "LOCKED_OUT"
    LOGOUT = "LOGOUT"
    USER_CREATED = "USER_CREATED"
    USER_DISABLED = "USER_DISABLED"
    PASSWORD_RESET = "PASSWORD_RESET"
    CONTACT_ADDED = "CONTACT_ADDED"
    CONTACT_REMOVED = "CONTACT_REMOVED"
    CONVENER_SET = "CONVENER_SET"
    ACTIVITY_RECORDED = "ACTIVITY_RECORDED"
    ISSUE_STATUS = "ISSUE_STATUS"
    ISSUE_CLAIMED = "ISSUE_CLAIMED"
    ISSUE_ASSIGNED = "ISSUE_ASSIGNED"
    ISSUE_REPLIED = "ISSUE_REPLIED"
    LETTER_ISSUED = "LETTER_ISSUED"
    IMPORTED = "IMPORTED"
    IMPORT_UNDONE = "IMPORT_UNDONE"
    PROPOSAL_DRAFTED = "PROPOSAL_DRAFTED"
    PROPOSAL_COSIGNED = "PROPOSAL_COSIGNED"
    PROPOSAL_COSIGN_WITHDRAWN = "PROPOSAL_COSIGN_WITHDRAWN"
    PROPOSAL_CONTRIBUTOR_LINKED = "PROPOSAL_CONTRIBUTOR_LINKED"
    PROPOSAL_SUBMITTED = "PROPOSAL_SUBMITTED"
    PROPOSAL_ASSIGNED = "PROPOSAL_ASSIGNED"
    PROPOSAL_REPLIED = "PROPOSAL_REPLIED"
    PROPOSAL_RATED = "PROPOSAL_RATED"
    PROPOSAL_SUPERVISED = "PROPOSAL_SUPERVISED"
    PROPOSALS_REVIEWED = "PROPOSALS_REVIEWED"
    REPORT_BACK_SCHEDULED = "REPORT_BACK_SCHEDULED"
    BALLOTS_ISSUED = "BALLOTS_ISSUED"
    REPORT_BACK_CLOSED = "REPORT_BACK_CLOSED"
    ACTIVITY_DAY_SCHEDULED = "ACTIVITY_DAY_SCHEDULED"
    ACTIVITY_DAY_CHANGED = "ACTIVITY_DAY_CHANGED"
    ACTIVITY_DAY_CANCELLED = "ACTIVITY_DAY_CANCELLED"
    ACTIVITY_DAYS_GENERATED = "ACTIVITY_DAYS_GENERATED"
    ATTENDANCE_RECORDED = "ATTENDANCE_RECORDED"


#: What clerks read for each kind of area.
AREA_KIND_NAMES: dict[str, str] = {
    AreaKind.PROVINCE: "省",
    AreaKind.CITY: "市",
    AreaKind.COUNTY: "县（区）",
    AreaKind.TOWNSHIP: "乡镇（街道）",
    AreaKind.VILLAGE: "村",
    AreaKind.COMMUNITY: "社区",
}


class DeputyStatus(StrEnum):
    """Whether a deputy still serves: a deputy who LEFT covers nothing and signs in no more."""

    ACTIVE = "ACTIVE"
    LEFT = "LEFT"


#: An idempotency key (``submitIssue(idempotencyKey:)``, the form's one-time submission key):
#: 16-64 letters, digits, ``-`` or ``_`` (a UUID fits).
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


# -- proposals (议案建议): kinds, statuses, handling, replies, the activity week ------------------


class ProposalKind(StrEnum):
    """A motion (议案, to a congress session, within its powers; needs same-level co-sponsors)
    or a suggestion (建议、批评和意见, sole or joint)."""

    MOTION = "MOTION"
    SUGGESTION = "SUGGESTION"


#: What deputies and clerks read for each kind of proposal.
PROPOSAL_KIND_NAMES: dict[str, str] = {
    ProposalKind.MOTION: "议案",
    ProposalKind.SUGGESTION: "建议",
}


class ProposalStatus(StrEnum):
    """Where a proposal stands: drafted, submitted by its lead deputy, assigned to handling
    units by the congress office, replied to by the lead unit, back for re-handling after a
    不满意 verdict, or closed (rated, or finally replied)."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    ASSIGNED = "ASSIGNED"
    REPLIED = "REPLIED"
    REHANDLING = "REHANDLING"
    CLOSED = "CLOSED"


#: What deputies and clerks read for each status of a proposal.
PROPOSAL_STATUS_NAMES: dict[str, str] = {
    ProposalStatus.DRAFT: "草稿",
    ProposalStatus.SUBMITTED: "已提交",
    ProposalStatus.ASSIGNED: "已交办",
    ProposalStatus.REPLIED: "已答复",
    ProposalStatus.REHANDLING: "重新办理",
    ProposalStatus.CLOSED: "办结",
}
#: Statuses in which a proposal waits for a reply of its lead unit.
AWAITING_REPLY: tuple[str, ...] = (ProposalStatus.ASSIGNED.value, ProposalStatus.REHANDLING.value)
#: Statuses of a submitted proposal not closed yet (supervision, reminders).
PROPOSAL_OPEN_STATUSES: tuple[str, ...] = (
    ProposalStatus.SUBMITTED.value,
    ProposalStatus.ASSIGNED.value,
    ProposalStatus.REPLIED.value,
    ProposalStatus.REHANDLING.value,
)


class SponsorRole(StrEnum):
    """A sponsor of a proposal: the lead (领衔) or a co-sponsor (联名)."""

    LEAD = "LEAD"
    CO = "CO"


#: What deputies read for each sponsor role.
SPONSOR_ROLE_NAMES: dict[str, str] = {SponsorRole.LEAD: "领衔", SponsorRole.CO: "联名"}


class HandlerRole(StrEnum):
    """A handling unit of a proposal: the lead unit (主办) or an assisting one (协办)."""

    LEAD = "LEAD"
    ASSIST = "ASSIST"


#: What clerks read for each handler role.
HANDLER_ROLE_NAMES: dict[str, str] = {HandlerRole.LEAD: "主办", HandlerRole.ASSIST: "协办"}


class ReplyCategory(StrEnum):
    """How the lead unit classes its reply (答复类别)."""

    A = "A"
    B = "B"
    C = "C"


#: What deputies and clerks read for each class of reply.
REPLY_CATEGORY_NAMES: dict[str, str] = {
    ReplyCategory.A: "A类（所提问题已经解决或基本解决）",
    ReplyCategory.B: "B类（列入计划，逐步解决）",
    ReplyCategory.C: "C类（因条件限制暂不能解决，留作参考）",
}


class ProposalEventKind(StrEnum):
    """What an entry of a proposal's log records."""

    DRAFTED = "DRAFTED"
    COSIGNED = "COSIGNED"
    COSIGN_WITHDRAWN = "COSIGN_WITHDRAWN"
    CONTRIBUTOR_LINKED = "CONTRIBUTOR_LINKED"
    REVIEWED = "REVIEWED"
    SUBMITTED = "SUBMITTED"
    ASSIGNED = "ASSIGNED"
    REPLIED = "REPLIED"
    RATED = "RATED"
    REOPENED = "REOPENED"
    SUPERVISED = "SUPERVISED"


#: What deputies and clerks read for each entry of a proposal's log.
PROPOSAL_EVENT_NAMES: dict[str, str] = {
    ProposalEventKind.DRAFTED: "起草",
    ProposalEventKind.COSIGNED: "联名",
    ProposalEventKind.COSIGN_WITHDRAWN: "撤回联名",
    ProposalEventKind.CONTRIBUTOR_LINKED: "跨层级协同",
    ProposalEventKind.REVIEWED: "小组会议讨论",
    ProposalEventKind.SUBMITTED: "提交",
    ProposalEventKind.ASSIGNED: "交办",
    ProposalEventKind.REPLIED: "答复",
    ProposalEventKind.RATED: "代表评价",
    ProposalEventKind.REOPENED: "重新办理",
    ProposalEventKind.SUPERVISED: "重点督办",
}

#: Calendar months within which the lead unit replies, counted from the assignment (交办).
PROPOSAL_REPLY_MONTHS = 3
#: ... for complex proposals (涉及面广、办理难度大), at most.
PROPOSAL_COMPLEX_REPLY_MONTHS = 6
#: ... after a 不满意 verdict sent it back (再次答复, from the day of the verdict).
PROPOSAL_REHANDLING_MONTHS = 1
#: A proposal waiting for its reply turns yellow this many working days before the due date
#: (months-long limits need a longer warning than the 2 days of a citizen's issue).
PROPOSAL_YELLOW_WITHIN = 10
#: (min, max) characters of a proposal's texts after trimming; a minimum of 0 is optional.
PROPOSAL_LIMITS: dict[str, tuple[int, int]] = {
    "title": (4, 80),
    "body": (0, 8000),
    "session": (2, 60),
    "comment": (0, 1000),
}
#: Most citizens' issues a proposal carries up as its origin (evidence).
MAX_ORIGIN_ISSUES = 50
#: Most handling units of one proposal (one lead and assisting ones).
MAX_PROPOSAL_HANDLERS = 10
#: Most drafts one review meeting (小组会议) goes through.
MAX_REVIEWED_DRAFTS = 100
#: The ``kind`` of the ``Activity`` at which a group reviews its members' drafts.
REVIEW = "REVIEW"
#: The concentrated activity week (代表集中活动周) is this full week of December.
ACTIVITY_WEEK_OF_DECEMBER = 3

#: Digits of a deputy's ``electedIn`` code that name the congress the deputy sits in: a
#: provincial deputy is elected by a city's congress (code of the city) into the province's
#: congress, a city deputy by a county's congress into the city's, a county deputy in a
#: township constituency into the county's, a township deputy into the township's. National
#: deputies all sit in the NPC (``None``: one congress, whatever their delegation).
_CONGRESS_DIGITS: dict[str, int | None] = {
    "NATIONAL": None,
    "PROVINCIAL": 2,
    "CITY": 4,
    "COUNTY": 6,
    "TOWNSHIP": 9,
}


def congress_area(level: str, elected_in: str | None) -> str | None:
    """The area code of the congress a deputy of ``level`` elected in ``elected_in`` sits in
    (``None`` for the NPC, or when the election area is unknown).

    >>> congress_area("COUNTY", "321302101000")  # a county deputy of a township constituency
    '321302000000'
    >>> congress_area("PROVINCIAL", "321300000000")  # elected by 宿迁's congress
    '320000000000'
    """
    digits = _CONGRESS_DIGITS[level]
    if digits is None or not elected_in:
        return None
    return elected_in[:digits].ljust(12, "0")


# -- records (履职档案), deputy codes, report-back meetings (述职评议) -----------------------------

#: The ``kind`` of an ``Activity`` at which deputies report back to their voters (述职).
REPORT_BACK = "REPORT_BACK"
#: A deputy's public code (``/d/{code}``): random, unguessable, re-issued when a print leaks.
DEPUTY_CODE = re.compile(r"^[A-Za-z0-9_-]{10,32}$")
#: A one-time ballot code of a report-back meeting (``/e/{code}``).
BALLOT_CODE = re.compile(r"^[A-Za-z0-9_-]{10,32}$")
#: Most ballot codes printed for one meeting in one go, and in all.
MAX_BALLOTS = 2000
#: Most characters of a voter's comment on a ballot.
MAX_BALLOT_COMMENT = 500
#: Years a record may be asked for (the first congress terms graphcoord models, and a bound).
RECORD_YEARS: tuple[int, int] = (2000, 2100)


class ReportBackStatus(StrEnum):
    """A report-back meeting takes ballots while OPEN; its results show once CLOSED."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"


#: What organizers and voters read for each state of a report-back meeting.
REPORT_BACK_STATUS_NAMES: dict[str, str] = {
    ReportBackStatus.OPEN: "评议中",
    ReportBackStatus.CLOSED: "已结束",
}
