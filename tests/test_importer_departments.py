"""``graphcoord import --kind departments``: handling units (承办单位) from a clerk's sheet, with
the importer's guarantees (every bad row reported, nothing written unless asked, re-runs
change nothing)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from tests.test_importer import Runner, imported
from tests.test_importer_support import CliResult, cli_in_process, load_base, write_csv


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    """``graphcoord ARGS`` through the CLI's entry point, in this process."""

    def run(*args: str) -> CliResult:
        return cli_in_process(settings, monkeypatch, capsys, *args)

    return run


HEADER = ["单位编号", "单位名称", "单位类型", "所在区划代码"]
GOOD = [
    ["D-EDU", "宿城区教育局", "县区部门", "321302000000"],
    ["D-GOV", "幸福街道办事处", "", "321302001000"],  # kind derived: a township's government
    ["D-BIZ", "宿迁市政务服务管理办公室", "市级部门", "3213"],  # a 4-digit prefix is padded
    ["D-WATER", "宿迁市水务集团有限公司", "公共服务企业", "321300000000"],
]


def departments(db: Database) -> dict[str, tuple[str, str, str | None]]:
    return {
        r["id"]: (r["name"], r["kind"], r["area"])
        for r in db.execute(
            "MATCH (d:Department) OPTIONAL MATCH (d)-[:LOCATED_IN]->(a:Area) "
            "RETURN d.id AS id, d.name AS name, d.kind AS kind, a.code AS area"
        )
    }


def test_departments_are_imported_with_chinese_headers(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(tmp_path / "承办单位.csv", HEADER, GOOD, encoding="gb18030")
    code, report = imported(cli, str(path))  # the kind from the file's name
    assert code == 0, report
    assert report["counts"]["departments"]["created"] == 4
    assert departments(db) == {
        "D-EDU": ("宿城区教育局", "COUNTY_BUREAU", "321302000000"),
        "D-GOV": ("幸福街道办事处", "TOWNSHIP_GOVERNMENT", "321302001000"),
        "D-BIZ": ("宿迁市政务服务管理办公室", "CITY_BUREAU", "321300000000"),
        "D-WATER": ("宿迁市水务集团有限公司", "PUBLIC_SERVICE", "321300000000"),
    }
    code, again = imported(cli, str(path))
    assert code == 0
    assert again["counts"]["departments"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "rejected": 0,
    }
    moved = write_csv(
        tmp_path / "departments.csv", HEADER, [["D-EDU", "宿城区教育局", "", "321302002000"]]
    )
    code, report = imported(cli, str(moved), "--kind", "departments")
    assert code == 0 and report["counts"]["departments"]["updated"] == 1
    assert departments(db)["D-EDU"] == ("宿城区教育局", "TOWNSHIP_GOVERNMENT", "321302002000")
    located = db.execute(
        "MATCH (:Department {id: 'D-EDU'})-[:LOCATED_IN]->(a:Area) RETURN a.code AS code"
    )
    assert [r["code"] for r in located] == ["321302002000"]  # moved, not duplicated


BAD = [
    (["D-X", "某局", "外星部门", "321302000000"], "不是有效的单位类型", "单位类型"),
    (["D-Y", "某局", "县区部门", "999999000000"], "区划 999999000000 不存在", "所在区划代码"),
    (["D-Z", "", "县区部门", "321302000000"], "“单位名称”不能为空", "单位名称"),
    (["D-W", "某局", "县区部门", "32130200"], "不是12位统计用区划代码", "所在区划代码"),
]


@pytest.mark.parametrize("bad", BAD, ids=["kind", "area", "no-name", "code"])
def test_bad_rows_are_reported_and_nothing_is_written(
    settings: Settings,
    cli: Runner,
    db: Database,
    tmp_path: Path,
    bad: tuple[list[str], str, str],
) -> None:
    row, reason, column = bad
    load_base(db)
    path = write_csv(tmp_path / "departments.csv", HEADER, [GOOD[0], row])
    errors = tmp_path / "errors.csv"
    code, report = imported(cli, str(path), "--kind", "departments", "--errors", str(errors))
    assert code == 5, report
    assert departments(db) == {}
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        (reported,) = list(csv.DictReader(handle))
    assert reported["row"] == "3" and reported["column"] == column
    assert reason in reported["reason"], reported
    code, partial = imported(cli, str(path), "--kind", "departments", "--allow-partial")
    assert code == 0
    assert set(departments(db)) == {"D-EDU"}
    assert partial["counts"]["departments"]["rejected"] == 1


def test_a_template_holds_the_departments_sheet(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "template.xlsx"
    result = cli("import", "template", "--kind", "departments", "--out", str(out))
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    book = load_workbook(out)
    headers: list[Any] = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert headers[:4] == HEADER
    assert json.dumps(headers, ensure_ascii=False)
