"""Plain fields and plain sub-selections (graphcoord.schema.execution) answer as graphql-core does."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import operator
from typing import Any, NewType, cast

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphcoord.auth import Principal
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.schema import execution
from graphcoord.schema.context import Context
from graphcoord.schema.documents import Documents
from graphcoord.schema.execution import PlainExecutionContext, plain_fields, plain_plans
from graphcoord.schema.schema import build_schema
from graphcoord.schema.types import now_or_later, stored_field


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


Blank = NewType("Blank", str)
#: A scalar whose serialisation gives null: graphql-core reports it, even in a nullable field.
SCALARS = StrawberryConfig(
    scalar_map={
        Blank: strawberry.scalar(name="Blank", serialize=lambda value: None, parse_value=str)
    }
)


@strawberry.type
class Part:
    label: str
    weight: float | None
    colour: Colour | None = None


@strawberry.type
class Box:
    """A plain tree (lists, objects, nulls) with one field read from a stored row."""

    name: str
    parts: list[Part]
    tags: list[str]
    main: Part | None = None
    spare: Part | None = None
    blank: Blank | None = Blank("text")
    row: strawberry.Private[dict[str, Any] | None] = None
    resolved: strawberry.Private[list[str]] = dataclasses.field(default_factory=list)

    def _read(self, info: Any, read: Any) -> Any:
        self.resolved.append(info.field_name)  # the resolver ran (the row was not in memory)

        async def load() -> dict[str, Any]:
            self.row = {"size": len(self.name)}
            return self.row

        return now_or_later(self.row, load, read)

    size: int = stored_field(lambda row: row["size"])


BOXES: list[Box] = []


def _unlabelled() -> Part:
    return Part(label=cast(str, None), weight=1.0)


def _boxes() -> list[Box]:
    BOXES[:] = [
        Box(
            name="first",
            parts=[Part(label="a", weight=1.5), Part(label="b", weight=None, colour=Colour.RED)],
            tags=["x", "y"],
            main=Part(label="m", weight=2.0),
            row={"size": 5},
        ),
        Box(name="second", parts=[], tags=[], row=None),
    ]
    return BOXES


@strawberry.type
class Query:
    @strawberry.field
    def boxes(self) -> list[Box]:
        return _boxes()

    @strawberry.field
    def odd_boxes(self) -> list[Box]:
        # A null label in a non-null position, a colour the enum refuses, a list as a tuple
        # and one as a generator.
        return [
            Box(name="n", parts=[Part(label="ok", weight=1.0), _unlabelled()], tags=[]),
            Box(
                name="e", parts=[Part(label="c", weight=1.0, colour=cast(Colour, "green"))], tags=[]
            ),
            Box(name="t", parts=[], tags=cast(list[str], ("a", "b"))),
            Box(name="g", parts=[], tags=cast(list[str], (t for t in "ab"))),
        ]

    @strawberry.field
    def generated_parts(self) -> list[Box]:
        # A null met half-way through a generator: graphql-core must still see every item.
        parts = (part for part in [Part(label="ok", weight=1.0), _unlabelled()])
        return [Box(name="h", parts=cast(list[Part], parts), tags=[])]

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
        config=SCALARS,
        execution_context_class=PlainExecutionContext,
        extensions=extensions or [lambda: Documents([], 10_000)],
    )
    plain = strawberry.Schema(query=Query, config=SCALARS, extensions=extensions or [])
    return fast, plain


def _answer(
    schema: strawberry.Schema, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = asyncio.run(schema.execute(query, variables))
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
    "a plain tree": "{ boxes { name tags parts { label weight colour } main { label } spare { label } } }",
    "aliases and typename in a plain tree": (
        "{ boxes { n: name __typename parts { __typename l: label w: weight } } }"
    ),
    "one field asked twice, merged": "{ boxes { main { label } main { weight } name } }",
    "a stored field, row in memory or not": "{ boxes { name size } }",
    "a fragment": "{ boxes { ...B } } fragment B on Box { name parts { label } }",
    "an inline fragment": "{ boxes { ... on Box { name } parts { label } } }",
    "a null in a nested non-null field": "{ oddBoxes { name parts { label } } }",
    "an enum value refused, a tuple and a generator": (
        "{ oddBoxes { name tags parts { colour } } }"
    ),
    "a null in a generator": "{ generatedParts { parts { label } } }",
    "a scalar that serialises to null": "{ boxes { name blank } }",
}


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_answers_and_errors_equal_graphql_cores(query: str) -> None:
    fast, plain = _schemas()
    assert _answer(fast, query) == _answer(plain, query)
    assert _answer(fast, query) == _answer(plain, query)  # again: the plans are kept


@pytest.mark.parametrize("include", [True, False])
def test_directives_follow_the_variables(include: bool) -> None:
    fast, plain = _schemas()
    query = "query($i: Boolean!) { boxes { name parts @include(if: $i) { label } } }"
    for _ in range(2):
        assert _answer(fast, query, {"i": include}) == _answer(plain, query, {"i": include})


def test_a_stored_field_uses_its_resolver_only_when_the_row_is_not_in_memory() -> None:
    fast, _ = _schemas()
    answer = _answer(fast, "{ boxes { name size } }")
    assert answer["data"] == {
        "boxes": [{"name": "first", "size": 5}, {"name": "second", "size": 6}]
    }
    assert [box.resolved for box in BOXES] == [[], ["size"]]


def test_plans_are_compiled_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, _ = _schemas()
    compiled: list[str] = []
    compile_plan = execution.PlainPlans._compile

    def counting(self: execution.PlainPlans, graphql_type: Any, nodes: Any) -> Any:
        compiled.append(str(graphql_type))
        return compile_plan(self, graphql_type, nodes)

    monkeypatch.setattr(execution.PlainPlans, "_compile", counting)
    query = "{ boxes { name parts { label } main { label } } }"
    _answer(fast, query)
    first = len(compiled)
    assert first > 0
    _answer(fast, query)
    _answer(fast, query)
    assert len(compiled) == first  # the same text: the same nodes, the same plans


def test_the_plan_cache_starts_again_when_full() -> None:
    fast, plain = _schemas()
    plans = plain_plans(fast._schema)
    plans.size = 3
    for n in range(8):  # eight texts: more keys than the cache holds
        query = f"{{ boxes {{ name parts {{ label }} }} b{n}: boxes {{ tags }} }}"
        assert _answer(fast, query) == _answer(plain, query)
        assert len(plans._plans) <= 3


def test_a_plain_field_with_a_permission_is_still_checked() -> None:
    fast, _ = _schemas()
    answer = _answer(fast, "{ items { name secret } }")
    assert answer["data"]["items"] == [{"name": "a", "secret": None}, {"name": "b", "secret": None}]
    assert [e["message"] for e in answer["errors"]] == ["never", "never"]


def test_only_plain_fields_take_the_short_path() -> None:
    fast, _ = _schemas()
    fields = {key for key in plain_fields(fast._schema) if key[0] == "Item"}
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
        query=RowQuery, config=config, execution_context_class=PlainExecutionContext
    )
    read, _ = plain_fields(fast._schema)["Row", "key"]
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
    "areas whose rows are loaded on demand": (
        "query($a: String!) { deputies(first: 3, where: {areaCode: $a}) { edges { node { id "
        "contacts { code name kind } groups { role group { id name kind } } } } } }",
        {"a": "321322000000"},
        "planner",
    ),
    "a group's members": (
        'query { group(id: "SQ-G07") { name kind members { role deputy { id name level '
        "status sectors } } } }",
        {},
        "organizer",
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
