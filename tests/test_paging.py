"""Paging by key (issue 28, item 4): every combination of the deputies' filters walked page by
page over GraphQL gives exactly what one Cypher query gives, in order, each deputy once; groups
and uncovered villages likewise; cursors stay opaque, old position cursors are refused with a
clear BAD_USER_INPUT, and a list is counted only when the query asks for ``totalCount``."""

from __future__ import annotations

import base64
import itertools
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import significant_length
from graphcoord.queries.pages import DeputyFilters, deputy_statements
from tests.conftest import bearer, data, graphql

#: One value of each filter of `deputies` on the Suqian seed, and its Cypher twin.
FILTERS: dict[str, tuple[str, Any, str]] = {
    "level": ("level", "COUNTY", "d.level = 'COUNTY'"),
    "areaCode": (
        "areaCode",
        "321322000000",
        "(d.electedIn STARTS WITH '321322' OR EXISTS { (d)-[:CONTACTS]->(v) "
        "WHERE v.code STARTS WITH '321322' })",
    ),
    "chainId": (
        "chainId",
        "SQ-CH01",
        "(EXISTS { (d)-[:WORKS_ON]->(:IndustryChain {id: 'SQ-CH01'}) } OR EXISTS { "
        "(d)-[:OBSERVES]->()-[:ON_CHAIN]->(:IndustryChain {id: 'SQ-CH01'}) })",
    ),
    "groupId": ("groupId", "SQ-G07", "EXISTS { (d)-[:MEMBER_OF]->(:Group {id: 'SQ-G07'}) }"),
    "nameContains": ("nameContains", "王", "d.name CONTAINS '王'"),
}
COMBINATIONS = [
    combination
    for size in (0, 1, 2, 3)
    for combination in itertools.combinations(FILTERS, size)
    if size < 3 or combination in {("level", "areaCode", "nameContains")}
]


@pytest.fixture(scope="module")
def api(suqian_api: TestClient) -> TestClient:
    return suqian_api


@pytest.fixture
def organizer(settings: Settings) -> dict[str, str]:
    """A fresh organizer token per test: walking every page one by one would otherwise reach
    the per-token rate limit (issue 21) over the module."""
    return bearer(settings, "organizer")


