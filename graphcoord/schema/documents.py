"""Parse each query text once: a bounded cache of parsed documents, shared by all requests.

Clients send the same few documents again and again. Strawberry's own ``ParserCache`` parses
in the extension, ahead of the parse that applies the token limit; this one only hands back a
document that strawberry itself parsed before under the same limit (a text that failed to
parse is never cached, so it fails again with the same error and code).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

__all__ = ["ParsedDocuments"]

_MAXSIZE = 256
_documents: OrderedDict[tuple[str, Any], DocumentNode] = OrderedDict()
_lock = threading.Lock()


class ParsedDocuments(SchemaExtension):
    """Reuse the document of a query text parsed before (with the same parse options)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query or "", tuple(sorted(context.parse_options.items())))
        with _lock:
            document = _documents.get(key)
            if document is not None:
                _documents.move_to_end(key)
        if document is not None:
            context.graphql_document = document
        yield
        if document is None and context.graphql_document is not None and context.query:
            with _lock:
                _documents[key] = context.graphql_document
                while len(_documents) > _MAXSIZE:
                    _documents.popitem(last=False)
