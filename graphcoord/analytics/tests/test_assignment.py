from __future__ import annotations

import doctest

import networkx as nx
import pytest

from graphcoord.analytics import assignment
from graphcoord.analytics.assignment import (
    DISTANCE_COST,
    LOAD_COST,
    suggest_assignments,
)
from graphcoord.analytics.errors import AreaNotFound, InvalidArgument
from graphcoord.analytics.graph import GraphBuilder
from graphcoord.analytics.tests.fixtures import county_graph


def test_doctests() -> None:
    assert doctest.testmod(assignment).failed == 0


def county(villages_per_township: int = 2) -> GraphBuilder:
    """County K with townships T1, T2 (villages T1V1…, T2V1…), and a second county K2 with T3."""
    b = GraphBuilder()
    b.area("C", kind="CITY")
    b.area("K", "沭阳县", kind="COUNTY", parent="C")
    b.area("K2", "泗阳县", kind="COUNTY", parent="C")
    for township, parent in (("T1", "K"), ("T2", "K"), ("T3", "K2")):
        b.area(township, kind="TOWNSHIP", parent=parent)
        for i in range(1, villages_per_township + 1):
            b.area(f"{township}V{i}", parent=township)
    return b


def pairs(plan: assignment.AssignmentPlan) -> list[tuple[str, str]]:
    return [(a.deputy_id, a.village_code) for a in plan.assignments]


def test_fixture_county_gap_goes_to_its_township_deputy() -> None:
    plan = suggest_assignments(county_graph(), "K1")
    # V13 (T1) is uncovered; DT1, DK1 (elected T1) and DC (based in T1) are eligible at distance
    # 1 with load 2 each: the tie is broken by id.
    assert plan.target_count == 1
    assert pairs(plan) == [("DC", "V13")]
    only = plan.assignments[0]
    assert only.basis == "NEAR_HOME_OR_WORK"
    assert only.cost == DISTANCE_COST * 1 + LOAD_COST * 2
    assert only.reason.startswith("city deputy 王城 (DC) is based in 马厂镇 (T1)")
    assert plan.unassignable == ()
    assert plan.total_cost == only.cost


def test_constituency_deputy_only_inside_its_constituency() -> None:
    b = county()
    b.deputy("D1", "TOWNSHIP", elected_in="T1")
    plan = suggest_assignments(b.build(), "K", max_per_deputy=5)
    assert pairs(plan) == [("D1", "T1V1"), ("D1", "T1V2")]
    assert {a.basis for a in plan.assignments} == {"ORIGINAL_CONSTITUENCY"}
    assert [u.village_code for u in plan.unassignable] == ["T2V1", "T2V2"]
    reason = plan.unassignable[0].reason
    assert reason.startswith("no eligible deputy: no county/township deputy elected in T2V1, T2")
    assert "no upper-level deputy based within its county (沭阳县 (K))" in reason
    # the second village of D1 costs one more unit of load
    assert [a.cost for a in plan.assignments] == [DISTANCE_COST, DISTANCE_COST + LOAD_COST]
    assert [a.load_before for a in plan.assignments] == [0, 1]


def test_upper_level_deputy_prefers_own_township_and_stays_in_county() -> None:
    b = county(villages_per_township=1)
    b.deputy("U", "PROVINCIAL", base_area="T1V1")
    plan = suggest_assignments(b.build(), max_per_deputy=10)
    got = {a.village_code: a.distance for a in plan.assignments}
    assert got == {"T1V1": 0, "T2V1": 4}  # same village, same county; T3V1 is in K2
    assert [u.village_code for u in plan.unassignable] == ["T3V1"]
    same_county = next(a for a in plan.assignments if a.village_code == "T2V1")
    assert "in the same county (沭阳县 (K))" in same_county.reason


