"""A living graph (issue 20): reads under a stream of submissions, after a contact change,
with several workers, and escalation at national size.

``python benchmarks/run.py live_graph [-- --duration 60 --rate 5 --national-scale 0.1]``.
Each part starts ``graphcoord serve`` in processes of their own against a Neo4j of its own:

* **mixed load** (Suqian, then the national roll at ``--national-scale``): p50/p95 of three
  reads -- coverage of a county, a county's villages uncovered by national deputies,
  escalation paths from a village -- on a still graph, then in the same run while a writer
  submits ``--rate`` citizens' opinions a second through the public GraphQL mutation; the
  ratio of each; errors; and whether the last answers equal a computation from scratch;
* **after a contact change**: the first coverage of the county after ``addContact`` /
  ``removeContact``, against the warm one just before;
* **workers**: requests a second of a read-heavy mix from 32 clients with 1, 2 and 4 workers;
* **national escalation**: the cold first call (projection + hop graph), warm p50/p95 over
  random villages, and the server's resident memory.

Figures go to ``benchmarks/RESULTS.md`` ("Live graph (issue 20)") and ``history.jsonl``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import benchmark_database, free_port, percentiles, record
from benchmarks.graphql_api import Client
from graphcoord import analytics as an
from graphcoord.auth import create_token
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import projections as proj
from graphcoord.services.coverage_summary import coverage_summary
from graphcoord.services.seeds import load_seed

SECTION = "Live graph (issue 20)"
COVERAGE = (
    "query($a: String!) { coverage(areaCode: $a) { villageCount coveredCount coverageRate "
    "byLevel { level coveredCount } fragile(first: 10) { totalCount edges { node { code } } } "
    "load { gini max } } }"
)
UNCOVERED = (
    "query($a: String!) { uncoveredVillages(areaCode: $a, level: NATIONAL, first: 50) "
    "{ totalCount edges { node { code } } } }"
)
ESCALATION = (
    "query($v: String!) { escalationPaths(villageCode: $v, targetLevel: NATIONAL, k: 3) "
    "{ cost deputyIds hops { relation reason } } }"
)
SUBMIT = (
    "mutation($v: String!, $t: String!, $b: String!) { submitIssue(villageCode: $v, "
    'title: $t, body: $b, category: "基础设施") { trackingCode } }'
)
ADD = "mutation($d: ID!, $v: String!) { addContact(deputyId: $d, villageCode: $v) { changed } }"
REMOVE = (
    "mutation($d: ID!, $v: String!) { removeContact(deputyId: $d, villageCode: $v) { changed } }"
)


class Serving:
    """``graphcoord serve --workers N`` in its own process group, as users run it."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.port = free_port()
        self.workers = workers
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRAPHCOORD_"))},
            "GRAPHCOORD_STATE_DIR": str(settings.state_dir),
            "GRAPHCOORD_BOLT_PORT": str(settings.bolt_port),
            "GRAPHCOORD_JWT_SECRET": settings.signing_secret,
            "GRAPHCOORD_RATE_LIMIT": "1000000",  # the writer is one client address
            "GRAPHCOORD_TOKEN_RATE_LIMIT": "0",  # the readers share one organizer token
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "graphcoord",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("graphcoord serve did not start")

    def rss_mb(self) -> float:
        """Resident memory of the server and its workers, in MB."""
        assert self.process is not None
        pids = [self.process.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total / 1024

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, 15)
            self.process.wait(60)


@contextlib.contextmanager
def client(url: str, token: str | None) -> Iterator[Client]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    http = Client(url, headers)
    try:
        yield http
    finally:
        http.close()


