"""Applying gap-closing suggestions: the planner's 补缺建议, one at a time or all at once.

Each suggestion becomes a contact through :func:`graphcoord.services.directory.add_contact`
(the contact rules apply, the change is audited); a refusal of one suggestion is reported with
its rule and does not stop the others, so applying "all" applies every one the rules allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphcoord.auth import Principal
from graphcoord.db import Database
from graphcoord.errors import GraphcoordError
from graphcoord.rules import require_area_code
from graphcoord.services import access, directory

__all__ = ["Applied", "Refusal", "apply_suggestions"]

#: Most suggestions applied in one request.
MAX_APPLIED = 500


@dataclass(frozen=True)
class Refusal:
    deputy_id: str
    village_code: str
    error: GraphcoordError


@dataclass(frozen=True)
class Applied:
    applied: tuple[directory.ContactChange, ...]
    refused: tuple[Refusal, ...]


def apply_suggestions(db: Database, pairs: Iterable[tuple[str, str]], actor: Principal) -> Applied:
    """Make each (deputy id, village code) a contact, as far as the rules allow."""
    access.require(actor, access.PLANNING, "changing contacts")
    applied: list[directory.ContactChange] = []
    refused: list[Refusal] = []
    for deputy_id, village_code in list(dict.fromkeys(pairs))[:MAX_APPLIED]:
        try:
            require_area_code(village_code)
            applied.append(directory.add_contact(db, deputy_id, village_code, actor=actor))
        except GraphcoordError as error:
            if error.code == "UNAVAILABLE":
                raise
            refused.append(Refusal(deputy_id, village_code, error))
    return Applied(tuple(applied), tuple(refused))
