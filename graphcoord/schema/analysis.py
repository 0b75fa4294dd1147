"""Planners' and deputies' questions: coverage, gaps, assignments, what-if, peers, escalation.

Resolvers call :mod:`graphcoord.analysis` (the same service as ``graphcoord analyze``), which
answers from a cached projection of the graph; villages in answers are resolved to ``Area``
objects through the request's DataLoader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from graphcoord import analysis
from graphcoord import analytics as an
from graphcoord.model import Level as LevelEnum
from graphcoord.queries import areas as area_queries
from graphcoord.queries.areas import Area as AreaRow
from graphcoord.schema.context import Context
from graphcoord.schema.directory import check_area_code
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import IsSignedIn
from graphcoord.schema.types import (
    Area,
    Deputy,
    area_from_code,
    areas_from_codes,
    deputy_from_id,
)

__all__ = [
    "AnalysisQuery",
    "Coverage",
    "GroupCompliance",
    "GroupOverlap",
    "VillageList",
    "group_compliance",
    "group_coverage",
    "group_overlaps",
]

Ctx = Info[Context, None]


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
    report: strawberry.Private[an.CoverageReport]
    places: strawberry.Private[Mapping[str, Mapping[str, Any]]]

    @classmethod
    def from_report(
        cls, report: an.CoverageReport, places: Mapping[str, Mapping[str, Any]] | None = None
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


@strawberry.type(description="A suggested new contact that closes a gap.")
class Assignment:
    deputy_id: strawberry.Private[str]
    village_code: str
    deputy_level: LevelEnum
    basis: str
    target: str
    distance: int
    load_before: int
    cost: float
    reason: str

    @strawberry.field
    async def deputy(self, info: Ctx) -> Deputy | None:
        return await deputy_from_id(info, self.deputy_id)

    @strawberry.field
    async def village(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.village_code)


@strawberry.type(description="A village that cannot be covered under the constraints, and why.")
class Unassignable:
    village_code: str
    target: str
    reason: str


@strawberry.type(description="New contacts that cover the gaps at least cost (min-cost flow).")
class AssignmentPlan:
    area_code: str | None
    max_per_deputy: int
    target_count: int
    total_cost: float
    assignments: list[Assignment]
    unassignable: list[Unassignable]

    @classmethod
    def from_plan(cls, plan: an.AssignmentPlan) -> AssignmentPlan:
        return cls(
            area_code=plan.area_code,
            max_per_deputy=plan.max_per_deputy,
            target_count=plan.target_count,
            total_cost=plan.total_cost,
            assignments=[
                Assignment(
                    deputy_id=a.deputy_id,
                    village_code=a.village_code,
                    deputy_level=LevelEnum(a.deputy_level),
                    basis=a.basis,
                    target=a.target,
                    distance=a.distance,
                    load_before=a.load_before,
                    cost=a.cost,
                    reason=a.reason,
                )
                for a in plan.assignments
            ],
            unassignable=[
                Unassignable(village_code=u.village_code, target=u.target, reason=u.reason)
                for u in plan.unassignable
            ],
        )


@strawberry.type(description="What happens to coverage if some deputies leave.")
class WhatIf:
    removed_deputy_ids: list[str]
    village_count: int
    covered_before: int
    covered_after: int
    coverage_rate_before: float
    coverage_rate_after: float
    newly_uncovered: list[str]
    newly_fragile: list[str]
    replacements: AssignmentPlan


@strawberry.type(description="A peer on the same industry chain (or cluster), and why.")
class ChainPeer:
    relation: str
    score: float
    chains: list[str]
    reason: str
    deputy: Deputy | None  # from the answer's projection; its other fields load when asked


@strawberry.type(description="One hop of an escalation path, with the reason it exists.")
class Hop:
    from_id: str = strawberry.field(name="from")
    to_id: str = strawberry.field(name="to")
    relation: str
    via: str | None
    weight: float
    reason: str


@strawberry.type(
    description="An explained path from a village or deputy to a deputy of the target level."
)
class EscalationPath:
    cost: float
    target_level: LevelEnum
    deputy_ids: list[str]
    hops: list[Hop]
    # Built from the answer, which names every deputy on its paths: no resolver, no query.
    target: Deputy | None = strawberry.field(description="The deputy at the end of the path.")


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


@strawberry.type
class AnalysisQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn], description="Coverage of an area's villages."
    )
    async def coverage(self, info: Ctx, area_code: str) -> Coverage:
        return await area_coverage(info, check_area_code(area_code))

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Villages with no active contact at all, or (with `level`) none of that level.",
    )
    async def uncovered_villages(
        self,
        info: Ctx,
        area_code: str,
        level: LevelEnum | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Area]:
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            area_queries.uncovered_page,
            info.context.db,
            check_area_code(area_code),
            level=level.value if level else None,
            skip=window.skip,
            limit=window.limit,
        )
        for row in rows:
            info.context.loaders.area.prime(row.code, row)
        return connection_from_rows(rows, window, total, Area.from_row)

    @strawberry.field(
        permission_classes=[IsSignedIn], description="New contacts that close the gaps."
    )
    async def suggest_assignments(
        self,
        info: Ctx,
        area_code: str,
        max_per_deputy: int | None = None,
        include_fragile: bool = False,
    ) -> AssignmentPlan:
        plan = await info.context.run(
            analysis.suggest,
            info.context.db,
            check_area_code(area_code),
            max_per_deputy=max_per_deputy or an.DEFAULT_MAX_PER_DEPUTY,
            include_fragile=include_fragile,
        )
        return AssignmentPlan.from_plan(plan)

    @strawberry.field(
        permission_classes=[IsSignedIn], description="Coverage if these deputies left."
    )
    async def what_if(
        self,
        info: Ctx,
        deputy_ids: list[strawberry.ID],
        area_code: str | None = None,
        max_per_deputy: int | None = None,
    ) -> WhatIf:
        report = await info.context.run(
            analysis.what_if,
            info.context.db,
            [str(d) for d in deputy_ids],
            check_area_code(area_code) if area_code else None,
            max_per_deputy=max_per_deputy or an.DEFAULT_MAX_PER_DEPUTY,
        )
        return WhatIf(
            removed_deputy_ids=list(report.removed_deputy_ids),
            village_count=report.village_count,
            covered_before=report.covered_before,
            covered_after=report.covered_after,
            coverage_rate_before=report.coverage_rate_before,
            coverage_rate_after=report.coverage_rate_after,
            newly_uncovered=list(report.newly_uncovered),
            newly_fragile=list(report.newly_fragile),
            replacements=AssignmentPlan.from_plan(report.replacements),
        )

    @strawberry.field(
        permission_classes=[IsSignedIn], description="Deputies on the same chains, ranked."
    )
    async def chain_peers(
        self, info: Ctx, deputy_id: strawberry.ID, first: int | None = None
    ) -> list[ChainPeer]:
        limit = min(
            first if first is not None else info.context.settings.page_default,
            info.context.settings.page_max,
        )
        found = await info.context.run(analysis.peers, info.context.db, str(deputy_id), limit=limit)
        return [
            ChainPeer(
                deputy=Deputy.from_brief(p.deputy_id, p.name, p.level),
                relation=p.relation,
                score=p.score,
                chains=list(p.chains),
                reason=p.reason,
            )
            for p in found
        ]

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="The k best explained paths from a village (or an issue's village) to a deputy of the target level.",
    )
    async def escalation_paths(
        self,
        info: Ctx,
        target_level: LevelEnum,
        village_code: str | None = None,
        issue_id: strawberry.ID | None = None,
        k: int = 3,
    ) -> list[EscalationPath]:
        if village_code is not None:
            check_area_code(village_code)
        if not 1 <= k <= 20:
            from graphcoord.errors import BadInput

            raise BadInput("k must be between 1 and 20")
        result = await info.context.run(
            analysis.escalate,
            info.context.db,
            village_code=village_code,
            issue_id=str(issue_id) if issue_id is not None else None,
            level=target_level.value,
            k=k,
        )

        def target(deputy_id: str) -> Deputy:
            brief = result.deputies[deputy_id]  # the answer names every deputy on its paths
            return Deputy.from_brief(brief.id, brief.name, brief.level)

        return [
            EscalationPath(
                cost=path.cost,
                target_level=LevelEnum(path.target_level),
                target=target(path.target_deputy_id),
                deputy_ids=list(path.deputy_ids),
                hops=[
                    Hop(
                        from_id=h.from_id,
                        to_id=h.to_id,
                        relation=h.relation,
                        via=h.via,
                        weight=h.weight,
                        reason=h.reason,
                    )
                    for h in path.hops
                ],
            )
            for path in result.paths
        ]
