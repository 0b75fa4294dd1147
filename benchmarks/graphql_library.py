"""graphcoord's GraphQL API beside the Neo4j GraphQL Library, over the same store.

The peer a Neo4j user would pick: ``@neo4j/graphql`` 7 served by Apollo Server 4 on Node
(``benchmarks/neo4j_graphql/``: pinned lockfile, type definitions of the same labels and
relationship types), which compiles a whole nested selection into one Cypher statement. Both
servers run as their own processes on loopback against the same Neo4j, both warm; for each
directory query both can express, the same selection is asked of each, the two alternating
request by request, and p50/p95 are reported with their ratio (goal: graphcoord ≤ 1.0×).

The Suqian seed always; the national roll too with ``--national-scale S`` (its generator's
CSVs loaded once with LOAD CSV, as the analytics benchmark does). ``npm ci`` runs here, at
benchmark time, when ``node_modules`` is missing: never at graphcoord's run time.

Usage: ``python benchmarks/run.py graphql_library [-- --repeat 200 --warmup 50
--national-scale 0.1]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    benchmark_database,
    free_port,
    percentiles,
    record,
    timed,
)
from benchmarks.graphql_api import Client, Server
from graphcoord.auth import create_token
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.seeds import load_seed

SECTION = "GraphQL vs the Neo4j GraphQL Library (issue 28)"
PEER = ROOT / "benchmarks" / "neo4j_graphql"


@dataclass(frozen=True)
class Case:
    """One directory query in both dialects: graphcoord's and the Library's."""

    name: str
    graphcoord: str
    library: str


CASES: tuple[Case, ...] = (
    Case(
        "deputies by level and area (50)",
        "query($a: String!) { deputies(first: 50, where: {level: COUNTY, areaCode: $a}) "
        "{ edges { node { id name level } } } }",
        # graphcoord's areaCode: elected in the area, or contacting a village inside it.
        "query($p: String!) { deputies(limit: 50, sort: [{id: ASC}], where: {level: {eq: "
        '"COUNTY"}, OR: [{electedIn: {startsWith: $p}}, {contacts: {some: {code: '
        "{startsWith: $p}}}}]}) { id name level } }",
    ),
    Case(
        "page of deputies with their groups and members (20)",
        "query($a: String!) { deputies(first: 20, where: {areaCode: $a}) { edges { node { "
        "id name groups { role group { id name members { role deputy { id name } } } } } } } }",
        "query($p: String!) { deputies(limit: 20, sort: [{id: ASC}], where: {OR: [{electedIn: "
        "{startsWith: $p}}, {contacts: {some: {code: {startsWith: $p}}}}]}) { id name "
        "groupsConnection { edges { properties { role } node { id name membersConnection "
        "{ edges { properties { role } node { id name } } } } } } } }",
    ),
    Case(
        "area with its children",
        "query($a: String!) { area(code: $a) { code name kind children { code name kind } } }",
        "query($a: String!) { areas(where: {code: {eq: $a}}) { code name kind "
        "children(sort: [{code: ASC}]) { code name kind } } }",
    ),
    Case(
        "group with its members",
        "query($g: ID!) { group(id: $g) { id name members { role deputy { id name level } } } }",
        "query($g: ID!) { groups(where: {id: {eq: $g}}) { id name membersConnection { edges { "
        "properties { role } node { id name level } } } } }",
    ),
)

#: What graphcoord answers that the Library's generated API cannot express (only as
#: hand-written Cypher in an ``@cypher`` field, i.e. not the Library compiling a selection).
NOT_EXPRESSIBLE = (
    "coverage of an area (villages under it by prefix, who covers each, Gini of the load), "
    "escalation paths (k cheapest paths through NetworkX's projection), chain peers (scores), "
    "uncovered villages (NOT EXISTS of an active contact of a level), totalCount under "
    "graphcoord's roles and phone masking (the Library's @authorization needs JWT rules "
    "written per field)"
)


def npm_ci() -> None:
    """Install the peer's pinned packages (``npm ci``) unless they already are."""
    if (PEER / "node_modules" / "@neo4j" / "graphql").is_dir():
        return
    print("npm ci in benchmarks/neo4j_graphql …", flush=True)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=PEER,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )


