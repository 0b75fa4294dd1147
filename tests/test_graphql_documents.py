"""Each query text is parsed and validated once per schema and rules (graphcoord.schema.documents).

These run the schema in process without a database: only parsing and validation are at stake.
The limits themselves are tested over HTTP in test_graphql_directory.py (depth, aliases, tokens,
each asked twice so that a cached document cannot skip them).
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
import strawberry

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.schema import documents
from graphcoord.schema.context import Context
from graphcoord.schema.schema import build_schema


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The query texts validated (not answered from the cache) during a test."""
    documents.cache.clear()
    seen: list[str] = []
    validate = documents.validate_document

    def counting(schema: Any, document: Any, rules: Any) -> Any:
        seen.append(document.loc.source.body)
        return validate(schema, document, rules)

    monkeypatch.setattr(documents, "validate_document", counting)
    return seen


def _ask(schema: strawberry.Schema, query: str) -> list[str]:
    """The error messages of ``query`` (none: it was answered)."""
    context = Context(db=cast(Database, None), settings=Settings())
    result = asyncio.run(schema.execute(query, context_value=context))
    return [error.message for error in result.errors or []]


def test_a_text_asked_again_is_not_validated_again(validations: list[str]) -> None:
    schema = build_schema(Settings())
    for _ in range(3):
        assert _ask(schema, "{ __typename }") == []
    assert _ask(schema, "{ a: __typename }") == []
    assert validations == ["{ __typename }", "{ a: __typename }"]


def test_an_invalid_text_keeps_its_errors(validations: list[str]) -> None:
    schema = build_schema(Settings())
    first = _ask(schema, "{ noSuchField }")
    assert first and "noSuchField" in first[0]
    assert _ask(schema, "{ noSuchField }") == first
    assert validations == ["{ noSuchField }"]


def test_other_limits_validate_the_same_text_again(validations: list[str]) -> None:
    # Answered without a database: the public may not read deputies.
    deep = '{ deputy(id: "SQ-D00001") { liaisonFor { liaisonFor { liaisonFor { id } } } } }'
    strict = build_schema(Settings().with_(query_max_depth=3))
    loose = build_schema(Settings())
    assert any("depth" in message for message in _ask(strict, deep))
    assert not any("depth" in message for message in _ask(loose, deep))
    assert any("depth" in message for message in _ask(strict, deep))  # kept per rules
    assert validations == [deep, deep]


def test_a_text_that_fails_to_parse_is_not_kept() -> None:
    documents.cache.clear()
    schema = build_schema(Settings())
    for _ in range(2):
        errors = _ask(schema, "{ unclosed ")
        assert errors and "Syntax Error" in errors[0]
    assert not documents.cache.documents


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "cache", documents._Cache(3))
    schema = build_schema(Settings())
    for n in range(6):
        assert _ask(schema, f"{{ a{n}: __typename }}") == []
    assert len(documents.cache.documents) == 3
    assert len(documents.cache.validated) == 3
