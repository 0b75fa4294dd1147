"""GraphQL execution with short paths for plain fields and plain sub-selections.

Most fields of an answer are attributes of scalar or enum type (a hop's ``from``, ``to`` and
``reason``; a deputy's ``id`` and ``name``): ~50 of an escalation answer's ~60 fields.
graphql-core executes each one with a resolve-info object, argument handling and two awaitable
checks, and completes each object and list through half a dozen calls and a ``Path``.

A field is *plain* when it is read without its resolver: an attribute that strawberry resolves
with its plain getter (no resolver, no permission or other field extension, no argument), or a
field of a stored row already in memory (:data:`DIRECT_READ`), and no schema extension wraps
the fields. A value whose whole sub-selection is plain (``hops { from to relation reason }``,
a ``byLevel`` list, a page's ``node { code name }``, or a single leaf) is completed by a plan
compiled once per document (:class:`PlainPlans`): nested comprehensions over the attributes.
:class:`PlainExecutionContext` uses a plan for a plain field's value and for a resolver's.

Anything else — a null where the type forbids it, an exception, a value the type refuses, a
fragment or a directive in the selection — goes graphql-core's way, so errors and nulls read as
before. A plan that fails in an unexpected way (a bug of the plan, not a value it cannot
complete) is logged with its traceback before graphql-core completes the value.

It earns its place by measurement (A/B of two servers alternating requests, 2 cores,
benchmarks/ab_execution.py): 0.4-0.5 ms off a 5-7 ms coverage or escalation request, 1-2 ms
off a page of 50 deputies, ~9 % of the server's CPU per request under 32 clients. It relies on
graphql-core 3.3's ``execute_field``/``complete_value`` and strawberry's execution context and
field definitions: both are pinned in pyproject.toml and tests/test_private_apis.py checks them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

__all__ = [
    "DIRECT_READ",
    "NotPlain",
    "PlainExecutionContext",
    "PlainPlans",
    "plain_fields",
    "plain_plans",
]

log = logging.getLogger(__name__)

#: Field metadata: ``read(source)`` gives the field's value without its resolver, or raises
#: :class:`NotPlain` when it cannot (a node whose stored row is not loaded yet). A field with
#: it (and no argument or field extension) is plain when its source allows.
DIRECT_READ = "graphcoord.direct_read"

#: (type name, field name) -> the field's attribute getter and its type.
PlainFields = dict[tuple[str, str], tuple[Callable[..., Any], GraphQLOutputType]]
#: A compiled completion: the value read or resolved -> the answer graphql-core would give.
Plan = Callable[[Any], Any]

_plain_fields: WeakKeyDictionary[GraphQLSchema, PlainFields] = WeakKeyDictionary()


class NotPlain(Exception):
    """A value a plan cannot complete as graphql-core would (a null, a refused value)."""


def plain_fields(schema: GraphQLSchema) -> PlainFields:
    """The fields of ``schema`` read without their resolver, of any type.

    A field qualifies when it takes no argument and either strawberry built it as a *basic*
    field (no resolver and no field extension: permission classes are one) and resolves it with
    its default resolver, or it has no field extension and declares a :data:`DIRECT_READ`.
    Computed once per schema.
    """
    found = _plain_fields.get(schema)
    if found is not None:
        return found
    found = {}
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not isinstance(definition, StrawberryField) or field.args:
                continue
            direct = definition.metadata.get(DIRECT_READ) if definition.metadata else None
            if direct is not None and not definition.extensions:
                found[graphql_type.name, name] = (direct, field.type)
            elif (
                definition.is_basic_field
                and field.resolve is not None
                and is_default_resolver(field.resolve)
            ):
                # Strawberry's basic resolver calls ``default_resolver(source, python_name)``;
                # with the default (getattr) an attrgetter says the same in one call.
                read = (
                    attrgetter(definition.python_name)
                    if definition.default_resolver is getattr
                    else field.resolve
                )
                found[graphql_type.name, name] = (read, field.type)
    _plain_fields[schema] = found
    return found


#: One field of a plain object's answer: its response key, its getter and its completion.
Selection = tuple[str, Callable[[Any], Any], Plan]


class PlainPlans:
    """Completions of plain sub-selections, compiled once per (type, field nodes) of a schema.

    A plan exists when every field under the nodes is plain (:func:`plain_fields`) or
    ``__typename``, every object type is concrete without ``is_type_of``, and the selections
    hold neither fragments nor directives (so a plan never depends on variables). It is keyed
    by the identity of the nodes: the parsed-document cache gives every request with the same
    text the same nodes. The cache keeps the nodes of each key, so that their ids are not
    reused while the plan is kept, and starts again at ``size`` keys.
    """

    def __init__(self, schema: GraphQLSchema, size: int = 4096) -> None:
        self.fields = plain_fields(schema)
        self.size = size
        # key -> (the nodes of the key, kept so that their ids stay theirs; the plan)
        self._plans: dict[tuple[int, ...], tuple[list[FieldNode], Plan | None]] = {}

    def plan(
        self, return_type: GraphQLOutputType, field_details_list: Sequence[Any]
    ) -> Plan | None:
        """The plan completing ``return_type`` for these fields (``None``: no plan)."""
        if len(field_details_list) == 1:
            key: tuple[int, ...] = (id(return_type), id(field_details_list[0].node))
        else:
            key = (id(return_type), *(id(details.node) for details in field_details_list))
        found = self._plans.get(key)
        if found is not None:
            return found[1]
        nodes = [details.node for details in field_details_list]
        # A directive on the field itself (``@stream``) changes how its value completes.
        plan = None if any(node.directives for node in nodes) else self._compile(return_type, nodes)
        if len(self._plans) >= self.size:
            self._plans.clear()
        self._plans[key] = (nodes, plan)
        return plan

    def _compile(self, graphql_type: GraphQLOutputType, nodes: list[FieldNode]) -> Plan | None:
        if isinstance(graphql_type, GraphQLNonNull):
            return _required(self._compile(graphql_type.of_type, nodes))
        if isinstance(graphql_type, GraphQLList):
            return _items(self._compile(graphql_type.of_type, nodes))
        if is_leaf_type(graphql_type):
            return _leaf(graphql_type)
        if isinstance(graphql_type, GraphQLObjectType) and graphql_type.is_type_of is None:
            selections = self._selections(graphql_type, nodes)
            return None if selections is None else _object(selections)
        return None  # interfaces and unions: graphql-core resolves the runtime type

    def _selections(
        self, parent: GraphQLObjectType, nodes: list[FieldNode]
    ) -> list[Selection] | None:
        grouped: dict[str, list[FieldNode]] = {}
        for node in nodes:
            for selection in node.selection_set.selections if node.selection_set else ():
                if not isinstance(selection, FieldNode) or selection.directives:
                    return None
                key = (selection.alias or selection.name).value
                grouped.setdefault(key, []).append(selection)
        selections: list[Selection] = []
        for key, group in grouped.items():
            name = group[0].name.value
            if name == "__typename":
                selections.append((key, _typename(parent.name), _same))
                continue
            field = self.fields.get((parent.name, name))
            if field is None:
                return None
            read, field_type = field
            complete = self._compile(field_type, group)
            if complete is None:
                return None
            selections.append((key, read, complete))
        return selections


def _typename(name: str) -> Callable[[Any], str]:
    return lambda _source: name


def _same(value: Any) -> Any:
    return value


def _required(inner: Plan | None) -> Plan | None:
    if inner is None:
        return None

    def required(value: Any) -> Any:
        completed = inner(value)
        if completed is None:  # graphql-core reports the null, with its path
            raise NotPlain
        return completed

    return required


def _items(item: Plan | None) -> Plan | None:
    if item is None:
        return None

    def items(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):  # other iterables: graphql-core's way
            raise NotPlain
        return [item(each) for each in value]

    return items


def _leaf(leaf_type: GraphQLLeafType) -> Plan:
    coerce = leaf_type.coerce_output_value

    def leaf(value: Any) -> Any:
        if value is None:
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise NotPlain
        return coerced

    return leaf


def _object(selections: list[Selection]) -> Plan:
    def complete(value: Any) -> Any:
        if value is None:
            return None
        return {key: plan(read(value)) for key, read, plan in selections}

    return complete


class PlainExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain fields and plain sub-selections short."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core builds the execution context once the variables are coerced: from here
        # on errors are execution errors (the answer has ``data``), not request errors.
        if hasattr(self.context_value, "execution_started"):
            self.context_value.execution_started = True
        middleware = self.middleware_manager
        # A schema extension with a ``resolve`` hook must see every field.
        wrapped = middleware is not None and bool(middleware.middlewares)
        self.plans = None if wrapped else plain_plans(self.schema)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        plans = self.plans
        if plans is not None:
            field = plans.fields.get((parent_type.name, field_details_list[0].node.name.value))
            if field is not None:
                read, field_type = field
                plan = plans.plan(field_type, field_details_list)
                if plan is not None:
                    try:
                        return plan(read(source))
                    except _CANNOT_COMPLETE:  # graphql-core's path below reports it
                        pass
                    except Exception:
                        _log_plan_failure(parent_type.name, field_details_list)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        plans = self.plans
        if plans is not None and not isinstance(result, Exception):
            plan = plans.plan(return_type, field_details_list)
            if plan is not None:
                try:
                    return plan(result)
                except _CANNOT_COMPLETE:  # graphql-core's path below reports it
                    pass
                except Exception:
                    _log_plan_failure(str(return_type), field_details_list)
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )


#: What a plan raises for a value it cannot complete as graphql-core would (a null where the
#: type forbids one, a value the type refuses): expected, and reported by graphql-core's path.
_CANNOT_COMPLETE = (NotPlain, GraphQLError)


def _log_plan_failure(where: str, field_details_list: Any) -> None:
    """Log a plan's unexpected failure (then graphql-core completes the value as usual)."""
    names = ", ".join(details.node.name.value for details in field_details_list)
    log.exception("plain plan failed on %s.%s; completed by graphql-core instead", where, names)


_plans: WeakKeyDictionary[GraphQLSchema, PlainPlans] = WeakKeyDictionary()


def plain_plans(schema: GraphQLSchema) -> PlainPlans:
    """The plans of ``schema`` (one cache per schema)."""
    found = _plans.get(schema)
    if found is None:
        found = _plans[schema] = PlainPlans(schema)
    return found
