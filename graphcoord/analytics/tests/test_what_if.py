from __future__ import annotations

import doctest

import pytest

from graphcoord.analytics import what_if
from graphcoord.analytics.errors import AreaNotFound, DeputyNotFound, NodeNotFound
from graphcoord.analytics.tests.fixtures import county_graph
from graphcoord.analytics.what_if import what_if_removal


def test_doctests() -> None:
    assert doctest.testmod(what_if).failed == 0


def test_removing_a_deputy_makes_villages_uncovered_and_fragile() -> None:
    G = county_graph()
    edges_before = G.number_of_edges()
    report = what_if_removal(G, ["DK1"], "K1")
    # DK1 contacted V11 (with DT1) and V22 (alone)
    assert report.affected == ("V11", "V22")
    assert report.newly_uncovered == ("V22",)
    assert report.newly_fragile == ("V11",)
    assert (report.covered_before, report.covered_after) == (4, 3)
    assert report.coverage_rate_before == pytest.approx(0.8)
    assert report.coverage_rate_after == pytest.approx(0.6)
    # replacements: V22 (T2) -> DT2 is elected there; V11 gets a second deputy, not DK1 or DT1.
    got = {(a.village_code, a.deputy_id) for a in report.replacements.assignments}
    assert got == {("V22", "DT2"), ("V11", "DC")}
    assert all(a.deputy_id != "DK1" for a in report.replacements.assignments)
    # the pre-existing gap V13 is not the subject of a what-if
    assert "V13" not in {a.village_code for a in report.replacements.assignments}
    assert G.number_of_edges() == edges_before  # G is untouched


def test_replace_fragile_false_only_replaces_uncovered() -> None:
    report = what_if_removal(county_graph(), "DK1", "K1", replace_fragile=False)
    assert {a.village_code for a in report.replacements.assignments} == {"V22"}


@pytest.mark.parametrize(
    ("ids", "uncovered", "fragile"),
    [
        (["DL"], (), ()),  # already LEFT: nothing changes
        (["DN"], (), ()),  # contacts nothing
        (["DT1", "DC"], ("V12",), ("V11", "V21")),
        (["DT1", "DK1", "DC", "DT2"], ("V11", "V12", "V21", "V22"), ()),
        (["DK1", "DK1"], ("V22",), ("V11",)),  # duplicates ignored
    ],
    ids=["left-deputy", "no-contacts", "two-deputies", "everyone", "duplicate-id"],
)
def test_removal_cases(
    ids: list[str], uncovered: tuple[str, ...], fragile: tuple[str, ...]
) -> None:
    report = what_if_removal(county_graph(), ids, "K1")
    assert report.newly_uncovered == uncovered
    assert report.newly_fragile == fragile
    assert report.removed_deputy_ids == tuple(dict.fromkeys(ids))


def test_capacity_limits_replacements() -> None:
    report = what_if_removal(county_graph(), ["DT1", "DK1", "DC", "DT2"], "K1", max_per_deputy=0)
    assert report.replacements.assignments == ()
    assert {u.village_code for u in report.replacements.unassignable} == {
        "V11",
        "V12",
        "V21",
        "V22",
    }


def test_unknown_deputy_raises() -> None:
    with pytest.raises(DeputyNotFound, match="deputy 'NOPE' not found") as info:
        what_if_removal(county_graph(), ["DT1", "NOPE"])
    assert isinstance(info.value, NodeNotFound)
    with pytest.raises(DeputyNotFound):
        what_if_removal(county_graph(), ["V11"])  # an area code is not a deputy


def test_unknown_area_raises() -> None:
    with pytest.raises(AreaNotFound):
        what_if_removal(county_graph(), ["DT1"], "NOPE")


def test_empty_scope() -> None:
    report = what_if_removal(county_graph(), ["DK2"], "T4")
    assert report.village_count == 0
    assert report.coverage_rate_before == report.coverage_rate_after == 0.0
    assert report.replacements.target_count == 0
