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
    COVERAGE_SUMMARY,
    CoverageReport,
    DeputyLoad,
    LevelCoverage,
    LoadBucket,
    LoadStats,
    LoadSummary,
    coverage_report,
    coverage_summary,
    gini,
    histogram_gini,
    is_coverage_summary,
    load_summary,
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
from graphcoord.analytics.escalation import (
    EscalationPath,
    Hop,
    build_hop_graph,
    default_target_level,
    escalation_paths,
    update_loads,
)
from graphcoord.analytics.graph import GraphBuilder
from graphcoord.analytics.groups import (
    GroupCompliance,
    GroupCoverage,
    GroupOverlap,
    group_coverage,
    group_overlaps,
    groups_located_in,
    quarterly_compliance,
)
from graphcoord.analytics.peers import ChainPeer, PeerPoint, chain_peers
from graphcoord.analytics.what_if import WhatIfReport, what_if_removal

__all__ = [
    "COVERAGE_SUMMARY",
    "DEFAULT_MAX_PER_DEPUTY",
    "AnalyticsError",
    "AreaNotFound",
    "Assignment",
    "AssignmentPlan",
    "ChainPeer",
    "CoverageReport",
    "DeputyLoad",
    "DeputyNotFound",
    "EscalationPath",
    "GraphBuilder",
    "GroupCompliance",
    "GroupCoverage",
    "GroupNotFound",
    "GroupOverlap",
    "Hop",
    "InvalidArgument",
    "LevelCoverage",
    "LoadBucket",
    "LoadStats",
    "LoadSummary",
    "NoEscalationPath",
    "NodeNotFound",
    "PeerPoint",
    "Unassignable",
    "WhatIfReport",
    "build_hop_graph",
    "chain_peers",
    "coverage_report",
    "coverage_summary",
    "default_target_level",
    "escalation_paths",
    "gini",
    "group_coverage",
    "group_overlaps",
    "groups_located_in",
    "histogram_gini",
    "is_coverage_summary",
    "load_summary",
    "quarterly_compliance",
    "suggest_assignments",
    "uncovered_villages",
    "update_loads",
    "villages_in_scope",
    "what_if_removal",
]