def walk(
    api: TestClient, headers: dict[str, str], field: str, arguments: str, first: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every node id (or code) of a connection, page by page, and the pages' infos."""
    key = "code" if field == "uncoveredVillages" else "id"
    query = (
        f"query($after: String) {{ {field}({arguments} first: {first}, after: $after) {{ "
        f"pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} "
        f"edges {{ cursor node {{ {key} }} }} }} }}"
    )
    seen: list[str] = []
    infos: list[dict[str, Any]] = []
    after = None
    while True:
        page = data(graphql(api, query, {"after": after}, headers))[field]
        seen += [edge["node"][key] for edge in page["edges"]]
        infos.append(page["pageInfo"])
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return seen, infos
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("names", COMBINATIONS, ids=["+".join(c) or "none" for c in COMBINATIONS])
def test_every_combination_of_filters_pages_through_what_cypher_finds(
    api: TestClient, organizer: dict[str, str], suqian_db: Database, names: tuple[str, ...]
) -> None:
    where = ", ".join(
        f"{FILTERS[n][0]}: {FILTERS[n][1] if n == 'level' else repr(FILTERS[n][1])}" for n in names
    ).replace("'", '"')
    conditions = " AND ".join(FILTERS[n][2] for n in names) or "true"
    statement = f"MATCH (d:Deputy) WHERE {conditions} RETURN d.id AS id ORDER BY id"
    expected = [r["id"] for r in suqian_db.execute(statement)]
    assert expected or names, "the seed has deputies"
    first = 400 if not names else 9
    seen, _ = walk(api, organizer, "deputies", f"where: {{{where}}},", first)
    assert seen == expected


def test_a_page_and_its_count_are_one_statement_each(
    api: TestClient, organizer: dict[str, str], suqian_db: Database
) -> None:
    query = "{ deputies(where: {level: CITY}, first: 3) { %s edges { node { id } } } }"
    before = suqian_db.round_trips
    page = data(graphql(api, query % "", headers=organizer))["deputies"]
    without = suqian_db.round_trips - before
    before = suqian_db.round_trips
    counted = data(graphql(api, query % "totalCount", headers=organizer))["deputies"]
    with_total = suqian_db.round_trips - before
    assert page["edges"] == counted["edges"]
    assert with_total == without + 1
    expected = suqian_db.execute("MATCH (d:Deputy {level: 'CITY'}) RETURN count(d) AS n")[0]["n"]
    assert counted["totalCount"] == expected


@pytest.mark.parametrize(
    ("filters", "driver"),
    [
        (DeputyFilters(), "MATCH (d:Deputy)\nWHERE d.id > $after"),
        (DeputyFilters(level="CITY"), "WHERE d.level = $level\n  AND d.id > $after"),
        (DeputyFilters(level="CITY", group_id="G"), "MATCH (:Group {id: $groupId})<-"),
        (DeputyFilters(chain_id="C", area_prefix="32"), "MATCH (:IndustryChain {id: $chainId})"),
        (DeputyFilters(area_prefix="32", name_contains="王"), "WHERE d.electedIn STARTS WITH"),
        (DeputyFilters(name_contains="王", level="CITY"), "WHERE d.name CONTAINS $nameContains"),
    ],
    ids=["none", "level", "group-drives", "chain-drives", "area-drives", "name-drives"],
)
def test_the_narrowest_filter_drives_and_no_filter_is_written_is_null_or(
    filters: DeputyFilters, driver: str
) -> None:
    page, count = deputy_statements(filters)
    assert page.lstrip().startswith(driver) or driver in page.split("WITH d")[0]
    assert "IS NULL OR" not in page and "IS NULL OR" not in count
    assert "collect(" not in page.lower()
    assert page.rstrip().endswith("LIMIT $limit")


def test_groups_page_by_id(api: TestClient, organizer: dict[str, str], suqian_db: Database) -> None:
    expected = [r["id"] for r in suqian_db.execute("MATCH (g:Group) RETURN g.id AS id ORDER BY id")]
    assert walk(api, organizer, "groups", "", 4)[0] == expected
    of_kind = [
        r["id"]
        for r in suqian_db.execute(
            "MATCH (g:Group {kind: 'SUPERVISION'}) RETURN g.id AS id ORDER BY id"
        )
    ]
    assert walk(api, organizer, "groups", "where: {kind: SUPERVISION},", 4)[0] == of_kind


UNCOVERED = """
MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] AND v.code STARTS WITH $prefix
  AND NOT EXISTS { MATCH (v)<-[:CONTACTS]-(d:Deputy)
                   WHERE coalesce(d.status, 'ACTIVE') = 'ACTIVE'
                     AND ($level IS NULL OR d.level = $level) }
RETURN v.code AS code ORDER BY code
"""


@pytest.mark.parametrize(
    ("area", "level"),
    [("321300000000", "NATIONAL"), ("321322000000", None), ("321322102200", "TOWNSHIP")],
    ids=["city-national", "county-any", "one-village"],
)
def test_uncovered_villages_page_by_code(
    api: TestClient,
    organizer: dict[str, str],
    suqian_db: Database,
    area: str,
    level: str | None,
) -> None:
    prefix = area[: significant_length(area)]
    expected = [r["code"] for r in suqian_db.execute(UNCOVERED, {"prefix": prefix, "level": level})]
    arguments = f'areaCode: "{area}", ' + (f"level: {level}," if level else "")
    seen, _ = walk(api, organizer, "uncoveredVillages", arguments, 25)
    assert seen == expected


def test_an_old_position_cursor_is_refused_clearly(
    api: TestClient, organizer: dict[str, str]
) -> None:
    old = base64.urlsafe_b64encode(b"gc:49").decode()
    for field in ("deputies", "groups"):
        body = graphql(
            api, f'{{ {field}(after: "{old}") {{ edges {{ cursor }} }} }}', headers=organizer
        )
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "ask for its first page again" in error["message"]


@pytest.mark.parametrize(
    "cursor",
    [
        base64.urlsafe_b64encode(b'gk:["SQ-D00001","extra"]').decode(),
        base64.urlsafe_b64encode(b"gk:[1]").decode(),
        base64.urlsafe_b64encode(b"gk:{not json").decode(),
    ],
    ids=["two-parts", "not-text", "not-json"],
)
def test_a_key_cursor_of_another_shape_is_refused(
    api: TestClient, organizer: dict[str, str], cursor: str
) -> None:
    body = graphql(api, f'{{ deputies(after: "{cursor}") {{ totalCount }} }}', headers=organizer)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cursor" in error["message"]


def test_cursors_are_opaque_and_name_no_position(
    api: TestClient, organizer: dict[str, str]
) -> None:
    page = data(
        graphql(api, "{ deputies(first: 2) { edges { cursor node { id } } } }", headers=organizer)
    )
    for edge in page["deputies"]["edges"]:
        assert edge["node"]["id"] not in edge["cursor"]  # base64, not the id in clear
