"""Liaison stations and points, opinion-collection points, and who is received there: reads.

A station (``LiaisonStation {kind: 'STATION'}``) serves a township; its points (``kind:
'POINT'``) lie in the same township (in a village, or at the township office). A point's
station is therefore the station of its township: the first 9 digits of their area codes
agree (``left(areaCode, 9)``), which the ``station_area`` index answers. Deputies are
``RECEIVES_AT`` a station, a point or a collection point. The activity days a station holds
are in :mod:`graphcoord.queries.activity_days`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = [
    "UPSERT_STATION_ISSUES",
    "PlaceRow",
    "TownshipCount",
    "collection_point_page",
    "collection_points_by_id",
    "parents_of",
    "points_of",
    "received_at",
    "station_page",
    "stations_by_id",
    "stations_per_township",
]

#: An issue received at a station (and during one of its activity days): the ``stationIssues``
#: row kind.
UPSERT_STATION_ISSUES: LiteralString = """
UNWIND $rows AS row
MATCH (i:Issue {id: row.issueId})
MATCH (s:LiaisonStation {id: row.stationId})
MERGE (i)-[:RECEIVED_AT]->(s)
WITH i, s, row WHERE row.activityId IS NOT NULL
MATCH (s)-[:HOLDS]->(a:Activity {id: row.activityId})
MERGE (i)-[:DURING]->(a)
"""

#: A station or collection point with the names of its area and township.
_PLACE_ROW: LiteralString = """
OPTIONAL MATCH (a:Area {code: p.areaCode})
OPTIONAL MATCH (t:Area {code: left(p.areaCode, 9) + '000'})
RETURN p {.id, .name, .kind, .areaCode, .monthlyActivityDay, areaName: a.name,
          townshipCode: t.code, townshipName: t.name} AS place
"""

STATION_PAGE: LiteralString = """
MATCH (s:LiaisonStation)
WHERE ($kind IS NULL OR s.kind = $kind)
  AND ($areaPrefix IS NULL OR s.areaCode STARTS WITH $areaPrefix)
WITH s ORDER BY left(s.areaCode, 9), CASE s.kind WHEN 'STATION' THEN 0 ELSE 1 END, s.id
WITH collect(s) AS matched
RETURN size(matched) AS total, [x IN matched[$skip..($skip + $limit + 1)] | x.id] AS ids
"""

STATIONS_BY_ID: LiteralString = (
    """
UNWIND $ids AS id
MATCH (p:LiaisonStation {id: id})
"""
    + _PLACE_ROW
)

COLLECTION_POINT_PAGE: LiteralString = """
MATCH (c:CollectionPoint)
WHERE ($kind IS NULL OR c.kind = $kind)
  AND ($areaPrefix IS NULL OR c.areaCode STARTS WITH $areaPrefix)
WITH c ORDER BY c.areaCode, c.id
WITH collect(c) AS matched
RETURN size(matched) AS total, [x IN matched[$skip..($skip + $limit + 1)] | x.id] AS ids
"""

COLLECTION_POINTS_BY_ID: LiteralString = (
    """
UNWIND $ids AS id
MATCH (p:CollectionPoint {id: id})
"""
    + _PLACE_ROW
)

POINTS_OF_STATIONS: LiteralString = """
UNWIND $ids AS id
MATCH (s:LiaisonStation {id: id, kind: 'STATION'})
MATCH (p:LiaisonStation {kind: 'POINT'}) WHERE p.areaCode STARTS WITH left(s.areaCode, 9)
RETURN id, p.id AS pointId ORDER BY id, pointId
"""

PARENTS_OF_POINTS: LiteralString = """
UNWIND $ids AS id
MATCH (p:LiaisonStation {id: id, kind: 'POINT'})
MATCH (s:LiaisonStation {kind: 'STATION', areaCode: left(p.areaCode, 9) + '000'})
RETURN id, min(s.id) AS stationId
"""

RECEIVED_AT: LiteralString = """
UNWIND $ids AS id
CALL (id) {
  MATCH (d:Deputy)-[:RECEIVES_AT]->(:LiaisonStation {id: id}) RETURN d
  UNION
  MATCH (d:Deputy)-[:RECEIVES_AT]->(:CollectionPoint {id: id}) RETURN d
}
RETURN id, d.id AS deputyId, d.level AS level, d.status AS status ORDER BY id, deputyId
"""

STATIONS_PER_TOWNSHIP: LiteralString = """
MATCH (s:LiaisonStation) WHERE s.areaCode STARTS WITH $prefix
WITH left(s.areaCode, 9) + '000' AS township, s
WITH township, count(CASE WHEN s.kind = 'STATION' THEN 1 END) AS stations,
     count(CASE WHEN s.kind = 'POINT' THEN 1 END) AS points
