from __future__ import annotations

import doctest

import pytest

from graphcoord.analytics import coverage
from graphcoord.analytics.coverage import (
    DeputyLoad,
    LoadBucket,
    coverage_report,
    coverage_summary,
    gini,
    histogram_gini,
    is_coverage_summary,
    load_summary,
    uncovered_villages,
    villages_in_scope,
)
from graphcoord.analytics.errors import AreaNotFound, InvalidArgument, NodeNotFound
from graphcoord.analytics.graph import GraphBuilder
from graphcoord.analytics.tests.fixtures import county_graph
from graphcoord.analytics.tests.synthetic import synthetic_city


def test_doctests() -> None:
    assert doctest.testmod(coverage).failed == 0


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("K1", ["V11", "V12", "V13", "V21", "V22"]),
        ("T2", ["V21", "V22"]),
        ("V12", ["V12"]),
        ("T4", []),
        (None, ["V11", "V12", "V13", "V21", "V22", "V31"]),
        ("C", ["V11", "V12", "V13", "V21", "V22", "V31"]),
    ],
    ids=["county", "township-with-community", "village-itself", "empty-township", "all", "city"],
)
def test_villages_in_scope(area: str | None, expected: list[str]) -> None:
    assert villages_in_scope(county_graph(), area) == expected


def test_unknown_area_raises_node_not_found() -> None:
    with pytest.raises(AreaNotFound, match="area 'NOPE' not found") as info:
        villages_in_scope(county_graph(), "NOPE")
    assert isinstance(info.value, NodeNotFound)
    assert info.value.key == "NOPE"
    with pytest.raises(AreaNotFound):
        coverage_report(county_graph(), "DT1")  # a deputy id is not an area


def test_coverage_report_county() -> None:
    report = coverage_report(county_graph(), "K1")
    assert report.village_count == 5
    assert report.covered_count == 4
    assert report.coverage_rate == pytest.approx(0.8)
    assert report.uncovered == ("V13",)  # DL has LEFT: its contact does not count
    assert report.fragile == ("V22",)
    assert report.without_own_constituency_deputy == ("V13", "V22")
    levels = {item.level: (item.covered_count, item.coverage_rate) for item in report.by_level}
    assert levels == {
        "NATIONAL": (0, 0.0),
        "PROVINCIAL": (0, 0.0),
        "CITY": (2, 0.4),
        "COUNTY": (2, 0.4),
        "TOWNSHIP": (3, 0.6),
    }
    assert [item.level for item in report.by_level] == [
        "NATIONAL",
        "PROVINCIAL",
        "CITY",
        "COUNTY",
        "TOWNSHIP",
    ]
    assert report.level("county").covered_count == 2


def test_coverage_report_load_stats() -> None:
    load = coverage_report(county_graph(), "K1").load
    assert load.deputy_count == 4
    assert load.contact_count == 7
    assert load.mean == pytest.approx(1.75)
    assert (load.min, load.max) == (1, 2)
    assert load.gini == pytest.approx(3 / 28)
    assert load.distribution == (LoadBucket(1, 1), LoadBucket(2, 3))
    # ties on load are broken by id
    assert load.most_loaded == (
        DeputyLoad("DC", 2),
        DeputyLoad("DK1", 2),
        DeputyLoad("DT1", 2),
        DeputyLoad("DT2", 1),
    )
    assert load.least_loaded[0] == DeputyLoad("DT2", 1)


def test_top_limits_ranked_deputies() -> None:
    load = coverage_report(county_graph(), "K1", top=2).load
    assert [d.deputy_id for d in load.most_loaded] == ["DC", "DK1"]
    assert [d.deputy_id for d in load.least_loaded] == ["DT2", "DC"]


def test_deputies_elected_in_scope_count_with_zero_load() -> None:
    report = coverage_report(county_graph(), "K2")
    assert report.uncovered == ("V31",)
    assert report.covered_count == 0
    assert report.load.least_loaded == (DeputyLoad("DK2", 0),)
    assert report.load.gini == 0.0


def test_whole_graph_counts_every_active_deputy() -> None:
    report = coverage_report(county_graph())
    assert report.area_code is None
    assert report.village_count == 6
    assert report.uncovered == ("V13", "V31")
    ids = {d.deputy_id for d in report.load.most_loaded}
    assert ids == {"DC", "DK1", "DK2", "DN", "DT1", "DT2"}  # DL (LEFT) never counts
    assert report.load.min == 0


@pytest.mark.parametrize("area", ["T4", None], ids=["empty-township", "empty-graph"])
def test_empty_scope_has_zero_rates(area: str | None) -> None:
    G = county_graph() if area else GraphBuilder().build()
    report = coverage_report(G, area)
    assert report.village_count == 0
    assert report.coverage_rate == 0.0
    assert all(item.coverage_rate == 0.0 for item in report.by_level)
    assert report.uncovered == report.fragile == ()


