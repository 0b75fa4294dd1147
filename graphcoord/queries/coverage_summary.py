"""Read the coverage summary of a scope: per-village aggregates computed by the database.

A coverage report needs, per village, how many ACTIVE deputies of each level contact it and
whether one of its own constituency does, plus the distribution of the deputies' loads -- not
the deputies and contacts themselves. At national size those are 2.8 million of each, and
shipping them to Python dominated the report's time; here Neo4j aggregates them and ships one
row per village, the load histogram and the ranked ends of the load list. The result is the
graph :func:`graphcoord.analytics.coverage_summary` builds from a full projection (the
integration tests check that both give the same report), so the analytics stay pure.

An area's summary takes four reads (areas, village aggregates, loads, names of the ranked
deputies). The whole graph's is read differently, because there the cost is the database's:
see the comment above LEVEL_CONTACTS; eight reads on two sessions, at most two per end of the
load ranking and the names: at most thirteen.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any, LiteralString

import networkx as nx

from graphcoord.analytics import (
    COVERAGE_SUMMARY,
    DeputyLoad,
    LoadBucket,
    LoadSummary,
    load_summary,
)
from graphcoord.analytics.graph import LEVELS
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.queries.areas import SCOPE_AREAS
from graphcoord.queries.deputies import deputies_by_id
from graphcoord.queries.streaming import BATCHED, read_records, stream_batches

__all__ = ["SUMMARY_TOP", "project_coverage_summary", "village_labels"]

#: How many deputies a summary keeps at each end of the load ranking.
SUMMARY_TOP = 50

_ACTIVE: LiteralString = "coalesce(d.status, 'ACTIVE') <> 'LEFT'"

# -- an area: the scope's villages aggregated one by one --------------------------------------

#: Per village: ACTIVE contacts per level, in the order of ``analytics.graph.LEVELS``.
SCOPE_VILLAGES: LiteralString = (
    """
UNWIND $villages AS code
MATCH (v:Area {code: code})
WITH v, [(v)<-[:CONTACTS]-(d:Deputy) WHERE """
    + _ACTIVE
    + """ | d.level] AS levels
WITH [v.code, [level IN $levels | size([l IN levels WHERE l = level])]] AS row
"""
    + BATCHED
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

# -- the whole graph: 620,000 villages, 2.8 million deputies and contacts ----------------------
# Reading a deputy's level or status per contact is what costs (about 1 us a property read,
# randomly ordered); the level index gives each level's deputies without reading the property,
# node ids stand for villages until the end, and the few LEFT deputies (status index) are
# subtracted afterwards. Results ship as lists of 100,000 values per record.

_CHUNKED: LiteralString = """
UNWIND range(0, size(values) - 1, 100000) AS i
RETURN values[i..i + 100000] AS values"""

#: Node ids of the villages that the deputies of one level contact, once per contact.
LEVEL_CONTACTS: LiteralString = (
    """
