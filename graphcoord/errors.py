"""graphcoord's exception hierarchy.

Every error a user can meet is a :class:`GraphcoordError` subclass with a GraphQL error code
(``extensions.code``) and a CLI exit code, mapped once here so every surface agrees.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "BadInput",
    "DatabaseAuthError",
    "DatabaseUnavailable",
    "Forbidden",
    "GraphcoordError",
    "ImportRejected",
    "NoPath",
    "NotFound",
    "RuleViolation",
    "Unauthenticated",
]


class GraphcoordError(Exception):
    """Base of every error graphcoord reports to a user."""

    code = "INTERNAL"
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(GraphcoordError):
    """An argument or a value is malformed (bad level name, bad area code…)."""

    code = "BAD_USER_INPUT"
    exit_code = 2


class NotFound(GraphcoordError):
    """A node asked for by its key does not exist."""

    code = "NOT_FOUND"
    exit_code = 3

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class NoPath(GraphcoordError):
    """No escalation path exists; the message says which link is missing."""

    code = "NOT_FOUND"
    exit_code = 3


class RuleViolation(GraphcoordError):
    """A write would break a rule of the graph model; names the rule and the offending ids."""

    code = "RULE_VIOLATION"
    exit_code = 4

    def __init__(self, rule: str, detail: str, ids: Iterable[str] = ()) -> None:
        self.rule = rule
        self.ids = list(ids)
        shown = ", ".join(self.ids[:10]) + (" …" if len(self.ids) > 10 else "")
        suffix = f" (offending: {shown})" if self.ids else ""
        super().__init__(f"rule {rule}: {detail}{suffix}")


class ImportRejected(GraphcoordError):
    """A roster file had bad rows and nothing was written."""

    code = "BAD_USER_INPUT"
    exit_code = 5


class DatabaseUnavailable(GraphcoordError):
    """Neo4j does not answer; the operation can be retried when it is back."""

    code = "UNAVAILABLE"
    exit_code = 69  # EX_UNAVAILABLE

    def __init__(self, uri: str, cause: str = "") -> None:
        detail = f": {cause}" if cause else ""
        super().__init__(
            f"the graph database at {uri} is not available{detail}. "
            "Start it with `graphcoord db start` (or check NEO4J_URI) and try again."
        )
        self.uri = uri


class DatabaseAuthError(GraphcoordError):
    """Neo4j refused the credentials."""

    code = "UNAVAILABLE"
    exit_code = 77  # EX_NOPERM

    def __init__(self, uri: str, user: str) -> None:
        super().__init__(
            f"the graph database at {uri} refused the credentials of user {user!r}: "
            "check NEO4J_USERNAME / NEO4J_PASSWORD (a local server keeps its password in "
            "the state folder, file neo4j-password)"
        )


class Unauthenticated(GraphcoordError):
    """A bearer token is missing where needed, malformed, expired or badly signed."""

    code = "UNAUTHENTICATED"
    exit_code = 77


class Forbidden(GraphcoordError):
    """The caller's role may not do this."""

    code = "FORBIDDEN"
    exit_code = 77
