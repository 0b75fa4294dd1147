"""DataLoaders: every nested relation is fetched in one batched query per request level.

A loader turns the keys that resolvers ask for during one tick of the event loop into one
``UNWIND $ids`` query, so the number of Cypher round trips of a query does not grow with the
number of items it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from strawberry.dataloader import DataLoader

from graphcoord.db import Database
from graphcoord.queries import areas, deputies, groups, industry, tracking
from graphcoord.threads import blocking

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
        found = await blocking(self.fetch, self.db, keys)
        return [found.get(key, self.default()) for key in keys]


class _Lazy:
    """A loader of a :class:`Loaders`, made on first use (then an attribute of the instance)."""

    def __init__(self, fetch: Fetch, default: Callable[[], Any] = lambda: None) -> None:
        self.fetch = fetch
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, loaders: Any, owner: type | None = None) -> DataLoader[str, Any]:
        loader: DataLoader[str, Any] = DataLoader(
            load_fn=_Batch(loaders.db, self.fetch, self.default)
        )
        loaders.__dict__[self.name] = loader  # found before this (non-data) descriptor
        return loader


class Loaders:
    """The loaders of one request (their caches must not outlive it).

    Each is made on first use: most requests use one or two of them, and twelve DataLoaders
    made for every request cost more than the ``{ __typename }`` they would serve.
    """

    deputy = _Lazy(deputies.deputies_by_id)
    deputy_contacts = _Lazy(deputies.contacts_of, list)
    deputy_liaisons = _Lazy(deputies.liaisons_of, lambda: ([], []))
    deputy_open_issues = _Lazy(deputies.open_issue_counts, int)
    deputy_groups = _Lazy(groups.groups_of, list)
    deputy_chains = _Lazy(industry.chains_of, list)
    area = _Lazy(areas.get_areas)
    area_children = _Lazy(areas.children_of, list)
    group = _Lazy(groups.groups_by_id)
    group_members = _Lazy(groups.members_of, list)
    group_activities = _Lazy(groups.activities_of, list)
    issue_details = _Lazy(tracking.issues_details, lambda: tracking.IssueDetails([], [], []))

    def __init__(self, db: Database) -> None:
        self.db = db