def test_own_constituency_accepts_deputy_elected_in_an_ancestor() -> None:
    b = GraphBuilder()
    b.area("K", kind="COUNTY")
    b.area("T", kind="TOWNSHIP", parent="K")
    b.area("V", parent="T")
    b.area("W", parent="T")
    b.deputy("D", "COUNTY", elected_in="K")  # a county-wide constituency contains V
    b.deputy("E", "TOWNSHIP", elected_in="W")  # elected in W, not an ancestor of V
    b.deputy("F", "CITY", elected_in="K")  # upper levels never give an own constituency
    b.contact("D", "V")
    b.contact("E", "V")
    b.contact("F", "W")
    b.contact("E", "W")
    report = coverage_report(b.build(), "K")
    assert report.without_own_constituency_deputy == ()
    b.G.nodes["deputy:D"]["status"] = "LEFT"
    assert coverage_report(b.G, "K").without_own_constituency_deputy == ("V",)


def test_partial_projection_uses_parent_codes() -> None:
    """A projected scope may lack the ancestors' nodes; the parent attribute still links them."""
    b = GraphBuilder()
    b.area("V", parent="T")  # T is not in the graph
    b.deputy("D", "TOWNSHIP", elected_in="T")
    b.contact("D", "V")
    assert coverage_report(b.build()).without_own_constituency_deputy == ()


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (None, ["V13"]),
        ("CITY", ["V11", "V13", "V22"]),
        ("county", ["V12", "V13", "V21"]),
        ("NATIONAL", ["V11", "V12", "V13", "V21", "V22"]),
    ],
    ids=["any-level", "city", "lowercase-county", "national"],
)
def test_uncovered_villages(level: str | None, expected: list[str]) -> None:
    assert uncovered_villages(county_graph(), "K1", level=level) == expected


def test_uncovered_villages_rejects_unknown_level() -> None:
    with pytest.raises(InvalidArgument, match="unknown level"):
        uncovered_villages(county_graph(), "K1", level="MAYOR")


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], 0.0), ([0, 0], 0.0), ([5], 0.0), ([2, 2, 2], 0.0), ([0, 0, 0, 4], 0.75), ([1, 3], 0.25)],
    ids=["empty", "all-zero", "single", "equal", "concentrated", "pair"],
)
def test_gini(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


def test_gini_rejects_negative_values() -> None:
    with pytest.raises(InvalidArgument):
        gini([1, -1])


@pytest.mark.parametrize(
    ("values", "top"),
    [
        ([], 3),
        ([0, 0], 1),
        ([5], 2),
        ([2, 2, 2], 2),
        ([0, 0, 0, 4], 2),
        ([3, 1, 4, 1, 5, 9, 2, 6], 3),
    ],
    ids=["empty", "all-zero", "single", "equal", "concentrated", "mixed"],
)
def test_load_summary_gives_the_stats_of_the_loads(values: list[int], top: int) -> None:
    loads = {f"D{i}": v for i, v in enumerate(values)}
    stats = load_summary(loads, top).stats(top)
    assert stats.gini == pytest.approx(gini(values))
    assert histogram_gini(stats.distribution) == pytest.approx(gini(values))
    assert stats.deputy_count == len(values)
    assert stats.contact_count == sum(values)
    if values:
        assert (stats.min, stats.max) == (min(values), max(values))
        assert stats.mean == pytest.approx(sum(values) / len(values))
    assert len(stats.most_loaded) == min(top, len(values))
    assert [d.villages for d in stats.most_loaded] == sorted(values, reverse=True)[:top]


def test_histogram_gini_rejects_negative_loads() -> None:
    with pytest.raises(InvalidArgument):
        histogram_gini([LoadBucket(-1, 2)])


@pytest.mark.parametrize(
    ("graph", "area"),
    [
        (county_graph, "K1"),
        (county_graph, "K2"),
        (county_graph, "T4"),
        (county_graph, None),
        (synthetic_city, "C"),
        (synthetic_city, "CK2"),
        (synthetic_city, "CK0T3"),
        (synthetic_city, None),
    ],
    ids=["county", "uncovered-county", "empty", "whole", "city", "city-county", "township", "all"],
)
def test_summary_gives_the_same_report_as_the_full_graph(graph, area: str | None) -> None:  # type: ignore[no-untyped-def]
    G = graph()
    S = coverage_summary(G, area, top=5)
    assert is_coverage_summary(S) and not is_coverage_summary(G)
    assert S.number_of_edges() == 0
    assert coverage_report(S, area, top=5) == coverage_report(G, area, top=5)
    for level in (None, "NATIONAL", "CITY", "TOWNSHIP"):
        assert uncovered_villages(S, area, level) == uncovered_villages(G, area, level)


def test_summary_answers_only_for_its_own_scope() -> None:
    S = coverage_summary(county_graph(), "K1")
    with pytest.raises(InvalidArgument, match="summary is of K1, not of K2"):
        coverage_report(S, "K2")
    with pytest.raises(InvalidArgument, match="not of the whole graph"):
        uncovered_villages(S)


def test_summary_keeps_names_of_villages_and_their_townships() -> None:
    S = coverage_summary(county_graph(), "K1")
    assert S.nodes["area:V21"]["name"] == "社区V21"
    assert S.nodes["area:V21"]["levelCounts"] == (0, 0, 1, 0, 1)
    assert S.nodes["area:T2"]["name"] == "胡集镇"
