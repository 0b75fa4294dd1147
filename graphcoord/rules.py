"""The rules of the graph model, as pure checks over rows.

Each check returns :class:`Violation` objects (which row, which rule, which ids, why) instead of
raising, so the importer can report every bad row and the write path can refuse a batch with
one :class:`~graphcoord.errors.RuleViolation` naming them all. Lookups of nodes that are not in
the batch (a deputy's level, an area's kind) are passed in as mappings by the caller.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphcoord.errors import BadInput, RuleViolation
from graphcoord.i18n import N_, Lazy, Term, fill, gettext
from graphcoord.model import (
    ACTIVITY_DAY_LIMITS,
    ACTIVITY_WEEK_OF_DECEMBER,
    AREA_KIND_BY_CODE_LENGTH,
    CATEGORIES,
    CATEGORY_FLAG_CONFIDENCE,
    DIRECTLY_ELECTED,
    JOINT_MOTION_SPONSORS,
    PROPOSAL_STATUS_NAMES,
    SUBMISSION_LIMITS,
    TRANSITIONS,
    VILLAGE_KINDS,
    AreaKind,
    HandlerRole,
    IssueStatus,
    Level,
    ProposalKind,
    StationKind,
    basis_for_level,
    congress_area,
    is_area_code,
    significant_length,
)
from graphcoord.workdays import is_workday

__all__ = [
    "ACTIVITY_AHEAD_RULE",
    "ATTENDANCE_RULE",
    "CATEGORY_RULE",
    "CLAIM_RULE",
    "COMMENT_LIMIT",
    "CONTRIBUTOR_RULE",
    "COSPONSOR_RULE",
    "DUTY_ACTIVE_RULE",
    "DUTY_AREA_RULE",
    "DUTY_ONE_PLACE_RULE",
    "ESCALATION_RULE",
    "HANDLING_RULE",
    "HANDLING_TEXT_LIMIT",
    "LETTER_RULE",
    "MERGE_RULE",
    "MOTION_RULE",
    "ONE_DAY_RULE",
    "PAST_DAY_RULE",
    "PROPOSAL_HANDLING_RULE",
    "PROPOSAL_RATING_RULE",
    "PROPOSAL_STATUS_RULE",
    "RATING_RULE",
    "REVIEW_RULE",
    "STATION_AREA_RULE",
    "STATION_ISSUE_RULE",
    "STATUS_RULE",
    "DeputyFacts",
    "DutyFacts",
    "SponsorFacts",
    "Violation",
    "activity_day_problems",
    "activity_day_violations",
    "activity_week",
    "area_violations",
    "best_placed_level",
    "category_flagged",
    "check_activity_day_ahead",
    "check_attendance_day",
    "check_claim",
    "check_contributor",
    "check_cosponsor",
    "check_escalation",
    "check_handlers",
    "check_letter",
    "check_merge",
    "check_motion_sponsors",
    "check_proposal_status",
    "check_rating",
    "check_reply",
    "check_reply_unit",
    "check_station_issue_area",
    "check_transition",
    "check_unfinished",
    "contact_violations",
    "convener_violations",
    "cosponsor_violations",
    "duty_violations",
    "is_within",
    "level_violations",
    "liaison_violations",
    "monthly_activity_day",
    "months_before",
    "raise_for",
    "require_area_code",
    "required_sponsors",
    "station_violations",
    "submission_problems",
    "text_problem",
]

STATUS_RULE = "issue-status-machine"
CATEGORY_RULE = "category-suggestion"
MERGE_RULE = "issue-merge"
ESCALATION_RULE = "issue-escalation"


@dataclass(frozen=True)
class Violation:
    """One broken rule: the row index in its batch, the rule's name, the ids, a reason.

    ``reason`` is English; ``message`` keeps its template and values, so that the importer
    reports it in the clerk's language (:meth:`localized`).
    """

    index: int
    rule: str
    ids: tuple[str, ...]
    reason: str
    column: str | None = None
    message: Lazy | None = None

    def localized(self, locale: str | None = None) -> str:
        if self.message is None:
            return self.reason
        return fill(self.message.template, self.message.params, locale)


def _violation(
    index: int,
    rule: str,
    ids: tuple[str, ...],
    template: str,
    column: str | None = None,
    /,
    **params: object,
) -> Violation:
    message = Lazy(template, **params)
    return Violation(index, rule, ids, str(message), column, message)


@dataclass(frozen=True)
class DeputyFacts:
    """What the rules need to know of a deputy."""

    level: str
    elected_in: str | None


def is_within(area_code: str, container_code: str) -> bool:
    """Whether ``area_code`` lies inside (or is) ``container_code``, by division code prefix.

    The hierarchy follows the statistical division codes, so containment is a prefix test.
    """
    prefix = container_code[: significant_length(container_code)]
    return area_code.startswith(prefix)


def raise_for(violations: Sequence[Violation]) -> None:
    """Raise one :class:`RuleViolation` for the first broken rule, naming every offender."""
    if not violations:
        return
    rule = violations[0].rule
    same = [v for v in violations if v.rule == rule]
    ids = [i for v in same for i in v.ids]
    others = len(violations) - len(same)
    first = same[0].message or Lazy(same[0].reason)
    if others:
        raise RuleViolation(
            rule,
            "{reason} ({rows} row(s)); and {others} violation(s) of other rules",
            dict.fromkeys(ids),
            reason=first,
            rows=len(same),
            others=others,
        )
    raise RuleViolation(
        rule, "{reason} ({rows} row(s))", dict.fromkeys(ids), reason=first, rows=len(same)
    )


def level_violations(rows: Iterable[Mapping[str, Any]], key: str = "level") -> list[Violation]:
    """A level is one of the five."""
    allowed = {level.value for level in Level}
    return [
        _violation(
            i,
            "level-is-one-of-five",
            (str(row.get("id", i)),),
            "level {level!r} is not one of {allowed}",
            key,
            level=row.get(key),
            allowed=", ".join(sorted(allowed)),
        )
        for i, row in enumerate(rows)
        if row.get(key) not in allowed
    ]


def area_violations(
    rows: Sequence[Mapping[str, Any]], known_kinds: Mapping[str, str]
) -> list[Violation]:
    """Area codes are 12-digit division codes; a village or community has a parent township.

    ``known_kinds`` maps codes already in the database to their kind; codes in ``rows``
    count too.
    """
    kinds = {**known_kinds, **{row["code"]: row.get("kind") for row in rows}}
    violations: list[Violation] = []
    for i, row in enumerate(rows):
        code = str(row.get("code", ""))
        if not is_area_code(code):
            violations.append(
                _violation(
                    i,
                    "area-code-is-12-digits",
                    (code,),
                    "area code {code!r} is not 12 digits",
                    "code",
                    code=code,
                )
            )
            continue
        kind = row.get("kind")
        expected = AREA_KIND_BY_CODE_LENGTH[significant_length(code)]
        compatible = kind == expected.value or (
            expected is AreaKind.VILLAGE and kind in VILLAGE_KINDS
        )
        if not compatible:
            violations.append(
                _violation(
                    i,
                    "area-kind-follows-code",
                    (code,),
                    "area {code} has kind {kind} but its code is that of a {expected}",
                    "kind",
                    code=code,
                    kind=Term(str(kind)),
                    expected=Term(expected.value),
                )
            )
            continue
        if kind in VILLAGE_KINDS:
            parent = row.get("parentCode")
            if not parent or kinds.get(parent) != AreaKind.TOWNSHIP.value:
                violations.append(
                    _violation(
                        i,
                        "village-has-parent-township",
                        (code,),
                        "village/community {code} has no parent township (parent {parent})",
                        "parentCode",
                        code=code,
                        parent=parent or Term("missing"),
                    )
                )
    return violations


def contact_violations(
    rows: Sequence[Mapping[str, Any]],
    deputies: Mapping[str, DeputyFacts],
    area_kinds: Mapping[str, str],
) -> list[Violation]:
    """Contacts go to villages; the basis follows the level; county and township deputies
    contact only villages inside the area they were elected in."""
    violations: list[Violation] = []
    for i, row in enumerate(rows):
        deputy_id, code = str(row.get("deputyId")), str(row.get("areaCode"))
        ids = (deputy_id, code)
        facts = deputies.get(deputy_id)
        if facts is None:
            violations.append(
                _violation(
                    i,
                    "contact-references-deputy",
                    ids,
                    "deputy {deputy} does not exist",
                    "deputyId",
                    deputy=deputy_id,
                )
            )
            continue
        kind = area_kinds.get(code)
        if kind is None:
            violations.append(
                _violation(
                    i,
                    "contact-references-area",
                    ids,
                    "area {code} does not exist",
                    "areaCode",
                    code=code,
                )
            )
            continue
        if kind not in VILLAGE_KINDS:
            violations.append(
                _violation(
                    i,
                    "contact-is-a-village",
                    ids,
                    "area {code} is a {kind}, not a village or community",
                    "areaCode",
                    code=code,
                    kind=Term(kind),
                )
            )
            continue
        expected = basis_for_level(facts.level).value
        if row.get("basis") != expected:
            violations.append(
                _violation(
                    i,
                    "contact-basis-follows-level",
                    ids,
                    "a {level} deputy's contact has basis {expected}, not {basis}",
                    "basis",
                    level=Term(facts.level),
                    expected=Term(expected),
                    basis=Term(str(row.get("basis"))),
                )
            )
            continue
        if facts.level in DIRECTLY_ELECTED and (
            facts.elected_in is None or not is_within(code, facts.elected_in)
        ):
            violations.append(
                _violation(
                    i,
                    "contact-inside-constituency",
                    ids,
                    "{level} deputy {deputy} elected in {elected} may only contact villages "
                    "inside it, not {code}",
                    "areaCode",
                    level=Term(facts.level),
                    deputy=deputy_id,
                    elected=facts.elected_in,
                    code=code,
                )
            )
    return violations


def liaison_violations(
    rows: Sequence[Mapping[str, Any]], levels: Mapping[str, str]
) -> list[Violation]:
    """A LIAISON_FOR edge goes from a higher level to a lower one."""
    violations: list[Violation] = []
    for i, row in enumerate(rows):
        upper, lower = str(row.get("fromId")), str(row.get("toId"))
        missing = [d for d in (upper, lower) if d not in levels]
        if missing:
            violations.append(
                _violation(
                    i,
                    "liaison-references-deputy",
                    tuple(missing),
                    "deputy {deputy} does not exist",
                    "fromId",
                    deputy=missing[0],
                )
            )
            continue
        if Level(levels[upper]).rank >= Level(levels[lower]).rank:
            violations.append(
                _violation(
                    i,
                    "liaison-goes-downward",
                    (upper, lower),
                    "{upper_level} deputy {upper} cannot liaise for {lower_level} deputy "
                    "{lower}: liaison goes from a higher level to a lower one",
                    "toId",
                    upper_level=Term(levels[upper]),
                    upper=upper,
                    lower_level=Term(levels[lower]),
                    lower=lower,
                )
            )
    return violations


def convener_violations(
    rows: Sequence[Mapping[str, Any]], existing_conveners: Mapping[str, Iterable[str]]
) -> list[Violation]:
    """A group has exactly one convener, who is a member.

    ``existing_conveners`` maps each group touched by ``rows`` to the conveners it has in the
    database; a row for the same deputy replaces that deputy's stored role.
    """
    final: dict[str, dict[str, str]] = defaultdict(dict)
    for group, conveners in existing_conveners.items():
        for deputy in conveners:
            final[group][deputy] = "CONVENER"
    first_row: dict[str, int] = {}
    for i, row in enumerate(rows):
        group = str(row.get("groupId"))
        final[group][str(row.get("deputyId"))] = str(row.get("role", "MEMBER"))
        first_row.setdefault(group, i)
    violations: list[Violation] = []
    for group, roles in final.items():
        count = Counter(roles.values())["CONVENER"]
        if count != 1 and group in first_row:
            conveners = tuple(d for d, r in roles.items() if r == "CONVENER")
            violations.append(
                _violation(
                    first_row[group],
                    "group-has-one-convener",
                    (group, *conveners),
                    "group {group} would have {count} conveners; it needs exactly one",
                    "role",
                    group=group,
                    count=count,
                )
            )
    return violations


def require_area_code(code: str) -> str:
    """``code`` itself, or :class:`BadInput` unless it is a 12-digit division code (checked
    before a code reaches Cypher)."""
    if not is_area_code(code):
        raise BadInput("area code {code!r} is not a 12-digit statistical division code", code=code)
    return code


def check_transition(current: IssueStatus, to: IssueStatus, issue_id: str) -> None:
    """Rule ``issue-status-machine``: ``current -> to`` must be one of :data:`TRANSITIONS`."""
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (final)"
        raise RuleViolation(
            STATUS_RULE,
            "{current} -> {to} is not allowed; from {current}: {allowed}",
            [issue_id],
            current=current.value,
            to=to.value,
            allowed=allowed,
        )


def check_escalation(
    target_id: str,
    target_level: str,
    target_status: str | None,
    *,
    escalating_deputy: str | None,
    escalating_level: str | None,
) -> None:
    """Rule ``issue-escalation``: an issue escalates to an ACTIVE deputy of a higher level
    than the escalating deputy (organizers may escalate to any active deputy), never to the
    escalating deputy themself."""
    if target_status != "ACTIVE":
        raise RuleViolation(ESCALATION_RULE, "the target deputy is not active", [target_id])
    if target_id == escalating_deputy:
        raise RuleViolation(ESCALATION_RULE, "a deputy cannot escalate to themself", [target_id])
    if escalating_level is not None and Level(target_level).rank >= Level(escalating_level).rank:
        raise RuleViolation(
            ESCALATION_RULE,
            "escalation goes to a higher level than {escalating}, not to {target}",
            [target_id],
            escalating=Term(escalating_level),
            target=Term(target_level),
        )


#: The fields of the public form as a citizen reads them (translated when a message is shown).
_FIELD_LABELS = {"title": N_("the title"), "body": N_("the details"), "contact": N_("the contact")}


def submission_problems(
    village_code: str, title: str, body: str, category: str, contact: str | None
) -> dict[str, str]:
    """What is wrong with a citizen's submission: field -> a clear message in the reader's
    language (Chinese by default; empty when it can be accepted). The texts are expected
    trimmed."""
    problems: dict[str, str] = {}
    if not is_area_code(village_code):
        problems["village"] = gettext("The village (community) code should be 12 digits.")
    values = {"title": title, "body": body, "contact": contact or ""}
    for name, (low, high) in SUBMISSION_LIMITS.items():
        value, field = values[name], Term(_FIELD_LABELS[name])
        if name != "contact" and not value:
            problems[name] = fill("Please fill in {field}.", {"field": field})
        elif len(value) < low:
            problems[name] = fill(
                "{field} needs at least {low} characters.", {"field": field, "low": low}
            )
        elif len(value) > high:
            problems[name] = fill(
                "{field} may have at most {high} characters (it has {length}).",
                {"field": field, "high": high, "length": len(value)},
            )
    if category not in CATEGORIES:
        problems["category"] = gettext("Please choose a category of issue.")
    return problems


def category_flagged(chosen: str | None, suggested: str | None, confidence: float | None) -> bool:
    """Rule ``category-suggestion``: an issue is flagged for an organizer when the suggested
    category differs from the citizen's choice with at least
    :data:`~graphcoord.model.CATEGORY_FLAG_CONFIDENCE` probability."""
    if suggested is None or confidence is None:
        return False
    return suggested != chosen and confidence >= CATEGORY_FLAG_CONFIDENCE


def check_merge(
    duplicate_id: str,
    original_id: str,
    *,
    duplicate_merged_into: str | None,
    original_merged_into: str | None,
    has_duplicates: bool,
) -> None:
    """Rule ``issue-merge``: a duplicate goes into an original that is itself no duplicate;
    an issue is merged once, never into itself, and not while others are merged into it."""
    if duplicate_id == original_id:
        raise RuleViolation(MERGE_RULE, "an issue cannot be merged into itself", [duplicate_id])
    if duplicate_merged_into is not None:
        raise RuleViolation(
            MERGE_RULE,
            "issue {issue} is already merged into {into}",
            [duplicate_id],
            issue=duplicate_id,
            into=duplicate_merged_into,
        )
    if original_merged_into is not None:
        raise RuleViolation(
            MERGE_RULE,
            "issue {issue} is itself merged into {into}; merge into that one",
            [original_id],
            issue=original_id,
            into=original_merged_into,
        )
    if has_duplicates:
        raise RuleViolation(
            MERGE_RULE,
            "other issues are merged into {issue}; merge the original the other way round",
            [duplicate_id],
            issue=duplicate_id,
        )


def best_placed_level(village_codes: Iterable[str]) -> Level:
    """The lowest level whose congress's area holds every village: TOWNSHIP when they share a
    township, COUNTY a county, CITY a city, PROVINCIAL a province, else NATIONAL.

    The division codes say it: villages in one township share their first 9 digits, in one
    county 6, in one city 4, in one province 2.
    """
    codes = sorted(set(village_codes))
    if not codes:
        raise BadInput("a level is placed over at least one village")
    first, last = codes[0], codes[-1]
    shared = 0
    while shared < 12 and first[shared] == last[shared]:
        shared += 1
    for digits, level in ((9, Level.TOWNSHIP), (6, Level.COUNTY), (4, Level.CITY)):
        if shared >= digits:
            return level
    return Level.PROVINCIAL if shared >= 2 else Level.NATIONAL


# -- liaison stations and their activity days ------------------------------------------------

STATION_AREA_RULE = "station-in-township"
ACTIVITY_AHEAD_RULE = "activity-day-ahead"
ONE_DAY_RULE = "one-activity-day-per-station-date"
PAST_DAY_RULE = "activity-day-past-is-kept"
DUTY_ACTIVE_RULE = "duty-deputy-active"
DUTY_AREA_RULE = "duty-deputy-in-area"
DUTY_ONE_PLACE_RULE = "duty-one-place-a-day"
ATTENDANCE_RULE = "attendance-after-the-day"
STATION_ISSUE_RULE = "station-issue-in-area"


_STATION_PLACE = N_("a station lies in a township; {code} is {kind}")
_POINT_PLACE = N_(
    "a point lies in a township or in one of its villages or communities; {code} is {kind}"
)


def station_violations(
    rows: Sequence[Mapping[str, Any]], area_kinds: Mapping[str, str]
) -> list[Violation]:
    """Rule ``station-in-township``: a STATION lies in a township (it serves the township); a
    POINT in a township or in one of its villages or communities. A station's monthly activity
    day, when given, is a day every month has (1-28).

    ``area_kinds`` maps the area codes of ``rows`` that exist to their kind.
    """
    violations: list[Violation] = []
    for i, row in enumerate(rows):
        station, code = str(row.get("id")), str(row.get("areaCode"))
        kind = area_kinds.get(code)
        allowed: tuple[str, ...] = (AreaKind.TOWNSHIP.value,)
        if row.get("kind") == StationKind.POINT.value:
            allowed += VILLAGE_KINDS
        if kind not in allowed:
            violations.append(
                _violation(
                    i,
                    STATION_AREA_RULE,
                    (station, code),
                    _POINT_PLACE if row.get("kind") == StationKind.POINT.value else _STATION_PLACE,
                    "areaCode",
                    code=code,
                    kind=Term(str(kind)) if kind else Term("not an area"),
                )
            )
            continue
        day = row.get("monthlyActivityDay")
        if day is not None and not (isinstance(day, int) and 1 <= day <= 28):
            violations.append(
                _violation(
                    i,
                    STATION_AREA_RULE,
                    (station,),
                    "the monthly activity day {day!r} is not a day every month has (1-28)",
                    "monthlyActivityDay",
                    day=day,
                )
            )
    return violations


def activity_day_problems(topic: str, notice: str | None) -> list[Lazy]:
    """What is wrong with an activity day's texts (empty when they can be kept); expected
    trimmed."""
    problems = []
    for name, value in (("topic", topic), ("notice", notice or "")):
        low, high = ACTIVITY_DAY_LIMITS[name]
        if not low <= len(value) <= high:
            problems.append(
                Lazy(
                    "{name} must have {low} to {high} characters, not {length}",
                    name=Term(name),
                    low=low,
                    high=high,
                    length=len(value),
                )
            )
    return problems


def activity_day_violations(
    rows: Sequence[Mapping[str, Any]], stored: Mapping[str, str]
) -> list[Violation]:
    """Rule ``one-activity-day-per-station-date`` over rows of activity days (rows without a
    ``stationId`` are not days and pass): two rows for the same station and date, or a row for a
    station and date that ``stored`` (``<station id>|<date>`` -> the id of the day held then)
    gives to another day."""
    taken = dict(stored)
    violations: list[Violation] = []
    for i, row in enumerate(rows):
        if row.get("stationId") is None:
            continue
        key = f"{row['stationId']}|{row.get('date')}"
        holder = taken.setdefault(key, str(row.get("id")))
        if holder != str(row.get("id")):
            violations.append(
                _violation(
                    i,
                    ONE_DAY_RULE,
                    (str(row.get("id")), holder),
                    "station {station} already holds activity day {holder} on {day}",
                    "date",
                    station=row["stationId"],
                    holder=holder,
                    day=row.get("date"),
                )
            )
    return violations


def check_activity_day_ahead(day: dt.date, today: dt.date, station_id: str) -> None:
    """Rule ``activity-day-ahead``: an activity day is scheduled (and its notice published)
    ahead of the day, so it comes after ``today``."""
    if day <= today:
        raise RuleViolation(
            ACTIVITY_AHEAD_RULE,
            "an activity day is scheduled ahead, with its notice: {day} is not after today "
            "({today})",
            [station_id],
            day=day,
            today=today,
        )


@dataclass(frozen=True)
class DutyFacts:
    """What the duty-roster rules need to know of a deputy for one station and day.

    ``receives_here``: received at a station or point of the station's township;
    ``contacts_here``: contacts a village of it; ``elected_here``: elected in it (or in one of
    its villages); ``elsewhere``: the stations where the deputy is on duty that day already.
    """

    deputy_id: str
    status: str | None
    receives_here: bool
    contacts_here: bool
    elected_here: bool
    elsewhere: tuple[str, ...] = ()

    @property
    def connected(self) -> bool:
        return self.receives_here or self.contacts_here or self.elected_here


def duty_violations(facts: Sequence[DutyFacts], township: str, day: dt.date) -> list[Violation]:
    """The duty roster (进站编组) of an activity day in ``township`` on ``day``.

    Rules: ``duty-deputy-active`` (deputies who left are not scheduled),
    ``duty-deputy-in-area`` (the deputy is connected to the station's township: received at a
    station or point of it, contacting one of its villages, or elected in it) and
    ``duty-one-place-a-day`` (not on duty at another station the same day).
    """
    violations: list[Violation] = []
    for i, fact in enumerate(facts):
        if fact.status != "ACTIVE":
            violations.append(
                _violation(
                    i,
                    DUTY_ACTIVE_RULE,
                    (fact.deputy_id,),
                    "only ACTIVE deputies go on duty; deputy {deputy} is {status}",
                    "deputyIds",
                    deputy=fact.deputy_id,
                    status=Term(str(fact.status)),
                )
            )
        elif not fact.connected:
            violations.append(
                _violation(
                    i,
                    DUTY_AREA_RULE,
                    (fact.deputy_id,),
                    "a deputy on duty is received at a station of township {township}, "
                    "contacts one of its villages or was elected in it; deputy {deputy} does "
                    "none of these",
                    "deputyIds",
                    township=township,
                    deputy=fact.deputy_id,
                )
            )
        elif fact.elsewhere:
            violations.append(
                _violation(
                    i,
                    DUTY_ONE_PLACE_RULE,
                    (fact.deputy_id, *fact.elsewhere),
                    "a deputy is on duty at one place a day; deputy {deputy} is on duty at "
                    "{stations} on {day}",
                    "deputyIds",
                    deputy=fact.deputy_id,
                    stations=", ".join(fact.elsewhere),
                    day=day,
                )
            )
    return violations


def check_attendance_day(day: dt.date, today: dt.date, activity_id: str) -> None:
    """Rule ``attendance-after-the-day``: who came is recorded on the day or after it."""
    if day > today:
        raise RuleViolation(
            ATTENDANCE_RULE,
            "attendance is recorded on the day or after it; the day is {day}, today is {today}",
            [activity_id],
            day=day,
            today=today,
        )


def check_station_issue_area(village_code: str, township: str | None, station_id: str) -> None:
    """Rule ``station-issue-in-area``: an opinion received at a station is raised in a village
    of the station's township."""
    if township is None or not is_within(village_code, township):
        raise RuleViolation(
            STATION_ISSUE_RULE,
            "station {station} receives opinions of the villages of township {township}, "
            "not of {village}",
            [station_id, village_code],
            station=station_id,
            township=township,
            village=village_code,
        )


