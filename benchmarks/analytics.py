"""Analytics benchmarks (issue 5): national coverage + gaps, and escalation paths at city size.

``python benchmarks/run.py analytics [-- --scale 1.0 --pairs 300]``, or directly
``python benchmarks/analytics.py --scale 0.1``. Each part starts its own Neo4j:

* **escalation** (Suqian, 1,440 villages, 7,684 deputies): p50/p95 of ``analysis.escalate``
  over village -> level pairs, the first call cold (projection + hop graph) then warm (cache
  hit: one version check + the search), and the pure search alone;
* **national**: the ``national`` generator's rows streamed through the write path
  (``write_kind`` in batches), then ``analysis.coverage`` end to end from a cold cache
  (version check + projection + report), the projection and the report alone, ``gaps`` warm,
  the peak RSS, and a baseline: the same covered and per-level counts as one Cypher aggregate
  on the same server.

Figures go to ``benchmarks/RESULTS.md`` under "Analytics (issue 5)".
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

import networkx as nx

from benchmarks.common import (
    benchmark_database,
    peak_rss_mb,
    percentiles,
    record,
)
from graphcoord import analysis
from graphcoord import analytics as an
from graphcoord.db import Database
from graphcoord.errors import NoPath
from graphcoord.queries import projection as proj
from graphcoord.queries.dataset import write_kind
from graphcoord.queries.meta import bump_version

SECTION = "Analytics (issue 5)"
LEVELS = ("TOWNSHIP", "COUNTY", "CITY", "PROVINCIAL", "NATIONAL")

BASELINE = """
MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY']
WITH v, COLLECT { MATCH (d:Deputy)-[:CONTACTS]->(v) WHERE d.status <> 'LEFT'
                  RETURN DISTINCT d.level } AS levels
RETURN count(v) AS villages,
       sum(CASE WHEN size(levels) > 0 THEN 1 ELSE 0 END) AS covered,
       sum(CASE WHEN 'NATIONAL' IN levels THEN 1 ELSE 0 END) AS national,
       sum(CASE WHEN 'PROVINCIAL' IN levels THEN 1 ELSE 0 END) AS provincial,
       sum(CASE WHEN 'CITY' IN levels THEN 1 ELSE 0 END) AS city,
       sum(CASE WHEN 'COUNTY' IN levels THEN 1 ELSE 0 END) AS county,
       sum(CASE WHEN 'TOWNSHIP' IN levels THEN 1 ELSE 0 END) AS township
"""


def backend() -> str:
    """The NetworkX backends installed (dispatch targets), or "none"."""
    from networkx.utils.backends import backends

    found = sorted(name for name in backends if name != "networkx")
    return ", ".join(found) if found else f"none (NetworkX {nx.__version__}, pure Python)"


def driver_extension() -> str:
    try:
        import neo4j._codec.packstream._rust  # noqa: F401
    except ImportError:
        return "pure-Python packstream"
    return "neo4j-rust-ext packstream"


def clock() -> float:
    return time.perf_counter()


def escalation(pairs: int, seed: int) -> list[str]:
    from graphcoord.cli.seed import load_seed

    with benchmark_database(heap="1g", pagecache="512m") as (_, db):
        started = clock()
        load_seed(db, "suqian", quiet=True)
        load_s = clock() - started
        villages = [
            r["code"]
            for r in db.execute(
                "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] "
                "RETURN v.code AS code ORDER BY code"
            )
        ]
        rng = random.Random(seed)
        questions = [(rng.choice(villages), rng.choice(LEVELS)) for _ in range(pairs)]
        proj.cache.clear()
        started = clock()
        analysis.escalate(db, village_code=questions[0][0], level=questions[0][1], k=3)
        cold = clock() - started
        warm: list[float] = []
        search: list[float] = []
        no_path = 0
        G, H = proj.get_hop_graph(db)
        for village, level in questions:
            started = clock()
            try:
                analysis.escalate(db, village_code=village, level=level, k=3)
            except NoPath:
                no_path += 1
            warm.append(clock() - started)
            started = clock()
            with contextlib.suppress(an.NoEscalationPath):
                an.escalation_paths(G, village_code=village, target_level=level, k=3, hop_graph=H)
            search.append(clock() - started)
        w, s = percentiles(warm), percentiles(search)
        return [
            "### Escalation paths, Suqian (1,440 villages, 7,684 deputies)",
            "",
            f"Seeded in {load_s:.1f} s. {pairs} random village -> level pairs (levels uniform over "
            f"the five, k = 3, seed {seed}); {no_path} had no path.",
            "",
            "| measure | p50 | p95 | mean |",
            "| --- | --- | --- | --- |",
            f"| cold first call (projection + hop graph + search) | {cold * 1000:.0f} ms | | |",
            f"| warm `analysis.escalate` (version check + search) | {w['p50']:.1f} ms | "
            f"{w['p95']:.1f} ms | {w['mean']:.1f} ms |",
            f"| pure search (`escalation_paths` with the hop graph) | {s['p50']:.1f} ms | "
            f"{s['p95']:.1f} ms | {s['mean']:.1f} ms |",
            "",
            f"Target p50 < 50 ms warm: {'met' if w['p50'] < 50 else 'NOT met'}. Hop graph: "
            f"{H.number_of_nodes():,} nodes, {H.number_of_edges():,} arcs.",
            "",
        ]


def _batches(
    rows: Iterator[tuple[str, dict[str, Any]]], size: int
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Group the generator's (kind, row) stream into runs of one kind, at most ``size`` long."""
    kind: str | None = None
    batch: list[dict[str, Any]] = []
    for row_kind, row in rows:
        if row_kind != kind or len(batch) >= size:
            if batch and kind is not None:
                yield kind, batch
            kind, batch = row_kind, []
        batch.append(row)
    if batch and kind is not None:
        yield kind, batch


