"""The MERGE statement of every row kind of :data:`graphcoord.model.ROW_KINDS`.

Each starts with ``UNWIND $rows AS row`` and merges on the kind's constrained key, so a batch
written twice changes nothing the second time. They check no rule of the model: the write
path (:mod:`graphcoord.services.dataset`) and the importer check rows before they come here.
Areas must arrive parents first (the statement links each to a stored parent).
"""

from __future__ import annotations

from typing import LiteralString

from graphcoord.queries import (
    activity_days,
    areas,
    campaigns,
    departments,
    deputies,
    groups,
    handling,
    industry,
    issues,
    liaisons,
    places,
    proposals,
    stations,
)

__all__ = ["STATEMENTS"]

STATEMENTS: dict[str, LiteralString] = {
    "areas": areas.UPSERT_AREAS,
    "deputies": deputies.UPSERT_DEPUTIES,
    "contacts": deputies.UPSERT_CONTACTS,
    "collectionPoints": places.UPSERT_COLLECTION_POINTS,
    "stations": places.UPSERT_STATIONS,
    "receptions": places.UPSERT_RECEPTIONS,
    "clusters": industry.UPSERT_CLUSTERS,
    "chains": industry.UPSERT_CHAINS,
    "observationPoints": industry.UPSERT_OBSERVATION_POINTS,
    "observers": industry.UPSERT_OBSERVERS,
    "chainWorkers": industry.UPSERT_CHAIN_WORKERS,
    "groups": groups.UPSERT_GROUPS,
    "memberships": groups.UPSERT_MEMBERSHIPS,
    "activities": groups.UPSERT_ACTIVITIES,
    "activityDays": activity_days.UPSERT_ACTIVITY_DAYS,
    "duties": activity_days.UPSERT_DUTIES,
    "attendances": groups.UPSERT_ATTENDANCES,
    "campaigns": campaigns.UPSERT_CAMPAIGNS,
    "participations": campaigns.UPSERT_PARTICIPATIONS,
    "liaisons": liaisons.UPSERT_LIAISONS,
    "issues": issues.UPSERT_ISSUES,
    "trackers": issues.UPSERT_TRACKERS,
    "escalations": issues.UPSERT_ESCALATIONS,
    "proposals": proposals.UPSERT_PROPOSALS,
    "sponsorships": proposals.UPSERT_SPONSORSHIPS,
    "addresses": proposals.UPSERT_ADDRESSES,
    "stationIssues": stations.UPSERT_STATION_ISSUES,
    "departments": departments.UPSERT_DEPARTMENTS,
    "handlings": handling.UPSERT_HANDLINGS,
    "channelNames": departments.UPSERT_CHANNEL_NAMES,
    "contributions": proposals.UPSERT_CONTRIBUTIONS,
    "proposalHandlings": proposals.UPSERT_PROPOSAL_HANDLINGS,
    "reviews": proposals.UPSERT_REVIEWS,
}
