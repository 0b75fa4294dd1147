"""Whole-graph facts: node counts per label."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphcoord.schema.context import Context
from graphcoord.schema.permissions import IsSignedIn
from graphcoord.services import database


@strawberry.type(description="How many nodes carry a label.")
class LabelCount:
    label: str
    count: int


@strawberry.type
class MetaQuery:
    @strawberry.field(
        description="Node counts per label, a quick look at what is loaded.",
        permission_classes=[IsSignedIn],
    )
    async def node_counts(self, info: Info[Context, None]) -> list[LabelCount]:
        rows = await info.context.run(database.label_counts, info.context.db)
        return [LabelCount(label=row.label, count=row.count) for row in rows]
