"""The private APIs of dependencies that graphcoord relies on are still there, as used.

``pyproject.toml`` pins strawberry-graphql and graphql-core to the versions these were tested
with. When an upgrade moves one of them, a test here fails with the name of what moved,
before a request does (or, worse, before the speed it bought is silently lost).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
import typer
from graphql import GraphQLObjectType
from graphql.execution.executor import Executor
from strawberry.asgi import GraphQL
from strawberry.extensions import MaskErrors
from strawberry.resolvers import is_default_resolver
from strawberry.schema import schema as strawberry_schema
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.execution import ExecutionContext
from strawberry.types.field import StrawberryField

#: (where, name, the parameters graphcoord passes or reads; None: an attribute, not a call)
CALLS: list[tuple[Any, str, tuple[str, ...] | None]] = [
    # graphcoord/schema/errors.py overrides these two and calls the third
    (MaskErrors, "_process_result", ("self", "result")),
    (MaskErrors, "_process_errors", ("self", "errors")),
    (MaskErrors, "anonymise_error", ("self", "error")),
    # graphcoord/schema/documents.py validates as strawberry does, with its own cache
    (strawberry_schema, "validate_document", ("schema", "document", "validation_rules")),
    # graphcoord/app.py encodes answers with orjson
    (GraphQL, "encode_json", ("self", "data")),
    # graphcoord/schema/execution.py: the plan-compiled execution overrides these two of
    # graphql-core 3.3's executor (through strawberry's execution context) ...
    (
        Executor,
        "execute_field",
        ("self", "parent_type", "source", "field_details_list", "path", "position_context"),
    ),
    (
        Executor,
        "complete_value",
        (
            "self",
            "return_type",
            "field_details_list",
            "info",
            "path",
            "result",
            "position_context",
        ),
    ),
    (strawberry_schema, "StrawberryGraphQLCoreExecutionContext", None),
    # ... and reads strawberry's field definitions to know which fields are plain
    (GraphQLCoreConverter, "DEFINITION_BACKREF", None),
    (StrawberryField, "is_basic_field", None),
    (StrawberryField, "python_name", None),
    (StrawberryField, "default_resolver", None),
    (StrawberryField, "metadata", None),
]

#: Fields of strawberry's execution context that graphcoord/schema/documents.py reads or sets.
EXECUTION_CONTEXT_FIELDS = (
    "query",
    "schema",
    "parse_options",
    "validation_rules",
    "graphql_document",
    "pre_execution_errors",
)


@pytest.mark.parametrize(
    ("owner", "name", "parameters"),
    CALLS,
    ids=[f"{getattr(owner, '__name__', owner)}.{name}" for owner, name, _ in CALLS],
)
def test_private_call_is_still_there(
    owner: Any, name: str, parameters: tuple[str, ...] | None
) -> None:
    found = getattr(owner, name, None)
    assert found is not None, f"{owner!r} has no {name} any more"
    if parameters is not None:
        assert isinstance(found, Callable)  # type: ignore[arg-type]
        assert tuple(inspect.signature(found).parameters) == parameters


def test_strawberry_execution_context_has_the_fields_documents_uses() -> None:
    names = {field.name for field in dataclasses.fields(ExecutionContext)}
    assert set(EXECUTION_CONTEXT_FIELDS) <= names


@pytest.mark.parametrize(
    ("type_name", "field_name"),
    [("Hop", "reason"), ("EscalationPath", "cost"), ("Area", "name"), ("Deputy", "gender")],
    ids=["attribute", "attribute of a list item", "stored field", "stored field of a deputy"],
)
def test_the_schema_still_has_plain_fields(type_name: str, field_name: str) -> None:
    # Were strawberry to stop telling a basic field or its default resolver, every field
    # would silently take graphql-core's slow path: the plans' speed would be lost.
    from graphcoord.schema.execution import plain_fields
    from graphcoord.schema.schema import schema

    assert (type_name, field_name) in plain_fields(schema._schema)
    hop = schema._schema.type_map["Hop"]
    assert isinstance(hop, GraphQLObjectType)
    resolve = hop.fields["reason"].resolve
    assert resolve is not None and is_default_resolver(resolve)


def test_strawberry_schema_keeps_its_graphql_core_schema() -> None:
    from graphcoord.schema.schema import schema

    assert schema._schema.query_type is not None


@pytest.mark.parametrize("name", ["_node", "_succ", "_pred"])
def test_networkx_graphs_keep_their_adjacency_dicts(name: str) -> None:
    # graphcoord/services/projections.py and coverage_summary.py fill them directly.
    G = nx.DiGraph()
    G.add_edge("a", "b")
    assert isinstance(getattr(G, name), dict)
    assert G.has_edge("a", "b")


def test_typer_vendors_click_as_used_by_the_cli() -> None:
    # graphcoord/cli catches typer's own click's exceptions and subclasses its group.
    click = typer._click
    assert issubclass(click.ClickException, Exception)
    assert hasattr(click, "Context")