def monthly_activity_day(year: int, month: int, day_of_month: int) -> dt.date:
    """The activity day of a month by the rule "day ``day_of_month``, moved to the next working
    day" (a day past the month's end is its last day); may raise
    :class:`~graphcoord.workdays.UnknownCalendarYear`.

    >>> monthly_activity_day(2024, 6, 15)  # a Saturday
    datetime.date(2024, 6, 17)
    >>> monthly_activity_day(2024, 10, 1)  # National Day week
    datetime.date(2024, 10, 8)
    """
    if not 1 <= month <= 12:
        raise BadInput("month {month} is not 1 to 12", month=month)
    if not 1 <= day_of_month <= 31:
        raise BadInput("day of month {day} is not 1 to 31", day=day_of_month)
    last = calendar.monthrange(year, month)[1]
    day = dt.date(year, month, min(day_of_month, last))
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if it has no such
    day).

    >>> months_before(dt.date(2024, 5, 31), 3)
    datetime.date(2024, 2, 29)
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# -- handling: claiming, replying, supervision letters, the citizen's verdict ----------------

#: A deputy claims (签收) only an unfinished issue of a village they cover, and an issue has
#: one claimant.
CLAIM_RULE = "issue-claim"
#: Handling (assigning, replying, following up) is for unfinished issues; a reply needs a
#: handler (a claiming deputy or an assigned department).
HANDLING_RULE = "issue-handling"
#: A supervision letter (督办函) is issued for an overdue (red) item only.
LETTER_RULE = "supervision-letter"
#: The citizen rates a finished issue, once per round of handling.
RATING_RULE = "issue-rating"
#: The longest texts of the handling workflow (a reply, a note, a letter, a comment).
HANDLING_TEXT_LIMIT = 2000
COMMENT_LIMIT = 500


