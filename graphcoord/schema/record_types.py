"""GraphQL types of a deputy's performance record (履职档案) and assessment score.

Kept apart from :mod:`graphcoord.schema.types` (which only adds ``Deputy.record`` and
``Deputy.score``) so that the record's vocabulary stays in one small module.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphcoord.schema.context import Context
from graphcoord.services import records
from graphcoord.services.records import RecordRow
from graphcoord.services.scoring import Score, load_table, score_of

__all__ = ["DeputyRecord", "DeputyScore", "ScoreLine", "load_record", "load_score", "score_from"]

Ctx = Info[Context, None]


@strawberry.type(description="What a deputy did in a year (履职档案); docs/records.md.")
class DeputyRecord:
    year: int
    villages_contacted: int = strawberry.field(description="Villages and communities contacted.")
    visits: int = strawberry.field(description="Activities of the year attended (any kind).")
    activity_days_on_duty: int = strawberry.field(description="Station days on the roster.")
    missed_duty: int = strawberry.field(description="Days on the roster, past, not attended.")
    receptions: int = strawberry.field(description="Station activity days attended (接待).")
    supervision_activities: int = strawberry.field(
        description="Activities of supervision groups attended."
    )
    report_backs: int = strawberry.field(description="Report-back meetings (述职) attended.")
    issues_tracked: int = strawberry.field(description="Citizens' issues of the year tracked.")
    issues_resolved: int
    on_time_rate: float | None = strawberry.field(
        description="Finished in time among tracked issues whose finish date has come."
    )
    proposals_sponsored: int = strawberry.field(description="Proposals led (领衔).")
    proposals_co_signed: int = strawberry.field(description="Proposals co-signed (联名).")
    proposals_contributed: int = strawberry.field(description="Contributed to across levels.")
    ballots: int = strawberry.field(description="Ballots of the year's closed report-backs.")
    satisfaction_rate: float | None

    @classmethod
    def from_row(cls, r: RecordRow) -> DeputyRecord:
        return cls(
            year=r.year,
            villages_contacted=r.villages_contacted,
            visits=r.visits,
            activity_days_on_duty=r.activity_days_on_duty,
            missed_duty=r.missed_duty,
            receptions=r.receptions,
            supervision_activities=r.supervision_activities,
            report_backs=r.report_backs,
            issues_tracked=r.issues_tracked,
            issues_resolved=r.issues_resolved,
            on_time_rate=r.on_time_rate,
            proposals_sponsored=r.proposals_sponsored,
            proposals_co_signed=r.proposals_co_signed,
            proposals_contributed=r.proposals_contributed,
            ballots=r.ballots,
            satisfaction_rate=r.satisfaction_rate,
        )


@strawberry.type(description="One line of a score: item, count, points each, points in all.")
class ScoreLine:
    item: str
    label: str = strawberry.field(description="The item's Chinese name.")
    count: float
    points: float
    subtotal: float


@strawberry.type(description="An assessment score (定量考核) with its breakdown.")
class DeputyScore:
    year: int
    total: float
    breakdown: list[ScoreLine]


def score_from(score: Score) -> DeputyScore:
    return DeputyScore(
        year=score.year,
        total=score.total,
        breakdown=[
            ScoreLine(
                item=x.item, label=x.label, count=x.count, points=x.points, subtotal=x.subtotal
            )
            for x in score.lines
        ],
    )


async def load_record(info: Ctx, deputy_id: str, year: int) -> RecordRow | None:
    """The record through the request's loader, after the role check (a deputy: their own)."""
    principal = info.context.principal
    records.require_record_reader(principal, deputy_id)
    records.check_year(year)
    found: RecordRow | None = await info.context.loaders.deputy_record.load(f"{deputy_id}|{year}")
    return found


async def load_score(info: Ctx, deputy_id: str, year: int) -> DeputyScore | None:
    row = await load_record(info, deputy_id, year)
    if row is None:
        return None
    return score_from(score_of(row, load_table(info.context.settings.state_dir)))
