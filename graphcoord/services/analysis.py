"""The analysis service: the planners' and deputies' questions, answered over the live graph.

Each function reads the projection it needs through the cache of
:mod:`graphcoord.services.projections` (so a repeated question costs one version check), runs the
pure function of :mod:`graphcoord.analytics` and maps its errors onto graphcoord's once:
:class:`~graphcoord.analytics.NodeNotFound` -> :class:`~graphcoord.errors.NotFound`,
:class:`~graphcoord.analytics.InvalidArgument` -> :class:`~graphcoord.errors.BadInput`,
:class:`~graphcoord.analytics.NoEscalationPath` -> :class:`~graphcoord.errors.NoPath`.
The CLI (``graphcoord analyze``) and the GraphQL resolvers both call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar

import networkx as nx

from graphcoord import analytics as an
from graphcoord.analytics import DEFAULT_MAX_PER_DEPUTY, AssignmentPlan, CoverageReport
from graphcoord.db import Database
from graphcoord.errors import BadInput, NoPath, NotFound
from graphcoord.i18n import Term
from graphcoord.model import is_village_kind
from graphcoord.services import projections as proj
from graphcoord.services.coverage_summary import SUMMARY_TOP, village_labels

__all__ = [
    "DEFAULT_MAX_PER_DEPUTY",
    "AssignmentPlan",
    "CoverageReport",
    "DeputyBrief",
    "Escalation",
    "GapReport",
    "GroupDetail",
    "GroupReport",
    "Names",
    "Village",
    "coverage",
    "coverage_with_areas",
    "escalate",
    "gaps",
    "group_detail",
    "groups",
    "names",
    "peers",
    "suggest",
    "translated",
    "what_if",
]

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def translated() -> Iterator[None]:
    """Turn analytics errors into the graphcoord errors every surface knows."""
    try:
        yield
    except an.NodeNotFound as error:
        raise NotFound(error.kind, error.key) from error
    except an.InvalidArgument as error:
        raise BadInput(error.message) from error
    except an.NoEscalationPath as error:
        raise NoPath(error.message) from error


def _run(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    with translated():
        return function(*args, **kwargs)


@dataclass(frozen=True, slots=True)
class Village:
    """A village or community with its name and its township's name (for display)."""

    code: str
    name: str
    township: str


class Names:
    """Names of the nodes of a projection, for display (``deputy("SQ-D00001")`` -> "王芳")."""

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph

    def _name(self, node: str, key: str) -> str:
        attrs = self.graph.nodes.get(node)
        return str(attrs.get("name") or key) if attrs else key

    def deputy(self, deputy_id: str) -> str:
        return self._name(f"deputy:{deputy_id}", deputy_id)

    def area(self, code: str) -> str:
        return self._name(f"area:{code}", code)

    def group(self, group_id: str) -> str:
        return self._name(f"group:{group_id}", group_id)

    def chain(self, chain_id: str) -> str:
        return self._name(f"chain:{chain_id}", chain_id)

    def level(self, deputy_id: str) -> str:
        attrs = self.graph.nodes.get(f"deputy:{deputy_id}")
        return str(attrs.get("level") or "") if attrs else ""

    def village(self, code: str) -> Village:
        attrs = self.graph.nodes.get(f"area:{code}") or {}
        parent = attrs.get("parent")
        return Village(code, self.area(code), self.area(parent) if parent else "")


def names(
    db: Database, area_code: str | None = None, parts: Iterable[proj.Part] = proj.COVERAGE
) -> Names:
    """Names from the (cached) projection that answered a question of the same scope."""
    return Names(proj.get_projection(db, area_code, parts))


def coverage(db: Database, area_code: str | None = None, *, top: int = 10) -> an.CoverageReport:
    """Coverage of the villages under ``area_code`` (``None``: everywhere), per level, with the
    uncovered, fragile and no-own-constituency villages and the deputies' load.

    Reads the scope's coverage summary (per-village aggregates from the database), so a
    national report does not ship every deputy and contact; ``top`` is capped at
    :data:`~graphcoord.services.coverage_summary.SUMMARY_TOP`.
    """
    return coverage_with_areas(db, area_code, top=top)[0]


def coverage_with_areas(
    db: Database, area_code: str | None = None, *, top: int = 10
) -> tuple[an.CoverageReport, Mapping[str, Mapping[str, Any]]]:
    """:func:`coverage` and the areas of the scope it read (code -> name, kind, parent,
    population; empty for the whole graph), so that a caller can show the villages of the
    report without reading them again."""
    G = proj.get_projection(db, area_code, proj.SUMMARY)
    report = _run(an.coverage_report, G, area_code, top=min(top, SUMMARY_TOP))
    return report, _AreaAttributes(G) if G.graph.get("named", True) else {}


