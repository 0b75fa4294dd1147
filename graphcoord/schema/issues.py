"""Citizens' issues in GraphQL: submit (public), track by code (public), queues, status, report.

``submitIssue`` and ``issueByTrackingCode`` are the only public fields; the public view has no
contact, no deputy ids or names and no staff notes: each history entry is a status, its time
and the public note. Everything else needs a signed-in role; ``Issue.contact`` needs
organizer or admin; ``updateIssueStatus`` is for a deputy who tracks the issue, organizers and
admins (:mod:`graphcoord.services.issues` decides, for every surface alike).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from graphcoord.errors import BadInput, Forbidden
from graphcoord.model import Channel as ChannelEnum
from graphcoord.model import IssueStatus as IssueStatusEnum
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.handling_types import IssueHandlingFields, PublicHandlingFields
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import CanSeePrivateDetails, IsSignedIn, require_roles
from graphcoord.schema.types import Area, Deputy, area_from_code, deputies_from_ids, deputy_from_id
from graphcoord.services import issues as tracking
from graphcoord.services import opinions, reports
from graphcoord.services.ratelimit import limits_for

__all__ = ["IssueMutation", "IssueQuery"]

Ctx = Info[Context, None]

strawberry.enum(
    IssueStatusEnum,
    description="RECEIVED → DISPATCHED → IN_PROGRESS → RESOLVED → "
    "CLOSED, or ESCALATED from DISPATCHED/IN_PROGRESS.",
)
strawberry.enum(ChannelEnum, description="How an issue reached the deputies.")


@strawberry.type(description="One entry of an issue's status history.")
class StatusChange:
    status: IssueStatusEnum
    from_status: IssueStatusEnum | None
    at: dt.datetime | None
    by: str = strawberry.field(description="citizen, 12345, organizer, admin or deputy:<id>.")
    by_name: str | None
    note: str | None = strawberry.field(description="The staff's note (never shown publicly).")
    public_note: str | None = strawberry.field(description="What the citizen reads.")

    @classmethod
    def from_step(cls, step: tracking.StatusStep) -> StatusChange:
        return cls(
            status=IssueStatusEnum(step.status),
            from_status=IssueStatusEnum(step.from_status) if step.from_status else None,
            at=step.at,
            by=step.by,
            by_name=step.by_name,
            note=step.note,
            public_note=step.public_note,
        )


@strawberry.type(description="One entry of an issue's history as the public sees it.")
class PublicStatusChange:
    status: IssueStatusEnum
    at: dt.datetime | None
    note: str | None = strawberry.field(description="The public note of this change.")

    @classmethod
    def from_step(cls, step: tracking.PublicStep) -> PublicStatusChange:
        return cls(status=IssueStatusEnum(step.status), at=step.at, note=step.note)


@strawberry.type(description="Where an issue was escalated, when and why.")
class Escalation:
    at: dt.datetime | None
    reason: str | None
    deputy_id: strawberry.Private[str]

    @strawberry.field
    async def deputy(self, info: Ctx) -> Deputy | None:
        return await deputy_from_id(info, self.deputy_id)


@strawberry.type(description="The category the text model suggests for an issue.")
class CategorySuggestion:
    category: str
    confidence: float = strawberry.field(description="Probability of the category, 0 to 1.")


@strawberry.type(description="Another issue on the same matter, and how similar its text is.")
class SimilarIssue:
    score: float = strawberry.field(description="Cosine similarity of the texts, 0 to 1.")
    same_village: bool
    village_name: str | None
    issue: Issue


@strawberry.type(description="A citizen's opinion (社情民意) and its handling.")
class Issue(IssueHandlingFields):
    id: strawberry.ID
    title: str
    body: str | None
    category: str | None
    channel: ChannelEnum
    ticket: str | None = strawberry.field(description="The 12345 ticket number.")
    status: IssueStatusEnum
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    area_code: str | None
    tracking_code: str | None
    private_contact: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: tracking.IssueRow) -> Issue:
        return cls(
            id=strawberry.ID(row.id),
            title=row.title,
            body=row.body,
            category=row.category,
            channel=ChannelEnum(row.channel),
            ticket=row.ticket,
            status=IssueStatusEnum(row.status),
            created_at=row.created_at,
            resolved_at=row.resolved_at,
            closed_at=row.closed_at,
            area_code=row.area_code,
            tracking_code=row.tracking_code,
            private_contact=row.contact,
        )

    @strawberry.field(
        description="The citizen's contact: organizers and admins only.",
        permission_classes=[CanSeePrivateDetails],
    )
    def contact(self) -> str | None:
        return self.private_contact

    @strawberry.field(description="The village or community it was raised in.")
    async def area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.area_code)

    @strawberry.field(description="Deputies who track it (every level covering the village).")
    async def trackers(self, info: Ctx) -> list[Deputy]:
        details = await info.context.loaders.issue_details.load(str(self.id))
        return await deputies_from_ids(info, details.trackers)

    @strawberry.field(description="Status changes, oldest first (with who and when).")
    async def history(self, info: Ctx) -> list[StatusChange]:
        details = await info.context.loaders.issue_details.load(str(self.id))
        return [StatusChange.from_step(step) for step in details.history]

    @strawberry.field
    async def escalations(self, info: Ctx) -> list[Escalation]:
        details = await info.context.loaders.issue_details.load(str(self.id))
        return [
            Escalation(at=e["at"], reason=e["reason"], deputy_id=e["deputyId"])
            for e in details.escalations
        ]

    # -- opinions that find each other (services/opinions.py) ---------------------------------

    @strawberry.field(
        description="The category the text model suggests; null until a model is fitted "
        "(see `textModel`) or for issues stored before the last fit."
    )
    async def suggested_category(self, info: Ctx) -> CategorySuggestion | None:
        found = await info.context.loaders.issue_opinion.load(str(self.id))
        if found is None or found.suggested_category is None:
            return None
        return CategorySuggestion(
            category=found.suggested_category, confidence=found.suggested_confidence or 0.0
        )

    @strawberry.field(
        description="The suggestion disagrees with the citizen's category with high confidence: "
        "an organizer should look (correctIssueCategory)."
    )
    async def category_flagged(self, info: Ctx) -> bool:
        found = await info.context.loaders.issue_opinion.load(str(self.id))
        return bool(found and found.category_flagged)

    @strawberry.field(description="The category the citizen chose (before any correction).")
    async def citizen_category(self, info: Ctx) -> str | None:
        found = await info.context.loaders.issue_opinion.load(str(self.id))
        return found.citizen_category if found else self.category

    @strawberry.field(description="The issue this one was merged into as a duplicate.")
    async def merged_into(self, info: Ctx) -> Issue | None:
        found = await info.context.loaders.issue_opinion.load(str(self.id))
        if found is None or found.merged_into is None:
            return None
        row = await info.context.loaders.issue.load(found.merged_into)
        return Issue.from_row(row) if row is not None else None

    @strawberry.field(description="Ids of the issues merged into this one.")
    async def duplicate_ids(self, info: Ctx) -> list[strawberry.ID]:
        found = await info.context.loaders.issue_opinion.load(str(self.id))
        return [strawberry.ID(i) for i in found.duplicates] if found else []

    @strawberry.field(
        description="Issues of the same county on the same matter raised within `withinDays` "
        "days of this one (merged ones left out), most similar first."
    )
    async def similar_issues(
        self,
        info: Ctx,
        first: int | None = 10,
        after: str | None = None,
        within_days: int = opinions.SIMILAR_WINDOW_DAYS,
    ) -> Connection[SimilarIssue]:
        window = page_window(first, after, info.context.settings)
        if not 1 <= within_days <= 366:
            raise BadInput("withinDays must be between 1 and 366")
        found = await info.context.loaders.similar_issues.load(f"{self.id}|{within_days}")
        rows = found[window.skip : window.skip + window.limit + 1]
        return connection_from_rows(
            rows,
            window,
            len(found),
            lambda s: SimilarIssue(
                score=s.score,
                same_village=s.same_village,
                village_name=s.village_name,
                issue=Issue.from_row(s.row),
            ),
        )


@strawberry.type(description="The public view of an issue, for whoever holds its tracking code.")
class PublicIssue(PublicHandlingFields):
    tracking_code: str
    title: str
    body: str
    category: str | None
    status: IssueStatusEnum
    ticket: str | None
    created_at: dt.datetime | None
    resolved_at: dt.datetime | None
    village_code: str | None
    village_name: str | None
    township_name: str | None
    tracker_count: int
    tracker_levels: list[str]
    history: list[PublicStatusChange]
    merged_at: dt.datetime | None = strawberry.field(
        default=None,
        description="Set when an organizer merged this issue into another on the same matter: "
        "status, ticket, history and trackers are then that issue's.",
    )

    @classmethod
    def from_view(cls, view: tracking.PublicIssue) -> PublicIssue:
        return cls(
            tracking_code=view.tracking_code,
            title=view.title,
            body=view.body,
            category=view.category,
            status=IssueStatusEnum(view.status),
            ticket=view.ticket,
            created_at=view.created_at,
            resolved_at=view.resolved_at,
            village_code=view.village_code,
            village_name=view.village_name,
            township_name=view.township_name,
            tracker_count=view.trackers,
            tracker_levels=view.levels,
            history=[PublicStatusChange.from_step(step) for step in view.history],
            merged_at=view.merged_at,
        )


@strawberry.type(description="What a submission returns: keep the tracking code.")
class SubmitResult:
    issue_id: strawberry.ID
    tracking_code: str
    ticket: str | None
    status: IssueStatusEnum
    tracker_count: int
    tracking_url: str


@strawberry.input(description="Filters of `issues`; all given filters must hold.")
class IssueWhere:
    status: IssueStatusEnum | None = None
    channel: ChannelEnum | None = None
    area_code: str | None = strawberry.field(default=None, description="Raised inside this area.")
    category: str | None = None


@strawberry.type(description="A count under a key (week, category, channel, status).")
class KeyCount:
    key: str
    label: str
    count: int


@strawberry.type(description="Volume, answer rate (答复率) and resolution rate (解决率).")
class RateRow:
    key: str
    label: str
    total: int
    answered: int
    resolved: int
    answer_rate: float
    resolution_rate: float

    @classmethod
    def from_rate(cls, rate: reports.AreaRate) -> RateRow:
        return cls(
            key=rate.key,
            label=rate.label,
            total=rate.total,
            answered=rate.answered,
            resolved=rate.resolved,
            answer_rate=rate.answer_rate,
            resolution_rate=rate.resolution_rate,
        )


@strawberry.type(description="A village's issue count and, when its population is known, rate.")
class VillageVolume:
    code: str
    name: str
    count: int
    population: int | None
    per_thousand_residents: float | None


@strawberry.type(description="An issue still open, with the days it has been open.")
class OpenIssueRow:
    id: strawberry.ID
    title: str
    status: IssueStatusEnum
    category: str | None
    ticket: str | None
    village: str | None
    created_at: dt.datetime
    days_open: float


@strawberry.type(description="The opinion-analysis report (民意分析报告) of an area and period.")
class OpinionReport:
    area_code: str
    area_name: str
    start: dt.date
    end: dt.date
    total: int
    answered: int
    resolved: int
    answer_rate: float
    resolution_rate: float
    median_days_to_resolve: float | None
    by_week: list[KeyCount]
    by_category: list[KeyCount]
    by_channel: list[KeyCount]
    by_status: list[KeyCount]
    by_township: list[RateRow]
    by_area: list[RateRow] = strawberry.field(description="Per division directly below the area.")
    by_level: list[RateRow] = strawberry.field(description="Per level of the tracking deputies.")
    top_villages: list[VillageVolume]
    per_thousand_residents: list[VillageVolume]
    longest_open: list[OpenIssueRow]

    @classmethod
    def from_figures(cls, f: reports.OpinionFigures) -> OpinionReport:
        def counts(rows: list[reports.Count]) -> list[KeyCount]:
            return [KeyCount(key=r.key, label=r.label, count=r.count) for r in rows]

        def villages(rows: list[reports.VillageRate]) -> list[VillageVolume]:
            return [
                VillageVolume(
                    code=r.key,
                    name=r.label,
                    count=r.count,
                    population=r.population,
                    per_thousand_residents=r.per_thousand,
                )
                for r in rows
            ]

        return cls(
            area_code=f.area_code,
            area_name=f.area_name,
            start=f.start,
            end=f.end,
            total=f.total,
            answered=f.answered,
            resolved=f.resolved,
            answer_rate=f.answer_rate,
            resolution_rate=f.resolution_rate,
            median_days_to_resolve=f.median_days_to_resolve,
            by_week=counts(f.by_week),
            by_category=counts(f.by_category),
            by_channel=counts(f.by_channel),
            by_status=counts(f.by_status),
            by_township=[RateRow.from_rate(r) for r in f.by_township],
            by_area=[RateRow.from_rate(r) for r in f.by_area],
            by_level=[RateRow.from_rate(r) for r in f.by_level],
            top_villages=villages(f.top_villages),
            per_thousand_residents=villages(f.per_thousand),
            longest_open=[
                OpenIssueRow(
                    id=strawberry.ID(o.id),
                    title=o.title,
                    status=IssueStatusEnum(o.status),
                    category=o.category,
                    ticket=o.ticket,
                    village=o.village,
                    created_at=o.created_at,
                    days_open=o.days_open,
                )
                for o in f.longest_open
            ],
        )


@strawberry.type
class IssueQuery:
    @strawberry.field(permission_classes=[IsSignedIn], description="Issues, newest first.")
    async def issues(
        self,
        info: Ctx,
        where: IssueWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Issue]:
        window = page_window(first, after, info.context.settings)
        where = where or IssueWhere()
        if where.area_code is not None:
            require_area_code(where.area_code)
        total, rows = await info.context.run(
            tracking.issue_page,
            info.context.db,
            skip=window.skip,
            limit=window.limit,
            status=where.status.value if where.status else None,
            channel=where.channel.value if where.channel else None,
            category=where.category,
            area_code=where.area_code,
        )
        return connection_from_rows(rows, window, total, Issue.from_row)

    @strawberry.field(permission_classes=[IsSignedIn])
    async def issue(self, info: Ctx, id: strawberry.ID) -> Issue:
        row = await info.context.run(tracking.get_issue, info.context.db, str(id))
        return Issue.from_row(row)

    @strawberry.field(description="Public: the status of an issue by its tracking code.")
    async def issue_by_tracking_code(self, info: Ctx, tracking_code: str) -> PublicIssue:
        view = await info.context.run(tracking.public_issue, info.context.db, tracking_code)
        return PublicIssue.from_view(view)

    @strawberry.field(description="The signed-in deputy's tracked issues, open ones first.")
    async def my_queue(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Issue]:
        require_roles(info, frozenset({"deputy"}), "a deputy's queue (myQueue)")
        deputy_id = info.context.principal.deputy_id
        if deputy_id is None:  # pragma: no cover - deputy tokens always name their deputy
            raise Forbidden("this deputy token names no deputy")
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            tracking.deputy_queue,
            info.context.db,
            deputy_id,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(rows, window, total, Issue.from_row)

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Figures of the opinion-analysis report; `from`/`to` are included days.",
    )
    async def opinion_report(
        self,
        info: Ctx,
        area_code: str,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: Annotated[dt.date, strawberry.argument(name="to")],
    ) -> OpinionReport:
        require_area_code(area_code)
        figures = await info.context.run(reports.figures, info.context.db, area_code, from_, to)
        return OpinionReport.from_figures(figures)


@strawberry.type
class IssueMutation:
    @strawberry.mutation(
        description="Public: submit an opinion for a village; it is routed to every deputy "
        "covering the village and dispatched as a 12345 ticket."
    )
    async def submit_issue(
        self,
        info: Ctx,
        village_code: str,
        title: str,
        body: str,
        category: str,
        contact: str | None = None,
        channel: ChannelEnum = ChannelEnum.QR,
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(
                description="A key of the client's choosing (16-64 letters, digits, - or _; a "
                "UUID): the same key with the same texts returns the same issue and tracking "
                "code, so a retried or doubled request never makes a second issue."
            ),
        ] = None,
    ) -> SubmitResult:
        context = info.context
        actor = tracking.CITIZEN
        submission = tracking.Submission.clean(
            village_code, title, body, category, contact, channel
        )
        if context.principal.authenticated and context.auth_error is None:
            actor = tracking.Actor.of(context.principal)
        else:
            if channel is not ChannelEnum.QR:
                raise Forbidden("the public submits through the QR channel only")
            limits = limits_for(context.settings)
            limits.submissions.hit(context.client_key)
            if not submission.problems():
                limits.villages.hit(submission.village_code)
        result = await context.run(
            tracking.submit_issue,
            context.db,
            context.gateway,
            submission,
            actor=actor,
            idempotency_key=idempotency_key,
        )
        return SubmitResult(
            issue_id=strawberry.ID(result.issue_id),
            tracking_code=result.tracking_code,
            ticket=result.ticket,
            status=IssueStatusEnum(result.status),
            tracker_count=result.trackers,
            tracking_url=f"{context.settings.public_base_url}/t/{result.tracking_code}",
        )

    @strawberry.mutation(
        description="Move an issue along the status machine (a tracking deputy, organizers and "
        "admins); ESCALATED needs a reason (note) and goes to `escalateTo` or the caller's "
        "liaison deputy."
    )
    async def update_issue_status(
        self,
        info: Ctx,
        issue_id: strawberry.ID,
        status: IssueStatusEnum,
        note: Annotated[
            str | None, strawberry.argument(description="The staff's note (private).")
        ] = None,
        escalate_to: strawberry.ID | None = None,
        public_note: Annotated[
            str | None,
            strawberry.argument(description="What the citizen reads on the tracking page."),
        ] = None,
    ) -> Issue:
        require_roles(
            info, frozenset({"deputy", "organizer", "admin"}), "changing an issue's status"
        )
        principal = info.context.principal
        actor = tracking.Actor.of(principal)
        row = await info.context.run(
            tracking.update_status,
            info.context.db,
            info.context.gateway,
            str(issue_id),
            status,
            actor,
            note=note,
            escalate_to=str(escalate_to) if escalate_to is not None else None,
            public_note=public_note,
        )
        return Issue.from_row(row)
