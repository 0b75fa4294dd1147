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

from benchmarks.import_national import KINDS, generate
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
