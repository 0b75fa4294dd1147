"""Roster imports: import-run records, what already exists (for created/updated/unchanged),
reference lookups, the LOAD CSV baseline of the benchmark and a graph fingerprint.

Statements that read the stored state of a row kind return the compared values as a list in
the order of :data:`STATE_FIELDS`, so the importer can tell a new row from a changed or an
unchanged one in one round trip per batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j.exceptions import ConstraintError

from graphcoord.db import Database
from graphcoord.model import DEPUTY_KEYS
from graphcoord.queries.areas import UPSERT_AREAS
from graphcoord.queries.batch import chunks
from graphcoord.queries.deputies import UPSERT_CONTACTS, UPSERT_DEPUTIES
from graphcoord.rules import DeputyFacts

__all__ = [
    "BASELINE",
    "STATE_FIELDS",
    "UPSERT_VALIDATED",
    "ImportRunRecord",
    "activity_ids",
    "area_kinds",
    "chain_ids",
    "clear_baseline_labels",
    "create_new",
    "create_run",
    "department_ids",
    "deputy_facts",
    "fingerprint",
    "finish_run",
    "group_ids",
    "import_history",
    "import_run_page",
    "issue_ids",
    "proposal_ids",
    "station_days",
    "station_ids",
    "stored_count",
    "stored_state",
    "upsert_validated",
]

CREATE_RUN: LiteralString = """
CREATE (r:ImportRun {id: $id})
SET r.file = $file, r.fileHash = $fileHash, r.kind = $kind, r.status = 'RUNNING',
    r.startedAt = datetime($startedAt), r.dryRun = $dryRun, r.allowPartial = $allowPartial
"""

FINISH_RUN: LiteralString = """
MATCH (r:ImportRun {id: $id})
SET r.status = $status, r.finishedAt = datetime($finishedAt), r.created = $created,
    r.updated = $updated, r.unchanged = $unchanged, r.rejected = $rejected,
    r.counts = $counts, r.error = $error
"""

HISTORY: LiteralString = """
MATCH (r:ImportRun)
RETURN r.id AS id, r.file AS file, r.fileHash AS fileHash, r.kind AS kind, r.status AS status,
       toString(r.startedAt) AS startedAt, toString(r.finishedAt) AS finishedAt,
       r.created AS created, r.updated AS updated, r.unchanged AS unchanged,
       r.rejected AS rejected, r.error AS error,
       COUNT { MATCH (u:ImportUndo) WHERE u.run = r.id } AS undoBatches
ORDER BY r.startedAt DESC
SKIP $skip LIMIT $limit
"""

RUN_COUNT: LiteralString = "MATCH (r:ImportRun) RETURN count(r) AS n"

#: For each row kind, the values compared with a row, in the order the statement returns them.
STATE_FIELDS: dict[str, tuple[str, ...]] = {
    "areas": ("name", "kind", "parentCode", "population"),
    "deputies": DEPUTY_KEYS[1:],  # all but the key
    "clusters": ("name",),
    "chains": ("name", "clusterId"),
    "groups": ("name", "kind", "room", "theme", "areaCode"),
    "observationPoints": ("name", "enterprise", "role", "chainId", "areaCode"),
    "activities": ("title", "date", "kind", "series", "groupId"),
    "contacts": ("basis",),
    "memberships": ("role",),
    "liaisons": (),
    "chainWorkers": (),
    "stations": ("name", "kind", "monthlyActivityDay", "areaCode"),
    "collectionPoints": ("name", "kind", "areaCode"),
    "activityDays": ("stationId", "title", "date", "topic", "notice", "voterCount"),
    "receptions": (),
    "attendances": (),
    "departments": ("name", "kind", "areaCode"),
    "proposals": (
        "title",
        "kind",
        "body",
        "congressLevel",
        "congressAreaCode",
        "session",
        "status",
        "submittedOn",
    ),
    "sponsorships": ("role",),
    "addresses": (),
    "contributions": ("note",),
    "proposalHandlings": ("digest",),
}

#: Node kinds: ``UNWIND $keys AS key … RETURN collect([key, [values]]) AS found``: one record per
#: batch, because the driver's cost is per record (a record per key made lookups dominate).
NODE_STATE: dict[str, LiteralString] = {
    "areas": """
