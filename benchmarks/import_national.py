"""The roster importer on the national generator's files against ``LOAD CSV`` on one server.

For each kind (areas, deputies, contacts) in dependency order: a warm-up load of the CSV with
``LOAD CSV WITH HEADERS … CALL (row) { MERGE … } IN TRANSACTIONS OF 5000 ROWS``, deleted again
(so neither contender pays alone for the server's first compilations and for growing its store
files); then ``graphcoord import FILE --kind K`` as a subprocess (its wall time,
validation/write split and peak RSS are measured); then what it wrote is deleted and the
measured ``LOAD CSV`` loads the same file on the same server, from the same graph.

Usage: ``python benchmarks/import_national.py --scale 0.1 [--record]`` (``--scale 1.0`` is the
whole roll: 2.76 M deputies; areas are always all 665k divisions).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, LiteralString

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.common import benchmark_database, record  # noqa: E402
from graphcoord.config import Settings  # noqa: E402
from graphcoord.db import Database  # noqa: E402
from graphcoord.queries.imports import BASELINE, clear_baseline_labels  # noqa: E402

KINDS = ("areas", "deputies", "contacts")
LABELS = {"areas": "Area", "deputies": "Deputy"}
CLEAR_CONTACTS: LiteralString = (
    "MATCH (:Deputy)-[c:CONTACTS]->(:Area) CALL (c) { DELETE c } IN TRANSACTIONS OF 20000 ROWS"
)


def generate(out: Path, scale: float) -> dict[str, int]:
    """The national CSVs at ``scale`` (reused when already generated at that scale)."""
    marker = out / "scale.txt"
    if not (marker.exists() and marker.read_text().strip() == str(scale)):
        from graphcoord.seeding.national import write_national

        print(f"generating the national roll at scale {scale} in {out} …", flush=True)
        write_national(out, scale=scale)
        marker.write_text(str(scale))
    return {kind: _lines(out / f"{kind}.csv") - 1 for kind in KINDS}


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRAPHCOORD_"))}
    env.update(
        GRAPHCOORD_STATE_DIR=str(settings.state_dir),
        GRAPHCOORD_BOLT_PORT=str(settings.bolt_port),
        GRAPHCOORD_JWT_SECRET=settings.signing_secret,
    )
    if not settings.is_local:
        env.update(NEO4J_URI=settings.uri, NEO4J_PASSWORD=settings.password)
    return env


def run_importer(settings: Settings, path: Path, kind: str, batch: int) -> dict[str, Any]:
    """``graphcoord import`` in a subprocess: wall seconds, its report and its peak RSS."""
    command = [
        sys.executable,
        "-m",
        "graphcoord",
        "import",
        str(path),
        "--kind",
        kind,
        "--batch-size",
        str(batch),
        "--json",
    ]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=_env(settings), stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        text, error = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"import of {path} failed ({process.returncode}): {error[-2000:]}")
    report = json.loads(text)
    return {"seconds": seconds, "report": report, "rss_mb": usage.ru_maxrss / 1024}


#: The strongest server-side peer for a fresh load: LOAD CSV with CREATE (no MERGE's look-up) in
#: two concurrent transactions (the importer's two in flight), nodes first and then their
#: relationships (a node created in one transaction is not seen by the other meanwhile).
CONCURRENT: dict[str, tuple[LiteralString, ...]] = {
    "areas": (
        """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  CREATE (:Area {code: row.code, name: row.name, kind: row.kind,
                 parentCode: nullIf(row.parentCode, '')})
} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS
""",
        """
LOAD CSV WITH HEADERS FROM $file AS row
WITH row WHERE row.parentCode <> ''
CALL (row) {
  MATCH (a:Area {code: row.code}) MATCH (p:Area {code: row.parentCode})
  CREATE (a)-[:PART_OF]->(p)
} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS
""",
    ),
    "deputies": (
        """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  CREATE (:Deputy {id: row.id, name: row.name, level: row.level, gender: row.gender,
                   occupation: row.occupation, workUnit: row.workUnit,
                   sectors: split(row.sectors, ';'), phone: row.phone,
                   status: coalesce(row.status, 'ACTIVE'), term: row.term,
                   electedIn: row.electedIn, baseArea: row.baseArea})
} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS
""",
        """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (d:Deputy {id: row.id}) MATCH (a:Area {code: row.electedIn})
  CREATE (d)-[:ELECTED_IN]->(a)
} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS
""",
    ),
    "contacts": (
        """
