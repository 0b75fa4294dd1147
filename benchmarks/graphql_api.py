"""GraphQL latency next to the raw call it wraps, and throughput under 32 concurrent clients.

At Suqian size (the seeded city): for each core query, p50/p95 of the GraphQL request over
HTTP (uvicorn on loopback) and of the raw data-layer or analytics call in the same process, and
their ratio (target: GraphQL ≤ 1.5× raw). Then 32 concurrent clients for a fixed number of
requests each: requests per second and the error count (target: zero errors).

Usage: ``python benchmarks/run.py graphql_api [-- --repeat 200 --warmup 200 --clients 32
--requests 25]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httptools
import httpx

from benchmarks.common import benchmark_database, free_port, peak_rss_mb, percentiles, record, timed
from graphcoord.auth import create_token
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import analysis, directory
from graphcoord.services.seeds import load_seed

CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "coverage of a county": (
        "query($a: String!) { coverage(areaCode: $a) { villageCount coveredCount coverageRate "
        "byLevel { level coveredCount } fragile(first: 10) { totalCount edges { node { code name } } } "
        "load { gini max min mean } } }",
        {"a": "321322000000"},
    ),
    "uncovered villages of the city (national level)": (
        "query($a: String!) { uncoveredVillages(areaCode: $a, level: NATIONAL, first: 50) "
        "{ totalCount edges { node { code name } } } }",
        {"a": "321300000000"},
    ),
    "group with members and coverage": (
        "query($id: ID!) { group(id: $id) { name convener { name } members { role deputy { id name level } } "
        "coverage { villageCount coveredInArea coverageRate } } }",
        {"id": "SQ-G07"},
    ),
    "chain peers": (
        "query($d: ID!) { chainPeers(deputyId: $d, first: 10) { relation score reason deputy { id name } } }",
        {"d": "SQ-D00030"},
    ),
    "escalation paths (k=3, to NATIONAL)": (
        "query($v: String!) { escalationPaths(villageCode: $v, targetLevel: NATIONAL, k: 3) "
        "{ cost target { id name } hops { from to relation reason } } }",
        {"v": "321322102200"},
    ),
    "deputies page (50, nested)": (
        "query($a: String!) { deputies(first: 50, where: {areaCode: $a}) { totalCount edges { node { id name level groups { role group { id } } contacts { code } } } } }",
        {"a": "321322000000"},
    ),
}


def raw_calls(db: Database) -> dict[str, Callable[[], Any]]:
    """The data-layer calls each GraphQL case wraps, made directly."""

    def group_with_members() -> Any:
        group = directory.groups_by_id(db, ["SQ-G07"])
        return group, directory.members_of(db, ["SQ-G07"])["SQ-G07"]  # with who they are

    def group_with_coverage() -> Any:
        return group_with_members(), analysis.group_detail(db, "SQ-G07")

    def deputies_page() -> Any:
        _, rows = directory.deputy_page(
            db, after=None, limit=51, count=True, area_code="321322000000"
        )
        ids = [row["id"] for row in rows[:50]]
        return directory.groups_of(db, ids), directory.contacts_of(db, ids)

    return {
        "coverage of a county": lambda: analysis.coverage(db, "321322000000"),
        "uncovered villages of the city (national level)": lambda: directory.uncovered_page(
            db, "321300000000", level="NATIONAL", after=None, limit=51, count=True
        ),
        "group with members and coverage": group_with_coverage,
        "chain peers": lambda: analysis.peers(db, "SQ-D00030", limit=10),
        "escalation paths (k=3, to NATIONAL)": lambda: analysis.escalate(
            db, village_code="321322102200", level="NATIONAL", k=3
        ),
        "deputies page (50, nested)": deputies_page,
    }


class StdlibClient:
    """One keep-alive HTTP/1.1 connection from the standard library's ``http.client``.

    Shown beside :class:`Client` for what a Python client of the API pays: ``http.client``
    parses each response's headers with the ``email`` package, ~0.8 ms of Python per request
    on this machine (and httpx ~1 ms more).
    """

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = {**headers, "content-type": "application/json"}

    def post(self, payload: dict[str, Any]) -> Any:
        self.connection.request("POST", "/graphql", json.dumps(payload), self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
        return json.loads(body)

    def close(self) -> None:
        self.connection.close()


class _Response:
    """What httptools' parser reports of one response (its callbacks)."""

    def __init__(self) -> None:
        self.body: list[bytes] = []
        self.complete = False

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


