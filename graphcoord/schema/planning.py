"""Changes planners and organizers make: contacts, conveners, activities."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graphcoord.errors import NotFound
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.permissions import CanManageGroups, CanPlan
from graphcoord.schema.types import Deputy, Group
from graphcoord.services import directory

__all__ = ["PlanningMutation"]

Ctx = Info[Context, None]


@strawberry.type(description="The outcome of a contact change.")
class ContactChange:
    deputy: Deputy
    village_code: str
    basis: str
    changed: bool


async def _contact_change(info: Ctx, change: directory.ContactChange) -> ContactChange:
    info.context.after_write()
    deputy = await info.context.loaders.deputy.load(change.deputy_id)
    if deputy is None:  # pragma: no cover - the service found the deputy a moment ago
        raise NotFound("deputy", change.deputy_id)
    return ContactChange(
        deputy=Deputy.from_row(deputy),
        village_code=change.village_code,
        basis=change.basis,
        changed=True,
    )


async def _group(info: Ctx, group_id: str) -> Group:
    info.context.after_write()
    row = await info.context.loaders.group.load(group_id)
    if row is None:  # pragma: no cover - the service found the group a moment ago
        raise NotFound("group", group_id)
    return Group.from_row(row)


@strawberry.type
class PlanningMutation:
    @strawberry.mutation(
        permission_classes=[CanPlan],
        description="Let a deputy contact a village; the basis follows the deputy's level and "
        "county/township deputies may only contact villages of their constituency.",
    )
    async def add_contact(
        self, info: Ctx, deputy_id: strawberry.ID, village_code: str
    ) -> ContactChange:
        change = await info.context.run(
            directory.add_contact,
            info.context.db,
            str(deputy_id),
            require_area_code(village_code),
            actor=info.context.principal,
        )
        return await _contact_change(info, change)

    @strawberry.mutation(permission_classes=[CanPlan], description="Remove a contact.")
    async def remove_contact(
        self, info: Ctx, deputy_id: strawberry.ID, village_code: str
    ) -> ContactChange:
        change = await info.context.run(
            directory.remove_contact,
            info.context.db,
            str(deputy_id),
            require_area_code(village_code),
            actor=info.context.principal,
        )
        return await _contact_change(info, change)

    @strawberry.mutation(
        permission_classes=[CanManageGroups],
        description="Make a deputy the group's one convener (the previous one stays a member).",
    )
    async def set_convener(
        self, info: Ctx, group_id: strawberry.ID, deputy_id: strawberry.ID
    ) -> Group:
        await info.context.run(
            directory.set_convener,
            info.context.db,
            str(group_id),
            str(deputy_id),
            actor=info.context.principal,
        )
        return await _group(info, str(group_id))

    @strawberry.mutation(
        permission_classes=[CanManageGroups],
        description="Record an activity a group held (quarterly compliance counts these).",
    )
    async def record_activity(
        self,
        info: Ctx,
        group_id: strawberry.ID,
        title: str,
        date: dt.date,
        kind: str = "MEETING",
        series: str | None = None,
        attendee_ids: list[strawberry.ID] | None = None,
    ) -> Group:
        await info.context.run(
            directory.record_activity,
            info.context.db,
            str(group_id),
            title=title,
            date=date,
            kind=kind,
            series=series,
            attendee_ids=[str(a) for a in attendee_ids or []],
            actor=info.context.principal,
        )
        return await _group(info, str(group_id))
