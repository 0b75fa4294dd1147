"""The Cypher that reads the sub-graphs analyses need, and its readers.

Every statement yields rows as lists, shipped in batches (see
:mod:`graphcoord.queries.streaming`); the readers below yield those rows, whose layout each
docstring gives. :mod:`graphcoord.services.projections` builds the NetworkX graphs from them
and keeps them cached.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.queries.areas import SCOPE_AREAS
from graphcoord.queries.streaming import BATCHED, stream_batches
from graphcoord.queries.vocabulary import CLOSED_STATUSES

__all__ = [
    "IssuePlace",
    "all_areas",
    "all_contacts",
    "all_deputies",
    "all_groups",
    "all_liaisons",
    "areas_by_code",
    "chains",
    "contacts_of",
    "deputies_by_id",
    "deputy_areas",
    "deputy_exists",
    "issue_place",
    "liaisons_above",
    "liaisons_of",
    "open_issue_loads",
    "scope_areas",
    "scope_deputies",
    "scope_groups",
]

# -- Cypher ------------------------------------------------------------------------------------

_AREA_ROW: LiteralString = " WITH [a.code, a.name, a.kind, a.parentCode] AS row"

ALL_AREAS: LiteralString = "MATCH (a:Area)" + _AREA_ROW + BATCHED

AREAS_BY_CODE: LiteralString = (
    "UNWIND $codes AS code MATCH (a:Area {code: code})" + _AREA_ROW + BATCHED
)

_DEPUTY_ROW: LiteralString = (
    """
WITH [d.id, d.name, d.level, d.status, d.electedIn, d.baseArea,
      CASE WHEN $withIssues
           THEN COUNT { (d)-[:TRACKS]->(i:Issue) WHERE NOT i.status IN """
    + CLOSED_STATUSES
    + """ }
           ELSE 0 END] AS row
"""
)

ALL_DEPUTIES: LiteralString = "MATCH (d:Deputy)" + _DEPUTY_ROW + BATCHED

SCOPE_DEPUTIES: LiteralString = (
    """
CALL () {
  UNWIND $villages AS code
  MATCH (:Area {code: code})<-[:CONTACTS]-(d:Deputy)
  RETURN d
  UNION
  UNWIND $areas AS code
  MATCH (:Area {code: code})<-[:ELECTED_IN]-(d:Deputy)
  RETURN d
  UNION
  UNWIND $ancestors AS code
  MATCH (:Area {code: code})<-[:ELECTED_IN]-(d:Deputy)
  WHERE d.level IN ['COUNTY', 'TOWNSHIP']
  RETURN d
  UNION
  MATCH (d:Deputy)
  WHERE $nearPrefix IS NOT NULL AND d.level IN ['NATIONAL', 'PROVINCIAL', 'CITY']
    AND d.baseArea STARTS WITH $nearPrefix
  RETURN d
}
WITH DISTINCT d"""
    + _DEPUTY_ROW
    + BATCHED
)

DEPUTIES_BY_ID: LiteralString = (
    "UNWIND $ids AS key MATCH (d:Deputy {id: key}) WITH DISTINCT d" + _DEPUTY_ROW + BATCHED
)

#: Deputies above the given ones along LIAISON_FOR (any number of steps).
LIAISONS_ABOVE: LiteralString = (
    """
UNWIND $ids AS key
MATCH (:Deputy {id: key})<-[:LIAISON_FOR*1..]-(d:Deputy)
WITH DISTINCT d"""
    + _DEPUTY_ROW
    + BATCHED
)

ALL_CONTACTS: LiteralString = (
    """
MATCH (d:Deputy)-[c:CONTACTS]->(a:Area)
WITH [d.id, a.code, c.basis] AS row
"""
    + BATCHED
)

CONTACTS_OF: LiteralString = (
    """
UNWIND $ids AS key
MATCH (:Deputy {id: key})-[c:CONTACTS]->(a:Area)
WITH [key, a.code, c.basis] AS row
"""
    + BATCHED
)

ALL_LIAISONS: LiteralString = (
    """
MATCH (u:Deputy)-[:LIAISON_FOR]->(l:Deputy)
WITH [u.id, l.id] AS row
"""
    + BATCHED
)

LIAISONS_OF: LiteralString = (
    """
