"""Planners' and deputies' questions: coverage, gaps, assignments, what-if, peers, escalation.

Resolvers call :mod:`graphcoord.services.analysis` (the same service as ``graphcoord
analyze``), which answers from a cached projection of the graph; villages in answers are
resolved to ``Area`` objects through the request's DataLoader. The coverage answers that nodes
also carry (an area's or a group's) are in :mod:`graphcoord.schema.types`.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphcoord.errors import BadInput
from graphcoord.model import Level as LevelEnum
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.pagination import (
    Connection,
    asks_total,
    connection_from_keyed,
    key_window,
)
from graphcoord.schema.permissions import IsSignedIn
from graphcoord.schema.types import (
    Area,
    Coverage,
    Deputy,
    area_coverage,
    area_from_code,
    deputy_from_id,
)
from graphcoord.services import analysis, directory

__all__ = ["AnalysisQuery"]

Ctx = Info[Context, None]


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
    def from_plan(cls, plan: analysis.AssignmentPlan) -> AssignmentPlan:
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


@strawberry.type
class AnalysisQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn], description="Coverage of an area's villages."
    )
    async def coverage(self, info: Ctx, area_code: str) -> Coverage:
        return await area_coverage(info, require_area_code(area_code))

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
        window = key_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            directory.uncovered_page,
            info.context.db,
            require_area_code(area_code),
            level=level.value if level else None,
            after=window.after[0] if window.after else None,
            limit=window.limit + 1,
            count=asks_total(info),
        )
        for row in rows:
            info.context.loaders.area.prime(row.code, row)
        return connection_from_keyed(rows, window, total, lambda row: (row.code,), Area.from_row)

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
            require_area_code(area_code),
            max_per_deputy=max_per_deputy or analysis.DEFAULT_MAX_PER_DEPUTY,
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
            require_area_code(area_code) if area_code else None,
            max_per_deputy=max_per_deputy or analysis.DEFAULT_MAX_PER_DEPUTY,
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
            require_area_code(village_code)
        if not 1 <= k <= 20:
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
