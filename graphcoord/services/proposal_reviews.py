"""The concentrated activity week (代表集中活动周) and the groups' review of drafts.

Every December's third full week, Suqian's 30 collaborative groups go out to research, write
their motions and suggestions, then meet (小组会议) to go through the drafts their members
mean to submit to their congresses: a draft that needs another level gets a contributor, a
shared concern gets same-level co-sponsors. graphcoord records such a meeting as an
``Activity`` of kind REVIEW held by the group (it counts as the group's activity of the
quarter), with a REVIEWED edge and the comment for each draft.

- :func:`activity_week`: Monday to Friday of the week, computed for any year;
- :func:`review_queue`: the drafts of a group's members it has not reviewed yet;
- :func:`record_review`: the meeting, by the group's convener, organizers or admins (rule
  ``proposal-review``: drafts of the group's members, on a day that has come).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.i18n import Term
from graphcoord.model import (
    MAX_REVIEWED_DRAFTS,
    PROPOSAL_LIMITS,
    PROPOSAL_STATUS_NAMES,
    AuditAction,
    ProposalEventKind,
    ProposalStatus,
)
from graphcoord.queries import proposals as queries
from graphcoord.queries.proposals import ProposalRow
from graphcoord.rules import REVIEW_RULE, text_problem
from graphcoord.rules import activity_week as week_of
from graphcoord.services import audit, proposals
from graphcoord.services.proposals import ProposalActor

__all__ = ["ActivityWeek", "ReviewMeeting", "activity_week", "record_review", "review_queue"]

_MANAGERS = frozenset({"organizer", "admin"})


@dataclass(frozen=True)
class ActivityWeek:
    """The concentrated activity week of a year: Monday to Friday."""

    year: int
    start: dt.date
    end: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def activity_week(year: int) -> ActivityWeek:
    """The third full week of December of ``year`` (Monday to Friday)."""
    start, end = week_of(year)
    return ActivityWeek(year, start, end)


def review_queue(
    db: Database, group_id: str, *, include_reviewed: bool = False, skip: int = 0, limit: int = 50
) -> tuple[int, list[ProposalRow]]:
    """The drafts whose lead is a member of the group, oldest first: those the group has not
    reviewed yet (all of them with ``include_reviewed``); ``limit + 1`` read."""
    if queries.group_facts(db, group_id) is None:
        raise NotFound("group", group_id)
    total, ids = queries.review_queue(
        db, group_id, include_reviewed=include_reviewed, skip=skip, limit=limit
    )
    found = queries.proposals_by_id(db, ids) if ids else {}
    return total, [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class ReviewMeeting:
    """A recorded review meeting: the activity and the drafts it went through."""

    activity_id: str
    group_id: str
    group_name: str
    title: str
    date: dt.date
    in_activity_week: bool
    proposal_ids: list[str]


def record_review(
    db: Database,
    actor: ProposalActor,
    group_id: str,
    day: dt.date,
    comments: Sequence[tuple[str, str | None]],
    *,
    title: str | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ReviewMeeting:
    """Record the group's review meeting held on ``day``: for each ``(proposal id, comment)``
    a REVIEWED edge and an entry in the draft's log.

    The group's convener, organizers and admins record it. Rule ``proposal-review``: the drafts
    are DRAFT and led by members of the group; the meeting has been held (``day`` is not after
    ``today``).
    """
    group = queries.group_facts(db, group_id)
    if group is None:
        raise NotFound("group", group_id)
    if actor.role == "deputy":
        if actor.deputy_id not in group.conveners:
            raise Forbidden(
                "the convener of group {group} (召集人) records its review meetings; deputy "
                "{deputy} is not",
                group=group_id,
                deputy=actor.deputy_id,
            )
    elif actor.role not in _MANAGERS:
        raise Forbidden(
            "review meetings are recorded by the group's convener, organizers and admins; your "
            "role is {role}",
            role=Term(actor.role),
        )
    wanted = list(dict.fromkeys(pid for pid, _ in comments))
    if not wanted:
        raise BadInput("a review meeting goes through at least one draft")
    if len(wanted) > MAX_REVIEWED_DRAFTS:
        raise BadInput(
            "at most {limit} drafts per meeting, not {count}",
            limit=MAX_REVIEWED_DRAFTS,
            count=len(wanted),
        )
    texts: dict[str, str | None] = {}
    for proposal_id, comment in comments:
        problem = text_problem(comment, "comment", PROPOSAL_LIMITS["comment"][1], required=False)
        if problem:
            raise BadInput(problem.template, **problem.params)
        texts[proposal_id] = (comment or "").strip() or None
    current = today or proposals.today(db)
    if day > current:
        raise RuleViolation(
            REVIEW_RULE,
            "a review meeting is recorded once it is held; {day} is after today ({today})",
            [group_id],
            day=day.isoformat(),
            today=current.isoformat(),
        )
    found = queries.proposals_by_id(db, wanted)
    members = set(group.members)
    for proposal_id in wanted:
        row = found.get(proposal_id)
        if row is None:
            raise NotFound("proposal", proposal_id)
        if row.status != ProposalStatus.DRAFT.value:
            raise RuleViolation(
                REVIEW_RULE,
                "a group reviews drafts before they are submitted; {proposal} is {status} "
                "({status_name})",
                [proposal_id],
                proposal=proposal_id,
                status=row.status,
                status_name=PROPOSAL_STATUS_NAMES.get(row.status, row.status),
            )
        if row.lead is None or row.lead.id not in members:
            raise RuleViolation(
                REVIEW_RULE,
                "group {group} reviews its members' drafts; the lead of {proposal} is not a member",
                [proposal_id],
                group=group_id,
                proposal=proposal_id,
            )
    week = activity_week(day.year)
    name = (title or "").strip() or (
        f"{group.name}代表集中活动周议案建议交流会"
        if week.holds(day)
        else f"{group.name}议案建议交流会"
    )
    if len(name) > 80:
        raise BadInput("{what} must be at most {limit} characters", what=Term("title"), limit=80)
    activity_id = f"RV-{uuid.uuid4().hex[:12]}"
    event = {
        "kind": ProposalEventKind.REVIEWED.value,
        "at": proposals.clock(db, now),
        "by": actor.key,
        "byName": group.name,
    }
    reviews = [{"proposalId": pid, "comment": texts[pid]} for pid in wanted]
    queries.review(db, group_id, activity_id, name, day, reviews, event)
    audit.record(db, actor, AuditAction.PROPOSALS_REVIEWED, f"group:{group_id}", ",".join(wanted))
    return ReviewMeeting(activity_id, group_id, group.name, name, day, week.holds(day), wanted)
