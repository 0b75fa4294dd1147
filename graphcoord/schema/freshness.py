"""Analyses kept warm across writes: after a mutation, the cached projections catch up.

A mutation that changes a contact, a deputy or an issue leaves the projections of
:mod:`graphcoord.services.projections` with pending changes; the next question would catch
them up (a feed read, a patch read) on the asker's time. :class:`CatchUpAfterWrites` does it at
the end of the mutation instead, in the writer's request, so that the planner who added a
contact sees the county's coverage at the warm speed. Other workers (``serve --workers``) catch
up on their next question, from the change feed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from graphcoord.errors import GraphcoordError
from graphcoord.services import projections
from graphcoord.threads import blocking

__all__ = ["CatchUpAfterWrites"]

log = logging.getLogger(__name__)


class CatchUpAfterWrites(SchemaExtension):
    """After a mutation, bring this process's cached projections up to date."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        if context.graphql_document is None or context.operation_type is not OperationType.MUTATION:
            return
        db = getattr(context.context, "db", None)
        if db is None:
            return
        try:
            await blocking(projections.refresh, db)
        except GraphcoordError as error:
            # The write committed; its answer stands. The next question catches up instead.
            log.warning("projections not caught up after a mutation: %s", error)
