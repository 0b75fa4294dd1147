"""GraphQL execution with a short path for plain leaf fields.

Most fields of an answer are attributes of scalar or enum type (a hop's ``from``, ``to`` and
``reason``; a deputy's ``id`` and ``name``): ~50 of an escalation answer's ~60 fields.
graphql-core executes each one with a resolve-info object, argument handling and two awaitable
checks (~0.4 ms of a served escalation answer, measured A/B). For a field that strawberry
resolves with its plain attribute getter (no resolver, no permission or other field extension,
no arguments) and no schema extension wraps, :class:`LeafExecutionContext` reads the attribute
and coerces it exactly as graphql-core does. Anything else — a null, an exception, a value the
type refuses — goes graphql-core's way, so errors and nulls read as before.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLSchema,
    get_nullable_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

__all__ = ["LeafExecutionContext", "plain_leaf_fields"]

#: (type name, field name) -> the field's attribute getter and its scalar or enum type.
LeafFields = dict[tuple[str, str], tuple[Callable[..., Any], GraphQLLeafType]]

_leaf_fields: WeakKeyDictionary[GraphQLSchema, LeafFields] = WeakKeyDictionary()


def plain_leaf_fields(schema: GraphQLSchema) -> LeafFields:
    """The fields of ``schema`` that are plain attributes of a scalar or enum type.

    A field qualifies when strawberry built it as a *basic* field (no resolver and no field
    extension: permission classes are one) and resolves it with its default resolver, and the
    field takes no argument. Computed once per schema.
    """
    found = _leaf_fields.get(schema)
    if found is not None:
        return found
    found = {}
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            leaf = get_nullable_type(field.type)
            if (
                isinstance(definition, StrawberryField)
                and definition.is_basic_field
                and field.resolve is not None
                and is_default_resolver(field.resolve)
                and not field.args
                and is_leaf_type(leaf)
            ):
                # Strawberry's basic resolver calls ``default_resolver(source, python_name)``;
                # with the default (getattr) an attrgetter says the same in one call.
                read = (
                    attrgetter(definition.python_name)
                    if definition.default_resolver is getattr
                    else field.resolve
                )
                found[graphql_type.name, name] = (read, leaf)
    _leaf_fields[schema] = found
    return found


class LeafExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields read directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middleware = self.middleware_manager
        # A schema extension with a ``resolve`` hook must see every field.
        wrapped = middleware is not None and bool(middleware.middlewares)
        self.leaf_fields: LeafFields = {} if wrapped else plain_leaf_fields(self.schema)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        leaf = self.leaf_fields.get((parent_type.name, field_details_list[0].node.name.value))
        if leaf is not None:
            read, leaf_type = leaf
            try:
                value = read(source)
                if value is not None:
                    coerced = leaf_type.coerce_output_value(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
            except Exception:  # graphql-core's path below reports it, with its path
                pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
