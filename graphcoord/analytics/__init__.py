"""Analytics of the coordination graph: pure functions of a NetworkX graph, no database.

The graph contract is :mod:`graphcoord.analytics.graph`; each module holds one family of
algorithms and returns frozen dataclasses of plain values.
"""

from __future__ import annotations

from graphcoord.analytics.assignment import (
    DEFAULT_MAX_PER_DEPUTY,
    Assignment,
    AssignmentPlan,
    Unassignable,
    suggest_assignments,
)
from graphcoord.analytics.coverage import (
    CoverageReport,
    DeputyLoad,
    LevelCoverage,
    LoadBucket,
    LoadStats,
    coverage_report,
    gini,
    uncovered_villages,
    villages_in_scope,
)
from graphcoord.analytics.errors import (
    AnalyticsError,
    AreaNotFound,
    DeputyNotFound,
    GroupNotFound,
    InvalidArgument,
    NodeNotFound,
    NoEscalationPath,
)
from graphcoord.analytics.graph import GraphBuilder

__all__ = [
    "DEFAULT_MAX_PER_DEPUTY",
    "AnalyticsError",
    "AreaNotFound",
    "Assignment",
    "AssignmentPlan",
    "CoverageReport",
    "DeputyLoad",
    "DeputyNotFound",
    "GraphBuilder",
    "GroupNotFound",
    "InvalidArgument",
    "LevelCoverage",
    "LoadBucket",
    "LoadStats",
    "NoEscalationPath",
    "NodeNotFound",
    "Unassignable",
    "coverage_report",
    "gini",
    "suggest_assignments",
    "uncovered_villages",
    "villages_in_scope",
]
