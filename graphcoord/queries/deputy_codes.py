"""Deputies' public codes (``/d/{code}``) and what a deputy's public page shows.

    (:Deputy)-[:HAS_CODE]->(:DeputyCode {code, issuedAt, retiredAt})

A deputy holds at most one code without ``retiredAt``; re-issuing retires it (the printed
code then answers 410) and creates a new one. ``code`` is unique (constraint
``deputy_code_code``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.activity_days import PublicDeputy

__all__ = [
    "CodeRow",
    "DeputyPageRow",
    "PublicPlace",
    "active_codes",
    "code_row",
    "deputy_page_row",
    "issue_codes",
    "reissue_code",
]

ACTIVE_CODES: LiteralString = """
UNWIND $ids AS id
MATCH (d:Deputy {id: id})-[:HAS_CODE]->(c:DeputyCode) WHERE c.retiredAt IS NULL
RETURN d.id AS deputyId, c.code AS code
"""

ISSUE_CODES: LiteralString = """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
WHERE NOT exists { (d)-[:HAS_CODE]->(c:DeputyCode) WHERE c.retiredAt IS NULL }
CREATE (d)-[:HAS_CODE]->(:DeputyCode {code: row.code, issuedAt: $at})
RETURN d.id AS deputyId, row.code AS code
"""

REISSUE_CODE: LiteralString = """
MATCH (d:Deputy {id: $deputyId})
OPTIONAL MATCH (d)-[:HAS_CODE]->(old:DeputyCode) WHERE old.retiredAt IS NULL
SET old.retiredAt = $at
CREATE (d)-[:HAS_CODE]->(:DeputyCode {code: $code, issuedAt: $at})
RETURN d.id AS deputyId, $code AS code, collect(old.code) AS retired
"""

CODE_ROW: LiteralString = """
MATCH (d:Deputy)-[:HAS_CODE]->(c:DeputyCode {code: $code})
RETURN d.id AS deputyId, c.code AS code, c.retiredAt AS retiredAt, d.status AS status
"""

DEPUTY_PAGE: LiteralString = """
MATCH (d:Deputy {id: $deputyId})
OPTIONAL MATCH (d)-[:ELECTED_IN]->(e:Area)
RETURN d {.id, .name, .level, .workUnit, .occupation} AS deputy, e.code AS electedCode,
       e.name AS electedName,
       COLLECT { MATCH (d)-[:RECEIVES_AT]->(p)-[:LOCATED_IN]->(a:Area)
                 WHERE p:LiaisonStation OR p:CollectionPoint
                 RETURN {id: p.id, name: p.name, station: p:LiaisonStation, area: a.name}
                 ORDER BY p.id LIMIT 50 } AS places,
       COLLECT { MATCH (d)-[:CONTACTS]->(v:Area)
                 OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
                 RETURN {code: v.code, name: v.name, township: t.name}
                 ORDER BY v.code LIMIT 200 } AS villages,
       COLLECT { MATCH (d)-[:ON_DUTY]->(a:Activity)<-[:HOLDS]-(s:LiaisonStation)
                 WHERE a.date >= $today
                 RETURN {id: s.id, date: a.date, topic: a.topic, station: s.name}
                 ORDER BY a.date LIMIT 1 } AS nextDuty
"""


@dataclass(frozen=True)
class CodeRow:
    deputy_id: str
    code: str
    retired_at: Any
    status: str | None


@dataclass(frozen=True)
class PublicPlace:
    """A station, point or collection point where the deputy receives voters."""

    id: str
    name: str
    is_station: bool
    area: str | None


@dataclass(frozen=True)
class DeputyPageRow:
    """What a deputy's public page shows: no phone, no internal id on the page."""

    deputy: PublicDeputy
    elected_code: str | None
    elected_name: str | None
    places: list[PublicPlace]
    #: (code, name, township name) of the villages the deputy covers.
    villages: list[tuple[str, str, str | None]]
    #: (station id, date, topic, station name) of the next station day on the roster.
    next_duty: tuple[str, dt.date, str | None, str] | None


def active_codes(db: Database, ids: Sequence[str]) -> dict[str, str]:
    return {r["deputyId"]: r["code"] for r in db.execute(ACTIVE_CODES, {"ids": list(ids)})}


def issue_codes(db: Database, rows: Sequence[dict[str, str]], at: dt.datetime) -> dict[str, str]:
    """Create the codes of deputies without one (others skipped): their ids → new codes."""
    records = db.write(ISSUE_CODES, {"rows": list(rows), "at": at})
    return {r["deputyId"]: r["code"] for r in records}


def reissue_code(
    db: Database, deputy_id: str, code: str, at: dt.datetime
) -> tuple[str, list[str]] | None:
    """Retire the deputy's code and create ``code``: (new code, retired codes); ``None`` for
    an unknown deputy."""
    records = db.write(REISSUE_CODE, {"deputyId": deputy_id, "code": code, "at": at})
    if not records:
        return None
    return records[0]["code"], list(records[0]["retired"])


def code_row(db: Database, code: str) -> CodeRow | None:
    records = db.execute(CODE_ROW, {"code": code})
    if not records:
        return None
    r = records[0]
    return CodeRow(r["deputyId"], r["code"], r["retiredAt"], r["status"])


def deputy_page_row(db: Database, deputy_id: str, today: dt.date) -> DeputyPageRow | None:
    records = db.execute(DEPUTY_PAGE, {"deputyId": deputy_id, "today": today})
    if not records:
        return None
    r = records[0]
    d = r["deputy"]
    duty = r["nextDuty"]
    return DeputyPageRow(
        deputy=PublicDeputy(d["id"], d["name"], d["level"], d.get("workUnit"), d.get("occupation")),
        elected_code=r["electedCode"],
        elected_name=r["electedName"],
        places=[
            PublicPlace(p["id"], p["name"], bool(p["station"]), p["area"]) for p in r["places"]
        ],
        villages=[(v["code"], v["name"], v["township"]) for v in r["villages"]],
        next_duty=(
            (duty[0]["id"], duty[0]["date"].to_native(), duty[0]["topic"], duty[0]["station"])
            if duty
            else None
        ),
    )
