from __future__ import annotations

import doctest

import networkx as nx
import pytest

from graphcoord.analytics import groups
from graphcoord.analytics.errors import GroupNotFound, InvalidArgument
from graphcoord.analytics.graph import GraphBuilder
from graphcoord.analytics.groups import group_coverage, group_overlaps, quarterly_compliance
from graphcoord.analytics.tests.fixtures import county_graph


def test_doctests() -> None:
    assert doctest.testmod(groups).failed == 0


def grouped() -> nx.DiGraph:
    G = county_graph()
    b = GraphBuilder()
    b.G = G
    b.group("G1", "沭阳县协同联动组1", area_code="K1", activity_dates=["2024-01-10", "2024-04-02"])
    b.member("DT1", "G1", role="CONVENER")
    b.member("DC", "G1")
    b.member("DL", "G1")  # LEFT: ignored
    b.group("G2", "马厂镇协同联动组", area_code="T1", activity_dates=["2024-03-31", "2024-06-30"])
    b.member("DK1", "G2", role="CONVENER")
    b.group(
        "G3", "无区域组", activity_dates=["2024-02-01", "2024-05-01", "2024-08-01", "2024-11-01"]
    )
    b.member("DT2", "G3", role="CONVENER")
    b.group("G4", "空组", area_code="T4")
    b.group("S1", "医疗卫生监督组", kind="SUPERVISION")
    b.member("DN", "S1", role="CONVENER")
    return b.build()


def test_group_coverage_with_area() -> None:
    cov = group_coverage(grouped(), "G1")
    assert cov.name == "沭阳县协同联动组1"
    assert cov.member_ids == ("DC", "DT1")
    assert cov.convener_ids == ("DT1",)
    assert cov.covered == ("V11", "V12", "V21")  # V13 of DL (LEFT) is not counted
    assert cov.village_count == 5
    assert cov.covered_in_area == 3
    assert cov.coverage_rate == pytest.approx(0.6)
    assert cov.uncovered == ("V13", "V22")


def test_group_coverage_counts_villages_outside_its_area_but_not_as_area_coverage() -> None:
    cov = group_coverage(grouped(), "G2")  # DK1 contacts V11 (T1) and V22 (T2)
    assert cov.covered == ("V11", "V22")
    assert (cov.village_count, cov.covered_in_area) == (3, 1)
    assert cov.uncovered == ("V12", "V13")


@pytest.mark.parametrize(
    ("group", "rate", "uncovered", "count"),
    [("G3", None, (), 0), ("G4", 0.0, (), 0)],
    ids=["no-area", "area-without-villages"],
)
def test_group_coverage_without_villages(
    group: str, rate: float | None, uncovered: tuple[str, ...], count: int
) -> None:
    cov = group_coverage(grouped(), group)
    assert cov.coverage_rate == rate
    assert cov.uncovered == uncovered
    assert cov.village_count == count


def test_group_coverage_of_empty_group() -> None:
    cov = group_coverage(grouped(), "G4")
    assert cov.member_ids == cov.covered == ()


def test_unknown_group() -> None:
    with pytest.raises(GroupNotFound, match="group 'NOPE' not found"):
        group_coverage(grouped(), "NOPE")
    with pytest.raises(GroupNotFound):
        group_overlaps(grouped(), ["G1", "NOPE"])


def test_group_overlaps_sorted_by_jaccard() -> None:
    overlaps = group_overlaps(grouped())
    got = [(o.group_a, o.group_b, o.shared, round(o.jaccard, 4)) for o in overlaps]
    # G1 {V11,V12,V21}, G2 {V11,V22}, G3 {V21}, G4 {}, S1 {}
    assert got == [
        ("G1", "G3", ("V21",), round(1 / 3, 4)),
        ("G1", "G2", ("V11",), 0.25),
    ]


def test_group_overlaps_with_disjoint_pairs_and_ties() -> None:
    overlaps = group_overlaps(grouped(), ["G4", "G2", "S1"], include_disjoint=True)
    assert [(o.group_a, o.group_b, o.jaccard) for o in overlaps] == [
        ("G2", "G4", 0.0),
        ("G2", "S1", 0.0),
        ("G4", "S1", 0.0),
    ]


def test_group_overlaps_of_one_group_is_empty() -> None:
    assert group_overlaps(grouped(), "G1") == []


def test_quarterly_compliance_default_kind() -> None:
    result = quarterly_compliance(grouped(), 2024)
    assert [c.group_id for c in result] == ["G1", "G2", "G3", "G4"]  # S1 is SUPERVISION
    by_id = {c.group_id: c for c in result}
    assert by_id["G1"].counts == (1, 1, 0, 0)
    assert by_id["G1"].missing == ("Q3", "Q4")
    assert by_id["G2"].counts == (1, 1, 0, 0)  # quarter boundaries: 03-31 is Q1, 06-30 is Q2
    assert by_id["G3"].compliant and by_id["G3"].missing == ()
    assert by_id["G4"].missing == ("Q1", "Q2", "Q3", "Q4")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"kind": None}, ["G1", "G2", "G3", "G4", "S1"]),
        ({"kind": "SUPERVISION"}, ["S1"]),
        ({"group_ids": ["S1", "G3"]}, ["G3", "S1"]),  # explicit ids whatever their kind
    ],
    ids=["all-kinds", "supervision", "explicit-ids"],
)
def test_quarterly_compliance_selection(kwargs: dict[str, object], expected: list[str]) -> None:
    result = quarterly_compliance(grouped(), 2024, **kwargs)  # type: ignore[arg-type]
    assert [c.group_id for c in result] == expected


@pytest.mark.parametrize(
    ("as_of", "missing"),
    [(None, ("Q3", "Q4")), ("2024-06-30", ()), ("2024-09-30T10:00:00", ("Q3",))],
    ids=["whole-year", "mid-year", "datetime"],
)
def test_quarterly_compliance_as_of(as_of: str | None, missing: tuple[str, ...]) -> None:
    (c,) = quarterly_compliance(grouped(), 2024, ["G1"], as_of=as_of)
    assert c.missing == missing


def test_quarterly_compliance_other_year_and_bad_date() -> None:
    (c,) = quarterly_compliance(grouped(), 2023, ["G3"])
    assert c.counts == (0, 0, 0, 0)
    G = grouped()
    G.nodes["group:G4"]["activityDates"] = ["yesterday"]
    with pytest.raises(InvalidArgument, match="not ISO"):
        quarterly_compliance(G, 2024, ["G4"])
