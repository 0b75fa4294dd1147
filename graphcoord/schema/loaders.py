"""DataLoaders: every nested relation is fetched in one batched query per request level.

A loader turns the keys that resolvers ask for during one tick of the event loop into one
``UNWIND $ids`` query, so the number of Cypher round trips of a query does not grow with the
number of items it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    """The loaders of one request (their caches must not outlive it)."""

    def __init__(self, db: Database) -> None:
        self.deputy = _loader(db, deputies.deputies_by_id)
        self.deputy_contacts = _loader(db, deputies.contacts_of, list)
        self.deputy_liaisons = _loader(db, deputies.liaisons_of, lambda: ([], []))
        self.deputy_open_issues = _loader(db, deputies.open_issue_counts, int)
        self.deputy_groups = _loader(db, groups.groups_of, list)
        self.deputy_chains = _loader(db, industry.chains_of, list)
        self.area = _loader(db, areas.get_areas)
        self.area_children = _loader(db, areas.children_of, list)
        self.group = _loader(db, groups.groups_by_id)
        self.group_members = _loader(db, groups.members_of, list)
        self.group_activities = _loader(db, groups.activities_of, list)
        self.issue_details = _loader(
            db, tracking.issues_details, lambda: tracking.IssueDetails([], [], [])
        )
