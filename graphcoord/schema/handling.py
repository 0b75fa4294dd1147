"""Handling of issues in GraphQL: claim, assign, reply, follow up, supervise, rate; departments,
the supervision board, the handling rates and the notification outbox.

Who may do what is decided by :mod:`graphcoord.services.handling` and
:mod:`graphcoord.services.supervision` (every surface alike); the resolvers only check that a
role could do it at all, so an anonymous caller is told to sign in. ``rateIssue`` is public:
whoever holds the tracking code gives the citizen's verdict (rate limited like submissions).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import strawberry
from strawberry.types import Info

from graphcoord.errors import BadInput, Forbidden
from graphcoord.model import DepartmentKind as DepartmentKindEnum
from graphcoord.model import HandlingStage as HandlingStageEnum
from graphcoord.model import IssueStatus as IssueStatusEnum
from graphcoord.model import Outcome as OutcomeEnum
from graphcoord.model import Satisfaction as SatisfactionEnum
from graphcoord.model import SupervisionColour as SupervisionColourEnum
from graphcoord.schema.context import Context
from graphcoord.schema.handling_types import Department, HandlingEvent
from graphcoord.schema.issues import Issue
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import IsSignedIn, require_roles
from graphcoord.services import departments as departments_service
from graphcoord.services import handling, notifications, rates, supervision
from graphcoord.services import issues as tracking
from graphcoord.services.ratelimit import limits_for

__all__ = ["HandlingMutation", "HandlingQuery"]

Ctx = Info[Context, None]

strawberry.enum(
    rates.RateGrouping, name="RateGrouping", description="Whom handling rates are grouped by."
)


@strawberry.type(description="An unfinished issue on the supervision board (三色督办).")
class SupervisionItem:
    issue_id: strawberry.ID
    title: str
    status: IssueStatusEnum
    area_code: str | None
    village: str | None
    ticket: str | None
    created_at: dt.datetime | None
    colour: SupervisionColourEnum
    stage: HandlingStageEnum
    due_at: dt.date
    overdue_days: int
    round: int
    department: str | None = strawberry.field(description="The department it is assigned to.")
    claimed_by: str | None = strawberry.field(description="The name of the claiming deputy.")
    last_letter: str | None = strawberry.field(description="Number of the latest 督办函.")

    @classmethod
    def from_item(cls, item: supervision.BoardItem) -> SupervisionItem:
        row = item.row
        return cls(
            issue_id=strawberry.ID(row.id),
            title=row.title,
            status=IssueStatusEnum(row.status),
            area_code=row.area_code,
            village=row.village,
            ticket=row.ticket,
            created_at=row.created_at,
            colour=SupervisionColourEnum(row.colour),
            stage=HandlingStageEnum(row.stage),
            due_at=row.due_on,
            overdue_days=item.overdue_days,
            round=row.round,
            department=row.department,
            claimed_by=row.claimed_by_name,
            last_letter=row.last_letter,
        )


@strawberry.type(description="How many unfinished issues are of each colour on a day.")
class SupervisionCounts:
    as_of: dt.date
    red: int
    yellow: int
    green: int


@strawberry.type(
    description="Answer rate (答复率: resolved or answered), resolution rate (解决率: resolved), "
    "on-time rate (按期办结率), median working days and satisfaction of one group."
)
class HandlingRate:
    key: str
    label: str
    kind: str = strawberry.field(description="A deputy's level, a department's or area's kind.")
    total: int
    answered: int
    resolved: int
    not_accepted: int
    finished: int
    on_time: int
    due: int = strawberry.field(description="Finished with a clock, or past the finish date.")
    median_workdays: float | None
    rated: int
    satisfied: int
    claimed: int = strawberry.field(description="Issues a deputy claimed (签收).")
    answer_rate: float
    resolution_rate: float
    on_time_rate: float | None
    satisfaction_rate: float | None

    @classmethod
    def from_counts(cls, c: rates.RateCounts) -> HandlingRate:
        return cls(
            key=c.key,
            label=c.label,
            kind=c.kind,
            total=c.total,
            answered=c.answered,
            resolved=c.resolved,
            not_accepted=c.not_accepted,
            finished=c.finished,
            on_time=c.on_time,
            due=c.due,
            median_workdays=c.median_workdays,
            rated=c.rated,
            satisfied=c.satisfied,
            claimed=c.claimed,
            answer_rate=c.answer_rate,
            resolution_rate=c.resolution_rate,
            on_time_rate=c.on_time_rate,
            satisfaction_rate=c.satisfaction_rate,
        )


@strawberry.type(description="Handling rates of an area and period, overall and per group.")
class HandlingRates:
    area_code: str
    area_name: str
    start: dt.date
    end: dt.date
    as_of: dt.date = strawberry.field(description="The day overdue issues were judged on.")
    overall: HandlingRate
    groups: Connection[HandlingRate]


@strawberry.type(description="A notification of the outbox (a reminder, a letter…).")
class Notification:
    key: str
    kind: str
    subject_id: str
    recipient: str = strawberry.field(description="deputy:<id>, department:<id>, organizer:<code>.")
    due_key: str
    payload: str = strawberry.field(description="JSON.")
    status: str = strawberry.field(description="PENDING, SENT or FAILED.")
    attempts: int
    created_at: dt.datetime | None
    sent_at: dt.datetime | None
    last_error: str | None

    @strawberry.field(description="The Chinese message, for people.")
    def message(self) -> str | None:
        try:
            value = json.loads(self.payload).get("message")
        except (ValueError, AttributeError):
            return None
        return str(value) if value is not None else None

    @classmethod
    def from_row(cls, n: notifications.NotificationRow) -> Notification:
        return cls(
            key=n.key,
            kind=n.kind,
            subject_id=n.subject_id,
            recipient=n.recipient,
            due_key=n.due_key,
            payload=n.payload,
            status=n.status,
            attempts=n.attempts,
            created_at=n.created_at,
            sent_at=n.sent_at,
            last_error=n.last_error,
        )


@strawberry.type(description="What a verdict did.")
class RatingResult:
    tracking_code: str
    satisfaction: SatisfactionEnum
    reopened: bool = strawberry.field(description="不满意 reopened it for re-handling (重新办理).")
    round: int = strawberry.field(description="The round of handling now under way or done.")


_BOARD_ROLES = frozenset({"organizer", "admin"})
_HANDLERS = frozenset({"deputy", "organizer", "admin"})


@strawberry.type
class HandlingQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Handling units (承办单位) located inside an area (all without one).",
    )
    async def departments(
        self,
        info: Ctx,
        area_code: str | None = None,
        kind: DepartmentKindEnum | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Department]:
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            departments_service.department_page,
            info.context.db,
            area_code=area_code,
            kind=kind,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(rows, window, total, Department.from_row)

    @strawberry.field(permission_classes=[IsSignedIn])
    async def department(self, info: Ctx, id: strawberry.ID) -> Department:
        row = await info.context.run(departments_service.department, info.context.db, str(id))
        return Department.from_row(row)

    @strawberry.field(
        description="The supervision board (organizers, admins): unfinished issues with a "
        "clock inside an area, most overdue first, of one colour if asked; on `asOf`."
    )
    async def supervision_board(
        self,
        info: Ctx,
        area_code: str,
        colour: SupervisionColourEnum | None = None,
        first: int | None = None,
        after: str | None = None,
        as_of: dt.date | None = None,
    ) -> Connection[SupervisionItem]:
        require_roles(info, _BOARD_ROLES, "the supervision board")
        window = page_window(first, after, info.context.settings)
        found = await info.context.run(
            supervision.board,
            info.context.db,
            area_code,
            colour=colour,
            skip=window.skip,
            limit=window.limit,
            as_of=as_of,
            with_counts=False,
        )
        return connection_from_rows(found.items, window, found.total, SupervisionItem.from_item)

    @strawberry.field(description="How many unfinished issues of an area are red, yellow, green.")
    async def supervision_counts(
        self, info: Ctx, area_code: str, as_of: dt.date | None = None
    ) -> SupervisionCounts:
        require_roles(info, _BOARD_ROLES, "the supervision board")
        found = await info.context.run(
            supervision.board, info.context.db, area_code, limit=0, as_of=as_of
        )
        return SupervisionCounts(
            as_of=found.as_of,
            red=found.counts.get("RED", 0),
            yellow=found.counts.get("YELLOW", 0),
            green=found.counts.get("GREEN", 0),
        )

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Answer, resolution and on-time rates, median working days and "
        "satisfaction of the issues received in an area from `from` to `to` (days included), "
        "overall and per area, level, deputy or department (busiest first).",
    )
    async def handling_rates(
        self,
        info: Ctx,
        area_code: str,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: Annotated[dt.date, strawberry.argument(name="to")],
        by: rates.RateGrouping = rates.RateGrouping.DEPARTMENT,
        first: int | None = None,
        after: str | None = None,
        as_of: dt.date | None = None,
    ) -> HandlingRates:
        window = page_window(first, after, info.context.settings)
        db = info.context.db
        where = await info.context.run(rates.scope, db, area_code, from_, to, as_of=as_of)
        overall = await info.context.run(rates.overall, db, where)
        page = await info.context.run(
            rates.grouped, db, where, by, skip=window.skip, limit=window.limit
        )
        return HandlingRates(
            area_code=where.area_code,
            area_name=where.area_name,
            start=where.start,
            end=where.end,
            as_of=where.as_of,
            overall=HandlingRate.from_counts(overall),
            groups=connection_from_rows(page.rows, window, page.groups, HandlingRate.from_counts),
        )

    @strawberry.field(
        description="The notification outbox: a deputy reads their own queue; organizers and "
        "admins any recipient's (`recipient`, e.g. department:SQ-DEP-321302-EDU) or all."
    )
    async def notifications(
        self,
        info: Ctx,
        recipient: str | None = None,
        status: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Notification]:
        require_roles(info, _HANDLERS, "the notification outbox")
        principal = info.context.principal
        recipients = [recipient] if recipient is not None else None
        if principal.role == "deputy":
            mine = f"deputy:{principal.deputy_id}"
            if recipient not in (None, mine):
                raise Forbidden("a deputy reads their own notifications only")
            recipients = [mine]
        if status is not None and status not in ("PENDING", "SENT", "FAILED"):
            raise BadInput("status must be PENDING, SENT or FAILED")
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            notifications.notification_page,
            info.context.db,
            recipients=recipients,
            status=status,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(rows, window, total, Notification.from_row)


def _actor(info: Ctx, what: str, roles: frozenset[str] = _HANDLERS) -> tracking.Actor:
    require_roles(info, roles, what)
    principal = info.context.principal
    return tracking.Actor.of(principal)


async def _issue(info: Ctx, issue_id: str) -> Issue:
    row = await info.context.run(tracking.get_issue, info.context.db, issue_id)
    return Issue.from_row(row)


@strawberry.type
class HandlingMutation:
    @strawberry.mutation(
        description="A deputy who covers the issue's village claims it (签收); it moves to "
        "IN_PROGRESS. One claimant per issue."
    )
    async def claim_issue(self, info: Ctx, issue_id: strawberry.ID) -> Issue:
        actor = _actor(info, "claiming an issue", frozenset({"deputy"}))
        await info.context.run(handling.claim_issue, info.context.db, str(issue_id), actor)
        return await _issue(info, str(issue_id))

    @strawberry.mutation(
        description="Organizers, admins: assign the issue to a department (交办; it counts as "
        "the department's claim). `at`: when it was assigned, if earlier than now."
    )
    async def assign_issue(
        self,
        info: Ctx,
        issue_id: strawberry.ID,
        department_id: strawberry.ID,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> Issue:
        actor = _actor(info, "assigning an issue", handling.MANAGERS)
        await info.context.run(
            handling.assign_issue,
            info.context.db,
            str(issue_id),
            str(department_id),
            actor,
            note=note,
            at=at,
        )
        return await _issue(info, str(issue_id))

    @strawberry.mutation(
        description="A reply (答复) to the citizen: by the claiming deputy, or recorded by an "
        "organizer or admin on behalf of the assigned department (`at`: when the department "
        "replied). With an `outcome` it is the final reply and finishes the issue (办结)."
    )
    async def reply_issue(
        self,
        info: Ctx,
        issue_id: strawberry.ID,
        text: str,
        outcome: OutcomeEnum | None = None,
        at: dt.datetime | None = None,
    ) -> Issue:
        actor = _actor(info, "replying to an issue")
        await info.context.run(
            handling.reply_issue,
            info.context.db,
            str(issue_id),
            text,
            actor,
            outcome=outcome,
            at=at,
        )
        return await _issue(info, str(issue_id))

    @strawberry.mutation(
        description="A deputy who tracks the issue records a follow-up (跟踪督办)."
    )
    async def follow_up_issue(self, info: Ctx, issue_id: strawberry.ID, note: str) -> Issue:
        actor = _actor(info, "following up an issue")
        await info.context.run(
            handling.follow_up_issue, info.context.db, str(issue_id), note, actor
        )
        return await _issue(info, str(issue_id))

    @strawberry.mutation(
        description="Organizers, admins: a supervision letter (督办函) for a red (overdue) "
        "item, logged on the issue and sent to its handler, trackers and county office."
    )
    async def issue_supervision_letter(
        self, info: Ctx, issue_id: strawberry.ID, text: str | None = None
    ) -> HandlingEvent:
        actor = _actor(info, "issuing a supervision letter", handling.MANAGERS)
        letter = await info.context.run(
            supervision.issue_letter, info.context.db, str(issue_id), actor, text=text
        )
        return HandlingEvent.from_row(letter)

    @strawberry.mutation(
        description="Public: the citizen rates the handling of a finished issue by its "
        "tracking code (满意 / 基本满意 / 不满意), once per round; 不满意 reopens it once "
        "for re-handling (重新办理) with a new clock."
    )
    async def rate_issue(
        self,
        info: Ctx,
        tracking_code: str,
        satisfaction: SatisfactionEnum,
        comment: str | None = None,
    ) -> RatingResult:
        context = info.context
        if not (context.principal.authenticated and context.auth_error is None):
            limits_for(context.settings).submissions.hit(context.client_key)
        result = await context.run(
            handling.rate_issue, context.db, tracking_code, satisfaction, comment
        )
        return RatingResult(
            tracking_code=tracking_code.strip().upper(),
            satisfaction=SatisfactionEnum(result.satisfaction),
            reopened=result.reopened,
            round=result.round,
        )