def check_claim(
    issue_id: str,
    deputy_id: str,
    *,
    covers: bool,
    finished: bool,
    claimed_by: str | None,
) -> None:
    """Rule ``issue-claim``: an ACTIVE deputy who covers the issue's village claims an
    unfinished issue nobody else has claimed (claiming it again is allowed and changes
    nothing)."""
    if finished:
        raise RuleViolation(CLAIM_RULE, "the issue is finished already", [issue_id])
    if not covers:
        raise RuleViolation(
            CLAIM_RULE,
            "deputy {deputy} does not cover the village of the issue (only its contact "
            "deputies claim it)",
            [issue_id, deputy_id],
            deputy=deputy_id,
        )
    if claimed_by is not None and claimed_by != deputy_id:
        raise RuleViolation(
            CLAIM_RULE,
            "the issue is claimed by deputy {deputy} already",
            [issue_id],
            deputy=claimed_by,
        )


def check_unfinished(issue_id: str, finished: bool, action: str) -> None:
    """Rule ``issue-handling``: ``action`` needs an issue that is not finished yet."""
    if finished:
        raise RuleViolation(
            HANDLING_RULE,
            "{action} needs an unfinished issue; this one is finished",
            [issue_id],
            action=Term(action),
        )


def check_reply(issue_id: str, *, finished: bool, has_handler: bool) -> None:
    """Rule ``issue-handling``: a reply goes to an unfinished issue that a deputy has claimed
    or that was assigned to a department."""
    check_unfinished(issue_id, finished, N_("a reply"))
    if not has_handler:
        raise RuleViolation(
            HANDLING_RULE,
            "nobody handles the issue yet: a deputy claims it or an organizer assigns it to a "
            "department first",
            [issue_id],
        )


