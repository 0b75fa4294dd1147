"""The seeded cities in the real Neo4j: published figures read back with Cypher, rules, reloads."""

from __future__ import annotations

from typing import Any

import pytest

from graphcoord.db import Database
from graphcoord.errors import RuleViolation
from graphcoord.seeding.suqian import (
    SUQIAN_COMPLIANCE_MISSES,
    SUQIAN_FRAGILE_VILLAGES,
    SUQIAN_NO_CONSTITUENCY_VILLAGES,
)
from graphcoord.services.dataset import write_dataset
from tests import factories
from tests.factories import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, deputy


def one(db: Database, query: Any, **params: Any) -> Any:
    records = db.execute(query, params)
    return records[0][0]


class TestSuqian:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("MATCH (a:Area) WHERE a.kind IN ['VILLAGE','COMMUNITY'] RETURN count(a)", 1440),
            ("MATCH (a:Area {kind: 'TOWNSHIP'}) RETURN count(a)", 109),
            (
                "MATCH (a:Area {kind: 'COUNTY'})-[:PART_OF]->(:Area {code: '321300000000'}) "
                "RETURN count(a)",
                6,
            ),
            (
                "MATCH (v:Area) WHERE v.kind IN ['VILLAGE','COMMUNITY'] "
                "AND NOT (:Deputy)-[:CONTACTS]->(v) RETURN count(v)",
                0,
            ),
            ("MATCH (d:Deputy) RETURN count(d)", 7684),
            (
                "MATCH (:Deputy)-[p:PARTICIPATED_IN]->(:Campaign {title: '五年立法规划征集'}) "
                "RETURN count(p)",
                7515,
            ),
            ("MATCH (c:Campaign {title: '五年立法规划征集'}) RETURN c.citizenCount", 85000),
            ("MATCH (c:IndustryCluster) RETURN count(c)", 6),
            ("MATCH (c:IndustryChain)-[:IN_CLUSTER]->(:IndustryCluster) RETURN count(c)", 15),
            ("MATCH (p:ObservationPoint {role: 'LEAD'})-[:ON_CHAIN]->() RETURN count(p)", 10),
            (
                "MATCH (p:ObservationPoint {role: 'COLLABORATIVE'})-[:ON_CHAIN]->() "
                "RETURN count(p)",
                31,
            ),
            (
                "MATCH (g:Group {kind: 'COLLABORATIVE'}) WHERE g.room IS NOT NULL RETURN count(g)",
                30,
            ),
            ("MATCH (g:Group {kind: 'SUPERVISION'}) RETURN count(g)", 15),
            (
                "MATCH (g:Group) WHERE "
                "COUNT { (:Deputy)-[:MEMBER_OF {role: 'CONVENER'}]->(g) } <> 1 "
                "RETURN count(g)",
                0,
            ),
            (
                "MATCH (a:Activity {kind: 'CONCENTRATED_WEEK'}) "
                "WHERE NOT date('2024-12-16') <= a.date <= date('2024-12-22') RETURN count(a)",
                0,
            ),
            ("MATCH (a:Activity {kind: 'CONCENTRATED_WEEK'}) RETURN count(a) > 0", True),
            ("MATCH (i:Issue) RETURN count(i) >= 200", True),
            ("MATCH (i:Issue) RETURN count(DISTINCT i.channel)", 4),
        ],
        ids=[
            "villages-1440",
            "townships-109",
            "counties-6",
            "all-covered",
            "deputies-7684",
            "participants-7515",
            "citizens-85000",
            "clusters-6",
            "chains-15",
            "lead-points-10",
            "collaborative-points-31",
            "collaborative-groups-30",
            "supervision-groups-15",
            "one-convener",
            "concentrated-week",
            "has-concentrated-week",
            "issues",
            "four-channels",
        ],
    )
    def test_published_figure(self, suqian_db: Database, query: Any, expected: object) -> None:
        assert one(suqian_db, query) == expected

    def test_every_level_is_present_in_a_plausible_mix(self, suqian_db: Database) -> None:
        counts = {
            r["level"]: r["n"]
            for r in suqian_db.execute("MATCH (d:Deputy) RETURN d.level AS level, count(*) AS n")
        }
        assert set(counts) == {"NATIONAL", "PROVINCIAL", "CITY", "COUNTY", "TOWNSHIP"}
        assert counts["NATIONAL"] < counts["PROVINCIAL"] < counts["CITY"] < counts["COUNTY"]
        assert counts["COUNTY"] < counts["TOWNSHIP"]

    def test_contacts_obey_basis_and_constituency(self, suqian_db: Database) -> None:
        wrong_basis = one(
            suqian_db,
            "MATCH (d:Deputy)-[c:CONTACTS]->() WHERE "
            "(d.level IN ['COUNTY','TOWNSHIP']) <> (c.basis = 'ORIGINAL_CONSTITUENCY') "
            "RETURN count(c)",
        )
        outside = one(
            suqian_db,
            "MATCH (e:Area)<-[:ELECTED_IN]-(d:Deputy)-[:CONTACTS]->(v:Area) "
            "WHERE d.level IN ['COUNTY','TOWNSHIP'] AND NOT (v)-[:PART_OF*0..]->(e) "
            "RETURN count(*)",
        )
        assert (wrong_basis, outside) == (0, 0)

    def test_liaison_goes_one_level_down(self, suqian_db: Database) -> None:
        upward = one(
            suqian_db,
            "WITH {NATIONAL: 0, PROVINCIAL: 1, CITY: 2, COUNTY: 3, TOWNSHIP: 4} AS rank "
            "MATCH (u:Deputy)-[:LIAISON_FOR]->(l:Deputy) WHERE rank[u.level] >= rank[l.level] "
            "RETURN count(*)",
        )
        assert upward == 0
        assert one(suqian_db, "MATCH ()-[r:LIAISON_FOR]->() RETURN count(r)") > 7000

    def test_deliberate_gaps_are_in_the_graph(self, suqian_db: Database) -> None:
        fragile = [
            r["code"]
            for r in suqian_db.execute(
                "MATCH (v:Area)<-[:CONTACTS]-(d:Deputy) WHERE v.code IN $codes "
                "WITH v, count(d) AS n WHERE n = 1 RETURN v.code AS code",
                {"codes": list(SUQIAN_FRAGILE_VILLAGES)},
            )
        ]
        assert sorted(fragile) == sorted(SUQIAN_FRAGILE_VILLAGES)
        own = one(
            suqian_db,
            "MATCH (v:Area) WHERE v.code IN $codes AND EXISTS { "
            "MATCH (v)<-[:CONTACTS]-(d:Deputy)-[:ELECTED_IN]->(e) "
            "WHERE d.level IN ['COUNTY','TOWNSHIP'] AND (v)-[:PART_OF*0..]->(e) } "
            "RETURN count(v)",
            codes=list(SUQIAN_NO_CONSTITUENCY_VILLAGES),
        )
        assert own == 0

    def test_quarterly_misses_are_the_documented_ones(self, suqian_db: Database) -> None:
        records = suqian_db.execute(
            "MATCH (g:Group {kind: 'COLLABORATIVE'}) "
            "UNWIND [1, 2, 3, 4] AS q "
            "WITH g, q WHERE NOT EXISTS { MATCH (g)-[:HELD]->(a:Activity) "
            "  WHERE a.date.year = 2024 AND a.date.quarter = q } "
            "RETURN g.id AS id, collect(q) AS quarters ORDER BY id"
        )
        misses = {r["id"]: r["quarters"] for r in records}
        expected = {group: sorted(quarters) for group, quarters in SUQIAN_COMPLIANCE_MISSES.items()}
        assert misses == expected

    def test_bonded_logistics_chain(self, suqian_db: Database) -> None:
        record = suqian_db.execute(
            "MATCH (county:Deputy {level: 'COUNTY'})-[:TRACKS]->(i:Issue)"
            "-[:ESCALATED_TO]->(national:Deputy {level: 'NATIONAL'})"
            "-[:SPONSORED {role: 'LEAD'}]->(p:Proposal {congressLevel: 'NATIONAL'})"
            "-[:ADDRESSES]->(i) WHERE i.title CONTAINS '保税物流中心' "
            "RETURN p.handler AS handler LIMIT 1"
        )
        assert record and record[0]["handler"] == "海关总署"


