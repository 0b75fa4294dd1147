"""DataLoaders: every nested relation is fetched in one batched query per request level.

A loader turns the keys that resolvers ask for during one tick of the event loop into one
``UNWIND $ids`` query, so the number of Cypher round trips of a query does not grow with the
number of items it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any, Generic, TypeVar

from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader

from graphcoord.db import Database
from graphcoord.queries import areas, deputies, groups, industry, tracking

__all__ = ["Loaders"]

V = TypeVar("V")

Fetch = Callable[[Database, Sequence[str]], Mapping[str, Any]]


class _Batch(Generic[V]):
    """Load function of one loader: fetch all keys at once, answer in key order."""

    def __init__(self, db: Database, fetch: Fetch, default: Callable[[], V | None]) -> None:
        self.db = db
        self.fetch = fetch
        self.default = default

    async def __call__(self, keys: list[str]) -> list[V | None]:
        found = await run_in_threadpool(self.fetch, self.db, keys)
        return [found.get(key, self.default()) for key in keys]


def _loader(
    db: Database, fetch: Fetch, default: Callable[[], Any] = lambda: None
) -> DataLoader[str, Any]:
    return DataLoader(load_fn=_Batch(db, fetch, default))


class Loaders:
    """The loaders of one request (their caches must not outlive it).

    Each is made on first use: most requests use one or two of them, and twelve DataLoaders
    made for every request cost more than the ``{ __typename }`` they would serve.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    @cached_property
    def deputy(self) -> DataLoader[str, Any]:
        return _loader(self.db, deputies.deputies_by_id)

    @cached_property
    def deputy_contacts(self) -> DataLoader[str, Any]:
        return _loader(self.db, deputies.contacts_of, list)

    @cached_property
    def deputy_liaisons(self) -> DataLoader[str, Any]:
        return _loader(self.db, deputies.liaisons_of, lambda: ([], []))

    @cached_property
    def deputy_open_issues(self) -> DataLoader[str, Any]:
        return _loader(self.db, deputies.open_issue_counts, int)

    @cached_property
    def deputy_groups(self) -> DataLoader[str, Any]:
        return _loader(self.db, groups.groups_of, list)

    @cached_property
    def deputy_chains(self) -> DataLoader[str, Any]:
        return _loader(self.db, industry.chains_of, list)

    @cached_property
    def area(self) -> DataLoader[str, Any]:
        return _loader(self.db, areas.get_areas)

    @cached_property
    def area_children(self) -> DataLoader[str, Any]:
        return _loader(self.db, areas.children_of, list)

    @cached_property
    def group(self) -> DataLoader[str, Any]:
        return _loader(self.db, groups.groups_by_id)

    @cached_property
    def group_members(self) -> DataLoader[str, Any]:
        return _loader(self.db, groups.members_of, list)

    @cached_property
    def group_activities(self) -> DataLoader[str, Any]:
        return _loader(self.db, groups.activities_of, list)

    @cached_property
    def issue_details(self) -> DataLoader[str, Any]:
        return _loader(self.db, tracking.issues_details, lambda: tracking.IssueDetails([], [], []))
