"""Proposals (议案建议) in GraphQL: reading them, the activity week and review queue, the
session report; drafting, co-signing, contributors, submission, assignment, replies,
verdicts, supervision and review meetings.

Every field needs a signed-in role. Who may take which step is decided by
:mod:`graphcoord.services.proposals` (deputies draft, co-sign for themselves, link
contributors to, submit and rate their own proposals; organizers assign, record replies and
supervise; admins everything); the resolvers only turn away roles that could never take it.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphcoord.errors import BadInput
from graphcoord.model import LEVEL_NAMES, PROPOSAL_KIND_NAMES, PROPOSAL_STATUS_NAMES
from graphcoord.model import Level as LevelEnum
from graphcoord.model import ProposalKind as ProposalKindEnum
from graphcoord.model import ProposalStatus as ProposalStatusEnum
from graphcoord.model import ReplyCategory as ReplyCategoryEnum
from graphcoord.model import Satisfaction as SatisfactionEnum
from graphcoord.schema.context import Context
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import IsSignedIn, require_roles
from graphcoord.schema.proposal_types import (
    ActivityWeek,
    Proposal,
    ProposalRate,
    ProposalReport,
    ProposalReviewMeeting,
    pinned_now,
    tallies,
)
from graphcoord.schema.types import Group
from graphcoord.services import issues as tracking
from graphcoord.services import proposal_reports, proposal_reviews, proposals

__all__ = ["ProposalMutation", "ProposalQuery"]

Ctx = Info[Context, None]

_DEPUTIES = frozenset({"deputy", "admin"})
_OFFICE = frozenset({"organizer", "admin"})
_REVIEWERS = frozenset({"deputy", "organizer", "admin"})


@strawberry.input(description="Which proposals to list (all when empty).")
class ProposalFilter:
    session: str | None = None
    level: LevelEnum | None = None
    kind: ProposalKindEnum | None = None
    status: ProposalStatusEnum | None = None
    supervised: bool | None = strawberry.field(default=None, description="重点督办 or not.")
    deputy_id: strawberry.ID | None = strawberry.field(
        default=None, description="Led, co-signed or contributed to by this deputy."
    )
    department_id: strawberry.ID | None = strawberry.field(
        default=None, description="Handled by this unit (主办 or 协办)."
    )
    issue_id: strawberry.ID | None = strawberry.field(
        default=None, description="Addressing this citizens' issue."
    )


@strawberry.input(description="A new draft.")
class DraftProposalInput:
    kind: ProposalKindEnum
    title: str
    body: str | None = None
    session: str | None = strawberry.field(
        default=None, description="The session it is meant for (required to submit)."
    )
    issue_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Citizens' issues it addresses (its origin)."
    )
    sponsor_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The lead deputy: a deputy leads their own drafts; admins name one.",
    )


@strawberry.input(description="A draft a review meeting went through, and what was said.")
class ReviewCommentInput:
    proposal_id: strawberry.ID
    comment: str | None = None


def _actor(info: Ctx, roles: frozenset[str], what: str) -> tracking.Actor:
    require_roles(info, roles, what)
    return tracking.Actor.of(info.context.principal)


def _id(value: strawberry.ID | None) -> str | None:
    return None if value is None else str(value)


@strawberry.type
class ProposalQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Proposals matching `where`, the latest submitted (or drafted) first.",
    )
    async def proposals(
        self,
        info: Ctx,
        where: ProposalFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Proposal]:
        window = page_window(first, after, info.context.settings)
        w = where or ProposalFilter()
        total, rows = await info.context.run(
            proposals.page,
            info.context.db,
            session=w.session.strip() if w.session else None,
            level=w.level.value if w.level else None,
            kind=w.kind.value if w.kind else None,
            status=w.status.value if w.status else None,
            supervised=w.supervised,
            deputy_id=_id(w.deputy_id),
            department_id=_id(w.department_id),
            issue_id=_id(w.issue_id),
            skip=window.skip,
            limit=window.limit,
        )
        for row in rows:
            info.context.loaders.proposal.prime(row.id, row)
        return connection_from_rows(rows, window, total, Proposal.from_row)

    @strawberry.field(permission_classes=[IsSignedIn])
    async def proposal(self, info: Ctx, id: strawberry.ID) -> Proposal:
        row = await info.context.run(proposals.get, info.context.db, str(id))
        return Proposal.from_row(row)

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="The concentrated activity week (代表集中活动周) of `year`: Monday to Friday "
        "of the third full week of December.",
    )
    def activity_week(self, year: int) -> ActivityWeek:
        week = proposal_reviews.activity_week(year)
        return ActivityWeek(year=week.year, start=week.start, end=week.end, days=week.days)

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Drafts led by the group's members that it has not reviewed yet (all of "
        "them with `includeReviewed`), oldest first: what its review meeting goes through.",
    )
    async def review_queue(
        self,
        info: Ctx,
        group_id: strawberry.ID,
        include_reviewed: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Proposal]:
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            proposal_reviews.review_queue,
            info.context.db,
            str(group_id),
            include_reviewed=include_reviewed,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(rows, window, total, Proposal.from_row)

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="The proposal report of a session: counts by kind, level and status; the "
        "on-time reply rate, A/B/C shares, satisfaction and re-handling, overall, per unit and "
        "per deputy; overdue replies judged on `asOf` (default today).",
    )
    async def proposal_report(
        self, info: Ctx, session: str, as_of: dt.date | None = None
    ) -> ProposalReport:
        db = info.context.db
        day = as_of or info.context.settings.today
        where = await info.context.run(proposal_reports.scope, db, session, as_of=day)
        figures = await info.context.run(proposal_reports.overall, db, where)
        counts = await info.context.run(proposal_reports.tallies, db, where)
        return ProposalReport(
            session=where.session,
            as_of=where.as_of,
            overall=ProposalRate.from_counts(figures),
            by_kind=tallies(counts["kinds"], PROPOSAL_KIND_NAMES),
            by_level=tallies(counts["levels"], dict(LEVEL_NAMES)),
            by_status=tallies(counts["statuses"], PROPOSAL_STATUS_NAMES),
            where=where,
        )


@strawberry.type
class ProposalMutation:
    @strawberry.mutation(
        description="A deputy drafts a proposal they lead (admins name the lead in "
        "`input.sponsorId`): its level and congress are the lead's."
    )
    async def draft_proposal(self, info: Ctx, input: DraftProposalInput) -> Proposal:
        actor = _actor(info, _DEPUTIES, "drafting a proposal")
        row = await info.context.run(
            proposals.draft,
            info.context.db,
            actor,
            kind=input.kind,
            title=input.title,
            body=input.body,
            session=input.session,
            issue_ids=[str(i) for i in input.issue_ids],
            sponsor_id=_id(input.sponsor_id),
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="A deputy drafts a proposal that carries citizens' issues up: it addresses "
        "them, and its text lists each with its village, 12345 ticket and tracking deputies."
    )
    async def draft_proposal_from_issues(
        self,
        info: Ctx,
        issue_ids: list[strawberry.ID],
        kind: ProposalKindEnum = ProposalKindEnum.SUGGESTION,
        title: str | None = None,
        session: str | None = None,
        sponsor_id: strawberry.ID | None = None,
    ) -> Proposal:
        actor = _actor(info, _DEPUTIES, "drafting a proposal")
        row = await info.context.run(
            proposals.draft_from_issues,
            info.context.db,
            actor,
            [str(i) for i in issue_ids],
            kind=kind,
            title=title,
            session=session,
            sponsor_id=_id(sponsor_id),
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="Co-sign a draft of your own congress (同级联名); a deputy signs for "
        "themself (admins name `deputyId`). Rule cosponsor-same-level."
    )
    async def co_sign_proposal(
        self, info: Ctx, proposal_id: strawberry.ID, deputy_id: strawberry.ID | None = None
    ) -> Proposal:
        actor = _actor(info, _DEPUTIES, "co-signing a proposal")
        row = await info.context.run(
            proposals.cosign,
            info.context.db,
            actor,
            str(proposal_id),
            _id(deputy_id),
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(description="A co-sponsor withdraws their signature from a draft.")
    async def withdraw_co_signature(
        self, info: Ctx, proposal_id: strawberry.ID, deputy_id: strawberry.ID | None = None
    ) -> Proposal:
        actor = _actor(info, _DEPUTIES, "withdrawing a co-signature")
        row = await info.context.run(
            proposals.withdraw_cosignature,
            info.context.db,
            actor,
            str(proposal_id),
            _id(deputy_id),
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="The lead deputy links a deputy of another level (or congress) who "
        "contributed to the proposal (跨层级协同); never a co-sponsor."
    )
    async def link_contributor(
        self,
        info: Ctx,
        proposal_id: strawberry.ID,
        deputy_id: strawberry.ID,
        note: str | None = None,
    ) -> Proposal:
        actor = _actor(info, _DEPUTIES, "linking a contributor")
        row = await info.context.run(
            proposals.link_contributor,
            info.context.db,
            actor,
            str(proposal_id),
            str(deputy_id),
            note,
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="The lead deputy submits their draft to a session (rules "
        "motion-needs-cosponsors and cosponsor-same-level)."
    )
    async def submit_proposal(
        self, info: Ctx, proposal_id: strawberry.ID, session: str | None = None
    ) -> Proposal:
        actor = _actor(info, _DEPUTIES, "submitting a proposal")
        row = await info.context.run(
            proposals.submit,
            info.context.db,
            actor,
            str(proposal_id),
            session,
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="The congress office assigns a submitted proposal to one lead unit (主办) "
        "and any assisting units (协办); the reply is due 3 months later (6 if `complex`). "
        "`at`: when it was assigned, if earlier than now."
    )
    async def assign_proposal(
        self,
        info: Ctx,
        proposal_id: strawberry.ID,
        lead_unit_id: strawberry.ID,
        assisting_unit_ids: list[strawberry.ID] | None = None,
        complex: bool = False,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> Proposal:
        actor = _actor(info, _OFFICE, "assigning a proposal")
        row = await info.context.run(
            proposals.assign,
            info.context.db,
            actor,
            str(proposal_id),
            str(lead_unit_id),
            [str(u) for u in assisting_unit_ids or []],
            complex_=complex,
            note=note,
            at=at,
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="The congress office records the lead unit's reply (答复), classed A, B or "
        "C; `at`: when the unit replied."
    )
    async def reply_proposal(
        self,
        info: Ctx,
        proposal_id: strawberry.ID,
        category: ReplyCategoryEnum,
        text: str,
        department_id: strawberry.ID | None = None,
        at: dt.datetime | None = None,
    ) -> Proposal:
        actor = _actor(info, _OFFICE, "recording a unit's reply")
        row = await info.context.run(
            proposals.reply,
            info.context.db,
            actor,
            str(proposal_id),
            category,
            text,
            department_id=_id(department_id),
            at=at,
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="The lead deputy rates the reply (满意 / 基本满意 / 不满意), once per round; "
        "不满意 sends it back for re-handling once."
    )
    async def rate_proposal_reply(
        self,
        info: Ctx,
        proposal_id: strawberry.ID,
        satisfaction: SatisfactionEnum,
        comment: str | None = None,
    ) -> Proposal:
        actor = _actor(info, _DEPUTIES, "rating a reply")
        row = await info.context.run(
            proposals.rate,
            info.context.db,
            actor,
            str(proposal_id),
            satisfaction,
            comment,
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="The standing committee puts a proposal under key supervision (重点督办)."
    )
    async def supervise_proposal(
        self, info: Ctx, proposal_id: strawberry.ID, note: str | None = None
    ) -> Proposal:
        actor = _actor(info, _OFFICE, "key supervision")
        row = await info.context.run(
            proposals.supervise,
            info.context.db,
            actor,
            str(proposal_id),
            note,
            now=pinned_now(info),
        )
        info.context.after_write()
        return Proposal.from_row(row)

    @strawberry.mutation(
        description="Record a group's review meeting (小组会议) of its members' drafts held on "
        "`date`: an activity of kind REVIEW with a comment per draft (the convener, "
        "organizers, admins)."
    )
    async def record_proposal_review(
        self,
        info: Ctx,
        group_id: strawberry.ID,
        date: dt.date,
        reviews: list[ReviewCommentInput],
        title: str | None = None,
    ) -> ProposalReviewMeeting:
        actor = _actor(info, _REVIEWERS, "recording a review meeting")
        if not reviews:
            raise BadInput("a review meeting goes through at least one draft")
        meeting = await info.context.run(
            proposal_reviews.record_review,
            info.context.db,
            actor,
            str(group_id),
            date,
            [(str(r.proposal_id), r.comment) for r in reviews],
            title=title,
            today=info.context.settings.today,
            now=pinned_now(info),
        )
        info.context.after_write()
        return ProposalReviewMeeting(
            activity_id=strawberry.ID(meeting.activity_id),
            group=Group.from_id(meeting.group_id),
            title=meeting.title,
            date=meeting.date,
            in_activity_week=meeting.in_activity_week,
            proposal_ids=meeting.proposal_ids,
        )
