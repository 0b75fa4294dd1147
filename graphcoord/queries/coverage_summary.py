"""Read the coverage summary of a scope: per-village aggregates computed by the database.

A coverage report needs, per village, how many ACTIVE deputies of each level contact it and
whether one of its own constituency does, plus the distribution of the deputies' loads -- not
the deputies and contacts themselves. At national size those are 2.8 million of each, and
shipping them to Python dominated the report's time; here Neo4j aggregates them and ships one
row per village, the load histogram and the ranked ends of the load list. The result is the
graph :func:`graphcoord.analytics.coverage_summary` builds from a full projection (the
integration tests check that both give the same report), so the analytics stay pure.

At most six round trips whatever the scope: areas, village aggregates, the loads (one per-deputy
list for an area; for the whole graph the histogram and the two ranked ends, computed by Neo4j
so that 2.8 million loads never travel) and the names of the ranked deputies.
"""

from __future__ import annotations

from typing import Any, LiteralString

import networkx as nx

from graphcoord.analytics import (
    COVERAGE_SUMMARY,
    DeputyLoad,
    LoadBucket,
    LoadSummary,
    load_summary,
)
from graphcoord.analytics._common import Ancestry
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.queries.streaming import BATCHED, stream_batches

__all__ = ["SUMMARY_TOP", "project_coverage_summary"]

#: How many deputies a summary keeps at each end of the load ranking.
SUMMARY_TOP = 50

_ACTIVE: LiteralString = "coalesce(d.status, 'ACTIVE') <> 'LEFT'"

#: Per village: ACTIVE contacts per level (in the order of analytics.graph.LEVELS) and the distinct ``electedIn`` of the
#: county and township deputies among them (the own-constituency check needs the ancestry).
_VILLAGE_AGGREGATE: LiteralString = (
    """
CALL (v) {
  OPTIONAL MATCH (d:Deputy)-[:CONTACTS]->(v)
  WHERE """
    + _ACTIVE
    + """
  RETURN [count(CASE d.level WHEN 'NATIONAL' THEN 1 END),
          count(CASE d.level WHEN 'PROVINCIAL' THEN 1 END),
          count(CASE d.level WHEN 'CITY' THEN 1 END),
          count(CASE d.level WHEN 'COUNTY' THEN 1 END),
          count(CASE d.level WHEN 'TOWNSHIP' THEN 1 END)] AS counts,
         collect(DISTINCT CASE WHEN d.level IN ['COUNTY', 'TOWNSHIP'] THEN d.electedIn END)
           AS electedIn
}
"""
)

#: Every area that is not a village (villages come with their aggregates).
ALL_OTHER_AREAS: LiteralString = (
    """
MATCH (a:Area) WHERE NOT a.kind IN ['VILLAGE', 'COMMUNITY']
WITH [a.code, a.name, a.kind, a.parentCode] AS row
"""
    + BATCHED
)

ALL_VILLAGES: LiteralString = (
    "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY']"
    + _VILLAGE_AGGREGATE
    + "WITH [v.code, v.name, v.kind, v.parentCode, counts, electedIn] AS row"
    + BATCHED
)

#: The scope's root and everything under it (first value true), then its ancestors (false).
SCOPE_AREAS: LiteralString = (
    """
MATCH (root:Area {code: $scope})
CALL (root) {
  MATCH (a:Area)-[:PART_OF*0..]->(root) RETURN a, true AS inScope
  UNION
  MATCH (root)-[:PART_OF*1..]->(a:Area) RETURN a, false AS inScope
}
WITH [inScope, a.code, a.name, a.kind, a.parentCode] AS row
"""
    + BATCHED
)

SCOPE_VILLAGES: LiteralString = (
    "UNWIND $villages AS code MATCH (v:Area {code: code})"
    + _VILLAGE_AGGREGATE
    + "WITH [v.code, counts, electedIn] AS row"
    + BATCHED
)

# Loads. CONTACTS only ever end at villages (rule contact-is-a-village), so a deputy's load over
# the whole graph is its CONTACTS degree, which Neo4j reads without visiting the edges.

_ALL_LOADS: LiteralString = (
    "MATCH (d:Deputy) WHERE " + _ACTIVE + " WITH d, COUNT { (d)-[:CONTACTS]->() } AS n "
)

ALL_HISTOGRAM: LiteralString = _ALL_LOADS + "RETURN n AS villages, count(*) AS deputies"

ALL_MOST_LOADED: LiteralString = (
    _ALL_LOADS + "RETURN d.id AS id, n AS villages ORDER BY n DESC, id LIMIT $top"
)

