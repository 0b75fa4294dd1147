"""Liaison stations, collection points and activity days in GraphQL.

Reading them needs a signed-in role; scheduling, editing and generating activity days,
recording attendance and taking opinions at a station are for organizers and admins
(:class:`~graphcoord.schema.permissions.CanRunStations`); the rules are
:mod:`graphcoord.services.stations`'. Relations resolve through the request's DataLoaders
(one ``UNWIND $ids`` query per relation and level of a query).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graphcoord.errors import NotFound
from graphcoord.model import CollectionPointKind as CollectionPointKindEnum
from graphcoord.model import IssueStatus
from graphcoord.model import Level as LevelEnum
from graphcoord.model import StationKind as StationKindEnum
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.issues import Issue, SubmitResult
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import CanRunStations, IsSignedIn
from graphcoord.schema.types import Area, Deputy, area_from_code, deputies_from_ids
from graphcoord.services import issues as tracking
from graphcoord.services import stations

__all__ = [
    "ActivityDay",
    "CollectionPoint",
    "LiaisonStation",
    "StationMutation",
    "StationQuery",
    "activity_day_from_row",
    "station_from_id",
]

Ctx = Info[Context, None]
T = TypeVar("T")
R = TypeVar("R")

strawberry.enum(StationKindEnum, description="STATION (联络站, per township) or POINT (联络点).")
strawberry.enum(CollectionPointKindEnum, description="Where a collection point sits.")

#: The window of ``schedule`` when none is given, in days from today.
DEFAULT_SCHEDULE_DAYS = 92


def _today(info: Ctx) -> dt.date:
    return stations.today_in_china(info.context.settings.today)


def slice_connection(
    info: Ctx, items: Sequence[R], first: int | None, after: str | None, convert: Callable[[R], T]
) -> Connection[T]:
    """A connection over a list already in memory (a relation loaded whole, bounded)."""
    window = page_window(first, after, info.context.settings)
    rows = items[window.skip : window.skip + window.limit + 1]
    return connection_from_rows(rows, window, len(items), convert)


@strawberry.type(description="An activity day (代表活动日) a station holds: topic, notice, roster.")
class ActivityDay:
    id: strawberry.ID
    date: dt.date
    title: str
    topic: str | None
    notice: str | None = strawberry.field(description="The public notice (通告).")
    notice_published_at: dt.datetime | None
    voter_count: int | None = strawberry.field(description="Voters received, once recorded.")
    attendance: int = strawberry.field(description="Deputies recorded as having attended.")
    on_duty_count: int
    station_id: strawberry.Private[str]

    @strawberry.field
    async def station(self, info: Ctx) -> LiaisonStation | None:
        return await station_from_id(info, self.station_id)

    @strawberry.field(description="The duty roster (进站编组).")
    async def on_duty(self, info: Ctx) -> list[Deputy]:
        duty, _ = await info.context.loaders.activity_roster.load(str(self.id))
        return await deputies_from_ids(info, duty)

    @strawberry.field(description="The deputies who came.")
    async def attended(self, info: Ctx) -> list[Deputy]:
        _, came = await info.context.loaders.activity_roster.load(str(self.id))
        return await deputies_from_ids(info, came)


def activity_day_from_row(row: stations.ActivityDayRow) -> ActivityDay:
    return ActivityDay(
        id=strawberry.ID(row.id),
        date=row.date,
        title=row.title,
        topic=row.topic,
        notice=row.notice,
        notice_published_at=row.notice_published_at,
        voter_count=row.voter_count,
        attendance=row.attendance,
        on_duty_count=row.on_duty,
        station_id=row.station_id,
    )


async def _received(
    info: Ctx, place_id: str, first: int | None, after: str | None
) -> Connection[Deputy]:
    rows = await info.context.loaders.received_at.load(place_id)
    window = page_window(first, after, info.context.settings)
    ids = [deputy for deputy, _, _ in rows[window.skip : window.skip + window.limit + 1]]
    people = {str(d.id): d for d in await deputies_from_ids(info, ids)}
    found = [people[i] for i in ids if i in people]
    return connection_from_rows(found, window, len(rows), lambda d: d)


@strawberry.type(description="A liaison station (联络站) or point (联络点) of a township.")
class LiaisonStation:
    id: strawberry.ID
    name: str
    kind: StationKindEnum
    area_code: str
    monthly_activity_day: int | None = strawberry.field(
        description="Its activity day of the month (moved to the next working day)."
    )
    township_code: str | None

    @classmethod
    def from_row(cls, row: stations.PlaceRow) -> LiaisonStation:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            kind=StationKindEnum(row.kind),
            area_code=row.area_code,
            monthly_activity_day=row.monthly_activity_day,
            township_code=row.township_code,
        )

    @strawberry.field(description="The township, or the village of a point.")
    async def area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.area_code)

    @strawberry.field
    async def township(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.township_code)

    @strawberry.field(description="A point's station (that of its township).")
    async def parent(self, info: Ctx) -> LiaisonStation | None:
        if self.kind is not StationKindEnum.POINT:
            return None
        parent = await info.context.loaders.station_parent.load(str(self.id))
        return await station_from_id(info, parent) if parent else None

    @strawberry.field(description="A station's points (those of its township).")
    async def points(self, info: Ctx) -> list[LiaisonStation]:
        ids = await info.context.loaders.station_points.load(str(self.id))
        rows = await info.context.loaders.station.load_many(ids)
        return [LiaisonStation.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="Deputies received at this station or point.")
    async def deputies(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Deputy]:
        return await _received(info, str(self.id), first, after)

    @strawberry.field(
        description="Activity days from `from` to `to` (included; default: the next 92 days), "
        "by date; a window spans at most 400 days."
    )
    async def schedule(
        self,
        info: Ctx,
        from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        to: dt.date | None = None,
    ) -> list[ActivityDay]:
        span = dt.timedelta(days=DEFAULT_SCHEDULE_DAYS)
        if from_ is None:
            from_ = _today(info) if to is None else to - span
        if to is None:
            to = from_ + span
        key = stations.schedule_key(str(self.id), from_, to)
        rows = await info.context.loaders.station_schedule.load(key)
        return [activity_day_from_row(row) for row in rows]

    @strawberry.field(description="Every activity day it held or will hold, newest first.")
    async def activities(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[ActivityDay]:
        key = stations.schedule_key(str(self.id), None, None)
        rows = await info.context.loaders.station_schedule.load(key)
        return slice_connection(info, rows[::-1], first, after, activity_day_from_row)

    @strawberry.field(
        permission_classes=[IsSignedIn], description="Opinions received here, newest first."
    )
    async def issues(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Issue]:
        window = page_window(first, after, info.context.settings)
        key = f"{self.id}|{window.skip}|{window.limit}"
        total, rows = await info.context.loaders.station_issues.load(key)
        return connection_from_rows(rows, window, total, Issue.from_row)

    @strawberry.field(description="Its public page, with the notice and the opinion form.")
    def page_url(self, info: Ctx) -> str:
        return f"{info.context.settings.public_base_url}/s/{self.id}"


async def station_from_id(info: Ctx, station_id: str) -> LiaisonStation | None:
    row = await info.context.loaders.station.load(station_id)
    return LiaisonStation.from_row(row) if row is not None else None


@strawberry.type(description="Deputies of one level received at a place.")
class LevelCount:
    level: LevelEnum
    count: int


@strawberry.type(description="Who receives voters together (协同接待) at a collection point.")
class Receptions:
    deputy_count: int
    level_count: int = strawberry.field(description="How many of the five levels receive here.")
    by_level: list[LevelCount]


@strawberry.type(description="An opinion-collection point (社情民意收集点) in a square, park…")
class CollectionPoint:
    id: strawberry.ID
    name: str
    kind: str
    area_code: str
    township_code: str | None

    @classmethod
    def from_row(cls, row: stations.PlaceRow) -> CollectionPoint:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            kind=row.kind,
            area_code=row.area_code,
            township_code=row.township_code,
        )

    @strawberry.field
    async def area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.area_code)

    @strawberry.field(description="Deputies received here.")
    async def deputies(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Deputy]:
        return await _received(info, str(self.id), first, after)

    @strawberry.field(description="The deputies received here, per level (active ones).")
    async def receptions(self, info: Ctx) -> Receptions:
        rows = await info.context.loaders.received_at.load(str(self.id))
        active = [level for _, level, status in rows if status == "ACTIVE"]
        by_level = [
            LevelCount(level=level, count=active.count(level.value))
            for level in LevelEnum
            if level.value in active
        ]
        return Receptions(deputy_count=len(active), level_count=len(by_level), by_level=by_level)


@strawberry.input(description="Filters of `stations`.")
class StationWhere:
    area_code: str | None = strawberry.field(default=None, description="Inside this area.")
    kind: StationKindEnum | None = None


@strawberry.input(description="Filters of `collectionPoints`.")
class CollectionPointWhere:
    area_code: str | None = strawberry.field(default=None, description="Inside this area.")
    kind: CollectionPointKindEnum | None = None


@strawberry.type(description="A day the monthly rule gave that was not scheduled, and why.")
class SkippedDay:
    station_id: str
    date: dt.date
    reason: str


@strawberry.type(description="What `generateActivityDays` scheduled and what it left out.")
class Generation:
    created_count: int
    skipped_count: int
    created_rows: strawberry.Private[list[stations.ActivityDayRow]]
    skipped_rows: strawberry.Private[list[stations.Skipped]]

    @strawberry.field(description="The days scheduled, by date.")
    def created(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[ActivityDay]:
        return slice_connection(info, self.created_rows, first, after, activity_day_from_row)

    @strawberry.field(description="The days left out (past, or the month already has one).")
    def skipped(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[SkippedDay]:
        return slice_connection(
            info,
            self.skipped_rows,
            first,
            after,
            lambda s: SkippedDay(station_id=s.station_id, date=s.date, reason=s.reason),
        )


@strawberry.type(description="An opinion taken at a station, and what it was linked to.")
class StationSubmitResult:
    submission: SubmitResult
    station_id: strawberry.Private[str]
    activity_id: strawberry.Private[str | None]

    @strawberry.field
    async def station(self, info: Ctx) -> LiaisonStation | None:
        return await station_from_id(info, self.station_id)

    @strawberry.field(description="The activity day it was received during, if any.")
    async def activity_day(self, info: Ctx) -> ActivityDay | None:
        if self.activity_id is None:
            return None
        row = await info.context.loaders.activity_day.load(self.activity_id)
        return activity_day_from_row(row) if row is not None else None


async def _page(
    info: Ctx,
    first: int | None,
    after: str | None,
    fetch: Callable[..., tuple[int, list[stations.PlaceRow]]],
    loader: DataLoader[str, Any],
    convert: Callable[[stations.PlaceRow], T],
    **filters: Any,
) -> Connection[T]:
    """A filtered page of places; the page primes the loader of its places."""
    window = page_window(first, after, info.context.settings)
    total, rows = await info.context.run(
        fetch, info.context.db, skip=window.skip, limit=window.limit, **filters
    )
    for row in rows[: window.limit]:
        loader.prime(row.id, row)
    return connection_from_rows(rows, window, total, convert)


@strawberry.type
class StationQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Liaison stations and points, by township (its station first).",
    )
    async def stations(
        self,
        info: Ctx,
        where: StationWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[LiaisonStation]:
        where = where or StationWhere()
        return await _page(
            info,
            first,
            after,
            stations.station_page,
            info.context.loaders.station,
            LiaisonStation.from_row,
            area_code=where.area_code,
            kind=where.kind.value if where.kind else None,
        )

    @strawberry.field(permission_classes=[IsSignedIn])
    async def station(self, info: Ctx, id: strawberry.ID) -> LiaisonStation:
        found = await station_from_id(info, str(id))
        if found is None:
            raise NotFound("station", str(id))
        return found

    @strawberry.field(permission_classes=[IsSignedIn])
    async def activity_day(self, info: Ctx, id: strawberry.ID) -> ActivityDay:
        row = await info.context.loaders.activity_day.load(str(id))
        if row is None:
            raise NotFound("activity day", str(id))
        return activity_day_from_row(row)

    @strawberry.field(permission_classes=[IsSignedIn], description="Opinion-collection points.")
    async def collection_points(
        self,
        info: Ctx,
        where: CollectionPointWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CollectionPoint]:
        where = where or CollectionPointWhere()
        return await _page(
            info,
            first,
            after,
            stations.collection_point_page,
            info.context.loaders.collection_point,
            CollectionPoint.from_row,
            area_code=where.area_code,
            kind=where.kind.value if where.kind else None,
        )

    @strawberry.field(permission_classes=[IsSignedIn])
    async def collection_point(self, info: Ctx, id: strawberry.ID) -> CollectionPoint:
        row = await info.context.loaders.collection_point.load(str(id))
        if row is None:
            raise NotFound("collection point", str(id))
        return CollectionPoint.from_row(row)


def _actor(info: Ctx) -> tracking.Actor:
    """Who acts, as the calendar and the audit trail name them."""
    return tracking.Actor.of(info.context.principal)


async def _day(info: Ctx, row: stations.ActivityDayRow) -> ActivityDay:
    info.context.after_write()
    return activity_day_from_row(row)


@strawberry.type
class StationMutation:
    @strawberry.mutation(
        permission_classes=[CanRunStations],
        description="Schedule an activity day with its topic, duty roster and public notice. "
        "Rules: the day comes after today; one day per station and date; the deputies are "
        "ACTIVE, connected to the station's township and on duty at one place a day.",
    )
    async def schedule_activity_day(
        self,
        info: Ctx,
        station_id: strawberry.ID,
        date: dt.date,
        topic: str,
        deputy_ids: list[strawberry.ID],
        notice: str | None = None,
    ) -> ActivityDay:
        row = await info.context.run(
            stations.schedule_activity_day,
            info.context.db,
            str(station_id),
            date,
            topic,
            [str(d) for d in deputy_ids],
            notice,
            actor=_actor(info),
            today=info.context.settings.today,
        )
        return await _day(info, row)

    @strawberry.mutation(
        permission_classes=[CanRunStations],
        description="Change a coming activity day (what is given; a roster replaces the old).",
    )
    async def update_activity_day(
        self,
        info: Ctx,
        activity_id: strawberry.ID,
        date: dt.date | None = None,
        topic: str | None = None,
        deputy_ids: list[strawberry.ID] | None = None,
        notice: str | None = None,
    ) -> ActivityDay:
        row = await info.context.run(
            stations.update_activity_day,
            info.context.db,
            str(activity_id),
            day=date,
            topic=topic,
            deputy_ids=None if deputy_ids is None else [str(d) for d in deputy_ids],
            notice=notice,
            actor=_actor(info),
            today=info.context.settings.today,
        )
        return await _day(info, row)

    @strawberry.mutation(
        permission_classes=[CanRunStations],
        description="Take a coming activity day off the calendar; its id.",
    )
    async def cancel_activity_day(self, info: Ctx, activity_id: strawberry.ID) -> strawberry.ID:
        row = await info.context.run(
            stations.cancel_activity_day,
            info.context.db,
            str(activity_id),
            actor=_actor(info),
            today=info.context.settings.today,
        )
        info.context.after_write()
        return strawberry.ID(row.id)

    @strawberry.mutation(
        permission_classes=[CanRunStations],
        description="Schedule the monthly activity days of a station or of every station and "
        "point of an area, for `month` of `year` or the whole year: the station's day of the "
        "month (or `dayOfMonth`), moved to the next working day. Past days and months that "
        "already have one are skipped.",
    )
    async def generate_activity_days(
        self,
        info: Ctx,
        year: int,
        month: int | None = None,
        station_id: strawberry.ID | None = None,
        area_code: str | None = None,
        day_of_month: int | None = None,
        topic: str | None = None,
    ) -> Generation:
        result = await info.context.run(
            stations.generate_activity_days,
            info.context.db,
            year=year,
            month=month,
            station_id=None if station_id is None else str(station_id),
            area_code=None if area_code is None else require_area_code(area_code),
            day_of_month=day_of_month,
            topic=topic,
            actor=_actor(info),
            today=info.context.settings.today,
        )
        info.context.after_write()
        return Generation(
            created_count=len(result.created),
            skipped_count=len(result.skipped),
            created_rows=result.created,
            skipped_rows=result.skipped,
        )

    @strawberry.mutation(
        permission_classes=[CanRunStations],
        description="Record who attended an activity day and how many voters came (on the day "
        "or after it; replaces what was recorded).",
    )
    async def record_attendance(
        self,
        info: Ctx,
        activity_id: strawberry.ID,
        deputy_ids: list[strawberry.ID],
        voter_count: int,
    ) -> ActivityDay:
        row = await info.context.run(
            stations.record_attendance,
            info.context.db,
            str(activity_id),
            [str(d) for d in deputy_ids],
            voter_count,
            actor=_actor(info),
            today=info.context.settings.today,
        )
        return await _day(info, row)

    @strawberry.mutation(
        permission_classes=[CanRunStations],
        description="Take an opinion received at a station (channel STATION): routed like a "
        "village's, dispatched as a 12345 ticket, linked to the station and to the activity "
        "day (`activityId`, else the station's day of today).",
    )
    async def submit_station_issue(
        self,
        info: Ctx,
        station_id: strawberry.ID,
        village_code: str,
        title: str,
        body: str,
        category: str,
        contact: str | None = None,
        activity_id: strawberry.ID | None = None,
    ) -> StationSubmitResult:
        context = info.context
        submission = tracking.Submission.clean(village_code, title, body, category, contact)
        principal = context.principal
        found = await context.run(
            stations.submit_station_issue,
            context.db,
            context.gateway,
            str(station_id),
            submission,
            activity_id=None if activity_id is None else str(activity_id),
            actor=tracking.Actor.of(principal),
            today=context.settings.today,
        )
        context.after_write()
        result = found.result
        return StationSubmitResult(
            submission=SubmitResult(
                issue_id=strawberry.ID(result.issue_id),
                tracking_code=result.tracking_code,
                ticket=result.ticket,
                status=IssueStatus(result.status),
                tracker_count=result.trackers,
                tracking_url=f"{context.settings.public_base_url}/t/{result.tracking_code}",
            ),
            station_id=found.station_id,
            activity_id=found.activity_id,
        )
