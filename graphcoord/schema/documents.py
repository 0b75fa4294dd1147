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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graphcoord.caching import BoundedCache

__all__ = ["Documents"]

#: Documents (and validation results) kept; the least recently used goes first.
MAXSIZE = 256

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

    def __init__(self, rules: Sequence[type[ASTValidationRule]], max_tokens: int) -> None:
        super().__init__()
        self.rules = tuple(rules)
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        context.validation_rules = context.validation_rules + self.rules
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query or "", tuple(sorted(context.parse_options.items())))
        document = cache.documents.get(key)
        if document is not None:
            context.graphql_document = document
        yield
        if document is None and context.graphql_document is not None and context.query:
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
            cache.validated.put(key, (document, errors))
        context.pre_execution_errors = errors
        yield