UNWIND $keys AS key
MATCH (a:Area {code: key})
RETURN collect([key, [a.name, a.kind, a.parentCode, a.population]]) AS found
""",
    "deputies": """
UNWIND $keys AS key
MATCH (d:Deputy {id: key})
OPTIONAL MATCH (d)-[:ELECTED_IN]->(e:Area)
RETURN collect([key, [d.name, d.level, d.gender, d.occupation, d.workUnit, d.sectors, d.phone,
                     d.status, d.term, e.code, d.baseArea]]) AS found
""",
    "clusters": """
UNWIND $keys AS key
MATCH (c:IndustryCluster {id: key})
RETURN collect([key, [c.name]]) AS found
""",
    "chains": """
UNWIND $keys AS key
MATCH (c:IndustryChain {id: key})
OPTIONAL MATCH (c)-[:IN_CLUSTER]->(k:IndustryCluster)
RETURN collect([key, [c.name, k.id]]) AS found
""",
    "groups": """
UNWIND $keys AS key
MATCH (g:Group {id: key})
OPTIONAL MATCH (g)-[:LOCATED_IN]->(a:Area)
RETURN collect([key, [g.name, g.kind, g.room, g.theme, a.code]]) AS found
""",
    "observationPoints": """
UNWIND $keys AS key
MATCH (p:ObservationPoint {id: key})
OPTIONAL MATCH (p)-[:ON_CHAIN]->(c:IndustryChain)
OPTIONAL MATCH (p)-[:LOCATED_IN]->(a:Area)
RETURN collect([key, [p.name, p.enterprise, p.role, c.id, a.code]]) AS found
""",
    "activities": """
UNWIND $keys AS key
MATCH (a:Activity {id: key})
OPTIONAL MATCH (g:Group)-[:HELD]->(a)
RETURN collect([key, [a.title, toString(a.date), a.kind, a.series, g.id]]) AS found
""",
    "stations": """
UNWIND $keys AS key
MATCH (s:LiaisonStation {id: key})
RETURN collect([key, [s.name, s.kind, s.monthlyActivityDay, s.areaCode]]) AS found
""",
    "collectionPoints": """
UNWIND $keys AS key
MATCH (c:CollectionPoint {id: key})
RETURN collect([key, [c.name, c.kind, c.areaCode]]) AS found
""",
    "activityDays": """
UNWIND $keys AS key
MATCH (a:Activity {id: key})
OPTIONAL MATCH (s:LiaisonStation)-[:HOLDS]->(a)
RETURN collect([key, [s.id, a.title, toString(a.date), a.topic, a.notice, a.voterCount]])
       AS found
""",
    "departments": """
UNWIND $keys AS key
MATCH (d:Department {id: key})
OPTIONAL MATCH (d)-[:LOCATED_IN]->(a:Area)
RETURN collect([key, [d.name, d.kind, a.code]]) AS found
""",
    # a status past SUBMITTED comes from the handling: the sheet's SUBMITTED is the same
    "proposals": """
UNWIND $keys AS key
MATCH (p:Proposal {id: key})
RETURN collect([key, [p.title, p.kind, p.body, p.congressLevel, p.congressAreaCode, p.session,
                     CASE WHEN p.status IN ['DRAFT', 'SUBMITTED'] THEN p.status
                          ELSE 'SUBMITTED' END,
                     CASE WHEN p.submittedAt IS NULL THEN null
                          ELSE toString(date(p.submittedAt)) END]]) AS found
""",
    "proposalHandlings": """
UNWIND $keys AS key
MATCH (p:Proposal {id: key})
RETURN collect([key, [p.handlingDigest]]) AS found
""",
}

#: Relationship kinds: ``UNWIND $pairs AS pair … RETURN collect([pair[0], pair[1], [values]])``.
EDGE_STATE: dict[str, LiteralString] = {
    "contacts": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[c:CONTACTS]->(:Area {code: pair[1]})
RETURN collect([pair[0], pair[1], [c.basis]]) AS found
""",
    "memberships": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[m:MEMBER_OF]->(:Group {id: pair[1]})
