"""Plain leaf fields read directly (graphcoord.schema.execution) answer as graphql-core does."""

from __future__ import annotations

import asyncio
import enum
import operator
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphcoord.auth import Principal
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.schema.context import Context
from graphcoord.schema.execution import LeafExecutionContext, plain_leaf_fields
from graphcoord.schema.schema import build_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Never(BasePermission):
    message = "never"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Item:
    name: str
    count: int
    ratio: float | None
    colour: Colour
    secret: str | None = strawberry.field(default=None, permission_classes=[Never])

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def repeat(self, times: int) -> str:
        return self.name * times


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [
            Item(name="a", count=1, ratio=0.5, colour=Colour.RED, secret="x"),
            Item(name="b", count=2, ratio=None, colour=Colour.BLUE, secret="y"),
        ]

    @strawberry.field
    def broken(self) -> list[Item]:
        # Values the types refuse: a null for a non-null field, text for an Int.
        return [
            Item(name=None, count=1, ratio=1.0, colour=Colour.RED),  # type: ignore[arg-type]
            Item(name="c", count="many", ratio=1.0, colour=Colour.RED),  # type: ignore[arg-type]
        ]


def _schemas(
    extensions: list[Any] | None = None,
) -> tuple[strawberry.Schema, strawberry.Schema]:
    fast = strawberry.Schema(
        query=Query,
        execution_context_class=LeafExecutionContext,
        extensions=extensions or [],
    )
    plain = strawberry.Schema(query=Query, extensions=extensions or [])
    return fast, plain


def _answer(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = schema.execute_sync(query)
    errors = [
        {"message": e.message, "path": e.path, "extensions": e.extensions}
        for e in result.errors or []
    ]
    return {"data": result.data, "errors": errors}


QUERIES = {
    "leaves": "{ items { name count ratio colour } }",
    "resolvers and arguments": "{ items { shout repeat(times: 2) name } }",
    "permission on a plain field": "{ items { name secret } }",
    "null for a non-null field": "{ broken { name count } }",
    "text for an Int": "{ broken { count } }",
    "aliases and typename": "{ items { a: name b: name __typename } }",
}


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_answers_and_errors_equal_graphql_cores(query: str) -> None:
    fast, plain = _schemas()
    assert _answer(fast, query) == _answer(plain, query)


def test_a_plain_field_with_a_permission_is_still_checked() -> None:
    fast, _ = _schemas()
    answer = _answer(fast, "{ items { name secret } }")
    assert answer["data"]["items"] == [{"name": "a", "secret": None}, {"name": "b", "secret": None}]
    assert [e["message"] for e in answer["errors"]] == ["never", "never"]


def test_only_plain_leaf_fields_take_the_short_path() -> None:
    fast, _ = _schemas()
    fields = {key for key in plain_leaf_fields(fast._schema) if key[0] == "Item"}
    assert fields == {("Item", "name"), ("Item", "count"), ("Item", "ratio"), ("Item", "colour")}


def test_a_schema_extension_that_resolves_sees_every_field() -> None:
    seen: list[str] = []

    class Watch(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    fast, _ = _schemas([Watch])
    assert _answer(fast, "{ items { name count } }")["errors"] == []
    assert seen.count("name") == 2 and seen.count("count") == 2


@strawberry.type
class Row:
    key: str
    size: int


@strawberry.type
class RowQuery:
    @strawberry.field
    def rows(self) -> list[Row]:
        return [{"key": "a", "size": 1}, {"key": "b", "size": 2}]  # type: ignore[list-item]


def test_a_schema_reading_fields_its_own_way_keeps_its_default_resolver() -> None:
    config = StrawberryConfig(default_resolver=operator.getitem)
    fast = strawberry.Schema(
        query=RowQuery, config=config, execution_context_class=LeafExecutionContext
    )
    read, _ = plain_leaf_fields(fast._schema)["Row", "key"]
    assert read({"key": "x"}) == "x"  # the short path reads as the schema's resolver does
    answer = _answer(fast, "{ rows { key size } }")
    assert answer == {
        "data": {"rows": [{"key": "a", "size": 1}, {"key": "b", "size": 2}]},
        "errors": [],
    }


CASES = {
    "coverage": (
        "query($a: String!) { coverage(areaCode: $a) { villageCount coveredCount coverageRate "
        "byLevel { level coveredCount coverageRate } fragile(first: 5) { totalCount "
        "edges { cursor node { code name kind } } pageInfo { hasNextPage endCursor } } "
        "load { gini max min mean mostLoaded { villages deputy { id name level } } } } }",
        {"a": "321322000000"},
        "organizer",
    ),
    "escalation": (
        "query($v: String!) { escalationPaths(villageCode: $v, targetLevel: NATIONAL, k: 3) "
        "{ cost targetLevel deputyIds target { id name level } "
        "hops { from to relation reason } } }",
        {"v": "321322102200"},
        "planner",
    ),
    "deputies with phones, as a deputy": (
        "query($a: String!) { deputies(first: 5, where: {areaCode: $a}) { totalCount "
        "edges { node { id name level phone groups { role group { id name } } } } } }",
        {"a": "321322000000"},
        "deputy",
    ),
    "deputies with phones, as an organizer": (
        "query($a: String!) { deputies(first: 5, where: {areaCode: $a}) { "
        "edges { node { id name level phone } } } }",
        {"a": "321322000000"},
        "organizer",
    ),
}


@pytest.mark.parametrize(("query", "variables", "role"), CASES.values(), ids=CASES.keys())
def test_graphcoord_answers_equal_graphql_cores(
    settings: Settings, suqian_db: Database, query: str, variables: dict[str, Any], role: str
) -> None:
    fast = build_schema(settings)
    plain = build_schema(settings)
    plain.execution_context_class = StrawberryGraphQLCoreExecutionContext

    async def answer(schema: strawberry.Schema) -> dict[str, Any]:
        principal = Principal(role=role, deputy_id="SQ-D00001" if role == "deputy" else None)
        context = Context(db=suqian_db, settings=settings, principal=principal)
        result = await schema.execute(query, variables, context_value=context)
        errors = [(e.message, e.path, e.extensions) for e in result.errors or []]
        return {"data": result.data, "errors": errors}

    fast_answer = asyncio.run(answer(fast))
    assert fast_answer == asyncio.run(answer(plain))
    assert fast_answer["data"] is not None
