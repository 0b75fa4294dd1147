"""The pure rules of stations and activity days (graphcoord/rules.py, graphcoord/model.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from graphcoord.errors import BadInput, RuleViolation
from graphcoord.model import SUPERVISION_THEMES, township_code
from graphcoord.rules import (
    DutyFacts,
    check_activity_day_ahead,
    check_attendance_day,
    check_station_issue_area,
    duty_violations,
    monthly_activity_day,
    months_before,
    station_violations,
)
from graphcoord.seeding.suqian_groups import SUPERVISION_THEMES as SEEDED_THEMES
from graphcoord.services.supervision_candidates import resolve_theme
from graphcoord.workdays import UnknownCalendarYear

D = dt.date


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2024, 5, 15, D(2024, 5, 15)),  # a Wednesday
        (2024, 6, 15, D(2024, 6, 17)),  # a Saturday: the Monday after
        (2024, 10, 1, D(2024, 10, 8)),  # National Day week
        (2024, 9, 29, D(2024, 9, 29)),  # a Sunday made a working day (调休)
        (2024, 2, 31, D(2024, 2, 29)),  # past the month's end: its last day, a Thursday
        (2024, 2, 10, D(2024, 2, 18)),  # Spring Festival; the 18th is a make-up Sunday
    ],
    ids=["workday", "saturday", "national-day", "make-up-sunday", "month-end", "spring-festival"],
)
def test_monthly_activity_day_moves_to_the_next_working_day(
    year: int, month: int, day: int, expected: dt.date
) -> None:
    assert monthly_activity_day(year, month, day) == expected


@pytest.mark.parametrize(
    ("args", "error"),
    [((2024, 13, 15), BadInput), ((2024, 5, 0), BadInput), ((2099, 5, 15), UnknownCalendarYear)],
    ids=["month-13", "day-0", "unknown-year"],
)
def test_monthly_activity_day_refuses(args: tuple[int, int, int], error: type) -> None:
    with pytest.raises(error):
        monthly_activity_day(*args)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 11, 30), 3, D(2024, 8, 30)),
        (D(2024, 5, 31), 3, D(2024, 2, 29)),
        (D(2024, 1, 15), 1, D(2023, 12, 15)),
        (D(2024, 3, 31), 12, D(2023, 3, 31)),
    ],
    ids=["three", "leap-february", "over-new-year", "a-year"],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def facts(deputy_id: str = "D1", **changes: object) -> DutyFacts:
    values: dict[str, object] = {
        "deputy_id": deputy_id,
        "status": "ACTIVE",
        "receives_here": False,
        "contacts_here": False,
        "elected_here": False,
        "elsewhere": (),
    }
    values.update(changes)
    return DutyFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fact", "rule"),
    [
        (facts(status="LEFT", receives_here=True), "duty-deputy-active"),
        (facts(), "duty-deputy-in-area"),
        (facts(contacts_here=True, elsewhere=("ST-B",)), "duty-one-place-a-day"),
        (facts(receives_here=True), None),
        (facts(contacts_here=True), None),
        (facts(elected_here=True), None),
    ],
    ids=["left", "outside", "double-duty", "receives", "contacts", "elected"],
)
def test_duty_roster_rules(fact: DutyFacts, rule: str | None) -> None:
    violations = duty_violations([fact], "321302100000", D(2024, 6, 17))
    assert [v.rule for v in violations] == ([rule] if rule else [])


@pytest.mark.parametrize(
    ("row", "kinds", "rule"),
    [
        ({"id": "S", "kind": "STATION", "areaCode": "T"}, {"T": "TOWNSHIP"}, None),
        ({"id": "S", "kind": "STATION", "areaCode": "V"}, {"V": "VILLAGE"}, "station-in-township"),
        ({"id": "P", "kind": "POINT", "areaCode": "V"}, {"V": "COMMUNITY"}, None),
        ({"id": "P", "kind": "POINT", "areaCode": "C"}, {"C": "COUNTY"}, "station-in-township"),
        ({"id": "P", "kind": "POINT", "areaCode": "X"}, {}, "station-in-township"),
        (
            {"id": "S", "kind": "STATION", "areaCode": "T", "monthlyActivityDay": 30},
            {"T": "TOWNSHIP"},
            "station-in-township",
        ),
    ],
    ids=["station-township", "station-village", "point-community", "point-county", "no-area",
         "day-30"],
)  # fmt: skip
def test_station_lies_where_its_kind_may(
    row: dict[str, object], kinds: dict[str, str], rule: str | None
) -> None:
    assert [v.rule for v in station_violations([row], kinds)] == ([rule] if rule else [])


def test_day_and_attendance_rules_name_themselves() -> None:
    with pytest.raises(RuleViolation, match="activity-day-ahead"):
        check_activity_day_ahead(D(2024, 6, 3), D(2024, 6, 3), "ST-A")
    check_activity_day_ahead(D(2024, 6, 4), D(2024, 6, 3), "ST-A")
    with pytest.raises(RuleViolation, match="attendance-after-the-day"):
        check_attendance_day(D(2024, 6, 4), D(2024, 6, 3), "AD-1")
    check_attendance_day(D(2024, 6, 3), D(2024, 6, 3), "AD-1")
    with pytest.raises(RuleViolation, match="station-issue-in-area"):
        check_station_issue_area("321302101201", "321302100000", "ST-A")
    check_station_issue_area("321302100201", "321302100000", "ST-A")


@pytest.mark.parametrize(
    ("code", "township"),
    [("321302100201", "321302100000"), ("321302100000", "321302100000"), ("321302000000", None)],
    ids=["village", "township", "county"],
)
def test_township_code(code: str, township: str | None) -> None:
    assert township_code(code) == township


def test_every_seeded_supervision_theme_has_its_words() -> None:
    assert set(SEEDED_THEMES) == set(SUPERVISION_THEMES)
    assert all(words[0] == theme for theme, words in SUPERVISION_THEMES.items())
    assert resolve_theme(" 非遗 ") == "非物质文化遗产"
    with pytest.raises(BadInput, match="unknown supervision theme"):
        resolve_theme("航天")