RETURN collect([pair[0], pair[1], [m.role]]) AS found
""",
    "liaisons": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[:LIAISON_FOR]->(:Deputy {id: pair[1]})
RETURN collect([pair[0], pair[1], []]) AS found
""",
    "chainWorkers": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[:WORKS_ON]->(:IndustryChain {id: pair[1]})
RETURN collect([pair[0], pair[1], []]) AS found
""",
    "receptions": """
UNWIND $pairs AS pair
MATCH (d:Deputy {id: pair[0]})-[:RECEIVES_AT]->(place)
WHERE place.id = pair[1] AND (place:LiaisonStation OR place:CollectionPoint)
RETURN collect([pair[0], pair[1], []]) AS found
""",
    "attendances": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[:ATTENDED]->(:Activity {id: pair[1]})
RETURN collect([pair[0], pair[1], []]) AS found
""",
    "sponsorships": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[s:SPONSORED]->(:Proposal {id: pair[1]})
RETURN collect([pair[0], pair[1], [s.role]]) AS found
""",
    "addresses": """
UNWIND $pairs AS pair
MATCH (:Proposal {id: pair[0]})-[:ADDRESSES]->(:Issue {id: pair[1]})
RETURN collect([pair[0], pair[1], []]) AS found
""",
    "contributions": """
UNWIND $pairs AS pair
MATCH (:Deputy {id: pair[0]})-[c:CONTRIBUTED_TO]->(:Proposal {id: pair[1]})
RETURN collect([pair[0], pair[1], [c.note]]) AS found
""",
}

#: How many rows of each kind are stored (Neo4j answers from its count store, in O(1)): when
#: none are, the importer needs no stored-state lookups at all.
STORED_COUNT: dict[str, LiteralString] = {
    "areas": "MATCH (n:Area) RETURN count(n) AS n",
    "deputies": "MATCH (n:Deputy) RETURN count(n) AS n",
    "clusters": "MATCH (n:IndustryCluster) RETURN count(n) AS n",
    "chains": "MATCH (n:IndustryChain) RETURN count(n) AS n",
    "groups": "MATCH (n:Group) RETURN count(n) AS n",
    "observationPoints": "MATCH (n:ObservationPoint) RETURN count(n) AS n",
    "activities": "MATCH (n:Activity) RETURN count(n) AS n",
    "contacts": "MATCH ()-[r:CONTACTS]->() RETURN count(r) AS n",
    "memberships": "MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS n",
    "liaisons": "MATCH ()-[r:LIAISON_FOR]->() RETURN count(r) AS n",
    "chainWorkers": "MATCH ()-[r:WORKS_ON]->() RETURN count(r) AS n",
    "stations": "MATCH (n:LiaisonStation) RETURN count(n) AS n",
    "collectionPoints": "MATCH (n:CollectionPoint) RETURN count(n) AS n",
    "activityDays": "MATCH (n:Activity) RETURN count(n) AS n",
    "receptions": "MATCH ()-[r:RECEIVES_AT]->() RETURN count(r) AS n",
    "attendances": "MATCH ()-[r:ATTENDED]->() RETURN count(r) AS n",
    "departments": "MATCH (n:Department) RETURN count(n) AS n",
    "proposals": "MATCH (n:Proposal) RETURN count(n) AS n",
    "sponsorships": "MATCH ()-[r:SPONSORED]->() RETURN count(r) AS n",
    "addresses": "MATCH ()-[r:ADDRESSES]->() RETURN count(r) AS n",
    "contributions": "MATCH ()-[r:CONTRIBUTED_TO]->() RETURN count(r) AS n",
    "proposalHandlings": "MATCH (n:Proposal) WHERE n.assignedAt IS NOT NULL RETURN count(n) AS n",
}

#: The key columns of each relationship kind, in ``pair`` order.
EDGE_KEYS: dict[str, tuple[str, str]] = {
    "contacts": ("deputyId", "areaCode"),
    "memberships": ("deputyId", "groupId"),
    "liaisons": ("fromId", "toId"),
    "chainWorkers": ("deputyId", "chainId"),
    "receptions": ("deputyId", "placeId"),
    "attendances": ("deputyId", "activityId"),
    "sponsorships": ("deputyId", "proposalId"),
    "addresses": ("proposalId", "issueId"),
    "contributions": ("deputyId", "proposalId"),
}
NODE_KEYS: dict[str, str] = {kind: "id" for kind in NODE_STATE} | {
    "areas": "code",
    "proposalHandlings": "proposalId",
}

#: Rows the importer has just seen absent are CREATEd (cheaper than MERGE); every property the
#: upserts of the write path set is set here too, so the graph is the same either way. A row
#: that appeared meanwhile fails the uniqueness constraint and the batch is MERGEd instead
#: (contacts have no constraint: an import assumes no concurrent import of the same rows).
CREATE_NEW: dict[str, LiteralString] = {
    "areas": """
