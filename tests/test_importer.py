"""``graphcoord import`` as a clerk runs it: real files, the CLI in a subprocess, a real Neo4j."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.importer import report as report_module
from graphcoord.importer.text import (
    cell_text,
    looks_like_national_id,
    mask,
    normalise_level,
    normalise_phone,
)
from graphcoord.model import Level
from graphcoord.queries.imports import fingerprint
from tests.conftest import run_cli
from tests.test_importer_support import (
    CliResult,
    cli_in_process,
    counts,
    load_base,
    write_csv,
    write_xlsx,
)

DEPUTY_HEADER_ZH = ["代表编号", "姓名", "代表层级", "性别", "工作单位", "联系电话", "选区代码"]


Runner = Callable[..., CliResult]


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    """``graphcoord ARGS`` through the CLI's entry point, in this process."""

    def run(*args: str) -> CliResult:
        return cli_in_process(settings, monkeypatch, capsys, *args)

    return run


def imported(run: Runner, *args: str) -> tuple[int, dict[str, Any]]:
    """Run ``graphcoord import … --json``; return the exit code and the report."""
    result = run("import", *args, "--json")
    assert result.stdout.strip(), result.stderr
    return result.returncode, json.loads(result.stdout)


def imported_by_subprocess(settings: Settings, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli(settings, "import", *args, "--json")
    assert result.stdout.strip(), result.stderr
    return result.returncode, json.loads(result.stdout)


def flat(text: str) -> str:
    """``text`` with the line breaks rich wraps a long message at taken out."""
    return " ".join(text.split())


def deputy(db: Database, deputy_id: str) -> dict[str, Any]:
    records = db.execute(
        "MATCH (d:Deputy {id: $id}) OPTIONAL MATCH (d)-[:ELECTED_IN]->(a:Area) "
        "RETURN properties(d) AS d, a.code AS area",
        {"id": deputy_id},
    )
    return {**records[0]["d"], "_electedIn": records[0]["area"]}


# -- pure normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("全国", Level.NATIONAL),
        ("全国人大代表", Level.NATIONAL),
        ("国家级", Level.NATIONAL),
        ("省", Level.PROVINCIAL),
        ("省级", Level.PROVINCIAL),
        ("省人大代表", Level.PROVINCIAL),
        ("市", Level.CITY),
        ("设区的市", Level.CITY),
        ("县", Level.COUNTY),
        ("区", Level.COUNTY),
        ("县（市、区）", Level.COUNTY),
        ("县(区)人大代表", Level.COUNTY),
        ("乡", Level.TOWNSHIP),
        ("镇", Level.TOWNSHIP),
        ("乡(镇)", Level.TOWNSHIP),
        ("乡镇人大代表", Level.TOWNSHIP),
        ("township", Level.TOWNSHIP),
        ("City", Level.CITY),
        ("NATIONAL", Level.NATIONAL),
    ],
)
def test_level_names(text: str, level: Level) -> None:
    assert normalise_level(cell_text(text)) is level


@pytest.mark.parametrize("text", ["副省级", "村", "", "national-ish"])
def test_unknown_level_names(text: str) -> None:
    assert normalise_level(text) is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0527-84361234", "0527-84361234"),
        ("(0527)84361234", "0527-84361234"),
        ("010-61234567", "010-61234567"),
        ("12345678901", None),
        ("1381234567", None),
        ("84361234", None),
    ],
)
def test_phones(text: str, phone: str | None) -> None:
    assert normalise_phone(cell_text(text)) == phone


def test_national_ids_are_recognised_and_masked() -> None:
    assert looks_like_national_id("身份证 11010119900307451X")
    assert not looks_like_national_id("321302001001")  # an area code
    assert not looks_like_national_id("13812345678")
    assert mask("110101199003074514") == "110***********4514"


def test_full_width_is_folded_and_trimmed() -> None:
    assert cell_text("　ＳＱ－Ｄ０１ ") == "SQ-D01"
    assert cell_text(321302001001.0) == "321302001001"


