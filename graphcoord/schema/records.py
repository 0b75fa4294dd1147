"""Deputies' records and scores for organizers: ``deputyRecords`` ranks an area's deputies.

``Deputy.record(year)`` and ``Deputy.score(year)`` are on the deputy type
(:mod:`graphcoord.schema.record_types`); this module holds the area-wide ranking, by township
and level when asked (docs/records.md).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphcoord.model import Level as LevelEnum
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.pagination import Connection, connection_from_rows, page_window
from graphcoord.schema.permissions import CanReadRecords
from graphcoord.schema.record_types import DeputyRecord, DeputyScore, score_from
from graphcoord.schema.types import Deputy
from graphcoord.services import records
from graphcoord.services.records import RankedRecord, RecordOrder
from graphcoord.threads import blocking

__all__ = ["RankedDeputy", "RecordQuery"]

Ctx = Info[Context, None]

strawberry.enum(RecordOrder, name="RecordOrder", description="How deputyRecords is ordered.")


@strawberry.type(description="A deputy with their record, score and rank by score in the area.")
class RankedDeputy:
    deputy: Deputy
    record: DeputyRecord
    score: DeputyScore
    rank: int = strawberry.field(description="1 = highest score; equal scores share a rank.")

    @classmethod
    def from_item(cls, item: RankedRecord) -> RankedDeputy:
        return cls(
            deputy=Deputy.from_row(dict(item.deputy)),
            record=DeputyRecord.from_row(item.record),
            score=score_from(item.score),
            rank=item.rank,
        )


@strawberry.type
class RecordQuery:
    @strawberry.field(
        description="The deputies of an area (elected in it or contacting a village in it), "
        "optionally of one level, with their record and score of a year and their rank: a "
        "township's code and a level give the ranking per township and level.",
        permission_classes=[CanReadRecords],
    )
    async def deputy_records(
        self,
        info: Ctx,
        area_code: str,
        year: int,
        level: LevelEnum | None = None,
        order_by: RecordOrder = RecordOrder.SCORE,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[RankedDeputy]:
        require_area_code(area_code)
        window = page_window(first, after, info.context.settings)
        ctx = info.context
        items = await blocking(
            lambda: records.ranked_records(
                ctx.db,
                ctx.principal,
                area_code=area_code,
                year=year,
                level=level.value if level else None,
                order=order_by,
                state_dir=ctx.settings.state_dir,
                today=ctx.settings.today,
            )
        )
        rows = items[window.skip : window.skip + window.limit + 1]
        return connection_from_rows(rows, window, len(items), RankedDeputy.from_item)
