"""``graphcoord qr`` and ``graphcoord report opinions`` on the seeded city, through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PIL import Image

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.printouts.opinions import chromium_path
from tests.conftest import run_cli

TOWNSHIP = "321302101000"  # 宿城区耿车镇
BASE = "https://shs.example.cn"


def test_qr_codes_for_every_village_of_a_township(
    settings: Settings, suqian_db: Database, tmp_path: Path
) -> None:
    expected = {
        r["code"]: r["name"]
        for r in suqian_db.execute(
            "MATCH (v:Area)-[:PART_OF]->(:Area {code: $t}) RETURN v.code AS code, v.name AS name",
            {"t": TOWNSHIP},
        )
    }
    assert expected
    result = run_cli(
        settings,
        "qr",
        "--area",
        TOWNSHIP,
        "--out",
        str(tmp_path),
        GRAPHCOORD_PUBLIC_BASE_URL=BASE,
    )
    assert result.returncode == 0, result.stderr
    assert f"{len(expected)} QR codes" in result.stdout
    with (tmp_path / "index.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["code"]: r["name"] for r in rows} == expected
    for row in rows:
        assert row["url"] == f"{BASE}/v/{row['code']}"
        svg = (tmp_path / row["svg"]).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and row["name"] in svg
        with Image.open(tmp_path / row["png"]) as image:
            assert image.width >= 300 and image.height > image.width
    pdf = tmp_path / f"{TOWNSHIP}-A4.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_qr_refuses_unknown_area(settings: Settings, suqian_db: Database, tmp_path: Path) -> None:
    result = run_cli(settings, "qr", "--area", "999999000000", "--out", str(tmp_path))
    assert result.returncode == 3
    assert "未找到区划“999999000000”" in result.stderr


def test_opinion_report_files(settings: Settings, suqian_db: Database, tmp_path: Path) -> None:
    result = run_cli(
        settings,
        "report",
        "opinions",
        "--area",
        "321300000000",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    stem = tmp_path / "opinions-321300000000-20240101-20241231"
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    figures = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    total = suqian_db.execute(
        "MATCH (i:Issue)-[:RAISED_IN]->(:Area)-[:PART_OF*]->(:Area {code: '321300000000'}) "
        "WHERE i.createdAt >= datetime('2024-01-01T00:00:00+08:00') "
        "AND i.createdAt < datetime('2025-01-01T00:00:00+08:00') RETURN count(DISTINCT i)"
    )[0][0]
    assert figures["total"] == total
    assert f'<div class="v" id="total">{total}</div>' in html
    assert html.count("data:image/png;base64,") == 5
    for heading in ("答复率", "解决率", "解决用时中位数", "办理时间最长的未办结意见"):
        assert heading in html
    assert len(figures["longest_open"]) == 10
    if chromium_path() is None:
        pytest.skip("no Chromium: the PDF is skipped")
    assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_report_refuses_bad_dates(settings: Settings, suqian_db: Database) -> None:
    result = run_cli(
        settings, "report", "opinions", "--area", "321300000000", "--from", "2024-13-01",
        "--to", "2024-12-31",
    )  # fmt: skip
    assert result.returncode == 2
    assert "--from" in result.stderr
