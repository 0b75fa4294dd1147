"""Analytics benchmarks (issue 5): national coverage + gaps, and escalation paths at city size.

``python benchmarks/run.py analytics [-- --scale 1.0 --pairs 300]``, or directly
``python benchmarks/analytics.py --scale 0.1``. Each part starts its own Neo4j:

* **escalation** (Suqian, 1,440 villages, 7,684 deputies): p50/p95 of ``analysis.escalate``
  over village -> level pairs, the first call cold (projection + hop graph) then warm (cache
  hit: one version check + the search), and the pure search alone;
* **national**: the ``national`` generator's CSVs (default size: 665k areas, 2.76 M deputies,
  2.84 M contacts) loaded server-side with LOAD CSV (once, when ``--state`` keeps the store),
  then ``analysis.coverage`` end to end with the cache cleared (version check + summary
  projection + report), the projection and the report alone, warm calls, ``gaps``, the peak
  RSS, and a baseline: the same covered and per-level counts as one Cypher aggregate on the
  same server.

The current figures go to ``benchmarks/RESULTS.md`` under "Analytics (issue 5)", every run to
``benchmarks/history.jsonl``.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
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
from benchmarks.national_data import load_national_csv
from graphcoord import analytics as an
from graphcoord.errors import NoPath
from graphcoord.services import analysis
from graphcoord.services import projections as proj

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
    from neo4j._codec.packstream import v1

    if getattr(v1, "_rust_unpack", None) is None:
        return "pure-Python packstream"
    return "neo4j-rust-ext packstream"


def clock() -> float:
    return time.perf_counter()


def escalation(pairs: int, seed: int) -> tuple[list[str], dict[str, Any]]:
    from graphcoord.services.seeds import load_seed

    with benchmark_database(heap="1g", pagecache="512m") as (_, db):
        started = clock()
        load_seed(db, "suqian")
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
        figures = {
            "seed_load_s": load_s,
            "no_path": no_path,
            "cold_ms": cold * 1000,
            "warm_ms": w,
            "search_ms": s,
            "hop_graph_nodes": H.number_of_nodes(),
            "hop_graph_arcs": H.number_of_edges(),
        }
        return [
            "### Escalation paths, Suqian (1,440 villages, 7,684 deputies)",
            "",
            f"Seeded in {load_s:.1f} s; Neo4j heap 1g / page cache 512m. {pairs} random village "
            f"-> level pairs (levels uniform over the five, k = 3, seed {seed}); {no_path} had no "
            "path.",
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
        ], figures


def national(
    scale: float, state: Path | None, data: Path, repeat: int
) -> tuple[list[str], dict[str, Any]]:
    with benchmark_database(heap="6g", pagecache="4g", state=state) as (settings, db):
        rows, load_s = load_national_csv(settings, db, scale, data)
        db.execute(BASELINE)  # warm the page cache for both sides alike
        rss_before = peak_rss_mb()
        cold: list[float] = []
        for _ in range(repeat):
            proj.cache.clear()
            gc.collect()
            started = clock()
            report = analysis.coverage(db)
            cold.append(clock() - started)
        peak = peak_rss_mb()
        started = clock()
        analysis.coverage(db)
        warm = clock() - started
        started = clock()
        gaps = analysis.gaps(db)
        gaps_warm = clock() - started
        proj.cache.clear()
        gc.collect()
        started = clock()
        S = proj.project(db, None, proj.SUMMARY)
        projection_s = clock() - started
        started = clock()
        an.coverage_report(S)
        pure = clock() - started
        del S
        started = clock()
        base = db.execute(BASELINE)[0]
        baseline_s = clock() - started
        per_level = {item.level.lower(): item.covered_count for item in report.by_level}
        agrees = base["covered"] == report.covered_count and all(
            base[level] == count for level, count in per_level.items()
        )
        c = percentiles(cold)
        loaded = (
            f"loaded with LOAD CSV in {load_s:.0f} s"
            if load_s
            else "already in the benchmark store (loaded earlier with LOAD CSV)"
        )
        verdict = "met" if c["p50"] < 10_000 else "NOT met"
        figures = {
            "rows": rows,
            "load_csv_s": load_s or None,
            "villages": report.village_count,
            "covered": report.covered_count,
            "fragile": len(report.fragile),
            "without_own_constituency": len(report.without_own_constituency_deputy),
            "deputies_counted": report.load.deputy_count,
            "gini": report.load.gini,
            "coverage_cold_s": {"p50": c["p50"] / 1000, "max": max(cold)},
            "projection_s": projection_s,
            "report_s": pure,
            "coverage_warm_s": warm,
            "gaps_warm_s": gaps_warm,
            "gaps_listed": len(gaps.fragile) + len(gaps.uncovered),
            "baseline_s": baseline_s,
            "ratio_to_baseline": c["p50"] / 1000 / baseline_s,
            "counts_agree": agrees,
            "peak_rss_mb": peak,
            "rss_before_mb": rss_before,
        }
        counted = ", ".join(f"{kind} {count:,}" for kind, count in rows.items())
        return [
            f"### National coverage + gaps (scale {scale:g}: the `national` generator's default size)",
            "",
            f"{sum(rows.values()):,} rows ({counted}), {loaded}; Neo4j heap 6g / page cache 4g. "
            f"{report.village_count:,} villages, {report.covered_count:,} covered, "
            f"{len(report.fragile):,} fragile, {len(report.without_own_constituency_deputy):,} "
            f"without an own-constituency deputy, {report.load.deputy_count:,} deputies counted "
            f"(Gini {report.load.gini:.3f}).",
            "",
            "| measure | time |",
            "| --- | --- |",
            f"| `analysis.coverage` end to end, cache cleared (version + summary projection + "
            f"report), {repeat} runs | p50 {c['p50'] / 1000:.2f} s, max "
            f"{max(cold):.2f} s |",
            f"| summary projection alone (`project(db, None, SUMMARY)`) | {projection_s:.2f} s |",
            f"| `coverage_report` alone on the summary | {pure:.2f} s |",
            f"| `analysis.coverage` warm (cached summary: version check + report) | {warm:.2f} s |",
            f"| `analysis.gaps` warm (names of the {len(gaps.fragile) + len(gaps.uncovered):,} "
            f"listed villages looked up) | {gaps_warm:.2f} s |",
            f"| baseline: covered + per-level counts as one Cypher aggregate | {baseline_s:.2f} s |",
            "",
            f"End to end (p50) / baseline = {c['p50'] / 1000 / baseline_s:.2f}x; the baseline gives "
            "only the counts, the report adds the uncovered, fragile and no-own-constituency "
            f"lists and the load distribution, Gini and ranked ends. Counts agree with the "
            f"baseline: {'yes' if agrees else 'NO'}. Target < 10 s end to end: {verdict}. Peak RSS "
            f"of the Python process {peak:,.0f} MB ({rss_before:,.0f} MB before the analysis).",
            "",
        ], figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="national deputies scale")
    parser.add_argument("--pairs", type=int, default=300, help="escalation questions")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="cold national coverage runs")
    parser.add_argument(
        "--state",
        type=Path,
        default=None,
        help="keep the national store in this folder (loaded once, reused; server left running)",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="folder of the generated national CSVs"
    )
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--skip-escalation", action="store_true")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.gettempdir()) / f"graphcoord-national-{args.scale}"
    lines = [
        f"NetworkX backend: {backend()}; Neo4j driver: {driver_extension()}.",
        "",
    ]
    figures: dict[str, Any] = {}
    settings: dict[str, Any] = {"networkx_backend": backend(), "driver": driver_extension()}
    if not args.skip_escalation:
        part, figures["escalation"] = escalation(args.pairs, args.seed)
        lines += part
        settings["escalation"] = {
            "pairs": args.pairs,
            "k": 3,
            "seed": args.seed,
            "heap": "1g",
            "pagecache": "512m",
        }
        print("\n".join(lines))
    if not args.skip_national:
        part, figures["national"] = national(args.scale, args.state, data, args.repeat)
        lines += part
        settings["national"] = {
            "scale": args.scale,
            "repeat": args.repeat,
            "heap": "6g",
            "pagecache": "4g",
        }
    print("\n".join(lines))
    record(SECTION, lines, figures, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