class TestLiulin:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("MATCH (a:Area) WHERE a.kind IN ['VILLAGE','COMMUNITY'] RETURN count(a)", 198),
            (
                "MATCH (a:Area {kind: 'TOWNSHIP'})-[:PART_OF]->(:Area {code: '141125000000'}) "
                "RETURN count(a)",
                15,
            ),
            ("MATCH (s:LiaisonStation {kind: 'STATION'}) RETURN count(s)", 15),
            ("MATCH (s:LiaisonStation {kind: 'POINT'}) RETURN count(s)", 46),
            ("MATCH (s:LiaisonStation) WHERE s.monthlyActivityDay IS NULL RETURN count(s)", 0),
            (
                "MATCH (:LiaisonStation)-[:HOLDS]->(a:Activity {kind: 'ACTIVITY_DAY'})"
                "<-[r:ATTENDED]-(:Deputy) RETURN count(r)",
                161,
            ),
            (
                "MATCH (:LiaisonStation)-[:HOLDS]->(a:Activity {kind: 'ACTIVITY_DAY'}) "
                "RETURN sum(a.voterCount)",
                345,
            ),
            ("MATCH (i:Issue {channel: 'STATION'}) RETURN count(i)", 124),
            ("MATCH (i:Issue {channel: 'STATION', status: 'RESOLVED'}) RETURN count(i)", 24),
            (
                "MATCH (v:Area) WHERE v.kind IN ['VILLAGE','COMMUNITY'] "
                "AND NOT (:Deputy)-[:CONTACTS]->(v) RETURN count(v)",
                0,
            ),
            ("MATCH (d:Deputy) WHERE NOT (d)-[:RECEIVES_AT]->(:LiaisonStation) RETURN count(d)", 0),
            (
                "MATCH (i:Issue {channel: 'STATION'}) WHERE NOT (i)-[:RECEIVED_AT]->(:LiaisonStation) "
                "RETURN count(i)",
                0,
            ),
        ],
        ids=[
            "villages-198",
            "townships-15",
            "stations-15",
            "points-46",
            "activity-day",
            "visits-161",
            "voters-345",
            "suggestions-124",
            "solved-24",
            "all-covered",
            "everyone-at-a-station",
            "suggestions-received-at-stations",
        ],
    )
    def test_published_figure(self, liulin_db: Database, query: Any, expected: object) -> None:
        assert one(liulin_db, query) == expected

    def test_deputies_per_level(self, liulin_db: Database) -> None:
        counts = {
            r["level"]: r["n"]
            for r in liulin_db.execute("MATCH (d:Deputy) RETURN d.level AS level, count(*) AS n")
        }
        assert counts == {
            "NATIONAL": 1,
            "PROVINCIAL": 2,
            "CITY": 30,
            "COUNTY": 207,
            "TOWNSHIP": 892,
        }