MATCH (d:Deputy) WHERE d.level = $level
MATCH (d)-[:CONTACTS]->(v:Area)
WITH collect(id(v)) AS values"""
    + _CHUNKED
)

#: Node ids and codes of every village, in two lists.
VILLAGE_IDS: LiteralString = """
MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY']
WITH collect(id(v)) AS ids, collect(v.code) AS codes
UNWIND range(0, size(ids) - 1, 100000) AS i
RETURN ids[i..i + 100000] AS ids, codes[i..i + 100000] AS codes"""

#: The LEFT deputies, their level, contacts (village node ids) and id.
LEFT_DEPUTIES: LiteralString = """
MATCH (d:Deputy) WHERE d.status = 'LEFT'
RETURN d.level AS level, [(d)-[:CONTACTS]->(v:Area) | id(v)] AS villages"""

#: Deputies per CONTACTS degree (LEFT ones included; they are subtracted).
DEGREE_HISTOGRAM: LiteralString = """
MATCH (d:Deputy)
RETURN COUNT { (d)-[:CONTACTS]->() } AS villages, count(*) AS deputies"""

#: The ACTIVE deputies whose CONTACTS degree is one of ``$values`` (rare ones: few rows).
DEGREES_IN: LiteralString = """
MATCH (d:Deputy)
WITH d, COUNT { (d)-[:CONTACTS]->() } AS n WHERE n IN $values
WITH d, n WHERE coalesce(d.status, 'ACTIVE') <> 'LEFT'
RETURN d.id AS id, n AS villages"""

#: A load bucket this large is walked in id order (hits come early) rather than scanned.
_LARGE_BUCKET = 1000

#: The first ``$limit`` ACTIVE deputies (by id, in the id index's order) with ``$n`` contacts.
DEGREE_BUCKET: LiteralString = """
MATCH (d:Deputy) WHERE d.id > ''
WITH d WHERE COUNT { (d)-[:CONTACTS]->() } = $n
WITH d WHERE coalesce(d.status, 'ACTIVE') <> 'LEFT'
RETURN d.id AS id ORDER BY id LIMIT $limit"""

#: Name and township name of villages.
VILLAGE_LABELS: LiteralString = """
UNWIND $codes AS code
MATCH (v:Area {code: code})
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
RETURN code, v.name AS name, t.name AS township"""

_VILLAGE_KINDS = frozenset({"VILLAGE", "COMMUNITY"})
_COUNTY, _TOWNSHIP = LEVELS.index("COUNTY"), LEVELS.index("TOWNSHIP")


def project_coverage_summary(
    db: Database, scope: str | None = None, *, top: int = SUMMARY_TOP
) -> nx.DiGraph:
    """The coverage summary of ``scope`` (an area code, ``None``: everything), read from Neo4j.

    Same shape as :func:`graphcoord.analytics.coverage_summary`, plus the ranked deputies as
    ``deputy`` nodes (for names). An area's summary has every area of the scope with its name;
    the whole graph's has the villages by code only (``S.graph["named"]`` is false: look names
    up with :func:`village_labels` for the villages you show). ``ownDeputy`` is true when a
    county or township deputy contacts the village: the rule contact-inside-constituency,
    enforced on every write, makes such a deputy one of the village's own constituency.
    Raises :class:`~graphcoord.errors.NotFound` when ``scope`` is not an area.
    """
    S = _whole_graph(db, top) if scope is None else _area(db, scope, top)
    ranked = {d.deputy_id for d in (*S.graph["load"].most_loaded, *S.graph["load"].least_loaded)}
    if ranked:
        for deputy_id, row in deputies_by_id(db, sorted(ranked)).items():
            S.add_node(
                "deputy:" + deputy_id,
                type="deputy",
                id=deputy_id,
                name=row.get("name") or deputy_id,
                level=row.get("level"),
            )
    return S


def _summary(scope: str | None, named: bool) -> nx.DiGraph:
    return nx.DiGraph(summary=COVERAGE_SUMMARY, scope=scope, named=named)


def _set_counts(attrs: dict[str, Any], counts: Sequence[int]) -> None:
    attrs["levelCounts"] = tuple(counts)
    attrs["ownDeputy"] = bool(counts[_COUNTY] or counts[_TOWNSHIP])


def _area(db: Database, scope: str, top: int) -> nx.DiGraph:
    S = _summary(scope, named=True)
    in_scope: list[str] = []
    codes: list[str] = []
    areas = stream_batches(db, SCOPE_AREAS, {"scope": scope})
    for inside, code, name, kind, parent, population in areas:
        S.add_node(
            "area:" + code,
            type="area",
            code=code,
            name=name or code,
            kind=kind,
            parent=parent,
            population=population,
        )
        if inside:
            in_scope.append(code)
            if kind in _VILLAGE_KINDS:
                codes.append(code)
    if not in_scope:
        raise NotFound("area", scope)
    node = S._node
    params = {"villages": codes, "levels": list(LEVELS)}
    for code, counts in stream_batches(db, SCOPE_VILLAGES, params):
        _set_counts(node["area:" + code], counts)
    rows = stream_batches(db, SCOPE_LOADS, {"villages": codes, "areas": in_scope})
    S.graph["load"] = load_summary({deputy: n for deputy, n in rows}, top)
    return S


def _whole_graph(db: Database, top: int) -> nx.DiGraph:
    """The whole graph's summary, its reads spread over two sessions (two server threads)."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="coverage-summary") as pool:
        # The township read is the longest: it runs alone while the other session reads the
        # rest and this thread builds the village nodes.
        township = pool.submit(_values, db, LEVEL_CONTACTS, {"level": "TOWNSHIP"})
        others = {
            level: pool.submit(_values, db, LEVEL_CONTACTS, {"level": level})
            for level in ("COUNTY", "CITY", "PROVINCIAL", "NATIONAL")
        }
        villages = pool.submit(_records, db, VILLAGE_IDS)
        histogram = pool.submit(_records, db, DEGREE_HISTOGRAM)
        left = pool.submit(_records, db, LEFT_DEPUTIES)
        with _bulk():
            S = _summary(None, named=False)
            node = S._node
            by_id: dict[int, dict[str, Any]] = {}
            for ids, codes in villages.result():
                for node_id, code in zip(ids, codes, strict=True):
                    node["area:" + code] = by_id[node_id] = {"type": "area", "code": code}
            # no edges: every node shares one read-only empty adjacency
            S._succ.update(dict.fromkeys(node, _NO_EDGES))
            S._pred.update(dict.fromkeys(node, _NO_EDGES))
            per_level = {level: Counter(future.result()) for level, future in others.items()}
            per_level["TOWNSHIP"] = Counter(township.result())
            for level, contacted in left.result():
                if level in per_level:
                    per_level[level].subtract(contacted)
            counters = [per_level[level] for level in LEVELS]
            for node_id, attrs in by_id.items():
                _set_counts(attrs, [counter.get(node_id, 0) for counter in counters])
        degrees = Counter({int(r[0]): int(r[1]) for r in histogram.result()})
        for _, contacted in left.result():
            degrees[len(contacted)] -= 1
    buckets = tuple(LoadBucket(n, c) for n, c in sorted(degrees.items()) if c > 0)
    S.graph["load"] = LoadSummary(
        histogram=buckets,
        most_loaded=_ranked(db, buckets[::-1], top, most=True),
        least_loaded=_ranked(db, buckets, top, most=False),
    )
    return S