UNWIND $rows AS row
CREATE (a:Area {code: row.code})
SET a += row
WITH a, row WHERE row.parentCode IS NOT NULL
MATCH (p:Area {code: row.parentCode})
CREATE (a)-[:PART_OF]->(p)
""",
    "deputies": """
UNWIND $rows AS row
CREATE (d:Deputy {id: row.id})
SET d += row, d.status = coalesce(row.status, 'ACTIVE')
WITH d, row WHERE row.electedIn IS NOT NULL
MATCH (a:Area {code: row.electedIn})
CREATE (d)-[:ELECTED_IN]->(a)
""",
    "contacts": """
UNWIND $rows AS row
MATCH (d:Deputy {id: row.deputyId})
MATCH (a:Area {code: row.areaCode})
CREATE (d)-[:CONTACTS {basis: row.basis}]->(a)
""",
}

GROUP_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (g:Group {id: key})
RETURN collect(key) AS found
"""

STATION_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (s:LiaisonStation {id: key})
RETURN collect(key) AS found
"""

STATION_DAYS: LiteralString = """
UNWIND $keys AS key
MATCH (a:Activity {stationDay: key})
RETURN collect([key, a.id]) AS found
"""

ACTIVITY_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (a:Activity {id: key})
RETURN collect(key) AS found
"""

ISSUE_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (i:Issue {id: key})
RETURN collect(key) AS found
"""

PROPOSAL_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (p:Proposal {id: key})
RETURN collect(key) AS found
"""

