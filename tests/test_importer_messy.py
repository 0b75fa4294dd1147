"""Rosters as offices lay them out: notes and footnotes below the data, blank rows between
blocks, 工作单位及职务 in one column, several sheets of one kind — read through the console's
service (a dry run) with the reasons in Chinese."""

from __future__ import annotations

import io

from openpyxl import Workbook

from graphcoord.db import Database
from graphcoord.services.imports import import_bytes
from tests.test_importer_support import load_base

HEADER = ["代表编号", "姓名", "代表层级", "性别", "工作单位及职务", "选区代码"]


def messy_workbook() -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "代表名单（一）"
    first.append(["宿城区人大代表名单"])  # a title line above the header
    first.append(HEADER)
    first.append(["M-1", "张三", "县", "男", "宿城区某公司 董事长", "321302001000"])
    first.append([])
    first.append(["M-2", "李四", "县", "女", "幸福社区党委书记", "321302001000"])
    first.append(["M-3", "王五", "副省级", "男", "某单位 主任", "321302001000"])
    first.append([])
    first.append(["注：1.代表层级填写县或乡。"])
    first.append(["填表说明：选区代码为12位统计用区划代码"])
    second = book.create_sheet("代表名单（二）")
    second.append(HEADER)
    second.append(["M-4", "赵六", "县", "女", "某医院，院长", "321302001000"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_messy_roster_is_read_as_a_clerk_means_it(db: Database) -> None:
    load_base(db)
    report = import_bytes(
        db, messy_workbook(), "代表名单.xlsx", batch_size=100, dry_run=True, kind="deputies"
    )
    # only the bad level is a bad row, and its reason is Chinese
    assert [(b.sheet, b.row, b.column) for b in report.bad_rows] == [
        ("代表名单（一）", 6, "代表层级")
    ]
    assert "不是代表层级" in report.bad_rows[0].reason
    skipped = {(s.sheet, s.row) for s in report.skipped}
    assert {("代表名单（一）", 8), ("代表名单（一）", 9)} <= skipped  # the notes
    assert ("代表名单（一）", 4) in skipped  # the blank row between blocks
    assert report.counts["deputies"].created == 3  # M-1, M-2 and M-4 of the second sheet


def test_the_combined_column_is_split_into_unit_and_title(db: Database) -> None:
    load_base(db)
    report = import_bytes(
        db, messy_workbook(), "代表名单.xlsx", batch_size=100, kind="deputies", allow_partial=True
    )
    assert report.status == "SUCCEEDED"
    rows = db.execute(
        "MATCH (d:Deputy) WHERE d.id IN ['M-1', 'M-4'] "
        "RETURN d.id AS id, d.workUnit AS unit, d.occupation AS title ORDER BY d.id"
    )
    assert [(r["id"], r["unit"], r["title"]) for r in rows] == [
        ("M-1", "宿城区某公司", "董事长"),
        ("M-4", "某医院", "院长"),
    ]
