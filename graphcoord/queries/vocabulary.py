"""The model's words as Cypher literals, for statements that filter on them.

Each is the Cypher twin of a constant of :mod:`graphcoord.model` (tests/test_vocabulary.py
checks that both say the same), so that a statement reads ``v.kind IN `` + :data:`VILLAGE_KINDS`
instead of spelling the kinds again.
"""

from __future__ import annotations

from typing import LiteralString

__all__ = ["CLOSED_STATUSES", "VILLAGE_KINDS"]

#: :data:`graphcoord.model.VILLAGE_KINDS`: the contact units, villages and communities.
VILLAGE_KINDS: LiteralString = "['VILLAGE', 'COMMUNITY']"

#: :data:`graphcoord.model.CLOSED_STATUSES`: issues that no longer count as open.
CLOSED_STATUSES: LiteralString = "['RESOLVED', 'CLOSED']"