def load_national(
    db: Database, scale: float, provinces: list[str] | None
) -> tuple[dict[str, int], float]:
    from graphcoord.seeding.national import iter_national

    written: dict[str, int] = {}
    started = clock()
    # areas come township by township, parents first; deputies before their contacts
    pending: dict[str, list[dict[str, Any]]] = {"areas": [], "deputies": [], "contacts": []}
    for kind, batch in _batches(iter_national(scale, provinces=provinces), 20_000):
        pending[kind].extend(batch)
        if sum(len(rows) for rows in pending.values()) >= 50_000:
            for k in ("areas", "deputies", "contacts"):
                written[k] = written.get(k, 0) + write_kind(db, k, pending[k], batch_size=10_000)
                pending[k] = []
    for k in ("areas", "deputies", "contacts"):
        written[k] = written.get(k, 0) + write_kind(db, k, pending[k], batch_size=10_000)
    bump_version(db)
    return written, clock() - started


def national(scale: float, provinces: list[str] | None) -> list[str]:
    with benchmark_database(heap="6g", pagecache="3g") as (_, db):
        written, load_s = load_national(db, scale, provinces)
        rows = sum(written.values())
        db.execute(BASELINE)  # warm the page cache for both sides alike
        rss_before = peak_rss_mb()
        proj.cache.clear()
        gc.collect()
        started = clock()
        report = analysis.coverage(db)
        end_to_end = clock() - started
        peak = peak_rss_mb()
        started = clock()
        gaps = analysis.gaps(db)
        gaps_warm = clock() - started
        G = proj.get_projection(db)
        started = clock()
        an.coverage_report(G)
        pure = clock() - started
        del G
        proj.cache.clear()
        gc.collect()
        started = clock()
        G = proj.project(db, None, proj.COVERAGE)
        projection_s = clock() - started
        nodes, edges = G.number_of_nodes(), G.number_of_edges()
        del G
        proj.cache.clear()
        gc.collect()
        started = clock()
        analysis.coverage(db)
        again = clock() - started
        started = clock()
        base = db.execute(BASELINE)[0]
        baseline_s = clock() - started
        per_level = {item.level.lower(): item.covered_count for item in report.by_level}
        agrees = base["covered"] == report.covered_count and all(
            base[level] == count for level, count in per_level.items()
        )
        where = f"provinces {', '.join(provinces)}" if provinces else "all provinces"
        return [
            f"### National coverage + gaps (scale {scale:g}, {where})",
            "",
            f"Loaded {rows:,} rows ({written}) through `write_kind` in {load_s:.0f} s "
            f"({rows / load_s:,.0f} rows/s). Projection: {nodes:,} nodes, {edges:,} edges; "
            f"{report.village_count:,} villages, {report.covered_count:,} covered, "
            f"{len(report.fragile):,} fragile, {report.load.deputy_count:,} deputies counted.",
            "",
            "| measure | time |",
            "| --- | --- |",
            f"| `analysis.coverage` end to end, cold cache (version + projection + report) | "
            f"{end_to_end:.2f} s |",
            f"| the same again, cache cleared (server's plans and JIT warm) | {again:.2f} s |",
            f"| projection alone (`project`: areas + deputies + contacts) | {projection_s:.2f} s |",
            f"| `coverage_report` alone on the projected graph | {pure:.2f} s |",
            f"| `analysis.gaps` warm (cached projection) | {gaps_warm:.2f} s "
            f"({len(gaps.uncovered):,} uncovered) |",
            f"| baseline: covered + per-level counts as one Cypher aggregate | {baseline_s:.2f} s |",
            "",
            f"End to end / baseline = {end_to_end / baseline_s:.1f}x (the baseline gives only the "
            f"counts; the report adds fragile, own-constituency and load/Gini). Counts agree with "
            f"the baseline: {'yes' if agrees else 'NO'}. Target < 10 s: "
            f"{'met' if again < 10 else 'NOT met'} (warm server). Peak RSS of the Python process "
            f"{peak:,.0f} MB ({rss_before:,.0f} MB before the analysis, after streaming the load).",
            "",
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="national deputies scale")
    parser.add_argument("--provinces", nargs="*", help="2-digit province codes (default: all)")
    parser.add_argument("--pairs", type=int, default=300, help="escalation questions")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-escalation", action="store_true")
    args = parser.parse_args(argv)
    lines = [
        f"NetworkX backend: {backend()}; Neo4j driver: {driver_extension()}.",
        "",
    ]
    if not args.skip_escalation:
        lines += escalation(args.pairs, args.seed)
        print("\n".join(lines))
    if not args.skip_national:
        lines += national(args.scale, args.provinces)
    print("\n".join(lines))
    record(SECTION, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
