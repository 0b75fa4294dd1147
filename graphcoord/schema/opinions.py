"""Opinions that find each other in GraphQL: hot topics, proposal drafts, category review,
merges and the text model's state.

Every field needs a signed-in role; reviewing and correcting categories and merging issues are
for organizers and admins, drafting a proposal for deputies, organizers and admins
(:mod:`graphcoord.services.opinions` decides, for every surface alike). The fields on ``Issue``
itself (``suggestedCategory``, ``categoryFlagged``, ``similarIssues``…) are in
:mod:`graphcoord.schema.issues`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graphcoord.errors import BadInput
from graphcoord.model import LEVEL_NAMES
from graphcoord.model import ProposalKind as ProposalKindEnum
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.issues import Issue
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import IsSignedIn, require_roles
from graphcoord.schema.proposal_types import Proposal, pinned_now
from graphcoord.schema.types import Area, Deputy, Level, area_from_code
from graphcoord.services import issues as tracking
from graphcoord.services import opinions, proposals

__all__ = ["OpinionMutation", "OpinionQuery"]

Ctx = Info[Context, None]

_MANAGERS = frozenset({"organizer", "admin"})
_DRAFTERS = frozenset({"deputy", "organizer", "admin"})


@strawberry.enum(description="Whether the text model can be used.")
class TextModelStatus(StrEnum):
    FITTED = "FITTED"
    NOT_FITTED = "NOT_FITTED"
    UNUSABLE = "UNUSABLE"


@strawberry.type(description="How many texts a fit took from one source.")
class SourceCount:
    source: str
    count: int


@strawberry.type(description="The text model (suggested categories): fitted or not, and on what.")
class TextModelState:
    status: TextModelStatus
    message: str
    fitted_at: dt.datetime | None
    sklearn_version: str | None
    texts: int
    sources: list[SourceCount]

    @classmethod
    def from_state(cls, state: opinions.ModelState) -> TextModelState:
        return cls(
            status=TextModelStatus(state.status),
            message=state.message,
            fitted_at=state.fitted_at,
            sklearn_version=state.sklearn_version,
            texts=state.texts,
            sources=[SourceCount(source=k, count=v) for k, v in sorted(state.sources.items())],
        )


@strawberry.type(description="A village of a hot topic, with how many of its issues are in it.")
class TopicVillage:
    code: str
    name: str | None
    township_code: str | None
    township_name: str | None
    issue_count: int

    @classmethod
    def from_village(cls, village: opinions.TopicVillage) -> TopicVillage:
        return cls(
            code=village.code,
            name=village.name,
            township_code=village.township_code,
            township_name=village.township_name,
            issue_count=village.issues,
        )

    @strawberry.field
    async def area(self, info: Ctx) -> Area | None:
        return await area_from_code(info, self.code)


@strawberry.type(description="A township of a hot topic.")
class TopicTownship:
    code: str
    name: str | None


@strawberry.type(description="Issues of a topic raised in one week (keyed by its Monday).")
class WeekCount:
    week: dt.date
    count: int


@strawberry.type(description="A deputy covering some of a topic's villages.")
class TopicDeputy:
    deputy: Deputy
    village_codes: list[str]
    villages_covered: int
    open_issue_count: int

    @classmethod
    def from_deputy(cls, found: opinions.TopicDeputy) -> TopicDeputy:
        return cls(
            deputy=Deputy.from_brief(found.id, found.name, found.level),
            village_codes=found.villages,
            villages_covered=len(found.villages),
            open_issue_count=found.open_issues,
        )


@strawberry.type(description="The deputies of one level who cover a topic's villages.")
class LevelDeputies:
    level: Level
    level_name: str
    total: int
    found: strawberry.Private[list[opinions.TopicDeputy]]

    @strawberry.field(description="Those covering most of the villages first.")
    def deputies(self, first: int = 20) -> list[TopicDeputy]:
        if not 0 <= first <= 100:
            raise BadInput("first must be between 0 and 100")
        return [TopicDeputy.from_deputy(d) for d in self.found[:first]]


@strawberry.type(description="A cluster of issues on one matter over several villages.")
class HotTopic:
    id: strawberry.ID = strawberry.field(
        description="Stable while the scan's area, period and villages stay the same."
    )
    title: str = strawberry.field(description="The title of its most representative issue.")
    keywords: list[str]
    issue_count: int
    village_count: int
    villages: list[TopicVillage]
    townships: list[TopicTownship]
    weekly: list[WeekCount]
    first_at: dt.datetime | None
    last_at: dt.datetime | None
    cohesion: float = strawberry.field(description="Mean similarity to the topic, 0 to 1.")
    best_level: Level = strawberry.field(
        description="The lowest level whose congress's area holds every village of the topic."
    )
    best_level_name: str
    deputies_by_level: list[LevelDeputies] = strawberry.field(
        description="Deputies covering the villages, highest level first."
    )
    cosponsors: list[TopicDeputy] = strawberry.field(
        description="Suggested joint sponsors: deputies of the best-placed level covering most "
        "of the villages, as many as a joint motion of that level takes; the first could lead."
    )
    representative_issue_id: strawberry.Private[str]
    issue_ids: strawberry.Private[list[str]]

    @classmethod
    def from_topic(cls, topic: opinions.HotTopic) -> HotTopic:
        return cls(
            id=strawberry.ID(topic.id),
            title=topic.title,
            keywords=topic.keywords,
            issue_count=len(topic.issue_ids),
            village_count=len(topic.villages),
            villages=[TopicVillage.from_village(v) for v in topic.villages],
            townships=[TopicTownship(code=code, name=name) for code, name in topic.townships],
            weekly=[WeekCount(week=week, count=count) for week, count in topic.weekly],
            first_at=topic.first_at,
            last_at=topic.last_at,
            cohesion=topic.cohesion,
            best_level=Level(topic.best_level),
            best_level_name=topic.best_level_name,
            deputies_by_level=[
                LevelDeputies(
                    level=Level(level),
                    level_name=LEVEL_NAMES[level],
                    total=len(found),
                    found=found,
                )
                for level, found in topic.deputies.items()
            ],
            cosponsors=[TopicDeputy.from_deputy(d) for d in topic.cosponsors],
            representative_issue_id=topic.representative_issue_id,
            issue_ids=topic.issue_ids,
        )

    @strawberry.field
    async def representative_issue(self, info: Ctx) -> Issue | None:
        row = await info.context.loaders.issue.load(self.representative_issue_id)
        return Issue.from_row(row) if row is not None else None

    @strawberry.field(description="The topic's issues, oldest first.")
    async def issues(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Issue]:
        window = page_window(first, after, info.context.settings)
        ids = self.issue_ids[window.skip : window.skip + window.limit + 1]
        rows = await info.context.loaders.issue.load_many(ids)
        return connection_from_rows(
            [row for row in rows if row is not None], window, len(self.issue_ids), Issue.from_row
        )


@strawberry.type(description="The hot topics of an area and period.")
class HotTopics:
    area_code: str
    start: dt.date
    end: dt.date
    min_villages: int
    compared_issues: int = strawberry.field(description="Issues of the area and period compared.")
    truncated: bool = strawberry.field(
        description="More issues than the scan compares: only the newest were clustered."
    )
    found: strawberry.Private[list[opinions.HotTopic]]

    @strawberry.field(description="Topics over most villages first.")
    def topics(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[HotTopic]:
        window = page_window(first, after, info.context.settings)
        rows = self.found[window.skip : window.skip + window.limit + 1]
        return connection_from_rows(rows, window, len(self.found), HotTopic.from_topic)


@strawberry.type(
    description="What a joint proposal drafted from a hot topic needs, and the draft Proposal "
    "stored from it (addressing the topic's issues)."
)
class ProposalDraft:
    topic_id: strawberry.ID
    title: str
    summary: str
    keywords: list[str]
    congress_level: Level
    congress_level_name: str
    villages: list[TopicVillage]
    lead: TopicDeputy | None
    cosponsors: list[TopicDeputy]
    origin_issue_ids: list[strawberry.ID]
    proposal: Proposal | None = strawberry.field(
        default=None,
        description="The stored draft: led by the calling deputy (an admin: by the suggested "
        "lead); null for organizers (proposing is the deputies').",
    )

    @strawberry.field(description="The topic's issues, which the proposal will address.")
    async def origin_issues(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Issue]:
        window = page_window(first, after, info.context.settings)
        ids = [str(i) for i in self.origin_issue_ids[window.skip : window.skip + window.limit + 1]]
        rows = await info.context.loaders.issue.load_many(ids)
        return connection_from_rows(
            [row for row in rows if row is not None],
            window,
            len(self.origin_issue_ids),
            Issue.from_row,
        )


@strawberry.type
class OpinionQuery:
    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="Clusters of issues on one matter raised in at least `minVillages` villages "
        "of the area from `from` to `to` (days included), with the deputies who should act.",
    )
    async def hot_topics(
        self,
        info: Ctx,
        area_code: str,
        from_: Annotated[dt.date, strawberry.argument(name="from")],
        to: Annotated[dt.date, strawberry.argument(name="to")],
        min_villages: int = 3,
    ) -> HotTopics:
        require_area_code(area_code)
        scan = await info.context.run(
            opinions.hot_topics, info.context.db, area_code, from_, to, min_villages
        )
        return HotTopics(
            area_code=area_code,
            start=from_,
            end=to,
            min_villages=min_villages,
            compared_issues=scan.compared,
            truncated=scan.truncated,
            found=scan.topics,
        )

    @strawberry.field(
        description="Issues whose suggested category disagrees with the citizen's choice with "
        "high confidence, most confident first (organizers and admins)."
    )
    async def category_review(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> Connection[Issue]:
        require_roles(info, _MANAGERS, "the category review (categoryReview)")
        window = page_window(first, after, info.context.settings)
        total, rows = await info.context.run(
            opinions.flagged_issues, info.context.db, skip=window.skip, limit=window.limit
        )
        return connection_from_rows(rows, window, total, Issue.from_row)

    @strawberry.field(
        permission_classes=[IsSignedIn],
        description="The text model that suggests categories: FITTED (and on what), NOT_FITTED "
        "or UNUSABLE (and why).",
    )
    async def text_model(self, info: Ctx) -> TextModelState:
        state = await info.context.run(opinions.model_state, info.context.settings)
        return TextModelState.from_state(state)


@strawberry.type
class OpinionMutation:
    @strawberry.mutation(
        description="Set an issue's category (organizers and admins): confirms or overrides the "
        "suggestion, clears the flag, keeps the citizen's choice as citizenCategory; the next "
        "`graphcoord text fit` learns from it."
    )
    async def correct_issue_category(
        self, info: Ctx, issue_id: strawberry.ID, category: str
    ) -> Issue:
        require_roles(info, _MANAGERS, "correcting a category")
        row = await info.context.run(
            opinions.correct_category,
            info.context.db,
            str(issue_id),
            category,
            info.context.principal.role,
        )
        info.context.after_write()
        return Issue.from_row(row)

    @strawberry.mutation(
        description="Merge a duplicate into its original (organizers and admins): the "
        "duplicate's deputies track the original, and its tracking code shows the original's "
        "status. Returns the original."
    )
    async def merge_issue(
        self, info: Ctx, duplicate_id: strawberry.ID, original_id: strawberry.ID
    ) -> Issue:
        require_roles(info, _MANAGERS, "merging issues")
        row = await info.context.run(
            opinions.merge_issue,
            info.context.db,
            str(duplicate_id),
            str(original_id),
            info.context.principal.role,
        )
        info.context.after_write()
        return Issue.from_row(row)

    @strawberry.mutation(
        description="Draft a joint proposal from a hot topic (deputies, organizers, admins): "
        "origin issues, villages, the level to act at, a lead and co-sponsors; for a deputy "
        "(or an admin) it is stored as a draft Proposal (`proposal`)."
    )
    async def draft_proposal_from_topic(
        self,
        info: Ctx,
        topic_id: strawberry.ID,
        kind: ProposalKindEnum = ProposalKindEnum.SUGGESTION,
        session: str | None = None,
    ) -> ProposalDraft:
        require_roles(info, _DRAFTERS, "drafting a proposal")
        principal = info.context.principal
        draft, stored = await info.context.run(
            proposals.draft_from_topic,
            info.context.db,
            tracking.Actor.of(principal),
            str(topic_id),
            kind=kind,
            session=session,
            now=pinned_now(info),
        )
        if stored is not None:
            info.context.after_write()
        return ProposalDraft(
            topic_id=strawberry.ID(draft.topic_id),
            title=draft.title,
            summary=draft.summary,
            keywords=draft.keywords,
            congress_level=Level(draft.congress_level),
            congress_level_name=LEVEL_NAMES[draft.congress_level],
            villages=[TopicVillage.from_village(v) for v in draft.villages],
            lead=TopicDeputy.from_deputy(draft.lead) if draft.lead else None,
            cosponsors=[TopicDeputy.from_deputy(d) for d in draft.cosponsors],
            origin_issue_ids=[strawberry.ID(i) for i in draft.origin_issues],
            proposal=Proposal.from_row(stored) if stored is not None else None,
        )