DEPARTMENT_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (d:Department {id: key})
RETURN collect(key) AS found
"""

CHAIN_IDS: LiteralString = """
UNWIND $keys AS key
MATCH (c:IndustryChain {id: key})
RETURN collect(key) AS found
"""

AREA_KINDS: LiteralString = """
UNWIND $keys AS key
MATCH (a:Area {code: key})
RETURN collect([key, a.kind]) AS found
"""

DEPUTY_FACTS: LiteralString = """
UNWIND $keys AS key
MATCH (d:Deputy {id: key})
RETURN collect([key, d.level, d.electedIn]) AS found
"""

#: Keys per lookup statement (one round trip and one record each).
LOOKUP_BATCH = 20000


def stored_state(
    db: Database, kind: str, rows: Sequence[Mapping[str, Any]]
) -> dict[tuple[str, ...], list[Any]]:
    """The stored values (see :data:`STATE_FIELDS`) of the rows of ``kind`` that exist."""
    if kind in NODE_STATE:
        key = NODE_KEYS[kind]
        keys = [str(row[key]) for row in rows]
        return {
            (found[0],): [_plain(v) for v in found[1]]
            for found in _collected(db, NODE_STATE[kind], "keys", keys)
        }
    first, second = EDGE_KEYS[kind]
    pairs = [[str(row[first]), str(row[second])] for row in rows]
    return {
        (found[0], found[1]): [_plain(v) for v in found[2]]
        for found in _collected(db, EDGE_STATE[kind], "pairs", pairs)
    }


def stored_count(db: Database, kind: str) -> int:
    """How many rows of ``kind`` the database holds."""
    return int(db.execute(STORED_COUNT[kind])[0]["n"])


def _collected(
    db: Database, statement: LiteralString, name: str, keys: Sequence[Any]
) -> Iterator[Any]:
    """The items of a statement that returns ``collect(…) AS found``, in batches of keys."""
    for batch in chunks(keys, LOOKUP_BATCH):
        for record in db.execute(statement, {name: list(batch)}):
            yield from record["found"]


def _plain(value: Any) -> Any:
    return value.iso_format() if hasattr(value, "iso_format") else value


def area_kinds(db: Database, codes: Sequence[str]) -> dict[str, str]:
    """The kind of each of ``codes`` that exists (one record per batch of codes)."""
    return {code: kind for code, kind in _collected(db, AREA_KINDS, "keys", codes)}


def deputy_facts(db: Database, ids: Sequence[str]) -> dict[str, DeputyFacts]:
    """Level and constituency of each existing deputy among ``ids``."""
    return {
        key: DeputyFacts(level, elected_in)
        for key, level, elected_in in _collected(db, DEPUTY_FACTS, "keys", ids)
    }


#: The upserts of the write path for rows the importer has validated in full (references,
#: rules, against the file and the database): they skip the write path's second rule check,
#: which costs two lookups per contacts batch. Every other caller keeps the checked writers of
#: :mod:`graphcoord.services.dataset`.
UPSERT_VALIDATED: dict[str, LiteralString] = {
    "areas": UPSERT_AREAS,
    "deputies": UPSERT_DEPUTIES,
    "contacts": UPSERT_CONTACTS,
}


def upsert_validated(db: Database, kind: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """MERGE validated rows of ``kind`` (a key of :data:`UPSERT_VALIDATED`) in one batch."""
    db.write(UPSERT_VALIDATED[kind], {"rows": list(rows)})


def create_new(db: Database, kind: str, rows: Sequence[Mapping[str, Any]]) -> bool:
    """CREATE rows of ``kind`` known to be new; ``False`` (nothing written) if one exists."""
    try:
        db.write(CREATE_NEW[kind], {"rows": list(rows)})
    except ConstraintError:
        return False
    return True


def group_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, GROUP_IDS, "keys", ids))


def chain_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, CHAIN_IDS, "keys", ids))


def issue_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, ISSUE_IDS, "keys", ids))


def proposal_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, PROPOSAL_IDS, "keys", ids))


def department_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, DEPARTMENT_IDS, "keys", ids))


def station_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, STATION_IDS, "keys", ids))


def activity_ids(db: Database, ids: Sequence[str]) -> set[str]:
    return set(_collected(db, ACTIVITY_IDS, "keys", ids))


def station_days(db: Database, keys: Sequence[str]) -> dict[str, str]:
    """For each ``<station id>|<ISO date>`` a station holds an activity day on: that day's id."""
    return dict(_collected(db, STATION_DAYS, "keys", keys))


# -- import runs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRunRecord:
    id: str
    file: str
    file_hash: str
    kind: str
    status: str
    started_at: str
    finished_at: str | None
    created: int | None
    updated: int | None
    unchanged: int | None
    rejected: int | None
    error: str | None
    #: Batches written ahead and not yet settled nor undone (a killed or failed run's).
    undo_batches: int = 0


def _now() -> str:
    return datetime.now(UTC).isoformat()


def create_run(
    db: Database,
    run_id: str,
    *,
    file: str,
    file_hash: str,
    kind: str,
    dry_run: bool = False,
    allow_partial: bool = False,
) -> None:
    """Record that an import started (status RUNNING until :func:`finish_run`)."""
    db.write(
        CREATE_RUN,
        {
            "id": run_id,
            "file": file,
            "fileHash": file_hash,
            "kind": kind,
            "startedAt": _now(),
            "dryRun": dry_run,
            "allowPartial": allow_partial,
        },
    )


def finish_run(
    db: Database,
    run_id: str,
    *,
    status: str,
    totals: Mapping[str, int],
    counts: Mapping[str, Mapping[str, int]],
    error: str | None = None,
) -> None:
    db.write(
        FINISH_RUN,
        {
            "id": run_id,
            "status": status,
            "finishedAt": _now(),
            "created": totals.get("created", 0),
            "updated": totals.get("updated", 0),
            "unchanged": totals.get("unchanged", 0),
            "rejected": totals.get("rejected", 0),
            "counts": json.dumps(counts, ensure_ascii=False, sort_keys=True),
            "error": error,
        },
    )