OPTIONAL MATCH (t:Area {code: township})
RETURN township, t.name AS name, stations, points ORDER BY township
"""


@dataclass(frozen=True)
class PlaceRow:
    """A liaison station or point, or a collection point, with where it is."""

    id: str
    name: str
    kind: str
    area_code: str
    area_name: str | None
    township_code: str | None
    township_name: str | None
    #: Stations only: the day of the month of its activity day.
    monthly_activity_day: int | None = None

    @classmethod
    def from_map(cls, row: Mapping[str, Any]) -> PlaceRow:
        return cls(
            id=row["id"],
            name=row.get("name") or row["id"],
            kind=row.get("kind") or "",
            area_code=row.get("areaCode") or "",
            area_name=row.get("areaName"),
            township_code=row.get("townshipCode"),
            township_name=row.get("townshipName"),
            monthly_activity_day=row.get("monthlyActivityDay"),
        )


@dataclass(frozen=True)
class TownshipCount:
    """How many stations and points a township has."""

    township_code: str
    township_name: str | None
    stations: int
    points: int


def station_page(
    db: Database, *, skip: int, limit: int, kind: str | None, area_prefix: str | None
) -> tuple[int, list[PlaceRow]]:
    """Stations and points by township (the station first), then id: (total, up to ``limit +
    1`` rows)."""
    record = db.execute(
        STATION_PAGE, {"kind": kind, "areaPrefix": area_prefix, "skip": skip, "limit": limit}
    )[0]
    ids = list(record["ids"])
    found = stations_by_id(db, ids)
    return int(record["total"]), [found[i] for i in ids if i in found]


def stations_by_id(db: Database, ids: Sequence[str]) -> dict[str, PlaceRow]:
    return {
        r["place"]["id"]: PlaceRow.from_map(r["place"])
        for r in db.execute(STATIONS_BY_ID, {"ids": list(ids)})
    }


def collection_point_page(
    db: Database, *, skip: int, limit: int, kind: str | None, area_prefix: str | None
) -> tuple[int, list[PlaceRow]]:
    """Collection points by area, then id: (total, up to ``limit + 1`` rows)."""
    record = db.execute(
        COLLECTION_POINT_PAGE,
        {"kind": kind, "areaPrefix": area_prefix, "skip": skip, "limit": limit},
    )[0]
    ids = list(record["ids"])
    found = collection_points_by_id(db, ids)
    return int(record["total"]), [found[i] for i in ids if i in found]


def collection_points_by_id(db: Database, ids: Sequence[str]) -> dict[str, PlaceRow]:
    return {
        r["place"]["id"]: PlaceRow.from_map(r["place"])
        for r in db.execute(COLLECTION_POINTS_BY_ID, {"ids": list(ids)})
    }


def points_of(db: Database, ids: Sequence[str]) -> dict[str, list[str]]:
    """For each station: the ids of the points of its township (none for a point)."""
    found: dict[str, list[str]] = {key: [] for key in ids}
    for record in db.execute(POINTS_OF_STATIONS, {"ids": list(ids)}):
        found[record["id"]].append(record["pointId"])
    return found


def parents_of(db: Database, ids: Sequence[str]) -> dict[str, str]:
    """For each point: the id of the station of its township (points without one are left
    out)."""
    return {r["id"]: r["stationId"] for r in db.execute(PARENTS_OF_POINTS, {"ids": list(ids)})}


def received_at(db: Database, ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """For each station, point or collection point: (deputy id, level, status) of the deputies
    received there, by deputy id."""
    found: dict[str, list[tuple[str, str, str]]] = {key: [] for key in ids}
    for record in db.execute(RECEIVED_AT, {"ids": list(ids)}):
        found[record["id"]].append(
            (record["deputyId"], record["level"], record["status"] or "ACTIVE")
        )
    return found


def stations_per_township(db: Database, prefix: str) -> list[TownshipCount]:
    """Stations and points per township of the areas whose code starts with ``prefix``."""
    return [
        TownshipCount(r["township"], r["name"], int(r["stations"]), int(r["points"]))
        for r in db.execute(STATIONS_PER_TOWNSHIP, {"prefix": prefix})
    ]
