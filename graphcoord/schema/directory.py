"""Who and where: deputies, areas, groups and campaigns."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graphcoord.errors import NotFound
from graphcoord.model import GroupKind as GroupKindEnum
from graphcoord.model import Level as LevelEnum
from graphcoord.rules import require_area_code
from graphcoord.schema.context import Context
from graphcoord.schema.pagination import (
    Connection,
    asks_total,
    connection_from_keyed,
    key_window,
    node_fields,
    object_fields,
)
from graphcoord.schema.permissions import IsSignedIn
from graphcoord.schema.types import Area, Deputy, Group, area_from_code
from graphcoord.services import directory

__all__ = ["DirectoryQuery"]

Ctx = Info[Context, None]
T = TypeVar("T")


@strawberry.input(description="Filters of `deputies`; all given filters must hold.")
class DeputyWhere:
    level: LevelEnum | None = None
    area_code: str | None = strawberry.field(
        default=None, description="Elected in, or contacting a village inside, this area."
    )
    chain_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None
    name_contains: str | None = None


@strawberry.input(description="Filters of `groups`.")
class GroupWhere:
    kind: GroupKindEnum | None = None
    area_code: str | None = None


@strawberry.type(description="Participation of one level or area in a campaign.")
class Participation:
    key: str
    name: str | None
    deputies: int
    participants: int
    rate: float


@strawberry.type(description="A campaign for all deputies, e.g. the legislation-plan call.")
class Campaign:
    id: strawberry.ID
    title: str
    citizen_count: int | None
    participants: int

    @strawberry.field(description="Share of active deputies who took part, per level.")
    async def by_level(self, info: Ctx) -> list[Participation]:
        levels, _ = await info.context.run(directory.participation, info.context.db, str(self.id))
        return [_participation(row["level"], None, row) for row in levels]

    @strawberry.field(description="Share per county of the deputies' constituency.")
    async def by_area(self, info: Ctx) -> list[Participation]:
        _, counties = await info.context.run(directory.participation, info.context.db, str(self.id))
        return [_participation(row["county"], row["name"], row) for row in counties]

    @strawberry.field(description="Share of all active deputies who took part.")
    async def participation_rate(self, info: Ctx) -> float:
        levels, _ = await info.context.run(directory.participation, info.context.db, str(self.id))
        total = sum(row["deputies"] for row in levels)
        return round(self.participants / total, 4) if total else 0.0


def _participation(key: str, name: str | None, row: dict[str, int]) -> Participation:
    deputies_count, participants = int(row["deputies"]), int(row["participants"])
    rate = round(participants / deputies_count, 4) if deputies_count else 0.0
    return Participation(
        key=key, name=name, deputies=deputies_count, participants=participants, rate=rate
    )


async def _page(
    info: Ctx,
    first: int | None,
    after: str | None,
    area_code: str | None,
    fetch: Callable[..., tuple[int | None, list[dict[str, Any]]]],
    loader: DataLoader[str, Any],
    convert: Callable[[dict[str, Any]], T],
    **filters: Any,
) -> Connection[T]:
    """A filtered page of nodes keyed (and ordered) by ``id``, fetched past the cursor's id;
    counted only when the query asks for ``totalCount``. The page primes the loader of its
    nodes."""
    window = key_window(first, after, info.context.settings)
    if area_code is not None:
        require_area_code(area_code)
    total, rows = await info.context.run(
        fetch,
        info.context.db,
        after=window.after[0] if window.after else None,
        limit=window.limit + 1,
        count=asks_total(info),
        area_code=area_code,
        **filters,
    )
    for row in rows[: window.limit]:
        loader.prime(row["id"], row)
    return connection_from_keyed(rows, window, total, _by_id, convert)


def _by_id(row: dict[str, Any]) -> tuple[str]:
    return (str(row["id"]),)


async def _read_ahead(info: Ctx, ids: list[str]) -> None:
    """Read the relations the query asks of a page's deputies, for all of them at once.

    The same batched queries the deputies' own fields would make (one per relation, in
    parallel), but done before the page is returned: each deputy's field then finds its value
    in the loader and completes at once, with no coroutine or task per deputy (0.5-1k of them
    on a page of 50). A failed batch is left in the loader, so each field reports its error.
    """
    loaders = info.context.loaders
    relations: dict[str, Callable[[], DataLoader[str, Any]]] = {
        "groups": lambda: loaders.deputy_groups,
        "contacts": lambda: loaders.deputy_contacts,
        "chains": lambda: loaders.deputy_chains,
    }
    asked = node_fields(info)
    wanted = [loader() for name, loader in relations.items() if name in asked]
    if ids and wanted:
        await asyncio.gather(*(loader.load_many(ids) for loader in wanted), return_exceptions=True)


@strawberry.type
class DirectoryQuery:
    @strawberry.field(permission_classes=[IsSignedIn], description="Deputies, filtered, by id.")
    async def deputies(
        self,
        info: Ctx,
        where: DeputyWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Deputy]:
        where = where or DeputyWhere()
        page = await _page(
            info,
            first,
            after,
            where.area_code,
            directory.deputy_page,
            info.context.loaders.deputy,
            Deputy.from_row,
            level=where.level.value if where.level else None,
            chain_id=where.chain_id,
            group_id=where.group_id,
            name_contains=where.name_contains,
        )
        await _read_ahead(info, [str(edge.node.id) for edge in page.edges])
        return page

    @strawberry.field(permission_classes=[IsSignedIn])
    async def deputy(self, info: Ctx, id: strawberry.ID) -> Deputy:
        row = await info.context.loaders.deputy.load(str(id))
        if row is None:
            raise NotFound("deputy", str(id))
        return Deputy.from_row(row)

    @strawberry.field(permission_classes=[IsSignedIn])
    async def area(self, info: Ctx, code: str) -> Area:
        code = require_area_code(code)
        if "children" in object_fields(info):  # read with the area, not after it
            loaders = info.context.loaders
            await asyncio.gather(loaders.area.load(code), loaders.area_children.load(code))
        area = await area_from_code(info, code)
        if area is None:
            raise NotFound("area", code)
        return area

    @strawberry.field(permission_classes=[IsSignedIn])
    async def groups(
        self,
        info: Ctx,
        where: GroupWhere | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Group]:
        where = where or GroupWhere()
        return await _page(
            info,
            first,
            after,
            where.area_code,
            directory.group_page,
            info.context.loaders.group,
            Group.from_row,
            kind=where.kind.value if where.kind else None,
        )

    @strawberry.field(permission_classes=[IsSignedIn])
    async def group(self, info: Ctx, id: strawberry.ID) -> Group:
        loaders = info.context.loaders
        group = loaders.group.load(str(id))
        if object_fields(info) & {"members", "convener"}:
            await asyncio.gather(group, loaders.group_members.load(str(id)))
        row = await group
        if row is None:
            raise NotFound("group", str(id))
        return Group.from_row(row)

    @strawberry.field(permission_classes=[IsSignedIn])
    async def campaigns(self, info: Ctx) -> list[Campaign]:
        rows = await info.context.run(directory.campaigns_with_participants, info.context.db)
        return [_campaign(row) for row in rows]

    @strawberry.field(permission_classes=[IsSignedIn])
    async def campaign(self, info: Ctx, id: strawberry.ID) -> Campaign:
        rows = await info.context.run(directory.campaigns_with_participants, info.context.db)
        for row in rows:
            if row["id"] == str(id):
                return _campaign(row)
        raise NotFound("campaign", str(id))


def _campaign(row: dict[str, Any]) -> Campaign:
    return Campaign(
        id=strawberry.ID(row["id"]),
        title=row["title"],
        citizen_count=row["citizenCount"],
        participants=int(row["participants"]),
    )