class _AreaAttributes(Mapping[str, Mapping[str, Any]]):
    """A read-only view of a projection's area nodes by code."""

    def __init__(self, graph: nx.DiGraph) -> None:
        self.nodes = graph.nodes

    def __getitem__(self, code: str) -> Mapping[str, Any]:
        attrs = self.nodes["area:" + code]
        if attrs.get("type") != "area":
            raise KeyError(code)
        return MappingProxyType(attrs)

    def __iter__(self) -> Iterator[str]:
        return (a["code"] for a in self.nodes.values() if a.get("type") == "area")

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, slots=True)
class GapReport:
    """The villages of a scope that need attention.

    ``uncovered``: no ACTIVE deputy (of ``level``, when given) contacts them; ``fragile``: one
    deputy does; ``without_own_constituency_deputy``: no county/township deputy of their own
    constituency does.
    """

    area_code: str | None
    level: str | None
    village_count: int
    uncovered: tuple[Village, ...]
    fragile: tuple[Village, ...]
    without_own_constituency_deputy: tuple[Village, ...]


def gaps(db: Database, area_code: str | None = None, *, level: str | None = None) -> GapReport:
    """Uncovered (overall or by deputies of ``level``), fragile and no-own-constituency villages."""
    G = proj.get_projection(db, area_code, proj.SUMMARY)
    report = _run(an.coverage_report, G, area_code, top=0)
    uncovered = (
        report.uncovered
        if level is None
        else tuple(_run(an.uncovered_villages, G, area_code, level))
    )
    village: Callable[[str], Village] = Names(G).village
    if not G.graph.get("named", True):  # the whole graph's summary: villages by code only
        listed = {*uncovered, *report.fragile, *report.without_own_constituency_deputy}
        labels = village_labels(db, sorted(listed))

        def village(code: str) -> Village:
            return Village(code, *labels.get(code, (code, "")))

    return GapReport(
        area_code=area_code,
        level=None if level is None else level.upper(),
        village_count=report.village_count,
        uncovered=tuple(village(c) for c in uncovered),
        fragile=tuple(village(c) for c in report.fragile),
        without_own_constituency_deputy=tuple(
            village(c) for c in report.without_own_constituency_deputy
        ),
    )


def suggest(
    db: Database,
    area_code: str | None = None,
    *,
    max_per_deputy: int = an.DEFAULT_MAX_PER_DEPUTY,
    include_fragile: bool = False,
) -> an.AssignmentPlan:
    """New CONTACTS that close the gaps of a scope at least cost (min-cost flow)."""
    G = proj.get_projection(db, area_code, proj.COVERAGE)
    return _run(
        an.suggest_assignments,
        G,
        area_code,
        max_per_deputy=max_per_deputy,
        include_fragile=include_fragile,
    )


def what_if(
    db: Database,
    deputy_ids: Iterable[str],
    area_code: str | None = None,
    *,
    max_per_deputy: int = an.DEFAULT_MAX_PER_DEPUTY,
) -> an.WhatIfReport:
    """Villages that become uncovered or fragile if ``deputy_ids`` leave, with replacements."""
    ids = list(dict.fromkeys(deputy_ids))
    if not ids:
        raise BadInput("name at least one deputy who leaves")
    G = proj.get_projection(db, area_code, proj.COVERAGE)
    for deputy_id in ids:
        if f"deputy:{deputy_id}" not in G and not proj.deputy_exists(db, deputy_id):
            raise NotFound("deputy", deputy_id)
    present = [d for d in ids if f"deputy:{d}" in G]  # others contact nothing in scope
    return _run(an.what_if_removal, G, present, area_code, max_per_deputy=max_per_deputy)


@dataclass(frozen=True, slots=True)
class GroupReport:
    """The groups located in a scope: coverage, overlaps and quarterly compliance in ``year``."""

    area_code: str | None
    year: int
    coverage: tuple[an.GroupCoverage, ...]
    overlaps: tuple[an.GroupOverlap, ...]
    compliance: tuple[an.GroupCompliance, ...]