def test_upper_level_deputy_without_base_area_uses_its_contacts() -> None:
    b = county()
    b.deputy("U", "CITY")
    b.contact("U", "T1V1")
    plan = suggest_assignments(b.build(), "T1")
    assert pairs(plan) == [("U", "T1V2")]
    assert plan.assignments[0].distance == 2
    assert "already contacts T1V1, in the same township (T1)" in plan.assignments[0].reason


def test_upper_level_deputy_with_no_anchor_is_not_eligible() -> None:
    b = county()
    b.deputy("U", "NATIONAL")
    plan = suggest_assignments(b.build(), "T1")
    assert plan.assignments == ()
    assert len(plan.unassignable) == 2


def test_left_deputies_are_ignored() -> None:
    b = county()
    b.deputy("GONE", "TOWNSHIP", elected_in="T1", status="LEFT")
    b.contact("GONE", "T1V1")
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    plan = suggest_assignments(b.build(), "T1")
    # T1V1 counts as uncovered (its only contact has left) and GONE is never suggested
    assert pairs(plan) == [("D", "T1V1"), ("D", "T1V2")]


def test_capacity_exhausted_before_the_plan() -> None:
    b = county()
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    b.contact("D", "T1V1")
    plan = suggest_assignments(b.build(), "T1", max_per_deputy=1)
    assert plan.assignments == ()
    (gap,) = plan.unassignable
    assert gap.village_code == "T1V2"
    assert gap.reason == "eligible deputies are at capacity (max 1 villages each): D (1)"


def test_capacity_exhausted_by_the_plan_itself() -> None:
    b = county(villages_per_township=3)
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    plan = suggest_assignments(b.build(), "T1", max_per_deputy=2)
    assert len(plan.assignments) == 2
    (gap,) = plan.unassignable
    assert gap.reason.startswith("eligible deputies are at capacity once the other")


def test_zero_capacity_assigns_nothing() -> None:
    b = county()
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    plan = suggest_assignments(b.build(), "T1", max_per_deputy=0)
    assert plan.assignments == ()
    assert plan.target_count == len(plan.unassignable) == 2


def test_load_is_spread_by_convex_cost() -> None:
    b = county()
    b.deputy("A", "TOWNSHIP", elected_in="T1")
    b.deputy("B", "TOWNSHIP", elected_in="T1")
    plan = suggest_assignments(b.build(), "T1")
    assert sorted(a.deputy_id for a in plan.assignments) == ["A", "B"]
    assert plan.total_cost == 2 * DISTANCE_COST


def test_nearer_deputy_beats_less_loaded_one_by_the_cost_model() -> None:
    b = county()
    b.deputy("NEAR", "TOWNSHIP", elected_in="T1V2")  # distance 0, load 1
    b.contact("NEAR", "T1V1")
    b.deputy("FAR", "COUNTY", elected_in="K")  # distance 2, load 0
    b.deputy("OTHER", "TOWNSHIP", elected_in="T2")
    b.contact("OTHER", "T2V1")
    b.contact("OTHER", "T2V2")
    plan = suggest_assignments(b.build(), "T1")
    assert pairs(plan) == [("NEAR", "T1V2")]
    assert plan.assignments[0].cost == LOAD_COST  # 0 distance, load 1 < 2 steps for FAR


def test_fragile_villages_get_a_second_deputy_not_the_same_one() -> None:
    b = county()
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    b.contact("D", "T1V1")
    b.contact("D", "T1V2")
    assert suggest_assignments(b.build(), "T1").target_count == 0
    plan = suggest_assignments(b.build(), "T1", include_fragile=True)
    assert plan.assignments == ()
    assert [u.target for u in plan.unassignable] == ["FRAGILE", "FRAGILE"]
    assert plan.unassignable[0].reason == (
        "no eligible deputy besides those already contacting it (D)"
    )
    b.deputy("E", "COUNTY", elected_in="T1")
    plan = suggest_assignments(b.build(), "T1", include_fragile=True)
    assert pairs(plan) == [("E", "T1V1"), ("E", "T1V2")]
    assert {a.target for a in plan.assignments} == {"FRAGILE"}


