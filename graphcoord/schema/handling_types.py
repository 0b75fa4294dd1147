"""GraphQL types of the handling of issues: departments, clocks, the handling log, supervision.

:class:`IssueHandlingFields` is the part of ``Issue`` that reads handling facts
(``supervision``, ``handling``) and :class:`PublicHandlingFields` the part of ``PublicIssue``
the tracking-code holder sees; both are mixed into the types of :mod:`graphcoord.schema.issues`
and read one batched query per request (the ``issue_handling`` DataLoader). Supervision
letters are shown to the issue's trackers, organizers and admins only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from graphcoord.errors import Forbidden
from graphcoord.model import DepartmentKind as DepartmentKindEnum
from graphcoord.model import HandlingEventKind as HandlingEventKindEnum
from graphcoord.model import HandlingStage as HandlingStageEnum
from graphcoord.model import Outcome as OutcomeEnum
from graphcoord.model import Satisfaction as SatisfactionEnum
from graphcoord.model import SupervisionColour as SupervisionColourEnum
from graphcoord.model import WorkKind as WorkKindEnum
from graphcoord.model import now_in_china
from graphcoord.schema.context import Context
from graphcoord.schema.permissions import require_roles
from graphcoord.schema.types import Area, Deputy, area_from_code, deputy_from_id
from graphcoord.services import handling as handling_service
from graphcoord.services.departments import DepartmentRow
from graphcoord.services.handling import HandlingEventRow, HandlingRecord
from graphcoord.services.supervision import limits_on, supervision_of

__all__ = [
    "Department",
    "HandlingEvent",
    "IssueClock",
    "IssueHandling",
    "IssueHandlingFields",
    "PublicHandlingFields",
    "Supervision",
]

Ctx = Info[Context, None]

strawberry.enum(
    OutcomeEnum,
    name="IssueOutcome",
    description="How an issue was finished: RESOLVED (问题解决), ANSWERED (已答复但未解决, "
    "with the reason) or NOT_ACCEPTED (不予受理, with the reason).",
)
strawberry.enum(SatisfactionEnum, description="The citizen's verdict: 满意 / 基本满意 / 不满意.")
strawberry.enum(
    SupervisionColourEnum,
    description="Three-colour supervision (三色督办): GREEN on time, YELLOW due soon, RED overdue.",
)
strawberry.enum(
    HandlingStageEnum,
    description="The limit an issue works towards: CLAIM (签收), REPLY (答复), FINISH (办结), "
    "or DONE.",
)
strawberry.enum(DepartmentKindEnum, description="What kind of handling unit (承办单位).")
strawberry.enum(WorkKindEnum, description="Kinds of handling work, each with its own policy.")
strawberry.enum(HandlingEventKindEnum, description="What an entry of the handling log records.")


@strawberry.type(description="A handling unit (承办单位): a township government, a bureau…")
class Department:
    id: strawberry.ID
    name: str
    kind: DepartmentKindEnum
    area_code: str | None

    @classmethod
    def from_row(cls, row: DepartmentRow) -> Department:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            kind=DepartmentKindEnum(row.kind),
            area_code=row.area_code,
        )

    @strawberry.field(description="The area it is located in.")
    async def area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.area_code)


async def department_from_id(info: Ctx, department_id: str | None) -> Department | None:
    if department_id is None:
        return None
    row = await info.context.loaders.department.load(department_id)
    return Department.from_row(row) if row is not None else None


@strawberry.type(description="An issue's colour on a day (三色督办).")
class Supervision:
    colour: SupervisionColourEnum
    stage: HandlingStageEnum
    due_at: dt.date = strawberry.field(
        description="The last day (China time) of the stage's limit, in working days."
    )
    overdue_days: int = strawberry.field(
        description="Working days past the due date (for DONE: days it was finished late)."
    )


@strawberry.type(description="The due dates of the policy that applied (stored with the issue).")
class IssueClock:
    work_kind: WorkKindEnum
    policy: str = strawberry.field(description="ISSUE:1/5/15: claim, reply, finish limits.")
    received_on: dt.date = strawberry.field(description="The day the clock started.")
    claim_due: dt.date | None
    reply_due: dt.date | None
    finish_due: dt.date | None


@strawberry.type(description="One entry of an issue's handling log.")
class HandlingEvent:
    id: strawberry.ID
    kind: HandlingEventKindEnum
    at: dt.datetime | None
    by: str = strawberry.field(description="citizen, organizer, admin or deputy:<id>.")
    by_name: str | None = strawberry.field(
        description="The deputy, or the department an organizer recorded it for."
    )
    text: str | None
    round: int
    department_name: str | None
    outcome: OutcomeEnum | None
    satisfaction: SatisfactionEnum | None
    number: str | None = strawberry.field(description="A supervision letter's number.")
    stage: HandlingStageEnum | None
    due_on: dt.date | None
    overdue_days: int | None

    @classmethod
    def from_row(cls, e: HandlingEventRow) -> HandlingEvent:
        return cls(
            id=strawberry.ID(e.id),
            kind=HandlingEventKindEnum(e.kind),
            at=e.at,
            by=e.by,
            by_name=e.by_name,
            text=e.text,
            round=e.round,
            department_name=e.department_name,
            outcome=OutcomeEnum(e.outcome) if e.outcome else None,
            satisfaction=SatisfactionEnum(e.satisfaction) if e.satisfaction else None,
            number=e.number,
            stage=HandlingStageEnum(e.stage) if e.stage else None,
            due_on=e.due_on,
            overdue_days=e.overdue_days,
        )


def _may_read_letters(info: Ctx, record: HandlingRecord) -> bool:
    principal = info.context.principal
    if principal.role in handling_service.MANAGERS:
        return True
    return principal.role == "deputy" and principal.deputy_id in record.trackers


@strawberry.type(description="Who handles an issue, its clock, replies, outcome and verdict.")
class IssueHandling:
    record: strawberry.Private[HandlingRecord]
    round: int = strawberry.field(description="1, or 2 after a 不满意 verdict reopened it.")
    claimed_at: dt.datetime | None = strawberry.field(
        description="When a deputy claimed it or it was assigned to a department (签收)."
    )
    assigned_at: dt.datetime | None
    first_reply_at: dt.datetime | None
    outcome: OutcomeEnum | None
    outcome_reason: str | None = strawberry.field(description="The final reply's text.")
    finished_at: dt.datetime | None
    finished_within_workdays: int | None
    finished_late_workdays: int | None
    satisfaction: SatisfactionEnum | None
    rated_at: dt.datetime | None
    rating_comment: str | None

    @classmethod
    def from_record(cls, r: HandlingRecord) -> IssueHandling:
        return cls(
            record=r,
            round=r.round,
            claimed_at=r.claimed_at,
            assigned_at=r.assigned_at,
            first_reply_at=r.first_reply_at,
            outcome=OutcomeEnum(r.outcome) if r.outcome else None,
            outcome_reason=r.outcome_reason,
            finished_at=r.finished_at,
            finished_within_workdays=r.finished_within,
            finished_late_workdays=r.finished_late,
            satisfaction=SatisfactionEnum(r.satisfaction) if r.satisfaction else None,
            rated_at=r.rated_at,
            rating_comment=r.rating_comment,
        )

    @strawberry.field(description="The policy and due dates (null before the clock started).")
    def clock(self) -> IssueClock | None:
        r = self.record
        if r.clock_from is None or r.policy is None:
            return None
        return IssueClock(
            work_kind=WorkKindEnum(r.work_kind or WorkKindEnum.ISSUE),
            policy=r.policy,
            received_on=r.clock_from,
            claim_due=r.claim_due,
            reply_due=r.reply_due,
            finish_due=r.finish_due,
        )

    @strawberry.field(description="The deputy who claimed it.")
    async def claimed_by(self, info: Ctx) -> Deputy | None:
        if self.record.claimed_by is None:
            return None
        return await deputy_from_id(info, self.record.claimed_by)

    @strawberry.field(description="The department it is assigned to.")
    async def department(self, info: Ctx) -> Department | None:
        return await department_from_id(info, self.record.department_id)

    @strawberry.field(
        description="Claims, assignments, replies, follow-ups, outcomes, verdicts, oldest "
        "first; supervision letters only for the issue's trackers, organizers and admins."
    )
    def log(self, info: Ctx) -> list[HandlingEvent]:
        letters = _may_read_letters(info, self.record)
        return [
            HandlingEvent.from_row(e)
            for e in self.record.events
            if letters or e.kind != HandlingEventKindEnum.LETTER
        ]

    @strawberry.field(
        description="Supervision letters (督办函): the issue's trackers, organizers and admins."
    )
    def supervision_letters(self, info: Ctx) -> list[HandlingEvent]:
        if not _may_read_letters(info, self.record):
            raise Forbidden(
                "supervision letters are for the deputies who track the issue, organizers "
                "and admins"
            )
        return [
            HandlingEvent.from_row(e)
            for e in self.record.events
            if e.kind == HandlingEventKindEnum.LETTER
        ]


async def _record(info: Ctx, issue_id: str) -> HandlingRecord | None:
    found: HandlingRecord | None = await info.context.loaders.issue_handling.load(issue_id)
    return found


@strawberry.type
class IssueHandlingFields:
    """Mixed into ``Issue``: reads its ``id``."""

    @strawberry.field(
        description="Three-colour supervision on `asOf` (today in China by default); null "
        "for an issue without a clock."
    )
    async def supervision(self, info: Ctx, as_of: dt.date | None = None) -> Supervision | None:
        record = await _record(info, str(_issue_id(self)))
        if record is None:
            return None
        limits = limits_on(info.context.db, as_of or now_in_china().date())
        state = supervision_of(record, limits)
        if state is None:
            return None
        return Supervision(
            colour=state.colour,
            stage=state.stage,
            due_at=state.due_on,
            overdue_days=state.overdue_days,
        )

    @strawberry.field(description="Its clock, handler, replies, outcome and the citizen's verdict.")
    async def handling(self, info: Ctx) -> IssueHandling | None:
        record = await _record(info, str(_issue_id(self)))
        return IssueHandling.from_record(record) if record is not None else None


def _issue_id(node: Any) -> str:
    return str(node.id)


@strawberry.type(description="A reply or step of the handling, as the citizen sees it.")
class PublicHandlingStep:
    kind: HandlingEventKindEnum
    at: dt.datetime | None
    text: str | None
    by: str | None = strawberry.field(description="The department or deputy, when known.")
    outcome: OutcomeEnum | None
    satisfaction: SatisfactionEnum | None


@strawberry.type
class PublicHandlingFields:
    """Mixed into ``PublicIssue``: reads its ``tracking_code``."""

    @strawberry.field(description="Public: the outcome, replies and verdict of the handling.")
    async def handling(self, info: Ctx) -> PublicHandling:
        code = str(getattr(self, "tracking_code", ""))
        view = await info.context.run(handling_service.public_handling, info.context.db, code)
        return PublicHandling(
            outcome=OutcomeEnum(view.outcome) if view.outcome else None,
            outcome_reason=view.outcome_reason,
            department=view.department,
            round=view.round,
            satisfaction=SatisfactionEnum(view.satisfaction) if view.satisfaction else None,
            can_rate=view.can_rate,
            steps=[
                PublicHandlingStep(
                    kind=HandlingEventKindEnum(e.kind),
                    at=e.at,
                    text=e.text,
                    by=e.department_name or e.by_name,
                    outcome=OutcomeEnum(e.outcome) if e.outcome else None,
                    satisfaction=SatisfactionEnum(e.satisfaction) if e.satisfaction else None,
                )
                for e in view.log
            ],
        )


@strawberry.type(description="What the tracking-code holder sees of the handling.")
class PublicHandling:
    outcome: OutcomeEnum | None
    outcome_reason: str | None
    department: str | None
    round: int
    satisfaction: SatisfactionEnum | None
    can_rate: bool = strawberry.field(description="Finished and not rated in this round.")
    steps: list[PublicHandlingStep]


def require_handler_roles(info: Ctx, what: str) -> None:
    """Raise unless the caller is a deputy, an organizer or an admin."""
    require_roles(info, frozenset({"deputy", "organizer", "admin"}), what)
