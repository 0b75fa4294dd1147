"""The GraphQL schema: ``Query``, ``Mutation`` and ``schema`` only.

Each domain module of this package contributes a ``…Query`` and/or ``…Mutation`` type; they
are merged here, so adding a domain is one line in :data:`QUERY_PARTS` / :data:`MUTATION_PARTS`.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import ASTValidationRule
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.tools import merge_types

from graphcoord.config import Settings
from graphcoord.schema.alarms import AlarmQuery
from graphcoord.schema.analysis import AnalysisQuery
from graphcoord.schema.cost import cost_rules
from graphcoord.schema.directory import DirectoryQuery
from graphcoord.schema.documents import Documents
from graphcoord.schema.errors import ErrorCodes
from graphcoord.schema.execution import PlainExecutionContext
from graphcoord.schema.freshness import CatchUpAfterWrites
from graphcoord.schema.handling import HandlingMutation, HandlingQuery
from graphcoord.schema.imports import ImportMutation, ImportQuery
from graphcoord.schema.issues import IssueMutation, IssueQuery
from graphcoord.schema.meta import MetaQuery
from graphcoord.schema.opinions import OpinionMutation, OpinionQuery
from graphcoord.schema.planning import PlanningMutation
from graphcoord.schema.proposals import ProposalMutation, ProposalQuery
from graphcoord.schema.records import RecordQuery
from graphcoord.schema.report_backs import ReportBackMutation, ReportBackQuery
from graphcoord.schema.stations import StationMutation, StationQuery

__all__ = ["MUTATION_PARTS", "QUERY_PARTS", "build_schema", "schema"]

QUERY_PARTS: tuple[type, ...] = (
    MetaQuery,
    DirectoryQuery,
    AnalysisQuery,
    IssueQuery,
    ImportQuery,
    OpinionQuery,
    StationQuery,
    AlarmQuery,
    HandlingQuery,
    ProposalQuery,
    RecordQuery,
    ReportBackQuery,
)
MUTATION_PARTS: tuple[type, ...] = (
    PlanningMutation,
    IssueMutation,
    ImportMutation,
    OpinionMutation,
    StationMutation,
    HandlingMutation,
    ProposalMutation,
    ReportBackMutation,
)

Query = merge_types("Query", QUERY_PARTS)
Mutation = merge_types("Mutation", MUTATION_PARTS) if MUTATION_PARTS else None


class GraphcoordSchema(strawberry.Schema):
    """A schema that leaves error logging to :class:`ErrorCodes`.

    Strawberry logs every error with its traceback; a refused token or a bad argument is an
    answer, not an incident, and unexpected errors are already logged by the extension.
    """

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None


def limit_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits as validation rules, made once per schema.

    Each ``QueryDepthLimiter`` / ``MaxAliasesLimiter`` instance makes rule classes of its own,
    and the validation cache is keyed by the rule classes: limiters made per request meant
    every request was validated again (1.3 ms of a 1.7 ms ``{ __typename }``).
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.query_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.query_max_aliases).validation_rules,
    ]
    if not settings.introspection:  # GRAPHCOORD_INTROSPECTION=0: no __schema, no __type
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema with its limits (depth, aliases, tokens, cost per role) from settings."""
    settings = settings or Settings()
    rules = limit_rules(settings)
    per_role = cost_rules(settings)
    return GraphcoordSchema(
        query=Query,
        mutation=Mutation,
        execution_context_class=PlainExecutionContext,
        extensions=[
            ErrorCodes,
            CatchUpAfterWrites,
            # The token, depth, alias and cost limits; each text parsed and validated once.
            lambda: Documents(
                rules,
                settings.query_max_tokens,
                per_role,
                (settings.page_default, settings.page_max),
            ),
        ],
    )


schema = build_schema()
