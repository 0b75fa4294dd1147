"""Coverage summaries: the per-village aggregates of a scope, as the graph analytics read.

The summary is the graph :func:`graphcoord.analytics.coverage_summary` builds from a full
projection (the integration tests check that both give the same report), read instead from
the aggregates Neo4j computes (:mod:`graphcoord.queries.coverage_summary`), so the analytics
stay pure and a national report does not ship every deputy and contact.

An area's summary takes four reads (areas, village aggregates, loads, names of the ranked
deputies). The whole graph's is read differently, because there the cost is the database's:
see the comment above ``LEVEL_CONTACTS`` in the queries; eight reads on two sessions, at most
two per end of the load ranking and the names: at most thirteen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import MappingProxyType
from typing import Any

import networkx as nx

from graphcoord import collector
from graphcoord.analytics import (
    COVERAGE_SUMMARY,
    DeputyLoad,
    LoadBucket,
    LoadSummary,
    load_summary,
)
from graphcoord.analytics.graph import LEVELS
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.model import is_area_code, is_village_kind, significant_length
from graphcoord.queries import coverage_summary as q
from graphcoord.queries.coverage_summary import SUMMARY_TOP, village_labels
from graphcoord.queries.deputies import deputies_by_id
from graphcoord.queries.projection import scope_areas
from graphcoord.rules import is_within

__all__ = ["SUMMARY_TOP", "catch_up", "coverage_summary", "village_labels"]

#: A load bucket this large is walked in id order (hits come early) rather than scanned.
_LARGE_BUCKET = 1000

_COUNTY, _TOWNSHIP = LEVELS.index("COUNTY"), LEVELS.index("TOWNSHIP")


def coverage_summary(
    db: Database, scope: str | None = None, *, top: int = SUMMARY_TOP
) -> nx.DiGraph:
    """The coverage summary of ``scope`` (an area code, ``None``: everything), read from Neo4j.

    Same shape as :func:`graphcoord.analytics.coverage_summary`, plus the ranked deputies as
    ``deputy`` nodes (for names). An area's summary has every area of the scope with its name;
    the whole graph's has the villages by code only (``S.graph["named"]`` is false: look names
    up with :func:`~graphcoord.queries.coverage_summary.village_labels` for the villages you show). ``ownDeputy`` is true when a
    county or township deputy contacts the village: the rule contact-inside-constituency,
    enforced on every write, makes such a deputy one of the village's own constituency.
    Raises :class:`~graphcoord.errors.NotFound` when ``scope`` is not an area.
    """
    S = _whole_graph(db, top) if scope is None else _area(db, scope, top)
    ranked = {d.deputy_id for d in (*S.graph["load"].most_loaded, *S.graph["load"].least_loaded)}
    if ranked:
        for deputy_id, row in deputies_by_id(db, sorted(ranked)).items():
            S.add_node(
                "deputy:" + deputy_id,
                type="deputy",
                id=deputy_id,
                name=row.get("name") or deputy_id,
                level=row.get("level"),
            )
    return S


def catch_up(
    db: Database,
    S: nx.DiGraph,
    *,
    areas: frozenset[str],
    deputies: frozenset[str],
    areas_changed: frozenset[str],
    deputies_changed: frozenset[str] = frozenset(),
    top: int = SUMMARY_TOP,
) -> nx.DiGraph | None:
    """The summary ``S`` of an area caught up with coverage changes, equal to one read afresh:
    ``S`` itself when they do not concern its scope, a patched copy when they do (readers of
    ``S`` are not disturbed), or ``None`` when they cannot be patched (then read it again).

    ``areas`` are the codes the changes touched, ``deputies`` the deputies they touched,
    ``areas_changed`` the areas that changed themselves (name, kind, hierarchy: not patched),
    ``deputies_changed`` the deputies that did (their names are read again if ranked).
    One read gives the deputies' own areas, their loads in scope and the counts of the
    villages concerned -- values, not deltas, so catching up twice gives the same summary.
    The whole graph's summary (a histogram of 2.7 million loads at national size, not the
    loads themselves) is not patched.
    """
    scope = S.graph.get("scope")
    if scope is None:
        return None
    if any(is_within(code, scope) or is_within(scope, code) for code in areas_changed):
        return None
    prefix = scope[: significant_length(scope)]
    rows, villages = q.scope_catch_up(
        db, prefix, sorted(deputies), sorted(a for a in areas if is_area_code(a)), LEVELS
    )
    touched = set(areas).union(*(codes for *_, codes in rows))
    if not any(is_within(code, scope) or is_within(scope, code) for code in touched):
        return S
    T = S.copy()
    T.graph["loads"] = loads = dict(S.graph["loads"])
    node = T._node
    for code, counts in villages:
        attrs = node.get("area:" + code)
        if attrs is not None and "levelCounts" in attrs:
            _set_counts(attrs, counts)
    found = set()
    for deputy, active, n, elected_here, _ in rows:
        found.add(deputy)
        if active and (n or elected_here):
            loads[deputy] = n
        else:
            loads.pop(deputy, None)
    for deputy in deputies - found:  # deleted
        loads.pop(deputy, None)
    T.graph["load"] = load_summary(loads, top)
    _name_ranked(db, T, deputies_changed)
    return T


def _name_ranked(db: Database, S: nx.DiGraph, changed: frozenset[str]) -> None:
    """Give ``deputy`` nodes (names) to the ranked deputies that have none, or whose facts
    changed."""
    load = S.graph["load"]
    ranked = {d.deputy_id for d in (*load.most_loaded, *load.least_loaded)}
    missing = sorted(d for d in ranked if "deputy:" + d not in S or d in changed)
    if missing:
        for deputy_id, row in deputies_by_id(db, missing).items():
            S.add_node(
                "deputy:" + deputy_id,
                type="deputy",
                id=deputy_id,
                name=row.get("name") or deputy_id,
                level=row.get("level"),
            )


def _summary(scope: str | None, named: bool) -> nx.DiGraph:
    return nx.DiGraph(summary=COVERAGE_SUMMARY, scope=scope, named=named)


def _set_counts(attrs: dict[str, Any], counts: Sequence[int]) -> None:
    attrs["levelCounts"] = tuple(counts)
    attrs["ownDeputy"] = bool(counts[_COUNTY] or counts[_TOWNSHIP])


def _area(db: Database, scope: str, top: int) -> nx.DiGraph:
    S = _summary(scope, named=True)
    in_scope: list[str] = []
    codes: list[str] = []
    for inside, code, name, kind, parent, population in scope_areas(db, scope):
        S.add_node(
            "area:" + code,
            type="area",
            code=code,
            name=name or code,
            kind=kind,
            parent=parent,
            population=population,
        )
        if inside:
            in_scope.append(code)
            if is_village_kind(kind):
                codes.append(code)
    if not in_scope:
        raise NotFound("area", scope)
    node = S._node
    for code, counts in q.scope_village_counts(db, codes, LEVELS):
        _set_counts(node["area:" + code], counts)
    rows = q.scope_loads(db, codes, in_scope)
    loads = {deputy: n for deputy, n in rows}
    S.graph["loads"] = loads  # kept so that a contact change patches it (patch_summary)
    S.graph["load"] = load_summary(loads, top)
    return S


def _whole_graph(db: Database, top: int) -> nx.DiGraph:
    """The whole graph's summary, its reads spread over two sessions (two server threads)."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="coverage-summary") as pool:
        # The township read is the longest: it runs alone while the other session reads the
        # rest and this thread builds the village nodes.
        township = pool.submit(q.values, db, q.LEVEL_CONTACTS, {"level": "TOWNSHIP"})
        others = {
            level: pool.submit(q.values, db, q.LEVEL_CONTACTS, {"level": level})
            for level in ("COUNTY", "CITY", "PROVINCIAL", "NATIONAL")
        }
        villages = pool.submit(q.records, db, q.VILLAGE_IDS)
        histogram = pool.submit(q.records, db, q.DEGREE_HISTOGRAM)
        left = pool.submit(q.records, db, q.LEFT_DEPUTIES)
        with collector.paused():
            S = _summary(None, named=False)
            node = S._node
            by_id: dict[int, dict[str, Any]] = {}
            for ids, codes in villages.result():
                for node_id, code in zip(ids, codes, strict=True):
                    node["area:" + code] = by_id[node_id] = {"type": "area", "code": code}
            # no edges: every node shares one read-only empty adjacency
            S._succ.update(dict.fromkeys(node, _NO_EDGES))
            S._pred.update(dict.fromkeys(node, _NO_EDGES))
            per_level = {level: Counter(future.result()) for level, future in others.items()}
            per_level["TOWNSHIP"] = Counter(township.result())
            for level, contacted in left.result():
                if level in per_level:
                    per_level[level].subtract(contacted)
            counters = [per_level[level] for level in LEVELS]
            for node_id, attrs in by_id.items():
                _set_counts(attrs, [counter.get(node_id, 0) for counter in counters])
        degrees = Counter({int(r[0]): int(r[1]) for r in histogram.result()})
        for _, contacted in left.result():
            degrees[len(contacted)] -= 1
    buckets = tuple(LoadBucket(n, c) for n, c in sorted(degrees.items()) if c > 0)
    S.graph["load"] = LoadSummary(
        histogram=buckets,
        most_loaded=_ranked(db, buckets[::-1], top, most=True),
        least_loaded=_ranked(db, buckets, top, most=False),
    )
    return S


