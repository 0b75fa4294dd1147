"""The query-cost limit: a validation rule that refuses, before anything runs, a query that
would resolve too many fields for the caller's role.

A field costs 1 each time it is resolved. A list multiplies the cost of what is selected under
it by its size: a connection by its ``first`` (or the default page size), a list with a
``first`` or ``k`` argument by that argument, any other list by its documented size
(:data:`LIST_SIZES`, else :data:`DEFAULT_LIST_SIZE`). A size given as a variable is known only
with the request's variables: the validation rule then checks the nesting only, and
:func:`variables_cost_error` (called by :class:`~graphcoord.schema.documents.Documents` for
each request, before anything runs) checks the budget with the values sent. Lists without a size argument may nest at
most :data:`MAX_UNPAGED_NESTING` deep. Introspection fields (``__schema``, ``__type``,
``__typename``) cost nothing: the schema is finite, and ``GRAPHCOORD_INTROSPECTION=0`` turns
them off.

Over the budget of the role (``GRAPHCOORD_MAX_COST_<ROLE>``) the error carries
``extensions.code = "QUERY_TOO_COSTLY"``, the computed ``cost`` and the ``budget``. The rule
classes are made once per schema, one per role, so that validation results stay cached per
document and role (see :mod:`graphcoord.schema.documents`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    ValidationContext,
    VariableNode,
    get_named_type,
    get_nullable_type,
)

from graphcoord.caching import BoundedCache
from graphcoord.config import ROLE_NAMES, Settings

__all__ = [
    "CODE",
    "DEFAULT_LIST_SIZE",
    "LIST_SIZES",
    "MAX_UNPAGED_NESTING",
    "cost_rules",
    "query_cost",
    "variables_cost_error",
]

CODE = "QUERY_TOO_COSTLY"
#: The size counted for a list without a size argument, unless :data:`LIST_SIZES` says more.
DEFAULT_LIST_SIZE = 10
#: Documented sizes of unpaged lists that differ from the default (what the Suqian demo city
#: has at most, rounded up): a deputy is in a few groups, a group has tens of members.
LIST_SIZES: dict[tuple[str, str], int] = {
    ("Area", "children"): 50,
    ("Group", "members"): 40,
    ("Group", "activities"): 20,
    ("Deputy", "groups"): 3,
    ("Deputy", "contacts"): 5,
    ("Deputy", "chains"): 3,
    ("Deputy", "liaisedBy"): 3,
    ("Deputy", "liaisonFor"): 20,
    ("Query", "campaigns"): 20,
}
#: How deep lists without a size argument may nest (``groups { group { members … } }`` is 2).
MAX_UNPAGED_NESTING = 3
_SIZE_ARGUMENTS = ("first", "k")


class _NeedsVariables(Exception):
    """A size is a variable: the cost is known only with the request's variables."""


