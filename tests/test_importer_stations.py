"""Importing stations, collection points, activity days and attendance as an office keeps them:
Chinese headers and values, one workbook in dependency order, re-runs that change nothing,
every bad row reported with nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.queries.imports import fingerprint
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.test_importer_support import CliResult, cli_in_process, write_csv, write_xlsx

Runner = Callable[..., CliResult]

STATIONS = ["联络站编号", "联络站名称", "类型", "所在区划代码", "每月活动日", "进站代表编号"]
POINTS = ["收集点编号", "收集点名称", "类型", "所在区划代码", "接待代表编号"]
DAYS = ["活动编号", "活动名称", "活动日期", "联络站编号", "活动主题", "接待选民人数", "小组编号"]
ATTENDANCE = ["活动编号", "代表编号"]


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    def run(*args: str) -> CliResult:
        return cli_in_process(settings, monkeypatch, capsys, *args)

    return run


@pytest.fixture
def city(db: Database) -> Database:
    data = factories.station_city()
    data["groups"] = [{"id": "G1", "name": "一组", "kind": "COLLABORATIVE"}]
    write_dataset(db, data)
    return db


def imported(cli: Runner, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("import", *args, "--json")
    assert result.stdout.strip(), result.stderr
    return result.returncode, json.loads(result.stdout)


def workbook(path: Path) -> Path:
    return write_xlsx(
        path,
        {
            "出席代表": (ATTENDANCE, [["AD-1", "X1"], ["AD-1", "N1"], ["AD-2", "T1"]]),
            "活动日": (
                DAYS,
                [
                    ["AD-1", "乙村联络点代表活动日", "2024年5月20日", "PT-B", "农田灌溉", 7, None],
                    ["AD-2", "甲镇联络站代表活动日", "2024/05/15", "ST-A", "饮水安全", "12", None],
                    ["A-9", "一组季度活动", "2024-05-08", None, None, None, "G1"],
                ],
            ),
            "联络站": (
                STATIONS,
                [
                    ["PT-B", "乙村人大代表联络点", "联络点", "321302101201", "每月20日", "X1;N1"],
                    ["ST-A", "甲镇人大代表联络站", "人大代表联络站", "321302100", "15号", ""],
                ],
            ),
            "社情民意收集点": (
                POINTS,
                [["CP-1", "甲镇文化广场收集点", "文化广场", "321302100000", "T1、C1、Y1"]],
            ),
        },
    )


def test_a_workbook_of_stations_points_days_and_attendance(
    cli: Runner, city: Database, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "联络站台账.xlsx")
    code, report = imported(cli, str(path))
    assert code == 0, report
    assert report["kinds"] == ["stations", "collection-points", "activities", "attendance"]
    counted = {
        kind: (c["created"], c["updated"], c["unchanged"]) for kind, c in report["counts"].items()
    }
    assert counted == {
        "stations": (1, 0, 1),  # ST-A is stored as it is (321302100 → 321302100000)
        "receptions": (5, 0, 0),
        "collectionPoints": (1, 0, 0),
        "activities": (1, 0, 0),
        "activityDays": (2, 0, 0),
        "attendances": (3, 0, 0),
    }
    days = city.execute(
        "MATCH (s:LiaisonStation)-[:HOLDS]->(a:Activity) RETURN a.id AS id, s.id AS station, "
        "a.kind AS kind, toString(a.date) AS date, a.topic AS topic, a.voterCount AS voters, "
        "a.stationDay AS key, [(d)-[:ATTENDED]->(a) | d.id] AS came ORDER BY id"
    )
    assert [
        (r["id"], r["station"], r["kind"], r["date"], r["topic"], r["voters"], r["key"])
        for r in days
    ] == [
        ("AD-1", "PT-B", "ACTIVITY_DAY", "2024-05-20", "农田灌溉", 7, "PT-B|2024-05-20"),
        ("AD-2", "ST-A", "ACTIVITY_DAY", "2024-05-15", "饮水安全", 12, "ST-A|2024-05-15"),
    ]
    assert [sorted(r["came"]) for r in days] == [["N1", "X1"], ["T1"]]
    point = city.execute(
        "MATCH (p:LiaisonStation {id: 'PT-B'}) RETURN p.kind AS kind, p.monthlyActivityDay AS "
        "day, [(d)-[:RECEIVES_AT]->(p) | d.id] AS deputies"
    )[0]
    assert (point["kind"], point["day"], sorted(point["deputies"])) == ("POINT", 20, ["N1", "X1"])
    collection = city.execute(
        "MATCH (c:CollectionPoint {id: 'CP-1'})-[:LOCATED_IN]->(a:Area) RETURN c.kind AS kind, "
        "a.code AS area, [(d)-[:RECEIVES_AT]->(c) | d.id] AS deputies"
    )[0]
    assert (collection["kind"], collection["area"]) == ("SQUARE", factories.TOWN_A["code"])
    assert sorted(collection["deputies"]) == ["C1", "T1", "Y1"]
    group = city.execute("MATCH (:Group {id: 'G1'})-[:HELD]->(a:Activity) RETURN a.id")
    assert [r[0] for r in group] == ["A-9"]

    before = fingerprint(city)
    code, again = imported(cli, str(path))
    assert code == 0, again
    assert all(c["created"] == c["updated"] == 0 for c in again["counts"].values()), again
    assert fingerprint(city) == before


@pytest.mark.parametrize(
    ("kind", "header", "row", "reason"),
    [
        ("stations", STATIONS, ["ST-X", "错站", "联络站", "321302100201", "", ""],
         "联络站应设在乡镇；321302100201 是村"),
        ("stations", STATIONS, ["PT-X", "错点", "联络点", "321302000000", "", ""],
         "321302000000 是县"),
        ("stations", STATIONS, ["PT-X", "错点", "联络点", "321302100201", "31", ""],
         "不是每个月都有的日期"),
        ("stations", STATIONS, ["PT-X", "错点", "联络所", "321302100201", "", ""],
         "'联络所' 不是有效的联络站类型"),
        ("stations", STATIONS, ["PT-X", "错点", "联络点", "321302100201", "", "T1;NOBODY"],
         "代表 NOBODY 不存在"),
        ("collection-points", POINTS, ["CP-X", "错", "天上", "321302100000", ""],
         "不是有效的意见征集点类型"),
        ("activities", DAYS, ["AD-X", "错", "2024-05-20", "ST-Z", "主题", "", ""],
         "联络站 ST-Z 不存在"),
        ("activities", DAYS, ["AD-X", "错", "2024-05-20", "ST-A", "主题", "", "G1"],
         "held by a group or by a station, not by both"),
        ("activities", DAYS, ["AD-X", "错", "2024-05-20", "", "主题", "", "G1"],
         "belongs to a station's activity day"),
        ("activities", DAYS, ["AD-X", "错", "2024-05-20", "ST-A", "主题", "-3", ""],
         "接待选民人数应为0至100000"),
        ("attendance", ATTENDANCE, ["AD-Z", "T1"], "活动 AD-Z 不存在"),
        ("attendance", ATTENDANCE, ["AD-Z", ""], "“代表编号”不能为空"),
    ],
    ids=[
        "station-in-a-village",
        "point-in-a-county",
        "day-31",
        "unknown-station-kind",
        "unknown-deputy",
        "unknown-point-kind",
        "unknown-station",
        "group-and-station",
        "topic-of-a-group",
        "negative-voters",
        "unknown-activity",
        "no-deputy",
    ],
)  # fmt: skip
def test_bad_rows_are_reported_and_nothing_is_written(
    cli: Runner,
    city: Database,
    tmp_path: Path,
    kind: str,
    header: list[str],
    row: list[str],
    reason: str,
) -> None:
    before = fingerprint(city)
    path = write_csv(tmp_path / "rows.csv", header, [row])
    code, report = imported(cli, str(path), "--kind", kind)
    assert code == 5, report
    (bad,) = report["badRows"]
    assert reason in bad["reason"], bad
    assert bad["row"] == 2
    assert fingerprint(city) == before


def test_one_activity_day_per_station_and_date_in_a_file_and_the_database(
    cli: Runner, city: Database, tmp_path: Path
) -> None:
    first = write_csv(
        tmp_path / "days.csv", DAYS, [["AD-1", "活动日", "2024-05-15", "ST-A", "饮水", "", ""]]
    )
    assert imported(cli, str(first), "--kind", "activities")[0] == 0
    before = fingerprint(city)
    rows = [
        ["AD-1", "活动日", "2024-05-15", "ST-A", "饮水安全", "3", ""],  # the same day, changed
        ["AD-2", "又一个", "2024-05-15", "ST-A", "道路", "", ""],  # the day AD-1 holds
        ["AD-3", "乙站", "2024-06-10", "ST-B", "道路", "", ""],
        ["AD-4", "乙站重复", "2024/6/10", "ST-B", "道路", "", ""],  # the day AD-3 takes
    ]
    code, report = imported(cli, str(write_csv(tmp_path / "more.csv", DAYS, rows)), "--kind",
                            "activities")  # fmt: skip
    assert code == 5
    assert [(b["row"], b["column"]) for b in report["badRows"]] == [
        (3, "活动日期"),
        (5, "活动日期"),
    ]
    assert "在 2024-05-15 已有代表活动日 AD-1" in report["badRows"][0]["reason"]
    assert "在 2024-06-10 已有代表活动日 AD-3" in report["badRows"][1]["reason"]
    assert fingerprint(city) == before
