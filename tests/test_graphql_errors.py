"""Every GraphQL error carries ``extensions.code``; unexpected errors are masked and logged."""

from __future__ import annotations

import logging

import pytest
import strawberry

from graphcoord.errors import NotFound
from graphcoord.schema.errors import ErrorCodes


@strawberry.type
class Query:
    @strawberry.field
    def fine(self) -> str:
        return "fine"

    @strawberry.field
    def missing(self) -> str:
        raise NotFound("deputy", "SQ-D99999")

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("password=hunter2 at /srv/graphcoord")


schema = strawberry.Schema(query=Query, extensions=[ErrorCodes])


def test_an_unexpected_error_is_masked_for_the_client_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="graphcoord.schema.errors"):
        result = schema.execute_sync("{ fine broken }")
    assert result.data is None  # a non-null field failed
    [error] = result.errors or []
    assert error.message == "Internal error; it has been logged."
    assert error.extensions == {"code": "INTERNAL"}
    assert "hunter2" not in str(error.formatted)
    assert "hunter2" in caplog.text


def test_a_graphcoord_error_keeps_its_message_and_code() -> None:
    result = schema.execute_sync("{ missing }")
    [error] = result.errors or []
    assert "SQ-D99999" in error.message
    assert error.extensions == {"code": "NOT_FOUND", "messageZh": "未找到代表“SQ-D99999”"}


def test_an_invalid_query_is_bad_user_input() -> None:
    result = schema.execute_sync("{ nosuchfield }")
    [error] = result.errors or []
    assert error.extensions == {"code": "BAD_USER_INPUT"}


def test_an_answer_without_errors_is_untouched() -> None:
    result = schema.execute_sync("{ fine }")
    assert result.errors is None
    assert result.data == {"fine": "fine"}
