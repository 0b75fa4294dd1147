"""Handling units and the handling of the seeded issues, shared by Suqian and Liulin.

Departments (承办单位): a government per township (乡镇人民政府 / 街道办事处), the usual bureaus
of each county-level unit, and a few city-level units. Each seeded issue gets the clock of the
default policy (:data:`graphcoord.deadlines.DEFAULT_POLICIES`) from its day of receipt; an
issue being handled or finished is assigned to the department its category belongs to (and
claimed by one of its contact deputies in about a third of the cases); finished ones carry the
outcome the dataset gives them, timed in working days. A random stream of its own
(``Random(f"{seed}:handling")``) leaves every other row of a dataset unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphcoord.deadlines import DEFAULT_POLICIES, finished_late, start_clock
from graphcoord.model import CHINA, DepartmentKind, IssueStatus, Satisfaction, WorkKind
from graphcoord.seeding.places import Places
from graphcoord.workdays import workdays_between

__all__ = ["CATEGORY_HANDLERS", "COUNTY_BUREAUS", "Handlers", "build_departments", "handlings"]

#: Bureaus of every county-level unit: (id suffix, name after the county's name).
COUNTY_BUREAUS: tuple[tuple[str, str], ...] = (
    ("TRANSPORT", "交通运输局"),
    ("WATER", "水利局"),
    ("EDU", "教育局"),
    ("HEALTH", "卫生健康委员会"),
    ("CIVIL", "民政局"),
    ("HRSS", "人力资源和社会保障局"),
    ("AGRI", "农业农村局"),
    ("HOUSING", "住房和城乡建设局"),
    ("BIZ", "行政审批局"),
)
#: Category -> (which level of unit handles it, its id suffix); ``CITY`` falls back to the
#: county's unit of the same suffix where a dataset has no city-level one.
CATEGORY_HANDLERS: dict[str, tuple[str, str]] = {
    "道路交通": ("COUNTY", "TRANSPORT"),
    "饮水安全": ("COUNTY", "WATER"),
    "环境卫生": ("TOWNSHIP", "GOV"),
    "教育": ("COUNTY", "EDU"),
    "医疗卫生": ("COUNTY", "HEALTH"),
    "养老服务": ("COUNTY", "CIVIL"),
    "劳动就业": ("COUNTY", "HRSS"),
    "农业农村": ("COUNTY", "AGRI"),
    "基础设施": ("TOWNSHIP", "GOV"),
    "营商环境": ("CITY", "BIZ"),
    "其他": ("TOWNSHIP", "GOV"),
}
_HANDLED = (
    IssueStatus.IN_PROGRESS.value,
    IssueStatus.ESCALATED.value,
    IssueStatus.RESOLVED.value,
    IssueStatus.CLOSED.value,
)
_VERDICTS = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED)
_VERDICT_WEIGHTS = (55, 30, 15)


def _department_id(prefix: str, code: str, suffix: str) -> str:
    significant = code.rstrip("0")
    length = next(n for n in (2, 4, 6, 9, 12) if len(significant) <= n)
    return f"{prefix}-DEP-{code[:length]}-{suffix}"


def build_departments(
    places: Places,
    prefix: str,
    city_units: tuple[tuple[str, str, DepartmentKind], ...] = (),
    city_code: str | None = None,
) -> list[dict[str, Any]]:
    """A government per township, :data:`COUNTY_BUREAUS` per county-level unit, and the
    city's units ``(suffix, name, kind)`` located in ``city_code``."""
    rows: list[dict[str, Any]] = []
    if city_code is not None:
        rows += [
            {
                "id": _department_id(prefix, city_code, suffix),
                "name": name,
                "kind": kind.value,
                "areaCode": city_code,
            }
            for suffix, name, kind in city_units
        ]
    for county in places.of_kind("COUNTY"):
        rows += [
            {
                "id": _department_id(prefix, county, suffix),
                "name": places.name(county) + bureau,
                "kind": DepartmentKind.COUNTY_BUREAU.value,
                "areaCode": county,
            }
            for suffix, bureau in COUNTY_BUREAUS
        ]
    for township in places.townships:
        name = places.name(township)
        office = f"{name}人民政府" if name.endswith(("镇", "乡")) else f"{name}办事处"
        rows.append(
            {
                "id": _department_id(prefix, township, "GOV"),
                "name": office,
                "kind": DepartmentKind.TOWNSHIP_GOVERNMENT.value,
                "areaCode": township,
            }
        )
    return rows


