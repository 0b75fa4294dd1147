"""A/B of the plan-compiled execution (``PlainExecutionContext``) against strawberry's default.

Two ``graphcoord serve`` processes on one seeded Neo4j (Suqian): A as shipped, B the same code
with ``build_schema`` given no ``execution_context_class`` (strawberry's default execution
context); everything else is equal. Each server prints the execution context class its schema
uses as it starts, and the run stops unless A says ``PlainExecutionContext`` and B says
strawberry's default.

For each of the six cases of :mod:`benchmarks.graphql_api` (and ``{ __typename }``): the two
answers are compared, then warm-up pairs, then timed pairs, A and B alternating (the order
swapped every pair), from one keep-alive connection each parsed in C; p50/p95 per side and the
server process's CPU time per request (``/proc/<pid>/stat``). Then throughput: 32 concurrent
clients × N requests over the six cases in turn, in the order A B B A, requests/s per side.

Usage: ``python -m benchmarks.ab_execution [--repeat 300 --warmup 200 --clients 32 --requests 25
--json out.jsonl]`` from the checkout. An experiment, not one of the benchmarks ``run.py`` runs
(it prints its figures and writes nothing to RESULTS.md); it needs ``schema.build_schema`` to
pass ``PlainExecutionContext`` by that name.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

import httptools
import httpx

from benchmarks.common import benchmark_database, free_port, percentiles
from benchmarks.graphql_api import CASES, Client
from graphcoord.auth import create_token
from graphcoord.config import Settings
from graphcoord.services.seeds import load_seed

#: Runs ``graphcoord serve`` (as ``python -m graphcoord serve``); with ``plain`` the schema
#: has no ``execution_context_class``. Prints the class the schema really uses.
LAUNCHER = """
import sys
import graphcoord.app
import graphcoord.schema.schema as schema_module

variant, port = sys.argv[1], sys.argv[2]
if variant == "B":
    schema_module.PlainExecutionContext = None  # build_schema passes it: None is the default
build = schema_module.build_schema

def logged(settings=None):
    built = build(settings)
    cls = built.execution_context_class
    print(f"[ab] {variant}: {cls.__module__}.{cls.__qualname__} from {schema_module.__file__}",
          file=sys.stderr, flush=True)
    return built