UNWIND $ids AS key
MATCH (:Deputy {id: key})-[:LIAISON_FOR]->(l:Deputy)
WITH [key, l.id] AS row
"""
    + BATCHED
)

_GROUP_ROW: LiteralString = """
WITH [g.id, g.name, g.kind, g.areaCode, g.room,
      COLLECT { MATCH (g)-[:HELD]->(a:Activity) RETURN toString(a.date) },
      COLLECT { MATCH (m:Deputy)-[r:MEMBER_OF]->(g) RETURN [m.id, r.role] }] AS row
"""

ALL_GROUPS: LiteralString = "MATCH (g:Group)" + _GROUP_ROW + BATCHED

SCOPE_GROUPS: LiteralString = (
    """
CALL () {
  UNWIND $areas AS code
  MATCH (:Area {code: code})<-[:LOCATED_IN]-(g:Group)
  RETURN g
  UNION
  UNWIND $ids AS key
  MATCH (:Deputy {id: key})-[:MEMBER_OF]->(g:Group)
  RETURN g
}
WITH DISTINCT g"""
    + _GROUP_ROW
    + BATCHED
)

CHAINS: LiteralString = (
    """
MATCH (c:IndustryChain)
OPTIONAL MATCH (c)-[:IN_CLUSTER]->(k:IndustryCluster)
WITH [c.id, c.name, k.id, k.name,
      COLLECT { MATCH (d:Deputy)-[:WORKS_ON]->(c) RETURN d.id },
      COLLECT {
        MATCH (p:ObservationPoint)-[:ON_CHAIN]->(c)
        RETURN [p.id, p.name, p.enterprise, p.role,
                COLLECT { MATCH (o:Deputy)-[r:OBSERVES]->(p) RETURN [o.id, r.role] }]
      }] AS row
"""
    + BATCHED
)


# -- readers -----------------------------------------------------------------------------------
# Rows: an area is [code, name, kind, parentCode]; a scope's area [inScope, code, name, kind,
# parentCode, population]; a deputy [id, name, level, status, electedIn, baseArea, openIssues];
# a contact [deputyId, areaCode, basis]; a liaison [upperId, lowerId]; a group [id, name, kind,
# areaCode, room, activity dates, [[memberId, role]]]; a chain [id, name, clusterId,
# clusterName, worker ids, [[pointId, name, enterprise, role, [[observerId, role]]]]].


def scope_areas(db: Database, scope: str) -> Iterator[Any]:
    """The areas of ``scope`` and under it (``inScope`` true), then its ancestors (false)."""
    return stream_batches(db, SCOPE_AREAS, {"scope": scope})


def all_areas(db: Database) -> Iterator[Any]:
    return stream_batches(db, ALL_AREAS)


def areas_by_code(db: Database, codes: Sequence[str]) -> Iterator[Any]:
    return stream_batches(db, AREAS_BY_CODE, {"codes": list(codes)})


def all_deputies(db: Database, *, with_issues: bool) -> Iterator[Any]:
    """Every deputy; ``openIssues`` counted only ``with_issues`` (else 0)."""
    return stream_batches(db, ALL_DEPUTIES, {"withIssues": with_issues})


def scope_deputies(
    db: Database,
    *,
    villages: Sequence[str],
    areas: Sequence[str],
    ancestors: Sequence[str],
    near_prefix: str | None,
    with_issues: bool,
) -> Iterator[Any]:
    """The deputies of a scope (see :data:`SCOPE_DEPUTIES`)."""
    params = {
        "villages": list(villages),
        "areas": list(areas),
        "ancestors": list(ancestors),
        "nearPrefix": near_prefix,
        "withIssues": with_issues,
    }
    return stream_batches(db, SCOPE_DEPUTIES, params)


def deputies_by_id(db: Database, ids: Sequence[str], *, with_issues: bool) -> Iterator[Any]:
    return stream_batches(db, DEPUTIES_BY_ID, {"ids": list(ids), "withIssues": with_issues})


def liaisons_above(db: Database, ids: Sequence[str], *, with_issues: bool) -> Iterator[Any]:
    """Deputies above ``ids`` along LIAISON_FOR, any number of steps (deputy rows)."""
    return stream_batches(db, LIAISONS_ABOVE, {"ids": list(ids), "withIssues": with_issues})


def all_contacts(db: Database) -> Iterator[Any]:
    return stream_batches(db, ALL_CONTACTS)


def contacts_of(db: Database, ids: Sequence[str]) -> Iterator[Any]:
    return stream_batches(db, CONTACTS_OF, {"ids": list(ids)})


def all_liaisons(db: Database) -> Iterator[Any]:
    return stream_batches(db, ALL_LIAISONS)


def liaisons_of(db: Database, ids: Sequence[str]) -> Iterator[Any]:
    return stream_batches(db, LIAISONS_OF, {"ids": list(ids)})


def all_groups(db: Database) -> Iterator[Any]:
    return stream_batches(db, ALL_GROUPS)


def scope_groups(db: Database, areas: Sequence[str], ids: Sequence[str]) -> Iterator[Any]:
    """Groups located in ``areas`` or with a member among ``ids``."""
    return stream_batches(db, SCOPE_GROUPS, {"areas": list(areas), "ids": list(ids)})


def chains(db: Database) -> Iterator[Any]:
    return stream_batches(db, CHAINS)


# -- small lookups the analysis service needs ---------------------------------------------------

DEPUTY_AREAS: LiteralString = """
UNWIND $ids AS key
MATCH (d:Deputy {id: key})
RETURN key, [x IN [d.electedIn, d.baseArea] WHERE x IS NOT NULL]
            + COLLECT { MATCH (d)-[:CONTACTS]->(v:Area) RETURN v.code } AS codes