def groups(
    db: Database,
    area_code: str | None = None,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> GroupReport:
    """Coverage, overlaps and quarterly compliance of the groups located in ``area_code``.

    ``year`` defaults to the year of the latest activity; quarters ending after ``as_of``
    (default today) are not yet due.
    """
    G = proj.get_projection(db, area_code, proj.GROUPS)
    ids = _run(an.groups_located_in, G, area_code)
    if year is None:
        dates = [d for g in ids for d in G.nodes[f"group:{g}"]["activityDates"]]
        year = int(max(dates)[:4]) if dates else (as_of or dt.date.today()).year
    as_of_iso = (as_of or dt.date.today()).isoformat()
    with translated():
        return GroupReport(
            area_code=area_code,
            year=year,
            coverage=tuple(an.group_coverage(G, g) for g in ids),
            overlaps=tuple(an.group_overlaps(G, ids)),
            compliance=tuple(
                an.quarterly_compliance(
                    G,
                    year,
                    [g for g in ids if G.nodes[f"group:{g}"].get("kind") == "COLLABORATIVE"],
                    as_of=as_of_iso,
                )
            ),
        )


def peers(db: Database, deputy_id: str, *, limit: int | None = None) -> list[an.ChainPeer]:
    """Deputies on the same industry chains as ``deputy_id``, then on chains of its clusters."""
    G = proj.get_projection(db, None, proj.PEERS)
    if f"deputy:{deputy_id}" not in G:
        if proj.deputy_exists(db, deputy_id):
            return []  # on no chain: no peers
        raise NotFound("deputy", deputy_id)
    return _run(an.chain_peers, G, deputy_id, limit)


@dataclass(frozen=True, slots=True)
class DeputyBrief:
    """Who a deputy of an answer is, from the projection that gave the answer."""

    id: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class Escalation:
    """The ``k`` best escalation paths from a village, an issue's village or a deputy.

    ``deputies`` names every deputy on the paths (so a caller needs no second lookup).
    """

    start_kind: str  # VILLAGE | DEPUTY
    start_id: str
    issue_id: str | None
    target_level: str
    paths: tuple[an.EscalationPath, ...]
    deputies: dict[str, DeputyBrief]


def escalate(
    db: Database,
    *,
    village_code: str | None = None,
    issue_id: str | None = None,
    deputy_id: str | None = None,
    level: str | None = None,
    k: int = 3,
) -> Escalation:
    """The ``k`` cheapest explained paths to a deputy of ``level``.

    Start from exactly one of ``village_code``, ``issue_id`` (its RAISED_IN village; a
    township-or-higher issue starts from its first tracking deputy) or ``deputy_id``. ``level``
    defaults to :func:`~graphcoord.analytics.default_target_level` of the village (or of the
    issue's area): a village's issue goes to the township congress.
    """
    if sum(x is not None for x in (village_code, issue_id, deputy_id)) != 1:
        raise BadInput("give exactly one start: a village, an issue or a deputy")
    scope_kind = "VILLAGE"
    if issue_id is not None:  # read before the search holds the graphs
        place = proj.issue_place(db, issue_id)
        if place.area_code is None:
            raise BadInput("issue {issue!r} has no area it was raised in", issue=issue_id)
        scope_kind = place.area_kind or "VILLAGE"
        if is_village_kind(scope_kind):
            village_code = place.area_code
        elif place.trackers:
            deputy_id = place.trackers[0]
        else:
            raise BadInput(
                "issue {issue!r} was raised in a {kind} ({code}) and no deputy tracks it: start "
                "from a village or a deputy",
                issue=issue_id,
                kind=Term(scope_kind),
                code=place.area_code,
            )
    with proj.searching_hop_graph(db) as (G, H):  # ask nothing of the cache inside
        if issue_id is None:  # a start found from an issue was checked with it
            if village_code is not None:
                node = G.nodes.get(f"area:{village_code}")
                if node is None:
                    raise NotFound("area", village_code)
                scope_kind = str(node.get("kind"))
            elif f"deputy:{deputy_id}" not in G:
                raise NotFound("deputy", str(deputy_id))
        if level is None and village_code is None:
            # from a deputy: the congress one level above the deputy's own
            own = str(G.nodes[f"deputy:{deputy_id}"].get("level"))
            level = an.graph.LEVELS[max(an.graph.LEVEL_RANK.get(own, 1) - 1, 0)]
        with translated():
            target = an.default_target_level(scope_kind) if level is None else level.upper()
            paths = an.escalation_paths(
                G,
                village_code=village_code,
                deputy_id=deputy_id,
                target_level=target,
                k=k,
                hop_graph=H,
            )
        start_kind, start_id = (
            ("VILLAGE", village_code) if village_code is not None else ("DEPUTY", str(deputy_id))
        )
        on_paths = {d for path in paths for d in (*path.deputy_ids, path.target_deputy_id)}
        briefs = {}
        for deputy in sorted(on_paths):
            attrs = G.nodes[f"deputy:{deputy}"]
            briefs[deputy] = DeputyBrief(
                deputy, str(attrs.get("name") or deputy), str(attrs["level"])
            )
        return Escalation(start_kind, str(start_id), issue_id, target, tuple(paths), briefs)


@dataclass(frozen=True, slots=True)
class GroupDetail:
    """One group's coverage, its overlaps with the other groups, and (given a year) compliance."""

    coverage: an.GroupCoverage
    overlaps: tuple[an.GroupOverlap, ...]
    compliance: an.GroupCompliance | None


def group_detail(
    db: Database, group_id: str, *, year: int | None = None, as_of: dt.date | None = None
) -> GroupDetail:
    """What :func:`groups` says of one group, computing only that group's coverage."""
    G = proj.get_projection(db, None, proj.GROUPS)
    ids = sorted(n.split(":", 1)[1] for n, t in G.nodes(data="type") if t == "group")
    as_of_iso = (as_of or dt.date.today()).isoformat()
    with translated():
        coverage = an.group_coverage(G, group_id)
        overlaps = tuple(o for o in an.group_overlaps(G, ids) if group_id in (o.group_a, o.group_b))
        compliance = (
            an.quarterly_compliance(G, year, [group_id], as_of=as_of_iso)[0]
            if year is not None
            else None
        )
    return GroupDetail(coverage=coverage, overlaps=overlaps, compliance=compliance)
