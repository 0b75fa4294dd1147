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
from graphcoord.services import (
    departments,
    directory,
    handling,
    issues,
    opinions,
    proposals,
    records,
    stations,
)
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

    deputy = _Lazy(directory.deputies_by_id)
    deputy_contacts = _Lazy(directory.contacts_of, list)
    deputy_liaisons = _Lazy(directory.liaisons_of, lambda: ([], []))
    deputy_open_issues = _Lazy(directory.open_issue_counts, int)
    deputy_groups = _Lazy(directory.groups_of, list)
    deputy_chains = _Lazy(directory.chains_of, list)
    area = _Lazy(directory.get_areas)
    area_children = _Lazy(directory.children_of, list)
    group = _Lazy(directory.groups_by_id)
    group_members = _Lazy(directory.members_of, list)
    group_activities = _Lazy(directory.activities_of, list)
    issue_details = _Lazy(issues.issues_details, lambda: issues.IssueDetails([], [], []))
    issue_opinion = _Lazy(opinions.issue_opinions)
    issue = _Lazy(opinions.issue_rows)
    #: keys "<issue id>|<window days>" (services.opinions.similar_by_keys)
    similar_issues = _Lazy(opinions.similar_by_keys, list)
    station = _Lazy(stations.stations_by_id)
    station_points = _Lazy(stations.points_of, list)
    station_parent = _Lazy(stations.parents_of)
    station_schedule = _Lazy(stations.schedules, list)
    station_issues = _Lazy(stations.station_issues, lambda: (0, []))
    received_at = _Lazy(stations.received_at, list)
    activity_day = _Lazy(stations.activity_days_by_id)
    activity_roster = _Lazy(stations.rosters_of, lambda: ([], []))
    collection_point = _Lazy(stations.collection_points_by_id)
    issue_handling = _Lazy(handling.handlings)
    department = _Lazy(departments.departments_by_id)
    proposal = _Lazy(proposals.proposals_by_id)
    proposal_details = _Lazy(proposals.proposal_details, proposals.ProposalDetails)
    #: keys "<deputy id>|<year>" (services.records.records_by_keys)
    deputy_record = _Lazy(records.records_by_keys)

    def __init__(self, db: Database) -> None:
        self.db = db
