"""Alarms (idle stations, groups that missed a quarter) and supervision-group candidates.

The alarms are plain, paged lists of :mod:`graphcoord.services.alarms` for any signed-in role;
the candidates of a special supervision group (:mod:`graphcoord.services.supervision_candidates`)
are for those who form the groups, organizers and admins.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphcoord.model import IDLE_MONTHS
from graphcoord.model import StationKind as StationKindEnum
from graphcoord.schema.context import Context
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import CanManageGroups, IsSignedIn
from graphcoord.schema.stations import LiaisonStation, slice_connection
from graphcoord.schema.types import Deputy, Group, deputy_from_id
from graphcoord.services import alarms, supervision_candidates
from graphcoord.services.stations import today_in_china

__all__ = ["AlarmQuery"]

Ctx = Info[Context, None]


@strawberry.type(description="A station or point with no activity day held in the window.")
class IdleStation:
    station: LiaisonStation
    since: dt.date = strawberry.field(description="First day of the window.")
    as_of: dt.date = strawberry.field(description="Last day of the window.")
    last_held: dt.date | None = strawberry.field(
        description="Its last activity day with attendance recorded, if any."
    )
    next_scheduled: dt.date | None = strawberry.field(description="Its next day, if scheduled.")


@strawberry.type(description="A linkage group that held no activity in an ended quarter.")
class GroupAlarm:
    group_id: strawberry.ID
    name: str
    year: int
    missing_quarters: list[str]
    counts: list[int] = strawberry.field(description="Activities held in Q1…Q4.")
    convener_id: strawberry.Private[str | None]

    @strawberry.field
    def group(self) -> Group:
        return Group.from_id(str(self.group_id))

    @strawberry.field(description="The group's convener (召集人), who is alerted.")
    async def convener(self, info: Ctx) -> Deputy | None:
        return await deputy_from_id(info, self.convener_id) if self.convener_id else None


@strawberry.type(description="A deputy whose expertise matches a supervision theme, and why.")
class SupervisionCandidate:
    deputy: Deputy
    score: int
    reasons: list[str]
    member_of: list[str] = strawberry.field(
        description="Supervision groups of the theme the deputy is already in."
    )


@strawberry.type(description="Candidates of a special supervision group (专项监督小组).")
class SupervisionCandidates:
    theme: str
    found: strawberry.Private[list[supervision_candidates.Candidate]]

    @strawberry.field(description="Best first: score, then level, then id.")
    def candidates(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[SupervisionCandidate]:
        return slice_connection(
            info,
            self.found,
            first,
            after,
            lambda c: SupervisionCandidate(
                deputy=Deputy.from_brief(c.deputy_id, c.name, c.level),
                score=c.score,
                reasons=list(c.reasons),
                member_of=list(c.member_of),
            ),
        )


@strawberry.type
class AlarmQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Stations and points inside an area with no activity day held (dated in "
        "the window and its attendance recorded) in the `months` ending on `asOf` (default "
        "today).",
    )
    async def idle_stations(
        self,
        info: Ctx,
        area_code: str,
        months: int = IDLE_MONTHS,
        as_of: dt.date | None = None,
        kind: StationKindEnum | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[IdleStation]:
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            alarms.idle_stations,
            info.context.db,
            area_code,
            months=months,
            as_of=as_of or today_in_china(info.context.settings.today),
            kind=kind.value if kind else None,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(
            rows,
            window,
            total,
            lambda r: IdleStation(
                station=LiaisonStation.from_row(r.station),
                since=r.since,
                as_of=r.as_of,
                last_held=r.last_held,
                next_scheduled=r.next_scheduled,
            ),
        )

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Collaborative groups located inside an area that held no activity in "
        "`quarter` of `year` (or in any quarter of it ended by `asOf`, default today), with "
        "their convener.",
    )
    async def group_alarms(
        self,
        info: Ctx,
        year: int,
        area_code: str | None = None,
        quarter: int | None = None,
        as_of: dt.date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[GroupAlarm]:
        found = await info.context.run(
            alarms.group_alarms,
            info.context.db,
            area_code,
            year=year,
            quarter=quarter,
            as_of=as_of or today_in_china(info.context.settings.today),
        )
        return slice_connection(
            info,
            found,
            first,
            after,
            lambda a: GroupAlarm(
                group_id=strawberry.ID(a.group_id),
                name=a.name,
                year=a.year,
                missing_quarters=list(a.missing),
                counts=list(a.counts),
                convener_id=a.convener_id,
            ),
        )

    @strawberry.field(
        permission_classes=[CanManageGroups],
        description="Deputies whose fields, work unit, occupation or chains match a "
        "supervision theme (医疗卫生, 乡村振兴, 非遗…), ranked with reasons.",
    )
    async def supervision_candidates(
        self, info: Ctx, theme: str, area_code: str | None = None
    ) -> SupervisionCandidates:
        name, found = await info.context.run(
            supervision_candidates.supervision_candidates, info.context.db, theme, area_code
        )
        return SupervisionCandidates(theme=name, found=found)