def test_uncovered_villages_take_priority_over_fragile_ones() -> None:
    b = county()
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    b.contact("D", "T1V1")  # T1V1 fragile, T1V2 uncovered
    b.deputy("E", "TOWNSHIP", elected_in="T1")
    # E can take one village only; the fragile one would be cheaper (distance 1 each, tie), the
    # uncovered one must win.
    plan = suggest_assignments(b.build(), "T1", max_per_deputy=1, include_fragile=True)
    assert pairs(plan) == [("E", "T1V2")]
    assert [(u.village_code, u.target) for u in plan.unassignable] == [("T1V1", "FRAGILE")]


def test_villages_restricts_targets() -> None:
    b = county()
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    plan = suggest_assignments(b.build(), villages=["T1V2"])
    assert plan.target_count == 1
    assert pairs(plan) == [("D", "T1V2")]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_per_deputy": -1}, InvalidArgument),
        ({"villages": ["T1"]}, InvalidArgument),
        ({"villages": ["NOPE"]}, AreaNotFound),
        ({"area_code": "NOPE"}, AreaNotFound),
    ],
    ids=["negative-capacity", "township-as-village", "unknown-village", "unknown-area"],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        suggest_assignments(county().build(), **kwargs)  # type: ignore[arg-type]


def test_empty_scope_and_full_coverage_give_empty_plans() -> None:
    assert suggest_assignments(county_graph(), "T4").target_count == 0
    b = county()
    b.deputy("D", "TOWNSHIP", elected_in="T1")
    b.contact("D", "T1V1")
    b.contact("D", "T1V2")
    plan = suggest_assignments(b.build(), "T1")
    assert (plan.assignments, plan.unassignable, plan.total_cost) == ((), (), 0)


def test_plan_is_optimal_on_a_random_instance() -> None:
    """Cross-check the total cost against an exhaustive search on a small instance."""
    import itertools

    b = county(villages_per_township=3)
    b.deputy("A", "TOWNSHIP", elected_in="T1")
    b.deputy("B", "COUNTY", elected_in="K")
    b.deputy("C", "CITY", base_area="T2V1")
    b.contact("B", "T2V2")
    G = b.build()
    plan = suggest_assignments(G, "K", max_per_deputy=2)
    options = {
        "T1V1": {"A": 10, "B": 20, "C": 40},
        "T1V2": {"A": 10, "B": 20, "C": 40},
        "T1V3": {"A": 10, "B": 20, "C": 40},
        "T2V1": {"B": 20, "C": 0},
        "T2V3": {"B": 20, "C": 20},
    }
    loads = {"A": 0, "B": 1, "C": 0}
    best = None
    villages = sorted(options)
    for choice in itertools.product(*(sorted(options[v]) for v in villages)):
        counts = {d: choice.count(d) for d in loads}
        if any(loads[d] + counts[d] > 2 for d in loads):
            continue
        cost = sum(options[v][d] for v, d in zip(villages, choice, strict=True))
        cost += sum(LOAD_COST * (loads[d] + i) for d in loads for i in range(counts[d]))
        best = cost if best is None else min(best, cost)
    # capacity 2 + 1 + 2 = 5 slots for 5 villages: everything is covered
    assert plan.unassignable == ()
    assert plan.total_cost == best


def test_plan_survives_a_graph_view() -> None:
    G = county_graph()
    view = nx.restricted_view(G, ["deputy:DC"], [])
    plan = suggest_assignments(view, "K1")
    assert pairs(plan) == [("DK1", "V13")]


@pytest.mark.parametrize("order", [("Z", "A"), ("A", "Z")], ids=["z-first", "a-first"])
def test_ties_go_to_the_lower_deputy_id(order: tuple[str, str]) -> None:
    b = county(villages_per_township=1)
    for deputy in order:
        b.deputy(deputy, "TOWNSHIP", elected_in="T1")
    assert pairs(suggest_assignments(b.build(), "T1")) == [("A", "T1V1")]