def import_history(db: Database, limit: int = 20, skip: int = 0) -> list[ImportRunRecord]:
    """The latest import runs, newest first (``skip`` of them left out)."""
    return [
        ImportRunRecord(
            r["id"],
            r["file"],
            r["fileHash"],
            r["kind"],
            r["status"],
            r["startedAt"],
            r["finishedAt"],
            r["created"],
            r["updated"],
            r["unchanged"],
            r["rejected"],
            r["error"],
            r["undoBatches"],
        )
        for r in db.execute(HISTORY, {"limit": limit, "skip": skip})
    ]


def import_run_page(db: Database, skip: int, limit: int) -> tuple[int, list[ImportRunRecord]]:
    """How many import runs there are, and ``limit`` of them after the newest ``skip``."""
    return int(db.execute(RUN_COUNT)[0]["n"]), import_history(db, limit, skip)


# -- the LOAD CSV baseline (benchmarks) -----------------------------------------------------

#: ``LOAD CSV … CALL { MERGE … } IN TRANSACTIONS`` doing what the upserts of the write path do,
#: for the national generator's files (``$file`` is a ``file:///`` URL of the import folder).
BASELINE: dict[str, LiteralString] = {
    "areas": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (a:Area {code: row.code})
  SET a.name = row.name, a.kind = row.kind, a.parentCode = nullIf(row.parentCode, '')
  WITH a, row WHERE row.parentCode <> ''
  MATCH (p:Area {code: row.parentCode})
  MERGE (a)-[:PART_OF]->(p)
} IN TRANSACTIONS OF 5000 ROWS
""",
    "deputies": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (d:Deputy {id: row.id})
  SET d.name = row.name, d.level = row.level, d.gender = row.gender,
      d.occupation = row.occupation, d.workUnit = row.workUnit,
      d.sectors = split(row.sectors, ';'), d.phone = row.phone,
      d.status = coalesce(row.status, 'ACTIVE'), d.term = row.term,
      d.electedIn = row.electedIn, d.baseArea = row.baseArea
  WITH d, row
  MATCH (a:Area {code: row.electedIn})
  MERGE (d)-[:ELECTED_IN]->(a)
} IN TRANSACTIONS OF 5000 ROWS
""",
    "contacts": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (d:Deputy {id: row.deputyId})
  MATCH (a:Area {code: row.areaCode})
  MERGE (d)-[c:CONTACTS]->(a)
  SET c.basis = row.basis
} IN TRANSACTIONS OF 5000 ROWS
""",
}

CLEAR_LABEL: LiteralString = """
MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""


def clear_baseline_labels(db: Database, labels: Sequence[str]) -> None:
    """Delete every node with one of ``labels`` (benchmarks wipe between runs)."""
    db.run_autocommit(CLEAR_LABEL, {"labels": list(labels)})


# -- fingerprint ----------------------------------------------------------------------------

FINGERPRINT_NODES: LiteralString = """
MATCH (n) WHERE NOT n:ImportRun AND NOT n:GraphVersion AND NOT n:AuditEvent
WITH n ORDER BY elementId(n)
RETURN labels(n) AS labels, properties(n) AS props
"""

FINGERPRINT_EDGES: LiteralString = """
MATCH (a)-[r]->(b) WHERE NOT a:ImportRun AND NOT b:ImportRun
  AND NOT a:AuditEvent AND NOT b:AuditEvent
RETURN labels(a)[0] AS fromLabel, coalesce(a.id, a.code) AS fromKey, type(r) AS type,
       properties(r) AS props, labels(b)[0] AS toLabel, coalesce(b.id, b.code) AS toKey
"""


def fingerprint(db: Database) -> tuple[list[str], list[str]]:
    """Every node and relationship (bookkeeping excluded: import runs, graph versions, the
    audit trail) as sorted canonical strings.

    Two graphs with equal fingerprints hold the same nodes, relationships and properties.
    """

    def canon(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)

    nodes = sorted(canon([sorted(r["labels"]), r["props"]]) for r in db.execute(FINGERPRINT_NODES))
    edges = sorted(
        canon([r["fromLabel"], r["fromKey"], r["type"], r["props"], r["toLabel"], r["toKey"]])
        for r in db.execute(FINGERPRINT_EDGES)
    )
    return nodes, edges