ALL_LEAST_LOADED: LiteralString = (
    _ALL_LOADS + "RETURN d.id AS id, n AS villages ORDER BY n, id LIMIT $top"
)

#: Villages in scope per deputy: those contacting one, and those elected in scope (maybe 0).
SCOPE_LOADS: LiteralString = (
    """
CALL () {
  UNWIND $villages AS code
  MATCH (:Area {code: code})<-[:CONTACTS]-(d:Deputy)
  WHERE """
    + _ACTIVE
    + """
  RETURN d, count(*) AS n
  UNION
  UNWIND $areas AS code
  MATCH (:Area {code: code})<-[:ELECTED_IN]-(d:Deputy)
  WHERE """
    + _ACTIVE
    + """
  RETURN d, 0 AS n
}
WITH d, max(n) AS n
WITH [d.id, n] AS row
"""
    + BATCHED
)

#: Names and levels of the ranked deputies (for display).
DEPUTY_LABELS: LiteralString = """
UNWIND $ids AS key
MATCH (d:Deputy {id: key})
RETURN d.id AS id, d.name AS name, d.level AS level
"""

_VILLAGE_KINDS = frozenset({"VILLAGE", "COMMUNITY"})


def project_coverage_summary(
    db: Database, scope: str | None = None, *, top: int = SUMMARY_TOP
) -> nx.DiGraph:
    """The coverage summary of ``scope`` (an area code, ``None``: everything), read from Neo4j.

    Same shape as :func:`graphcoord.analytics.coverage_summary` (plus every non-village area
    of the scope and the ranked deputies as ``deputy`` nodes, for names). Raises
    :class:`~graphcoord.errors.NotFound` when ``scope`` is not an area.
    """
    S = nx.DiGraph(summary=COVERAGE_SUMMARY, scope=scope)
    node = S._node
    villages: list[tuple[str, list[int], list[str]]] = []
    if scope is None:
        for code, name, kind, parent in stream_batches(db, ALL_OTHER_AREAS):
            _add_area(S, code, name, kind, parent)
        for code, name, kind, parent, counts, elected_in in stream_batches(db, ALL_VILLAGES):
            _add_area(S, code, name, kind, parent)
            villages.append((code, counts, elected_in))
        loads = _all_loads(db, top)
    else:
        in_scope: list[str] = []
        codes: list[str] = []
        for inside, code, name, kind, parent in stream_batches(db, SCOPE_AREAS, {"scope": scope}):
            _add_area(S, code, name, kind, parent)
            if inside:
                in_scope.append(code)
                if kind in _VILLAGE_KINDS:
                    codes.append(code)
        if not in_scope:
            raise NotFound("area", scope)
        villages = list(stream_batches(db, SCOPE_VILLAGES, {"villages": codes}))
        rows = stream_batches(db, SCOPE_LOADS, {"villages": codes, "areas": in_scope})
        loads = load_summary({deputy: n for deputy, n in rows}, top)
    ancestry = Ancestry(S)
    for code, counts, elected_in in villages:
        own = False
        if elected_in:
            chain = ancestry.chain(code)
            own = any(e in chain for e in elected_in)
        attrs = node["area:" + code]
        attrs["levelCounts"] = tuple(int(c) for c in counts)
        attrs["ownDeputy"] = own
    S.graph["load"] = loads
    ranked = {d.deputy_id for d in (*loads.most_loaded, *loads.least_loaded)}
    if ranked:
        for record in db.execute(DEPUTY_LABELS, {"ids": sorted(ranked)}):
            S.add_node(
                "deputy:" + record["id"],
                type="deputy",
                id=record["id"],
                name=record["name"] or record["id"],
                level=record["level"],
            )
    return S


def _add_area(S: nx.DiGraph, code: str, name: Any, kind: Any, parent: Any) -> None:
    S.add_node("area:" + code, type="area", code=code, name=name or code, kind=kind, parent=parent)


def _all_loads(db: Database, top: int) -> LoadSummary:
    histogram = tuple(
        LoadBucket(int(r["villages"]), int(r["deputies"]))
        for r in sorted(db.execute(ALL_HISTOGRAM), key=lambda r: int(r["villages"]))
    )
    most, least = (
        tuple(DeputyLoad(r["id"], int(r["villages"])) for r in db.execute(query, {"top": top}))
        for query in (ALL_MOST_LOADED, ALL_LEAST_LOADED)
    )
    return LoadSummary(histogram=histogram, most_loaded=most, least_loaded=least)