@contextlib.contextmanager
def library_server(settings: Settings) -> Iterator[str]:
    """The Library on Apollo Server in a Node process of its own, on a free loopback port."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": settings.password,
        "PORT": str(port),
        "NODE_ENV": "production",
    }
    process = subprocess.Popen(
        ["node", "server.mjs"],
        cwd=PEER,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "ready <port>", or why not
        if not line.startswith("ready"):
            raise RuntimeError(f"the Library's server did not start: {line}{process.stdout.read()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


class KeptClient(Client):
    """:class:`Client` that connects again when the server closed the idle connection: uvicorn
    and Node both close a keep-alive connection after 5 s idle, and at the national size one
    side's request can take that long while the other side's connection waits."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        super().__init__(url, headers)
        self.url, self.headers = url, headers

    def post(self, payload: dict[str, Any]) -> Any:
        try:
            return super().post(payload)
        except (ConnectionError, OSError):
            self.socket.close()
            Client.__init__(self, self.url, self.headers)
            return super().post(payload)


def ask(client: Client, query: str, variables: dict[str, Any]) -> Any:
    body = client.post({"query": query, "variables": variables})
    if "errors" in body:
        raise RuntimeError(body["errors"])
    return body["data"]


def count_rows(answer: Any) -> int:
    """How many objects an answer holds (to check both sides return the same amount)."""
    if isinstance(answer, dict):
        return (1 if "id" in answer or "code" in answer else 0) + sum(
            count_rows(value) for value in answer.values()
        )
    if isinstance(answer, list):
        return sum(count_rows(item) for item in answer)
    return 0


def parameters(db: Database, suqian: bool) -> dict[str, str]:
    """The area (a county: its code and prefix) and group the cases ask for."""
    if suqian:
        return {"a": "321322000000", "p": "321322", "g": "SQ-G07"}
    # a group with members (the first by id had none at ×0.1: an answer of one object)
    county = db.execute(
        "MATCH (g:Group) WHERE g.areaCode IS NOT NULL "
        "WITH g, COUNT { (g)<-[:MEMBER_OF]-(:Deputy) } AS members "
        "RETURN g.id AS g, g.areaCode AS a ORDER BY members DESC, g.id LIMIT 1"
    )[0]
    code = str(county["a"])[:6] + "000000"
    return {"a": code, "p": code[:6], "g": str(county["g"])}


def compare(
    label: str,
    ours: Client,
    theirs: Client,
    values: dict[str, str],
    repeat: int,
    warmup: int,
) -> tuple[list[str], dict[str, Any]]:
    """Time every case on both sides, alternating; the table rows and figures."""
    lines: list[str] = []
    figures: dict[str, Any] = {}
    for case in CASES:
        ours_vars = {k: v for k, v in values.items() if f"${k}" in case.graphcoord}
        theirs_vars = {k: v for k, v in values.items() if f"${k}" in case.library}
        rows = (
            count_rows(ask(ours, case.graphcoord, ours_vars)),
            count_rows(ask(theirs, case.library, theirs_vars)),
        )
        sides = {
            "graphcoord": lambda c=case, v=ours_vars: ask(ours, c.graphcoord, v),
            "library": lambda c=case, v=theirs_vars: ask(theirs, c.library, v),
        }
        for _ in range(warmup):
            for call in sides.values():
                call()
        samples: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(repeat):
            for side, call in sides.items():
                samples[side] += timed(call, 1)
        gc, lib = percentiles(samples["graphcoord"]), percentiles(samples["library"])
        ratio = gc["p50"] / lib["p50"]
        figures[case.name] = {
            "graphcoord_ms": gc,
            "library_ms": lib,
            "ratio_p50": ratio,
            "objects": {"graphcoord": rows[0], "library": rows[1]},
        }
        print(
            f"{label} {case.name}: graphcoord {gc['p50']:.1f}/{gc['p95']:.1f} ms, Library "
            f"{lib['p50']:.1f}/{lib['p95']:.1f} ms, ×{ratio:.2f} (objects {rows[0]}/{rows[1]})",
            flush=True,
        )
        lines.append(
            f"| {label} | {case.name} | {gc['p50']:.1f} / {gc['p95']:.1f} | {lib['p50']:.1f} / "
            f"{lib['p95']:.1f} | {ratio:.2f}× | {rows[0]} / {rows[1]} |"
        )
    return lines, figures


