"""Alarms for what has gone quiet: idle stations (挂空挡) and linkage groups that missed a quarter.

Both are plain lists that every surface (GraphQL ``idleStations`` / ``groupAlarms``, the CLI
``graphcoord alarms``) shows alike:

- a station or point is **idle** when it held no activity day in the window of ``months``
  calendar months that ends on ``as_of``: no activity day dated in the window with its
  attendance recorded (a day scheduled but not recorded does not count, so the alarm also
  reminds the office to record it). Each carries when the station last held one and when the
  next is scheduled.
- a collaborative linkage group (协同联动组) **missed a quarter** when it held no activity in a
  quarter that has ended by ``as_of``; these come from the quarterly compliance of
  :func:`graphcoord.services.analysis.groups` (the same projection and analytics as
  ``Group.quarterlyCompliance``), with the group's convener (召集人).

:func:`enqueue_alarms` is where they will enter the notification outbox of the deadlines work
(``services/notifications.py``, not on this branch yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound
from graphcoord.model import IDLE_MONTHS, significant_length
from graphcoord.queries import activity_days as days
from graphcoord.queries.issues import area_exists
from graphcoord.queries.stations import PlaceRow, stations_by_id
from graphcoord.rules import months_before, require_area_code
from graphcoord.services import analysis
from graphcoord.services import projections as proj
from graphcoord.services.stations import today_in_china

__all__ = [
    "MAX_IDLE_MONTHS",
    "AlarmReport",
    "GroupAlarm",
    "IdleStation",
    "alarms",
    "enqueue_alarms",
    "group_alarms",
    "idle_stations",
]

#: The longest idle window asked for, in months.
MAX_IDLE_MONTHS = 36


@dataclass(frozen=True)
class IdleStation:
    """A station or point with no activity day held from ``since`` to ``as_of``."""

    station: PlaceRow
    since: dt.date
    as_of: dt.date
    last_held: dt.date | None
    next_scheduled: dt.date | None


@dataclass(frozen=True)
class GroupAlarm:
    """A linkage group that held no activity in some ended quarters of ``year``."""

    group_id: str
    name: str
    area_code: str | None
    year: int
    #: The quarters missed (``Q1``…``Q4``), and the activities held per quarter.
    missing: tuple[str, ...]
    counts: tuple[int, int, int, int]
    convener_id: str | None
    convener_name: str | None


@dataclass(frozen=True)
class AlarmReport:
    """Every alarm of an area: idle stations (all of them) and groups."""

    area_code: str
    as_of: dt.date
    months: int
    idle: list[IdleStation]
    groups: list[GroupAlarm]


def idle_stations(
    db: Database,
    area_code: str,
    *,
    months: int = IDLE_MONTHS,
    as_of: dt.date | None = None,
    kind: str | None = None,
    skip: int = 0,
    limit: int = 50,
) -> tuple[int, list[IdleStation]]:
    """Stations and points inside ``area_code`` idle in the ``months`` ending on ``as_of``
    (default today), by township (the station first): (total, up to ``limit + 1``)."""
    require_area_code(area_code)
    if not 1 <= months <= MAX_IDLE_MONTHS:
        raise BadInput(
            "months must be 1 to {most}, not {months}", most=MAX_IDLE_MONTHS, months=months
        )
    if not area_exists(db, area_code):
        raise NotFound("area", area_code)
    as_of = today_in_china(as_of)
    since = months_before(as_of, months) + dt.timedelta(days=1)
    total, rows = days.idle_stations(
        db,
        prefix=area_code[: significant_length(area_code)],
        kind=kind,
        since=since,
        as_of=as_of,
        skip=skip,
        limit=limit,
    )
    found = stations_by_id(db, [row.id for row in rows])
    return total, [
        IdleStation(found[row.id], since, as_of, row.last_held, row.next_scheduled)
        for row in rows
        if row.id in found
    ]


def group_alarms(
    db: Database,
    area_code: str | None = None,
    *,
    year: int,
    quarter: int | None = None,
    as_of: dt.date | None = None,
) -> list[GroupAlarm]:
    """Collaborative groups located inside ``area_code`` that missed ``quarter`` of ``year``
    (or, without one, any quarter of it ended by ``as_of``, default today), by group id.

    A quarter that has not ended by ``as_of`` is missed by nobody yet.
    """
    if quarter is not None and not 1 <= quarter <= 4:
        raise BadInput("quarter must be 1 to 4, not {quarter}", quarter=quarter)
    if area_code is not None:
        require_area_code(area_code)
    as_of = today_in_china(as_of)
    report = analysis.groups(db, area_code, year=year, as_of=as_of)
    conveners = {c.group_id: c.convener_ids for c in report.coverage}
    names = analysis.names(db, area_code, proj.GROUPS)
    wanted = None if quarter is None else f"Q{quarter}"
    found = []
    for item in report.compliance:
        if not item.missing or (wanted is not None and wanted not in item.missing):
            continue
        convener = (conveners.get(item.group_id) or (None,))[0]
        found.append(
            GroupAlarm(
                group_id=item.group_id,
                name=item.name,
                area_code=next(
                    (c.area_code for c in report.coverage if c.group_id == item.group_id), None
                ),
                year=item.year,
                missing=item.missing,
                counts=item.counts,
                convener_id=convener,
                convener_name=names.deputy(convener) if convener else None,
            )
        )
    return found


def alarms(
    db: Database,
    area_code: str,
    *,
    months: int = IDLE_MONTHS,
    as_of: dt.date | None = None,
    year: int | None = None,
    quarter: int | None = None,
) -> AlarmReport:
    """Every alarm of an area as of a day: its idle stations and points, and its groups that
    missed a quarter of ``year`` (default: the year of ``as_of``)."""
    as_of = today_in_china(as_of)
    total, idle = idle_stations(db, area_code, months=months, as_of=as_of, limit=1_000_000)
    groups = group_alarms(db, area_code, year=year or as_of.year, quarter=quarter, as_of=as_of)
    return AlarmReport(area_code, as_of, months, idle[:total], groups)


def enqueue_alarms(db: Database, report: AlarmReport) -> int:
    """Hand the alarms of ``report`` to the notification outbox; how many were enqueued.

    The outbox (``services/notifications.py``, the deadlines work) is not on this branch yet:
    this is the one place to wire it — an idle station to its township's office, a group alarm
    to its convener — and until then it enqueues nothing.
    """
    return 0
