"""Clocks, colours and policies as pure functions of dates, across China's 2025 National Day and
2026 Spring Festival breaks (make-up Saturdays and Sundays included), and the CLI's calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graphcoord.config import Settings
from graphcoord.deadlines import (
    DEFAULT_POLICIES,
    Policy,
    Progress,
    finished_late,
    last_workday,
    start_clock,
    supervise,
    thresholds,
)
from graphcoord.errors import BadInput
from graphcoord.model import HandlingStage, SupervisionColour, WorkKind
from graphcoord.services.policies import default_toml, load_policies, parse_policies
from graphcoord.workdays import UnknownCalendarYear
from tests.conftest import run_cli

D = dt.date
ISSUE = DEFAULT_POLICIES[WorkKind.ISSUE]
RED, YELLOW, GREEN = SupervisionColour.RED, SupervisionColour.YELLOW, SupervisionColour.GREEN


@pytest.mark.parametrize(
    ("received", "claim", "reply", "finish"),
    [
        # Friday before National Day: the make-up Sunday 9-28 is a working day.
        (D(2025, 9, 26), D(2025, 9, 28), D(2025, 10, 10), D(2025, 10, 23)),
        # The day before the break: eight days off, then 10-09; the make-up Saturday 10-11 counts.
        (D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 14), D(2025, 10, 28)),
        # Received during the break.
        (D(2025, 10, 3), D(2025, 10, 9), D(2025, 10, 14), D(2025, 10, 28)),
        # The make-up Saturday 2026-02-14 before the Spring Festival, then nine days off.
        (D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 27), D(2026, 3, 12)),
        (D(2026, 2, 14), D(2026, 2, 24), D(2026, 2, 28), D(2026, 3, 13)),
    ],
    ids=["before-national-day", "eve-of-break", "inside-break", "make-up-saturday", "spring"],
)
def test_clock_of_the_default_policy_across_breaks(
    received: dt.date, claim: dt.date, reply: dt.date, finish: dt.date
) -> None:
    clock = start_clock(ISSUE, received)
    assert (clock.claim_due, clock.reply_due, clock.finish_due) == (claim, reply, finish)
    assert ISSUE.key == "ISSUE:1/5/15"


def test_a_clock_into_an_unknown_year_is_refused() -> None:
    with pytest.raises(UnknownCalendarYear, match="2027"):
        start_clock(ISSUE, D(2026, 12, 31))


@pytest.mark.parametrize(
    ("limits", "message"),
    [((1, 5, 300), "0-250"), ((6, 5, 15), "claim"), ((-1, 5, 15), "0-250")],
    ids=["too-long", "claim-after-reply", "negative"],
)
def test_impossible_policies_are_refused(limits: tuple[int, int, int], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        Policy("ISSUE", *limits)


def test_last_workday_and_thresholds() -> None:
    assert last_workday(D(2025, 10, 5)) == D(2025, 9, 30)  # a Sunday of the break
    assert last_workday(D(2025, 9, 28)) == D(2025, 9, 28)  # the make-up Sunday works
    # Saturday 2025-09-27: red before Friday 9-26; yellow up to the 2nd working day after
    # (9-28 make-up Sunday, 9-29 Monday).
    limits = thresholds(D(2025, 9, 27))
    assert (limits.red_before, limits.yellow_until) == (D(2025, 9, 26), D(2025, 9, 29))
    with pytest.raises(BadInput):
        thresholds(D(2025, 9, 27), -1)


#: (as of, colour, stage, due, overdue working days) of an issue received on Friday
#: 2025-09-26, claimed on 9-28, replied on 10-09 and not finished.
COLOURS_OVER_TIME = [
    (D(2025, 9, 26), YELLOW, "CLAIM", D(2025, 9, 28), 0),
    (D(2025, 9, 28), GREEN, "REPLY", D(2025, 10, 10), 0),  # claimed: the reply is 5 days off
    (D(2025, 9, 29), GREEN, "REPLY", D(2025, 10, 10), 0),
    (D(2025, 9, 30), YELLOW, "REPLY", D(2025, 10, 10), 0),  # 10-09 and 10-10 are next
    (D(2025, 10, 5), YELLOW, "REPLY", D(2025, 10, 10), 0),  # after the break: 2 working days
    (D(2025, 10, 9), GREEN, "FINISH", D(2025, 10, 23), 0),  # replied
    (D(2025, 10, 21), YELLOW, "FINISH", D(2025, 10, 23), 0),
    (D(2025, 10, 23), YELLOW, "FINISH", D(2025, 10, 23), 0),  # due today
    (D(2025, 10, 24), RED, "FINISH", D(2025, 10, 23), 1),
    (D(2025, 10, 26), RED, "FINISH", D(2025, 10, 23), 1),  # a Sunday adds nothing
    (D(2025, 10, 31), RED, "FINISH", D(2025, 10, 23), 6),
]


@pytest.mark.parametrize(
    ("as_of", "colour", "stage", "due", "overdue"),
    COLOURS_OVER_TIME,
    ids=[str(row[0]) for row in COLOURS_OVER_TIME],
)
def test_colours_over_time(
    as_of: dt.date, colour: SupervisionColour, stage: str, due: dt.date, overdue: int
) -> None:
    clock = start_clock(ISSUE, D(2025, 9, 26))
    progress = Progress(
        claimed_on=D(2025, 9, 28) if as_of >= D(2025, 9, 28) else None,
        replied_on=D(2025, 10, 9) if as_of >= D(2025, 10, 9) else None,
    )
    state = supervise(
        clock.claim_due, clock.reply_due, clock.finish_due, progress, thresholds(as_of)
    )
    assert (state.colour, state.stage.value, state.due_on, state.overdue_days) == (
        colour,
        stage,
        due,
        overdue,
    )


def test_a_finished_issue_is_green_on_time_and_red_when_late() -> None:
    clock = start_clock(ISSUE, D(2025, 9, 26))
    limits = thresholds(D(2026, 1, 5))
    on_time = Progress(D(2025, 9, 28), D(2025, 10, 9), D(2025, 10, 23))
    late = Progress(D(2025, 9, 28), D(2025, 10, 9), D(2025, 10, 28))
    done = supervise(clock.claim_due, clock.reply_due, clock.finish_due, on_time, limits)
    assert (done.colour, done.stage, done.overdue_days) == (GREEN, HandlingStage.DONE, 0)
    assert supervise(clock.claim_due, clock.reply_due, clock.finish_due, late, limits) == (
        done.__class__(RED, HandlingStage.DONE, D(2025, 10, 23), 3)
    )
    assert finished_late(D(2025, 10, 23), D(2025, 10, 26)) == 1  # Friday due, Sunday: 1 (10-24)


def test_policy_file_overrides_and_errors(tmp_path: Path) -> None:
    assert load_policies(tmp_path).source == "defaults"
    (tmp_path / "handling.toml").write_text(
        "yellow_within = 3\n[REHANDLING]\nfinish_within = 10\n", encoding="utf-8"
    )
    found = load_policies(tmp_path)
    assert found.yellow_within == 3
    assert found.for_kind(WorkKind.REHANDLING).key == "REHANDLING:1/5/10"
    assert found.for_kind(WorkKind.ISSUE) == ISSUE
    assert parse_policies(default_toml(), "defaults").policies == DEFAULT_POLICIES


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ISSUE\n", "not valid TOML"),
        ("[STATIONS]\nfinish_within = 3\n", "unknown kind of work"),
        ("[ISSUE]\nfinish_in = 3\n", "unknown keys finish_in"),
        ("[ISSUE]\nfinish_within = 'soon'\n", "whole number"),
        ("[ISSUE]\nclaim_within = 9\n", "claim"),
        ("yellow_within = -2\n", "yellow_within"),
    ],
    ids=["syntax", "kind", "key", "type", "order", "yellow"],
)
def test_bad_policy_files_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as error:
        parse_policies(text, "/state/handling.toml")
    assert "/state/handling.toml" in str(error.value)


@pytest.mark.parametrize(
    ("args", "code", "out"),
    [
        (("2025-09-30", "1"), 0, "2025-10-09"),
        (("2025-09-30", "3"), 0, "2025-10-11"),
        (("2026-02-13", "1"), 0, "2026-02-14"),
        (("2026-02-12", "15"), 0, "2026-03-11"),
        (("2030-01-02", "1"), 2, "calendar of 2030 is not known"),
        (("2025-13-01", "1"), 2, "not a date"),
        (("--", "2025-09-30", "-1"), 2, "negative"),
    ],
    ids=["break", "make-up-saturday", "spring", "fifteen", "unknown-year", "bad-date", "neg"],
)
def test_cli_add_workdays(settings: Settings, args: tuple[str, ...], code: int, out: str) -> None:
    result = run_cli(settings, "calendar", "add-workdays", *args)
    assert result.returncode == code, result.stderr
    assert out in (result.stdout if code == 0 else result.stderr)
    if code == 0:
        assert result.stdout.strip() == out
