"""The working-day clock across real holidays and make-up working days (调休)."""

from __future__ import annotations

import datetime as dt

import pytest

from graphcoord.errors import BadInput
from graphcoord.workdays import (
    UnknownCalendarYear,
    add_workdays,
    is_workday,
    known_years,
    workdays_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 9, 27), False),  # an ordinary Saturday
        (D(2025, 9, 28), True),  # Sunday made a working day before National Day
        (D(2025, 10, 1), False),  # National Day
        (D(2025, 10, 6), False),  # Mid-Autumn inside the National Day break
        (D(2025, 10, 8), False),  # a Wednesday of the break
        (D(2025, 10, 11), True),  # make-up Saturday after the break
        (D(2026, 2, 14), True),  # make-up Saturday before the Spring Festival
        (D(2026, 2, 16), False),  # a Monday of the Spring Festival
        (D(2026, 2, 23), False),  # the break's last day, a Monday
        (D(2026, 2, 28), True),  # make-up Saturday after it
        (D(2026, 3, 2), True),  # an ordinary Monday
    ],
    ids=str,
)
def test_is_workday(day: dt.date, working: bool) -> None:
    assert is_workday(day) is working


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Friday + 1: the make-up Sunday
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # the day before National Day: after the break
        (D(2025, 9, 30), 2, D(2025, 10, 10)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # the make-up Saturday counts
        (D(2025, 9, 30), 4, D(2025, 10, 13)),
        (D(2025, 10, 3), 1, D(2025, 10, 9)),  # received during the break
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # make-up Saturday before the Spring Festival
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # then nine days off
        (D(2026, 2, 12), 15, D(2026, 3, 11)),  # a 12345 ticket's 15 days over the break
        (D(2026, 3, 2), 0, D(2026, 3, 2)),
    ],
    ids=lambda value: str(value),
)
def test_add_workdays(received: dt.date, days: int, due: dt.date) -> None:
    assert add_workdays(received, days) == due


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2025, 9, 30), D(2025, 10, 11), 3),
        (D(2025, 10, 11), D(2025, 9, 30), -3),
        (D(2026, 2, 13), D(2026, 2, 24), 2),
        (D(2026, 3, 2), D(2026, 3, 2), 0),
    ],
    ids=["national day", "backwards", "spring festival", "same day"],
)
def test_workdays_between(start: dt.date, end: dt.date, count: int) -> None:
    assert workdays_between(start, end) == count
    if count >= 0:
        assert add_workdays(start, count) == end or not is_workday(end)


def test_an_unknown_year_is_a_clear_error_not_a_guess() -> None:
    after = known_years()[-1] + 1
    with pytest.raises(UnknownCalendarYear, match=f"calendar of {after} is not known"):
        is_workday(D(after, 1, 5))
    with pytest.raises(UnknownCalendarYear):
        add_workdays(D(known_years()[-1], 12, 30), 10)
    assert issubclass(UnknownCalendarYear, BadInput)


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(BadInput, match="negative"):
        add_workdays(D(2026, 3, 2), -1)
