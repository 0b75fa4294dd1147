"""The import kinds: their sheet names, accepted headers, models and the rows they produce.

An import kind is what a clerk's sheet holds (``deputies``); it produces rows of one or more
row kinds of :mod:`graphcoord.model` (a deputies sheet also yields ``chainWorkers``). Headers
are matched after trimming, half-width folding, lower-casing and dropping spaces, ``*`` and
bracketed notes such as ``（必填）``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphcoord.importer.models import (
    ActivityRow,
    AreaRow,
    AttendanceRow,
    ChainRow,
    CollectionPointRow,
    ContactRow,
    DepartmentRow,
    DeputyRow,
    GroupRow,
    LiaisonRow,
    MembershipRow,
    ObservationPointRow,
    ProposalHandlingRow,
    ProposalRow,
    RosterRow,
    StationRow,
)
from graphcoord.importer.text import cell_text

__all__ = [
    "FORBIDDEN_HEADERS",
    "KINDS",
    "KIND_ORDER",
    "KindSpec",
    "Reference",
    "header_key",
    "is_forbidden_header",
    "kind_for_name",
]


@dataclass(frozen=True)
class Reference:
    """A column that names a node of another kind (``area``, ``deputy``, ``group``, ``chain``,
    ``station``, ``activity``)."""

    field: str
    target: str
    many: bool = False


@dataclass(frozen=True)
class KindSpec:
    """Everything the importer knows about one import kind."""

    name: str
    names: tuple[str, ...]
    model: type[RosterRow]
    headers: dict[str, tuple[str, ...]]
    to_rows: Callable[[Any], list[tuple[str, dict[str, Any]]]]
    examples: tuple[dict[str, str], ...]
    references: tuple[Reference, ...] = ()
    #: Row kinds written, in write order; the first one carries the rejected count.
    row_kinds: tuple[str, ...] = ()
    #: What this kind defines for later kinds of the same file (area, deputy, group, chain).
    defines: str | None = None
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> tuple[str, ...]:
        fields = self.model.model_fields
        return tuple(name for name in self.headers if fields[name].is_required())

    @property
    def template_headers(self) -> list[str]:
        """The Chinese header of each column (the first alias)."""
        return [aliases[0] for aliases in self.headers.values()]


def _area_rows(row: AreaRow) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            "areas",
            {
                "code": row.code,
                "name": row.name,
                "kind": row.kind,
                "parentCode": row.parentCode,
                "population": row.population,
            },
        )
    ]


def _deputy_rows(row: DeputyRow) -> list[tuple[str, dict[str, Any]]]:
    deputy = {
        "id": row.id,
        "name": row.name,
        "level": row.level.value,
        "gender": row.gender,
        "occupation": row.occupation,
        "workUnit": row.workUnit,
        "sectors": row.sectors or None,
        "phone": row.phone,
        "status": row.status,
        "term": row.term,
        "electedIn": row.electedIn,
        "baseArea": row.baseArea,
    }
    workers = [("chainWorkers", {"deputyId": row.id, "chainId": c}) for c in row.chains]
    return [("deputies", deputy), *workers]


def _contact_rows(row: ContactRow) -> list[tuple[str, dict[str, Any]]]:
    # The basis is filled in by the validator once the deputy's level is known.
    return [("contacts", {"deputyId": row.deputyId, "areaCode": row.areaCode, "basis": row.basis})]


def _group_rows(row: GroupRow) -> list[tuple[str, dict[str, Any]]]:
    return [("groups", row.model_dump(include={"id", "name", "kind", "room", "theme", "areaCode"}))]


def _membership_rows(row: MembershipRow) -> list[tuple[str, dict[str, Any]]]:
    return [("memberships", row.model_dump(include={"deputyId", "groupId", "role"}))]


def _chain_rows(row: ChainRow) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("clusters", {"id": row.clusterId, "name": row.clusterName}),
        ("chains", {"id": row.id, "name": row.name, "clusterId": row.clusterId}),
    ]


def _point_rows(row: ObservationPointRow) -> list[tuple[str, dict[str, Any]]]:
    fields = {"id", "name", "enterprise", "role", "chainId", "areaCode"}
    return [("observationPoints", row.model_dump(include=fields))]


def _liaison_rows(row: LiaisonRow) -> list[tuple[str, dict[str, Any]]]:
    return [("liaisons", {"fromId": row.fromId, "toId": row.toId})]


def _activity_rows(row: ActivityRow) -> list[tuple[str, dict[str, Any]]]:
    if row.stationId is not None:
        fields = {"id", "stationId", "title", "date", "topic", "notice", "voterCount"}
        return [("activityDays", row.model_dump(include=fields))]
    fields = {"id", "title", "date", "kind", "groupId", "series"}
    return [("activities", row.model_dump(include=fields))]


def _station_rows(row: StationRow) -> list[tuple[str, dict[str, Any]]]:
    fields = {"id", "name", "kind", "monthlyActivityDay", "areaCode"}
    receptions = [("receptions", {"deputyId": d, "placeId": row.id}) for d in row.deputyIds]
    return [("stations", row.model_dump(include=fields)), *receptions]


def _collection_point_rows(row: CollectionPointRow) -> list[tuple[str, dict[str, Any]]]:
    fields = {"id", "name", "kind", "areaCode"}
    receptions = [("receptions", {"deputyId": d, "placeId": row.id}) for d in row.deputyIds]
    return [("collectionPoints", row.model_dump(include=fields)), *receptions]


def _attendance_rows(row: AttendanceRow) -> list[tuple[str, dict[str, Any]]]:
    return [("attendances", {"deputyId": row.deputyId, "activityId": row.activityId})]


def _department_rows(row: DepartmentRow) -> list[tuple[str, dict[str, Any]]]:
    return [("departments", row.model_dump(include={"id", "name", "kind", "areaCode"}))]


def _proposal_rows(row: ProposalRow) -> list[tuple[str, dict[str, Any]]]:
    # congressLevel and congressAreaCode are the lead's: filled in by the validator.
    proposal = {
        "id": row.id,
        "title": row.title,
        "kind": row.kind,
        "body": row.body,
        "congressLevel": row.level.value if row.level else None,
        "congressAreaCode": None,
        "session": row.session,
        "status": row.status,
        "submittedOn": row.submittedOn,
    }
    rows: list[tuple[str, dict[str, Any]]] = [("proposals", proposal)]
    rows.append(("sponsorships", {"deputyId": row.leadId, "proposalId": row.id, "role": "LEAD"}))
    rows += [
        ("sponsorships", {"deputyId": d, "proposalId": row.id, "role": "CO"})
        for d in row.coSponsorIds
    ]
    rows += [("addresses", {"proposalId": row.id, "issueId": i}) for i in row.issueIds]
    rows += [
        ("contributions", {"deputyId": d, "proposalId": row.id, "note": None})
        for d in row.contributorIds
    ]
    return rows


def _proposal_handling_rows(row: ProposalHandlingRow) -> list[tuple[str, dict[str, Any]]]:
    facts = dict(row.facts or {})
    handling = {
        "proposalId": row.proposalId,
        "leadUnitId": row.leadUnitId,
        "assistingUnitIds": list(row.assistingUnitIds),
        "supervisedAt": None,
        "supervisionNote": None,
        **facts,
    }
    digest = hashlib.sha1(
        json.dumps(handling, ensure_ascii=False, sort_keys=True, default=str).encode()
    ).hexdigest()
    return [("proposalHandlings", {**handling, "digest": digest})]


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            "areas",
            ("区划", "行政区划", "区划代码", "区域", "areas"),
            AreaRow,
            {
                "code": ("区划代码", "统计用区划代码", "代码", "code", "areaCode"),
                "name": ("名称", "区划名称", "单位名称", "name"),
                "kind": ("类型", "区划类型", "层级", "kind"),
                "parentCode": ("上级代码", "上级区划代码", "parentCode", "parent"),
                "population": ("人口", "户籍人口", "population"),
            },
            _area_rows,
            (
                {"区划代码": "321302001000", "名称": "幸福街道", "类型": "街道", "上级代码": ""},
                {
                    "区划代码": "321302001001",
                    "名称": "幸福社区",
                    "类型": "社区",
                    "上级代码": "321302001000",
                    "人口": "3200",
                },
            ),
            references=(Reference("parentCode", "area"),),
            row_kinds=("areas",),
            defines="area",
            notes={
                "kind": "derived from the code when absent (社区 names → COMMUNITY)",
                "parentCode": "derived from the code when absent",
            },
        ),
        KindSpec(
            "deputies",
            ("代表", "代表名单", "人大代表", "deputies"),
            DeputyRow,
            {
                "id": ("代表编号", "编号", "id", "deputyId"),
                "name": ("姓名", "代表姓名", "name"),
                "level": ("代表层级", "层级", "级别", "代表级别", "level"),
                "gender": ("性别", "gender"),
                "workUnit": ("工作单位", "单位", "workUnit"),
                "occupation": ("职务", "职业", "occupation"),
                "phone": ("联系电话", "手机", "电话", "手机号码", "phone"),
                "electedIn": (
                    "选区代码",
                    "原选区代码",
                    "选区",
                    "constituencyCode",
                    "electedIn",
                ),
                "baseArea": ("居住或工作地代码", "居住地代码", "工作地代码", "baseArea"),
                "sectors": ("专业领域", "领域", "sectors"),
                "status": ("状态", "status"),
                "term": ("届次", "任期", "term"),
                "chains": ("所属产业链", "产业链", "chain", "chains"),
            },
            _deputy_rows,
            (
                {
                    "代表编号": "SQ-D09000",
                    "姓名": "李建国",
                    "代表层级": "市人大代表",
                    "性别": "男",
                    "工作单位": "宿迁某储能科技有限公司",
                    "职务": "董事长",
                    "联系电话": "0527-84361234",
                    "居住或工作地代码": "321302001000",
                    "所属产业链": "SQ-CH16",
                },
                {
                    "代表编号": "SQ-D09001",
                    "姓名": "王晓梅",
                    "代表层级": "县",
                    "性别": "女",
                    "工作单位": "宿城区幸福街道幸福社区",
                    "职务": "社区党委书记",
                    "联系电话": "13812345678",
                    "选区代码": "321302001000",
                    "居住或工作地代码": "321302001000",
                    "专业领域": "基层治理;民生",
                    "状态": "在任",
                    "届次": "2021-2026",
                    "所属产业链": "",
                },
            ),
            references=(
                Reference("electedIn", "area"),
                Reference("baseArea", "area"),
                Reference("chains", "chain", many=True),
            ),
            row_kinds=("deputies", "chainWorkers"),
            defines="deputy",
            notes={"chains": "chain ids separated by ; 、 or ,", "sectors": "separated by ;"},
        ),
        KindSpec(
            "contacts",
            ("联系", "联系村", "联系点", "联系村居", "contacts"),
            ContactRow,
            {
                "deputyId": ("代表编号", "deputyId", "id"),
                "areaCode": (
                    "联系村(社区)代码",
                    "联系村代码",
                    "村(社区)代码",
                    "联系村居代码",
                    "villageCode",
                    "areaCode",
                ),
                "basis": ("联系方式", "联系依据", "basis"),
            },
            _contact_rows,
            ({"代表编号": "SQ-D09001", "联系村(社区)代码": "321302001001", "联系方式": "原选区"},),
            references=(Reference("deputyId", "deputy"), Reference("areaCode", "area")),
            row_kinds=("contacts",),
            notes={"basis": "derived from the deputy's level when absent"},
        ),
        KindSpec(
            "chains",
            ("产业链", "产业集群", "产业链群", "chains", "clusters"),
            ChainRow,
            {
                "id": ("产业链编号", "链编号", "chainId", "id"),
                "name": ("产业链名称", "产业链", "chainName", "name"),
                "clusterId": ("产业集群编号", "集群编号", "clusterId"),
                "clusterName": ("产业集群名称", "产业集群", "clusterName"),
            },
            _chain_rows,
            (
                {
                    "产业链编号": "SQ-CH16",
                    "产业链名称": "新型储能",
                    "产业集群编号": "SQ-CL01",
                    "产业集群名称": "新能源",
                },
            ),
            row_kinds=("chains", "clusters"),
            defines="chain",
        ),
        KindSpec(
            "groups",
            ("小组", "协同小组", "协同联动组", "代表小组", "groups"),
            GroupRow,
            {
                "id": ("小组编号", "编号", "id", "groupId"),
                "name": ("小组名称", "名称", "name"),
                "kind": ("小组类型", "类型", "kind"),
                "room": ("活动室", "room"),
                "theme": ("主题", "theme"),
                "areaCode": ("所在区划代码", "区划代码", "areaCode"),
            },
            _group_rows,
            (
                {
                    "小组编号": "SQ-G31",
                    "小组名称": "幸福街道协同联动组",
                    "小组类型": "协同联动组",
                    "活动室": "幸福街道代表之家",
                    "主题": "我行动",
                    "所在区划代码": "321302001000",
                },
            ),
            references=(Reference("areaCode", "area"),),
            row_kinds=("groups",),
            defines="group",
        ),
        KindSpec(
            "memberships",
            ("成员", "小组成员", "组员", "memberships", "members"),
            MembershipRow,
            {
                "deputyId": ("代表编号", "deputyId"),
                "groupId": ("小组编号", "groupId"),
                "role": ("角色", "职务", "role"),
            },
            _membership_rows,
            ({"代表编号": "SQ-D09001", "小组编号": "SQ-G31", "角色": "召集人"},),
            references=(Reference("deputyId", "deputy"), Reference("groupId", "group")),
            row_kinds=("memberships",),
            notes={"role": "MEMBER when absent; each group needs exactly one 召集人"},
        ),
        KindSpec(
            "observation-points",
            ("观察点", "经济运行观察点", "observation-points", "observationPoints"),
            ObservationPointRow,
            {
                "id": ("观察点编号", "编号", "id"),
                "name": ("观察点名称", "名称", "name"),
                "enterprise": ("所在企业", "企业", "enterprise"),
                "role": ("类别", "角色", "类型", "role"),
                "chainId": ("产业链编号", "chainId"),
                "areaCode": ("区划代码", "所在区划代码", "areaCode"),
            },
            _point_rows,
            (
                {
                    "观察点编号": "SQ-OP42",
                    "观察点名称": "储能企业观察点",
                    "所在企业": "宿迁某储能科技有限公司",
                    "类别": "协同",
                    "产业链编号": "SQ-CH16",
                    "区划代码": "321302001000",
                },
            ),
            references=(Reference("chainId", "chain"), Reference("areaCode", "area")),
            row_kinds=("observationPoints",),
        ),
        KindSpec(
            "liaisons",
            ("联系人", "代表联系人", "联系制度", "liaisons"),
            LiaisonRow,
            {
                "fromId": ("联系人代表编号", "上级代表编号", "fromId"),
                "toId": ("被联系代表编号", "下级代表编号", "toId"),
            },
            _liaison_rows,
            ({"联系人代表编号": "SQ-D09000", "被联系代表编号": "SQ-D09001"},),
            references=(Reference("fromId", "deputy"), Reference("toId", "deputy")),
            row_kinds=("liaisons",),
            notes={"fromId": "the higher-level deputy; liaison goes downward"},
        ),
        KindSpec(
            "activities",
            ("活动", "小组活动", "代表活动日", "活动日", "activities"),
            ActivityRow,
            {
                "id": ("活动编号", "编号", "id"),
                "title": ("活动名称", "标题", "title"),
                "date": ("活动日期", "日期", "date"),
                "kind": ("活动类型", "类型", "kind"),
                "groupId": ("小组编号", "groupId"),
                "series": ("系列", "主题系列", "series"),
                "stationId": ("联络站编号", "站点编号", "联络站(点)编号", "stationId"),
                "topic": ("活动主题", "主题", "议题", "topic"),
                "notice": ("通告", "活动通告", "notice"),
                "voterCount": ("接待选民人数", "接待选民数", "选民人数", "voterCount"),
            },
            _activity_rows,
            (
                {
                    "活动编号": "SQ-A9001",
                    "活动名称": "幸福街道协同联动组季度活动",
                    "活动日期": "2024-03-15",
                    "活动类型": "RESEARCH",
                    "小组编号": "SQ-G31",
                    "系列": "我行动",
                },
                {
                    "活动编号": "SQ-AD9001",
                    "活动名称": "幸福街道人大代表联络站代表活动日",
                    "活动日期": "2024-12-16",
                    "联络站编号": "SQ-ST01",
                    "活动主题": "老旧小区改造",
                    "接待选民人数": "12",
                },
            ),
            references=(Reference("groupId", "group"), Reference("stationId", "station")),
            row_kinds=("activities", "activityDays"),
            defines="activity",
            notes={
                "stationId": "a station's activity day (kind ACTIVITY_DAY); else a group's",
                "voterCount": "voters received on a station's activity day",
            },
        ),
        KindSpec(
            "stations",
            ("联络站", "代表联络站", "人大代表联络站", "联络站点", "stations"),
            StationRow,
            {
                "id": ("联络站编号", "站点编号", "编号", "id", "stationId"),
                "name": ("联络站名称", "站点名称", "名称", "name"),
                "kind": ("类型", "站点类型", "kind"),
                "areaCode": ("所在区划代码", "区划代码", "所在乡镇(村)代码", "areaCode"),
                "monthlyActivityDay": ("每月活动日", "活动日", "monthlyActivityDay"),
                "deputyIds": ("进站代表编号", "接待代表编号", "代表编号", "deputyIds"),
            },
            _station_rows,
            (
                {
                    "联络站编号": "SQ-ST01",
                    "联络站名称": "幸福街道人大代表联络站",
                    "类型": "联络站",
                    "所在区划代码": "321302001000",
                    "每月活动日": "15",
                    "进站代表编号": "SQ-D09000;SQ-D09001",
                },
                {
                    "联络站编号": "SQ-PT01",
                    "联络站名称": "幸福社区人大代表联络点",
                    "类型": "联络点",
                    "所在区划代码": "321302001001",
                    "每月活动日": "每月20日",
                },
            ),
            references=(Reference("areaCode", "area"), Reference("deputyIds", "deputy", many=True)),
            row_kinds=("stations", "receptions"),
            defines="station",
            notes={
                "kind": "联络站 (one per township, in the township) or 联络点 (in the township or "
                "one of its villages)",
                "monthlyActivityDay": "1-28; moved to the next working day when scheduled",
                "deputyIds": "deputies received there, separated by ; 、 or ,",
            },
        ),
        KindSpec(
            "collection-points",
            ("收集点", "社情民意收集点", "意见收集点", "collection-points", "collectionPoints"),
            CollectionPointRow,
            {
                "id": ("收集点编号", "编号", "id"),
                "name": ("收集点名称", "名称", "name"),
                "kind": ("类型", "位置类型", "kind"),
                "areaCode": ("所在区划代码", "区划代码", "areaCode"),
                "deputyIds": ("接待代表编号", "代表编号", "deputyIds"),
            },
            _collection_point_rows,
            (
                {
                    "收集点编号": "SQ-CP138",
                    "收集点名称": "幸福广场社情民意收集点",
                    "类型": "广场",
                    "所在区划代码": "321302001000",
                    "接待代表编号": "SQ-D09000;SQ-D09001",
                },
            ),
            references=(Reference("areaCode", "area"), Reference("deputyIds", "deputy", many=True)),
            row_kinds=("collectionPoints", "receptions"),
            notes={"deputyIds": "deputies received there, separated by ; 、 or ,"},
        ),
        KindSpec(
            "attendance",
            ("出席", "出席代表", "进站代表", "签到", "attendance", "attendances"),
            AttendanceRow,
            {
                "activityId": ("活动编号", "activityId"),
                "deputyId": ("代表编号", "deputyId"),
            },
            _attendance_rows,
            ({"活动编号": "SQ-AD9001", "代表编号": "SQ-D09001"},),
            references=(Reference("activityId", "activity"), Reference("deputyId", "deputy")),
            row_kinds=("attendances",),
            notes={"activityId": "a station's activity day or a group's activity"},
        ),
        KindSpec(
            "departments",
            ("承办单位", "承办部门", "部门", "单位", "departments"),
            DepartmentRow,
            {
                "id": ("单位编号", "部门编号", "编号", "id", "departmentId"),
                "name": ("单位名称", "部门名称", "承办单位", "名称", "name"),
                "kind": ("单位类型", "部门类型", "类型", "kind"),
                "areaCode": ("所在区划代码", "区划代码", "所在地区代码", "areaCode"),
            },
            _department_rows,
            (
                {
                    "单位编号": "SQ-DEP-321302001-GOV",
                    "单位名称": "幸福街道办事处",
                    "单位类型": "街道办事处",
                    "所在区划代码": "321302001000",
                },
                {
                    "单位编号": "SQ-DEP-321302001001-SVC",
                    "单位名称": "幸福社区党群服务中心",
                    "单位类型": "",
                    "所在区划代码": "321302001001",
                },
            ),
            references=(Reference("areaCode", "area"),),
            row_kinds=("departments",),
            notes={"kind": "derived from the area when absent (township → its government)"},
        ),
        KindSpec(
            "proposals",
            ("议案建议", "代表建议", "议案", "建议", "proposals"),
            ProposalRow,
            {
                "id": ("编号", "议案建议编号", "建议编号", "议案编号", "id", "proposalId"),
                "kind": ("类别", "类型", "议案建议类别", "kind"),
                "title": ("标题", "案由", "题目", "建议标题", "title"),
                "body": ("内容", "正文", "建议内容", "body"),
                "session": ("会议", "会次", "届次会议", "提交会议", "session"),
                "leadId": ("领衔代表编号", "领衔代表", "提出代表编号", "代表编号", "leadId"),
                "coSponsorIds": ("联名代表编号", "附议代表编号", "联名代表", "coSponsorIds"),
                "contributorIds": (
                    "协同代表编号",
                    "跨层级协同代表编号",
                    "参与代表编号",
                    "contributorIds",
                ),
                "issueIds": ("原始意见编号", "来源意见编号", "群众意见编号", "issueIds"),
                "level": ("人大层级", "层级", "代表层级", "level"),
                "submittedOn": ("提交日期", "提出日期", "submittedOn"),
                "status": ("状态", "status"),
            },
            _proposal_rows,
            (
                {
                    "编号": "SQ-P2025-001",
                    "类别": "建议",
                    "标题": "关于加快老旧小区改造的建议",
                    "内容": "部分小区管网老化，建议纳入年度改造计划。",
                    "会议": "宿迁市人大2025年会议",
                    "领衔代表编号": "SQ-D09000",
                    "联名代表编号": "",
                    "协同代表编号": "SQ-D09001",
                    "提交日期": "2025-01-14",
                },
            ),
            references=(
                Reference("leadId", "deputy"),
                Reference("coSponsorIds", "deputy", many=True),
                Reference("contributorIds", "deputy", many=True),
                Reference("issueIds", "issue", many=True),
            ),
            row_kinds=("proposals", "sponsorships", "addresses", "contributions"),
            defines="proposal",
            notes={
                "kind": "议案 (a motion: needs same-level co-sponsors, 30/10/10/10/5 with the "
                "lead) or 建议 (default)",
                "leadId": "the proposal's level and congress are the lead's",
                "coSponsorIds": "deputies of the lead's congress, separated by ; 、 or ,",
                "contributorIds": "deputies of other levels who contributed (跨层级协同)",
                "status": "草稿 or 已提交 (default); later statuses come from 办理情况",
            },
        ),
        KindSpec(
            "proposal-handling",
            ("办理情况", "建议办理", "议案建议办理", "承办情况", "proposal-handling"),
            ProposalHandlingRow,
            {
                "proposalId": ("议案建议编号", "建议编号", "编号", "proposalId"),
                "leadUnitId": ("主办单位编号", "主办单位", "leadUnitId"),
                "assistingUnitIds": ("协办单位编号", "协办单位", "assistingUnitIds"),
                "assignedOn": ("交办日期", "交办时间", "assignedOn"),
                "complex": ("办理期限", "是否复杂", "complex"),
                "repliedOn": ("答复日期", "答复时间", "repliedOn"),
                "category": ("答复类别", "办理类别", "category"),
                "replyText": ("答复内容", "答复摘要", "replyText"),
                "satisfaction": ("代表评价", "满意度", "代表满意度", "satisfaction"),
                "ratedOn": ("评价日期", "ratedOn"),
                "secondRepliedOn": ("再次答复日期", "secondRepliedOn"),
                "secondCategory": ("再次答复类别", "secondCategory"),
                "secondReplyText": ("再次答复内容", "secondReplyText"),
                "secondSatisfaction": ("再次评价", "再次满意度", "secondSatisfaction"),
                "secondRatedOn": ("再次评价日期", "secondRatedOn"),
                "supervised": ("重点督办", "supervised"),
            },
            _proposal_handling_rows,
            (
                {
                    "议案建议编号": "SQ-P2025-001",
                    "主办单位编号": "SQ-DEP-321302001-GOV",
                    "协办单位编号": "",
                    "交办日期": "2025-02-25",
                    "办理期限": "3个月",
                    "答复日期": "2025-05-20",
                    "答复类别": "A类",
                    "答复内容": "已纳入2025年改造计划",
                    "代表评价": "满意",
                    "评价日期": "2025-05-30",
                },
            ),
            references=(
                Reference("proposalId", "proposal"),
                Reference("leadUnitId", "department"),
                Reference("assistingUnitIds", "department", many=True),
            ),
            row_kinds=("proposalHandlings",),
            notes={
                "complex": "3个月 (default) or 6个月/复杂: the reply is due 3 or 6 months after "
                "the assignment",
                "category": "A类 (已解决或基本解决), B类 (列入计划逐步解决), C类 (留作参考)",
                "satisfaction": "满意, 基本满意 or 不满意; 不满意 opens a second round (再次答复, "
                "due one month later)",
            },
        ),
    )
}

#: Dependency order: a kind may reference kinds before it in the same file.
KIND_ORDER: tuple[str, ...] = (
    "areas",
    "chains",
    "deputies",
    "contacts",
    "groups",
    "memberships",
    "observation-points",
    "liaisons",
    "stations",
    "collection-points",
    "activities",
    "attendance",
    "departments",
    "proposals",
    "proposal-handling",
)

_HEADER_NOISE = re.compile(r"[\s*＊]|[(（](必填|选填|可选|required|optional)[)）]", re.IGNORECASE)

#: A numbered part of a roster in a sheet's name: 代表名单（一）, 代表名单(2), 代表名单3.
_SHEET_SUFFIX = re.compile(r"([(（][^)）]{1,6}[)）]|-?\d{1,3})$")

#: Column headers that would carry national ID numbers: such a column is refused.
FORBIDDEN_HEADERS = (
    "身份证",
    "身份号码",
    "证件号",
    "idcard",
    "nationalid",
    "idnumber",
    "citizenid",
)


def header_key(value: Any) -> str:
    """A header as compared with the aliases: trimmed, half-width, lower-case, no notes."""
    return _HEADER_NOISE.sub("", cell_text(value)).lower()


def is_forbidden_header(key: str) -> bool:
    return any(word in key for word in FORBIDDEN_HEADERS)


def kind_for_name(name: str) -> str | None:
    """The import kind a sheet or file is named after (Chinese or English), or ``None``."""
    key = _SHEET_SUFFIX.sub("", header_key(name).replace("_", "-")) or header_key(name)
    for spec in KINDS.values():
        if key in {header_key(n).replace("_", "-") for n in spec.names}:
            return spec.name
    return None