#: The adjacency of every node of a whole-graph summary (it has no edges; adding one fails).
_NO_EDGES: Mapping[str, Any] = MappingProxyType({})


def _ranked(
    db: Database, buckets: Sequence[LoadBucket], top: int, *, most: bool
) -> tuple[DeputyLoad, ...]:
    """The ``top`` ACTIVE deputies at one end of the load ranking (ties by id), in two reads.

    ``buckets`` run from that end. Deputies of the small buckets (rare loads) are found by one
    scan of the degrees; a large bucket (common loads) is walked in the id index's order,
    which stops after ``top`` hits. Only the last bucket needed can be large.
    """
    needed: list[LoadBucket] = []
    total = 0
    for bucket in buckets:
        if total >= top:
            break
        needed.append(bucket)
        total += bucket.deputies
    if not needed:
        return ()
    large = needed.pop() if needed[-1].deputies >= _LARGE_BUCKET else None
    ranked: list[DeputyLoad] = []
    if needed:
        rows = q.degrees_in(db, [b.villages for b in needed])
        found = sorted(
            (DeputyLoad(deputy_id, villages) for deputy_id, villages in rows),
            key=lambda d: (-d.villages if most else d.villages, d.deputy_id),
        )
        ranked.extend(found[:top])
    if large is not None and len(ranked) < top:
        ids = q.degree_bucket(db, large.villages, top - len(ranked))
        ranked.extend(DeputyLoad(deputy_id, large.villages) for deputy_id in ids)
    return tuple(ranked)