#: The adjacency of every node of a whole-graph summary (it has no edges; adding one fails).
_NO_EDGES: Mapping[str, Any] = MappingProxyType({})


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are made: they hold
    no cycles, and its passes over them would cost a third of the build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ranked(
    db: Database, buckets: Sequence[LoadBucket], top: int, *, most: bool
) -> tuple[DeputyLoad, ...]:
    """The ``top`` ACTIVE deputies at one end of the load ranking (ties by id), in two reads.

    ``buckets`` run from that end. Deputies of the small buckets (rare loads) are found by one
    scan of the degrees; a large bucket (common loads) is walked in the id index's order,
    which stops after ``top`` hits. Only the last bucket needed can be large.
    """
    needed: list[LoadBucket] = []
    total = 0
    for bucket in buckets:
        if total >= top:
            break
        needed.append(bucket)
        total += bucket.deputies
    if not needed:
        return ()
    large = needed.pop() if needed[-1].deputies >= _LARGE_BUCKET else None
    ranked: list[DeputyLoad] = []
    if needed:
        records = db.execute(DEGREES_IN, {"values": [b.villages for b in needed]})
        found = sorted(
            (DeputyLoad(r["id"], int(r["villages"])) for r in records),
            key=lambda d: (-d.villages if most else d.villages, d.deputy_id),
        )
        ranked.extend(found[:top])
    if large is not None and len(ranked) < top:
        params = {"n": large.villages, "limit": top - len(ranked)}
        ranked.extend(
            DeputyLoad(r["id"], large.villages) for r in db.execute(DEGREE_BUCKET, params)
        )
    return tuple(ranked)


def _records(
    db: Database, query: LiteralString, parameters: dict[str, Any] | None = None
) -> list[list[Any]]:
    return [record.values() for record in read_records(db, query, parameters, quiet=True)]


def _values(db: Database, query: LiteralString, parameters: dict[str, Any]) -> list[int]:
    return [
        value for record in read_records(db, query, parameters, quiet=True) for value in record[0]
    ]


def village_labels(db: Database, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Name and township name of each village (for the villages a whole-graph answer lists)."""
    return {
        r["code"]: (r["name"] or r["code"], r["township"] or "")
        for r in db.execute(VILLAGE_LABELS, {"codes": list(codes)})
    }