def check_letter(issue_id: str, colour: str | None) -> None:
    """Rule ``supervision-letter``: a letter (督办函) goes to an overdue (RED) item."""
    if colour != "RED":
        raise RuleViolation(
            LETTER_RULE,
            "a supervision letter is for red (overdue) items; this one is {colour}",
            [issue_id],
            colour=Term(colour or "without a deadline"),
        )


def check_rating(issue_id: str, *, finished: bool, rated: bool) -> None:
    """Rule ``issue-rating``: a finished issue is rated once per round of handling."""
    if not finished:
        raise RuleViolation(
            RATING_RULE, "the issue can be rated once it is finished (办结)", [issue_id]
        )
    if rated:
        raise RuleViolation(
            RATING_RULE, "the handling of this round has been rated already", [issue_id]
        )


def text_problem(text: str | None, what: str, limit: int, *, required: bool) -> Lazy | None:
    """What is wrong with a free text of the handling workflow (``None`` when fine)."""
    value = (text or "").strip()
    if required and not value:
        return Lazy("{what} is required", what=Term(what))
    if len(value) > limit:
        return Lazy(
            "{what} must be at most {limit} characters (got {length})",
            what=Term(what),
            limit=limit,
            length=len(value),
        )
    return None


# -- proposals (议案建议) ----------------------------------------------------------------------

