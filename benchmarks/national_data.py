"""The national roll in a benchmark's Neo4j, loaded once with LOAD CSV and reused.

Loading 6.2 M rows through the Python write path takes over an hour on a small machine; the
analytics benchmarks measure reading and analysing, not loading, so they load the generator's
CSVs server-side (the same ``LOAD CSV`` statements the import benchmark uses as its baseline)
and mark the store with the scale, so that a persistent benchmark store is loaded only once.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import LiteralString

from benchmarks.import_national import KINDS, _lines, generate
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.queries.imports import BASELINE

MARK: LiteralString = "MATCH (m:BenchmarkData {name: 'national'}) RETURN m.scale AS scale"
SET_MARK: LiteralString = "MERGE (m:BenchmarkData {name: 'national'}) SET m.scale = $scale"


def loaded_scale(db: Database) -> float | None:
    records = db.execute(MARK)
    return float(records[0]["scale"]) if records else None


def load_national_csv(
    settings: Settings, db: Database, scale: float, data: Path
) -> tuple[dict[str, int], float]:
    """Generate (or reuse) the CSVs at ``scale`` in ``data`` and LOAD CSV them unless loaded.

    Returns the rows per kind and the load seconds (0 when the store already held them).
    """
    rows = generate(data, scale)
    if loaded_scale(db) == scale:
        return rows, 0.0
    if loaded_scale(db) is not None:
        raise SystemExit(
            f"{settings.state_dir} holds another scale of the national roll; use another --state"
        )
    import_dir = settings.state_dir / "import"
    import_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for kind in KINDS:
        shutil.copy(data / f"{kind}.csv", import_dir / f"{kind}.csv")
        print(f"LOAD CSV {kind} …", flush=True)
        db.run_autocommit(BASELINE[kind], {"file": f"file:///{kind}.csv"})
        (import_dir / f"{kind}.csv").unlink()
    db.write(SET_MARK, {"scale": scale})
    return rows, time.perf_counter() - started


#: LOAD CSV of the link files of :mod:`graphcoord.seeding.national_links`.
LINK_LOADS: dict[str, LiteralString] = {
    "liaisons": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (u:Deputy {id: row.fromId}) MATCH (l:Deputy {id: row.toId})
  MERGE (u)-[:LIAISON_FOR]->(l)
} IN TRANSACTIONS OF 10000 ROWS
""",
    "groups": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (g:Group {id: row.id}) SET g.name = row.name, g.kind = row.kind, g.areaCode = row.areaCode
  WITH g, row MATCH (a:Area {code: row.areaCode}) MERGE (g)-[:LOCATED_IN]->(a)
} IN TRANSACTIONS OF 10000 ROWS
""",
    "memberships": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (d:Deputy {id: row.deputyId}) MATCH (g:Group {id: row.groupId})
  MERGE (d)-[m:MEMBER_OF]->(g) SET m.role = row.role
} IN TRANSACTIONS OF 10000 ROWS
""",
    "clusters": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) { MERGE (k:IndustryCluster {id: row.id}) SET k.name = row.name }
IN TRANSACTIONS OF 10000 ROWS
""",
    "chains": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (c:IndustryChain {id: row.id}) SET c.name = row.name
  WITH c, row MATCH (k:IndustryCluster {id: row.clusterId}) MERGE (c)-[:IN_CLUSTER]->(k)
} IN TRANSACTIONS OF 10000 ROWS
""",
    "chain_workers": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (d:Deputy {id: row.deputyId}) MATCH (c:IndustryChain {id: row.chainId})
  MERGE (d)-[:WORKS_ON]->(c)
} IN TRANSACTIONS OF 10000 ROWS
""",
    "issues": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MERGE (i:Issue {id: row.id})
  SET i.title = row.title, i.category = row.category, i.channel = row.channel,
      i.status = row.status, i.createdAt = datetime(row.createdAt), i.areaCode = row.areaCode
  WITH i, row MATCH (a:Area {code: row.areaCode}) MERGE (i)-[:RAISED_IN]->(a)
} IN TRANSACTIONS OF 10000 ROWS
""",
    "trackers": """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (d:Deputy {id: row.deputyId}) MATCH (i:Issue {id: row.issueId})
  MERGE (d)-[:TRACKS]->(i)
} IN TRANSACTIONS OF 10000 ROWS
""",
}
LINKS_MARK: LiteralString = (
    "MATCH (m:BenchmarkData {name: 'national'}) RETURN coalesce(m.links, false) AS links"
)
SET_LINKS_MARK: LiteralString = "MATCH (m:BenchmarkData {name: 'national'}) SET m.links = true"


def load_national_links(
    settings: Settings, db: Database, data: Path
) -> tuple[dict[str, int], float]:
    """Write (or reuse) the link files of the national roll in ``data`` -- liaisons, groups,
    chains, issues -- and LOAD CSV them unless loaded; rows per kind and the load seconds."""
    from graphcoord.seeding.national_links import LINK_HEADERS, write_national_links

    marker = data / "links.txt"
    if not marker.exists():
        print(f"generating the national links in {data} …", flush=True)
        write_national_links(data)
        marker.write_text("done")
    rows = {kind: _lines(data / f"{kind}.csv") - 1 for kind in LINK_HEADERS}
    if db.execute(LINKS_MARK)[0]["links"]:
        return rows, 0.0
    import_dir = settings.state_dir / "import"
    import_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for kind in LINK_HEADERS:
        shutil.copy(data / f"{kind}.csv", import_dir / f"{kind}.csv")
        print(f"LOAD CSV {kind} …", flush=True)
        db.run_autocommit(LINK_LOADS[kind], {"file": f"file:///{kind}.csv"})
        (import_dir / f"{kind}.csv").unlink()
    db.write(SET_LINKS_MARK)
    return rows, time.perf_counter() - started
