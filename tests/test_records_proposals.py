"""The record's proposals (issue 23's model): led, co-signed and contributed to, by year of
submission, over GraphQL — and what they add to the score."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.conftest import bearer, data, graphql

QUERY = (
    "query($d: ID!, $y: Int!) { deputy(id: $d) { record(year: $y) { proposalsSponsored"
    " proposalsCoSigned proposalsContributed } score(year: $y) { total } } }"
)


def _proposal(pid: str, submitted: str) -> dict[str, str]:
    return {
        "id": pid,
        "title": f"关于{pid}的建议",
        "congressLevel": "COUNTY",
        "session": "宿城区十七届人大三次会议",
        "status": "SUBMITTED",
        "kind": "SUGGESTION",
        "submittedOn": submitted,
    }


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    dataset = factories.station_city()
    dataset["proposals"] = [
        _proposal("P1", "2024-03-01"),
        _proposal("P2", "2024-05-01"),
        _proposal("P3", "2023-03-01"),
    ]
    dataset["sponsorships"] = [
        {"deputyId": "T1", "proposalId": "P1", "role": "LEAD"},
        {"deputyId": "C1", "proposalId": "P1", "role": "CO"},
        {"deputyId": "C1", "proposalId": "P2", "role": "LEAD"},
        {"deputyId": "T1", "proposalId": "P2", "role": "CO"},
        {"deputyId": "T1", "proposalId": "P3", "role": "LEAD"},
    ]
    dataset["contributions"] = [{"deputyId": "Y1", "proposalId": "P1", "note": "市级代表协同"}]
    write_dataset(db, dataset)
    with TestClient(create_app(settings, db)) as client:
        yield client


@pytest.mark.parametrize(
    ("deputy", "year", "counts", "score"),
    [
        ("T1", 2024, (1, 1, 0), 67.0),  # 60 + 5 + 2
        ("C1", 2024, (1, 1, 0), 67.0),
        ("Y1", 2024, (0, 0, 1), 62.0),
        ("T1", 2023, (1, 0, 0), 65.0),
        ("T1", 2025, (0, 0, 0), 60.0),
    ],
    ids=["lead-and-co", "co-and-lead", "contributor", "other-year", "none"],
)
def test_proposals_in_the_record_and_the_score(
    api: TestClient,
    settings: Settings,
    deputy: str,
    year: int,
    counts: tuple[int, int, int],
    score: float,
) -> None:
    answer = data(graphql(api, QUERY, {"d": deputy, "y": year}, bearer(settings, "organizer")))
    record = answer["deputy"]["record"]
    assert (
        record["proposalsSponsored"],
        record["proposalsCoSigned"],
        record["proposalsContributed"],
    ) == counts
    assert answer["deputy"]["score"]["total"] == score
