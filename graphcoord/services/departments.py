"""Handling units (承办单位) and what a city calls its channels: reads for the surfaces.

Departments are written like every roster row: by the importer (kind ``departments``), the
seeds and the dataset write path (row kind ``departments``); issues are assigned to them by
:func:`graphcoord.services.handling.assign_issue`.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.model import CHANNEL_NAMES, DepartmentKind, significant_length
from graphcoord.queries import departments as queries
from graphcoord.queries.departments import DepartmentRow
from graphcoord.rules import require_area_code

__all__ = ["DepartmentRow", "channel_names", "department", "department_page", "departments_by_id"]


def departments_by_id(db: Database, ids: Sequence[str]) -> dict[str, DepartmentRow]:
    """The departments among ``ids`` in one round trip (a DataLoader's)."""
    return queries.departments_by_id(db, ids)


def department(db: Database, department_id: str) -> DepartmentRow:
    found = queries.departments_by_id(db, [department_id]).get(department_id)
    if found is None:
        raise NotFound("department", department_id)
    return found


def department_page(
    db: Database,
    *,
    area_code: str | None,
    kind: DepartmentKind | None,
    skip: int,
    limit: int,
) -> tuple[int, list[DepartmentRow]]:
    """Departments located inside ``area_code`` (all without it), ``limit + 1`` rows."""
    prefix = None
    if area_code is not None:
        require_area_code(area_code)
        prefix = area_code[: significant_length(area_code)]
    return queries.department_page(
        db, prefix=prefix, kind=kind.value if kind else None, skip=skip, limit=limit
    )


def channel_names(db: Database, area_code: str) -> dict[str, str]:
    """What people of ``area_code`` call each channel: the nearest area's own names (Suqian's
    QR channel is 宿话说), else the generic :data:`graphcoord.model.CHANNEL_NAMES`."""
    return {**CHANNEL_NAMES, **queries.channel_names(db, area_code)}