LOAD CSV WITH HEADERS FROM $file AS row
CALL (row) {
  MATCH (d:Deputy {id: row.deputyId}) MATCH (a:Area {code: row.areaCode})
  CREATE (d)-[:CONTACTS {basis: row.basis}]->(a)
} IN 2 CONCURRENT TRANSACTIONS OF 5000 ROWS
""",
    ),
}


def run_concurrent(db: Database, kind: str) -> float:
    started = time.perf_counter()
    for statement in CONCURRENT[kind]:
        db.run_autocommit(statement, {"file": f"file:///{kind}.csv"})
    return time.perf_counter() - started


def run_initial(data: Path, heap: str, pagecache: str) -> dict[str, Any]:
    """``graphcoord import --initial`` of the three files into an empty store of its own: wall
    seconds (validation, the admin tool, restart, indexes), its phases and peak RSS (the
    Python process and, waited for inside it, the tool's JVM)."""
    with (
        tempfile.TemporaryDirectory(prefix="graphcoord-roll-") as folder,
        benchmark_database(heap, pagecache) as (settings, _),
    ):
        roll = Path(folder)
        for kind in KINDS:
            os.link(data / f"{kind}.csv", roll / f"{kind}.csv")
        command = [sys.executable, "-m", "graphcoord", "import", "--initial", str(roll), "--json"]
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, env=_env(settings), stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            text, error = out.read().decode(), err.read().decode()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"import --initial failed: {error[-2000:]}")
        report = json.loads(text)
    return {"seconds": seconds, "phases": report["seconds"], "rss_mb": usage.ru_maxrss / 1024}


def run_baseline(db: Database, kind: str) -> float:
    started = time.perf_counter()
    db.run_autocommit(BASELINE[kind], {"file": f"file:///{kind}.csv"})
    return time.perf_counter() - started


