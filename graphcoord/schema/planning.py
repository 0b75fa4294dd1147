"""Changes planners and organizers make: contacts, conveners, activities."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry
from strawberry.types import Info

from graphcoord.errors import BadInput, NotFound
from graphcoord.model import basis_for_level
from graphcoord.queries import groups
from graphcoord.queries.deputies import deputy_facts, remove_contacts, upsert_contacts
from graphcoord.queries.meta import bump_version
from graphcoord.schema.context import Context
from graphcoord.schema.directory import check_area_code
from graphcoord.schema.permissions import CanManageGroups, CanPlan
from graphcoord.schema.types import Deputy, Group

__all__ = ["PlanningMutation"]

Ctx = Info[Context, None]
MAX_TEXT = 200


@strawberry.type(description="The outcome of a contact change.")
class ContactChange:
    deputy: Deputy
    village_code: str
    basis: str
    changed: bool


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
        db = info.context.db
        check_area_code(village_code)
        facts = await info.context.run(deputy_facts, db, [str(deputy_id)])
        if str(deputy_id) not in facts:
            raise NotFound("deputy", str(deputy_id))
        basis = basis_for_level(facts[str(deputy_id)].level).value
        row = {"deputyId": str(deputy_id), "areaCode": village_code, "basis": basis}
        await info.context.run(upsert_contacts, db, [row])
        await info.context.run(bump_version, db)
        info.context.after_write()
        deputy = await info.context.loaders.deputy.load(str(deputy_id))
        return ContactChange(
            deputy=Deputy.from_row(deputy), village_code=village_code, basis=basis, changed=True
        )

    @strawberry.mutation(permission_classes=[CanPlan], description="Remove a contact.")
    async def remove_contact(
        self, info: Ctx, deputy_id: strawberry.ID, village_code: str
    ) -> ContactChange:
        db = info.context.db
        check_area_code(village_code)
        deputy = await info.context.loaders.deputy.load(str(deputy_id))
        if deputy is None:
            raise NotFound("deputy", str(deputy_id))
        removed = await info.context.run(
            remove_contacts, db, [{"deputyId": str(deputy_id), "areaCode": village_code}]
        )
        if not removed:
            raise NotFound("contact", f"{deputy_id} → {village_code}")
        await info.context.run(bump_version, db)
        info.context.after_write()
        return ContactChange(
            deputy=Deputy.from_row(deputy),
            village_code=village_code,
            basis=basis_for_level(deputy["level"]).value,
            changed=True,
        )

    @strawberry.mutation(
        permission_classes=[CanManageGroups],
        description="Make a deputy the group's one convener (the previous one stays a member).",
    )
    async def set_convener(
        self, info: Ctx, group_id: strawberry.ID, deputy_id: strawberry.ID
    ) -> Group:
        loaders = info.context.loaders
        group = await loaders.group.load(str(group_id))
        if group is None:
            raise NotFound("group", str(group_id))
        if await loaders.deputy.load(str(deputy_id)) is None:
            raise NotFound("deputy", str(deputy_id))
        await info.context.run(groups.set_convener, info.context.db, str(group_id), str(deputy_id))
        await info.context.run(bump_version, info.context.db)
        info.context.after_write()
        return Group.from_row(group)

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
        title = title.strip()
        if not title or len(title) > MAX_TEXT:
            raise BadInput(f"title must have 1 to {MAX_TEXT} characters")
        group = await info.context.loaders.group.load(str(group_id))
        if group is None:
            raise NotFound("group", str(group_id))
        await info.context.run(
            groups.record_activity,
            info.context.db,
            activity_id=f"A-{uuid.uuid4().hex[:12]}",
            group_id=str(group_id),
            title=title,
            date=date.isoformat(),
            kind=kind,
            series=series,
            attendees=[str(a) for a in attendee_ids or []],
        )
        await info.context.run(bump_version, info.context.db)
        info.context.after_write()
        return Group.from_row(group)
