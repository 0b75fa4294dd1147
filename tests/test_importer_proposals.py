"""``graphcoord import --kind proposals`` and ``--kind proposal-handling``: the sheets offices
keep of a session's proposals and their handling, with the importer's guarantees (every bad
row reported with the rule it breaks, nothing written unless asked, re-runs change nothing)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests.factories import VILLAGE_A
from tests.test_importer import Runner, imported
from tests.test_importer_support import CliResult, cli_in_process, write_csv
from tests.test_proposals_graphql import proposal_city


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    def run(*args: str) -> CliResult:
        return cli_in_process(settings, monkeypatch, capsys, *args)

    return run


@pytest.fixture
def city(db: Database) -> Database:
    data = proposal_city()
    data["issues"] = [
        {
            "id": "I-1",
            "title": "学校门口缺少红绿灯",
            "body": "学校门口车多，孩子过马路危险。",
            "category": "道路交通",
            "channel": "QR",
            "status": "DISPATCHED",
            "createdAt": "2024-11-04T09:00:00+08:00",
            "areaCode": VILLAGE_A["code"],
        },
    ]
    write_dataset(db, data)
    return db


HEADER = [
    "编号",
    "类别",
    "标题",
    "会议",
    "领衔代表编号",
    "联名代表编号",
    "协同代表编号",
    "原始意见编号",
    "提交日期",
]
SESSION = "宿城区人大2025年会议"
MOTION = [
    "P-M1",
    "议案",
    "关于制定校园周边交通管理办法的议案",
    SESSION,
    "C01",
    "C02;C03;C04;C05;C06;C07;C08;C09;C10",
    "",
    "",
    "2025/1/14",
]
SUGGESTION = [
    "P-S1",
    "建议",
    "关于增设学校门口红绿灯的建议",
    SESSION,
    "C01",
    "C02",
    "T01、Y01",
    "I-1",
    "2025年1月14日",
]


def stored(db: Database) -> dict[str, Any]:
    return {
        r["id"]: r
        for r in db.execute(
            """MATCH (p:Proposal)
               RETURN p.id AS id, p.kind AS kind, p.congressLevel AS level, p.status AS status,
                      p.congressAreaCode AS congress, toString(date(p.submittedAt)) AS on,
                      [(d:Deputy)-[s:SPONSORED]->(p) | d.id + ':' + s.role] AS sponsors,
                      [(d:Deputy)-[:CONTRIBUTED_TO]->(p) | d.id] AS contributors,
                      [(p)-[:ADDRESSES]->(i:Issue) | i.id] AS issues"""
        )
    }


def test_proposals_are_imported_with_their_sponsors(
    cli: Runner, city: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "代表建议.csv", HEADER, [MOTION, SUGGESTION], encoding="gb18030")
    code, report = imported(cli, str(path))  # the kind from the file's name
    assert code == 0, report
    counts = report["counts"]
    assert counts["proposals"]["created"] == 2 and counts["sponsorships"]["created"] == 12
    assert counts["contributions"]["created"] == 2 and counts["addresses"]["created"] == 1
    found = stored(city)
    assert found["P-M1"]["kind"] == "MOTION" and found["P-M1"]["level"] == "COUNTY"
    assert found["P-M1"]["congress"] == "321302000000" and found["P-M1"]["on"] == "2025-01-14"
    assert len(found["P-M1"]["sponsors"]) == 10 and found["P-M1"]["status"] == "SUBMITTED"
    assert sorted(found["P-S1"]["contributors"]) == ["T01", "Y01"]
    assert found["P-S1"]["issues"] == ["I-1"]
    code, again = imported(cli, str(path))
    assert code == 0
    assert all(c["created"] == c["updated"] == 0 for c in again["counts"].values()), again


BAD = [
    (
        ["P-X", "提案", "关于某事的建议", SESSION, "C01", "", "", "", ""],
        "类别",
        "不是有效的议案建议类别",
    ),
    (
        ["P-X", "建议", "关于某事的建议", SESSION, "C01", "Y01", "", "", ""],
        "联名代表编号",
        "不符合规则“同级联名”：代表 Y01 是市人大代表",
    ),
    (
        ["P-X", "建议", "关于某事的建议", SESSION, "C01", "CX1", "", "", ""],
        "联名代表编号",
        "属于 321311000000 的人大",
    ),
    (
        ["P-X", "议案", "关于某事的议案", SESSION, "C01", "C02;C03", "", "", ""],
        "联名代表编号",
        "不符合规则“议案联名人数”",
    ),
    (
        ["P-X", "建议", "关于某事的建议", SESSION, "C01", "C02", "C02", "", ""],
        "协同代表编号",
        "代表 C02 已是该议案建议的领衔或联名代表",
    ),
    (
        ["P-X", "建议", "关于某事的建议", SESSION, "C01", "", "", "I-404", ""],
        "原始意见编号",
        "意见 I-404 不存在",
    ),
    (
        ["P-X", "建议", "关于某事的建议", SESSION, "NOBODY", "", "", "", ""],
        "领衔代表编号",
        "代表 NOBODY 不存在",
    ),
    (["P-X", "建议", "短", SESSION, "C01", "", "", "", ""], "标题", "标题应为4至80个字"),
    (
        ["P-X", "建议", "关于某事的建议", SESSION, "C01", "", "", "", "2025-02-30"],
        "提交日期",
        "不是有效日期",
    ),
]


@pytest.mark.parametrize(
    "bad",
    BAD,
    ids=[
        "kind",
        "upper-level",
        "other-congress",
        "motion",
        "contributor",
        "issue",
        "lead",
        "title",
        "date",
    ],
)
def test_bad_proposal_rows_are_reported_and_nothing_is_written(
    cli: Runner, city: Database, tmp_path: Path, bad: tuple[list[str], str, str]
) -> None:
    row, column, reason = bad
    path = write_csv(tmp_path / "proposals.csv", HEADER, [SUGGESTION, row])
    errors = tmp_path / "errors.csv"
    code, report = imported(cli, str(path), "--kind", "proposals", "--errors", str(errors))
    assert code == 5, report
    assert stored(city) == {}
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        (reported,) = list(csv.DictReader(handle))
    assert reported["row"] == "3" and reported["column"] == column, reported
    assert reason in reported["reason"], reported
    code, partial = imported(cli, str(path), "--kind", "proposals", "--allow-partial")
    assert code == 0 and set(stored(city)) == {"P-S1"}
    assert partial["counts"]["proposals"]["rejected"] == 1


HANDLING = [
    "议案建议编号",
    "主办单位编号",
    "协办单位编号",
    "交办日期",
    "办理期限",
    "答复日期",
    "答复类别",
    "答复内容",
    "代表评价",
    "评价日期",
    "再次答复日期",
    "再次答复类别",
    "再次评价",
    "重点督办",
]
HANDLED = [
    [
        "P-S1",
        "D-EDU",
        "D-TRA",
        "2025-02-26",
        "3个月",
        "2025-06-03",
        "B类",
        "列入计划",
        "不满意",
        "2025-06-10",
        "2025-07-01",
        "A类",
        "满意",
        "是",
    ],
    [
        "P-M1",
        "D-GOV",
        "",
        "2025-02-26",
        "6个月",
        "2025-05-20",
        "A",
        "已解决",
        "满意",
        "",
        "",
        "",
        "",
        "",
    ],
]


def handled(db: Database) -> dict[str, Any]:
    return {
        r["id"]: r
        for r in db.execute(
            """MATCH (p:Proposal) WHERE p.assignedAt IS NOT NULL
               RETURN p.id AS id, p.status AS status, p.round AS round,
                      toString(p.replyDue) AS due, p.replyLate AS late,
                      p.replyCategory AS category, p.satisfaction AS satisfaction,
                      toString(p.rehandlingDue) AS rehandlingDue,
                      p.supervisedAt IS NOT NULL AS supervised,
                      [(p)-[h:HANDLED_BY]->(d:Department) | d.id + ':' + h.role] AS units,
                      [(p)-[:HAD_EVENT]->(e:ProposalEvent) | e.kind] AS log"""
        )
    }


def test_handling_is_imported_as_the_workflow_would_record_it(
    cli: Runner, city: Database, tmp_path: Path
) -> None:
    proposals = write_csv(tmp_path / "proposals.csv", HEADER, [MOTION, SUGGESTION])
    assert imported(cli, str(proposals))[0] == 0
    path = write_csv(tmp_path / "办理情况.csv", HANDLING, HANDLED, encoding="gb18030")
    code, report = imported(cli, str(path))
    assert code == 0, report
    assert report["counts"]["proposalHandlings"]["created"] == 2
    found = handled(city)
    suggestion = found["P-S1"]
    assert suggestion["status"] == "CLOSED" and suggestion["round"] == 2
    assert (
        suggestion["due"] == "2025-05-26" and suggestion["late"] == 5
    )  # Dragon Boat holidays 31 May-2 June
    assert suggestion["category"] == "A" and suggestion["satisfaction"] == "SATISFIED"
    assert suggestion["rehandlingDue"] == "2025-07-10" and suggestion["supervised"] is True
    assert sorted(suggestion["units"]) == ["D-EDU:LEAD", "D-TRA:ASSIST"]
    assert sorted(suggestion["log"]) == ["ASSIGNED", "RATED", "RATED", "REPLIED", "REPLIED"]
    motion = found["P-M1"]
    assert motion["due"] == "2025-08-26" and motion["late"] == 0 and motion["status"] == "CLOSED"
    code, again = imported(cli, str(path))
    assert again["counts"]["proposalHandlings"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "rejected": 0,
    }
    # a re-run of the proposals sheet leaves the handled statuses alone
    code, rerun = imported(cli, str(proposals))
    assert code == 0 and rerun["counts"]["proposals"]["unchanged"] == 2
    assert handled(city)["P-S1"]["status"] == "CLOSED"


BAD_HANDLING = [
    (
        ["P-S1", "D-EDU", "", "2025-02-26", "", "", "", "", "满意", "", "", "", "", ""],
        None,
        "第 1 轮的答复类别或评价须有答复日期",
    ),
    (
        ["P-S1", "D-404", "", "2025-02-26", "", "", "", "", "", "", "", "", "", ""],
        "主办单位编号",
        "承办单位 D-404 不存在",
    ),
    (
        ["P-S1", "D-EDU", "D-EDU", "2025-02-26", "", "", "", "", "", "", "", "", "", ""],
        None,
        "单位 D-EDU 是主办单位，不能同时协办",
    ),
    (
        ["P-S1", "D-EDU", "", "2025-02-26", "", "2025-05-01", "D类", "", "", "", "", "", "", ""],
        "答复类别",
        "不是有效的答复类别",
    ),
    (
        [
            "P-S1",
            "D-EDU",
            "",
            "2025-02-26",
            "",
            "2025-05-01",
            "A类",
            "",
            "满意",
            "",
            "2025-06-01",
            "A类",
            "",
            "",
        ],
        None,
        "答复或评价的轮次不对",
    ),
    (
        ["P-S1", "D-EDU", "", "2025-02-26", "", "2025-02-01", "A类", "", "", "", "", "", "", ""],
        None,
        "第 1 轮答复的日期早于该轮开始",
    ),
    (
        ["P-404", "D-EDU", "", "2025-02-26", "", "", "", "", "", "", "", "", "", ""],
        "议案建议编号",
        "议案建议 P-404 不存在",
    ),
    (
        ["P-S1", "D-EDU", "", "2025-02-26", "或许", "", "", "", "", "", "", "", "", ""],
        "办理期限",
        "不是有效的是/否",
    ),
]


@pytest.mark.parametrize(
    "bad",
    BAD_HANDLING,
    ids=[
        "verdict-without-reply",
        "unit",
        "lead-assists",
        "class",
        "second-round",
        "reply-before-assignment",
        "proposal",
        "term",
    ],
)
def test_bad_handling_rows_are_reported(
    cli: Runner, city: Database, tmp_path: Path, bad: tuple[list[str], str | None, str]
) -> None:
    row, column, reason = bad
    assert imported(cli, str(write_csv(tmp_path / "proposals.csv", HEADER, [SUGGESTION])))[0] == 0
    path = write_csv(tmp_path / "handling.csv", HANDLING, [row])
    errors = tmp_path / "errors.csv"
    code, report = imported(cli, str(path), "--kind", "proposal-handling", "--errors", str(errors))
    assert code == 5, report
    assert handled(city) == {}
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        (reported,) = list(csv.DictReader(handle))
    assert reported["row"] == "2" and reason in reported["reason"], reported
    if column is not None:
        assert reported["column"] == column, reported


def test_a_template_holds_both_sheets(cli: Runner, db: Database, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    result = cli(
        "import",
        "template",
        "--kind",
        "proposals",
        "--kind",
        "proposal-handling",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert book.sheetnames[:2] == ["议案建议", "办理情况"]
    headers = [c.value for c in next(book["办理情况"].iter_rows(max_row=1))]
    assert headers[:4] == ["议案建议编号", "主办单位编号", "协办单位编号", "交办日期"]
