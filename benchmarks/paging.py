"""The directory's pages at the national size: page 1 and page 1,000, and each statement's plan.

Over the national roll (the generator's CSVs loaded once with LOAD CSV, as the analytics
benchmark does), through ``graphcoord serve`` over HTTP: the first page of 50 and the page after
49,950 rows (page 1,000, its cursor the key cursor the API gives out for that row) of each
directory list, the two alternating request by request; p50/p95 and the ratio (goal: page
1,000 within 2× of page 1). Then ``PROFILE`` of each directory statement (the deputies'
statement of every filter shape, groups, uncovered villages) at that size: the operators, rows
and database hits, written with ``--profiles FILE`` as Markdown (docs/paging.md quotes them).

Usage: ``python benchmarks/run.py paging [-- --scale 1.0 --repeat 30 --state DIR
--profiles docs/paging-profiles.md]``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, LiteralString

from benchmarks.common import benchmark_database, percentiles, record, timed
from benchmarks.graphql_api import Client, Server
from benchmarks.national_data import load_national_csv, load_national_links
from graphcoord.auth import create_token
from graphcoord.db import Database
from graphcoord.queries.pages import (
    UNCOVERED_OF_LEVEL_PAGE,
    UNCOVERED_PAGE,
    DeputyFilters,
    deputy_statements,
)
from graphcoord.schema.pagination import encode_key_cursor

SECTION = "Paging at the national size (issue 28)"
PAGE = 50
#: Page 1,000: the rows after the first 999 pages.
SKIPPED = 999 * PAGE


def nth_key(db: Database, statement: LiteralString, parameters: dict[str, Any]) -> str | None:
    """The key of the ``SKIPPED``-th row of a list (``None`` when it is shorter)."""
    rows = db.execute(statement, {**parameters, "skip": SKIPPED - 1})
    return str(rows[0]["key"]) if rows else None


def largest_province(db: Database) -> str:
    """The two-digit prefix of the province with the most villages and communities: the one
    whose uncovered villages are likeliest to run to 1,000 pages."""
    return str(
        db.execute(
            "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] "
            "RETURN substring(v.code, 0, 2) AS prefix, count(*) AS n "
            "ORDER BY n DESC, prefix LIMIT 1"
        )[0]["prefix"]
    )


def cases(db: Database, prefix: str) -> dict[str, tuple[str, dict[str, Any], str | None]]:
    """Each list: its GraphQL query, variables, and the key of the row before page 1,000."""
    province = prefix + "0000000000"
    return {
        "deputies": (
            "query($after: String) { deputies(first: 50, after: $after) "
            "{ edges { node { id name level } } pageInfo { hasNextPage endCursor } } }",
            {},
            nth_key(db, "MATCH (d:Deputy) RETURN d.id AS key ORDER BY key SKIP $skip LIMIT 1", {}),
        ),
        "deputies of a level (COUNTY)": (
            "query($after: String) { deputies(first: 50, after: $after, where: {level: COUNTY}) "
            "{ edges { node { id name level } } pageInfo { hasNextPage endCursor } } }",
            {},
            nth_key(
                db,
                "MATCH (d:Deputy {level: 'COUNTY'}) RETURN d.id AS key ORDER BY key "
                "SKIP $skip LIMIT 1",
                {},
            ),
        ),
        "uncovered villages of a province (NATIONAL)": (
            "query($after: String, $a: String!) { uncoveredVillages(areaCode: $a, "
            "level: NATIONAL, first: 50, after: $after) { edges { node { code name } } "
            "pageInfo { hasNextPage endCursor } } }",
            {"a": province},
            nth_key(
                db,
                "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] AND v.code STARTS WITH "
                "$p AND NOT EXISTS { MATCH (v)<-[:CONTACTS]-(d:Deputy {level: 'NATIONAL'}) "
                "WHERE coalesce(d.status, 'ACTIVE') = 'ACTIVE' } "
                "RETURN v.code AS key ORDER BY key SKIP $skip LIMIT 1",
                {"p": province[:2]},
            ),
        ),
    }


def asker(client: Client, query: str, variables: dict[str, Any]) -> Callable[[], Any]:
    """A request of ``query`` that fails loudly on any GraphQL error."""

    def call() -> Any:
        body = client.post({"query": query, "variables": variables})
        if "errors" in body:
            raise RuntimeError(body["errors"])
        return body

    return call


def profile(db: Database, statement: LiteralString, parameters: dict[str, Any]) -> list[str]:
    """``PROFILE`` of a statement: its operators (indented), rows and db hits, and the total."""
    result = db.driver.execute_query(
        "PROFILE " + statement,
        parameters,
        database_=db.settings.neo4j_database,
    )
    plan = result.summary.profile or {}
    lines: list[str] = []
    total = 0

    def walk(node: dict[str, Any], depth: int) -> None:
        nonlocal total
        hits = int(node.get("dbHits", 0))
        total += hits
        details = str(node.get("args", {}).get("Details", ""))[:90]
        lines.append(
            f"{'  ' * depth}{node.get('operatorType', '?')} rows={node.get('rows', 0)} "
            f"hits={hits} {details}".rstrip()
        )
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(plan, 0)
    return [f"total db hits: {total}", *lines]


def profiles(db: Database, ids: dict[str, str]) -> list[str]:
    """Markdown: each directory statement at this size, page 1, its plan."""
    shapes = {
        "no filter": DeputyFilters(),
        "level": DeputyFilters(level="COUNTY"),
        "area": DeputyFilters(area_prefix=ids["county"][:6]),
        "level + area": DeputyFilters(level="COUNTY", area_prefix=ids["county"][:6]),
        "group": DeputyFilters(group_id=ids["group"]),
        "chain": DeputyFilters(chain_id=ids["chain"]),
        "name": DeputyFilters(name_contains="王"),
    }
    out: list[str] = []
    for shape, filters in shapes.items():
        page, count = deputy_statements(filters)
        parameters = {**filters.parameters(), "after": "", "limit": PAGE + 1}
        for what, statement in (("page", page), ("count", count)):
            out += [
                f"### deputies, {shape}: {what}",
                "",
                "```",
                statement.strip(),
                "",
                "-- PROFILE",
            ]
            out += [*profile(db, statement, parameters), "```", ""]
    prefix = ids["province"]
    up_to = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    for name, statement, level in (
        ("uncovered villages of a province", UNCOVERED_PAGE, None),
        ("uncovered villages of a province, NATIONAL", UNCOVERED_OF_LEVEL_PAGE, "NATIONAL"),
    ):
        parameters = {"prefix": prefix, "after": "", "upTo": up_to, "level": level, "limit": 51}
        out += [f"### {name}: page", "", "```", statement.strip(), "", "-- PROFILE"]
        out += [*profile(db, statement, parameters), "```", ""]
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="paging")
    parser.add_argument("--scale", type=float, default=1.0, help="national deputies scale")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--state", type=Path, default=None, help="keep the national store here")
    parser.add_argument("--data", type=Path, default=None, help="national CSVs folder")
    parser.add_argument("--profiles", type=Path, default=None, help="write the plans here")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.gettempdir()) / f"graphcoord-national-{args.scale}"
    rows: list[str] = []
    figures: dict[str, Any] = {}
    with benchmark_database(heap="4g", pagecache="3g", state=args.state) as (settings, db):
        started = time.perf_counter()
        load_national_csv(settings, db, args.scale, data)
        load_national_links(settings, db, data)
        # The paging indexes (queries/constraints.py) are created by ensure_database; wait.
        db.write("CALL db.awaitIndexes(3600)")
        print(f"national roll ready in {time.perf_counter() - started:.0f} s", flush=True)
        deputies = db.execute("MATCH (d:Deputy) RETURN count(d) AS n")[0]["n"]
        token = create_token(settings.signing_secret, "organizer")
        with (
            Server(settings) as url,
            contextlib.closing(Client(url, {"authorization": f"Bearer {token}"})) as client,
        ):
            province = largest_province(db)
            for name, (query, variables, key) in cases(db, province).items():
                if key is None:
                    print(f"{name}: fewer than 1,000 pages at this scale; skipped")
                    continue
                later = {**variables, "after": encode_key_cursor([key])}

                sides = {
                    "page 1": asker(client, query, variables),
                    "page 1,000": asker(client, query, later),
                }
                for _ in range(args.warmup):
                    for call in sides.values():
                        call()
                samples: dict[str, list[float]] = {side: [] for side in sides}
                for _ in range(args.repeat):
                    for side, call in sides.items():
                        samples[side] += timed(call, 1)
                first, thousandth = (
                    percentiles(samples["page 1"]),
                    percentiles(samples["page 1,000"]),
                )
                ratio = thousandth["p50"] / first["p50"]
                figures[name] = {"page_1_ms": first, "page_1000_ms": thousandth, "ratio": ratio}
                print(
                    f"{name}: page 1 {first['p50']:.1f}/{first['p95']:.1f} ms, page 1,000 "
                    f"{thousandth['p50']:.1f}/{thousandth['p95']:.1f} ms, ×{ratio:.2f}",
                    flush=True,
                )
                rows.append(
                    f"| {name} | {first['p50']:.1f} / {first['p95']:.1f} | "
                    f"{thousandth['p50']:.1f} / {thousandth['p95']:.1f} | {ratio:.2f}× |"
                )
        if args.profiles is not None:
            ids = {
                "province": province,
                "county": str(
                    db.execute(
                        "MATCH (a:Area {kind: 'COUNTY'}) RETURN a.code AS c ORDER BY c LIMIT 1"
                    )[0]["c"]
                ),
                "group": str(
                    db.execute("MATCH (g:Group) RETURN g.id AS g ORDER BY g LIMIT 1")[0]["g"]
                ),
                "chain": str(
                    db.execute("MATCH (c:IndustryChain) RETURN c.id AS c ORDER BY c LIMIT 1")[0][
                        "c"
                    ]
                ),
            }
            head = [
                f"# PROFILE of the directory statements (national roll ×{args.scale:g}, "
                f"{deputies:,} deputies)",
                "",
                "Written by `python benchmarks/run.py paging -- --profiles FILE`; page 1 of each.",
                "",
            ]
            args.profiles.write_text("\n".join([*head, *profiles(db, ids)]), encoding="utf-8")
    lines = [
        f"National roll ×{args.scale:g} ({deputies:,} deputies), Neo4j heap 4g / page cache 3g; "
        f"through `graphcoord serve` over HTTP, pages of {PAGE}; page 1,000 starts after row "
        f"{SKIPPED:,} (its key cursor); {args.repeat} timed requests per side after "
        f"{args.warmup} warm-up rounds, the two alternating; the province is the one with the "
        f"most villages ({province}0000000000). Goal: page 1,000 within 2× of page 1.",
        "",
        "| list | page 1 p50 / p95 (ms) | page 1,000 p50 / p95 (ms) | ratio p50 |",
        "|---|---|---|---|",
        *rows,
    ]
    record(
        SECTION,
        lines,
        figures,
        {
            "scale": args.scale,
            "deputies": deputies,
            "repeat": args.repeat,
            "warmup": args.warmup,
            "page": PAGE,
            "heap": "4g",
            "pagecache": "3g",
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
