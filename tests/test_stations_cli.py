"""The organizer's month from the command line on a small city: schedule a township's activity
days, set a roster (and be refused with the rule's name), record attendance, print the codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import run_cli

TODAY = "2024-06-03"


@pytest.fixture
def city(db: Database) -> Database:
    write_dataset(db, factories.station_city())
    return db


def cli(settings: Settings, *args: str, today: str = TODAY) -> tuple[int, str, str]:
    result = run_cli(settings, *args, GRAPHCOORD_TODAY=today)
    return result.returncode, result.stdout, result.stderr


def test_a_month_scheduled_rostered_and_attended_from_the_cli(
    settings: Settings, city: Database
) -> None:
    township = factories.TOWN_A["code"]
    code, out, err = cli(
        settings, "stations", "schedule", "--area", township, "--month", "2024-07",
        "--topic", "夏季防汛", "--json",
    )  # fmt: skip
    assert code == 0, err
    created = {d["station_id"]: d for d in json.loads(out)["created"]}
    assert {s: d["date"] for s, d in created.items()} == {
        "ST-A": "2024-07-15",
        "PT-A": "2024-07-22",  # the 20th is a Saturday
    }
    assert all(d["topic"] == "夏季防汛" for d in created.values())
    day = created["PT-A"]["id"]

    code, _, err = cli(settings, "stations", "roster", day, "-d", "T1", "-d", "N1")
    assert code == 4 and "值班代表须与本乡镇有联系" in err and "N1" in err
    code, out, err = cli(settings, "stations", "roster", day, "-d", "T1", "-d", "C1")
    assert code == 0, err
    assert "进站代表 2 位 C1、T1" in out

    code, _, err = cli(settings, "stations", "attend", day, "-d", "T1", "--voters", "9")
    assert code == 4 and "出席情况在活动当日或之后登记" in err
    code, out, err = cli(
        settings, "stations", "attend", day, "-d", "T1", "-d", "C1", "--voters", "9",
        today="2024-07-23",
    )  # fmt: skip
    assert code == 0, err
    assert "进站代表 2 人，接待选民 9 人" in out
    stored = city.execute(
        "MATCH (:LiaisonStation {id: 'PT-A'})-[:HOLDS]->(a:Activity) "
        "RETURN a.voterCount AS voters, [(d)-[:ATTENDED]->(a) | d.id] AS came, "
        "[(d)-[:ON_DUTY]->(a) | d.id] AS duty"
    )[0]
    assert stored["voters"] == 9 and sorted(stored["came"]) == sorted(stored["duty"]) == [
        "C1",
        "T1",
    ]

    code, out, _ = cli(settings, "stations", "schedule", "--area", township, "--month", "2024-07")
    assert code == 0 and "已安排 0 个代表活动日" in out and "本月已安排活动日" in out


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("stations", "schedule", "--area", "321302100000", "--month", "2024-13"), 2,
         "is not a month"),
        (("stations", "schedule", "--station", "ST-Z", "--month", "2024-07"), 3, "ST-Z"),
        (("stations", "schedule", "--month", "2024-07"), 2, "请指定联络站或区划之一"),
        (("stations", "roster", "AD-none", "-d", "T1"), 3, "AD-none"),
        (("stations", "attend", "AD-none", "--voters", "1"), 3, "AD-none"),
    ],
    ids=["bad-month", "unknown-station", "no-place", "unknown-day-roster", "unknown-day-attend"],
)  # fmt: skip
def test_cli_refusals(
    settings: Settings, city: Database, args: tuple[str, ...], code: int, words: str
) -> None:
    exit_code, _, err = cli(settings, *args)
    assert exit_code == code and words in err, err


def test_qr_codes_of_the_station_pages(settings: Settings, city: Database, tmp_path: Path) -> None:
    out = tmp_path / "qr"
    result = run_cli(
        settings, "qr", "--stations", "--area", factories.COUNTY["code"], "--out", str(out),
        GRAPHCOORD_PUBLIC_BASE_URL="https://rd.example.cn",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "3 个联络站（点）二维码（2 个乡镇）" in result.stdout
    with (out / "index.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"]: r["url"] for r in rows} == {
        s: f"https://rd.example.cn/s/{s}" for s in ("ST-A", "PT-A", "ST-B")
    }
    for row in rows:
        assert (out / row["png"]).stat().st_size > 1000
        assert "https://rd.example.cn/s/" not in (out / row["svg"]).read_text()  # drawn, not text
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        f"{factories.TOWN_A['code']}-stations-A4.pdf",
        f"{factories.TOWN_B['code']}-stations-A4.pdf",
    ]
    empty = run_cli(settings, "qr", "--stations", "--area", "321399000000", "--out", str(out))
    assert empty.returncode == 3 and "321399000000" in empty.stderr
