"""Exceptions raised by :mod:`graphcoord.analytics`.

The analytics package does not depend on the rest of graphcoord, so it has its own small
hierarchy rooted at :class:`AnalyticsError`; the surfaces (CLI, GraphQL) map it onto
graphcoord's error hierarchy (:class:`NodeNotFound` to "not found", :class:`InvalidArgument` to
"bad input", :class:`NoEscalationPath` to an explained empty answer).
"""

from __future__ import annotations

__all__ = [
    "AnalyticsError",
    "AreaNotFound",
    "DeputyNotFound",
    "GroupNotFound",
    "InvalidArgument",
    "NoEscalationPath",
    "NodeNotFound",
]


class AnalyticsError(Exception):
    """Base of every error raised by an analytics function."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidArgument(AnalyticsError, ValueError):
    """An argument is malformed (unknown level name, negative capacity, k < 1…)."""


class NodeNotFound(AnalyticsError):
    """A node asked for by its business key is not in the graph.

    Parameters
    ----------
    kind : str
        The node type, as in the graph contract (``"deputy"``, ``"area"``, ``"group"``).
    key : str
        The business key that was asked for.
    """

    def __init__(self, kind: str, key: str, detail: str = "") -> None:
        suffix = f": {detail}" if detail else ""
        super().__init__(f"{kind} {key!r} not found{suffix}")
        self.kind = kind
        self.key = key


class DeputyNotFound(NodeNotFound):
    """No deputy with that id is in the graph."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__("deputy", key, detail)


class AreaNotFound(NodeNotFound):
    """No area with that code is in the graph."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__("area", key, detail)


class GroupNotFound(NodeNotFound):
    """No group with that id is in the graph."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__("group", key, detail)


class NoEscalationPath(AnalyticsError):
    """No path leads from the start to a deputy of the target level; the message says which
    link is missing."""