def clear(db: Database, kind: str) -> None:
    if kind == "contacts":
        db.run_autocommit(CLEAR_CONTACTS)
    else:
        clear_baseline_labels(db, [LABELS[kind]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="fraction of the national roll")
    parser.add_argument("--data", type=Path, default=None, help="folder of the generated CSVs")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="3g")
    parser.add_argument("--skip-initial", action="store_true", help="leave out `import --initial`")
    parser.add_argument(
        "--record", action="store_true", help="record the run (RESULTS.md, history.jsonl)"
    )
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.gettempdir()) / f"graphcoord-national-{args.scale}"
    rows = generate(data, args.scale)
    print(f"rows: {rows}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    with benchmark_database(args.heap, args.pagecache) as (settings, db):
        import_dir = settings.state_dir / "import"
        import_dir.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            shutil.copy(data / f"{kind}.csv", import_dir / f"{kind}.csv")
        for kind in KINDS:
            print(f"{kind}: warm-up LOAD CSV …", flush=True)
            warm_up = run_baseline(db, kind)
            clear(db, kind)
            print(f"{kind}: importer …", flush=True)
            mine = run_importer(settings, data / f"{kind}.csv", kind, args.batch_size)
            counts = mine["report"]["counts"][kind]
            assert counts["created"] == rows[kind], counts
            clear(db, kind)
            print(f"{kind}: LOAD CSV …", flush=True)
            baseline = run_baseline(db, kind)
            clear(db, kind)
            print(f"{kind}: LOAD CSV CREATE in 2 concurrent transactions …", flush=True)
            # The same graph as the MERGE load's: the next kind's rows find this one's.
            concurrent = run_concurrent(db, kind)
            results[kind] = {
                **mine,
                "baseline": baseline,
                "concurrent": concurrent,
                "warm_up": warm_up,
            }
            print(
                f"{kind}: {rows[kind]:,} rows; importer {mine['seconds']:.1f} s "
                f"(validate {mine['report']['validateSeconds']:.1f} s, write "
                f"{mine['report']['writeSeconds']:.1f} s, peak RSS {mine['rss_mb']:.0f} MB); "
                f"LOAD CSV {baseline:.1f} s (warm-up {warm_up:.1f} s)",
                flush=True,
            )
    initial: dict[str, Any] | None = None
    if not args.skip_initial:
        print("all: import --initial into an empty store …", flush=True)
        initial = run_initial(data, args.heap, args.pagecache)
        print(f"import --initial: {initial['seconds']:.1f} s {initial['phases']}", flush=True)
    lines = [
        f"Scale {args.scale} of the national roll (`graphcoord seed national --scale "
        f"{args.scale}`), batch size {args.batch_size}, Neo4j heap {args.heap} / page cache "
        f"{args.pagecache}, every constraint and index of graphcoord present for all. Per kind, "
        "on one server from the same graph: a warm-up LOAD CSV (deleted again), the importer "
        "(the whole `graphcoord import` process: validation with the new rows written ahead, "
        "then the rest written and the undo records settled), LOAD CSV … CALL { MERGE … } IN "
        "TRANSACTIONS OF 5000 ROWS (serial), and LOAD CSV … CALL { CREATE … } IN 2 CONCURRENT "
        "TRANSACTIONS OF 5000 ROWS (nodes, then their relationships). `import --initial`: the "
        "three files into an empty store of its own (same heap and page cache; validation, "
        "neo4j-admin import, restart, constraints and indexes online). Goals: importer ≥ 1.0× "
        "the concurrent CREATE, the initial load ≥ 3×.",
        "",
        "| kind | rows | importer rows/s | (validate + write ahead s / rest s) | LOAD CSV MERGE "
        "rows/s | LOAD CSV CREATE ×2 rows/s | importer ÷ CREATE ×2 | importer peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    figures: dict[str, Any] = {"kinds": {}}
    for kind, result in results.items():
        n = rows[kind]
        mine_rate = n / result["seconds"]
        base_rate = n / result["baseline"]
        conc_rate = n / result["concurrent"]
        report = result["report"]
        figures["kinds"][kind] = {
            "rows": n,
            "importer_s": result["seconds"],
            "importer_rows_per_s": mine_rate,
            "validate_and_write_ahead_s": report["validateSeconds"],
            "rest_s": report["writeSeconds"],
            "load_csv_s": result["baseline"],
            "load_csv_rows_per_s": base_rate,
            "load_csv_warm_up_s": result["warm_up"],
            "concurrent_create_s": result["concurrent"],
            "concurrent_create_rows_per_s": conc_rate,
            "ratio": mine_rate / base_rate,
            "ratio_concurrent": mine_rate / conc_rate,
            "importer_peak_rss_mb": result["rss_mb"],
        }
        lines.append(
            f"| {kind} | {n:,} | {mine_rate:,.0f} | {report['validateSeconds']:.0f} / "
            f"{report['writeSeconds']:.0f} | {base_rate:,.0f} | {conc_rate:,.0f} | "
            f"{mine_rate / conc_rate:.2f}× | {result['rss_mb']:.0f} MB |"
        )
    total = sum(rows.values())
    mine_total = sum(r["seconds"] for r in results.values())
    base_total = sum(r["baseline"] for r in results.values())
    conc_total = sum(r["concurrent"] for r in results.values())
    lines.append(
        f"| all | {total:,} | {total / mine_total:,.0f} | | {total / base_total:,.0f} | "
        f"{total / conc_total:,.0f} | {conc_total / mine_total:.2f}× | "
        f"{max(r['rss_mb'] for r in results.values()):.0f} MB |"
    )
    figures["all"] = {
        "rows": total,
        "importer_s": mine_total,
        "importer_rows_per_s": total / mine_total,
        "load_csv_s": base_total,
        "load_csv_rows_per_s": total / base_total,
        "concurrent_create_s": conc_total,
        "concurrent_create_rows_per_s": total / conc_total,
        "ratio": base_total / mine_total,
        "ratio_concurrent": conc_total / mine_total,
        "importer_peak_rss_mb": max(r["rss_mb"] for r in results.values()),
    }
    if initial is not None:
        figures["initial"] = {
            "rows": total,
            "seconds": initial["seconds"],
            "rows_per_s": total / initial["seconds"],
            "phases_s": initial["phases"],
            "ratio_concurrent": conc_total / initial["seconds"],
            "peak_rss_mb": initial["rss_mb"],
        }
        phases = ", ".join(f"{name} {sec:.0f} s" for name, sec in initial["phases"].items())
        lines.append(
            f"| `import --initial` (all) | {total:,} | {total / initial['seconds']:,.0f} | "
            f"{phases} | | | {conc_total / initial['seconds']:.2f}× | "
            f"{initial['rss_mb']:.0f} MB |"
        )
    print("\n".join(lines))
    if args.record:
        run_settings = {
            "scale": args.scale,
            "batch_size": args.batch_size,
            "heap": args.heap,
            "pagecache": args.pagecache,
        }
        record("Import (issue 7)", lines, figures, run_settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
