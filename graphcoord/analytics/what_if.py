"""What-if analysis: the coverage lost when deputies leave, and replacements that restore it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graphcoord.analytics._common import as_id_list, is_active, require_deputy, scope_areas
from graphcoord.analytics.assignment import (
    DEFAULT_MAX_PER_DEPUTY,
    AssignmentPlan,
    suggest_assignments,
)
from graphcoord.analytics.graph import key_of

__all__ = ["WhatIfReport", "what_if_removal"]


@dataclass(frozen=True, slots=True)
class WhatIfReport:
    """The effect of removing deputies on the villages of a scope.

    ``affected`` are the villages in scope that a removed (ACTIVE) deputy contacted;
    ``newly_uncovered`` had a contact before and have none after; ``newly_fragile`` had two or
    more contacts before and exactly one after. ``replacements`` is the plan that gives each of
    those villages a new contact, computed without the removed deputies.
    """

    removed_deputy_ids: tuple[str, ...]
    area_code: str | None
    village_count: int
    covered_before: int
    covered_after: int
    coverage_rate_before: float
    coverage_rate_after: float
    affected: tuple[str, ...]
    newly_uncovered: tuple[str, ...]
    newly_fragile: tuple[str, ...]
    replacements: AssignmentPlan


def what_if_removal(
    G: nx.DiGraph,
    deputy_ids: str | Iterable[str],
    area_code: str | None = None,
    *,
    max_per_deputy: int = DEFAULT_MAX_PER_DEPUTY,
    replace_fragile: bool = True,
) -> WhatIfReport:
    """Which villages become uncovered or fragile if the given deputies leave.

    Parameters
    ----------
    G : networkx.DiGraph
        A coordination graph; it is not modified.
    deputy_ids : str or iterable of str
        The deputies who leave (or whose term ends). A deputy already ``LEFT`` changes nothing.
    area_code : str or None, optional
        Scope, as in :func:`~graphcoord.analytics.coverage.villages_in_scope`.
    max_per_deputy : int, optional
        Capacity passed to :func:`~graphcoord.analytics.assignment.suggest_assignments`.
    replace_fragile : bool, optional
        Also suggest a second contact for the newly fragile villages (default ``True``);
        otherwise only for the newly uncovered ones.

    Returns
    -------
    WhatIfReport

    Raises
    ------
    DeputyNotFound
        If an id is not a deputy of ``G``.
    AreaNotFound
        If ``area_code`` is not an area of ``G``.

    Examples
    --------
    >>> from graphcoord.analytics.graph import GraphBuilder
    >>> b = GraphBuilder()
    >>> _ = b.area("T1", kind="TOWNSHIP"); _ = b.area("V1", parent="T1")
    >>> _ = b.deputy("A", "TOWNSHIP", elected_in="T1"); b.contact("A", "V1")
    >>> _ = b.deputy("B", "TOWNSHIP", elected_in="T1")
    >>> report = what_if_removal(b.build(), ["A"])
    >>> report.newly_uncovered
    ('V1',)
    >>> [(a.deputy_id, a.village_code) for a in report.replacements.assignments]
    [('B', 'V1')]

    Notes
    -----
    The removal is a :func:`networkx.restricted_view` (no copy of ``G``). Counting is
    :math:`O(a + c)` over the areas and contacts in scope; the replacements cost one
    :func:`~graphcoord.analytics.assignment.suggest_assignments` restricted to the affected
    villages.
    """
    ids = as_id_list(deputy_ids)
    removed = [require_deputy(G, deputy_id) for deputy_id in ids]
    gone = set(removed)
    villages, _ = scope_areas(G, area_code)
    nodes = G.nodes
    covered_before = covered_after = 0
    affected: list[str] = []
    newly_uncovered: list[str] = []
    newly_fragile: list[str] = []
    for village in villages:
        contacts = [
            d
            for d, rel in G.pred[village].items()
            if rel.get("rel") == "CONTACTS" and is_active(nodes[d])
        ]
        before = len(contacts)
        after = sum(1 for d in contacts if d not in gone)
        covered_before += before > 0
        covered_after += after > 0
        if after == before:
            continue
        code = key_of(village)
        affected.append(code)
        if after == 0:
            newly_uncovered.append(code)
        elif after == 1:
            newly_fragile.append(code)
    targets = newly_uncovered + (newly_fragile if replace_fragile else [])
    view = nx.restricted_view(G, removed, [])
    replacements = suggest_assignments(
        view,
        area_code,
        max_per_deputy=max_per_deputy,
        include_fragile=replace_fragile,
        villages=targets,
    )
    total = len(villages)
    return WhatIfReport(
        removed_deputy_ids=tuple(ids),
        area_code=area_code,
        village_count=total,
        covered_before=covered_before,
        covered_after=covered_after,
        coverage_rate_before=covered_before / total if total else 0.0,
        coverage_rate_after=covered_after / total if total else 0.0,
        affected=tuple(affected),
        newly_uncovered=tuple(newly_uncovered),
        newly_fragile=tuple(newly_fragile),
        replacements=replacements,
    )