# -- formats --------------------------------------------------------------------------------


def test_gb18030_csv_with_chinese_headers(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(
        tmp_path / "代表名单.csv",
        DEPUTY_HEADER_ZH,
        [
            [
                "Ｄ－００１",
                " 王晓梅 ",
                "县（市、区）",
                "女",
                "幸福街道幸福社区",
                "１３８１２３４５６７８",
                "321302001000",
            ],
            ["D-002", "李建国", "全国人大代表", "男", "宿迁市某公司", "0527-84361234", ""],
            ["D-003", "赵乡", "乡(镇)", "M", "新星村", "", "321302001"],
        ],
        encoding="gb18030",
    )
    code, report = imported_by_subprocess(settings, str(path), "--kind", "deputies")
    assert code == 0, report
    assert report["status"] == "SUCCEEDED"
    assert report["counts"]["deputies"]["created"] == 3
    first = deputy(db, "D-001")
    assert first["name"] == "王晓梅"
    assert first["level"] == "COUNTY"
    assert first["phone"] == "13812345678"
    assert first["_electedIn"] == "321302001000"
    assert deputy(db, "D-002")["level"] == "NATIONAL"
    third = deputy(db, "D-003")
    assert (third["level"], third["gender"], third["_electedIn"]) == (
        "TOWNSHIP",
        "男",
        "321302001000",
    )


def test_encoding_can_be_forced(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(
        tmp_path / "x.csv",
        DEPUTY_HEADER_ZH,
        [["D-1", "王", "县", "女", "", "", "321302001000"]],
        encoding="gb18030",
    )
    code, report = imported(cli, str(path), "--kind", "deputies", "--encoding", "gb18030")
    assert code == 0, report
    assert deputy(db, "D-1")["name"] == "王"


def test_utf8_bom_csv_contacts_derive_basis(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(
        tmp_path / "contacts.csv",
        ["deputyId", "villageCode"],
        [["B-C1", "321302001001"], ["B-N1", "321302002001"]],
        encoding="utf-8-sig",
    )
    code, report = imported(cli, str(path))  # the kind comes from the file name
    assert code == 0, report
    assert report["counts"]["contacts"]["created"] == 2
    records = db.execute(
        "MATCH (d:Deputy)-[c:CONTACTS]->(a:Area) RETURN d.id AS d, c.basis AS basis ORDER BY d"
    )
    assert [(r["d"], r["basis"]) for r in records] == [
        ("B-C1", "ORIGINAL_CONSTITUENCY"),
        ("B-N1", "NEAR_HOME_OR_WORK"),
    ]


def test_tsv_areas_derive_parent_and_kind(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(
        tmp_path / "villages.tsv",
        ["区划代码", "名称"],
        [["321302002002", "项里社区"], ["321302002003", "东风村"]],
        delimiter="\t",
    )
    code, report = imported(cli, str(path), "--kind", "areas")
    assert code == 0, report
    records = db.execute(
        "MATCH (a:Area)-[:PART_OF]->(p:Area) WHERE a.code IN ['321302002002', '321302002003'] "
        "RETURN a.code AS code, a.kind AS kind, p.code AS parent ORDER BY code"
    )
    assert [(r["code"], r["kind"], r["parent"]) for r in records] == [
        ("321302002002", "COMMUNITY", "321302002000"),
        ("321302002003", "VILLAGE", "321302002000"),
    ]


def test_multi_sheet_xlsx_in_dependency_order(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    # Sheets in the "wrong" order, named in Chinese and English: contacts need the deputies,
    # deputies need the areas; the importer orders them.
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        {
            "联系": (["代表编号", "联系村(社区)代码"], [["X-C1", 321399001001]]),
            "deputies": (
                ["id", "name", "level", "constituencyCode", "phone"],
                [["X-C1", "张三", "县", "321399001000", 13812345678]],
            ),
            "区划": (
                ["区划代码", "名称", "类型"],
                [["321399001000", "测试镇", "镇"], ["321399001001", "测试村", "村"]],
            ),
            "说明": (["这是说明"], [["不导入"]]),
        },
    )
    code, report = imported(cli, str(path))
    assert code == 0, report
    assert report["kinds"] == ["areas", "deputies", "contacts"]
    assert report["counts"]["contacts"]["created"] == 1
    assert deputy(db, "X-C1")["phone"] == "13812345678"


# -- bad rows -------------------------------------------------------------------------------

GOOD_DEPUTY = ["D-OK", "好代表", "县", "女", "单位", "13812345678", "321302001000"]

BAD_FILES: dict[str, tuple[str, list[str], list[list[Any]], str, str | None]] = {
    # id: (kind, header, rows, reason fragment, column)
    "missing-required-column": (
        "deputies",
        ["代表编号", "代表层级"],
        [["D-1", "县"]],
        "缺少必填列：姓名",
        None,
    ),
    "bad-level": (
        "deputies",
        DEPUTY_HEADER_ZH,
        [GOOD_DEPUTY, ["D-1", "王", "副省级", "女", "", "", "321302001000"]],
        "'副省级' 不是代表层级",
        "代表层级",
    ),
    "bad-phone": (
        "deputies",
        DEPUTY_HEADER_ZH,
        [GOOD_DEPUTY, ["D-1", "王", "县", "女", "", "12345", "321302001000"]],
        "'12345' 不是有效的手机号",
        "联系电话",
    ),
    "national-id-value": (
        "deputies",
        DEPUTY_HEADER_ZH,
        [GOOD_DEPUTY, ["D-1", "王", "县", "女", "110101199003074514", "", "321302001000"]],
        "疑似身份证号，本系统不保存身份证号",
        "工作单位",
    ),
    "national-id-column": (
        "deputies",
        [*DEPUTY_HEADER_ZH, "身份证号"],
        [[*GOOD_DEPUTY, ""]],
        "“身份证号”列会存放身份证号",
        "身份证号",
    ),
    "duplicate-key": (
        "deputies",
        DEPUTY_HEADER_ZH,
        [GOOD_DEPUTY, GOOD_DEPUTY],
        "编号 D-OK 重复：已在第2行出现",
        "代表编号",
    ),
    "unknown-area": (
        "deputies",
        DEPUTY_HEADER_ZH,
        [GOOD_DEPUTY, ["D-1", "王", "县", "女", "", "", "321302099000"]],
        "区划 321302099000 不存在：本文件和系统中都没有",
        "选区代码",
    ),
    "unknown-deputy": (
        "contacts",
        ["代表编号", "联系村(社区)代码"],
        [["B-C1", "321302001001"], ["NOBODY", "321302001001"]],
        "代表 NOBODY 不存在",
        "代表编号",
    ),
    "unknown-group": (
        "memberships",
        ["代表编号", "小组编号", "角色"],
        [["B-C1", "B-G1", "召集人"], ["B-T1", "NO-GROUP", "成员"]],
        "小组 NO-GROUP 不存在",
        "小组编号",
    ),
    "contact-outside-constituency": (
        "contacts",
        ["代表编号", "联系村(社区)代码"],
        [["B-N1", "321302001001"], ["B-C1", "321302002001"]],
        "只能联系选区内的村（社区）",
        "联系村(社区)代码",
    ),
    "two-conveners": (
        "memberships",
        ["代表编号", "小组编号", "角色"],
        [["B-C1", "B-G1", "召集人"], ["B-T1", "B-G1", "召集人"]],
        "小组 B-G1 将有2名召集人",
        "角色",
    ),
    "liaison-upward": (
        "liaisons",
        ["联系人代表编号", "被联系代表编号"],
        [["B-N1", "B-C1"], ["B-T1", "B-C1"]],
        "代表联系人应由上级联系下级",
        "被联系代表编号",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_rows_are_reported_and_nothing_is_written(
    case: str, settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    kind, header, rows, reason, column = BAD_FILES[case]
    load_base(db)
    before = counts(db)
    path = write_csv(tmp_path / f"{case}.csv", header, rows)
    errors = tmp_path / "errors.csv"
    result = cli("import", str(path), "--kind", kind, "--errors", str(errors))
    assert result.returncode == 5, result.stdout + result.stderr
    assert "未写入任何数据" in flat(result.stderr)
    assert counts(db) == before  # all or nothing
    raw = errors.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        reported = list(csv.DictReader(handle))
    assert list(reported[0]) == ["file", "sheet", "row", "column", "value", "reason"]
    assert any(reason in r["reason"] for r in reported), reported
    bad = next(r for r in reported if reason in r["reason"])
    assert bad["file"] == path.name
    assert bad["column"] == (column or "")
    assert "110101199003074514" not in raw.decode("utf-8-sig")  # never repeated, even here
    assert f"{path.name} 中有" in result.stdout  # the rich table


OUT_OF_ORDER_CONTACTS = [
    ["NOBODY", "321302001001"],  # row 2: found when its batch is checked
    ["B-C1", "abc"],  # row 3: found at once
    ["B-C1", "321302001001"],
    ["B-T1", "xyz"],  # row 5: found at once, before row 2
    ["NOBODY-2", "321302001002"],
    ["B-C1", "321302001001", "extra"],  # row 7: a duplicate key
]


def rows_reported(cli: Runner, tmp_path: Path, *options: str) -> tuple[list[int], list[int]]:
    """Import OUT_OF_ORDER_CONTACTS (batches of 2): the rows of the report's and of the error
    file's problems, in their order."""
    path = write_csv(
        tmp_path / "contacts.csv", ["代表编号", "联系村(社区)代码"], OUT_OF_ORDER_CONTACTS
    )
    errors = tmp_path / "errors.csv"
    code, report = imported(cli, str(path), "--batch-size", "2", "--errors", str(errors), *options)
    assert code == (0 if "--allow-partial" in options else 5), report
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        written = [int(r["row"]) for r in csv.DictReader(handle)]
    return [bad["row"] for bad in report["badRows"]], written


@pytest.mark.parametrize("options", [[], ["--allow-partial"], ["--dry-run"]], ids=str)
def test_bad_rows_are_reported_in_row_order(
    options: list[str], settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    """Row-level problems are found while parsing, a batch's unknown deputies after the batch:
    the report and the error file still list them row by row."""
    load_base(db)
    assert rows_reported(cli, tmp_path, *options) == ([2, 3, 5, 6, 7], [2, 3, 5, 6, 7])


def test_a_big_error_file_stays_in_the_order_found(
    settings: Settings,
    cli: Runner,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_base(db)
    monkeypatch.setattr(report_module, "SORTED_FILE_ROWS", 4)  # 5 problems: too many to sort
    assert rows_reported(cli, tmp_path) == ([2, 3, 5, 6, 7], [3, 5, 7, 2, 6])


def test_allow_partial_loads_the_good_rows(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(
        tmp_path / "d.csv",
        DEPUTY_HEADER_ZH,
        [GOOD_DEPUTY, ["D-BAD", "王", "副省级", "女", "", "", "321302001000"]],
    )
    code, report = imported(cli, str(path), "--kind", "deputies", "--allow-partial")
    assert code == 0
    assert report["status"] == "SUCCEEDED"
    assert report["counts"]["deputies"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert [b["row"] for b in report["badRows"]] == [3]
    assert deputy(db, "D-OK")["level"] == "COUNTY"
    assert not db.execute("MATCH (d:Deputy {id: 'D-BAD'}) RETURN d")


def test_dry_run_counts_and_writes_nothing(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(
        tmp_path / "d.csv",
        ["代表编号", "姓名", "代表层级", "选区代码", "居住或工作地代码"],
        [
            ["B-N1", "全国代表", "全国", "", "321302001000"],  # unchanged
            ["B-C1", "县代表（改名）", "县", "321302001000", ""],  # updated
            ["D-NEW", "新代表", "乡", "321302002000", ""],  # created
        ],
    )
    before = fingerprint(db)
    code, report = imported(cli, str(path), "--kind", "deputies", "--dry-run")
    assert code == 0, report
    assert report["status"] == "VALIDATED"
    assert report["counts"]["deputies"] == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
    }
    assert fingerprint(db) == before
    assert not db.execute("MATCH (r:ImportRun) RETURN r")


def test_rerun_changes_nothing_and_history_lists_runs(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(tmp_path / "d.csv", DEPUTY_HEADER_ZH, [GOOD_DEPUTY])
    code, first = imported(cli, str(path), "--kind", "deputies")
    assert (code, first["counts"]["deputies"]["created"]) == (0, 1)
    after_first = fingerprint(db)
    code, second = imported(cli, str(path), "--kind", "deputies")
    assert code == 0
    assert second["counts"]["deputies"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
    }
    assert fingerprint(db) == after_first
    history = cli("import", "history", "--json")
    runs = json.loads(history.stdout)
    assert [r["status"] for r in runs[:2]] == ["SUCCEEDED", "SUCCEEDED"]
    assert runs[0]["file_hash"] == second["fileHash"] == first["fileHash"]
    assert (runs[0]["unchanged"], runs[1]["created"]) == (1, 1)
    table = cli("import", "history")
    assert "已完成" in table.stdout  # SUCCEEDED, as the clerk reads it


def test_rejected_run_is_recorded(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    load_base(db)
    path = write_csv(tmp_path / "d.csv", DEPUTY_HEADER_ZH, [GOOD_DEPUTY, GOOD_DEPUTY])
    result = cli("import", str(path), "--kind", "deputies")
    assert result.returncode == 5
    records = db.execute("MATCH (r:ImportRun) RETURN r.status AS status, r.rejected AS rejected")
    assert [(r["status"], r["rejected"]) for r in records] == [("REJECTED", 1)]


def test_template_round_trip(settings: Settings, cli: Runner, db: Database, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    result = run_cli(settings, "import", "template", "--kind", "all", "--out", str(out))
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    assert book.sheetnames[:3] == ["区划", "产业链", "代表"]
    assert "可选值" in book.sheetnames
    header = next(book["代表"].iter_rows(values_only=True))
    assert header[:3] == ("代表编号", "姓名", "代表层级")
    book.close()
    code, report = imported(cli, str(out))
    assert code == 0, report
    assert report["status"] == "SUCCEEDED"
    assert report["badRowCount"] == 0
    created = {kind: c["created"] for kind, c in report["counts"].items()}
    assert created == {
        "areas": 2,
        "deputies": 2,
        "contacts": 1,
        "clusters": 1,
        "chains": 1,
        "observationPoints": 1,
        "chainWorkers": 1,
        "groups": 1,
        "memberships": 1,
        "activities": 1,
        "liaisons": 1,
        "stations": 2,
        "collectionPoints": 1,
        "receptions": 4,
        "activityDays": 1,
        "attendances": 1,
        "departments": 2,
        "proposals": 1,
        "sponsorships": 1,
        "contributions": 1,
        "proposalHandlings": 1,
    }
    single = tmp_path / "deputies.xlsx"
    template = cli("import", "template", "--kind", "deputies", "--out", str(single))
    assert template.returncode == 0
    code, report = imported(cli, str(single), "--kind", "deputies")
    assert code == 0, report
    assert report["counts"]["deputies"]["unchanged"] == 2


def test_unknown_kind_and_file_type(
    settings: Settings, cli: Runner, db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "x.csv", ["a"], [["b"]])
    result = cli("import", str(path), "--kind", "nonsense")
    assert result.returncode == 2
    assert "未知的数据类型“nonsense”" in flat(result.stderr)
    result = cli("import", str(path))
    assert result.returncode == 2
    assert "--kind" in result.stderr
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    result = cli("import", str(other), "--kind", "deputies")
    assert result.returncode == 2
    assert "不支持的文件类型“.pdf”" in flat(result.stderr)
