"""The organizer's command line for issue 25: a deputy's QR and record, a report-back with
printed ballots voted on the ballot page, then results and the ranking — on a small city."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import run_cli
from tests.test_citizen_web import csrf_of


@pytest.fixture
def city(db: Database) -> Database:
    write_dataset(db, factories.station_city())
    return db


def test_qr_record_report_back_and_ranking(
    settings: Settings, city: Database, tmp_path: Path
) -> None:
    town = factories.TOWN_A["code"]
    # the deputies' codes of township A
    done = run_cli(settings, "qr", "--deputies", "--area", town, "--out", str(tmp_path / "qr"))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "qr" / "index.csv").open(encoding="utf-8-sig") as handle:
        printed = {row["deputyId"]: row for row in csv.DictReader(handle)}
    assert set(printed) == {"T1", "C1", "Y1"}  # L1 left
    assert (tmp_path / "qr" / "T1.png").stat().st_size > 0
    assert (tmp_path / "qr" / "deputies-A4.pdf").read_bytes().startswith(b"%PDF")
    again = run_cli(settings, "qr", "--deputies", "--area", town, "--out", str(tmp_path / "qr2"))
    assert again.returncode == 0
    with (tmp_path / "qr2" / "index.csv").open(encoding="utf-8-sig") as handle:
        assert {r["deputyId"]: r["code"] for r in csv.DictReader(handle)} == {
            k: v["code"] for k, v in printed.items()
        }  # printing twice prints the same codes
    # a report-back with 3 printed ballots
    done = run_cli(
        settings,
        "report-back",
        "schedule",
        "--deputy",
        "T1",
        "--date",
        "2024-12-20",
        "--constituency",
        town,
    )
    assert done.returncode == 0, done.stderr
    meeting = done.stdout.split("已安排述职评议 ")[1].split("：")[0].strip()
    ballots = tmp_path / "ballots"
    done = run_cli(settings, "qr", "--ballots", meeting, "--count", "3", "--out", str(ballots))
    assert done.returncode == 0, done.stderr
    assert (ballots / f"{meeting}-ballots-A4.pdf").read_bytes().startswith(b"%PDF")
    with (ballots / "index.csv").open(encoding="utf-8-sig") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    assert len(codes) == 3
    # results are hidden while the meeting is open
    hidden = run_cli(settings, "report-back", "results", meeting)
    assert hidden.returncode == 4
    assert "不符合规则“述职评议结束后公布结果”" in hidden.stderr.replace("\n", "")
    # two voters vote from their phones
    with TestClient(create_app(settings, city)) as web:
        for code, choice in zip(codes[:2], ["SATISFIED", "BASICALLY_SATISFIED"], strict=True):
            page = web.get(f"/e/{code}")
            form = {"choice": choice, "comment": "", "csrf": csrf_of(page.text)}
            assert web.post(f"/e/{code}", data=form).status_code == 200
    done = run_cli(settings, "report-back", "close", meeting)
    assert done.returncode == 0 and "共收回 2 张选票" in done.stdout
    done = run_cli(settings, "report-back", "results", meeting, "--json")
    assert json.loads(done.stdout) | {"comments": None} == {
        "meetingId": meeting,
        "deputyId": "T1",
        "ballotsIssued": 3,
        "ballots": 2,
        "satisfied": 1,
        "basicallySatisfied": 1,
        "dissatisfied": 0,
        "satisfactionRate": 1.0,
        "comments": None,
    }
    # the record as a handout
    out = tmp_path / "records"
    done = run_cli(
        settings, "record", "--deputy", "T1", "--year", "2024", "--out", str(out), "--no-pdf"
    )
    assert done.returncode == 0, done.stderr
    html = (out / "record-T1-2024.html").read_text(encoding="utf-8")
    assert "人大代表履职档案" in html and "唐一" in html and "13800000000" not in html
    figures = json.loads((out / "record-T1-2024.json").read_text(encoding="utf-8"))
    assert figures["report_backs"] == 1 and figures["voted_satisfied"] == 1
    # 60 + 1 visit x2 + satisfaction 20x1/2 + 12x1/2
    assert figures["score"]["total"] == 78.0
    # the ranking of township A's deputies
    done = run_cli(settings, "ranking", "--area", town, "--year", "2024", "--json")
    assert done.returncode == 0, done.stderr
    ranking = json.loads(done.stdout)
    assert ranking[0]["deputyId"] == "T1" and ranking[0]["rank"] == 1
    assert [r["score"] for r in ranking[1:]] == [60.0] * (len(ranking) - 1)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["record", "--deputy", "NOPE", "--year", "2024", "--no-pdf"], 3, "NOPE"),
        (
            ["record", "--deputy", "T1", "--year", "1900", "--no-pdf"],
            2,
            "年份 1900 不在 2000至2100 之间",
        ),
        (["qr", "--ballots", "RB-NOPE", "--count", "3"], 3, "RB-NOPE"),
        (["qr", "--deputies"], 2, "需要 --area"),
        (["ranking", "--area", "3213", "--year", "2024"], 2, "12"),
    ],
    ids=["unknown-deputy", "bad-year", "unknown-meeting", "no-area", "bad-area"],
)
def test_cli_errors_are_clear(
    settings: Settings, city: Database, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    done = run_cli(settings, *args, cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert message in done.stderr.replace("\n", "")