#: A motion (议案) is jointly sponsored by enough deputies of its congress: 30 for the NPC,
#: 10 for a provincial, city or county congress, 5 for a township's (the lead counts).
MOTION_RULE = "motion-needs-cosponsors"
#: Co-sponsors sit in the same congress as the lead (same level, same congress area); a
#: deputy of another level (or congress) is linked as a contributor instead.
COSPONSOR_RULE = "cosponsor-same-level"
#: A contributor is an ACTIVE deputy who is not a sponsor of the proposal.
CONTRIBUTOR_RULE = "contributor-not-sponsor"
#: Each step of the workflow needs its status (co-signing a draft, replying to an assigned
#: proposal…).
PROPOSAL_STATUS_RULE = "proposal-status"
#: One lead unit (主办), assisting units (协办) other than it; the lead unit replies.
PROPOSAL_HANDLING_RULE = "proposal-handling"
#: The lead deputy rates a reply, once per round.
PROPOSAL_RATING_RULE = "proposal-rating"
#: A group reviews drafts of its members, on a day that has come.
REVIEW_RULE = "proposal-review"


@dataclass(frozen=True)
class SponsorFacts:
    """What the proposal rules need to know of a deputy."""

    deputy_id: str
    level: str | None
    elected_in: str | None
    status: str | None = "ACTIVE"

    @property
    def congress(self) -> str | None:
        """The congress the deputy sits in (see :func:`graphcoord.model.congress_area`)."""
        if self.level is None:
            return None
        return congress_area(self.level, self.elected_in)


