"""Permission classes, named for what they allow, attached to fields.

They raise graphcoord errors so the client sees ``UNAUTHENTICATED`` (no or bad token) or
``FORBIDDEN`` (a role below what the field needs), for that field only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission
from strawberry.types import Info

from graphcoord.auth import AUTHENTICATED, ORGANIZING, PLANNING, PRIVATE_READERS
from graphcoord.services.access import require

__all__ = [
    "CanManageGroups",
    "CanPlan",
    "CanReadRecords",
    "CanRunReportBacks",
    "CanRunStations",
    "CanSeePrivateDetails",
    "IsAdmin",
    "IsSignedIn",
    "require_roles",
]


def require_roles(info: Info[Any, Any], roles: frozenset[str], what: str) -> None:
    """Raise unless the caller's role is one of ``roles`` (the check the console makes too)."""
    context = info.context
    if context.auth_error is not None:
        raise context.auth_error
    require(context.principal, roles, what)


class _RolePermission(BasePermission):
    roles: ClassVar[frozenset[str]] = AUTHENTICATED
    what: ClassVar[str] = "this field"

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        require_roles(info, self.roles, f"{self.what} ({info.field_name})")
        return True


class IsSignedIn(_RolePermission):
    """Any signed-in role: deputy, planner, organizer, admin."""

    roles = AUTHENTICATED
    what = "reading the coordination graph"


class CanSeePrivateDetails(_RolePermission):
    """Phone numbers and citizens' contact details: organizer and admin only."""

    roles = PRIVATE_READERS
    what = "private contact details"


class CanPlan(_RolePermission):
    """Changing contacts to close gaps: planner and admin."""

    roles = PLANNING
    what = "changing contacts"


class CanManageGroups(_RolePermission):
    """Conveners, activities and any issue's status: organizer and admin."""

    roles = ORGANIZING
    what = "managing groups"


class CanRunStations(_RolePermission):
    """Activity days of liaison stations, their attendance and opinions: organizer and admin."""

    roles = ORGANIZING
    what = "running liaison stations"


class IsAdmin(_RolePermission):
    """Bulk imports and everything else: admin only."""

    roles = frozenset({"admin"})
    what = "administration"


class CanReadRecords(_RolePermission):
    """Every deputy's performance record and score, rankings: organizer, planner and admin
    (a deputy reads their own through ``Deputy.record``)."""

    roles = frozenset({"organizer", "planner", "admin"})
    what = "reading deputies' records"


class CanRunReportBacks(_RolePermission):
    """Report-back meetings (述职评议): scheduling, ballots, closing, results: organizer, admin."""

    roles = ORGANIZING
    what = "running report-back meetings"
