"""GraphQL over HTTP on the seeded Suqian city: directory queries, roles, pagination, limits."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from tests.conftest import bearer, data, graphql

ROLES = ["deputy", "planner", "organizer", "admin"]


@pytest.fixture(scope="module")
def api(suqian_api: TestClient) -> TestClient:
    return suqian_api


@pytest.fixture(scope="module")
def organizer(settings: Settings) -> dict[str, str]:
    return bearer(settings, "organizer")


def test_deputies_filtered_by_level_and_area(
    api: TestClient, organizer: dict[str, str], suqian_db: Database
) -> None:
    body = graphql(
        api,
        """query($where: DeputyWhere) { deputies(where: $where, first: 5) {
             totalCount edges { node { id level electedIn { code } } } } }""",
        {"where": {"level": "COUNTY", "areaCode": "321322000000"}},
        organizer,
    )
    page = data(body)["deputies"]
    expected = suqian_db.execute(
        "MATCH (d:Deputy {level: 'COUNTY'}) WHERE d.electedIn STARTS WITH '321322' "
        "OR EXISTS { (d)-[:CONTACTS]->(v) WHERE v.code STARTS WITH '321322' } RETURN count(d)"
    )[0][0]
    assert page["totalCount"] == expected > 0
    assert len(page["edges"]) == 5
    assert all(e["node"]["level"] == "COUNTY" for e in page["edges"])


@pytest.mark.parametrize(
    ("where", "cypher"),
    [
        (
            {"groupId": "SQ-G07"},
            "MATCH (d:Deputy)-[:MEMBER_OF]->(:Group {id: 'SQ-G07'}) RETURN count(d)",
        ),
        (
            {"chainId": "SQ-CH01"},
            "MATCH (d:Deputy) WHERE (d)-[:WORKS_ON]->(:IndustryChain {id: 'SQ-CH01'}) OR "
            "(d)-[:OBSERVES]->()-[:ON_CHAIN]->(:IndustryChain {id: 'SQ-CH01'}) RETURN count(d)",
        ),
        ({"nameContains": "王"}, "MATCH (d:Deputy) WHERE d.name CONTAINS '王' RETURN count(d)"),
    ],
    ids=["group", "chain", "name"],
)
def test_deputy_filters_match_cypher(
    api: TestClient,
    organizer: dict[str, str],
    suqian_db: Database,
    where: dict[str, str],
    cypher: Any,
) -> None:
    body = graphql(
        api,
        "query($w: DeputyWhere) { deputies(where: $w) { totalCount } }",
        {"w": where},
        organizer,
    )
    assert data(body)["deputies"]["totalCount"] == suqian_db.execute(cypher)[0][0] > 0


def test_pagination_walks_every_deputy_once(api: TestClient, organizer: dict[str, str]) -> None:
    query = """query($after: String) { deputies(where: {groupId: "SQ-G01"}, first: 7, after: $after) {
                 totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
                 edges { cursor node { id } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = data(graphql(api, query, {"after": after}, organizer))["deputies"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("first: 501", "at most 500"),
        ("first: -1", "must not be negative"),
        ('after: "bm90LWEtY3Vyc29y"', "not a cursor"),
        ('after: "%%%"', "not a cursor"),
        ('where: {areaCode: "32\' OR 1=1"}', "12-digit"),
    ],
    ids=["first-too-large", "first-negative", "foreign-cursor", "garbage-cursor", "injection"],
)
def test_invalid_arguments_are_bad_user_input(
    api: TestClient, organizer: dict[str, str], arguments: str, message: str
) -> None:
    body = graphql(api, f"{{ deputies({arguments}) {{ totalCount }} }}", headers=organizer)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]


def test_empty_page_after_the_last_item(api: TestClient, organizer: dict[str, str]) -> None:
    first = data(
        graphql(
            api,
            '{ deputies(where: {groupId: "SQ-G01"}, first: 500) { pageInfo { endCursor } } }',
            headers=organizer,
        )
    )
    cursor = first["deputies"]["pageInfo"]["endCursor"]
    body = data(
        graphql(
            api,
            'query($c: String) { deputies(where: {groupId: "SQ-G01"}, after: $c) { edges { cursor } pageInfo { hasNextPage endCursor } } }',
            {"c": cursor},
            organizer,
        )
    )
    assert body["deputies"]["edges"] == []
    assert body["deputies"]["pageInfo"] == {"hasNextPage": False, "endCursor": None}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('{ deputy(id: "NOPE") { id } }', "NOT_FOUND"),
        ('{ area(code: "999999999999") { name } }', "NOT_FOUND"),
        ('{ area(code: "abc") { name } }', "BAD_USER_INPUT"),
        ('{ group(id: "NOPE") { id } }', "NOT_FOUND"),
        ('{ campaign(id: "NOPE") { id } }', "NOT_FOUND"),
        ("{ deputies(where: {level: MAYOR}) { totalCount } }", "BAD_USER_INPUT"),
    ],
    ids=["deputy", "area", "area-code", "group", "campaign", "enum"],
)
def test_not_found_and_bad_input(
    api: TestClient, organizer: dict[str, str], query: str, code: str
) -> None:
    body = graphql(api, query, headers=organizer)
    assert body["errors"][0]["extensions"]["code"] == code