def activity_week(year: int) -> tuple[dt.date, dt.date]:
    """Monday and Friday of the concentrated activity week (代表集中活动周): the third full
    week of December (a week, Monday to Sunday, that lies wholly in December).

    >>> activity_week(2024)
    (datetime.date(2024, 12, 16), datetime.date(2024, 12, 20))
    >>> activity_week(2025)  # 1 December 2025 is a Monday
    (datetime.date(2025, 12, 15), datetime.date(2025, 12, 19))
    """
    if not 1 <= year <= 9999:
        raise BadInput("year {year} is out of range", year=year)
    first = dt.date(year, 12, 1)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    start = monday + dt.timedelta(weeks=ACTIVITY_WEEK_OF_DECEMBER - 1)
    return start, start + dt.timedelta(days=4)


def required_sponsors(kind: str, level: str) -> int:
    """How many deputies (the lead included) must sponsor a proposal of ``kind`` at ``level``:
    :data:`~graphcoord.model.JOINT_MOTION_SPONSORS` for a motion, 1 for a suggestion."""
    return JOINT_MOTION_SPONSORS[level] if kind == ProposalKind.MOTION.value else 1


def check_motion_sponsors(proposal_id: str, kind: str, level: str, sponsors: int) -> None:
    """Rule ``motion-needs-cosponsors``: a motion has at least the joint-motion number of
    sponsors of its congress (the lead counts); a suggestion may be sole or joint."""
    needed = required_sponsors(kind, level)
    if sponsors < needed:
        raise RuleViolation(
            MOTION_RULE,
            "a {level} motion (议案) needs {needed} or more sponsors of its congress, the lead "
            "included; it has {sponsors} (submit it as a suggestion, 建议, or gather "
            "{more} more)",
            [proposal_id],
            level=Term(level),
            needed=needed,
            sponsors=sponsors,
            more=needed - sponsors,
        )


