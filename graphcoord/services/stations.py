"""Liaison stations and their activity days (代表活动日): what an office runs.

Liulin's practice: each station (one per township) and point holds a monthly activity day,
prepared by "a precise topic, a notice published in advance, deputies grouped to come to the
station" (精准定题，提前发布通告，合理编组人大代表进站). Here:

- :func:`schedule_activity_day` puts one day on a station's calendar with its topic, notice
  and duty roster; the notice shows on the station's public page from then on. Rules
  (:mod:`graphcoord.rules`): the day comes after today (``activity-day-ahead``), one day per
  station and date (``one-activity-day-per-station-date``, also a uniqueness constraint), and
  the roster's deputies are ACTIVE (``duty-deputy-active``), connected to the station's
  township (``duty-deputy-in-area``: received at a station or point of it, contacting one of
  its villages, or elected in it) and on duty at one place a day (``duty-one-place-a-day``).
- :func:`generate_activity_days` schedules the monthly days of a year (or one month) from the
  rule "the station's day of the month, moved to the next working day"; they stay editable
  (:func:`update_activity_day`, :func:`cancel_activity_day`) until the day comes
  (``activity-day-past-is-kept``).
- :func:`record_attendance` records who came and how many voters, on the day or after it
  (``attendance-after-the-day``).
- :func:`submit_station_issue` takes an opinion received at a station: it is submitted like a
  village's (:func:`graphcoord.services.issues.submit_issue`: routed to the village's deputies,
  dispatched as a 12345 ticket) with channel STATION, then linked to the station and to the
  activity day it was received during (rule ``station-issue-in-area``).

Scheduling and attendance are for organizers and admins; the surfaces check the role, these
functions the rules. ``today`` and ``now`` default to China's (settings may pin them).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound, RuleViolation
from graphcoord.model import (
    DEFAULT_ACTIVITY_DAY_OF_MONTH,
    DEFAULT_ACTIVITY_TOPIC,
    MAX_DUTY_ROSTER,
    MAX_SCHEDULE_DAYS,
    MAX_VOTER_COUNT,
    AuditAction,
    Channel,
    now_in_china,
    significant_length,
    township_code,
)
from graphcoord.queries import activity_days as days
from graphcoord.queries import stations as places
from graphcoord.queries.activity_days import ActivityDayRow, PublicDeputy
from graphcoord.queries.deputies import deputies_by_id
from graphcoord.queries.issues import IssueRow
from graphcoord.queries.stations import PlaceRow, TownshipCount
from graphcoord.rules import (
    ONE_DAY_RULE,
    PAST_DAY_RULE,
    activity_day_problems,
    check_activity_day_ahead,
    check_attendance_day,
    check_station_issue_area,
    duty_violations,
    monthly_activity_day,
    raise_for,
    require_area_code,
)
from graphcoord.services import audit, issues
from graphcoord.services.tickets import TicketGateway

__all__ = [
    "MAX_GENERATED_STATIONS",
    "ActivityDayRow",
    "Generation",
    "IssueRow",
    "PlaceRow",
    "PublicDeputy",
    "Skipped",
    "StationSubmission",
    "TownshipCount",
    "activity_days_by_id",
    "cancel_activity_day",
    "collection_point_page",
    "collection_points_by_id",
    "generate_activity_days",
    "get_activity_day",
    "get_station",
    "moment",
    "parents_of",
    "points_of",
    "received_at",
    "record_attendance",
    "rosters_of",
    "schedule_activity_day",
    "schedule_key",
    "schedules",
    "station_issues",
    "station_page",
    "stations_by_id",
    "stations_per_township",
    "stations_under",
    "submit_station_issue",
    "today_in_china",
    "update_activity_day",
]

#: Most stations one generation may schedule for (a county has tens; narrow a larger area).
MAX_GENERATED_STATIONS = 500
#: Most deputies recorded as attending one activity day.
MAX_ATTENDANCE = 200

# Reads without domain logic, for the DataLoaders of the surfaces.
stations_by_id = places.stations_by_id
collection_points_by_id = places.collection_points_by_id
points_of = places.points_of
parents_of = places.parents_of
received_at = places.received_at
activity_days_by_id = days.activity_days_by_id
rosters_of = days.rosters_of


def today_in_china(today: dt.date | None = None) -> dt.date:
    """``today`` itself, or today's date in China."""
    return today or now_in_china().date()