def test_area_with_parent_and_children(api: TestClient, organizer: dict[str, str]) -> None:
    area = data(
        graphql(
            api,
            '{ area(code: "321302000000") { name kind parent { code } children { code kind } } }',
            headers=organizer,
        )
    )["area"]
    assert area["name"] == "宿城区"
    assert area["kind"] == "COUNTY"
    assert area["parent"]["code"] == "321300000000"
    assert len(area["children"]) == 18
    assert {child["kind"] for child in area["children"]} == {"TOWNSHIP"}


def test_group_with_convener_room_members_and_activities(
    api: TestClient, organizer: dict[str, str], suqian_db: Database
) -> None:
    group = data(
        graphql(
            api,
            '{ group(id: "SQ-G07") { name room convener { id } members { role deputy { id } } activities { date kind } } }',
            headers=organizer,
        )
    )["group"]
    convener = suqian_db.execute(
        "MATCH (d:Deputy)-[:MEMBER_OF {role: 'CONVENER'}]->(:Group {id: 'SQ-G07'}) RETURN d.id"
    )[0][0]
    assert group["convener"]["id"] == convener
    assert group["room"]
    assert [m["deputy"]["id"] for m in group["members"] if m["role"] == "CONVENER"] == [convener]
    assert not any(
        a["date"].startswith("2024-04")
        or a["date"].startswith("2024-05")
        or a["date"].startswith("2024-06")
        for a in group["activities"]
    )


def test_campaign_participation(api: TestClient, organizer: dict[str, str]) -> None:
    campaigns = data(
        graphql(
            api,
            "{ campaigns { title citizenCount participants participationRate byLevel { key deputies participants rate } byArea { key name rate } } }",
            headers=organizer,
        )
    )["campaigns"]
    (legislation,) = [c for c in campaigns if c["title"] == "五年立法规划征集"]
    assert legislation["participants"] == 7515
    assert legislation["citizenCount"] == 85000
    assert legislation["participationRate"] == round(7515 / 7684, 4) == 0.978
    assert sum(level["participants"] for level in legislation["byLevel"]) == 7515
    assert {area["name"] for area in legislation["byArea"]} >= {"宿城区", "沭阳县"}


# -- roles -------------------------------------------------------------------------------------

PHONE_QUERY = '{ deputy(id: "SQ-D00001") { id name phone } }'


@pytest.mark.parametrize("role", [None, *ROLES], ids=["public", *ROLES])
def test_phone_is_for_organizer_and_admin_only(
    api: TestClient, settings: Settings, role: str | None
) -> None:
    headers = bearer(settings, role, "SQ-D00001" if role == "deputy" else None) if role else {}
    body = graphql(api, PHONE_QUERY, headers=headers)
    if role is None:
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert body["data"] is None
    elif role in ("organizer", "admin"):
        assert "errors" not in body
        assert body["data"]["deputy"]["phone"].startswith("1")
    else:
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert error["path"] == ["deputy", "phone"]
        # The rest of the query is still answered.
        assert body["data"]["deputy"]["name"]
        assert "phone" not in str(body["data"]) or body["data"]["deputy"].get("phone") is None


def test_phone_never_leaks_through_a_list_below_organizer(
    api: TestClient, settings: Settings
) -> None:
    body = graphql(
        api,
        "{ deputies(first: 50) { edges { node { id phone } } } }",
        headers=bearer(settings, "planner"),
    )
    assert len(body["errors"]) == 50
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert all(
        edge["node"] is None or edge["node"].get("phone") is None
        for edge in (body["data"] or {}).get("deputies", {}).get("edges", []) or []
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer not-a-token", "not valid"),
        ("Basic dXNlcjpwYXNz", "Bearer <token>"),
    ],
    ids=["garbage-token", "wrong-scheme"],
)
def test_bad_tokens_are_unauthenticated(api: TestClient, header: str, message: str) -> None:
    body = graphql(api, "{ nodeCounts { label } }", headers={"authorization": header})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert message in body["errors"][0]["message"]


def test_expired_token(api: TestClient, settings: Settings) -> None:
    from graphcoord.auth import create_token

    token = create_token(settings.signing_secret, "admin", ttl_seconds=-10)
    body = graphql(api, "{ nodeCounts { label } }", headers={"authorization": f"Bearer {token}"})
    assert "expired" in body["errors"][0]["message"]


