"""Report-back meetings (述职评议) and deputies' public codes in GraphQL.

Scheduling, ballots, closing and codes are for organizers and admins
(:class:`~graphcoord.schema.permissions.CanRunReportBacks`); ``reportBack(id)`` is for them
and for the deputy who reported, after the meeting closed (the deputy sees the counts only).
Ballots are cast on the public page ``/e/{code}`` (web/ballots.py), not here.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphcoord.model import ReportBackStatus
from graphcoord.schema.context import Context
from graphcoord.schema.permissions import CanRunReportBacks, IsSignedIn
from graphcoord.services import deputy_pages, report_backs
from graphcoord.services.report_backs import MeetingResults, MeetingRow
from graphcoord.threads import blocking

__all__ = ["ReportBackMutation", "ReportBackQuery"]

Ctx = Info[Context, None]

strawberry.enum(ReportBackStatus, description="OPEN (taking ballots) or CLOSED (results shown).")


@strawberry.type(description="A report-back meeting (述职) of a deputy to a constituency's voters.")
class ReportBackMeeting:
    id: strawberry.ID
    title: str
    date: dt.date
    status: ReportBackStatus
    deputy_id: strawberry.ID
    deputy_name: str
    constituency_code: str | None
    constituency_name: str | None
    ballots_issued: int

    @classmethod
    def from_row(cls, m: MeetingRow) -> ReportBackMeeting:
        return cls(
            id=strawberry.ID(m.id),
            title=m.title,
            date=m.date,
            status=ReportBackStatus(m.status),
            deputy_id=strawberry.ID(m.deputy_id),
            deputy_name=m.deputy_name,
            constituency_code=m.area_code,
            constituency_name=m.area_name,
            ballots_issued=m.ballots_issued,
        )


@strawberry.type(description="The evaluation of a closed report-back meeting.")
class ReportBackResults:
    meeting: ReportBackMeeting
    ballots: int = strawberry.field(description="Ballots cast.")
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    satisfaction_rate: float | None = strawberry.field(description="满意 + 基本满意 of ballots.")
    comments: list[str] | None = strawberry.field(
        description="The voters' comments: organizers and admins only (null for the deputy)."
    )

    @classmethod
    def from_results(cls, r: MeetingResults) -> ReportBackResults:
        m = r.meeting
        return cls(
            meeting=ReportBackMeeting.from_row(m),
            ballots=m.ballots,
            satisfied=m.satisfied,
            basically_satisfied=m.basically_satisfied,
            dissatisfied=m.dissatisfied,
            satisfaction_rate=r.satisfaction_rate,
            comments=r.comments,
        )


@strawberry.type(description="New one-time ballot codes: shown this once, print them now.")
class IssuedBallots:
    meeting: ReportBackMeeting
    codes: list[str]
    urls: list[str]


@strawberry.type(description="A deputy's public code and page (码上见代表).")
class DeputyCode:
    deputy_id: strawberry.ID
    code: str
    page_url: str
    retired: list[str] = strawberry.field(description="Codes this call retired.")


def _code(info: Ctx, c: deputy_pages.DeputyCode) -> DeputyCode:
    base = info.context.settings.public_base_url
    return DeputyCode(
        deputy_id=strawberry.ID(c.deputy_id),
        code=c.code,
        page_url=f"{base}/d/{c.code}",
        retired=list(c.retired),
    )


@strawberry.type
class ReportBackQuery:
    @strawberry.field(
        description="The results of a report-back meeting once it has closed: organizers, "
        "admins, and the deputy who reported (counts only).",
        permission_classes=[IsSignedIn],
    )
    async def report_back(self, info: Ctx, id: strawberry.ID) -> ReportBackResults:
        ctx = info.context
        results = await blocking(report_backs.meeting_results, ctx.db, ctx.principal, str(id))
        return ReportBackResults.from_results(results)


@strawberry.type
class ReportBackMutation:
    @strawberry.mutation(
        description="Schedule a deputy's report-back (述职) to a constituency's voters.",
        permission_classes=[CanRunReportBacks],
    )
    async def schedule_report_back(
        self,
        info: Ctx,
        deputy_id: strawberry.ID,
        date: dt.date,
        constituency_code: str,
        title: str | None = None,
    ) -> ReportBackMeeting:
        ctx = info.context
        row = await blocking(
            lambda: report_backs.schedule_report_back(
                ctx.db,
                ctx.principal,
                deputy_id=str(deputy_id),
                date=date,
                constituency_code=constituency_code,
                title=title,
            )
        )
        return ReportBackMeeting.from_row(row)

    @strawberry.mutation(
        description="Issue one-time ballot codes of an open meeting (returned this once).",
        permission_classes=[CanRunReportBacks],
    )
    async def issue_ballots(
        self, info: Ctx, meeting_id: strawberry.ID, count: int
    ) -> IssuedBallots:
        ctx = info.context
        codes = await blocking(
            report_backs.issue_ballots, ctx.db, ctx.principal, str(meeting_id), count
        )
        row = await blocking(report_backs.get_meeting, ctx.db, str(meeting_id))
        base = ctx.settings.public_base_url
        return IssuedBallots(
            meeting=ReportBackMeeting.from_row(row),
            codes=codes,
            urls=[f"{base}/e/{c}" for c in codes],
        )

    @strawberry.mutation(
        description="Close a meeting: no more ballots, results shown.",
        permission_classes=[CanRunReportBacks],
    )
    async def close_report_back(self, info: Ctx, meeting_id: strawberry.ID) -> ReportBackMeeting:
        ctx = info.context
        row = await blocking(report_backs.close_report_back, ctx.db, ctx.principal, str(meeting_id))
        return ReportBackMeeting.from_row(row)

    @strawberry.mutation(
        description="The public code of a deputy's page (/d/{code}), issued if they have none.",
        permission_classes=[CanRunReportBacks],
    )
    async def deputy_code(self, info: Ctx, deputy_id: strawberry.ID) -> DeputyCode:
        ctx = info.context
        found = await blocking(deputy_pages.code_of, ctx.db, str(deputy_id))
        return _code(info, found)

    @strawberry.mutation(
        description="Retire a deputy's public code (a leaked or defaced print) and issue a new "
        "one: the old page address answers 410.",
        permission_classes=[CanRunReportBacks],
    )
    async def reissue_deputy_code(self, info: Ctx, deputy_id: strawberry.ID) -> DeputyCode:
        ctx = info.context
        found = await blocking(deputy_pages.reissue_code, ctx.db, str(deputy_id))
        return _code(info, found)
