"""The model's words are written once: Cypher literals and labels say what graphcoord.model says."""

from __future__ import annotations

import ast

import pytest

from graphcoord import model
from graphcoord.queries import vocabulary


@pytest.mark.parametrize(
    ("literal", "words"),
    [
        (vocabulary.VILLAGE_KINDS, model.VILLAGE_KINDS),
        (vocabulary.CLOSED_STATUSES, model.CLOSED_STATUSES),
    ],
    ids=["village kinds", "closed statuses"],
)
def test_cypher_literals_say_what_the_model_says(literal: str, words: tuple[str, ...]) -> None:
    assert tuple(ast.literal_eval(literal)) == words


@pytest.mark.parametrize(
    "labels",
    [model.LEVEL_NAMES, model.LEVEL_SHORT_NAMES, model.STATUS_NAMES],
    ids=["level names", "level short names", "status names"],
)
def test_every_word_of_an_enum_has_its_chinese_label(labels: dict[str, str]) -> None:
    enum = model.Level if labels is not model.STATUS_NAMES else model.IssueStatus
    assert set(labels) == {member.value for member in enum}
    assert all(label.strip() for label in labels.values())


def test_open_and_closed_statuses_split_the_status_machine() -> None:
    everything = {status.value for status in model.IssueStatus}
    assert set(model.OPEN_STATUSES) | set(model.CLOSED_STATUSES) == everything
    assert not set(model.OPEN_STATUSES) & set(model.CLOSED_STATUSES)
    assert set(model.TRANSITIONS) == set(model.IssueStatus)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("321302001001", True),
        ("000000000000", True),
        ("32130200100", False),
        ("3213020010011", False),
        ("321302001001\n", False),
        ("３２１３０２００１００１", False),
        ("32130200100a", False),
        ("", False),
        (None, False),
    ],
    ids=[
        "village",
        "zeros",
        "11 digits",
        "13 digits",
        "newline",
        "full-width",
        "letter",
        "empty",
        "none",
    ],
)
def test_an_area_code_is_12_ascii_digits(code: str | None, valid: bool) -> None:
    assert model.is_area_code(code) is valid
