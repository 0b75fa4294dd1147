"""What a station's public page shows (``/s/{stationId}``): public facts only.

The station and where it is, its next activity days with their topic, notice and the deputies
on duty (name, level, work unit — never a phone), its past days with attendance and voters,
its points (or a point's station), and the villages of its township for the opinion form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graphcoord.db import Database
from graphcoord.model import Level, township_code
from graphcoord.queries import activity_days as days
from graphcoord.queries import stations as places
from graphcoord.queries.activity_days import ActivityDayRow, PublicDeputy
from graphcoord.queries.issues import VillageRef, villages_under
from graphcoord.queries.stations import PlaceRow
from graphcoord.services.stations import get_station, today_in_china

__all__ = ["NEXT_DAYS", "PAST_DAYS", "StationDay", "StationPublicPage", "station_public_page"]

#: How many coming and past activity days the page lists.
NEXT_DAYS = 3
PAST_DAYS = 12


@dataclass(frozen=True)
class StationDay:
    """A coming activity day and the public facts of its deputies on duty."""

    day: ActivityDayRow
    on_duty: list[PublicDeputy]


@dataclass(frozen=True)
class StationPublicPage:
    station: PlaceRow
    #: A point's station; a station's points.
    parent: PlaceRow | None
    points: list[PlaceRow]
    #: The villages of the station's township (a point's own village first), for the form.
    villages: list[VillageRef]
    #: Coming days (today's included), earliest first; past days, latest first.
    upcoming: list[StationDay]
    past: list[ActivityDayRow]
    #: Past days with attendance recorded, and the deputies and voters they counted.
    held_days: int
    visits: int
    voters: int
    today: dt.date


def _by_level(deputies: list[PublicDeputy]) -> list[PublicDeputy]:
    """Deputies on duty, the higher levels first (as citizens read a village's deputies)."""
    return sorted(deputies, key=lambda d: (Level(d.level).rank, d.name))


def station_public_page(
    db: Database, station_id: str, *, today: dt.date | None = None
) -> StationPublicPage:
    """The public page of a station or point (NotFound for an unknown id)."""
    today = today_in_china(today)
    station = get_station(db, station_id)
    township = township_code(station.area_code) or station.area_code
    parent = None
    points: list[PlaceRow] = []
    if station.kind == "POINT":
        parent_id = places.parents_of(db, [station.id]).get(station.id)
        if parent_id is not None:
            parent = places.stations_by_id(db, [parent_id]).get(parent_id)
    else:
        ids = places.points_of(db, [station.id])[station.id]
        found = places.stations_by_id(db, ids)
        points = [found[i] for i in ids if i in found]
    villages = villages_under(db, township[:9])
    villages.sort(key=lambda v: (v.code != station.area_code, v.code))
    every = days.activity_days_of(db, [station.id])[station.id]
    coming = [d for d in every if d.date >= today][:NEXT_DAYS]
    rosters = days.public_rosters(db, [d.id for d in coming]) if coming else {}
    held = [d for d in every if d.date < today and d.attendance]
    return StationPublicPage(
        station=station,
        parent=parent,
        points=points,
        villages=villages,
        upcoming=[StationDay(d, _by_level(rosters.get(d.id, []))) for d in coming],
        past=[d for d in reversed(every) if d.date < today][:PAST_DAYS],
        held_days=len(held),
        visits=sum(d.attendance for d in held),
        voters=sum(d.voter_count or 0 for d in held),
        today=today,
    )