class TooCostly(Exception):
    def __init__(self, message: str, node: Any, cost: int | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.cost = cost


class _Walk:
    """The cost of one operation of a document (the walk raises :class:`TooCostly` when lists
    nest too deep)."""

    def __init__(
        self,
        context: ValidationContext,
        operation: OperationDefinitionNode,
        page_default: int,
        page_max: int,
        variables: dict[str, Any] | None = None,
    ) -> None:
        self.context = context
        self.page_default = page_default
        self.page_max = page_max
        self.variables = variables
        self.defaults: dict[str, Any] = {
            definition.variable.name.value: definition.default_value
            for definition in operation.variable_definitions or ()
        }

    def size(self, node: FieldNode, name: str) -> int | None:
        """The value of a size argument, if the field has one (``None`` given: the default)."""
        for argument in node.arguments or ():
            if argument.name.value != name:
                continue
            value: Any = argument.value
            if isinstance(value, VariableNode):
                variable = value.name.value
                if self.variables is None:
                    raise _NeedsVariables(variable)
                if variable in self.variables:
                    value = self.variables[variable]
                else:
                    value = self.defaults.get(variable)
            if isinstance(value, IntValueNode):
                value = int(value.value)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, self.page_max))
            return None  # null or not given: the field's default size
        return None

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLObjectType,
        multiplier: int,
        nesting: int,
        fragments: frozenset[str],
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, multiplier, nesting, fragments)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    named = self.context.schema.get_type(selection.type_condition.name.value)
                    target = named if isinstance(named, GraphQLObjectType) else parent
                total += self.selections(
                    selection.selection_set, target, multiplier, nesting, fragments
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments:  # unknown or a cycle: other rules say
                    continue
                named = self.context.schema.get_type(fragment.type_condition.name.value)
                target = named if isinstance(named, GraphQLObjectType) else parent
                total += self.selections(
                    fragment.selection_set, target, multiplier, nesting, fragments | {name}
                )
        return total

    def field(
        self,
        node: FieldNode,
        parent: GraphQLObjectType,
        multiplier: int,
        nesting: int,
        fragments: frozenset[str],
    ) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0  # an unknown field: FieldsOnCorrectTypeRule reports it
        named = get_named_type(definition.type)
        if node.selection_set is None or not isinstance(named, GraphQLObjectType):
            return multiplier
        size = 1
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        sized = next(
            (s for arg in _SIZE_ARGUMENTS if (s := self.size(node, arg)) is not None), None
        )
        if named.name.endswith("Connection") and "edges" in named.fields:
            size = sized if sized is not None else min(self.page_default, self.page_max)
        elif is_list and parent.name.endswith("Connection") and name in ("edges", "nodes"):
            size = 1  # the connection counted its page already
        elif is_list and sized is not None:
            size = sized
        elif is_list:
            size = LIST_SIZES.get((parent.name, name), DEFAULT_LIST_SIZE)
            nesting += 1
            if nesting > MAX_UNPAGED_NESTING:
                raise TooCostly(
                    f"lists without `first` nest more than {MAX_UNPAGED_NESTING} deep "
                    f"(at {parent.name}.{name}); ask for less at once",
                    node,
                )
        return multiplier + self.selections(
            node.selection_set, named, multiplier * max(size, 1), nesting, fragments
        )


def query_cost(
    context: ValidationContext,
    operation: OperationDefinitionNode,
    page_default: int,
    page_max: int,
    variables: dict[str, Any] | None = None,
) -> int:
    """The cost of ``operation`` (raises :class:`TooCostly` when unpaged lists nest too deep,
    ``_NeedsVariables`` when a size is a variable and ``variables`` is ``None``)."""
    schema = context.schema
    root = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[operation.operation.value]
    if root is None:
        return 0
    walk = _Walk(context, operation, page_default, page_max, variables)
    return walk.selections(operation.selection_set, root, 1, 0, frozenset())


def _over_budget(cost: int, budget: int, role: str, node: Any) -> GraphQLError:
    return GraphQLError(
        f"this query would cost {cost:,} (fields resolved, lists multiplied); the budget of the "
        f"role {role} is {budget:,}: ask for smaller pages or fewer nested lists",
        node,
        extensions={"code": CODE, "cost": cost, "budget": budget, "role": role},
    )


def _too_deep(refused: TooCostly, budget: int, role: str) -> GraphQLError:
    return GraphQLError(
        str(refused), refused.node, extensions={"code": CODE, "budget": budget, "role": role}
    )


def _rule(role: str, budget: int, page_default: int, page_max: int) -> type[ASTValidationRule]:
    class QueryCost(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
            context = self.context
            assert isinstance(context, ValidationContext)
            try:
                cost = query_cost(context, node, page_default, page_max)
            except _NeedsVariables:  # the budget is checked per request, with the variables
                try:
                    query_cost(context, node, page_default, page_max, {})
                except TooCostly as refused:
                    self.report_error(_too_deep(refused, budget, role))
                return
            except TooCostly as refused:
                self.report_error(_too_deep(refused, budget, role))
                return
            if cost > budget:
                self.report_error(_over_budget(cost, budget, role, node))

    QueryCost.__name__ = f"QueryCost_{role}"
    QueryCost.budget = budget  # type: ignore[attr-defined]
    QueryCost.role = role  # type: ignore[attr-defined]
    return QueryCost


#: Whether a document's sizes are variables, per (document, operation): the entry keeps its
#: document so that the id in its key stays that document's (as the document cache does).
_SIZED_BY_VARIABLES: BoundedCache[tuple[int, str | None], tuple[DocumentNode, bool]] = BoundedCache(
    256
)


def variables_cost_error(
    rule: type[ASTValidationRule],
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    page: tuple[int, int],
) -> GraphQLError | None:
    """The budget error of a request whose sizes are variables, computed with the values sent
    (``None`` when within the budget, or when no size is a variable: validation decided)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or not operations[0].variable_definitions:
        return None
    operation = operations[0]
    page_default, page_max = page
    key = (id(document), operation_name)
    known = _SIZED_BY_VARIABLES.get(key)
    if known is not None and not known[1]:
        return None
    context = ValidationContext(schema, document, TypeInfo(schema), lambda _error: None)
    if known is None:
        try:
            query_cost(context, operation, page_default, page_max)
            sized = False  # no size is a variable: validation decided
        except _NeedsVariables:
            sized = True
        except TooCostly:  # pragma: no cover - validation reported it
            sized = False
        known = (document, sized)
        _SIZED_BY_VARIABLES.put(key, known)
    if not known[1]:
        return None
    try:
        cost = query_cost(context, operation, page_default, page_max, dict(variables or {}))
    except TooCostly:  # pragma: no cover - validation reported it
        return None
    budget: int = rule.budget  # type: ignore[attr-defined]
    if cost <= budget:
        return None
    return _over_budget(cost, budget, rule.role, operation)  # type: ignore[attr-defined]


def cost_rules(settings: Settings) -> Mapping[str, type[ASTValidationRule]]:
    """One cost rule per role (made once per schema: rules are part of the validation key)."""
    return {
        role: _rule(role, settings.cost_budget(role), settings.page_default, settings.page_max)
        for role in ROLE_NAMES
    }
