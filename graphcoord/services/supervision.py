"""Three-colour supervision (三色督办): an issue's colour, the board, letters and reminders.

Colours follow :mod:`graphcoord.deadlines` on a day ``as_of`` (China time, today by default):
RED overdue, YELLOW due within ``yellow_within`` working days (the policy file's, 2 by
default), GREEN otherwise. The board lists unfinished issues with a clock, most overdue first.
Organizers issue a supervision letter (督办函) for a red item; it is logged on the issue (its
trackers, organizers and admins read it) and sent to the handler, the trackers and the county
office through the outbox. :func:`collect_reminders` puts every due-soon and overdue item in
the queue of those who must act and of their county office, once per due date and person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graphcoord.db import Database
from graphcoord.deadlines import Progress, Supervision, Thresholds, supervise, thresholds
from graphcoord.errors import BadInput, Forbidden, NotFound
from graphcoord.i18n import N_, Term
from graphcoord.model import (
    STAGE_NAMES,
    AuditAction,
    HandlingEventKind,
    HandlingStage,
    SupervisionColour,
    now_in_china,
    significant_length,
)
from graphcoord.queries import handling as handling_queries
from graphcoord.queries import supervision as queries
from graphcoord.queries.handling import HandlingEventRow, HandlingRecord
from graphcoord.queries.supervision import BoardRow
from graphcoord.rules import (
    HANDLING_TEXT_LIMIT,
    check_letter,
    check_unfinished,
    require_area_code,
    text_problem,
)
from graphcoord.services import audit
from graphcoord.services.clocks import china_day
from graphcoord.services.handling import MANAGERS, HandlingActor, handling_of
from graphcoord.services.notifications import enqueue
from graphcoord.services.policies import Policies, load_policies
from graphcoord.workdays import workdays_between

__all__ = [
    "Board",
    "BoardItem",
    "BoardRow",
    "ReminderRun",
    "board",
    "collect_reminders",
    "issue_letter",
    "limits_on",
    "organizer_of",
    "supervision_of",
]

#: What a stage's limit asks of the handler, for letters and reminders.
_STAGE_VERBS = {
    HandlingStage.CLAIM: "签收",
    HandlingStage.REPLY: "答复",
    HandlingStage.FINISH: "办结",
}
#: Reminders and letters are read in batches of this many items.
_BATCH = 500


def _policies(db: Database, policies: Policies | None) -> Policies:
    return policies or load_policies(db.settings.state_dir)


def limits_on(db: Database, as_of: dt.date | None, policies: Policies | None = None) -> Thresholds:
    """The thresholds of the colours on ``as_of`` (today in China by default)."""
    day = as_of or now_in_china().date()
    return thresholds(day, _policies(db, policies).yellow_within)


def progress_of(record: HandlingRecord) -> Progress:
    return Progress(
        claimed_on=china_day(record.claimed_at) if record.claimed_at else None,
        replied_on=china_day(record.first_reply_at) if record.first_reply_at else None,
        finished_on=china_day(record.finished_at) if record.finished_at else None,
    )


def supervision_of(record: HandlingRecord, limits: Thresholds) -> Supervision | None:
    """The colour of an issue on ``limits.as_of``; ``None`` for an issue without a clock."""
    if record.claim_due is None or record.reply_due is None or record.finish_due is None:
        return None
    if record.finished and record.finished_late is not None:
        # Timed when it was finished: the stored figure is what the rates count.
        late = record.finished_late
        colour = SupervisionColour.RED if late else SupervisionColour.GREEN
        return Supervision(colour, HandlingStage.DONE, record.finish_due, late)
    return supervise(
        record.claim_due, record.reply_due, record.finish_due, progress_of(record), limits
    )


def organizer_of(area_code: str | None) -> str | None:
    """The outbox recipient of the county office of an area (``organizer:<county code>``)."""
    if not area_code or significant_length(area_code) < 6:
        return None
    return f"organizer:{area_code[:6]}000000"


@dataclass(frozen=True)
class BoardItem:
    """An item of the board and the working days it is overdue on the board's day."""

    row: BoardRow
    overdue_days: int


@dataclass(frozen=True)
class Board:
    as_of: dt.date
    total: int
    items: list[BoardItem]
    counts: dict[str, int] = field(default_factory=dict)


def board(
    db: Database,
    area_code: str | None,
    *,
    colour: SupervisionColour | None = None,
    skip: int = 0,
    limit: int = 50,
    as_of: dt.date | None = None,
    policies: Policies | None = None,
    with_counts: bool = True,
) -> Board:
    """Unfinished issues with a clock inside ``area_code``, most overdue first, optionally of
    one colour; ``limit + 1`` items are read so a caller can tell a next page exists."""
    prefix = None
    if area_code is not None:
        require_area_code(area_code)
        prefix = area_code[: significant_length(area_code)]
    limits = limits_on(db, as_of, policies)
    total, rows = queries.board_page(
        db,
        prefix=prefix,
        colour=colour.value if colour else None,
        red_before=limits.red_before,
        yellow_until=limits.yellow_until,
        skip=skip,
        limit=limit,
    )
    items = [
        BoardItem(
            row,
            workdays_between(row.due_on, limits.as_of) if row.colour == "RED" else 0,
        )
        for row in rows
    ]
    counts: dict[str, int] = {}
    if with_counts:
        found = queries.board_counts(
            db, prefix=prefix, red_before=limits.red_before, yellow_until=limits.yellow_until
        )
        counts = {c.value: found.get(c.value, 0) for c in SupervisionColour}
    return Board(limits.as_of, total, items, counts)


