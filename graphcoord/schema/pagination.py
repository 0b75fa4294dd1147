"""Relay-style connections: ``edges { cursor node }``, ``pageInfo``, ``totalCount``.

Cursors are opaque. Most lists give out a position in a stable order (base64 of ``gc:N``);
the directory's lists, which run to millions at the national size, give out the sort key of
the last row instead (base64 of ``gk:`` and the key as JSON: :class:`KeyWindow`), so that the
next page seeks past it in an index rather than counting rows from the start. A position
cursor given to a keyed list is refused with a clear BAD_USER_INPUT. ``first`` defaults to the
configured page size and is capped, so no list is unbounded.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from graphcoord.config import Settings
from graphcoord.errors import BadInput

__all__ = [
    "Connection",
    "Edge",
    "KeyWindow",
    "PageInfo",
    "Window",
    "asks_total",
    "connection_from_keyed",
    "connection_from_rows",
    "key_window",
    "node_fields",
    "page_window",
]

T = TypeVar("T")
R = TypeVar("R")

_PREFIX = "gc:"
_KEY_PREFIX = "gk:"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of the edges, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        position = int(text[len(_PREFIX) :])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadInput(
            "cursor {cursor!r} is not a cursor this API gave out", cursor=cursor
        ) from None
    if position < 0:
        raise BadInput("cursor {cursor!r} is not a cursor this API gave out", cursor=cursor)
    return position


class Window:
    """Which slice of an ordered list a connection asks for: ``skip`` rows, then ``limit``."""

    def __init__(self, skip: int, limit: int) -> None:
        self.skip = skip
        self.limit = limit


def page_window(first: int | None, after: str | None, settings: Settings) -> Window:
    """Validate ``first``/``after``; callers fetch ``limit + 1`` rows to see a next page."""
    if first is None:
        first = settings.page_default
    if first < 0:
        raise BadInput("first must not be negative")
    if first > settings.page_max:
        raise BadInput("first must be at most {limit}", limit=settings.page_max)
    skip = decode_cursor(after) + 1 if after else 0
    return Window(skip, first)


def encode_key_cursor(key: Sequence[str]) -> str:
    text = json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(f"{_KEY_PREFIX}{text}".encode()).decode()


def decode_key_cursor(cursor: str, size: int) -> tuple[str, ...]:
    """The sort key a keyed list's cursor holds (``size`` parts); refused otherwise."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadInput(
            "cursor {cursor!r} is not a cursor this API gave out", cursor=cursor
        ) from None
    if text.startswith(_PREFIX):
        raise BadInput(
            "cursor {cursor!r} is a position in this list as it was paged before; this list "
            "now pages by key: ask for its first page again (without `after`)",
            cursor=cursor,
        )
    try:
        if not text.startswith(_KEY_PREFIX):
            raise ValueError(text)
        key = json.loads(text[len(_KEY_PREFIX) :])
    except ValueError:
        raise BadInput(
            "cursor {cursor!r} is not a cursor this API gave out", cursor=cursor
        ) from None
    if not (isinstance(key, list) and len(key) == size and all(isinstance(k, str) for k in key)):
        raise BadInput("cursor {cursor!r} is not a cursor of this list", cursor=cursor)
    return tuple(key)


class KeyWindow:
    """Which page of a list sorted by a key a connection asks for: the ``limit`` rows after
    the key ``after`` (``None``: from the start)."""

    def __init__(self, after: tuple[str, ...] | None, limit: int) -> None:
        self.after = after
        self.limit = limit


def key_window(
    first: int | None, after: str | None, settings: Settings, size: int = 1
) -> KeyWindow:
    """Validate ``first``/``after`` of a list sorted by a key of ``size`` parts; callers
    fetch ``limit + 1`` rows after the key to see a next page."""
    window = page_window(first, None, settings)
    return KeyWindow(decode_key_cursor(after, size) if after else None, window.limit)


def connection_from_keyed(
    rows: Sequence[R],
    window: KeyWindow,
    total: int | None,
    key: Callable[[R], Sequence[str]],
    convert: Callable[[R], T],
) -> Connection[T]:
    """Build a connection from up to ``window.limit + 1`` rows fetched after the window's key;
    each cursor is its row's ``key``. ``total`` is ``None`` when the query did not ask for it
    (see :func:`asks_total`): the field is then never read."""
    page = list(rows[: window.limit])
    edges = [Edge(cursor=encode_key_cursor(key(row)), node=convert(row)) for row in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > window.limit,
            has_previous_page=window.after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=-1 if total is None else total,
    )


def asks_total(info: Info[Any, Any]) -> bool:
    """Whether the query asks the connection being resolved for its ``totalCount``: counting
    every match of a national list costs more than its page, so it is counted only then."""
    return any(
        child.name == "totalCount"
        for connection in _fields(info.selected_fields)
        for child in _fields(connection.selections)
    )


def connection_from_rows(
    rows: Sequence[R],
    window: Window,
    total: int,
    convert: Callable[[R], T],
) -> Connection[T]:
    """Build a connection from up to ``window.limit + 1`` rows fetched at ``window.skip``."""
    page = list(rows[: window.limit])
    edges = [
        Edge(cursor=encode_cursor(window.skip + index), node=convert(row))
        for index, row in enumerate(page)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > window.limit,
            has_previous_page=window.skip > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, those of its fragments included."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def object_fields(info: Info[Any, Any]) -> set[str]:
    """Names of the fields the query asks of the object being resolved, so that its resolver
    can read a relation at the same time as the object itself (two reads in parallel, not one
    after the other)."""
    return {
        field.name for top in _fields(info.selected_fields) for field in _fields(top.selections)
    }


def node_fields(info: Info[Any, Any]) -> set[str]:
    """Names of the fields the query asks of the nodes of the connection being resolved
    (under ``edges { node }`` or ``nodes``), so that a page can read a relation of all its
    nodes at once instead of leaving each node to ask for its own."""
    names: set[str] = set()
    for connection in _fields(info.selected_fields):
        for child in _fields(connection.selections):
            if child.name == "nodes":
                names.update(field.name for field in _fields(child.selections))
            elif child.name == "edges":
                for node in _fields(child.selections):
                    if node.name == "node":
                        names.update(field.name for field in _fields(node.selections))
    return names