def cosponsor_violations(lead: SponsorFacts, cosponsors: Sequence[SponsorFacts]) -> list[Violation]:
    """Rule ``cosponsor-same-level`` over the co-sponsors of a lead: each is an ACTIVE deputy
    of the lead's level and congress (any national deputy may co-sign an NPC proposal)."""
    violations: list[Violation] = []
    for i, other in enumerate(cosponsors):
        if other.deputy_id == lead.deputy_id:
            continue
        ids = (other.deputy_id,)
        if other.level is None:
            violations.append(
                _violation(
                    i,
                    COSPONSOR_RULE,
                    ids,
                    "deputy {deputy} does not exist",
                    "coSponsorIds",
                    deputy=other.deputy_id,
                )
            )
        elif other.status != "ACTIVE":
            violations.append(
                _violation(
                    i,
                    COSPONSOR_RULE,
                    ids,
                    "deputy {deputy} is {status}; only ACTIVE deputies co-sign",
                    "coSponsorIds",
                    deputy=other.deputy_id,
                    status=Term(other.status),
                )
            )
        elif other.level != lead.level:
            violations.append(
                _violation(
                    i,
                    COSPONSOR_RULE,
                    ids,
                    "deputy {deputy} is a {level} deputy; co-sponsors of a {lead_level} "
                    "proposal are deputies of the same congress (link a deputy of another "
                    "level as a contributor)",
                    "coSponsorIds",
                    deputy=other.deputy_id,
                    level=Term(other.level),
                    lead_level=Term(lead.level),
                )
            )
        elif other.congress != lead.congress:
            violations.append(
                _violation(
                    i,
                    COSPONSOR_RULE,
                    ids,
                    "deputy {deputy} sits in the congress of {congress}, not in that of "
                    "{lead_congress}; link them as a contributor",
                    "coSponsorIds",
                    deputy=other.deputy_id,
                    congress=other.congress,
                    lead_congress=lead.congress,
                )
            )
    return violations


