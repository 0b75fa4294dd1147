"""The Cypher of coverage summaries: per-village aggregates computed by the database.

A coverage report needs, per village, how many ACTIVE deputies of each level contact it and
whether one of its own constituency does, plus the distribution of the deputies' loads -- not
the deputies and contacts themselves. At national size those are 2.8 million of each, and
shipping them to Python dominated the report's time; here Neo4j aggregates them and ships one
row per village, the load histogram and the ranked ends of the load list.
:mod:`graphcoord.services.coverage_summary` builds the summary graph from these reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.streaming import BATCHED, read_records, stream_batches
from graphcoord.queries.vocabulary import VILLAGE_KINDS

__all__ = [
    "SUMMARY_TOP",
    "degree_bucket",
    "degrees_in",
    "records",
    "scope_catch_up",
    "scope_loads",
    "scope_village_counts",
    "values",
    "village_labels",
]

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
VILLAGE_IDS: LiteralString = (
    """
MATCH (v:Area) WHERE v.kind IN """
    + VILLAGE_KINDS
    + """
WITH collect(id(v)) AS ids, collect(v.code) AS codes
UNWIND range(0, size(ids) - 1, 100000) AS i
RETURN ids[i..i + 100000] AS ids, codes[i..i + 100000] AS codes"""
)

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

#: The first ``$limit`` ACTIVE deputies (by id, in the id index's order) with ``$n`` contacts.
DEGREE_BUCKET: LiteralString = """
MATCH (d:Deputy) WHERE d.id > ''
WITH d WHERE COUNT { (d)-[:CONTACTS]->() } = $n
WITH d WHERE coalesce(d.status, 'ACTIVE') <> 'LEFT'
RETURN d.id AS id ORDER BY id LIMIT $limit"""

#: What a scope's summary needs to catch up with changes, in one read: for the given deputies,
#: [id, active, villages contacted under ``$prefix``, elected under it, the codes they touch
#: (constituency, base area, contacted villages)]; and the ACTIVE contacts per level of the
#: given villages and of the villages the given deputies contact, under ``$prefix``.
SCOPE_CATCH_UP: LiteralString = (
    """
CALL () {
  UNWIND $ids AS key
  MATCH (d:Deputy {id: key})
  RETURN collect([d.id, """
    + _ACTIVE
    + """,
    COUNT { (d)-[:CONTACTS]->(v:Area) WHERE v.code STARTS WITH $prefix AND v.kind IN """
    + VILLAGE_KINDS
    + """ },
    coalesce(d.electedIn STARTS WITH $prefix, false),
    [x IN [d.electedIn, d.baseArea] WHERE x IS NOT NULL]
      + COLLECT { MATCH (d)-[:CONTACTS]->(v:Area) RETURN v.code }]) AS deputies
}
CALL () {
  CALL () {
    UNWIND $codes AS code
    RETURN code
    UNION
    UNWIND $ids AS key
    MATCH (:Deputy {id: key})-[:CONTACTS]->(v:Area)
    RETURN v.code AS code
  }
  WITH code WHERE code STARTS WITH $prefix
  MATCH (v:Area {code: code}) WHERE v.kind IN """
    + VILLAGE_KINDS
    + """
  WITH v, [(v)<-[:CONTACTS]-(d:Deputy) WHERE """
    + _ACTIVE
    + """ | d.level] AS levels
  RETURN collect([v.code, [level IN $levels | size([l IN levels WHERE l = level])]]) AS villages
}
RETURN deputies, villages
"""
)

#: Name and township name of villages.
VILLAGE_LABELS: LiteralString = """
UNWIND $codes AS code
MATCH (v:Area {code: code})
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
RETURN code, v.name AS name, t.name AS township"""


def scope_village_counts(db: Database, villages: Sequence[str], levels: Sequence[str]) -> Any:
    """Rows ``[code, [ACTIVE contacts per level of levels]]`` of the given villages."""
    return stream_batches(db, SCOPE_VILLAGES, {"villages": list(villages), "levels": list(levels)})


def scope_loads(db: Database, villages: Sequence[str], areas: Sequence[str]) -> Any:
    """Rows ``[deputyId, villages in scope]``: deputies contacting one of ``villages``, and
    those elected in one of ``areas`` (maybe 0)."""
    return stream_batches(db, SCOPE_LOADS, {"villages": list(villages), "areas": list(areas)})


def scope_catch_up(
    db: Database, prefix: str, ids: Sequence[str], codes: Sequence[str], levels: Sequence[str]
) -> tuple[list[tuple[str, bool, int, bool, list[str]]], list[tuple[str, list[int]]]]:
    """:data:`SCOPE_CATCH_UP`: the deputies' rows and the villages' counts, one round trip."""
    params = {"prefix": prefix, "ids": list(ids), "codes": list(codes), "levels": list(levels)}
    record = db.execute(SCOPE_CATCH_UP, params)[0]
    deputies = [
        (str(d), bool(active), int(n), bool(here), list(touched))
        for d, active, n, here, touched in record["deputies"]
    ]
    return deputies, [(str(code), list(counts)) for code, counts in record["villages"]]


def degrees_in(db: Database, values: Sequence[int]) -> list[tuple[str, int]]:
    """(deputy id, villages) of the ACTIVE deputies whose CONTACTS degree is in ``values``."""
    records = db.execute(DEGREES_IN, {"values": list(values)})
    return [(r["id"], int(r["villages"])) for r in records]


def degree_bucket(db: Database, villages: int, limit: int) -> list[str]:
    """The first ``limit`` ACTIVE deputies (by id) with ``villages`` contacts."""
    params = {"n": villages, "limit": limit}
    return [r["id"] for r in db.execute(DEGREE_BUCKET, params)]


def records(
    db: Database, query: LiteralString, parameters: dict[str, Any] | None = None
) -> list[list[Any]]:
    """The records of a whole-graph read as lists of values (notifications off)."""
    return [record.values() for record in read_records(db, query, parameters, quiet=True)]


def values(db: Database, query: LiteralString, parameters: dict[str, Any]) -> list[int]:
    """The values of a whole-graph read chunked by :data:`_CHUNKED`, flattened."""
    return [
        value for record in read_records(db, query, parameters, quiet=True) for value in record[0]
    ]


def village_labels(db: Database, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Name and township name of each village (for the villages a whole-graph answer lists)."""
    return {
        r["code"]: (r["name"] or r["code"], r["township"] or "")
        for r in db.execute(VILLAGE_LABELS, {"codes": list(codes)})
    }
