"""What every benchmark shares: its own Neo4j, timing statistics, machine facts, and the
record of a run (``benchmarks/RESULTS.md`` for the current table, ``benchmarks/history.jsonl``
for every run)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.localserver import LocalNeo4j
from graphcoord.services.database import ensure_database

ROOT = Path(__file__).resolve().parent.parent
#: The current table of each benchmark, one section per benchmark.
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
#: Every recorded run, one JSON object a line.
HISTORY = ROOT / "benchmarks" / "history.jsonl"


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


#: What a run itself writes: not counted as uncommitted changes of the code measured.
_OWN_FILES = (":(exclude)benchmarks/RESULTS.md", ":(exclude)benchmarks/history.jsonl")


def commit() -> str | None:
    """The checkout's commit (``git rev-parse --short HEAD``), or ``None`` outside git."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def uncommitted() -> bool | None:
    """Whether tracked files differ from the commit (the recorded results aside)."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", *_OWN_FILES],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(done.stdout.strip())


def benchmark_key(section: str) -> str:
    """``"GraphQL API (issue 6)"`` -> ``"graphql_api"``: the name a history line carries."""
    name = section.split(" (", 1)[0]
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _plain(value: Any) -> Any:
    """Figures as JSON values: floats rounded to 3 decimals, tuples as lists, keys as text."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def replace_section(text: str, section: str, block: str) -> str:
    """``text`` with its ``## section`` replaced by ``block`` in place (appended if absent)."""
    header = f"## {section}"
    head, *sections = re.split(r"(?m)^(?=## )", text)
    parts: list[str] = []
    found = False
    for part in sections:
        if part.split("\n", 1)[0].rstrip() == header:
            if not found:
                parts.append(block)
            found = True
        else:
            parts.append(part)
    if not found:
        parts.append(block)
    chunks = [chunk.strip("\n") for chunk in (head, *parts)]
    return "\n\n".join(chunk for chunk in chunks if chunk) + "\n"


def record(
    section: str,
    lines: list[str],
    figures: Mapping[str, Any],
    settings: Mapping[str, Any] | None = None,
    *,
    results: Path | None = None,
    history: Path | None = None,
    when: dt.datetime | None = None,
) -> dict[str, Any]:
    """Record a run: one JSON line appended to the history, and ``section`` of RESULTS.md
    replaced by this run's table (``lines``, under a line saying when, where and at which
    commit). Other sections stay as they are. Returns the history entry.

    ``figures`` are the run's measurements as data (the numbers of ``lines``), ``settings``
    what is needed to read them (sizes, heap, repetitions). ``results`` and ``history``
    default to :data:`RESULTS` and :data:`HISTORY`.
    """
    results = results or RESULTS
    history = history or HISTORY
    when = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    entry: dict[str, Any] = {
        "benchmark": benchmark_key(section),
        "date": f"{when:%Y-%m-%dT%H:%MZ}",
        "commit": commit(),
        "uncommitted_changes": uncommitted(),
        "machine": machine(),
        "settings": _plain(settings or {}),
        "figures": _plain(figures),
    }
    entry["section"] = section
    entry["table"] = list(lines)
    block = section_block(entry)
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    results.write_text(replace_section(text, section, block), encoding="utf-8")
    with history.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def section_block(entry: Mapping[str, Any]) -> str:
    """The RESULTS.md section of a history entry that holds its table (``section``,
    ``table``): a line saying when, where and at which commit, then the table."""
    when = dt.datetime.strptime(str(entry["date"]), "%Y-%m-%dT%H:%MZ")
    at = f" at commit {entry['commit']}" if entry.get("commit") else ""
    if entry.get("uncommitted_changes"):
        at += " (with uncommitted changes)"
    return "\n".join(
        [
            f"## {entry['section']}",
            "",
            f"Run {when:%Y-%m-%d %H:%M} UTC{at} on {entry['machine']}.",
            "",
            *entry["table"],
        ]
    )


def regenerate(results: Path | None = None, history: Path | None = None) -> list[str]:
    """Rebuild RESULTS.md from the history: each section whose latest run recorded its table
    is written from that run's JSON entry; sections of older runs (no table) stay as they
    are. Returns the sections written."""
    results = results or RESULTS
    history = history or HISTORY
    latest: dict[str, dict[str, Any]] = {}
    with history.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                entry = json.loads(line)
                if "section" in entry and "table" in entry:
                    latest[entry["section"]] = entry
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    for section, entry in latest.items():
        text = replace_section(text, section, section_block(entry))
    results.write_text(text, encoding="utf-8")
    return list(latest)
