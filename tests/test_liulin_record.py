"""Liulin's record read honestly: 124 suggestions, 84 answered, 24 problems solved (24/124), in
GraphQL, the printed report (with Liulin's own channel names) and the handling rates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.seeding.liulin import LIULIN_RECORD
from tests.conftest import bearer, data, graphql, run_cli

COUNTY = "141125000000"
REPORT = """{ opinionReport(areaCode: "141125000000", from: "2023-01-01", to: "2024-12-31") {
  total answered resolved answerRate resolutionRate byChannel { key count }
  byLevel { key total resolved } } }"""


@pytest.fixture(scope="module")
def api(settings: Settings, liulin_db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, liulin_db)) as client:
        yield client


def test_the_record_reads_24_of_124_resolved(api: TestClient, settings: Settings) -> None:
    report = data(graphql(api, REPORT, headers=bearer(settings, "organizer")))["opinionReport"]
    assert (report["total"], report["answered"], report["resolved"]) == (
        LIULIN_RECORD["suggestions"],
        84,
        LIULIN_RECORD["solved"],
    )
    assert report["resolutionRate"] == pytest.approx(24 / 124, abs=1e-4)  # 19.4 %, not 67.7 %
    assert report["answerRate"] == pytest.approx(84 / 124, abs=1e-4)
    assert report["byChannel"] == [{"key": "STATION", "count": 124}]


def test_outcomes_are_stored_with_reasons(liulin_db: Database) -> None:
    rows = liulin_db.execute(
        "MATCH (i:Issue) RETURN i.status AS status, i.outcome AS outcome, "
        "i.outcomeReason IS NOT NULL AS reason, i.resolvedAt IS NOT NULL AS resolvedAt, "
        "count(*) AS n ORDER BY status, outcome"
    )
    found = {(r["status"], r["outcome"], r["reason"], r["resolvedAt"]): r["n"] for r in rows}
    assert found[("RESOLVED", "RESOLVED", False, True)] == 24
    assert found[("CLOSED", "ANSWERED", True, False)] == 60  # answered is not resolved
    assert sum(n for (_, outcome, _, _), n in found.items() if outcome is None) == 40


def test_report_uses_liulins_channel_names(
    settings: Settings, liulin_db: Database, tmp_path: Path
) -> None:
    result = run_cli(
        settings, "report", "opinions", "--area", COUNTY, "--from", "2023-01-01", "--to",
        "2024-12-31", "--out", str(tmp_path), "--no-pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    stem = tmp_path / "opinions-141125000000-20230101-20241231"
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    figures = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    assert "宿话说" not in html
    assert "代表联络站（点）" in html
    assert (figures["resolved"], figures["answered"], figures["total"]) == (24, 84, 124)
    assert figures["resolution_rate"] == pytest.approx(0.1935, abs=1e-4)
    assert "柳林县" in html and 'id="rates-department"' in html


def test_department_rates_of_liulin(
    api: TestClient, settings: Settings, liulin_db: Database
) -> None:
    answer = data(
        graphql(
            api,
            '{ handlingRates(areaCode: "141125000000", from: "2023-01-01", to: "2024-12-31", '
            "by: DEPARTMENT, first: 100) { overall { total answered resolved } "
            "groups { nodes { key total answered resolved } } } }",
            headers=bearer(settings, "organizer"),
        )
    )["handlingRates"]
    assert answer["overall"] == {"total": 124, "answered": 84, "resolved": 24}
    independent = {
        r["key"]: (r["total"], r["answered"], r["resolved"])
        for r in liulin_db.execute(
            "MATCH (d:Department)<-[:ASSIGNED_TO]-(i:Issue)-[:RAISED_IN]->(:Area)-[:PART_OF*]->"
            "(:Area {code: $county}) RETURN d.id AS key, count(i) AS total, "
            "count(CASE WHEN i.outcome IN ['RESOLVED', 'ANSWERED'] THEN 1 END) AS answered, "
            "count(CASE WHEN i.outcome = 'RESOLVED' THEN 1 END) AS resolved",
            {"county": COUNTY},
        )
    }
    nodes = answer["groups"]["nodes"]
    assert {n["key"]: (n["total"], n["answered"], n["resolved"]) for n in nodes} == independent
    assert sum(n["resolved"] for n in nodes) == 24