def moment(today: dt.date | None = None, now: dt.datetime | None = None) -> dt.datetime:
    """``now`` itself, else now in China; on ``today`` when a day is pinned (a notice
    published on a pinned day is dated that day)."""
    if now is not None:
        return now
    current = now_in_china()
    if today is None:
        return current
    return current.replace(year=today.year, month=today.month, day=today.day)


def _prefix(area_code: str | None) -> str | None:
    if area_code is None:
        return None
    require_area_code(area_code)
    return area_code[: significant_length(area_code)]


def station_page(
    db: Database,
    *,
    skip: int,
    limit: int,
    area_code: str | None = None,
    kind: str | None = None,
) -> tuple[int, list[PlaceRow]]:
    """Stations and points inside ``area_code``, by township (its station first): (total, up
    to ``limit + 1`` rows)."""
    return places.station_page(
        db, skip=skip, limit=limit, kind=kind, area_prefix=_prefix(area_code)
    )


def collection_point_page(
    db: Database,
    *,
    skip: int,
    limit: int,
    area_code: str | None = None,
    kind: str | None = None,
) -> tuple[int, list[PlaceRow]]:
    """Opinion-collection points inside ``area_code``: (total, up to ``limit + 1`` rows)."""
    return places.collection_point_page(
        db, skip=skip, limit=limit, kind=kind, area_prefix=_prefix(area_code)
    )


def get_station(db: Database, station_id: str) -> PlaceRow:
    found = places.stations_by_id(db, [station_id])
    if station_id not in found:
        raise NotFound("station", station_id)
    return found[station_id]


def get_activity_day(db: Database, activity_id: str) -> ActivityDayRow:
    found = days.activity_days_by_id(db, [activity_id])
    if activity_id not in found:
        raise NotFound("activity day", activity_id)
    return found[activity_id]


def stations_under(db: Database, area_code: str) -> list[PlaceRow]:
    """Every station and point inside ``area_code`` (NotFound for an area without any)."""
    total, rows = station_page(db, skip=0, limit=1_000_000, area_code=area_code)
    if not total:
        raise NotFound("station in area", area_code)
    return rows


def stations_per_township(db: Database, area_code: str) -> list[TownshipCount]:
    """How many stations and points each township inside ``area_code`` has."""
    return places.stations_per_township(db, _prefix(area_code) or "")


def schedules(db: Database, keys: Sequence[str]) -> dict[str, list[ActivityDayRow]]:
    """Activity days of stations in windows, for a DataLoader: keys ``<station>|<from>|<to>``
    (ISO dates, either may be empty); one query per distinct window."""
    windows: dict[tuple[str, str], list[str]] = {}
    for key in keys:
        station, start, end = key.rsplit("|", 2)
        windows.setdefault((start, end), []).append(station)
    found: dict[str, list[ActivityDayRow]] = {}
    for (start, end), stations in windows.items():
        rows = days.activity_days_of(
            db,
            stations,
            dt.date.fromisoformat(start) if start else None,
            dt.date.fromisoformat(end) if end else None,
        )
        found.update({f"{station}|{start}|{end}": rows[station] for station in stations})
    return found


def schedule_key(station_id: str, start: dt.date | None, end: dt.date | None) -> str:
    """The key of :func:`schedules` of a station and a window; refuses a window too long."""
    if start is not None and end is not None:
        if end < start:
            raise BadInput(
                "the window ends ({end}) before it starts ({start})", end=end, start=start
            )
        if (end - start).days > MAX_SCHEDULE_DAYS:
            raise BadInput("a schedule spans at most {days} days", days=MAX_SCHEDULE_DAYS)
    return f"{station_id}|{start.isoformat() if start else ''}|{end.isoformat() if end else ''}"