class Client:
    """One keep-alive HTTP/1.1 connection whose responses are parsed in C, for the timed requests.

    The latency measured is the server's plus the client's own work. A browser or a phone app
    parses HTTP in native code; so does this client (a socket and httptools' parser, the one
    uvicorn uses), so its own part stays near theirs, where :class:`StdlibClient` adds ~0.8 ms
    of Python per request.
    """

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=60)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = {"host": f"{host}:{port}", **headers, "content-type": "application/json"}
        self.head = "POST /graphql HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in lines.items()
        )

    def post(self, payload: dict[str, Any]) -> Any:
        body = json.dumps(payload).encode()
        self.socket.sendall(f"{self.head}content-length: {len(body)}\r\n\r\n".encode() + body)
        response = _Response()
        parser = httptools.HttpResponseParser(response)
        while not response.complete:
            data = self.socket.recv(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        answer = b"".join(response.body)
        if parser.get_status_code() != 200:
            raise RuntimeError(f"HTTP {parser.get_status_code()}: {answer[:200]!r}")
        return json.loads(answer)

    def close(self) -> None:
        self.socket.close()


class Server:
    """``graphcoord serve`` in its own process on a free loopback port, as users run it."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "GRAPHCOORD_STATE_DIR": str(settings.state_dir),
            "GRAPHCOORD_BOLT_PORT": str(settings.bolt_port),
            "GRAPHCOORD_JWT_SECRET": settings.signing_secret,
            "GRAPHCOORD_PORT": str(self.port),
            # One token asks thousands of times a minute here: no per-token rate limit.
            "GRAPHCOORD_TOKEN_RATE_LIMIT": "0",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graphcoord", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=2).status_code == 200:
                    return f"http://127.0.0.1:{self.port}"
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("graphcoord serve did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)


async def load_test(
    url: str, headers: dict[str, str], clients: int, requests: int
) -> tuple[float, int, list[float]]:
    queries = list(CASES.values())
    errors = 0
    latencies: list[float] = []

    async def client(index: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        for n in range(requests):
            query, variables = queries[(index + n) % len(queries)]
            started = time.perf_counter()
            response = await http.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200 or "errors" in response.json():
                errors += 1

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return clients * requests / elapsed, errors, latencies


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="graphql_api")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=25)
    args = parser.parse_args(argv)
    with benchmark_database() as (settings, db):
        load_seed(db, "suqian")
        token = create_token(settings.signing_secret, "organizer")
        headers = {"authorization": f"Bearer {token}"}
        raws = raw_calls(db)
        figures: dict[str, Any] = {"cases": {}}
        lines = [
            f"Suqian seed (7,684 deputies, 1,440 villages), Neo4j heap 2g / page cache 1g; "
            f"{args.repeat} timed runs per case after {args.warmup} warm-up runs, the three sides "
            "alternating.",
            "GraphQL: the request over HTTP to `graphcoord serve` (uvicorn, one worker, its own "
            "process) on loopback, one keep-alive connection parsed in C (httptools); raw: the "
            "call it wraps, in process; last column: the same request from `http.client`.",
            "",
            "| query | GraphQL p50 / p95 (ms) | raw p50 / p95 (ms) | ratio p50 | from `http.client` p50 (ratio) |",
            "|---|---|---|---|---|",
        ]
        with (
            Server(settings) as url,
            contextlib.closing(Client(url, headers)) as http,
            contextlib.closing(StdlibClient(url, headers)) as stdlib,
        ):

            def ask(
                query: str, variables: dict[str, Any], client: Client | StdlibClient = http
            ) -> None:
                body = client.post({"query": query, "variables": variables})
                if "errors" in body:
                    raise RuntimeError(body["errors"])

            # `graphcoord serve` reads the escalation projection in a thread as it starts
            # (~1 s): ask every case once before timing any, so that the first case is not
            # timed against that thread for the GIL (coverage was, at 2.26x).
            for query, variables in CASES.values():
                ask(query, variables)
            for name, (query, variables) in CASES.items():
                sides: dict[str, Callable[[], Any]] = {
                    "api": functools.partial(ask, query, variables),
                    "raw": raws[name],
                    "stdlib": functools.partial(ask, query, variables, stdlib),
                }
                # Alternate the sides, so that all see the same state of the machine and of
                # Neo4j; the warm-up lets Neo4j's JIT settle (with 3 warm-up runs the raw calls
                # were still up to 1.6x slower than later, which flattered the ratios).
                for _ in range(args.warmup):
                    for warm in sides.values():
                        timed(warm, 1)
                samples: dict[str, list[float]] = {side: [] for side in sides}
                for _ in range(args.repeat):
                    for side, call in sides.items():
                        samples[side] += timed(call, 1)
                api, raw, std = (percentiles(samples[side]) for side in ("api", "raw", "stdlib"))
                ratio = api["p50"] / raw["p50"]
                figures["cases"][name] = {
                    "graphql_ms": api,
                    "raw_ms": raw,
                    "ratio_p50": ratio,
                    "http_client_ms": std,
                    "http_client_ratio_p50": std["p50"] / raw["p50"],
                }
                print(
                    f"{name}: graphql {api['p50']:.1f}/{api['p95']:.1f} ms, raw "
                    f"{raw['p50']:.1f}/{raw['p95']:.1f} ms, ×{ratio:.2f}; http.client "
                    f"{std['p50']:.1f} ms, ×{std['p50'] / raw['p50']:.2f}"
                )
                lines.append(
                    f"| {name} | {api['p50']:.1f} / {api['p95']:.1f} | {raw['p50']:.1f} / "
                    f"{raw['p95']:.1f} | {ratio:.2f}× | {std['p50']:.1f} "
                    f"({std['p50'] / raw['p50']:.2f}×) |"
                )

            def floor() -> None:
                http.post({"query": "{ __typename }"})

            timed(floor, 3)
            fixed = percentiles(timed(floor, args.repeat))
            figures["floor_ms"] = fixed
            lines.append(
                f"| floor: `{{ __typename }}` (HTTP + GraphQL, no data) | {fixed['p50']:.1f} / "
                f"{fixed['p95']:.1f} | — | — | — |"
            )
            rps, errors, latencies = asyncio.run(
                load_test(url, headers, args.clients, args.requests)
            )
        load = percentiles(latencies)
        figures["load"] = {"requests_per_s": rps, "errors": errors, "latency_ms": load}
        figures["peak_rss_mb"] = peak_rss_mb()
        print(f"{args.clients} clients: {rps:.1f} req/s, {errors} errors, p50 {load['p50']:.1f} ms")
        lines += [
            "",
            f"Throughput: {args.clients} concurrent clients × {args.requests} requests (the cases above in turn): "
            f"**{rps:.1f} requests/s**, **{errors} errors**, latency p50 {load['p50']:.1f} ms / p95 {load['p95']:.1f} ms. "
            f"Peak RSS of the benchmark process {figures['peak_rss_mb']:.0f} MB.",
        ]
        run_settings = {
            "seed": "suqian",
            "repeat": args.repeat,
            "warmup": args.warmup,
            "clients": args.clients,
            "requests": args.requests,
            "heap": "2g",
            "pagecache": "1g",
            "client": "httptools",
        }
        record("GraphQL API (issue 6)", lines, figures, run_settings)
    return 0
