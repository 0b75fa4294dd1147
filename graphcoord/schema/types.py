"""The graph's GraphQL types: deputies, areas, groups, chains and activities, and the coverage
answers an area or a group carries.

They reference each other (an area's coverage lists areas and deputies), so they live
together; each is built from a row of the data layer (``from_row``) and resolves its
relations through the request's DataLoaders.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graphcoord.errors import NotFound
from graphcoord.model import AreaKind as AreaKindEnum
from graphcoord.model import GroupKind as GroupKindEnum
from graphcoord.model import Level as LevelEnum
from graphcoord.schema.context import Context
from graphcoord.schema.execution import DIRECT_READ, NotPlain
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import CanSeePrivateDetails, IsSignedIn
from graphcoord.schema.record_types import DeputyRecord, DeputyScore, load_record, load_score
from graphcoord.services import analysis
from graphcoord.services.directory import Area as AreaRow

__all__ = [
    "Activity",
    "Area",
    "AreaKind",
    "Chain",
    "Coverage",
    "Deputy",
    "Group",
    "GroupCompliance",
    "GroupCoverageInfo",
    "GroupKind",
    "GroupMembership",
    "GroupOverlap",
    "Level",
    "Member",
    "VillageList",
    "area_coverage",
    "area_from_code",
    "areas_from_codes",
    "deputies_from_ids",
    "deputy_from_id",
]

# Registering the model's enums makes them GraphQL enums under their own names.
strawberry.enum(LevelEnum, description="The five levels of people's congress.")
strawberry.enum(AreaKindEnum)
strawberry.enum(GroupKindEnum)
Level = LevelEnum
AreaKind = AreaKindEnum
GroupKind = GroupKindEnum

Ctx = Info[Context, None]
Row = TypeVar("Row")
V = TypeVar("V")


def now_or_later(
    row: Row | None, load: Callable[[], Awaitable[Row]], read: Callable[[Row], V]
) -> Any:
    """``read(row)`` at once when the row is in memory, else an awaitable of it after ``load``.

    Resolvers of a node's stored fields return this: graphql-core awaits a field's value only
    if it is awaitable, so a node whose row a query already holds completes without a
    coroutine per field and a task per list item (``async def`` resolvers always cost both).
    """
    if row is not None:
        return read(row)

    async def later() -> V:
        return read(await load())

    return later()


def load_now_or_later(loader: DataLoader[str, Any], key: str, read: Callable[[Any], V]) -> Any:
    """``read`` of ``loader``'s value for ``key``: at once when a batch has already fetched it
    (a page that read its nodes' relations ahead, see :func:`~graphcoord.schema.pagination.node_fields`),
    else an awaitable of it, batched with the other keys asked in the same tick."""
    future = loader.load(key)
    if (
        isinstance(future, asyncio.Future)
        and future.done()
        and not future.cancelled()
        and future.exception() is None
    ):
        return read(future.result())

    async def later() -> V:
        return read(await future)

    return later()


def stored_field(read: Callable[[Any], Any], **options: Any) -> Any:
    """A field of a node's stored row: ``read(row)``, once the row is loaded if it was not.

    Declared with the field's type (``name: str = stored_field(lambda row: row.name)``) on a
    type with a ``row`` and a ``_read(info, read)`` (:func:`now_or_later`). The read is also
    the field's :data:`~graphcoord.schema.execution.DIRECT_READ`, so that an answer completed
    by a plan reads a row already in memory without the resolver.
    """

    def resolve(self: Any, info: Ctx):  # type: ignore[no-untyped-def]  # the field's type
        return self._read(info, read)

    def direct(node: Any) -> Any:
        if node.row is None:
            raise NotPlain
        return read(node.row)

    return strawberry.field(resolver=resolve, metadata={DIRECT_READ: direct}, **options)


@strawberry.type(description="A statistical division: province, city, county, township, village.")
class Area:
    """Made from a stored row, or from the code of an area known to exist (``from_code``):
    then its other fields are loaded only if a query asks for them."""

    code: str
    row: strawberry.Private[AreaRow | None] = None

    @classmethod
    def from_row(cls, row: AreaRow) -> Area:
        return cls(code=row.code, row=row)

    @classmethod
    def from_code(cls, code: str) -> Area:
        return cls(code=code)

    async def _stored(self, info: Ctx) -> AreaRow:
        if self.row is None:
            self.row = await info.context.loaders.area.load(self.code)
            if self.row is None:
                raise NotFound("area", self.code)
        return self.row

    def _read(self, info: Ctx, read: Callable[[AreaRow], V]) -> Any:
        return now_or_later(self.row, lambda: self._stored(info), read)

    name: str = stored_field(lambda row: row.name)

    kind: AreaKindEnum = stored_field(lambda row: AreaKindEnum(row.kind))

    population: int | None = stored_field(lambda row: row.population)

    @strawberry.field
    async def parent(self, info: Ctx) -> Area | None:
        parent = (await self._stored(info)).parent_code
        if parent is None:
            return None
        return await area_from_code(info, parent)

    @strawberry.field(description="The divisions directly below this one, by code.")
    async def children(self, info: Ctx) -> list[Area]:
        rows = await info.context.loaders.area_children.load(self.code)
        info.context.loaders.area.prime_many({row.code: row for row in rows})
        return [Area.from_row(row) for row in rows]

    @strawberry.field(description="Who covers the villages under this area, and the gaps.")
    async def coverage(self, info: Ctx) -> Coverage:
        return await area_coverage(info, self.code)


async def area_from_code(info: Ctx, code: str | None) -> Area | None:
    if code is None:
        return None
    row = await info.context.loaders.area.load(code)
    return Area.from_row(row) if row is not None else None


async def areas_from_codes(info: Ctx, codes: list[str]) -> list[Area]:
    rows = await info.context.loaders.area.load_many(codes)
    return [Area.from_row(row) for row in rows if row is not None]


@strawberry.type(description="An industry chain and its cluster.")
class Chain:
    id: strawberry.ID
    name: str
    cluster_id: str | None
    cluster_name: str | None


@strawberry.type(description="A deputy's membership of a group.")
class GroupMembership:
    role: str
    # An attribute, not a resolver: a page of deputies has ~100 memberships, and a resolver
    # costs strawberry an argument conversion and an extension call each.
    group: Group | None  # memberships end at stored groups; its fields load when asked


@strawberry.type(description="A people's-congress deputy of one of the five levels.")
class Deputy:
    """Made from a stored row (``from_row``), or from the id, name and level an analysis
    already holds (``from_brief``): then the other fields are loaded only if a query asks."""

    id: strawberry.ID
    name: str
    level: LevelEnum
    row: strawberry.Private[dict[str, Any] | None] = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Deputy:
        return cls(
            id=strawberry.ID(row["id"]),
            name=row.get("name") or row["id"],
            level=LevelEnum(row["level"]),
            row=row,
        )

    @classmethod
    def from_brief(cls, deputy_id: str, name: str | None, level: str) -> Deputy:
        return cls(id=strawberry.ID(deputy_id), name=name or deputy_id, level=LevelEnum(level))

    async def _stored(self, info: Ctx) -> dict[str, Any]:
        if self.row is None:
            self.row = await info.context.loaders.deputy.load(str(self.id)) or {}
        return self.row

    def _read(self, info: Ctx, read: Callable[[dict[str, Any]], V]) -> Any:
        return now_or_later(self.row, lambda: self._stored(info), read)

    gender: str | None = stored_field(lambda row: row.get("gender"))

    occupation: str | None = stored_field(lambda row: row.get("occupation"))

    work_unit: str | None = stored_field(lambda row: row.get("workUnit"))

    sectors: list[str] = stored_field(lambda row: list(row.get("sectors") or []))

    status: str = stored_field(lambda row: str(row.get("status") or "ACTIVE"))

    term: str | None = stored_field(lambda row: row.get("term"))

    @strawberry.field(
        description="Phone number: organizers and admins only.",
        permission_classes=[CanSeePrivateDetails],
    )
    async def phone(self, info: Ctx) -> str | None:
        return (await self._stored(info)).get("phone")

    @strawberry.field(description="Original constituency (county/township) or electing area.")
    async def elected_in(self, info: Ctx) -> Area | None:
        return await area_from_code(info, (await self._stored(info)).get("electedIn"))

    @strawberry.field(description="Township of home or work (basis of near-home contacts).")
    async def base_area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, (await self._stored(info)).get("baseArea"))

    @strawberry.field(description="Villages and communities this deputy contacts.")
    def contacts(self, info: Ctx) -> list[Area]:
        return load_now_or_later(
            info.context.loaders.deputy_contacts,
            str(self.id),
            lambda codes: [Area.from_code(code) for code in codes],  # stored villages
        )

    @strawberry.field
    def groups(self, info: Ctx) -> list[GroupMembership]:
        return load_now_or_later(
            info.context.loaders.deputy_groups,
            str(self.id),
            lambda rows: [
                GroupMembership(role=role, group=Group.from_row(group)) for _, role, group in rows
            ],
        )

    @strawberry.field(description="Chains worked on or observed at an observation point.")
    def chains(self, info: Ctx) -> list[Chain]:
        return load_now_or_later(
            info.context.loaders.deputy_chains,
            str(self.id),
            lambda rows: [
                Chain(
                    id=strawberry.ID(r["chainId"]),
                    name=r["name"],
                    cluster_id=r["clusterId"],
                    cluster_name=r["clusterName"],
                )
                for r in rows
            ],
        )

    @strawberry.field(description="Lower-level deputies this deputy liaises for.")
    async def liaison_for(self, info: Ctx) -> list[Deputy]:
        down, _ = await info.context.loaders.deputy_liaisons.load(str(self.id))
        return await deputies_from_ids(info, down)

    @strawberry.field(description="Higher-level deputies who liaise for this deputy.")
    async def liaised_by(self, info: Ctx) -> list[Deputy]:
        _, up = await info.context.loaders.deputy_liaisons.load(str(self.id))
        return await deputies_from_ids(info, up)

    @strawberry.field(description="Tracked issues not yet resolved or closed.")
    async def open_issue_count(self, info: Ctx) -> int:
        return int(await info.context.loaders.deputy_open_issues.load(str(self.id)))

    @strawberry.field(
        description="The performance record (履职档案) of a calendar year: organizers, "
        "planners, admins, and the deputy themself.",
        permission_classes=[IsSignedIn],
    )
    async def record(self, info: Ctx, year: int) -> DeputyRecord | None:
        row = await load_record(info, str(self.id), year)
        return DeputyRecord.from_row(row) if row is not None else None

    @strawberry.field(
        description="The assessment score (定量考核) of a year with its breakdown, by the "
        "scoring table of the state folder: same readers as the record.",
        permission_classes=[IsSignedIn],
    )
    async def score(self, info: Ctx, year: int) -> DeputyScore | None:
        return await load_score(info, str(self.id), year)


async def deputy_from_id(info: Ctx, deputy_id: str) -> Deputy | None:
    row = await info.context.loaders.deputy.load(deputy_id)
    return Deputy.from_row(row) if row is not None else None


async def deputies_from_ids(info: Ctx, ids: list[str]) -> list[Deputy]:
    rows = await info.context.loaders.deputy.load_many(ids)
    return [Deputy.from_row(row) for row in rows if row is not None]


@strawberry.type(description="A group member and their role.")
class Member:
    role: str
    deputy: Deputy


@strawberry.type(description="An activity a group held.")
class Activity:
    id: strawberry.ID
    title: str
    date: str
    kind: str | None
    series: str | None
    attendance: int


@strawberry.type(description="A collaborative linkage group, supervision group or deputy team.")
class Group:
    """Made from a stored row, or from the id of a group known to exist (``from_id``): then
    its other fields are loaded only if a query asks for them."""

    id: strawberry.ID
    row: strawberry.Private[dict[str, Any] | None] = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Group:
        return cls(id=strawberry.ID(row["id"]), row=row)

    @classmethod
    def from_id(cls, group_id: str) -> Group:
        return cls(id=strawberry.ID(group_id))

    async def _stored(self, info: Ctx) -> dict[str, Any]:
        if self.row is None:
            self.row = await info.context.loaders.group.load(str(self.id))
            if self.row is None:
                raise NotFound("group", str(self.id))
        return self.row

    def _read(self, info: Ctx, read: Callable[[dict[str, Any]], V]) -> Any:
        return now_or_later(self.row, lambda: self._stored(info), read)

    name: str = stored_field(lambda row: str(row.get("name") or row["id"]))

    kind: GroupKindEnum = stored_field(
        lambda row: GroupKindEnum(row.get("kind") or "COLLABORATIVE")
    )

    room: str | None = stored_field(lambda row: row.get("room"))

    theme: str | None = stored_field(lambda row: row.get("theme"))

    area_code: str | None = stored_field(lambda row: row.get("areaCode"))

    @strawberry.field
    async def area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, (await self._stored(info)).get("areaCode"))

    @strawberry.field
    async def members(self, info: Ctx) -> list[Member]:
        rows = await info.context.loaders.group_members.load(str(self.id))
        info.context.loaders.deputy.prime_many({deputy: person for deputy, _, person in rows})
        return [Member(role=role, deputy=Deputy.from_row(person)) for _, role, person in rows]

    @strawberry.field(description="The group's one convener (召集人).")
    async def convener(self, info: Ctx) -> Deputy | None:
        rows = await info.context.loaders.group_members.load(str(self.id))
        conveners = [person for _, role, person in rows if role == "CONVENER"]
        return Deputy.from_row(conveners[0]) if conveners else None

    @strawberry.field(description="Villages its members cover, and the gaps in its area.")
    async def coverage(self, info: Ctx) -> GroupCoverageInfo | None:
        return await group_coverage(info, str(self.id))

    @strawberry.field(description="Other groups covering the same villages (Jaccard).")
    async def overlaps(self, info: Ctx) -> list[GroupOverlap]:
        return await group_overlaps(info, str(self.id))

    @strawberry.field(
        description="Activities per quarter of `year`; a quarter without one is a miss."
    )
    async def quarterly_compliance(self, info: Ctx, year: int) -> GroupCompliance | None:
        return await group_compliance(info, str(self.id), year)

    @strawberry.field
    async def activities(self, info: Ctx) -> list[Activity]:
        rows = await info.context.loaders.group_activities.load(str(self.id))
        return [
            Activity(
                id=strawberry.ID(r["activityId"]),
                title=r["title"] or "",
                date=r["date"],
                kind=r["kind"],
                series=r["series"],
                attendance=r["attendance"],
            )
            for r in rows
        ]


# -- answers of analyses nested in the nodes (coverage of an area or a group) -------------


def _village_connection(
    info: Ctx,
    codes: tuple[str, ...],
    first: int | None,
    after: str | None,
    places: Mapping[str, Mapping[str, Any]] | None = None,
) -> Any:
    """A page of villages (a ``Connection[Area]``, or an awaitable of it when some must be read).

    Villages that ``places`` (the answer's projection) knows are built from it at once; only
    the others are loaded, so a page the answer already holds costs no query and no await.
    """
    window = page_window(first, after, info.context.settings)
    page = list(codes[window.skip : window.skip + window.limit + 1])
    known: dict[str, Area] = {}
    for code in page:
        attrs = places.get(code) if places is not None else None
        if attrs is not None and attrs.get("name") and attrs.get("kind"):
            known[code] = Area.from_row(
                AreaRow(
                    code, attrs["name"], attrs["kind"], attrs.get("parent"), attrs.get("population")
                )
            )

    def connection(found: Mapping[str, Area]) -> Connection[Area]:
        rows = [found[code] for code in page if code in found]
        return connection_from_rows(rows, window, len(codes), lambda area: area)

    if len(known) == len(page):
        return connection(known)

    async def with_the_others() -> Connection[Area]:
        missing = [code for code in page if code not in known]
        loaded = {area.code: area for area in await areas_from_codes(info, missing)}
        return connection({**known, **loaded})

    return with_the_others()


@strawberry.type(description="Villages of an answer, paged.")
class VillageList:
    codes: strawberry.Private[tuple[str, ...]]

    @strawberry.field
    def count(self) -> int:
        return len(self.codes)

    @strawberry.field
    def villages(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Area]:
        return _village_connection(info, self.codes, first, after)


@strawberry.type(description="Coverage by deputies of one level.")
class LevelCoverage:
    level: LevelEnum
    covered_count: int
    coverage_rate: float


@strawberry.type(description="A deputy and how many villages in scope they contact.")
class DeputyLoad:
    deputy_id: strawberry.Private[str]
    villages: int

    @strawberry.field
    async def deputy(self, info: Ctx) -> Deputy | None:
        return await deputy_from_id(info, self.deputy_id)


@strawberry.type(description="Villages per deputy among the deputies of a scope.")
class Load:
    deputy_count: int
    contact_count: int
    mean: float
    min: int
    max: int
    gini: float
    most_loaded: list[DeputyLoad]
    least_loaded: list[DeputyLoad]


@strawberry.type(description="Who covers the villages of an area, and where the gaps are.")
class Coverage:
    area_code: str | None
    village_count: int
    covered_count: int
    coverage_rate: float
    by_level: list[LevelCoverage]
    load: Load
    report: strawberry.Private[analysis.CoverageReport]
    places: strawberry.Private[Mapping[str, Mapping[str, Any]]]

    @classmethod
    def from_report(
        cls, report: analysis.CoverageReport, places: Mapping[str, Mapping[str, Any]] | None = None
    ) -> Coverage:
        load = report.load
        return cls(
            area_code=report.area_code,
            village_count=report.village_count,
            covered_count=report.covered_count,
            coverage_rate=report.coverage_rate,
            by_level=[
                LevelCoverage(
                    level=LevelEnum(item.level),
                    covered_count=item.covered_count,
                    coverage_rate=item.coverage_rate,
                )
                for item in report.by_level
            ],
            load=Load(
                deputy_count=load.deputy_count,
                contact_count=load.contact_count,
                mean=load.mean,
                min=load.min,
                max=load.max,
                gini=load.gini,
                most_loaded=[
                    DeputyLoad(deputy_id=d.deputy_id, villages=d.villages) for d in load.most_loaded
                ],
                least_loaded=[
                    DeputyLoad(deputy_id=d.deputy_id, villages=d.villages)
                    for d in load.least_loaded
                ],
            ),
            report=report,
            places=places if places is not None else {},
        )

    @strawberry.field(description="Villages no active deputy contacts.")
    def uncovered(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Area]:
        return _village_connection(info, self.report.uncovered, first, after, self.places)

    @strawberry.field(description="Villages exactly one active deputy contacts.")
    def fragile(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Area]:
        return _village_connection(info, self.report.fragile, first, after, self.places)

    @strawberry.field(
        description="Villages no county/township deputy of their own constituency contacts."
    )
    def without_own_constituency_deputy(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Area]:
        return _village_connection(
            info, self.report.without_own_constituency_deputy, first, after, self.places
        )


async def area_coverage(info: Ctx, code: str) -> Coverage:
    report, places = await info.context.run(analysis.coverage_with_areas, info.context.db, code)
    return Coverage.from_report(report, places)


@strawberry.type(description="A group's coverage: its members' villages and the gaps in its area.")
class GroupCoverageInfo:
    village_count: int
    covered_in_area: int
    coverage_rate: float | None
    covered: VillageList
    uncovered: VillageList


@strawberry.type(description="Villages two groups both cover.")
class GroupOverlap:
    other_group_id: str
    shared_count: int
    jaccard: float


@strawberry.type(
    description="Activities per quarter of a year; compliant means one or more in each."
)
class GroupCompliance:
    year: int
    counts: list[int]
    missing_quarters: list[str]
    compliant: bool


async def _group_detail(info: Ctx, group_id: str, year: int | None = None) -> analysis.GroupDetail:
    return await info.context.run(analysis.group_detail, info.context.db, group_id, year=year)


async def group_coverage(info: Ctx, group_id: str) -> GroupCoverageInfo | None:
    item = (await _group_detail(info, group_id)).coverage
    return GroupCoverageInfo(
        village_count=item.village_count,
        covered_in_area=item.covered_in_area,
        coverage_rate=item.coverage_rate,
        covered=VillageList(codes=tuple(item.covered)),
        uncovered=VillageList(codes=tuple(item.uncovered)),
    )


async def group_overlaps(info: Ctx, group_id: str) -> list[GroupOverlap]:
    detail = await _group_detail(info, group_id)
    return [
        GroupOverlap(
            other_group_id=item.group_b if item.group_a == group_id else item.group_a,
            shared_count=item.shared_count,
            jaccard=item.jaccard,
        )
        for item in detail.overlaps
    ]


async def group_compliance(info: Ctx, group_id: str, year: int) -> GroupCompliance | None:
    item = (await _group_detail(info, group_id, year)).compliance
    if item is None:
        return None
    return GroupCompliance(
        year=item.year,
        counts=list(item.counts),
        missing_quarters=list(item.missing),
        compliant=item.compliant,
    )
