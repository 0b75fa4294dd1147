"""Each query text parsed and validated once, under the request limits: one schema extension.

Clients send the same few documents again and again. :class:`Documents` sets the token limit
for the parser and adds the depth and alias rules to validation (what strawberry's
``MaxTokensLimiter`` and ``AddValidationRules`` do), then hands back the document parsed before
for the same text and the errors found before for the same document, rules and schema.

Strawberry's ``ParserCache`` parses in the extension, ahead of the parse that applies the token
limit; here a document is only reused when strawberry itself parsed it under the same options (a
text that failed to parse is never kept, so it fails again with the same error and code).
Strawberry's ``ValidationCache`` keys an ``lru_cache`` by the document, whose hash walks every
node of it on every request; the same text gives the same document object here, so validation
results are keyed by its identity (the entry keeps the document, so its id is not reused).

A text longer than :data:`MAX_CACHED_TEXT` is parsed and validated but never kept: a parsed
document holds its source text, and comments cost no tokens, so a few large texts (``{
__typename } #`` and megabytes of comment) would otherwise stay in memory. The request body
limit (``web/bodylimit.py``) bounds what one request may send at all.

The query-cost rule (:mod:`graphcoord.schema.cost`) is chosen per request for the caller's
role; its rule class is part of the validation key, so results stay cached per role.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graphcoord.caching import BoundedCache
from graphcoord.schema.cost import variables_cost_error

__all__ = ["MAX_CACHED_TEXT", "Documents"]

#: Documents (and validation results) kept; the least recently used goes first.
MAXSIZE = 256
#: The longest query text whose document is kept (characters): 256 of them hold at most ~4 MB.
MAX_CACHED_TEXT = 16_384

_ParseKey = tuple[str, Any]
_ValidateKey = tuple[int, GraphQLSchema, tuple[type[ASTValidationRule], ...]]


class _Cache:
    """The parsed documents and validation results of the process."""

    def __init__(self, maxsize: int) -> None:
        self.documents: BoundedCache[_ParseKey, DocumentNode] = BoundedCache(maxsize)
        # The entry keeps its document, so that the id in its key stays that document's.
        self.validated: BoundedCache[_ValidateKey, tuple[DocumentNode, list[GraphQLError]]]
        self.validated = BoundedCache(maxsize)

    def clear(self) -> None:
        self.documents.clear()
        self.validated.clear()


cache = _Cache(MAXSIZE)


class Documents(SchemaExtension):
    """The token limit, the extra validation rules, and parsing and validating each text once.

    Make one per request with a factory (``lambda: Documents(rules, max_tokens)``), as strawberry
    asks of extensions; ``rules`` should be made once per schema (see
    :func:`graphcoord.schema.schema.limit_rules`), since they are part of the validation key.
    """

    def __init__(
        self,
        rules: Sequence[type[ASTValidationRule]],
        max_tokens: int,
        role_rules: Mapping[str, type[ASTValidationRule]] | None = None,
        page: tuple[int, int] = (50, 500),
    ) -> None:
        super().__init__()
        self.rules = tuple(rules)
        self.max_tokens = max_tokens
        self.role_rules = role_rules or {}
        self.page = page
        self.cost_rule: type[ASTValidationRule] | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        rules = self.rules
        if self.role_rules:
            principal = getattr(context.context, "principal", None)
            role = getattr(principal, "role", "public")
            self.cost_rule = self.role_rules.get(role) or self.role_rules.get("public")
            if self.cost_rule is not None:
                rules = (*rules, self.cost_rule)
        context.validation_rules = context.validation_rules + rules
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        text = context.query or ""
        keep = 0 < len(text) <= MAX_CACHED_TEXT
        key = (text, tuple(sorted(context.parse_options.items())))
        document = cache.documents.get(key) if keep else None
        if document is not None:
            context.graphql_document = document
        yield
        if keep and document is None and context.graphql_document is not None:
            cache.documents.put(key, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is None:  # nothing parsed: strawberry reports that itself
            yield
            return
        schema = context.schema._schema
        key = (id(document), schema, tuple(context.validation_rules))
        found = cache.validated.get(key)
        if found is not None:
            errors = found[1]
        else:
            errors = validate_document(schema, document, context.validation_rules)
            if len(context.query or "") <= MAX_CACHED_TEXT:
                cache.validated.put(key, (document, errors))
        if not errors and self.cost_rule is not None and context.variables:
            # Sizes given as variables: the budget is checked with the values sent.
            refused = variables_cost_error(
                self.cost_rule,
                schema,
                document,
                context.operation_name,
                context.variables,
                self.page,
            )
            if refused is not None:
                errors = [refused]
        context.pre_execution_errors = errors
        yield