def station_issues(db: Database, keys: Sequence[str]) -> dict[str, tuple[int, list[IssueRow]]]:
    """Issues received at stations, newest first, for a DataLoader: keys
    ``<station>|<skip>|<limit>``; one query per distinct window."""
    windows: dict[tuple[int, int], list[str]] = {}
    for key in keys:
        station, skipped, limited = key.rsplit("|", 2)
        windows.setdefault((int(skipped), int(limited)), []).append(station)
    found: dict[str, tuple[int, list[IssueRow]]] = {}
    for (skip, limit), stations in windows.items():
        pages = days.station_issue_pages(db, stations, skip=skip, limit=limit)
        found.update({f"{station}|{skip}|{limit}": pages[station] for station in stations})
    return found


# -- scheduling ----------------------------------------------------------------------------------


def _texts(topic: str, notice: str | None) -> tuple[str, str | None]:
    topic, notice = topic.strip(), (notice or "").strip() or None
    problems = activity_day_problems(topic, notice)
    if len(problems) == 1:
        raise BadInput(problems[0].template, **problems[0].params)
    if problems:  # both texts are wrong: both are told, each in the reader's language
        raise BadInput("{first}; {second}", first=problems[0], second=problems[1])
    return topic, notice


def _roster(deputy_ids: Sequence[str], *, required: bool) -> list[str]:
    ids = list(dict.fromkeys(str(d).strip() for d in deputy_ids if str(d).strip()))
    if required and not ids:
        raise BadInput("name at least one deputy on duty (deputyIds)")
    if len(ids) > MAX_DUTY_ROSTER:
        raise BadInput("at most {n} deputies are on duty on one day", n=MAX_DUTY_ROSTER)
    return ids


def _check_roster(
    db: Database,
    station: days.StationFacts,
    day: dt.date,
    deputy_ids: Sequence[str],
    activity_id: str | None = None,
) -> None:
    """The duty-roster rules for ``deputy_ids`` at ``station`` on ``day``."""
    if not deputy_ids:
        return
    township = township_code(station.area_code) or station.area_code
    facts = days.duty_facts(
        db, deputy_ids, township_prefix=township[:9], day=day, activity_id=activity_id
    )
    for deputy_id in deputy_ids:
        if deputy_id not in facts:
            raise NotFound("deputy", deputy_id)
    raise_for(duty_violations([facts[d] for d in deputy_ids], township, day))


def _station_facts(
    db: Database, station_id: str, start: dt.date, end: dt.date
) -> days.StationFacts:
    found = days.station_facts(db, station_id, (start, end))
    if found is None:
        raise NotFound("station", station_id)
    return found


def _one_day_refusal(station_id: str, day: dt.date) -> RuleViolation:
    return RuleViolation(
        ONE_DAY_RULE,
        "station {station} already holds an activity day on {day}: edit that one",
        [station_id],
        station=station_id,
        day=day,
    )


def _key(actor: issues.Actor | None) -> str:
    """Who the calendar names as the writer (``organizer`` for the CLI's operator)."""
    return actor.key if actor is not None else "organizer"


def _audited(
    db: Database,
    actor: issues.Actor | None,
    action: AuditAction,
    activity_id: str,
    detail: str | None = None,
) -> ActivityDayRow:
    """Leave the change in the audit trail and read the day as it now stands."""
    audit.record(db, actor, action, f"activity:{activity_id}", detail)
    return get_activity_day(db, activity_id)


def _title(station: days.StationFacts | PlaceRow) -> str:
    return f"{station.name}代表活动日"


