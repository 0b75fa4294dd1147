"""The directory's pages, by key: deputies, groups and uncovered villages.

A page is the ``limit`` rows after a key in the list's order (``d.id > $after … ORDER BY d.id
LIMIT``), so Neo4j seeks past the key in an index and reads only the page, whatever page it
is; nothing is collected and sliced. The total is a statement of its own, run only when a
caller asks for it.

The optional filters are not written ``$x IS NULL OR …`` (which keeps the planner from the
indexes): the statement of each combination of filters is put together by code from the
constant fragments below, never from input. The filter that narrows the rows most drives the
match (a group's members, a chain's deputies, an area's, a name's matches, a level in the
``(level, id)`` index, or every deputy in ``id`` order), the others are conditions on it. The
plans at the national size are in docs/paging.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.areas import Area
from graphcoord.queries.vocabulary import VILLAGE_KINDS

__all__ = [
    "DeputyFilters",
    "deputy_count",
    "deputy_page",
    "deputy_statements",
    "group_count",
    "group_page",
    "uncovered_count",
    "uncovered_page",
]

# -- deputies ---------------------------------------------------------------------------------

#: What a deputies page returns of each deputy.
_DEPUTY_ROW: LiteralString = " RETURN properties(d) AS deputy"

#: Where the match starts, for the filter that drives it (in the order they are preferred).
_DEPUTY_SOURCES: dict[str, LiteralString] = {
    "group": "MATCH (:Group {id: $groupId})<-[:MEMBER_OF]-(d:Deputy)",
    "chain": """CALL () {
  MATCH (:IndustryChain {id: $chainId})<-[:WORKS_ON]-(d:Deputy) RETURN d
  UNION
  MATCH (:IndustryChain {id: $chainId})<-[:ON_CHAIN]-(:ObservationPoint)<-[:OBSERVES]-(d:Deputy)
  RETURN d
}
WITH d""",
    "area": """CALL () {
  MATCH (d:Deputy) WHERE d.electedIn STARTS WITH $areaPrefix RETURN d
  UNION
  MATCH (v:Area)<-[:CONTACTS]-(d:Deputy) WHERE v.code STARTS WITH $areaPrefix RETURN d
}
WITH d""",
    "name": "MATCH (d:Deputy)",
    "level": "MATCH (d:Deputy)",
    "all": "MATCH (d:Deputy)",
}

#: The condition each filter puts on ``d`` when it does not drive the match.
_DEPUTY_CONDITIONS: dict[str, LiteralString] = {
    "group": "EXISTS { MATCH (d)-[:MEMBER_OF]->(:Group {id: $groupId}) }",
    "chain": """(EXISTS { MATCH (d)-[:WORKS_ON]->(:IndustryChain {id: $chainId}) }
       OR EXISTS { MATCH (d)-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->
                         (:IndustryChain {id: $chainId}) })""",
    "area": """(d.electedIn STARTS WITH $areaPrefix
       OR EXISTS { MATCH (d)-[:CONTACTS]->(v:Area) WHERE v.code STARTS WITH $areaPrefix })""",
    "name": "d.name CONTAINS $nameContains",
    "level": "d.level = $level",
}

_AFTER_ID: LiteralString = "d.id > $after"


@dataclass(frozen=True)
class DeputyFilters:
    """The filters of the deputies list; all given ones must hold."""

    level: str | None = None
    area_prefix: str | None = None
    chain_id: str | None = None
    group_id: str | None = None
    name_contains: str | None = None

    def given(self) -> list[str]:
        """The names of the given filters, the one to drive the match first."""
        values = {
            "group": self.group_id,
            "chain": self.chain_id,
            "area": self.area_prefix,
            "name": self.name_contains,
            "level": self.level,
        }
        return [name for name, value in values.items() if value is not None]

    def parameters(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "areaPrefix": self.area_prefix,
            "chainId": self.chain_id,
            "groupId": self.group_id,
            "nameContains": self.name_contains,
        }


def _where(conditions: list[LiteralString]) -> LiteralString:
    if not conditions:
        return ""
    where: LiteralString = "\nWHERE "
    for index, condition in enumerate(conditions):
        where += ("\n  AND " if index else "") + condition
    return where


def deputy_statements(filters: DeputyFilters) -> tuple[LiteralString, LiteralString]:
    """The page and the count statement for a combination of filters (constant fragments)."""
    given = filters.given()
    driver = given[0] if given else "all"
    conditions = [_DEPUTY_CONDITIONS[name] for name in given if name != driver]
    if driver == "level":
        # (level, id) index: the deputies of a level in id order, seeking past the key.
        source: LiteralString = _DEPUTY_SOURCES["level"]
        head: list[LiteralString] = ["d.level = $level"]
        order: LiteralString = "\nORDER BY d.level, d.id"
    else:
        source = _DEPUTY_SOURCES[driver]
        head = [_DEPUTY_CONDITIONS[driver]] if driver == "name" else []
        order = "\nORDER BY d.id"
    page = source + _where([*head, _AFTER_ID, *conditions]) + _DEPUTY_ROW + order + "\nLIMIT $limit"
    count = source + _where([*head, *conditions]) + "\nRETURN count(d) AS total"
    return page, count


def deputy_page(
    db: Database, filters: DeputyFilters, *, after: str | None, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` deputies matching ``filters`` after the id ``after``, by id."""
    page, _ = deputy_statements(filters)
    parameters = {**filters.parameters(), "after": after or "", "limit": limit}
    return [record["deputy"] for record in db.execute(page, parameters)]