def ask(http: Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = http.post({"query": query, "variables": variables})
    if "errors" in body:
        raise RuntimeError(body["errors"])
    data: dict[str, Any] = body["data"]
    return data


def reads(county: str, village: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        "coverage of a county": (COVERAGE, {"a": county}),
        "uncovered villages of a county (national level)": (UNCOVERED, {"a": county}),
        "escalation paths (k=3, to NATIONAL)": (ESCALATION, {"v": village}),
    }


def timed_reads(
    http: Client, cases: dict[str, tuple[str, dict[str, Any]]], seconds: float
) -> dict[str, list[float]]:
    """Ask the cases in turn for ``seconds``; the latencies of each (seconds)."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, (query, variables) in cases.items():
            started = time.perf_counter()
            ask(http, query, variables)
            samples[name].append(time.perf_counter() - started)
    return samples


class Writer:
    """Submits citizens' opinions at ``rate`` a second through the public mutation, from a
    process of its own: a writer thread in the readers' process would take their interpreter
    lock and be counted in their latencies."""

    def __init__(self, url: str, villages: list[str], rate: float) -> None:
        context = multiprocessing.get_context("fork")
        self.stop = context.Event()
        self._sent = context.Value("i", 0)
        self._errors = context.Value("i", 0)
        self.process = context.Process(
            target=_submit,
            args=(url, villages, rate, self.stop, self._sent, self._errors),
            daemon=True,
        )

    def start(self) -> None:
        self.process.start()

    def join(self) -> None:
        self.process.join(60)

    @property
    def sent(self) -> int:
        return int(self._sent.value)

    @property
    def errors(self) -> int:
        return int(self._errors.value)


def _submit(url: str, villages: list[str], rate: float, stop: Any, sent: Any, errors: Any) -> None:
    rng = random.Random(20)
    with client(url, None) as http:
        started = time.monotonic()
        while not stop.is_set():
            due = started + sent.value / rate
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            variables = {
                "v": rng.choice(villages),
                "t": "路灯坏了很久",
                "b": "村口的路灯坏了一个多月，晚上出行很不方便，请尽快修理。",
            }
            try:
                ask(http, SUBMIT, variables)
            except (RuntimeError, OSError):
                errors.value += 1
            sent.value += 1


def mixed_load(
    settings: Settings,
    db: Database,
    county: str,
    village: str,
    duration: float,
    rate: float,
    windows: int = 6,
) -> dict[str, Any]:
    """Still vs under writes, same run, ``duration`` seconds of each in ``windows`` alternating
    windows; then the answers against a fresh computation."""
    villages = [
        r["code"]
        for r in db.execute(
            "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] "
            "AND v.code STARTS WITH $p RETURN v.code AS code LIMIT 2000",
            {"p": county[:6]},
        )
    ]
    cases = reads(county, village)
    token = create_token(settings.signing_secret, "organizer")
    still: dict[str, list[float]] = {name: [] for name in cases}
    moving: dict[str, list[float]] = {name: [] for name in cases}
    sent = errors = 0
    window = duration / windows
    with Serving(settings) as url, client(url, token) as http:
        http.socket.settimeout(600)  # the first escalation at national size builds its graph
        timed_reads(http, cases, min(duration, 20))  # warm: projections, JIT
        http.socket.settimeout(60)
        # Still and moving windows alternate, so that the machine's drifts (a shared host)
        # fall on both alike.
        for _ in range(windows):
            for name, samples in timed_reads(http, cases, window).items():
                still[name] += samples
            writer = Writer(url, villages, rate)
            writer.start()
            try:
                for name, samples in timed_reads(http, cases, window).items():
                    moving[name] += samples
            finally:
                writer.stop.set()
                writer.join()
            sent, errors = sent + writer.sent, errors + writer.errors
        last = {name: ask(http, query, variables) for name, (query, variables) in cases.items()}
    proj.cache.clear()
    report = an.coverage_report(coverage_summary(db, county), county)
    G = proj.project(db, None, proj.ALL)
    paths = an.escalation_paths(G, village_code=village, target_level="NATIONAL", k=3)
    coverage = last["coverage of a county"]["coverage"]
    escalation = last["escalation paths (k=3, to NATIONAL)"]["escalationPaths"]
    equal = (
        coverage["coveredCount"] == report.covered_count
        and coverage["fragile"]["totalCount"] == len(report.fragile)
        and [(p["cost"], p["deputyIds"]) for p in escalation]
        == [(p.cost, list(p.deputy_ids)) for p in paths]
    )
    cases_out = {}
    for name in cases:
        s, m = percentiles(still[name]), percentiles(moving[name])
        cases_out[name] = {
            "still_ms": s,
            "writes_ms": m,
            "ratio_p50": m["p50"] / s["p50"],
            "ratio_p95": m["p95"] / s["p95"],
            "samples": [len(still[name]), len(moving[name])],
        }
    return {
        "cases": cases_out,
        "submissions": sent,
        "submission_errors": errors,
        "submissions_per_s": sent / duration,
        "windows": windows,
        "answers_equal_fresh": equal,
    }


def after_contact_change(
    settings: Settings, db: Database, county: str, rounds: int
) -> dict[str, Any]:
    """The first coverage of ``county`` after a contact change, against the warm one."""
    row = db.execute(
        "MATCH (d:Deputy {level: 'CITY', status: 'ACTIVE'})-[:CONTACTS]->(v:Area) "
        "WHERE v.code STARTS WITH $p "
        "MATCH (w:Area) WHERE w.kind = 'VILLAGE' AND w.code STARTS WITH $p "
        "AND NOT EXISTS { (d)-[:CONTACTS]->(w) } RETURN d.id AS d, w.code AS w LIMIT 1",
        {"p": county[:6]},
    )[0]
    planner = create_token(settings.signing_secret, "planner")
    warm: list[float] = []
    after: list[float] = []
    writes: list[float] = []
    change = {"d": row["d"], "v": row["w"]}
    with Serving(settings) as url, client(url, planner) as http:
        for _ in range(20):
            ask(http, COVERAGE, {"a": county})
        for mutation in (ADD, REMOVE):  # warm as the reads are: the catch-up's plans compiled
            ask(http, mutation, change)
            ask(http, COVERAGE, {"a": county})
        for n in range(rounds):
            for _ in range(5):
                started = time.perf_counter()
                ask(http, COVERAGE, {"a": county})
                warm.append(time.perf_counter() - started)
            started = time.perf_counter()
            ask(http, ADD if n % 2 == 0 else REMOVE, change)
            writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            ask(http, COVERAGE, {"a": county})
            after.append(time.perf_counter() - started)
        last = ask(http, COVERAGE, {"a": county})["coverage"]
    proj.cache.clear()
    report = an.coverage_report(coverage_summary(db, county), county)
    return {
        "warm_ms": percentiles(warm),
        "after_ms": percentiles(after),
        "mutation_ms": percentiles(writes),
        "ratio_p50": statistics.median(after) / statistics.median(warm),
        "rounds": rounds,
        "answers_equal_fresh": last["coveredCount"] == report.covered_count
        and last["fragile"]["totalCount"] == len(report.fragile),
    }


async def _throughput(
    url: str, token: str, cases: list[tuple[str, dict[str, Any]]], clients: int, requests: int
) -> tuple[float, int]:
    errors = 0

    async def one(index: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        for n in range(requests):
            query, variables = cases[(index + n) % len(cases)]
            response = await http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"authorization": f"Bearer {token}"},
            )
            if response.status_code != 200 or "errors" in response.json():
                errors += 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        for _ in range(2):  # every worker warm
            await asyncio.gather(*(one(i, http) for i in range(clients)))
        started = time.perf_counter()
        await asyncio.gather(*(one(i, http) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return clients * requests / elapsed, errors


def workers(settings: Settings, county: str, village: str, counts: list[int]) -> dict[str, Any]:
    token = create_token(settings.signing_secret, "organizer")
    cases = list(reads(county, village).values())
    found: dict[str, Any] = {}
    for n in counts:
        with Serving(settings, workers=n) as url:
            cpu_before = os.times()
            rps, errors = asyncio.run(_throughput(url, token, cases, 32, 10))
            del cpu_before
        found[str(n)] = {"requests_per_s": rps, "errors": errors}
        print(f"workers {n}: {rps:.1f} requests/s, {errors} errors", flush=True)
    return found


def national_escalation(settings: Settings, db: Database, pairs: int) -> dict[str, Any]:
    token = create_token(settings.signing_secret, "deputy", deputy_id="CN-D0000001")
    rng = random.Random(5)
    villages = [
        r["code"]
        for r in db.execute(
            "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] "
            "AND EXISTS { (v)<-[:CONTACTS]-() } RETURN v.code AS code LIMIT 200000"
        )
    ]
    chosen = [rng.choice(villages) for _ in range(pairs)]
    serving = Serving(settings)
    with serving as url, client(url, token) as http:
        started = time.perf_counter()
        ask(http, ESCALATION, {"v": chosen[0]})
        cold = time.perf_counter() - started
        samples = []
        for village in chosen:
            begun = time.perf_counter()
            with contextlib.suppress(RuntimeError):  # a village with no path
                ask(http, ESCALATION, {"v": village})
            samples.append(time.perf_counter() - begun)
        rss = serving.rss_mb()
    return {"cold_s": cold, "warm_ms": percentiles(samples), "pairs": pairs, "server_rss_mb": rss}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="live_graph")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--rate", type=float, default=5.0, help="submissions a second")
    parser.add_argument("--windows", type=int, default=6, help="still/moving windows each")
    parser.add_argument("--rounds", type=int, default=20, help="contact changes")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--national-scale", type=float, default=0.1)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--data", type=Path, default=None, help="national CSVs to reuse")
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args(argv)
    county, village = "321322000000", "321322102200"
    figures: dict[str, Any] = {}
    with benchmark_database() as (settings, db):
        load_seed(db, "suqian")
        figures["suqian_mixed"] = mixed_load(
            settings, db, county, village, args.duration, args.rate, args.windows
        )
        print(figures["suqian_mixed"], flush=True)
        figures["contact_change"] = after_contact_change(settings, db, county, args.rounds)
        print(figures["contact_change"], flush=True)
        figures["workers"] = workers(
            settings, county, village, [int(n) for n in args.workers.split(",")]
        )
    if not args.skip_national:
        from benchmarks.national_data import load_national_csv, load_national_links

        data = args.data or Path(f"/tmp/graphcoord-national-{args.national_scale}")
        with benchmark_database(heap="6g", pagecache="3g") as (settings, db):
            rows, _ = load_national_csv(settings, db, args.national_scale, data)
            links, _ = load_national_links(settings, db, data)
            figures["national_rows"] = {**rows, **links}
            ncounty, nvillage = _national_place(db)
            figures["national_mixed"] = mixed_load(
                settings, db, ncounty, nvillage, args.duration, args.rate, args.windows
            )
            print(figures["national_mixed"], flush=True)
            figures["national_escalation"] = national_escalation(settings, db, args.pairs)
            print(figures["national_escalation"], flush=True)
    record(SECTION, _lines(figures, args), figures, vars(args) | {"data": str(args.data)})
    return 0


def _national_place(db: Database) -> tuple[str, str]:
    """A county of the national roll with villages, and one of its villages with a contact."""
    row = db.execute(
        "MATCH (v:Area {kind: 'VILLAGE'})<-[:CONTACTS]-(:Deputy) RETURN v.code AS v LIMIT 1"
    )[0]
    return row["v"][:6] + "000000", row["v"]


def _ms(p: dict[str, float]) -> str:
    return f"{p['p50']:.1f} / {p['p95']:.1f}"


def _lines(figures: dict[str, Any], args: argparse.Namespace) -> list[str]:
    lines = [
        f"Reads from one organizer over HTTP (one keep-alive connection): {args.duration:.0f} s "
        f"still and {args.duration:.0f} s while a writer submits {args.rate:g} opinions/s "
        f"through the public `submitIssue`, in {args.windows} alternating windows of each (one "
        "`graphcoord serve` worker; Neo4j heap 2g, national 6g).",
        "",
        "| size | read | still p50 / p95 (ms) | under writes p50 / p95 (ms) | ratio p50 / p95 |",
        "|---|---|---|---|---|",
    ]
    for size in ("suqian_mixed", "national_mixed"):
        part = figures.get(size)
        if not part:
            continue
        for name, case in part["cases"].items():
            lines.append(
                f"| {size.split('_')[0]} | {name} | {_ms(case['still_ms'])} | "
                f"{_ms(case['writes_ms'])} | {case['ratio_p50']:.2f}× / {case['ratio_p95']:.2f}× |"
            )
    for size in ("suqian_mixed", "national_mixed"):
        part = figures.get(size)
        if part:
            lines.append(
                f"\n{size.split('_')[0]}: {part['submissions']} submissions "
                f"({part['submissions_per_s']:.1f}/s), {part['submission_errors']} errors; "
                f"last answers equal a fresh computation: {part['answers_equal_fresh']}."
            )
    change = figures["contact_change"]
    lines += [
        "",
        f"After a contact change ({change['rounds']} alternating addContact/removeContact): "
        f"the next coverage of the county {_ms(change['after_ms'])} ms against "
        f"{_ms(change['warm_ms'])} warm: {change['ratio_p50']:.2f}× p50; equal to a fresh "
        f"computation: {change['answers_equal_fresh']}. The mutation itself "
        f"{_ms(change['mutation_ms'])} ms (it catches the server's projections up before "
        "answering); one add/remove pair ran first, unmeasured, as the warm reads had.",
        "",
        "| workers | requests/s (32 clients, read mix) | errors |",
        "|---|---|---|",
        *(
            f"| {n} | {w['requests_per_s']:.1f} | {w['errors']} |"
            for n, w in figures["workers"].items()
        ),
    ]
    if "national_escalation" in figures:
        esc = figures["national_escalation"]
        lines += [
            "",
            f"National roll at scale {args.national_scale:g} "
            f"({sum(figures['national_rows'].values()):,} rows): escalation cold "
            f"{esc['cold_s']:.1f} s (projection + hop graph), warm {_ms(esc['warm_ms'])} ms "
            f"over {esc['pairs']} random villages; server resident memory "
            f"{esc['server_rss_mb']:,.0f} MB.",
        ]
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