@dataclass(frozen=True)
class Handlers:
    """Which department handles an issue of a category in a village."""

    prefix: str
    known: frozenset[str]
    city_code: str | None = None

    def for_issue(self, category: str, village: str) -> str:
        level, suffix = CATEGORY_HANDLERS.get(category, ("TOWNSHIP", "GOV"))
        township, county = village[:9] + "000", village[:6] + "000000"
        candidates = {
            "TOWNSHIP": [(township, "GOV")],
            "COUNTY": [(county, suffix), (township, "GOV")],
            "CITY": [(self.city_code or county, suffix), (county, suffix), (township, "GOV")],
        }[level]
        for code, part in candidates:
            found = _department_id(self.prefix, code, part)
            if found in self.known:
                return found
        raise ValueError(f"no department handles {category} in {village}")


#: An issue's outcome given its row: (outcome, reason) or ``None`` while it is open.
Outcomes = Callable[[dict[str, Any]], tuple[str, str | None] | None]


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def handlings(
    rng: random.Random,
    issues: list[dict[str, Any]],
    trackers: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
    handlers: Handlers,
    outcomes: Outcomes,
    finished_at: dict[str, dt.datetime],
) -> list[dict[str, Any]]:
    """A ``handlings`` row per issue (see the module's notes); ``finished_at`` gives when each
    finished issue was finished."""
    covering = {(c["deputyId"], c["areaCode"]) for c in contacts}
    tracked: dict[str, list[str]] = {}
    for t in trackers:
        tracked.setdefault(t["issueId"], []).append(t["deputyId"])
    policy = DEFAULT_POLICIES[WorkKind.ISSUE]
    rows = []
    for issue in issues:
        created = _at(issue["createdAt"])
        received = created.astimezone(CHINA).date()
        clock = start_clock(policy, received)
        row: dict[str, Any] = {
            "issueId": issue["id"],
            "workKind": policy.kind,
            "policy": policy.key,
            "clockFrom": received.isoformat(),
            "claimDue": clock.claim_due.isoformat(),
            "replyDue": clock.reply_due.isoformat(),
            "finishDue": clock.finish_due.isoformat(),
        }
        rows.append(row)
        if issue["status"] not in _HANDLED:
            continue
        finished = finished_at.get(issue["id"])
        hours = rng.randint(1, 20) if rng.random() < 0.8 else rng.randint(24, 96)
        assigned = created + dt.timedelta(hours=hours)
        if finished is not None and assigned > finished:
            assigned = created + (finished - created) / 4
        row["departmentId"] = handlers.for_issue(issue["category"], issue["areaCode"])
        row["assignedAt"] = row["claimedAt"] = assigned.isoformat()
        claimants = [d for d in tracked.get(issue["id"], []) if (d, issue["areaCode"]) in covering]
        if claimants and rng.random() < 0.3:
            row["claimedBy"] = rng.choice(sorted(claimants))
        if finished is not None or rng.random() < 0.75:
            reply = assigned + dt.timedelta(hours=rng.randint(12, 200))
            if finished is not None and reply > finished:
                reply = finished
            row["firstReplyAt"] = reply.isoformat()
        decided = outcomes(issue)
        if finished is None or decided is None:
            continue
        row["outcome"], row["outcomeReason"] = decided
        row["finishedAt"] = finished.isoformat()
        day = finished.astimezone(CHINA).date()
        row["finishedWithin"] = workdays_between(received, day)
        row["finishedLate"] = finished_late(clock.finish_due, day)
        if issue.get("trackingCode") and rng.random() < 0.7:
            verdict = rng.choices(_VERDICTS, _VERDICT_WEIGHTS)[0]
            row["satisfaction"] = verdict.value
            row["ratedAt"] = _iso(finished + dt.timedelta(days=rng.randint(1, 5)))
            if verdict is Satisfaction.DISSATISFIED:
                row["round"] = 2  # a final verdict, after the one re-handling
    return rows
