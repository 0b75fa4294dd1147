"""GraphQL types of proposals (议案建议): the proposal, its handling units, replies, log,
supervision, reviews, the engine's peers for a draft, and the session report.

A ``Proposal`` is made from a stored row; its lists (co-sponsors, contributors, origin issues,
log, reviews) come from one batched query per request (the ``proposal_details`` DataLoader)
and the deputies, issues and departments they name through their own loaders, so a page of
proposals with their sponsors costs a bounded number of round trips.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphcoord.model import (
    COLOUR_NAMES,
    HANDLER_ROLE_NAMES,
    LEVEL_NAMES,
    PROPOSAL_EVENT_NAMES,
    PROPOSAL_KIND_NAMES,
    PROPOSAL_STATUS_NAMES,
    REPLY_CATEGORY_NAMES,
    SATISFACTION_NAMES,
    now_in_china,
)
from graphcoord.model import DepartmentKind as DepartmentKindEnum
from graphcoord.model import HandlerRole as HandlerRoleEnum
from graphcoord.model import Level as LevelEnum
from graphcoord.model import ProposalEventKind as ProposalEventKindEnum
from graphcoord.model import ProposalKind as ProposalKindEnum
from graphcoord.model import ProposalStatus as ProposalStatusEnum
from graphcoord.model import ReplyCategory as ReplyCategoryEnum
from graphcoord.model import Satisfaction as SatisfactionEnum
from graphcoord.model import SupervisionColour as SupervisionColourEnum
from graphcoord.rules import required_sponsors
from graphcoord.schema.analysis import EscalationPath, Hop
from graphcoord.schema.context import Context
from graphcoord.schema.handling_types import Department, department_from_id
from graphcoord.schema.issues import Issue
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.types import Deputy, Group, deputies_from_ids
from graphcoord.services import proposal_peers, proposal_reports, proposals
from graphcoord.services.analysis import Escalation

__all__ = [
    "ActivityWeek",
    "Proposal",
    "ProposalReport",
    "ProposalReviewMeeting",
    "pinned_now",
    "tallies",
]

Ctx = Info[Context, None]

strawberry.enum(
    ProposalKindEnum,
    description="MOTION (议案: to a congress session, with same-level co-sponsors) or "
    "SUGGESTION (建议、批评和意见: sole or joint).",
)
strawberry.enum(
    ProposalStatusEnum,
    description="DRAFT (草稿), SUBMITTED (已提交), ASSIGNED (已交办), REPLIED (已答复), "
    "REHANDLING (重新办理) or CLOSED (办结).",
)
strawberry.enum(
    ReplyCategoryEnum,
    description="The class of a reply: A solved or basically solved, B in a plan and solved "
    "step by step, C cannot be solved now and kept for reference.",
)
strawberry.enum(HandlerRoleEnum, description="LEAD unit (主办) or ASSIST unit (协办).")
strawberry.enum(ProposalEventKindEnum, description="What an entry of a proposal's log records.")


@strawberry.type(description="A handling unit of a proposal and its role (主办 / 协办).")
class ProposalHandler:
    department: Department
    role: HandlerRoleEnum
    role_name: str
    assigned_at: dt.datetime | None


@strawberry.type(description="The lead unit's reply of one round (答复).")
class ProposalReply:
    category: ReplyCategoryEnum
    category_name: str
    text: str | None
    at: dt.datetime | None
    round: int
    late_workdays: int | None = strawberry.field(
        description="Working days after the reply was due (0: on time; null: not timed)."
    )
    department_id: strawberry.Private[str | None]
    department_name: str | None

    @strawberry.field(description="The unit that replied (the lead unit).")
    async def department(self, info: Ctx) -> Department | None:
        return await department_from_id(info, self.department_id)


@strawberry.type(description="One entry of a proposal's log.")
class ProposalEvent:
    id: strawberry.ID
    kind: ProposalEventKindEnum
    kind_name: str
    at: dt.datetime | None
    by: str = strawberry.field(description="organizer, admin or deputy:<id>.")
    by_name: str | None
    text: str | None
    round: int
    category: ReplyCategoryEnum | None
    satisfaction: SatisfactionEnum | None
    department_name: str | None
    deputy_id: str | None = strawberry.field(description="The deputy who co-signed, was linked…")

    @classmethod
    def from_row(cls, e: proposals.ProposalEventRow) -> ProposalEvent:
        return cls(
            id=strawberry.ID(e.id),
            kind=ProposalEventKindEnum(e.kind),
            kind_name=PROPOSAL_EVENT_NAMES.get(e.kind, e.kind),
            at=e.at,
            by=e.by,
            by_name=e.by_name,
            text=e.text,
            round=e.round,
            category=ReplyCategoryEnum(e.category) if e.category else None,
            satisfaction=SatisfactionEnum(e.satisfaction) if e.satisfaction else None,
            department_name=e.department_name,
            deputy_id=e.deputy_id,
        )


@strawberry.type(description="Key supervision (重点督办) and the colour of the reply's deadline.")
class ProposalSupervision:
    supervised: bool = strawberry.field(description="Under key supervision (重点督办).")
    supervised_at: dt.datetime | None
    note: str | None
    colour: SupervisionColourEnum | None = strawberry.field(
        description="RED overdue, YELLOW due within 10 working days, GREEN; for a replied "
        "proposal, GREEN on time or RED late. Null before the assignment."
    )
    colour_name: str | None
    due_on: dt.date | None = strawberry.field(description="The reply of the current round.")
    overdue_days: int = strawberry.field(description="Working days overdue (or replied late).")
    as_of: dt.date


@strawberry.type(description="A deputy who contributed to a proposal (跨层级协同).")
class ProposalContributor:
    deputy: Deputy
    note: str | None
    at: dt.datetime | None


@strawberry.type(description="A group's review meeting that went through a draft.")
class ProposalReview:
    activity_id: strawberry.ID
    title: str | None
    date: dt.date | None
    group: Group
    group_name: str | None
    comment: str | None


@strawberry.type(description="A deputy the engine suggests for a draft, and why.")
class PeerSuggestion:
    deputy: Deputy
    score: float
    reasons: list[str] = strawberry.field(description="In Chinese: what links them.")
    open_issue_count: int

    @classmethod
    def from_suggestion(cls, s: proposal_peers.PeerSuggestion) -> PeerSuggestion:
        return cls(
            deputy=Deputy.from_brief(s.deputy_id, s.name, s.level),
            score=s.score,
            reasons=s.reasons,
            open_issue_count=s.open_issues,
        )


def escalation_paths(found: Escalation | None) -> list[EscalationPath]:
    if found is None:
        return []

    def target(deputy_id: str) -> Deputy:
        brief = found.deputies[deputy_id]
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
        for path in found.paths
    ]


@strawberry.type(description="Suggested co-sponsors, contributors and escalation for a draft.")
class ProposalPeers:
    level: LevelEnum
    target_level: LevelEnum | None = strawberry.field(
        description="The level that can act on it, when above the draft's."
    )
    cosponsors: list[PeerSuggestion] = strawberry.field(
        description="Deputies of the same congress (同级联名), most linked first."
    )
    contributors: list[PeerSuggestion] = strawberry.field(
        description="Deputies of other levels or congresses (跨层级协同), most linked first."
    )
    escalation: list[EscalationPath] = strawberry.field(
        description="The best explained paths from the lead to a deputy of the target level."
    )
    escalation_note: str | None

    @classmethod
    def from_peers(cls, p: proposal_peers.DraftPeers) -> ProposalPeers:
        return cls(
            level=LevelEnum(p.level),
            target_level=LevelEnum(p.target_level) if p.target_level else None,
            cosponsors=[PeerSuggestion.from_suggestion(s) for s in p.cosponsors],
            contributors=[PeerSuggestion.from_suggestion(s) for s in p.contributors],
            escalation=escalation_paths(p.escalation),
            escalation_note=p.escalation_note,
        )


@strawberry.type(description="A motion (议案) or suggestion (建议) of deputies, and its handling.")
class Proposal:
    id: strawberry.ID
    kind: ProposalKindEnum
    kind_name: str
    title: str
    body: str | None
    level: LevelEnum = strawberry.field(description="The level of the congress it goes to.")
    level_name: str
    congress_area_code: str | None = strawberry.field(
        description="The area of the congress (null for the NPC)."
    )
    session: str | None
    status: ProposalStatusEnum
    status_name: str
    created_at: dt.datetime | None
    submitted_at: dt.datetime | None
    assigned_at: dt.datetime | None
    complex: bool = strawberry.field(description="Complex: reply due in 6 months, not 3.")
    reply_due: dt.date | None = strawberry.field(description="The first reply's due date.")
    rehandling_due: dt.date | None
    round: int = strawberry.field(description="1, or 2 once sent back for re-handling.")
    reply_category: ReplyCategoryEnum | None = strawberry.field(description="Of the latest reply.")
    reply_category_name: str | None
    satisfaction: SatisfactionEnum | None = strawberry.field(
        description="The lead deputy's latest verdict."
    )
    satisfaction_name: str | None
    rated_at: dt.datetime | None
    handler: str | None = strawberry.field(description="The lead unit's name.")
    sponsor_count: int = strawberry.field(description="The lead and the co-sponsors.")
    required_sponsors: int = strawberry.field(
        description="Sponsors its kind needs at its level (a motion: 30/10/10/10/5)."
    )
    contributor_count: int
    origin_issue_count: int
    row: strawberry.Private[proposals.ProposalRow]

    @classmethod
    def from_row(cls, row: proposals.ProposalRow) -> Proposal:
        return cls(
            id=strawberry.ID(row.id),
            kind=ProposalKindEnum(row.kind),
            kind_name=PROPOSAL_KIND_NAMES.get(row.kind, row.kind),
            title=row.title,
            body=row.body,
            level=LevelEnum(row.level),
            level_name=LEVEL_NAMES[row.level],
            congress_area_code=row.congress_area_code,
            session=row.session,
            status=ProposalStatusEnum(row.status),
            status_name=PROPOSAL_STATUS_NAMES.get(row.status, row.status),
            created_at=row.created_at,
            submitted_at=row.submitted_at,
            assigned_at=row.assigned_at,
            complex=row.complex,
            reply_due=row.reply_due,
            rehandling_due=row.rehandling_due,
            round=row.round,
            reply_category=ReplyCategoryEnum(row.reply_category) if row.reply_category else None,
            reply_category_name=REPLY_CATEGORY_NAMES.get(row.reply_category or ""),
            satisfaction=SatisfactionEnum(row.satisfaction) if row.satisfaction else None,
            satisfaction_name=SATISFACTION_NAMES.get(row.satisfaction or ""),
            rated_at=row.rated_at,
            handler=row.handler,
            sponsor_count=row.sponsor_count,
            required_sponsors=required_sponsors(row.kind, row.level),
            contributor_count=row.contributor_count,
            origin_issue_count=row.issue_count,
            row=row,
        )

    async def _details(self, info: Ctx) -> proposals.ProposalDetails:
        found = await info.context.loaders.proposal_details.load(str(self.id))
        return found if found is not None else proposals.ProposalDetails()

    @strawberry.field(description="The lead deputy (领衔代表).")
    def sponsor(self) -> Deputy | None:
        lead = self.row.lead
        return Deputy.from_brief(lead.id, lead.name, lead.level) if lead else None

    @strawberry.field(description="Co-sponsors (联名代表), in signing order.")
    async def co_sponsors(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Deputy]:
        window = page_window(first, after, info.context.settings)
        ids = (await self._details(info)).co_sponsors
        people = await deputies_from_ids(info, ids[window.skip : window.skip + window.limit + 1])
        return connection_from_rows(people, window, len(ids), lambda d: d)

    @strawberry.field(description="Deputies of other levels who contributed (跨层级协同).")
    async def contributors(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[ProposalContributor]:
        window = page_window(first, after, info.context.settings)
        found = (await self._details(info)).contributors
        chosen = found[window.skip : window.skip + window.limit + 1]
        rows = await info.context.loaders.deputy.load_many([c.deputy_id for c in chosen])
        items = [
            ProposalContributor(deputy=Deputy.from_row(row), note=c.note, at=c.at)
            for c, row in zip(chosen, rows, strict=True)
            if row is not None
        ]
        return connection_from_rows(items, window, len(found), lambda c: c)

    @strawberry.field(description="The citizens' issues it carries up (its origin), oldest first.")
    async def origin_issues(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Issue]:
        window = page_window(first, after, info.context.settings)
        ids = (await self._details(info)).issues
        rows = await info.context.loaders.issue.load_many(
            ids[window.skip : window.skip + window.limit + 1]
        )
        return connection_from_rows(
            [row for row in rows if row is not None], window, len(ids), Issue.from_row
        )

    @strawberry.field(description="Its handling units: the lead unit (主办) first.")
    def handlers(self) -> list[ProposalHandler]:
        return [
            ProposalHandler(
                department=Department(
                    id=strawberry.ID(h.department_id),
                    name=h.name,
                    kind=DepartmentKindEnum(h.kind),
                    area_code=h.area_code,
                ),
                role=HandlerRoleEnum(h.role),
                role_name=HANDLER_ROLE_NAMES.get(h.role, h.role),
                assigned_at=h.at,
            )
            for h in self.row.handlers
        ]

    @strawberry.field(description="The lead unit's replies, one per round.")
    async def replies(self, info: Ctx) -> list[ProposalReply]:
        events = (await self._details(info)).events
        return [
            ProposalReply(
                category=ReplyCategoryEnum(e.category or "C"),
                category_name=REPLY_CATEGORY_NAMES.get(e.category or "", ""),
                text=e.text,
                at=e.at,
                round=e.round,
                late_workdays=e.late,
                department_id=e.department_id,
                department_name=e.department_name,
            )
            for e in events
            if e.kind == ProposalEventKindEnum.REPLIED.value
        ]

    @strawberry.field(description="Key supervision and the colour of the reply's deadline.")
    def supervision(self, info: Ctx, as_of: dt.date | None = None) -> ProposalSupervision:
        row = self.row
        day = as_of or info.context.settings.today or now_in_china().date()
        state = proposals.supervision_of(row, day)
        return ProposalSupervision(
            supervised=row.supervised_at is not None,
            supervised_at=row.supervised_at,
            note=row.supervision_note,
            colour=SupervisionColourEnum(state.colour.value) if state else None,
            colour_name=COLOUR_NAMES[state.colour] if state else None,
            due_on=state.due_on if state else row.current_due,
            overdue_days=state.overdue_days if state else 0,
            as_of=day,
        )

    @strawberry.field(description="The groups' review meetings that went through it.")
    async def reviews(self, info: Ctx) -> list[ProposalReview]:
        return [
            ProposalReview(
                activity_id=strawberry.ID(r.activity_id),
                title=r.title,
                date=r.date,
                group=Group.from_id(r.group_id),
                group_name=r.group_name,
                comment=r.comment,
            )
            for r in (await self._details(info)).reviews
        ]

    @strawberry.field(description="Its log, oldest first.")
    async def log(self, info: Ctx) -> list[ProposalEvent]:
        return [ProposalEvent.from_row(e) for e in (await self._details(info)).events]

    @strawberry.field(
        description="Suggested co-sponsors and contributors, and the best escalation path to "
        "`targetLevel` (default: the level whose congress holds every origin village, when "
        "above its own), each with the reasons."
    )
    async def peers(
        self, info: Ctx, target_level: LevelEnum | None = None, first: int = 10, k: int = 3
    ) -> ProposalPeers:
        found = await info.context.run(
            proposal_peers.draft_peers,
            info.context.db,
            str(self.id),
            target_level=target_level.value if target_level else None,
            limit=first,
            k=k,
        )
        return ProposalPeers.from_peers(found)


@strawberry.type(description="The concentrated activity week (代表集中活动周) of a year.")
class ActivityWeek:
    year: int
    start: dt.date = strawberry.field(description="Monday of the third full week of December.")
    end: dt.date = strawberry.field(description="Its Friday.")
    days: list[dt.date]


@strawberry.type(description="A group's review meeting of drafts (an Activity of kind REVIEW).")
class ProposalReviewMeeting:
    activity_id: strawberry.ID
    group: Group
    title: str
    date: dt.date
    in_activity_week: bool
    proposal_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The drafts it went through.")
    async def proposals(self, info: Ctx) -> list[Proposal]:
        rows = await info.context.loaders.proposal.load_many(self.proposal_ids)
        return [Proposal.from_row(r) for r in rows if r is not None]


@strawberry.type(
    description="Figures of a group of proposals: on-time reply rate, A/B/C, satisfaction."
)
class ProposalRate:
    key: str
    label: str
    kind: str = strawberry.field(description="SESSION, or a unit's kind.")
    total: int
    motions: int
    suggestions: int
    submitted: int
    assigned: int
    replied: int
    on_time: int
    due: int = strawberry.field(description="Replied, or past the reply date unreplied.")
    on_time_rate: float | None = strawberry.field(description="按期答复率: on time ÷ due.")
    a: int
    b: int
    c: int
    a_share: float | None
    b_share: float | None
    c_share: float | None
    rated: int
    satisfied_fully: int = strawberry.field(description="满意.")
    satisfied: int = strawberry.field(description="满意 or 基本满意.")
    dissatisfied: int = strawberry.field(description="不满意.")
    satisfaction_rate: float | None
    rehandled: int = strawberry.field(description="Sent back for re-handling (重新办理).")
    supervised: int

    @classmethod
    def from_counts(cls, c: proposal_reports.ProposalCounts) -> ProposalRate:
        return cls(
            key=c.key,
            label=c.label,
            kind=c.kind,
            total=c.total,
            motions=c.motions,
            suggestions=c.suggestions,
            submitted=c.submitted,
            assigned=c.assigned,
            replied=c.replied,
            on_time=c.on_time,
            due=c.due,
            on_time_rate=c.on_time_rate,
            a=c.a,
            b=c.b,
            c=c.c,
            a_share=c.share("A"),
            b_share=c.share("B"),
            c_share=c.share("C"),
            rated=c.rated,
            satisfied_fully=c.satisfied_fully,
            satisfied=c.satisfied,
            dissatisfied=c.dissatisfied,
            satisfaction_rate=c.satisfaction_rate,
            rehandled=c.rehandled,
            supervised=c.supervised,
        )


@strawberry.type(description="How many proposals of a group are of one kind, level or status.")
class ProposalTally:
    key: str
    label: str
    count: int


@strawberry.type(description="A deputy's proposals of a session.")
class DeputyProposals:
    deputy: Deputy
    led: int = strawberry.field(description="Led (领衔).")
    cosigned: int = strawberry.field(description="Co-signed (联名).")
    contributed: int = strawberry.field(description="Contributed to (跨层级协同).")


@strawberry.type(description="The proposal report of a session (议案建议办理情况).")
class ProposalReport:
    session: str
    as_of: dt.date = strawberry.field(description="The day overdue replies were judged on.")
    overall: ProposalRate
    by_kind: list[ProposalTally]
    by_level: list[ProposalTally]
    by_status: list[ProposalTally]
    where: strawberry.Private[proposal_reports.SessionScope]

    @strawberry.field(description="Per lead unit (主办), busiest first.")
    async def by_unit(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[ProposalRate]:
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            proposal_reports.unit_page,
            info.context.db,
            self.where,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(rows, window, total, ProposalRate.from_counts)

    @strawberry.field(description="Per deputy: led, co-signed, contributed to; most first.")
    async def by_deputy(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[DeputyProposals]:
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            proposal_reports.deputy_page,
            info.context.db,
            self.where,
            skip=window.skip,
            limit=window.limit,
        )
        return connection_from_rows(
            rows,
            window,
            total,
            lambda r: DeputyProposals(
                deputy=Deputy.from_brief(r.id, r.name, r.level),
                led=r.led,
                cosigned=r.cosigned,
                contributed=r.contributed,
            ),
        )


def pinned_now(info: Ctx) -> dt.datetime | None:
    """Now on the day the settings pin (``GRAPHCOORD_TODAY``: tests, demos), or ``None`` (the
    services take now)."""
    pinned = info.context.settings.today
    if pinned is None:
        return None
    return dt.datetime.combine(pinned, now_in_china().timetz())


def tallies(counts: dict[str, int], names: dict[str, str]) -> list[ProposalTally]:
    return [ProposalTally(key=k, label=names.get(k, k), count=n) for k, n in counts.items()]