def graph_fingerprint(db: Database) -> tuple[Any, ...]:
    nodes = db.execute("MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c ORDER BY l")
    rels = db.execute("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c ORDER BY t")
    props = one(db, "MATCH (n) RETURN sum(size(keys(n)))")
    return tuple((r[0], r[1]) for r in nodes), tuple((r[0], r[1]) for r in rels), props


def test_loading_the_same_seed_twice_changes_nothing(db: Database) -> None:
    from graphcoord.services.seeds import load_seed

    load_seed(db, "liulin")
    first = graph_fingerprint(db)
    load_seed(db, "liulin")
    assert graph_fingerprint(db)[:2] == first[:2]
    assert graph_fingerprint(db)[2] == first[2]
    assert one(db, "MATCH (v:GraphVersion) RETURN count(v)") == 0  # no write hot spot


# -- rules -------------------------------------------------------------------------------------


@pytest.fixture
def small_city(db: Database) -> Database:
    write_dataset(db, factories.small_city())
    return db


@pytest.mark.parametrize(
    ("dataset", "rule", "offending"),
    [
        (
            {
                "contacts": [
                    {
                        "deputyId": "T1",
                        "areaCode": VILLAGE_B["code"],
                        "basis": "ORIGINAL_CONSTITUENCY",
                    }
                ]
            },
            "contact-inside-constituency",
            ["T1", VILLAGE_B["code"]],
        ),
        (
            {
                "contacts": [
                    {
                        "deputyId": "Y1",
                        "areaCode": VILLAGE_A["code"],
                        "basis": "ORIGINAL_CONSTITUENCY",
                    }
                ]
            },
            "contact-basis-follows-level",
            ["Y1"],
        ),
        (
            {
                "contacts": [
                    {"deputyId": "C1", "areaCode": VILLAGE_A["code"], "basis": "NEAR_HOME_OR_WORK"}
                ]
            },
            "contact-basis-follows-level",
            ["C1"],
        ),
        (
            {
                "contacts": [
                    {"deputyId": "C1", "areaCode": TOWN_A["code"], "basis": "ORIGINAL_CONSTITUENCY"}
                ]
            },
            "contact-is-a-village",
            [TOWN_A["code"]],
        ),
        (
            {
                "contacts": [
                    {
                        "deputyId": "NOPE",
                        "areaCode": VILLAGE_A["code"],
                        "basis": "ORIGINAL_CONSTITUENCY",
                    }
                ]
            },
            "contact-references-deputy",
            ["NOPE"],
        ),
        ({"liaisons": [{"fromId": "T1", "toId": "Y1"}]}, "liaison-goes-downward", ["T1", "Y1"]),
        ({"liaisons": [{"fromId": "C1", "toId": "C1"}]}, "liaison-goes-downward", ["C1"]),
        (
            {"memberships": [{"deputyId": "T1", "groupId": "G1", "role": "MEMBER"}]},
            "group-has-one-convener",
            ["G1"],
        ),
        (
            {
                "memberships": [
                    {"deputyId": "T1", "groupId": "G1", "role": "CONVENER"},
                    {"deputyId": "C1", "groupId": "G1", "role": "CONVENER"},
                ]
            },
            "group-has-one-convener",
            ["G1", "T1", "C1"],
        ),
        (
            {
                "areas": [
                    {
                        "code": "321302102201",
                        "name": "孤村",
                        "kind": "VILLAGE",
                        "parentCode": COUNTY["code"],
                    }
                ]
            },
            "village-has-parent-township",
            ["321302102201"],
        ),
        (
            {"areas": [{"code": "3213021022", "name": "短码", "kind": "VILLAGE"}]},
            "area-code-is-12-digits",
            ["3213021022"],
        ),
        ({"deputies": [deputy("X1", "MAYOR")]}, "level-is-one-of-five", ["X1"]),
    ],
    ids=[
        "contact-outside-constituency",
        "city-deputy-with-constituency-basis",
        "county-deputy-with-near-home-basis",
        "contact-to-a-township",
        "contact-unknown-deputy",
        "liaison-upward",
        "liaison-same-level",
        "group-without-convener",
        "two-conveners",
        "village-without-township",
        "short-area-code",
        "unknown-level",
    ],
)
def test_rule_violations_are_refused_and_named(
    small_city: Database, dataset: dict[str, Any], rule: str, offending: list[str]
) -> None:
    before = graph_fingerprint(small_city)
    with pytest.raises(RuleViolation) as raised:
        write_dataset(small_city, dataset)
    assert raised.value.rule == rule
    assert f"rule {rule}" in str(raised.value)
    for key in offending:
        assert key in str(raised.value)
    assert graph_fingerprint(small_city)[:2] == before[:2]


def test_valid_rows_pass_the_rules(small_city: Database) -> None:
    write_dataset(
        small_city,
        {
            "contacts": [
                {"deputyId": "T1", "areaCode": VILLAGE_A["code"], "basis": "ORIGINAL_CONSTITUENCY"},
                {"deputyId": "Y1", "areaCode": VILLAGE_B["code"], "basis": "NEAR_HOME_OR_WORK"},
            ],
            "liaisons": [{"fromId": "N1", "toId": "T1"}, {"fromId": "Y1", "toId": "C1"}],
            "memberships": [
                {"deputyId": "T1", "groupId": "G1", "role": "CONVENER"},
                {"deputyId": "C1", "groupId": "G1", "role": "MEMBER"},
            ],
        },
    )
    assert one(small_city, "MATCH ()-[r:CONTACTS]->() RETURN count(r)") == 2
    assert one(small_city, "MATCH ()-[r:LIAISON_FOR]->() RETURN count(r)") == 2
