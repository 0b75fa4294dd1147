"""Working days (工作日) in mainland China: weekends, public holidays and make-up working days.

Deadlines of the practice count working days: a 12345 ticket is signed for within 1 working
day and finished within 15, a reply is due within 5. Which days are working days changes every
year with the State Council's holiday notice (放假安排): a holiday may run over a weekday, and
a Saturday or Sunday may become a make-up working day (调休). The ``chinesecalendar`` package
keeps those notices year by year; this module is the one place that reads it.

Convention: a limit of N working days ends on the Nth working day *after* the day of receipt
(received on a Friday with a 1-day limit: due on Monday, or on the make-up Saturday if that
Saturday is a working day). A day of a year the package does not know yet is refused with
:class:`UnknownCalendarYear` rather than guessed.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from graphcoord.errors import BadInput

__all__ = [
    "UnknownCalendarYear",
    "add_workdays",
    "is_workday",
    "known_years",
    "workdays_between",
]


class UnknownCalendarYear(BadInput):
    """The holiday calendar of a year is not known yet (a newer ``chinesecalendar`` knows it)."""

    def __init__(self, day: dt.date) -> None:
        first, last = known_years()[0], known_years()[-1]
        super().__init__(
            f"the working-day calendar of {day.year} is not known (known: {first}-{last}); "
            "upgrade the chinesecalendar package once the State Council has published it"
        )
        self.year = day.year


def known_years() -> range:
    """The years whose holidays and make-up working days are known."""
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day (a make-up Saturday is; a holiday Monday is not)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise UnknownCalendarYear(day) from None


def add_workdays(received: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``received`` (``days`` ≥ 0; 0 gives ``received``)."""
    if days < 0:
        raise BadInput(f"a limit of {days} working days is negative")
    day = received
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` comes
    first (then the working days after ``end`` up to and including ``start``)."""
    if end < start:
        return -workdays_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count