def test_token_signed_with_another_secret(api: TestClient) -> None:
    from graphcoord.auth import create_token

    token = create_token("another-secret-entirely-0123456789", "admin")
    body = graphql(api, "{ nodeCounts { label } }", headers={"authorization": f"Bearer {token}"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# -- limits and round trips ----------------------------------------------------------------------

NESTED = """query($n: Int) { deputies(first: $n, where: {areaCode: "321302000000"}) {
  edges { node { id groups { role group { id members { deputy { id contacts { code } } } } } } } } }"""


def round_trips_per_page(
    api: TestClient,
    headers: dict[str, str],
    db: Database,
    query: str,
    field: str,
    sizes: tuple[int, ...],
) -> list[int]:
    """Cypher round trips of ``query`` at each page size (checking each page is full)."""
    graphql(api, "{ __typename }", headers=headers)  # the token's revocation check, kept 2 s
    trips = []
    for size in sizes:
        db.round_trips = 0
        body = graphql(api, query, {"n": size}, headers)
        assert len(data(body)[field]["edges"]) == size
        trips.append(db.round_trips)
    return trips


def test_nested_query_costs_the_same_round_trips_at_two_page_sizes(
    api: TestClient, organizer: dict[str, str], suqian_db: Database
) -> None:
    trips = round_trips_per_page(api, organizer, suqian_db, NESTED, "deputies", (3, 60))
    assert trips[0] == trips[1], trips
    assert trips[0] <= 8


PAGE_RELATIONS = {
    "inline": """query($n: Int) { deputies(first: $n, where: {areaCode: "321302000000"}) {
      edges { node { id groups { role } contacts { code } } } } }""",
    "fragments": """query($n: Int) { deputies(first: $n, where: {areaCode: "321302000000"}) {
      nodes { ...Who } edges { node { ... on Deputy { contacts { code } } } } } }
      fragment Who on Deputy { id groups { role } }""",
}


@pytest.mark.parametrize("query", PAGE_RELATIONS.values(), ids=PAGE_RELATIONS.keys())
def test_a_pages_deputy_relations_cost_one_query_each_inline_or_in_fragments(
    api: TestClient, organizer: dict[str, str], suqian_db: Database, query: str
) -> None:
    """The page, then groups and contacts of all its deputies: three round trips."""
    assert round_trips_per_page(api, organizer, suqian_db, query, "deputies", (2, 40)) == [3, 3]


NAMED_RELATIONS = {
    "an area with its children": (
        '{ area(code: "321302000000") { code name children { code name kind } } }',
        2,  # the area; its children with their names
    ),
    "a group with its members": (
        "{ groups(first: 1) { edges { node { id name members { role deputy { id name level } }"
        " convener { id name } } } } }",
        2,  # the page of groups; their members with who they are
    ),
    "a deputy page with groups and members": (
        '{ deputies(first: 20, where: {areaCode: "321302000000"}) { edges { node { id name '
        "groups { role group { id name members { role deputy { id name } } } } } } } }",
        3,  # the page; its groups with their names; their members with who they are
    ),
}


@pytest.mark.parametrize(("query", "trips"), NAMED_RELATIONS.values(), ids=NAMED_RELATIONS.keys())
def test_relations_arrive_with_the_names_of_what_they_point_to(
    api: TestClient, organizer: dict[str, str], suqian_db: Database, query: str, trips: int
) -> None:
    """A relation's query returns the related nodes' facts, not only their keys: no second
    round trip to name the children, the members or the groups."""
    graphql(api, "{ __typename }", headers=organizer)  # the token's revocation check, kept 2 s
    suqian_db.round_trips = 0
    body = data(graphql(api, query, headers=organizer))
    assert suqian_db.round_trips == trips, body
    assert "None" not in str(body) and str(body).count("'name'") > 2  # named, and not empty


@pytest.mark.parametrize("attempt", [1, 2], ids=["first", "again"])  # parsed documents are cached
def test_depth_limit(api: TestClient, organizer: dict[str, str], attempt: int) -> None:
    deep = '{ deputy(id: "SQ-D00001") ' + "{ liaisonFor " * 12 + "{ id }" + " }" * 12 + " }"
    body = graphql(api, deep, headers=organizer)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_alias_limit_cannot_be_bypassed_with_fragments(
    api: TestClient, organizer: dict[str, str]
) -> None:
    aliases = " ".join(f"a{i}: nodeCounts {{ label }}" for i in range(20))
    query = f"fragment F on Query {{ {aliases} }} {{ ...F ...F b: nodeCounts {{ label }} }}"
    body = graphql(api, query, headers=organizer)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "aliases" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize("attempt", [1, 2], ids=["first", "again"])  # parsed documents are cached
def test_token_limit(api: TestClient, organizer: dict[str, str], attempt: int) -> None:
    query = "{ " + " ".join("nodeCounts { label count }" for _ in range(500)) + " }"
    body = graphql(api, query, headers=organizer)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "token" in body["errors"][0]["message"].lower()


ISSUES_NESTED = """query($n: Int) { issues(first: $n) { edges { node { id
  trackers { id groups { group { id } } } history { status } escalations { reason deputy { id } }
  area { name parent { name } } } } } }"""


def test_nested_issue_query_costs_the_same_round_trips_at_two_page_sizes(
    api: TestClient, organizer: dict[str, str], suqian_db: Database
) -> None:
    trips = round_trips_per_page(api, organizer, suqian_db, ISSUES_NESTED, "issues", (2, 40))
    assert trips[0] == trips[1], trips
