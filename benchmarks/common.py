"""What every benchmark shares: its own Neo4j, timing statistics, machine facts, RESULTS.md."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import resource
import socket
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.localserver import LocalNeo4j
from graphcoord.services.database import ensure_database

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def benchmark_database(
    heap: str = "2g", pagecache: str = "1g", state: Path | None = None, port: int = 7697
) -> Iterator[tuple[Settings, Database]]:
    """A Neo4j of its own (or ``NEO4J_URI``), started like ``graphcoord db start``.

    With ``state`` the server keeps its store in that folder and stays up afterwards, so a
    large data set is loaded once and reused by later runs (stop it with
    ``GRAPHCOORD_STATE_DIR=<state> GRAPHCOORD_BOLT_PORT=<port> graphcoord db stop``).
    """
    if os.environ.get("NEO4J_URI"):
        settings = Settings.from_env()
        ensure_database(settings)
        db = Database(settings)
        try:
            yield settings, db
        finally:
            db.close()
        return
    with contextlib.ExitStack() as stack:
        temporary = state is None
        if state is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="graphcoord-bench-"))
            state, port = Path(folder), free_port()
        state.mkdir(parents=True, exist_ok=True)
        settings = Settings.from_env({}).with_(
            state_dir=state,
            bolt_port=port,
            neo4j_heap=heap,
            neo4j_pagecache=pagecache,
            jwt_secret="benchmark-secret-0123456789abcdef",
        )
        if temporary:  # a kept store's server stays up for the next run
            stack.callback(LocalNeo4j(settings).stop)
        ensure_database(settings)
        db = stack.enter_context(contextlib.closing(Database(settings)))
        yield settings, db


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 / p95 / mean in milliseconds of samples in seconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": p95 * 1000,
        "mean": statistics.fmean(ordered) * 1000,
    }


def timed(function: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def record(section: str, lines: list[str]) -> None:
    """Replace ``section`` in RESULTS.md with a dated block (other sections stay)."""
    header = f"## {section}"
    block = [
        header,
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        *lines,
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    parts = text.split("\n## ")
    kept = [parts[0].rstrip() + "\n"] + [
        "## " + part.rstrip() + "\n" for part in parts[1:] if not part.startswith(section)
    ]
    RESULTS.write_text("\n".join([*kept, "\n".join(block)]), encoding="utf-8")