"""

OPEN_ISSUE_LOADS: LiteralString = (
    """
CALL () {
  UNWIND $deputies AS key
  MATCH (d:Deputy {id: key})
  RETURN d
  UNION
  UNWIND $issues AS key
  MATCH (d:Deputy)-[:TRACKS]->(:Issue {id: key})
  RETURN d
}
RETURN d.id AS id,
       COUNT { (d)-[:TRACKS]->(i:Issue) WHERE NOT i.status IN """
    + CLOSED_STATUSES
    + """ } AS open
"""
)

ISSUE_PLACE: LiteralString = """
MATCH (i:Issue {id: $id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(a:Area)
RETURN a.code AS code, a.kind AS kind,
       COLLECT { MATCH (d:Deputy)-[:TRACKS]->(i) RETURN d.id ORDER BY d.id } AS trackers
"""

DEPUTY_EXISTS: LiteralString = "MATCH (d:Deputy {id: $id}) RETURN d.id AS id"


@dataclass(frozen=True)
class IssuePlace:
    """Where an issue was raised (``None`` when it has no RAISED_IN area) and who tracks it."""

    issue_id: str
    area_code: str | None
    area_kind: str | None
    trackers: tuple[str, ...]


def issue_place(db: Database, issue_id: str) -> IssuePlace:
    """The area an issue was raised in; :class:`NotFound` for an unknown issue."""
    records = db.execute(ISSUE_PLACE, {"id": issue_id})
    if not records:
        raise NotFound("issue", issue_id)
    record = records[0]
    return IssuePlace(issue_id, record["code"], record["kind"], tuple(record["trackers"]))


def deputy_areas(db: Database, ids: Sequence[str]) -> dict[str, list[str]]:
    """For each existing deputy: its constituency, base area and contacted villages' codes."""
    return {r["key"]: list(r["codes"]) for r in db.execute(DEPUTY_AREAS, {"ids": list(ids)})}


def open_issue_loads(
    db: Database, deputies: Sequence[str], issues: Sequence[str]
) -> dict[str, int]:
    """Open issues tracked now by the given deputies and by every tracker of the given issues."""
    params = {"deputies": list(deputies), "issues": list(issues)}
    return {r["id"]: int(r["open"]) for r in db.execute(OPEN_ISSUE_LOADS, params)}


def deputy_exists(db: Database, deputy_id: str) -> bool:
    return bool(db.execute(DEPUTY_EXISTS, {"id": deputy_id}))
