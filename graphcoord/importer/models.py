"""One pydantic model per import kind: types, enums in Chinese or English, derived defaults.

Cells arrive as trimmed half-width text (:func:`graphcoord.importer.text.cell_text`); empty
cells are ``None``. Each model turns a row into the typed values the write path stores.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graphcoord.deadlines import ReplyStep, VerdictStep, proposal_timeline
from graphcoord.errors import BadInput
from graphcoord.i18n import N_, Term, fill
from graphcoord.importer.text import normalise_level, normalise_phone
from graphcoord.model import (
    ACTIVITY_DAY,
    AREA_KIND_BY_CODE_LENGTH,
    CHINA,
    MAX_VOTER_COUNT,
    AreaKind,
    Basis,
    CollectionPointKind,
    DepartmentKind,
    GroupKind,
    Level,
    ObservationRole,
    ProposalKind,
    ProposalStatus,
    ReplyCategory,
    Satisfaction,
    StationKind,
    basis_for_level,
    parent_code,
    significant_length,
)

__all__ = [
    "ActivityRow",
    "AreaRow",
    "AttendanceRow",
    "ChainRow",
    "CollectionPointRow",
    "ContactRow",
    "DepartmentRow",
    "DeputyRow",
    "GroupRow",
    "LiaisonRow",
    "MembershipRow",
    "ObservationPointRow",
    "ProposalHandlingRow",
    "ProposalRow",
    "RosterRow",
    "RowProblem",
    "StationRow",
]

_LIST_SEPARATORS = re.compile(r"[;；、,，|/]")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMMUNITY_SUFFIXES = ("社区", "居委会", "居民委员会", "生活区")


class RowProblem(ValueError):
    """A cell's problem as an English template and its values: pydantic reports it like any
    ``ValueError`` and the validator reports it in the clerk's language."""

    def __init__(self, template: str, /, **params: object) -> None:
        super().__init__(template.format(**params))
        self.template = template
        self.params = params

    def localized(self, locale: str | None = None) -> str:
        return fill(self.template, self.params, locale)


def _choice(text: str, names: dict[str, str], what: str) -> str:
    exact = names.get(text)  # most files spell every value one way, often the canonical one
    if exact is not None:
        return exact
    key = text.strip().lower().replace(" ", "").replace("（", "(").replace("）", ")")
    value = names.get(key) or names.get(key.upper())
    if value is None:
        allowed = sorted({v for v in names.values()})
        raise RowProblem(
            "{text!r} is not a known {what} (allowed: {allowed})",
            text=text,
            what=Term(what),
            allowed=", ".join(allowed),
        )
    return value