graphcoord.app.build_schema = logged
from graphcoord.cli import main
sys.argv = ["graphcoord", "serve", "--port", port]
main()
"""

EXPECTED = {
    "A": "graphcoord.schema.execution.PlainExecutionContext",
    "B": "strawberry.schema.schema.StrawberryGraphQLCoreExecutionContext",
}
FLOOR: tuple[str, dict[str, Any]] = ("{ __typename }", {})
TICKS = os.sysconf("SC_CLK_TCK")


class Server:
    """One variant of ``graphcoord serve`` in its own process, its stderr kept in a file."""

    def __init__(self, variant: str, settings: Settings, log_dir: Path) -> None:
        self.variant = variant
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "GRAPHCOORD_STATE_DIR": str(settings.state_dir),
            "GRAPHCOORD_BOLT_PORT": str(settings.bolt_port),
            "GRAPHCOORD_JWT_SECRET": settings.signing_secret,
        }
        self.log_path = log_dir / f"server-{variant}.log"
        self.log: TextIO | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, self.variant, str(self.port)],
            env=self.env,
            cwd=tempfile.gettempdir(),  # not the checkout: the package comes from the install
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server {self.variant} did not start: {self.log_path}")
        said = [line for line in self.log_path.read_text().splitlines() if line.startswith("[ab]")]
        if not said or EXPECTED[self.variant] not in said[-1]:
            raise RuntimeError(f"server {self.variant} runs the wrong variant: {said}")
        print(said[-1])
        return self

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (all its threads)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
        if self.log is not None:
            self.log.close()


class _Response:
    def __init__(self) -> None:
        self.body: list[bytes] = []
        self.complete = False

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


async def load_test(
    url: str, headers: dict[str, str], clients: int, requests: int
) -> tuple[float, int, list[float]]:
    """``clients`` keep-alive connections, each ``requests`` requests over the cases in turn."""
    host, port = url.removeprefix("http://").split(":")
    head = f"POST /graphql HTTP/1.1\r\nhost: {host}:{port}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in {**headers, "content-type": "application/json"}.items()
    )
    bodies = [
        json.dumps({"query": query, "variables": variables}).encode()
        for query, variables in CASES.values()
    ]
    messages = [f"{head}content-length: {len(b)}\r\n\r\n".encode() + b for b in bodies]
    errors = 0
    latencies: list[float] = []

    async def client(index: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for n in range(requests):
                started = time.perf_counter()
                writer.write(messages[(index + n) % len(messages)])
                response = _Response()
                parser = httptools.HttpResponseParser(response)
                while not response.complete:
                    data = await reader.read(65536)
                    if not data:
                        raise ConnectionError("the server closed the connection")
                    parser.feed_data(data)
                latencies.append(time.perf_counter() - started)
                if parser.get_status_code() != 200 or b'"errors"' in b"".join(response.body):
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return clients * requests / (time.perf_counter() - started), errors, latencies


def experiment(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ab_execution")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--json", type=Path, help="append the figures as one JSON line")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {"cases": {}, "throughput": {"A": [], "B": []}}
    with (
        tempfile.TemporaryDirectory(prefix="graphcoord-ab-") as logs,
        benchmark_database() as (settings, db),
    ):
        load_seed(db, "suqian")
        headers = {"authorization": f"Bearer {create_token(settings.signing_secret, 'organizer')}"}
        with contextlib.ExitStack() as stack:
            servers = {v: stack.enter_context(Server(v, settings, Path(logs))) for v in "AB"}
            conns = {
                v: stack.enter_context(contextlib.closing(Client(s.url, headers)))
                for v, s in servers.items()
            }
            cases = {**CASES, "floor: { __typename }": FLOOR}
            for query, variables in cases.values():  # both servers' caches and projections
                answers = {
                    v: c.post({"query": query, "variables": variables}) for v, c in conns.items()
                }
                if answers["A"] != answers["B"] or "errors" in answers["A"]:
                    raise RuntimeError(f"A and B answer differently: {query}")
            time.sleep(3)  # the escalation projection is read in a thread at start-up
            print(
                "| query | A p50 / p95 | B p50 / p95 | B−A p50 (ms, %) | A / B server CPU ms/req |"
            )
            print("|---|---|---|---|---|")
            for name, (query, variables) in cases.items():
                payload = {"query": query, "variables": variables}
                for _ in range(args.warmup):
                    for conn in conns.values():
                        conn.post(payload)
                samples: dict[str, list[float]] = {"A": [], "B": []}
                cpu = {v: -s.cpu_seconds() for v, s in servers.items()}
                for n in range(args.repeat):
                    for v in "AB" if n % 2 == 0 else "BA":
                        started = time.perf_counter()
                        body = conns[v].post(payload)
                        samples[v].append(time.perf_counter() - started)
                        if "errors" in body:
                            raise RuntimeError(body["errors"])
                for v, s in servers.items():
                    cpu[v] = (cpu[v] + s.cpu_seconds()) * 1000 / args.repeat
                a, b = percentiles(samples["A"]), percentiles(samples["B"])
                diff = b["p50"] - a["p50"]
                print(
                    f"| {name} | {a['p50']:.2f} / {a['p95']:.2f} | {b['p50']:.2f} / {b['p95']:.2f} "
                    f"| {diff:+.2f} ({100 * diff / b['p50']:+.1f} %) | {cpu['A']:.2f} / {cpu['B']:.2f} |",
                    flush=True,
                )
                out["cases"][name] = {"A": a, "B": b, "cpu_ms": cpu, "samples": samples}
            for v in "ABBA":
                cpu_before = servers[v].cpu_seconds()
                rps, errors, latencies = asyncio.run(
                    load_test(servers[v].url, headers, args.clients, args.requests)
                )
                cpu_ms = (
                    (servers[v].cpu_seconds() - cpu_before) * 1000 / (args.clients * args.requests)
                )
                load = percentiles(latencies)
                print(
                    f"throughput {v}: {rps:.1f} req/s, {errors} errors, p50 {load['p50']:.0f} ms, "
                    f"p95 {load['p95']:.0f} ms, server CPU {cpu_ms:.2f} ms/req",
                    flush=True,
                )
                out["throughput"][v].append(
                    {
                        "rps": rps,
                        "errors": errors,
                        "p50": load["p50"],
                        "p95": load["p95"],
                        "cpu_ms": cpu_ms,
                    }
                )
    if args.json:
        with args.json.open("a") as file:
            file.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(experiment(sys.argv[1:]))
