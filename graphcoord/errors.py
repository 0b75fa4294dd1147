"""graphcoord's exception hierarchy.

Every error a user can meet is a :class:`GraphcoordError` subclass with a GraphQL error code
(``extensions.code``) and a CLI exit code, mapped once here so every surface agrees.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphcoord.i18n import N_, Term, current_locale, fill, gettext, has_translation

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
    """Base of every error graphcoord reports to a user.

    ``message`` is an English template with named fields filled from ``params``
    (``BadInput("title must have 1 to {limit} characters", limit=200)``): ``str(error)`` is the
    English text (GraphQL's ``message``, logs), :meth:`translated` the text a person reads in
    their language (through the gettext catalogs of :mod:`graphcoord.i18n`).
    """

    code = "INTERNAL"
    exit_code = 1
    #: What went wrong in general, shown before a message the catalog does not translate.
    summary = N_("the operation failed")

    def __init__(self, message: str, /, **params: object) -> None:
        text = message.format(**params) if params else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.params = params

    def __str__(self) -> str:
        return self.message

    def translated(self, locale: str | None = None) -> str:
        """The message in ``locale`` (default: the process's, Chinese unless
        ``GRAPHCOORD_LANG=en``)."""
        locale = locale or current_locale()
        if has_translation(self.template, locale):
            return fill(self.template, self.params, locale)
        return f"{gettext(self.summary, locale)}（{self.message}）"

    @property
    def message_zh(self) -> str:
        """The message in Chinese (GraphQL's ``extensions.messageZh``)."""
        return self.translated("zh_CN")


class BadInput(GraphcoordError):
    """An argument or a value is malformed (bad level name, bad area code…)."""

    code = "BAD_USER_INPUT"
    exit_code = 2
    summary = N_("the input is not valid")


class NotFound(GraphcoordError):
    """A node asked for by its key does not exist."""

    code = "NOT_FOUND"
    exit_code = 3
    summary = N_("not found")

    def __init__(self, kind: str, key: str) -> None:
        super().__init__("{kind} {key!r} not found", kind=Term(kind), key=key)
        self.kind = kind
        self.key = key


class NoPath(GraphcoordError):
    """No escalation path exists; the message says which link is missing."""

    code = "NOT_FOUND"
    exit_code = 3
    summary = N_("no escalation path")


class RuleViolation(GraphcoordError):
    """A write would break a rule of the graph model; names the rule and the offending ids."""

    code = "RULE_VIOLATION"
    exit_code = 4
    summary = N_("a rule forbids it")

    def __init__(
        self, rule: str, detail: str, ids: Iterable[str] = (), /, **params: object
    ) -> None:
        self.rule = rule
        self.ids = list(ids)
        self.detail = detail
        self.detail_params = params
        self.shown_ids = ", ".join(self.ids[:10]) + (" …" if len(self.ids) > 10 else "")
        suffix = f" (offending: {self.shown_ids})" if self.ids else ""
        super().__init__(f"rule {rule}: {detail.format(**params) if params else detail}{suffix}")

    def translated(self, locale: str | None = None) -> str:
        """The rule's name and the detail in ``locale``, then the offending ids."""
        locale = locale or current_locale()
        if not has_translation(self.detail, locale):
            return super().translated(locale)
        detail = fill(self.detail, self.detail_params, locale)
        text = gettext("rule {rule}: {detail}", locale).format(
            rule=gettext(self.rule, locale), detail=detail
        )
        if self.ids:
            text += gettext(" (offending: {ids})", locale).format(ids=self.shown_ids)
        return text


class ImportRejected(GraphcoordError):
    """A roster file had bad rows and nothing was written."""

    code = "BAD_USER_INPUT"
    exit_code = 5
    summary = N_("the file was not imported")


class DatabaseUnavailable(GraphcoordError):
    """Neo4j does not answer; the operation can be retried when it is back."""

    code = "UNAVAILABLE"
    exit_code = 69  # EX_UNAVAILABLE
    summary = N_("the graph database is not available")

    def __init__(self, uri: str, cause: str = "") -> None:
        super().__init__(
            "the graph database at {uri} is not available{detail}. "
            "Start it with `graphcoord db start` (or check NEO4J_URI) and try again.",
            uri=uri,
            detail=f": {cause}" if cause else "",
        )
        self.uri = uri


class DatabaseAuthError(GraphcoordError):
    """Neo4j refused the credentials."""

    code = "UNAVAILABLE"
    exit_code = 77  # EX_NOPERM
    summary = N_("the graph database refused the credentials")

    def __init__(self, uri: str, user: str) -> None:
        super().__init__(
            "the graph database at {uri} refused the credentials of user {user!r}: "
            "check NEO4J_USERNAME / NEO4J_PASSWORD (a local server keeps its password in "
            "the state folder, file neo4j-password)",
            uri=uri,
            user=user,
        )


class Unauthenticated(GraphcoordError):
    """A bearer token is missing where needed, malformed, expired or badly signed."""

    code = "UNAUTHENTICATED"
    exit_code = 77
    summary = N_("please sign in")


class Forbidden(GraphcoordError):
    """The caller's role may not do this."""

    code = "FORBIDDEN"
    exit_code = 77
    summary = N_("your role may not do this")