def deputy_count(db: Database, filters: DeputyFilters) -> int:
    """How many deputies match ``filters``."""
    _, count = deputy_statements(filters)
    return int(db.execute(count, filters.parameters())[0]["total"])


# -- groups -----------------------------------------------------------------------------------

_GROUP_CONDITIONS: dict[str, LiteralString] = {
    "kind": "g.kind = $kind",
    "area": "g.areaCode STARTS WITH $areaPrefix",
}


def _group_statements(
    kind: str | None, area_prefix: str | None
) -> tuple[LiteralString, LiteralString]:
    conditions: list[LiteralString] = []
    if kind is not None:
        conditions.append(_GROUP_CONDITIONS["kind"])
    if area_prefix is not None:
        conditions.append(_GROUP_CONDITIONS["area"])
    page: LiteralString = (
        "MATCH (g:Group)"
        + _where(["g.id > $after", *conditions])
        + "\nRETURN properties(g) AS group ORDER BY g.id LIMIT $limit"
    )
    count: LiteralString = "MATCH (g:Group)" + _where(conditions) + "\nRETURN count(g) AS total"
    return page, count


def group_page(
    db: Database, *, kind: str | None, area_prefix: str | None, after: str | None, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` groups of a kind and inside an area after the id ``after``, by id."""
    page, _ = _group_statements(kind, area_prefix)
    parameters = {"kind": kind, "areaPrefix": area_prefix, "after": after or "", "limit": limit}
    return [record["group"] for record in db.execute(page, parameters)]


def group_count(db: Database, *, kind: str | None, area_prefix: str | None) -> int:
    _, count = _group_statements(kind, area_prefix)
    return int(db.execute(count, {"kind": kind, "areaPrefix": area_prefix})[0]["total"])


# -- uncovered villages -----------------------------------------------------------------------

#: Villages in the code range of an area (from its prefix up to the next prefix: one index
#: range), past the cursor's code, that no active deputy contacts.
_UNCOVERED: LiteralString = (
    """
MATCH (v:Area)
WHERE v.code >= $prefix AND v.code > $after AND v.code < $upTo AND v.kind IN """
    + VILLAGE_KINDS
    + """
  AND NOT EXISTS {
    MATCH (v)<-[:CONTACTS]-(d:Deputy) WHERE coalesce(d.status, 'ACTIVE') = 'ACTIVE'"""
)
_ANY_LEVEL: LiteralString = "\n  }"
_OF_LEVEL: LiteralString = " AND d.level = $level\n  }"

UNCOVERED_PAGE: LiteralString = (
    _UNCOVERED
    + _ANY_LEVEL
    + """
RETURN v {.code, .name, .kind, .parentCode, .population} AS village ORDER BY v.code LIMIT $limit"""
)
UNCOVERED_OF_LEVEL_PAGE: LiteralString = (
    _UNCOVERED
    + _OF_LEVEL
    + """
RETURN v {.code, .name, .kind, .parentCode, .population} AS village ORDER BY v.code LIMIT $limit"""
)
UNCOVERED_COUNT: LiteralString = _UNCOVERED + _ANY_LEVEL + "\nRETURN count(v) AS total"
UNCOVERED_OF_LEVEL_COUNT: LiteralString = _UNCOVERED + _OF_LEVEL + "\nRETURN count(v) AS total"


def _code_range(prefix: str, after: str | None) -> dict[str, str]:
    """The codes that start with ``prefix`` (past ``after``) as one index range: every code
    with the prefix is at least the prefix and less than the prefix's successor."""
    up_to = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\uffff"
    return {"prefix": prefix, "after": after or "", "upTo": up_to}


def uncovered_page(
    db: Database, prefix: str, *, level: str | None, after: str | None, limit: int
) -> list[Area]:
    """Up to ``limit`` villages whose code starts with ``prefix`` (after ``after``) with no
    active contact (of ``level``, when given), by code."""
    statement = UNCOVERED_PAGE if level is None else UNCOVERED_OF_LEVEL_PAGE
    parameters: Mapping[str, Any] = {**_code_range(prefix, after), "level": level, "limit": limit}
    return [Area.from_record(r["village"]) for r in db.execute(statement, parameters)]


def uncovered_count(db: Database, prefix: str, *, level: str | None) -> int:
    """How many villages whose code starts with ``prefix`` no active deputy (of ``level``)
    contacts."""
    statement = UNCOVERED_COUNT if level is None else UNCOVERED_OF_LEVEL_COUNT
    parameters = {**_code_range(prefix, None), "level": level}
    return int(db.execute(statement, parameters)[0]["total"])
