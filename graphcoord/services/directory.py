"""Who and where: deputies, areas, groups, chains and campaigns, and the changes planners and
organizers make to them (contacts, conveners, activities).

Reads that need no domain logic are the queries' own functions, re-exported here so that the
surfaces depend on this floor only; those that filter by area turn the area's code into the
prefix its descendants share. Changes check the model's rules (:mod:`graphcoord.rules`) and
bump the graph version, so analyses answer from the new state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound
from graphcoord.model import AuditAction, basis_for_level, significant_length
from graphcoord.queries import campaigns, deputies, groups, pages
from graphcoord.queries.areas import Area, children_of, get_areas
from graphcoord.queries.campaigns import participation
from graphcoord.queries.deputies import (
    contacts_of,
    deputies_by_id,
    liaisons_of,
    open_issue_counts,
)
from graphcoord.queries.groups import activities_of, groups_by_id, groups_of, members_of
from graphcoord.queries.industry import chains_of
from graphcoord.services import audit
from graphcoord.services.dataset import upsert_contacts

__all__ = [
    "Area",
    "ContactChange",
    "activities_of",
    "add_contact",
    "campaigns_with_participants",
    "chains_of",
    "children_of",
    "contacts_of",
    "deputies_by_id",
    "deputy_page",
    "get_areas",
    "group_page",
    "groups_by_id",
    "groups_of",
    "liaisons_of",
    "members_of",
    "open_issue_counts",
    "participation",
    "record_activity",
    "remove_contact",
    "set_convener",
    "uncovered_page",
]

#: Longest title of an activity.
MAX_TITLE = 200


def _prefix(area_code: str | None) -> str | None:
    """The code prefix the descendants of ``area_code`` share (``None`` for no area)."""
    return area_code[: significant_length(area_code)] if area_code else None


def deputy_page(
    db: Database,
    *,
    after: str | None,
    limit: int,
    count: bool = False,
    level: str | None = None,
    area_code: str | None = None,
    chain_id: str | None = None,
    group_id: str | None = None,
    name_contains: str | None = None,
) -> tuple[int | None, list[dict[str, Any]]]:
    """Deputies matching the filters, by id: (their number when ``count``, else ``None``; up to
    ``limit`` rows after the id ``after``). ``area_code`` keeps those elected in the area or
    contacting a village inside it."""
    filters = pages.DeputyFilters(
        level=level,
        area_prefix=_prefix(area_code),
        chain_id=chain_id,
        group_id=group_id,
        name_contains=name_contains,
    )
    rows = pages.deputy_page(db, filters, after=after, limit=limit)
    return (pages.deputy_count(db, filters) if count else None), rows


def group_page(
    db: Database,
    *,
    after: str | None,
    limit: int,
    count: bool = False,
    kind: str | None,
    area_code: str | None,
) -> tuple[int | None, list[dict[str, Any]]]:
    """Groups of a kind and located inside an area, by id: (their number when ``count``; up
    to ``limit`` rows after the id ``after``)."""
    prefix = _prefix(area_code)
    rows = pages.group_page(db, kind=kind, area_prefix=prefix, after=after, limit=limit)
    total = pages.group_count(db, kind=kind, area_prefix=prefix) if count else None
    return total, rows


def uncovered_page(
    db: Database,
    area_code: str,
    *,
    level: str | None,
    after: str | None,
    limit: int,
    count: bool = False,
) -> tuple[int | None, list[Area]]:
    """Villages under ``area_code`` with no active contact (of ``level``, when given), by code:
    (their number when ``count``; up to ``limit`` rows after the code ``after``)."""
    prefix = area_code[: significant_length(area_code)]
    rows = pages.uncovered_page(db, prefix, level=level, after=after, limit=limit)
    return (pages.uncovered_count(db, prefix, level=level) if count else None), rows


def campaigns_with_participants(db: Database) -> list[dict[str, Any]]:
    """Every campaign with its number of participating deputies, by id."""
    return campaigns.campaigns(db)


@dataclass(frozen=True)
class ContactChange:
    """A contact made or removed, with the basis the deputy's level gives it."""

    deputy_id: str
    village_code: str
    basis: str


def add_contact(
    db: Database, deputy_id: str, village_code: str, *, actor: audit.Acting | None = None
) -> ContactChange:
    """Let a deputy contact a village; the basis follows the deputy's level, and the contact
    rules hold (a county or township deputy's village lies inside their constituency)."""
    facts = deputies.deputy_facts(db, [deputy_id])
    if deputy_id not in facts:
        raise NotFound("deputy", deputy_id)
    basis = basis_for_level(facts[deputy_id].level).value
    upsert_contacts(db, [{"deputyId": deputy_id, "areaCode": village_code, "basis": basis}])
    audit.record(db, actor, AuditAction.CONTACT_ADDED, f"deputy:{deputy_id}", village_code)
    return ContactChange(deputy_id, village_code, basis)


def remove_contact(
    db: Database, deputy_id: str, village_code: str, *, actor: audit.Acting | None = None
) -> ContactChange:
    """Remove a deputy's contact with a village (NotFound if there is none)."""
    facts = deputies.deputy_facts(db, [deputy_id])
    if deputy_id not in facts:
        raise NotFound("deputy", deputy_id)
    removed = deputies.remove_contacts(db, [{"deputyId": deputy_id, "areaCode": village_code}])
    if not removed:
        raise NotFound("contact", deputy_id + " → " + village_code)
    audit.record(db, actor, AuditAction.CONTACT_REMOVED, f"deputy:{deputy_id}", village_code)
    return ContactChange(deputy_id, village_code, basis_for_level(facts[deputy_id].level).value)


def _require(found: Sequence[str] | dict[str, Any], kind: str, key: str) -> None:
    if key not in found:
        raise NotFound(kind, key)


def set_convener(
    db: Database, group_id: str, deputy_id: str, *, actor: audit.Acting | None = None
) -> None:
    """Make a deputy the group's one convener (the previous one stays a member)."""
    _require(groups_by_id(db, [group_id]), "group", group_id)
    _require(deputies_by_id(db, [deputy_id]), "deputy", deputy_id)
    groups.set_convener(db, group_id, deputy_id)
    audit.record(db, actor, AuditAction.CONVENER_SET, f"group:{group_id}", deputy_id)


def record_activity(
    db: Database,
    group_id: str,
    *,
    title: str,
    date: dt.date,
    kind: str = "MEETING",
    series: str | None = None,
    attendee_ids: Sequence[str] = (),
    actor: audit.Acting | None = None,
) -> str:
    """Record an activity a group held (quarterly compliance counts these); its id."""
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise BadInput("title must have 1 to {most} characters", most=MAX_TITLE)
    _require(groups_by_id(db, [group_id]), "group", group_id)
    activity_id = f"A-{uuid.uuid4().hex[:12]}"
    groups.record_activity(
        db,
        activity_id=activity_id,
        group_id=group_id,
        title=title,
        date=date.isoformat(),
        kind=kind,
        series=series,
        attendees=list(attendee_ids),
    )
    audit.record(db, actor, AuditAction.ACTIVITY_RECORDED, f"group:{group_id}", activity_id)
    return activity_id
