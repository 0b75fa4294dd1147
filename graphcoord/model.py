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
- ``attendances``: deputyId, activityId
- ``campaigns``: id, title, citizenCount; ``participations``: deputyId, campaignId
- ``liaisons``: fromId (higher level), toId (lower level)
- ``issues``: id, title, body, category, channel, ticket?, status, createdAt, resolvedAt?,
  areaCode, chainId?, trackingCode?
- ``trackers``: deputyId, issueId; ``escalations``: issueId, deputyId, at, reason
- ``proposals``: id, title, congressLevel, session, status, handler?
- ``sponsorships``: deputyId, proposalId, role (LEAD/CO); ``addresses``: proposalId, issueId
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

__all__ = [
    "AREA_CODE",
    "AREA_KIND_BY_CODE_LENGTH",
    "CATEGORIES",
    "CHINA",
    "CLOSED_STATUSES",
    "DEPUTY_KEYS",
    "LEVEL_NAMES",
    "LEVEL_SHORT_NAMES",
    "OPEN_STATUSES",
    "ROW_KINDS",
    "STATUS_NAMES",
    "SUBMISSION_KEY",
    "SUBMISSION_LIMITS",
    "TRANSITIONS",
    "VILLAGE_KINDS",
    "AreaKind",
    "Basis",
    "Channel",
    "Dataset",
    "DeputyStatus",
    "GroupKind",
    "IssueStatus",
    "Level",
    "ObservationRole",
    "basis_for_level",
    "is_area_code",
    "is_village_kind",
    "now_in_china",
    "parent_code",
    "significant_length",
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
)

Dataset = dict[str, list[dict[str, Any]]]


class DeputyStatus(StrEnum):
    """Whether a deputy still serves: a deputy who LEFT covers nothing and signs in no more."""

    ACTIVE = "ACTIVE"
    LEFT = "LEFT"


#: An idempotency key (``submitIssue(idempotencyKey:)``, the form's one-time submission key):
#: 16-64 letters, digits, ``-`` or ``_`` (a UUID fits).
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