def _names(enum_values: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for member, spellings in enum_values.items():
        # Plain text, not the StrEnum member: rows go to the driver, which repr()s the
        # parameters of every query (even with its logging off) and packs them, and both
        # cost more for an enum member.
        value = str(member)
        table[value] = value
        table[value.lower()] = value
        for spelling in spellings:
            table[spelling.lower()] = value
    return table


AREA_KIND_NAMES = _names(
    {
        AreaKind.PROVINCE: ("省", "省级", "自治区", "直辖市"),
        AreaKind.CITY: ("市", "地级市", "设区的市", "自治州", "地区", "盟"),
        AreaKind.COUNTY: ("县", "区", "县级市", "县(区)", "县(市、区)", "旗"),
        AreaKind.TOWNSHIP: ("乡", "镇", "街道", "乡镇", "乡(镇)", "乡镇(街道)", "苏木"),
        AreaKind.VILLAGE: ("村", "行政村", "村委会", "村民委员会", "嘎查"),
        AreaKind.COMMUNITY: ("社区", "居委会", "居民委员会"),
    }
)
BASIS_NAMES = _names(
    {
        Basis.ORIGINAL_CONSTITUENCY: ("原选区", "选区", "original", "constituency"),
        Basis.NEAR_HOME_OR_WORK: ("就地就便", "居住地", "工作地", "居住地或工作地", "near"),
    }
)
GROUP_KIND_NAMES = _names(
    {
        GroupKind.COLLABORATIVE: ("协同联动组", "协同", "协同组", "collaborative"),
        GroupKind.SUPERVISION: ("专项监督小组", "监督", "监督小组", "supervision"),
        GroupKind.DEPUTY_TEAM: ("代表小组", "代表组", "team"),
    }
)
ROLE_NAMES = _names({"CONVENER": ("召集人", "组长"), "MEMBER": ("成员", "组员", "member")})
POINT_ROLE_NAMES = _names(
    {
        ObservationRole.LEAD: ("牵头", "牵头点", "lead"),
        ObservationRole.COLLABORATIVE: ("协同", "协同点", "collaborative"),
    }
)
STATUS_NAMES = _names(
    {"ACTIVE": ("在任", "在职", "正常", "active"), "LEFT": ("离任", "已离任", "调离", "left")}
)
GENDER_NAMES = _names({"男": ("m", "male", "男性"), "女": ("f", "female", "女性")})
STATION_KIND_NAMES = _names(
    {
        StationKind.STATION: ("联络站", "人大代表联络站", "代表联络站", "站", "station"),
        StationKind.POINT: ("联络点", "人大代表联络点", "代表联络点", "点", "point"),
    }
)
COLLECTION_POINT_KIND_NAMES = _names(
    {
        CollectionPointKind.SQUARE: ("广场", "文化广场", "square"),
        CollectionPointKind.PARK: ("公园", "游园", "park"),
        CollectionPointKind.MARKET: ("市场", "农贸市场", "集市", "market"),
        CollectionPointKind.SERVICE_CENTER: ("党群服务中心", "便民服务中心", "服务中心"),
        CollectionPointKind.OTHER: ("其他", "other"),
    }
)
DEPARTMENT_KIND_NAMES = _names(
    {
        DepartmentKind.TOWNSHIP_GOVERNMENT: (
            "乡镇人民政府",
            "乡镇政府",
            "街道办事处",
            "乡镇(街道)",
            "乡镇人民政府(街道办事处)",
            "乡镇",
            "街道",
            "township",
        ),
        DepartmentKind.COUNTY_BUREAU: (
            "县区部门",
            "县级部门",
            "县直部门",
            "区直部门",
            "县(区)职能部门",
            "县区职能部门",
            "county",
        ),
        DepartmentKind.CITY_BUREAU: ("市级部门", "市直部门", "市级职能部门", "city"),
        DepartmentKind.PUBLIC_SERVICE: ("公共服务单位", "公共服务企业", "公用事业单位", "public"),
        DepartmentKind.OTHER: ("其他", "其他单位", "other"),
    }
)
PROPOSAL_KIND_NAMES = _names(
    {
        ProposalKind.MOTION: ("议案", "代表议案", "motion"),
        ProposalKind.SUGGESTION: (
            "建议",
            "代表建议",
            "建议、批评和意见",
            "建议批评和意见",
            "批评和意见",
            "suggestion",
        ),
    }
)
PROPOSAL_STATUS_NAMES = _names(
    {
        ProposalStatus.DRAFT: ("草稿", "未提交", "draft"),
        ProposalStatus.SUBMITTED: ("已提交", "提交", "已提出", "submitted"),
    }
)
REPLY_CATEGORY_NAMES = _names(
    {
        ReplyCategory.A: ("A类", "a类", "已解决", "基本解决", "已解决或基本解决", "解决"),
        ReplyCategory.B: ("B类", "b类", "正在解决", "列入计划", "列入计划逐步解决", "逐步解决"),
        ReplyCategory.C: ("C类", "c类", "留作参考", "暂不能解决", "因条件限制暂不能解决"),
    }
)
SATISFACTION_NAMES = _names(
    {
        Satisfaction.SATISFIED: ("满意", "satisfied"),
        Satisfaction.BASICALLY_SATISFIED: ("基本满意", "basically"),
        Satisfaction.DISSATISFIED: ("不满意", "dissatisfied"),
    }
)
YES_NO = _names(
    {
        "YES": ("是", "复杂", "6个月", "六个月", "y", "true", "1"),
        "NO": ("否", "一般", "3个月", "三个月", "n", "false", "0"),
    }
)
#: The kind of a department located in an area of this significant code length.
_DEPARTMENT_KIND_BY_LENGTH = {
    9: DepartmentKind.TOWNSHIP_GOVERNMENT,
    6: DepartmentKind.COUNTY_BUREAU,
    4: DepartmentKind.CITY_BUREAU,
    2: DepartmentKind.PROVINCIAL_BUREAU,
}


@lru_cache(maxsize=65536)  # constituencies and villages recur row after row
def area_code(text: str) -> str:
    """A 12-digit division code; a shorter significant prefix (2/4/6/9 digits) is padded."""
    if not (text.isascii() and text.isdigit()):
        raise RowProblem("area code {text!r} is not made of digits", text=text)
    if len(text) in (2, 4, 6, 9):
        return text.ljust(12, "0")
    if len(text) != 12:
        raise RowProblem(
            "area code {text!r} is not a 12-digit statistical division code", text=text
        )
    return text


def split_list(text: str) -> list[str]:
    """The items of a list cell (``民生;教育``, ``民生、教育``…), trimmed, blanks dropped."""
    return list(_split(text))


@lru_cache(maxsize=4096)  # a roster repeats a few lists of sectors on every other row
def _split(text: str) -> tuple[str, ...]:
    return tuple(item for item in map(str.strip, _LIST_SEPARATORS.split(text)) if item)


class RosterRow(BaseModel):
    """Common behaviour: unknown columns are ignored (blank cells are never passed in)."""

    model_config = ConfigDict(extra="ignore", frozen=False)

    #: Fields that make the row's business key, in order.
    KEY: ClassVar[tuple[str, ...]] = ("id",)

    def key(self) -> tuple[str, ...]:
        if len(self.KEY) == 1:
            return (str(getattr(self, self.KEY[0])),)
        return tuple([str(getattr(self, name)) for name in self.KEY])

    @classmethod
    def key_hash(cls) -> Callable[[RosterRow], int]:
        """A fast ``hash(row.key())`` for the duplicate check (key fields are text)."""
        if len(cls.KEY) == 1:
            get = attrgetter(cls.KEY[0])
            return lambda row: hash((get(row),))
        get = attrgetter(*cls.KEY)
        return lambda row: hash(get(row))


class AreaRow(RosterRow):
    KEY: ClassVar[tuple[str, ...]] = ("code",)
    code: str
    name: str
    kind: str | None = None
    parentCode: str | None = None
    population: int | None = None
    #: Whether parentCode was derived from the code (an unknown derived parent is no error).
    parentDerived: bool = False

    @field_validator("code", "parentCode")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return _opt(area_code, value)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        return None if value is None else _choice(value, AREA_KIND_NAMES, N_("area kind"))

    @field_validator("population")
    @classmethod
    def _population(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError("population cannot be negative")
        return value

    @model_validator(mode="after")
    def _derive(self) -> AreaRow:
        if self.kind is None:
            kind = AREA_KIND_BY_CODE_LENGTH[significant_length(self.code)]
            if kind is AreaKind.VILLAGE and self.name.endswith(_COMMUNITY_SUFFIXES):
                kind = AreaKind.COMMUNITY
            self.kind = kind.value
        if self.parentCode is None:
            self.parentCode = parent_code(self.code)
            self.parentDerived = self.parentCode is not None
        return self


class DeputyRow(RosterRow):
    id: str
    name: str
    level: Level
    gender: str | None = None
    occupation: str | None = None
    workUnit: str | None = None
    sectors: list[str] | None = None
    phone: str | None = None
    status: str = "ACTIVE"
    term: str | None = None
    electedIn: str | None = None
    baseArea: str | None = None
    chains: list[str] = Field(default_factory=list)  # not a deep-copied default per row

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if isinstance(value, str):
            level = normalise_level(value)
            if level is None:
                raise RowProblem(
                    "{value!r} is not a level (全国/省/市/县/乡, or NATIONAL … TOWNSHIP)",
                    value=value,
                )
            return level
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        phone = normalise_phone(value)
        if phone is None:
            raise RowProblem(
                "{value!r} is not a mainland mobile (1[3-9] + 9 digits) or landline "
                "(0527-84361234)",
                value=value,
            )
        return phone

    @field_validator("gender")
    @classmethod
    def _gender(cls, value: str | None) -> str | None:
        return None if value is None else _choice(value, GENDER_NAMES, N_("gender"))

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return "ACTIVE" if value is None else _choice(str(value), STATUS_NAMES, N_("status"))

    @field_validator("electedIn", "baseArea")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return _opt(area_code, value)

    @field_validator("sectors", "chains", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return split_list(value) if isinstance(value, str) else ([] if value is None else value)


class ContactRow(RosterRow):
    KEY: ClassVar[tuple[str, ...]] = ("deputyId", "areaCode")
    deputyId: str
    areaCode: str
    basis: str | None = None

    @field_validator("areaCode")
    @classmethod
    def _code(cls, value: str) -> str:
        return area_code(value)

    @field_validator("basis")
    @classmethod
    def _basis(cls, value: str | None) -> str | None:
        return None if value is None else _choice(value, BASIS_NAMES, N_("contact basis"))

    def with_basis(self, level: str) -> str:
        """The basis given, or the one the deputy's level requires."""
        return self.basis or basis_for_level(level).value


class GroupRow(RosterRow):
    id: str
    name: str
    kind: str = GroupKind.COLLABORATIVE.value
    room: str | None = None
    theme: str | None = None
    areaCode: str | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if value is None:
            return GroupKind.COLLABORATIVE.value
        return _choice(str(value), GROUP_KIND_NAMES, N_("group kind"))

    @field_validator("areaCode")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return _opt(area_code, value)


class MembershipRow(RosterRow):
    KEY: ClassVar[tuple[str, ...]] = ("deputyId", "groupId")
    deputyId: str
    groupId: str
    role: str = "MEMBER"

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        return "MEMBER" if value is None else _choice(str(value), ROLE_NAMES, N_("role"))


class ChainRow(RosterRow):
    id: str
    name: str
    clusterId: str
    clusterName: str


class ObservationPointRow(RosterRow):
    id: str
    name: str
    enterprise: str
    role: str
    chainId: str
    areaCode: str | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        return value if value is None else _choice(str(value), POINT_ROLE_NAMES, N_("point role"))

    @field_validator("areaCode")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return _opt(area_code, value)


class LiaisonRow(RosterRow):
    KEY: ClassVar[tuple[str, ...]] = ("fromId", "toId")
    fromId: str
    toId: str


def parse_date(value: Any) -> Any:
    """A date cell (``2024-03-15``, ``2024/3/15``, ``2024年3月15日``) as ISO text."""
    if not isinstance(value, str):
        return value
    match = _DATE.match(value)
    if not match:
        raise RowProblem("{value!r} is not a date like 2024-03-15", value=value)
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise RowProblem("{value!r} is not a valid date", value=value) from None


class ActivityRow(RosterRow):
    """A group's activity, or a station's activity day when ``stationId`` is given."""

    id: str
    title: str
    date: str
    kind: str = "ACTIVITY"
    groupId: str | None = None
    series: str | None = None
    stationId: str | None = None
    topic: str | None = None
    notice: str | None = None
    voterCount: int | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return parse_date(value)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return "ACTIVITY" if value is None else str(value).upper()

    @field_validator("voterCount")
    @classmethod
    def _voters(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= MAX_VOTER_COUNT:
            raise RowProblem(
                "voters received must be 0 to {limit}, not {value}",
                limit=MAX_VOTER_COUNT,
                value=value,
            )
        return value

    @model_validator(mode="after")
    def _held_by(self) -> ActivityRow:
        if self.stationId is not None:
            if self.groupId is not None:
                raise ValueError("an activity is held by a group or by a station, not by both")
            self.kind = ACTIVITY_DAY
        elif self.topic is not None or self.notice is not None or self.voterCount is not None:
            raise ValueError("a topic, notice or voter count belongs to a station's activity day")
        return self


class _PlaceRow(RosterRow):
    """Common columns of liaison stations and collection points."""

    id: str
    name: str
    areaCode: str
    #: Deputies received there (their RECEIVES_AT), added to those already recorded.
    deputyIds: list[str] = Field(default_factory=list)

    @field_validator("areaCode")
    @classmethod
    def _area(cls, value: str) -> str:
        return area_code(value)

    @field_validator("deputyIds", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return split_list(value) if isinstance(value, str) else ([] if value is None else value)


class StationRow(_PlaceRow):
    kind: str
    monthlyActivityDay: int | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return _choice(str(value), STATION_KIND_NAMES, N_("station kind"))

    @field_validator("monthlyActivityDay", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        if isinstance(value, str):  # 每月15日, 15日, 15号
            value = value.removeprefix("每月").rstrip("日号")
        return value

    @field_validator("monthlyActivityDay")
    @classmethod
    def _day_of_month(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 28:
            raise RowProblem(
                "the monthly activity day {day!r} is not a day every month has (1-28)", day=value
            )
        return value


class CollectionPointRow(_PlaceRow):
    kind: str = CollectionPointKind.OTHER.value

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if value is None:
            return CollectionPointKind.OTHER.value
        return _choice(str(value), COLLECTION_POINT_KIND_NAMES, N_("collection point kind"))


class AttendanceRow(RosterRow):
    """A deputy who attended an activity (a station's activity day or a group's)."""

    KEY: ClassVar[tuple[str, ...]] = ("activityId", "deputyId")
    activityId: str
    deputyId: str


class DepartmentRow(RosterRow):
    """A handling unit (承办单位); its kind is derived from its area when absent (a township's
    unit is its government, a county's or a city's a bureau)."""

    id: str
    name: str
    kind: str | None = None
    areaCode: str

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return (
            None if value is None else _choice(str(value), DEPARTMENT_KIND_NAMES, N_("unit kind"))
        )

    @field_validator("areaCode")
    @classmethod
    def _area(cls, value: str) -> str:
        return area_code(value)

    @model_validator(mode="after")
    def _derive(self) -> DepartmentRow:
        if self.kind is None:
            length = significant_length(self.areaCode)
            self.kind = _DEPARTMENT_KIND_BY_LENGTH.get(length, DepartmentKind.OTHER).value
        return self


def _opt(function: Callable[[str], str], value: str | None) -> str | None:
    return None if value is None else function(value)


def _list(value: Any) -> Any:
    return split_list(value) if isinstance(value, str) else ([] if value is None else value)


class ProposalRow(RosterRow):
    """A proposal of an office's sheet: its lead, co-sponsors, contributors and origin issues;
    its level and congress are the lead's (checked and filled in by the validator)."""

    id: str
    kind: str = ProposalKind.SUGGESTION.value
    title: str
    body: str | None = None
    session: str
    leadId: str
    coSponsorIds: list[str] = Field(default_factory=list)
    contributorIds: list[str] = Field(default_factory=list)
    issueIds: list[str] = Field(default_factory=list)
    level: Level | None = None
    submittedOn: str | None = None
    status: str = ProposalStatus.SUBMITTED.value

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if value is None:
            return ProposalKind.SUGGESTION.value
        return _choice(str(value), PROPOSAL_KIND_NAMES, N_("proposal kind"))

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        if value is None:
            return ProposalStatus.SUBMITTED.value
        return _choice(str(value), PROPOSAL_STATUS_NAMES, N_("proposal status"))

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if isinstance(value, str):
            level = normalise_level(value)
            if level is None:
                raise RowProblem("{value!r} is not a level (全国/省/市/县/乡)", value=value)
            return level
        return value

    @field_validator("coSponsorIds", "contributorIds", "issueIds", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _list(value)

    @field_validator("submittedOn", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return parse_date(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not 4 <= len(value) <= 80:
            raise RowProblem("a title has 4 to 80 characters, not {length}", length=len(value))
        return value

    @model_validator(mode="after")
    def _people(self) -> ProposalRow:
        if self.leadId in self.coSponsorIds:
            raise RowProblem("the lead {lead} is not also a co-sponsor", lead=self.leadId)
        if len(set(self.coSponsorIds)) != len(self.coSponsorIds):
            raise RowProblem("a co-sponsor is named twice")
        return self


def _at(day: str | None, hour: int) -> dt.datetime | None:
    """The instant a sheet's date stands for: ``hour`` o'clock that day, China time."""
    if day is None:
        return None
    return dt.datetime.combine(date.fromisoformat(day), dt.time(hour), CHINA)


class ProposalHandlingRow(RosterRow):
    """The handling of one proposal as an office's sheet records it: the units, the day of the
    assignment, the replies and the verdicts (a second round after a 不满意 verdict)."""

    KEY: ClassVar[tuple[str, ...]] = ("proposalId",)
    proposalId: str
    leadUnitId: str
    assistingUnitIds: list[str] = Field(default_factory=list)
    assignedOn: str
    complex: bool = False
    repliedOn: str | None = None
    category: str | None = None
    replyText: str | None = None
    satisfaction: str | None = None
    ratedOn: str | None = None
    secondRepliedOn: str | None = None
    secondCategory: str | None = None
    secondReplyText: str | None = None
    secondSatisfaction: str | None = None
    secondRatedOn: str | None = None
    supervised: bool = False
    #: The handling facts (:func:`graphcoord.deadlines.proposal_timeline`), made when checked.
    facts: dict[str, Any] | None = None

    @field_validator("assistingUnitIds", mode="before")
    @classmethod
    def _units(cls, value: Any) -> Any:
        return _list(value)

    @field_validator(
        "assignedOn", "repliedOn", "ratedOn", "secondRepliedOn", "secondRatedOn", mode="before"
    )
    @classmethod
    def _date(cls, value: Any) -> Any:
        return parse_date(value)

    @field_validator("category", "secondCategory", mode="before")
    @classmethod
    def _category(cls, value: Any) -> Any:
        return (
            None if value is None else _choice(str(value), REPLY_CATEGORY_NAMES, N_("reply class"))
        )

    @field_validator("satisfaction", "secondSatisfaction", mode="before")
    @classmethod
    def _satisfaction(cls, value: Any) -> Any:
        if value is None:
            return None
        return _choice(str(value), SATISFACTION_NAMES, N_("verdict"))

    @field_validator("complex", "supervised", mode="before")
    @classmethod
    def _yes(cls, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return bool(value)
        return _choice(str(value), YES_NO, N_("yes/no")) == "YES"

    @model_validator(mode="after")
    def _timeline(self) -> ProposalHandlingRow:
        if self.leadUnitId in self.assistingUnitIds:
            raise RowProblem(
                "unit {unit} is the lead unit (主办); it cannot also assist", unit=self.leadUnitId
            )
        replies, verdicts = [], []
        for n, (on, category, text, verdict, rated) in enumerate(
            (
                (self.repliedOn, self.category, self.replyText, self.satisfaction, self.ratedOn),
                (
                    self.secondRepliedOn,
                    self.secondCategory,
                    self.secondReplyText,
                    self.secondSatisfaction,
                    self.secondRatedOn,
                ),
            ),
            start=1,
        ):
            if on is None:
                if category or verdict:
                    raise RowProblem(
                        "a reply class or verdict of round {n} needs its reply date", n=n
                    )
                continue
            if category is None:
                raise RowProblem("the reply of round {n} needs its class (A/B/C)", n=n)
            replies.append(ReplyStep(n, _at(on, 10), category, text))  # type: ignore[arg-type]
            if verdict is not None:
                when = _at(rated or on, 16)
                verdicts.append(VerdictStep(n, when, verdict))  # type: ignore[arg-type]
        assigned = _at(self.assignedOn, 9)
        assert assigned is not None
        try:
            facts = proposal_timeline(
                assigned, complex_=self.complex, replies=replies, verdicts=verdicts
            )
        except BadInput as error:
            raise RowProblem(error.template, **error.params) from None
        if self.supervised:
            facts["supervisedAt"] = assigned.isoformat()
        self.facts = facts
        return self
