"""The analysis service and ``graphcoord analyze`` on the seeded Suqian city, cross-checked by Cypher.

The Suqian tests come first and share one seeded graph; the last tests change the graph (a
clean one) to see errors without a path and the cache's invalidation.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.errors import BadInput, NoPath, NotFound
from graphcoord.seeding.suqian import (
    SUQIAN_COMPLIANCE_MISSES,
    SUQIAN_FRAGILE_VILLAGES,
    SUQIAN_NO_CONSTITUENCY_VILLAGES,
)
from graphcoord.services import analysis
from graphcoord.services import projections as proj
from graphcoord.services.dataset import write_dataset, write_kind
from tests import factories
from tests.conftest import run_cli

CITY = "321300000000"
SHUYANG = "321322000000"  # 沭阳县
HUJI = "321322102000"  # 沭阳县 胡集镇
LIUHE = "321322102200"  # 胡集镇 刘河村委会, a fragile village
CHAIN_DEPUTY = "SQ-D00004"  # works on the liquor chain
LEVELS = ("NATIONAL", "PROVINCIAL", "CITY", "COUNTY", "TOWNSHIP")

VILLAGES_UNDER = """
MATCH (v:Area)-[:PART_OF*0..]->(:Area {code: $code})
WHERE v.kind IN ['VILLAGE', 'COMMUNITY']
RETURN v
"""


def cypher_level_coverage(db: Database, code: str) -> dict[str, int]:
    rows = db.execute(
        "CALL () {" + VILLAGES_UNDER + "} "
        "UNWIND $levels AS level "
        "RETURN level, count { WITH v, level MATCH (d:Deputy {level: level})-[:CONTACTS]->(v) "
        "WHERE d.status <> 'LEFT' RETURN DISTINCT v } AS n",
        {"code": code, "levels": list(LEVELS)},
    )
    found: dict[str, int] = dict.fromkeys(LEVELS, 0)
    for row in rows:
        found[row["level"]] += row["n"]
    return found


@pytest.fixture(scope="module", autouse=True)
def fresh_cache() -> None:
    proj.cache.clear()


@pytest.mark.parametrize("code", [CITY, SHUYANG, HUJI], ids=["city", "county", "township"])
def test_coverage_per_level_matches_cypher(suqian_db: Database, code: str) -> None:
    report = analysis.coverage(suqian_db, code)
    total = suqian_db.execute(
        "CALL () {" + VILLAGES_UNDER + "} RETURN count(v) AS n", {"code": code}
    )[0]["n"]
    assert report.village_count == total > 0
    per_level = cypher_level_coverage(suqian_db, code)
    assert {item.level: item.covered_count for item in report.by_level} == per_level
    covered = suqian_db.execute(
        "CALL () {" + VILLAGES_UNDER + "} "
        "WITH v WHERE EXISTS { (d:Deputy)-[:CONTACTS]->(v) WHERE d.status <> 'LEFT' } "
        "RETURN count(v) AS n",
        {"code": code},
    )[0]["n"]
    assert report.covered_count == covered


def test_city_gaps_are_the_documented_villages(suqian_db: Database) -> None:
    report = analysis.coverage(suqian_db, CITY)
    assert report.village_count == 1440
    assert report.uncovered == ()
    assert report.fragile == tuple(sorted(SUQIAN_FRAGILE_VILLAGES))
    assert report.without_own_constituency_deputy == tuple(sorted(SUQIAN_NO_CONSTITUENCY_VILLAGES))
    single = suqian_db.execute(
        "MATCH (v:Area) WHERE v.kind IN ['VILLAGE', 'COMMUNITY'] "
        "AND count { (d:Deputy)-[:CONTACTS]->(v) WHERE d.status <> 'LEFT' } = 1 "
        "RETURN v.code AS code ORDER BY code"
    )
    assert tuple(r["code"] for r in single) == report.fragile
    assert (
        report.load.contact_count
        == suqian_db.execute(
            "MATCH (d:Deputy)-[:CONTACTS]->(:Area) WHERE d.status <> 'LEFT' RETURN count(*) AS n"
        )[0]["n"]
    )


def test_gaps_name_the_villages_and_their_township(suqian_db: Database) -> None:
    gaps = analysis.gaps(suqian_db, SHUYANG, level="city")
    assert gaps.level == "CITY"
    fragile = {v.code: v for v in gaps.fragile}
    assert fragile[LIUHE] == analysis.Village(LIUHE, "刘河村委会", "胡集镇")
    no_city = cypher_level_coverage(suqian_db, SHUYANG)["CITY"]
    assert len(gaps.uncovered) == gaps.village_count - no_city


def test_suggestions_cover_the_fragile_villages_of_a_county(suqian_db: Database) -> None:
    plan = analysis.suggest(suqian_db, SHUYANG, include_fragile=True)
    targets = sorted(c for c in SUQIAN_FRAGILE_VILLAGES if c.startswith("321322"))
    assert plan.target_count == len(targets)
    assert sorted(a.village_code for a in plan.assignments) == targets
    for a in plan.assignments:
        already = suqian_db.execute(
            "MATCH (:Deputy {id: $d})-[:CONTACTS]->(:Area {code: $v}) RETURN count(*) AS n",
            {"d": a.deputy_id, "v": a.village_code},
        )[0]["n"]
        assert already == 0


def test_quarterly_compliance_misses_are_the_seeded_ones(suqian_db: Database) -> None:
    report = analysis.groups(suqian_db, year=2024)
    missed = {c.group_id: c.missing for c in report.compliance if not c.compliant}
    assert missed == {
        group: tuple(f"Q{q}" for q in quarters)
        for group, quarters in SUQIAN_COMPLIANCE_MISSES.items()
    }
    assert len(report.compliance) == 30
    assert report.overlaps == tuple(
        sorted(report.overlaps, key=lambda o: (-o.jaccard, -o.shared_count, o.group_a, o.group_b))
    )


def test_what_if_removal_matches_cypher(suqian_db: Database) -> None:
    (sole,) = suqian_db.execute(
        "MATCH (d:Deputy)-[:CONTACTS]->(:Area {code: $v}) RETURN d.id AS id", {"v": LIUHE}
    )
    deputy_id = sole["id"]
    expected = suqian_db.execute(
        "MATCH (d:Deputy {id: $d})-[:CONTACTS]->(v:Area) "
        "WITH v, count { (o:Deputy)-[:CONTACTS]->(v) WHERE o <> d AND o.status <> 'LEFT' } AS others "
        "RETURN v.code AS code, others ORDER BY code",
        {"d": deputy_id},
    )
    report = analysis.what_if(suqian_db, [deputy_id], CITY)
    assert report.affected == tuple(r["code"] for r in expected)
    assert report.newly_uncovered == tuple(r["code"] for r in expected if r["others"] == 0)
    assert report.newly_fragile == tuple(r["code"] for r in expected if r["others"] == 1)
    assert LIUHE in report.newly_uncovered
    assert report.covered_after == report.covered_before - len(report.newly_uncovered)
    assert {a.village_code for a in report.replacements.assignments} | {
        u.village_code for u in report.replacements.unassignable
    } >= set(report.newly_uncovered)


def test_chain_peers_share_a_chain_per_cypher(suqian_db: Database) -> None:
    peers = analysis.peers(suqian_db, CHAIN_DEPUTY)
    same_chain = {p.deputy_id for p in peers if p.relation == "SAME_CHAIN"}
    rows = suqian_db.execute(
        """
        MATCH (me:Deputy {id: $d})
        CALL (me) {
          MATCH (me)-[:WORKS_ON]->(c:IndustryChain) RETURN c
          UNION
          MATCH (me)-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->(c:IndustryChain) RETURN c
        }
        CALL (c) {
          MATCH (p:Deputy)-[:WORKS_ON]->(c) RETURN p
          UNION
          MATCH (p:Deputy)-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->(c) RETURN p
        }
        WITH DISTINCT me, p WHERE p <> me AND p.status <> 'LEFT'
        RETURN p.id AS id
        """,
        {"d": CHAIN_DEPUTY},
    )
    assert same_chain == {r["id"] for r in rows}
    assert same_chain
    assert all(p.reason for p in peers)
    assert analysis.peers(suqian_db, CHAIN_DEPUTY, limit=2) == peers[:2]


HOP_EXISTS = {
    "CONTACTS": "MATCH (:Deputy {id: $to})-[:CONTACTS]->(:Area {code: $from}) RETURN 1",
    "LIAISON_UP": "MATCH (:Deputy {id: $to})-[:LIAISON_FOR]->(:Deputy {id: $from}) RETURN 1",
    "LIAISON_DOWN": "MATCH (:Deputy {id: $from})-[:LIAISON_FOR]->(:Deputy {id: $to}) RETURN 1",
    "SHARED_GROUP": "MATCH (:Deputy {id: $from})-[:MEMBER_OF]->(:Group {id: $via})"
    "<-[:MEMBER_OF]-(:Deputy {id: $to}) RETURN 1",
    "SHARED_CHAIN": """
        MATCH (c:IndustryChain {id: $via})
        WHERE ALL(x IN [$from, $to] WHERE
          EXISTS { (:Deputy {id: x})-[:WORKS_ON]->(c) } OR
          EXISTS { (:Deputy {id: x})-[:OBSERVES]->(:ObservationPoint)-[:ON_CHAIN]->(c) })
        RETURN 1""",
}


def assert_hops_exist(db: Database, answer: analysis.Escalation) -> None:
    for path in answer.paths:
        for hop in path.hops:
            found = db.execute(
                HOP_EXISTS[hop.relation], {"from": hop.from_id, "to": hop.to_id, "via": hop.via}
            )
            assert found, hop
        level = db.execute(
            "MATCH (d:Deputy {id: $d}) RETURN d.level AS level", {"d": path.target_deputy_id}
        )[0]["level"]
        assert level == answer.target_level


@pytest.mark.parametrize("level", ["CITY", "PROVINCIAL", "NATIONAL"])
def test_escalation_hops_are_real_edges(suqian_db: Database, level: str) -> None:
    answer = analysis.escalate(suqian_db, village_code=LIUHE, level=level, k=3)
    assert answer.start_kind == "VILLAGE"
    assert len(answer.paths) == 3
    assert [p.cost for p in answer.paths] == sorted(p.cost for p in answer.paths)
    assert answer.paths[0].hops[0].relation == "CONTACTS"
    assert_hops_exist(suqian_db, answer)


def test_escalation_from_an_issue_goes_to_the_township(suqian_db: Database) -> None:
    raised = suqian_db.execute(
        "MATCH (i:Issue {id: 'SQ-I0001'})-[:RAISED_IN]->(a:Area) RETURN a.code AS code"
    )[0]["code"]
    answer = analysis.escalate(suqian_db, issue_id="SQ-I0001")
    assert (answer.start_id, answer.target_level, answer.issue_id) == (
        raised,
        "TOWNSHIP",
        "SQ-I0001",
    )
    assert_hops_exist(suqian_db, answer)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda db: analysis.coverage(db, "999999999999"), NotFound, "area '999999999999'"),
        (lambda db: analysis.what_if(db, ["nobody"]), NotFound, "deputy 'nobody'"),
        (lambda db: analysis.peers(db, "nobody"), NotFound, "deputy 'nobody'"),
        (lambda db: analysis.escalate(db, village_code="1"), NotFound, "area '1'"),
        (lambda db: analysis.escalate(db, issue_id="nope"), NotFound, "issue 'nope'"),
        (lambda db: analysis.escalate(db, village_code=HUJI), BadInput, "not a village"),
        (lambda db: analysis.escalate(db, village_code=LIUHE, level="MAYOR"), BadInput, "MAYOR"),
        (lambda db: analysis.escalate(db), BadInput, "exactly one start"),
        (lambda db: analysis.gaps(db, level="MAYOR"), BadInput, "unknown level"),
        (lambda db: analysis.suggest(db, HUJI, max_per_deputy=-1), BadInput, "max_per_deputy"),
    ],
    ids=[
        "area",
        "what-if deputy",
        "peers deputy",
        "village",
        "issue",
        "not a village",
        "level",
        "no start",
        "gaps level",
        "capacity",
    ],
)
def test_errors_are_graphcoord_errors(
    suqian_db: Database, call: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call(suqian_db)


def test_a_repeated_question_only_reads_the_change_feed(suqian_db: Database) -> None:
    analysis.coverage(suqian_db, SHUYANG)
    before, reads = suqian_db.round_trips, proj.cache.reads
    again = analysis.coverage(suqian_db, SHUYANG)
    assert suqian_db.round_trips - before == 1  # the change feed only
    assert proj.cache.reads == reads
    assert again.village_count > 0


@pytest.mark.parametrize("parts", [proj.COVERAGE, proj.ALL], ids=["coverage", "all"])
def test_projection_cost_is_a_bounded_number_of_queries(
    suqian_db: Database, parts: frozenset[proj.Part]
) -> None:
    costs = {}
    for scope in (CITY, HUJI):
        before = suqian_db.round_trips
        G = proj.project(suqian_db, scope, parts)
        costs[scope] = suqian_db.round_trips - before
        assert G.number_of_nodes() > 0
    assert max(costs.values()) <= 10, costs
    assert costs[CITY] <= costs[HUJI], costs  # 1,440 villages need no more queries than 20


@pytest.mark.parametrize(
    "scope",
    [None, CITY, SHUYANG, HUJI, LIUHE],
    ids=["all", "city", "county", "township", "village"],
)
def test_database_summary_gives_the_full_projections_report(
    suqian_db: Database, scope: str | None
) -> None:
    """The per-village aggregates Neo4j computes answer exactly as the full graph does."""
    from graphcoord import analytics as an

    full = proj.project(suqian_db, scope, proj.COVERAGE)
    before = suqian_db.round_trips
    summary = proj.project(suqian_db, scope, proj.SUMMARY)
    assert suqian_db.round_trips - before <= (4 if scope else 13)
    assert an.is_coverage_summary(summary)
    expected = an.coverage_report(full, scope, top=20)
    assert an.coverage_report(summary, scope, top=20) == expected
    assert expected.village_count > 0 and expected.load.deputy_count > 0
    for level in (None, *LEVELS):
        assert an.uncovered_villages(summary, scope, level) == an.uncovered_villages(
            full, scope, level
        )
    for entry in expected.load.most_loaded:  # names of the ranked deputies, for display
        assert (
            summary.nodes["deputy:" + entry.deputy_id]["name"]
            == full.nodes["deputy:" + entry.deputy_id]["name"]
        )


def test_whole_graph_gaps_name_villages_looked_up_by_code(suqian_db: Database) -> None:
    summary = proj.project(suqian_db, None, proj.SUMMARY)
    assert summary.graph["named"] is False
    report = analysis.gaps(suqian_db)
    by_code = {v.code: v for v in analysis.gaps(suqian_db, CITY).fragile}
    assert report.fragile and all(v == by_code[v.code] for v in report.fragile)
    assert all(v.name != v.code and v.township for v in report.fragile)


def test_the_served_app_warms_the_escalation_projection(
    settings: Settings, suqian_db: Database
) -> None:
    from starlette.testclient import TestClient

    from graphcoord.app import create_app

    proj.cache.clear()
    reads = proj.cache.reads
    with TestClient(create_app(settings, suqian_db, warm=True)):
        deadline = time.monotonic() + 120
        while proj.cache.reads == reads and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proj.cache.reads == reads + 1  # read once, in the background
        answer = analysis.escalate(suqian_db, village_code=LIUHE, level="CITY")
        assert answer.paths
        assert proj.cache.reads == reads + 1  # the question found it ready


@pytest.mark.parametrize("limit,warmed", [(7_684, True), (7_683, False), (0, False)])
def test_the_projection_is_read_at_start_only_up_to_the_deputy_limit(
    settings: Settings, suqian_db: Database, limit: int, warmed: bool
) -> None:
    """Suqian holds 7,684 deputies: a limit below that leaves the read to the first question
    (at the national size, reading it at start slowed every other answer ten-fold)."""
    proj.cache.clear()
    reads = proj.cache.reads
    limited = Database(settings.with_(warm_max_deputies=limit))
    try:
        assert proj.warm_escalation(limited) is warmed
    finally:
        limited.close()
    assert proj.cache.reads == reads + (1 if warmed else 0)
    answer = analysis.escalate(suqian_db, village_code=LIUHE, level="CITY")
    assert answer.paths
    assert proj.cache.reads == reads + 1  # read once, by the start or by the question


def test_summary_is_asked_for_alone(suqian_db: Database) -> None:
    with pytest.raises(ValueError, match="alone"):
        proj.project(suqian_db, HUJI, proj.SUMMARY | proj.COVERAGE)
    with pytest.raises(NotFound):
        proj.project(suqian_db, "999999999999", proj.SUMMARY)


def test_projection_matches_the_graph_contract(suqian_db: Database) -> None:
    G = proj.get_projection(suqian_db, HUJI, proj.ALL)
    deputy = G.nodes["deputy:" + CHAIN_DEPUTY] if "deputy:" + CHAIN_DEPUTY in G else None
    village = G.nodes["area:" + LIUHE]
    assert village["type"] == "area" and village["kind"] == "VILLAGE" and village["parent"] == HUJI
    assert G.edges["area:" + LIUHE, "area:" + HUJI]["rel"] == "PART_OF"
    for _, attrs in G.nodes(data=True):
        assert attrs.get("type") in {"area", "deputy", "group", "chain", "cluster", "obs"}, attrs
    assert deputy is None or deputy["type"] == "deputy"
    # the scope's upper levels are reachable along the liaison chain
    levels = {attrs["level"] for _, attrs in G.nodes(data=True) if attrs["type"] == "deputy"}
    assert set(LEVELS) <= levels


def test_cli_coverage_and_escalate_json(settings: Settings, suqian_db: Database) -> None:
    result = run_cli(settings, "analyze", "coverage", "--area", SHUYANG, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    report = analysis.coverage(suqian_db, SHUYANG)
    assert data["covered_count"] == report.covered_count
    assert data["fragile"] == list(report.fragile)
    result = run_cli(
        settings, "analyze", "escalate", "--village", LIUHE, "--level", "CITY", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target_level"] == "CITY" and len(data["paths"]) == 3
    assert "is contacted by" in data["paths"][0]["hops"][0]["reason"]


def test_cli_tables_show_chinese_names(settings: Settings, suqian_db: Database) -> None:
    result = run_cli(settings, "analyze", "gaps", "--area", SHUYANG)
    assert result.returncode == 0, result.stderr
    assert "刘河村委会" in result.stdout and "胡集镇" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["coverage", "--area", "999999999999"], "未找到区划“999999999999”"),
        (["what-if", "--deputy", "nobody"], "未找到代表“nobody”"),
        (["escalate", "--village", "000000000001"], "未找到区划“000000000001”"),
    ],
    ids=["area", "deputy", "village"],
)
def test_cli_errors_exit_non_zero(
    settings: Settings, suqian_db: Database, args: list[str], message: str
) -> None:
    result = run_cli(settings, "analyze", *args)
    assert result.returncode == NotFound.exit_code
    assert message in result.stderr


# -- tests that change the graph: after every Suqian test ---------------------------------------


def test_no_path_says_which_link_is_missing(settings: Settings, db: Database) -> None:
    write_dataset(db, factories.small_city())
    village = factories.VILLAGE_A["code"]
    with pytest.raises(NoPath, match="contact"):
        analysis.escalate(db, village_code=village, level="CITY")
    result = run_cli(settings, "analyze", "escalate", "--village", village)
    assert result.returncode == NoPath.exit_code
    assert "错误" in result.stderr and "没有可提请的路径" in result.stderr
    assert village in result.stderr


def test_a_contact_write_updates_the_cached_coverage(db: Database) -> None:
    write_dataset(db, factories.small_city())
    county = factories.COUNTY["code"]
    first = analysis.coverage(db, county)
    assert (first.village_count, first.covered_count) == (2, 0)
    reads, patches = proj.cache.reads, proj.cache.patches
    assert analysis.coverage(db, county) == first
    assert proj.cache.reads == reads
    contact = {"deputyId": "T1", "areaCode": factories.VILLAGE_A["code"]}
    write_kind(db, "contacts", [{**contact, "basis": "ORIGINAL_CONSTITUENCY"}])
    second = analysis.coverage(db, county)
    assert (proj.cache.reads, proj.cache.patches) == (reads, patches + 1)  # patched, not re-read
    assert second.covered_count == 1 and second.fragile == (factories.VILLAGE_A["code"],)
    G1, H1 = proj.get_hop_graph(db)
    G2, H2 = proj.get_hop_graph(db)
    assert H1 is H2 and G1 is G2


@pytest.mark.parametrize("scope", [None, factories.COUNTY["code"]], ids=["whole", "county"])
def test_summary_leaves_out_deputies_who_left(db: Database, scope: str | None) -> None:
    """LEFT deputies' contacts and loads are subtracted (whole graph) or filtered (an area)."""
    from graphcoord import analytics as an

    data = factories.small_city()
    data["deputies"] += [
        factories.deputy("T2", "TOWNSHIP", factories.TOWN_B["code"], status="LEFT"),
        factories.deputy("T3", "TOWNSHIP", factories.TOWN_B["code"]),  # contacts nothing
    ]
    data["contacts"] = [
        {"deputyId": d, "areaCode": v["code"], "basis": basis}
        for d, v, basis in (
            ("T1", factories.VILLAGE_A, "ORIGINAL_CONSTITUENCY"),
            ("C1", factories.VILLAGE_A, "ORIGINAL_CONSTITUENCY"),
            ("Y1", factories.VILLAGE_B, "NEAR_HOME_OR_WORK"),
            ("T2", factories.VILLAGE_B, "ORIGINAL_CONSTITUENCY"),
        )
    ]
    write_dataset(db, data)
    full = an.coverage_report(proj.project(db, scope, proj.COVERAGE), scope)
    summary = an.coverage_report(proj.project(db, scope, proj.SUMMARY), scope)
    assert summary == full
    village_b = factories.VILLAGE_B["code"]
    assert summary.fragile == (village_b,) and summary.level("TOWNSHIP").covered_count == 1
    assert summary.without_own_constituency_deputy == (village_b,)  # T2 left
    loads = {d.deputy_id: d.villages for d in summary.load.most_loaded}
    assert "T2" not in loads and loads["T3"] == 0 and loads["C1"] == 1