def _notice(station_name: str, day: dt.date, topic: str) -> str:
    return (
        f"{station_name}定于{day.year}年{day.month}月{day.day}日开展代表活动日，主题：{topic}。"
        "届时人大代表进站接待选民，欢迎选民群众前来反映意见建议。"
    )


def schedule_activity_day(
    db: Database,
    station_id: str,
    day: dt.date,
    topic: str,
    deputy_ids: Sequence[str],
    notice: str | None = None,
    *,
    actor: issues.Actor | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ActivityDayRow:
    """Schedule an activity day at a station with its topic, duty roster and public notice
    (written from the topic when none is given); the rules are in the module's notes."""
    topic, notice = _texts(topic, notice)
    roster = _roster(deputy_ids, required=True)
    station = _station_facts(db, station_id, day, day)
    check_activity_day_ahead(day, today_in_china(today), station_id)
    if day in station.held:
        raise _one_day_refusal(station_id, day)
    _check_roster(db, station, day, roster)
    activity_id = f"AD-{uuid.uuid4().hex[:12]}"
    created = days.create_activity_day(
        db,
        {
            "id": activity_id,
            "stationId": station_id,
            "title": _title(station),
            "date": day.isoformat(),
            "topic": topic,
            "notice": notice or _notice(station.name, day, topic),
            "deputyIds": roster,
            "at": moment(today, now),
            "by": _key(actor),
        },
    )
    if not created:  # another writer scheduled the same station and date meanwhile
        raise _one_day_refusal(station_id, day)
    detail = f"{station_id} {day.isoformat()}"
    return _audited(db, actor, AuditAction.ACTIVITY_DAY_SCHEDULED, activity_id, detail)


def update_activity_day(
    db: Database,
    activity_id: str,
    *,
    day: dt.date | None = None,
    topic: str | None = None,
    deputy_ids: Sequence[str] | None = None,
    notice: str | None = None,
    actor: issues.Actor | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ActivityDayRow:
    """Change what is given of a coming activity day (its date, topic, notice, roster: the
    roster given replaces the old one); a changed date, topic or notice is published again."""
    current = get_activity_day(db, activity_id)
    today = today_in_china(today)
    if current.date <= today:
        raise RuleViolation(
            PAST_DAY_RULE,
            "the activity day of {day} has come: it is kept as it was (record its attendance "
            "instead)",
            [activity_id],
            day=current.date,
        )
    new_day = day or current.date
    new_topic, new_notice = _texts(
        topic if topic is not None else current.topic or "",
        notice if notice is not None else current.notice,
    )
    station = _station_facts(db, current.station_id, new_day, new_day)
    check_activity_day_ahead(new_day, today, current.station_id)
    if new_day != current.date and new_day in station.held:
        raise _one_day_refusal(current.station_id, new_day)
    if deputy_ids is not None:
        roster = _roster(deputy_ids, required=False)
    else:
        roster = days.rosters_of(db, [activity_id]).get(activity_id, ([], []))[0]
    _check_roster(db, station, new_day, roster, activity_id)
    generated = _notice(station.name, current.date, current.topic or "")
    if notice is None and current.notice == generated:
        # The generated notice names the day and the topic: write it again for the new ones.
        new_notice = _notice(station.name, new_day, new_topic)
    republish = (new_day, new_topic, new_notice) != (current.date, current.topic, current.notice)
    updated = days.update_activity_day(
        db,
        {
            "id": activity_id,
            "date": new_day.isoformat(),
            "topic": new_topic,
            "notice": new_notice,
            "republish": republish,
            "deputyIds": roster,
            "at": moment(today, now),
            "by": _key(actor),
        },
    )
    if not updated:
        raise _one_day_refusal(current.station_id, new_day)
    detail = f"{current.station_id} {new_day.isoformat()}"
    return _audited(db, actor, AuditAction.ACTIVITY_DAY_CHANGED, activity_id, detail)


def cancel_activity_day(
    db: Database,
    activity_id: str,
    *,
    actor: issues.Actor | None = None,
    today: dt.date | None = None,
) -> ActivityDayRow:
    """Take a coming activity day off the calendar (and its roster); the day as it was."""
    current = get_activity_day(db, activity_id)
    if current.date <= today_in_china(today) or not days.cancel_activity_day(db, activity_id):
        raise RuleViolation(
            PAST_DAY_RULE,
            "the activity day of {day} has come or has its attendance or opinions recorded: it "
            "is kept",
            [activity_id],
            day=current.date,
        )
    detail = f"{current.station_id} {current.date.isoformat()}"
    audit.record(db, actor, AuditAction.ACTIVITY_DAY_CANCELLED, f"activity:{activity_id}", detail)
    return current


@dataclass(frozen=True)
class Skipped:
    """A day the monthly rule gave that was not scheduled, and why."""

    station_id: str
    date: dt.date
    reason: str


@dataclass(frozen=True)
class Generation:
    """What :func:`generate_activity_days` scheduled and what it left out."""

    created: list[ActivityDayRow]
    skipped: list[Skipped]


#: Why a generated day is left out (what organizers read).
PAST = "已过期（活动日须在今天之后）"
ALREADY = "本月已安排活动日"


def generate_activity_days(
    db: Database,
    *,
    year: int,
    month: int | None = None,
    station_id: str | None = None,
    area_code: str | None = None,
    day_of_month: int | None = None,
    topic: str | None = None,
    actor: issues.Actor | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Generation:
    """Schedule the monthly activity days of one station, or of every station and point
    inside an area, for ``month`` of ``year`` or for the whole year.

    Each day follows the rule "day ``day_of_month`` (default: the station's own, else the
    15th), moved to the next working day". Days not after today and months in which the
    station already holds a day are skipped (and listed). The days have the topic given (or
    :data:`~graphcoord.model.DEFAULT_ACTIVITY_TOPIC`), a notice written from it and no roster
    yet: they are edited with :func:`update_activity_day`.
    """
    if (station_id is None) == (area_code is None):
        raise BadInput("give exactly one of a station (stationId) or an area (areaCode)")
    if month is not None and not 1 <= month <= 12:
        raise BadInput("month {month} is not 1 to 12", month=month)
    if day_of_month is not None and not 1 <= day_of_month <= 31:
        raise BadInput("day of month {day} is not 1 to 31", day=day_of_month)
    topic, _ = _texts(topic if topic is not None else DEFAULT_ACTIVITY_TOPIC, None)
    today = today_in_china(today)
    if station_id is not None:
        stations = [get_station(db, station_id)]
    else:
        total, stations = station_page(
            db, skip=0, limit=MAX_GENERATED_STATIONS, area_code=area_code
        )
        if not total:
            raise NotFound("station in area", str(area_code))
        if total > MAX_GENERATED_STATIONS:
            raise BadInput(
                "area {code} has {total} stations and points; generate for at most {most} at "
                "once (a county or a township)",
                code=area_code,
                total=total,
                most=MAX_GENERATED_STATIONS,
            )
    months = [month] if month is not None else list(range(1, 13))
    first = dt.date(year, months[0], 1)
    last = dt.date(year, months[-1], calendar.monthrange(year, months[-1])[1])
    held = days.activity_days_of(db, [s.id for s in stations], first, last + dt.timedelta(days=31))
    rows, skipped = [], []
    for station in stations:
        taken = {(d.date.year, d.date.month) for d in held[station.id]}
        taken_days = {d.date for d in held[station.id]}
        wanted = day_of_month or station.monthly_activity_day or DEFAULT_ACTIVITY_DAY_OF_MONTH
        for m in months:
            day = monthly_activity_day(year, m, wanted)
            if day <= today:
                skipped.append(Skipped(station.id, day, PAST))
            elif (year, m) in taken or day in taken_days:
                skipped.append(Skipped(station.id, day, ALREADY))
            else:
                rows.append(
                    {
                        "id": f"AD-{uuid.uuid4().hex[:12]}",
                        "stationId": station.id,
                        "title": _title(station),
                        "date": day.isoformat(),
                        "topic": topic,
                        "notice": _notice(station.name, day, topic),
                    }
                )
    if rows and days.create_activity_days(db, rows, at=moment(today, now), by=_key(actor)) is None:
        raise RuleViolation(
            ONE_DAY_RULE,
            "another writer scheduled some of these days meanwhile: nothing was written; "
            "generate again",
        )
    if rows:
        target = f"station:{station_id}" if station_id else f"area:{area_code}"
        detail = f"{len(rows)} day(s) {year}" + (f"-{month:02d}" if month else "")
        audit.record(db, actor, AuditAction.ACTIVITY_DAYS_GENERATED, target, detail)
    created = days.activity_days_by_id(db, [row["id"] for row in rows])
    ordered = sorted(created.values(), key=lambda d: (d.date, d.station_id))
    return Generation(created=ordered, skipped=skipped)


# -- attendance and opinions ----------------------------------------------------------------------


def record_attendance(
    db: Database,
    activity_id: str,
    deputy_ids: Sequence[str],
    voter_count: int,
    *,
    actor: issues.Actor | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ActivityDayRow:
    """Record who attended an activity day and how many voters came (replacing what was
    recorded before), on the day or after it."""
    current = get_activity_day(db, activity_id)
    check_attendance_day(current.date, today_in_china(today), activity_id)
    if not 0 <= voter_count <= MAX_VOTER_COUNT:
        raise BadInput(
            "voterCount must be 0 to {most}, not {count}", most=MAX_VOTER_COUNT, count=voter_count
        )
    ids = list(dict.fromkeys(str(d).strip() for d in deputy_ids if str(d).strip()))
    if len(ids) > MAX_ATTENDANCE:
        raise BadInput("at most {n} deputies are recorded on one day", n=MAX_ATTENDANCE)
    known = deputies_by_id(db, ids)
    for deputy_id in ids:
        if deputy_id not in known:
            raise NotFound("deputy", deputy_id)
    days.record_attendance(
        db,
        {
            "id": activity_id,
            "deputyIds": ids,
            "voterCount": voter_count,
            "at": moment(today, now),
            "by": _key(actor),
        },
    )
    detail = f"{len(ids)} deputies, {voter_count} voters"
    return _audited(db, actor, AuditAction.ATTENDANCE_RECORDED, activity_id, detail)


@dataclass(frozen=True)
class StationSubmission:
    """An opinion received at a station: the submission's result and what it was linked to."""

    result: issues.SubmissionResult
    station_id: str
    activity_id: str | None


def submit_station_issue(
    db: Database,
    gateway: TicketGateway,
    station_id: str,
    submission: issues.Submission,
    *,
    activity_id: str | None = None,
    actor: issues.Actor = issues.CITIZEN,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> StationSubmission:
    """Take an opinion at a station: submitted like a village's (channel STATION), then
    linked to the station and to the activity day it was received during (``activity_id``,
    else the station's activity day of today, if any)."""
    problems = submission.problems()
    if problems:
        raise BadInput("；".join(problems.values()))
    station = get_station(db, station_id)
    check_station_issue_area(submission.village_code, township_code(station.area_code), station_id)
    day = today_in_china(today)
    if activity_id is not None:
        if get_activity_day(db, activity_id).station_id != station_id:
            # A day of another station is not one this station's form can file under.
            raise NotFound("activity day", activity_id)
    else:
        today_days = days.activity_days_of(db, [station_id], day, day)[station_id]
        activity_id = today_days[0].id if today_days else None
    result = issues.submit_issue(
        db,
        gateway,
        replace(submission, channel=Channel.STATION),
        actor=actor,
        now=moment(today, now),
    )
    linked = days.link_issue(db, result.issue_id, station_id, activity_id)
    return StationSubmission(result, station_id, linked)
