"""Where a GraphQL request's time goes: the database or graphcoord's own Python.

The GraphQL-vs-Library table shows graphcoord 1.0-1.2× the Library on the small nested queries,
where both sides wait for one round trip. This benchmark splits graphcoord's side of those
cases: the server runs in this process (uvicorn with httptools, as ``graphcoord serve``), every
call of :class:`graphcoord.db.Database` is timed, and each request reports its wall time at the
client, inside the ASGI app, and between its first database call's start and its last one's end
(parallel calls overlap: their span, not their sum). What the app spends outside that span is
parsing, validation, cost and role checks, resolvers and serialisation; what the client sees
beyond the app is HTTP.

Usage: ``python benchmarks/run.py request_breakdown -- --state DIR [--repeat 300]`` over a kept
store (the graphql_library or paging benchmark's national store, or any graphcoord store).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import uvicorn

from benchmarks.common import benchmark_database, free_port, percentiles, record
from benchmarks.graphql_library import CASES, KeptClient, ask, parameters
from graphcoord.app import create_app
from graphcoord.auth import create_token
from graphcoord.config import Settings
from graphcoord.db import Database

SECTION = "Where graphcoord's request time goes (issue 28)"
TIMED = ("execute", "write", "run_autocommit")


class Spans:
    """The database calls of the request in flight (requests are sent one at a time)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: list[tuple[float, float]] = []

    def take(self) -> list[tuple[float, float]]:
        with self.lock:
            calls, self.calls = self.calls, []
        return calls

    def timed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                ended = time.perf_counter()
                with self.lock:
                    self.calls.append((started, ended))

        return call


@contextlib.contextmanager
def served(settings: Settings, db: Database, spans: Spans) -> Iterator[tuple[str, list[float]]]:
    """The app on a loopback port in a thread of this process; the app's time per request."""
    app = create_app(settings.with_(token_rate_limit_per_minute=0), db)
    inside: list[float] = []

    async def timed_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = time.perf_counter()
        try:
            await app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                inside.append(time.perf_counter() - started)

    port = free_port()
    config = uvicorn.Config(
        timed_app, host="127.0.0.1", port=port, http="httptools", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", inside
    finally:
        server.should_exit = True
        thread.join(10)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="request_breakdown")
    parser.add_argument("--state", type=Path, required=True, help="a kept benchmark store")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args(argv)
    spans = Spans()
    for name in TIMED:
        setattr(Database, name, spans.timed(getattr(Database, name)))
    figures: dict[str, Any] = {}
    rows: list[str] = []
    with benchmark_database(heap="4g", pagecache="3g", state=args.state) as (settings, db):
        national = db.execute("MATCH (d:Deputy) RETURN count(d) AS n")[0]["n"] > 100_000
        values = parameters(db, suqian=not national)
        token = create_token(settings.signing_secret, "organizer")
        with (
            served(settings, db, spans) as (url, inside),
            contextlib.closing(KeptClient(url, {"authorization": f"Bearer {token}"})) as client,
        ):
            for case in CASES:
                variables = {k: v for k, v in values.items() if f"${k}" in case.graphcoord}
                for _ in range(args.warmup):
                    ask(client, case.graphcoord, variables)
                spans.take()
                inside.clear()
                outside: list[float] = []
                span: list[float] = []
                calls: list[int] = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    ask(client, case.graphcoord, variables)
                    outside.append(time.perf_counter() - started)
                    taken = spans.take()
                    calls.append(len(taken))
                    span.append(max(e for _, e in taken) - min(s for s, _ in taken))
                client_ms, app_ms, db_ms = (percentiles(x) for x in (outside, inside, span))
                own = percentiles([a - d for a, d in zip(inside, span, strict=True)])
                figures[case.name] = {
                    "client_ms": client_ms,
                    "app_ms": app_ms,
                    "database_span_ms": db_ms,
                    "app_outside_database_ms": own,
                    "database_calls": max(calls),
                }
                rows.append(
                    f"| {case.name} | {client_ms['p50']:.1f} | {app_ms['p50']:.1f} | "
                    f"{db_ms['p50']:.1f} ({max(calls)}) | {own['p50']:.1f} | "
                    f"{client_ms['p50'] - app_ms['p50']:.1f} |"
                )
                print(rows[-1], flush=True)
    lines = [
        f"Over the store in `--state` ({'national roll' if national else 'Suqian'}), the "
        "graphql_library benchmark's graphcoord queries, the server in the benchmark's process "
        f"(uvicorn + httptools), {args.repeat} requests per case after {args.warmup}, one at a "
        "time; p50 in ms. Database: from the first `Database` call's start to the last one's "
        "end (calls in parallel overlap), the number of calls in brackets.",
        "",
        "| query | client | inside the app | database (calls) | app outside the database "
        "| HTTP and client |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    record(SECTION, lines, figures, {"repeat": args.repeat, "warmup": args.warmup})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
