"""``graphcoord import template``: an XLSX a clerk can fill in and import as it is.

One sheet per kind asked for (named with the kind's Chinese name, so a multi-kind template
imports in one go) with the Chinese headers and an example row, plus a sheet of allowed
values (levels, kinds, roles…) and of which columns are required.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from graphcoord.importer.kinds import KINDS
from graphcoord.importer.models import (
    AREA_KIND_NAMES,
    BASIS_NAMES,
    COLLECTION_POINT_KIND_NAMES,
    DEPARTMENT_KIND_NAMES,
    GENDER_NAMES,
    GROUP_KIND_NAMES,
    POINT_ROLE_NAMES,
    PROPOSAL_KIND_NAMES,
    PROPOSAL_STATUS_NAMES,
    REPLY_CATEGORY_NAMES,
    ROLE_NAMES,
    SATISFACTION_NAMES,
    STATION_KIND_NAMES,
    STATUS_NAMES,
)
from graphcoord.importer.text import LEVEL_NAMES

__all__ = ["ALLOWED_SHEET", "write_template"]

ALLOWED_SHEET = "可选值"

_ALLOWED: dict[str, dict[str, str]] = {
    "代表层级 level": {name: level.value for name, level in LEVEL_NAMES.items()},
    "区划类型 area kind": AREA_KIND_NAMES,
    "联系方式 basis": BASIS_NAMES,
    "小组类型 group kind": GROUP_KIND_NAMES,
    "角色 role": ROLE_NAMES,
    "观察点类别 point role": POINT_ROLE_NAMES,
    "状态 status": STATUS_NAMES,
    "性别 gender": GENDER_NAMES,
    "联络站类型 station kind": STATION_KIND_NAMES,
    "收集点类型 collection point kind": COLLECTION_POINT_KIND_NAMES,
    "单位类型 unit kind": DEPARTMENT_KIND_NAMES,
    "议案建议类别 proposal kind": PROPOSAL_KIND_NAMES,
    "议案建议状态 proposal status": PROPOSAL_STATUS_NAMES,
    "答复类别 reply class": REPLY_CATEGORY_NAMES,
    "代表评价 verdict": SATISFACTION_NAMES,
}


def write_template(out: Path, kinds: list[str]) -> Path:
    """Write an XLSX template for ``kinds`` to ``out``."""
    book = Workbook()
    bold = Font(bold=True)
    first = True
    for kind in kinds:
        spec = KINDS[kind]
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = spec.names[0]
        sheet.append(spec.template_headers)
        for cell in sheet[1]:
            cell.font = bold
        for example in spec.examples:
            sheet.append([example.get(header, "") for header in spec.template_headers])
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = max(12, 2 * len(str(column[0].value)) + 4)
    allowed = book.create_sheet(ALLOWED_SHEET)
    allowed.append(["列 column", "可填写 accepted", "存为 stored as"])
    for cell in allowed[1]:
        cell.font = bold
    for column, table in _ALLOWED.items():
        for spelling, value in table.items():
            allowed.append([column, spelling, value])
    allowed.append([])
    allowed.append(["类别 kind", "必填列 required columns", "说明 notes"])
    for kind in kinds:
        spec = KINDS[kind]
        required = "、".join(spec.headers[f][0] for f in spec.required)
        notes = "; ".join(f"{spec.headers[f][0]}: {note}" for f, note in spec.notes.items())
        allowed.append([spec.names[0], required, notes])
    allowed.append(
        [
            "身份证号",
            "",
            "national ID numbers are refused: never put them in any column",
        ]
    )
    for letter, width in (("A", 22), ("B", 28), ("C", 60)):
        allowed.column_dimensions[letter].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