def run_store(
    label: str, settings: Settings, db: Database, suqian: bool, repeat: int, warmup: int
) -> tuple[list[str], dict[str, Any]]:
    token = create_token(settings.signing_secret, "organizer")
    headers = {"authorization": f"Bearer {token}"}
    with (
        Server(settings) as ours_url,
        library_server(settings) as theirs_url,
        contextlib.closing(KeptClient(ours_url, headers)) as ours,
        contextlib.closing(KeptClient(theirs_url, {})) as theirs,
    ):
        return compare(label, ours, theirs, parameters(db, suqian), repeat, warmup)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="graphql_library")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--national-scale",
        type=float,
        default=0.0,
        help="also compare over the national roll at this scale (0: Suqian only)",
    )
    parser.add_argument(
        "--national-repeat",
        type=int,
        default=None,
        help="timed rounds over the national roll (default --repeat): at scale 1 the Library's "
        "slowest query takes seconds a request",
    )
    parser.add_argument("--national-warmup", type=int, default=None, help="default --warmup")
    parser.add_argument("--data", type=Path, default=None, help="national CSVs folder")
    parser.add_argument(
        "--state",
        type=Path,
        default=None,
        help="keep the national store in this folder (loaded once, reused; server left running)",
    )
    args = parser.parse_args(argv)
    national_repeat = args.national_repeat or args.repeat
    national_warmup = args.warmup if args.national_warmup is None else args.national_warmup
    npm_ci()
    rows: list[str] = []
    figures: dict[str, Any] = {}
    with benchmark_database() as (settings, db):
        load_seed(db, "suqian")
        part, figures["suqian"] = run_store("Suqian", settings, db, True, args.repeat, args.warmup)
        rows += part
    if args.national_scale > 0:
        from benchmarks.national_data import load_national_csv, load_national_links

        scale = args.national_scale
        data = args.data or Path(tempfile.gettempdir()) / f"graphcoord-national-{scale}"
        with benchmark_database(heap="4g", pagecache="3g", state=args.state) as (settings, db):
            started = time.perf_counter()
            load_national_csv(settings, db, scale, data)
            load_national_links(settings, db, data)
            print(f"national roll loaded in {time.perf_counter() - started:.0f} s", flush=True)
            label = f"national ×{scale:g}"
            part, figures["national"] = run_store(
                label, settings, db, False, national_repeat, national_warmup
            )
            rows += part
    national_rounds = ""
    if args.national_scale > 0 and (national_repeat, national_warmup) != (
        args.repeat,
        args.warmup,
    ):
        national_rounds = f" (national: {national_repeat} after {national_warmup})"
    lines = [
        "`graphcoord serve` (strawberry on uvicorn, one worker) and the Neo4j GraphQL Library "
        "7.6 on Apollo Server 4.13 (Node 20, `benchmarks/neo4j_graphql/`), each its own "
        "process on loopback against the same Neo4j (Suqian: heap 2g / page cache 1g; "
        "national: 4g / 3g), both warm "
        f"({args.warmup} warm-up rounds); {args.repeat} timed requests per case and side"
        f"{national_rounds}, the two sides alternating, one keep-alive connection each parsed "
        "in C (httptools). The same selection on both sides (graphcoord's `areaCode` filter "
        "written as the Library's `OR` of `electedIn` and `contacts.some`; members through the "
        "Library's `…Connection` for the membership's role); objects: what each answer holds.",
        "",
        "| store | query | graphcoord p50 / p95 (ms) | Library p50 / p95 (ms) | ratio p50 "
        "| objects |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Not expressible in the Library's generated API: {NOT_EXPRESSIBLE}.",
    ]
    run_settings = {
        "repeat": args.repeat,
        "warmup": args.warmup,
        "national_scale": args.national_scale,
        "national_repeat": national_repeat,
        "national_warmup": national_warmup,
        "library": "@neo4j/graphql 7.6.3, @apollo/server 4.13.0, node " + node_version(),
        "suqian": {"heap": "2g", "pagecache": "1g"},
        "national": {"heap": "4g", "pagecache": "3g"},
    }
    record(SECTION, lines, figures, run_settings)
    return 0


def node_version() -> str:
    done = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