def _handler_recipients(record: HandlingRecord) -> list[str]:
    """Who must act on the issue: its department and claiming deputy, else its trackers."""
    people = []
    if record.department_id:
        people.append(f"department:{record.department_id}")
    if record.claimed_by:
        people.append(f"deputy:{record.claimed_by}")
    return people or [f"deputy:{d}" for d in record.trackers]


def issue_letter(
    db: Database,
    issue_id: str,
    actor: HandlingActor,
    *,
    text: str | None = None,
    now: dt.datetime | None = None,
    policies: Policies | None = None,
) -> HandlingEventRow:
    """Issue a supervision letter (督办函) for a red item: logged on the issue with its number
    (``督〔2025〕3号``) and sent to the handler, the trackers and the county office."""
    if actor.role not in MANAGERS:
        raise Forbidden(
            "supervision letters are issued by organizers and admins; your role is {role}",
            role=Term(actor.role),
        )
    problem = text_problem(text, "text", HANDLING_TEXT_LIMIT, required=False)
    if problem:
        raise BadInput(problem.template, **problem.params)
    at = now or now_in_china()
    record = handling_of(db, issue_id)
    check_unfinished(issue_id, record.finished, N_("a supervision letter"))
    state = supervision_of(record, limits_on(db, china_day(at), policies))
    check_letter(issue_id, state.colour.value if state else None)
    assert state is not None  # check_letter refuses an issue without a clock
    verb = _STAGE_VERBS.get(state.stage, "办结")
    handler = record.department_name or (
        f"{record.claimed_by_name}代表" if record.claimed_by_name else "相关承办单位"
    )
    body = (text or "").strip() or (
        f"{handler}：群众反映的《{record.title}》应于{state.due_on:%Y年%m月%d日}前{verb}，"
        f"现已超期{state.overdue_days}个工作日。请接函后立即办理，并于3个工作日内将办理情况"
        "书面反馈人大常委会。"
    )
    event = {
        "kind": HandlingEventKind.LETTER.value,
        "at": at,
        "by": actor.key,
        "text": body,
        "stage": state.stage.value,
        "dueOn": state.due_on,
        "overdueDays": state.overdue_days,
        "departmentId": record.department_id,
        "departmentName": record.department_name,
    }
    year = china_day(at).year
    number = handling_queries.letter(db, issue_id, year, f"督〔{year}〕", event)
    recipients = _handler_recipients(record) + [f"deputy:{d}" for d in record.trackers]
    office = organizer_of(record.area_code)
    enqueue(
        db,
        "issue.letter",
        issue_id,
        recipients + ([office] if office else []),
        number,
        {
            "issueId": issue_id,
            "title": record.title,
            "number": number,
            "stage": state.stage.value,
            "dueOn": state.due_on.isoformat(),
            "overdueDays": state.overdue_days,
            "message": f"【督办函 {number}】{body}",
        },
        now=at,
    )
    letters = [e for e in handling_of(db, issue_id).events if e.number == number]
    if not letters:  # pragma: no cover - written just above
        raise NotFound("supervision letter", number)
    audit.record(db, actor, AuditAction.LETTER_ISSUED, f"issue:{issue_id}", number)
    return letters[0]


@dataclass(frozen=True)
class ReminderRun:
    """What one reminder run found and put in the outbox."""

    as_of: dt.date
    due_soon: int
    overdue: int
    created: int


def collect_reminders(
    db: Database,
    *,
    as_of: dt.date | None = None,
    policies: Policies | None = None,
    now: dt.datetime | None = None,
) -> ReminderRun:
    """Put every due-soon (YELLOW) and overdue (RED) item in the outbox of those who must act
    (the department and claiming deputy, or the tracking deputies while nobody has claimed it)
    and of the county office: once per item, stage, due date and recipient."""
    limits = limits_on(db, as_of, policies)
    due_soon = overdue = created = 0
    skip = 0
    while True:
        rows = queries.reminder_rows(
            db,
            red_before=limits.red_before,
            yellow_until=limits.yellow_until,
            skip=skip,
            limit=_BATCH,
        )
        for row in rows:
            stage = HandlingStage(row["stage"])
            due: dt.date = row["due"]
            red = row["colour"] == SupervisionColour.RED.value
            late = workdays_between(due, limits.as_of) if red else 0
            people: list[str] = []
            if row["departmentId"]:
                people.append(f"department:{row['departmentId']}")
            if row["claimedBy"]:
                people.append(f"deputy:{row['claimedBy']}")
            if not people:
                people = [f"deputy:{d}" for d in row["trackers"]]
            office = organizer_of(row["areaCode"])
            if office:
                people.append(office)
            verb = _STAGE_VERBS[stage]
            message = (
                f"【超期提醒】《{row['title']}》{STAGE_NAMES[stage]}，应于{due:%m月%d日}前{verb}，"
                f"已超期{late}个工作日。"
                if red
                else f"【临期提醒】《{row['title']}》{STAGE_NAMES[stage]}，请于{due:%m月%d日}前{verb}。"
            )
            created += enqueue(
                db,
                "issue.overdue" if red else "issue.due_soon",
                row["id"],
                people,
                f"{stage.value}:{due.isoformat()}",
                {
                    "issueId": row["id"],
                    "title": row["title"],
                    "stage": stage.value,
                    "dueOn": due.isoformat(),
                    "colour": row["colour"],
                    "overdueDays": late,
                    "areaCode": row["areaCode"],
                    "message": message,
                },
                now=now,
            )
            overdue += red
            due_soon += not red
        if len(rows) < _BATCH:
            break
        skip += _BATCH
    return ReminderRun(limits.as_of, due_soon, overdue, created)
