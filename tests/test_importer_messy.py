"""Rosters as offices lay them out: notes and footnotes below the data, blank rows between
blocks, 工作单位及职务 in one column, several sheets of one kind — read through the console's
service (a dry run) with the reasons in Chinese."""

from __future__ import annotations

import csv
import io

import pytest
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


# -- merged header cells over two header rows ----------------------------------------------

#: 代表编号, 姓名 and 选区代码 merged down over both header rows; 基本情况 over 代表层级 | 性别,
#: 工作单位及职务 over 工作单位 | 职务, 联系方式 over 手机: merged across, their columns' own
#: titles in the second row.
TOP_DETECTED = (
    ["代表编号", "姓名", "基本情况", None, "工作单位及职务", None, "联系方式", "选区代码"],
    [None, None, "代表层级", "性别", "工作单位", "职务", "手机", None],
    ("A1:A2", "B1:B2", "C1:D1", "E1:F1", "H1:H2"),
)
#: Only 代表编号 is known in the first row (the rest sits under 基本信息): the header is found
#: on the second row and takes 代表编号 from the row above.
BOTTOM_DETECTED = (
    ["代表编号", "基本信息", None, None, None, None, None, None],
    [None, "姓名", "代表层级", "性别", "工作单位", "职务", "手机", "选区代码"],
    ("A1:A2", "B1:H1"),
)
MERGED_ROWS = [
    ["H-1", "周一", "县", "男", "宿城区某公司", "董事长", "13812345678", "321302001000"],
    ["H-2", "吴二", "乡", "女", "幸福社区", "党委书记", "13912345678", "321302001000"],
]


def merged_header_workbook(
    top: list[str | None], sub: list[str | None], merges: tuple[str, ...]
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "代表"
    sheet.append(top)
    sheet.append(sub)
    for cells in merges:
        sheet.merge_cells(cells)
    for row in MERGED_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def merged_header_csv(top: list[str | None], sub: list[str | None]) -> bytes:
    """The same table saved as CSV from Excel on a Chinese Windows: GB18030, merged cells
    blank but for their first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["" if cell is None else cell for cell in row] for row in (top, sub)])
    writer.writerows(MERGED_ROWS)
    return buffer.getvalue().encode("gb18030")


@pytest.mark.parametrize(
    ("layout", "suffix"),
    [(TOP_DETECTED, ".xlsx"), (BOTTOM_DETECTED, ".xlsx"), (TOP_DETECTED, ".csv")],
    ids=["merged-down-and-across", "header-found-on-the-second-row", "csv-gb18030"],
)
def test_a_header_of_two_rows_with_merged_cells_is_read_as_one(
    db: Database,
    layout: tuple[list[str | None], list[str | None], tuple[str, ...]],
    suffix: str,
) -> None:
    load_base(db)
    top, sub, merges = layout
    data = (
        merged_header_workbook(top, sub, merges)
        if suffix == ".xlsx"
        else merged_header_csv(top, sub)
    )
    report = import_bytes(db, data, f"代表{suffix}", batch_size=100, kind="deputies")
    assert report.bad_rows == [] and report.status == "SUCCEEDED", report.bad_rows
    assert report.counts["deputies"].created == 2
    assert not report.skipped  # the second header row is header, not a skipped line
    rows = db.execute(
        "MATCH (d:Deputy) WHERE d.id IN ['H-1', 'H-2'] RETURN d.id AS id, d.level AS level, "
        "d.gender AS gender, d.workUnit AS unit, d.occupation AS title, d.phone AS phone "
        "ORDER BY d.id"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("H-1", "COUNTY", "男", "宿城区某公司", "董事长", "13812345678"),
        ("H-2", "TOWNSHIP", "女", "幸福社区", "党委书记", "13912345678"),
    ]


def test_a_data_row_under_the_header_is_not_taken_for_a_second_header_row(db: Database) -> None:
    """Values under known titles are data: the row below the header stays a data row."""
    load_base(db)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "代表"
    sheet.append(["代表编号", "姓名", "代表层级", "性别", "选区代码"])
    sheet.append(["D-1", "性别", "县", "男", "321302001000"])  # a name like a column title
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_bytes(db, buffer.getvalue(), "代表.xlsx", batch_size=100, dry_run=True)
    assert report.bad_rows == []
    assert report.counts["deputies"].created == 1


# -- one key in several sheets of one kind ---------------------------------------------------


def test_a_key_repeated_in_another_sheet_of_the_same_kind_is_a_bad_row(db: Database) -> None:
    load_base(db)
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "代表名单（一）"
    first.append(HEADER)
    first.append(["R-1", "钱七", "县", "男", "某公司 经理", "321302001000"])
    first.append(["R-2", "孙八", "县", "女", "某学校 校长", "321302001000"])
    second = book.create_sheet("代表名单（二）")
    second.append(HEADER)
    second.append(["R-3", "郑九", "县", "男", "某医院 院长", "321302001000"])
    second.append(["R-1", "钱七", "县", "男", "某公司 经理", "321302001000"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_bytes(db, buffer.getvalue(), "代表名单.xlsx", batch_size=100, kind="deputies")
    assert report.status == "REJECTED"
    assert [(b.sheet, b.row, b.column, b.value) for b in report.bad_rows] == [
        ("代表名单（二）", 3, "代表编号", "R-1")
    ]
    assert report.bad_rows[0].reason == "编号 R-1 重复：已在工作表“代表名单（一）”第2行出现"
    assert (
        db.execute("MATCH (d:Deputy) WHERE d.id STARTS WITH 'R-' RETURN count(d) AS n")[0]["n"] == 0
    )  # nothing written