def check_cosponsor(lead: SponsorFacts, cosponsor: SponsorFacts, proposal_id: str) -> None:
    """Rule ``cosponsor-same-level`` for one co-sponsor."""
    found = cosponsor_violations(lead, [cosponsor])
    if found:
        first = found[0]
        message = first.message or Lazy(first.reason)
        raise RuleViolation(
            COSPONSOR_RULE,
            message.template,
            [proposal_id, cosponsor.deputy_id],
            **message.params,
        )


def check_contributor(contributor: SponsorFacts, sponsors: Iterable[str], proposal_id: str) -> None:
    """Rule ``contributor-not-sponsor``: a contributor is an ACTIVE deputy who does not
    sponsor the proposal (a same-congress deputy may co-sign instead)."""
    if contributor.status != "ACTIVE":
        raise RuleViolation(
            CONTRIBUTOR_RULE,
            "deputy {deputy} is {status}; contributors are ACTIVE",
            [proposal_id, contributor.deputy_id],
            deputy=contributor.deputy_id,
            status=Term(contributor.status),
        )
    if contributor.deputy_id in set(sponsors):
        raise RuleViolation(
            CONTRIBUTOR_RULE,
            "deputy {deputy} sponsors the proposal already",
            [proposal_id, contributor.deputy_id],
            deputy=contributor.deputy_id,
        )


def check_proposal_status(
    proposal_id: str, status: str, allowed: Iterable[str], action: str
) -> None:
    """Rule ``proposal-status``: ``action`` needs the proposal in one of ``allowed``."""
    allowed = tuple(allowed)
    if status not in allowed:
        wanted = "、".join(PROPOSAL_STATUS_NAMES[a] for a in allowed)
        raise RuleViolation(
            PROPOSAL_STATUS_RULE,
            "{action} needs a proposal that is {allowed} ({wanted}); this one is {status} "
            "({status_name})",
            [proposal_id],
            action=Term(action),
            allowed=" or ".join(allowed),
            wanted=wanted,
            status=status,
            status_name=PROPOSAL_STATUS_NAMES.get(status, status),
        )


def check_handlers(proposal_id: str, lead: str, assisting: Sequence[str], limit: int) -> None:
    """Rule ``proposal-handling``: one lead unit (主办) and distinct assisting units (协办),
    none of them the lead, at most ``limit`` units in all."""
    if lead in assisting:
        raise RuleViolation(
            PROPOSAL_HANDLING_RULE,
            "unit {unit} is the lead unit (主办); it cannot also assist (协办)",
            [proposal_id, lead],
            unit=lead,
        )
    if len(set(assisting)) != len(assisting):
        raise RuleViolation(
            PROPOSAL_HANDLING_RULE, "an assisting unit is named twice", [proposal_id]
        )
    if 1 + len(assisting) > limit:
        raise RuleViolation(
            PROPOSAL_HANDLING_RULE,
            "at most {limit} handling units per proposal, not {count}",
            [proposal_id],
            limit=limit,
            count=1 + len(assisting),
        )


def check_reply_unit(proposal_id: str, department_id: str, handlers: Mapping[str, str]) -> None:
    """Rule ``proposal-handling``: the lead unit (主办单位) replies to the deputy; assisting
    units send their opinions to it (协办意见), not to the deputy."""
    role = handlers.get(department_id)
    if role != HandlerRole.LEAD.value:
        what = N_("an assisting unit (协办)") if role else N_("not a handling unit of it")
        raise RuleViolation(
            PROPOSAL_HANDLING_RULE,
            "unit {unit} is {what}; the lead unit (主办) replies to the deputy",
            [proposal_id, department_id],
            unit=department_id,
            what=Term(what),
        )
