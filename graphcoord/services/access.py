"""Who may do what: the role checks every surface applies before calling a workflow.

GraphQL's permission classes (:mod:`graphcoord.schema.permissions`) and the office console
both call :func:`require`, so a role is refused the same thing, with the same error, on both.
"""

from __future__ import annotations

from graphcoord.auth import AUTHENTICATED, ORGANIZING, PLANNING, PRIVATE_READERS, Principal
from graphcoord.errors import Forbidden, Unauthenticated
from graphcoord.i18n import N_, Term

__all__ = [
    "ADMINS",
    "AUTHENTICATED",
    "ORGANIZING",
    "PLANNING",
    "PRIVATE_READERS",
    "READERS",
    "can",
    "require",
]

#: Bulk imports, accounts and everything else.
ADMINS = frozenset({"admin"})
#: The coordination graph's reads: every signed-in role.
READERS = AUTHENTICATED


def can(principal: Principal, roles: frozenset[str]) -> bool:
    """Whether ``principal`` holds one of ``roles`` (what a page may show)."""
    return principal.role in roles


def require(principal: Principal, roles: frozenset[str], what: str) -> None:
    """Raise :class:`Unauthenticated` for the public, :class:`Forbidden` for a role not in
    ``roles``; ``what`` names the refused action in the message."""
    if principal.role == "public":
        raise Unauthenticated(
            "{what} needs a bearer token (Authorization: Bearer …)", what=Term(what)
        )
    if principal.role not in roles:
        raise Forbidden(
            "{what} is for {allowed}; your role is {role}",
            what=Term(what),
            allowed=Term(" or ".join(sorted(roles))),
            role=Term(principal.role),
        )


#: What :func:`require` names, marked for the catalogs (the words are translated when shown):
#: the groups of roles, and what the console's pages and actions are.
WORDS = (
    N_("admin"),
    N_("admin or planner"),
    N_("admin or organizer"),
    N_("admin or deputy or organizer or planner"),
    N_("coverage"),
    N_("suggestions"),
    N_("changing contacts"),
    N_("groups"),
    N_("issues"),
    N_("changing an issue"),
    N_("roster imports"),
    N_("deputies"),
    N_("the audit trail"),
    N_("this page"),
)
