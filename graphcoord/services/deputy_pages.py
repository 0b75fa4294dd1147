"""Each deputy's public code and page (码上见代表, ``/d/{code}``) and the opinions sent from it.

A code is random (``secrets.token_urlsafe``, 72 bits), not the internal id, so it cannot be
guessed from a roster; it is re-issued when a printed code leaks or is defaced: the old one is
retired and answers 410 with a Chinese message, the new one shows the page. Only public facts
reach the page (name, level, constituency, work unit, where the deputy receives voters, the
villages they cover, their next station day on duty) — never a phone number. An opinion sent
from the page goes through :func:`graphcoord.services.issues.submit_issue` like any other, with
the deputy as ``first_deputy``: they track it first, then every deputy of the chosen village.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from graphcoord.db import Database
from graphcoord.errors import BadInput, NotFound, RuleViolation
from graphcoord.model import DEPUTY_CODE, DeputyStatus, now_in_china
from graphcoord.queries import deputy_codes as q
from graphcoord.queries.deputy_codes import DeputyPageRow
from graphcoord.rules import require_area_code
from graphcoord.services import issues
from graphcoord.services.directory import deputies_by_id, deputy_page
from graphcoord.services.stations import today_in_china
from graphcoord.services.tickets import TicketGateway

__all__ = [
    "MAX_CODES",
    "CodeRetired",
    "DeputyCode",
    "DeputyPage",
    "code_of",
    "codes_for_area",
    "deputy_public_page",
    "new_code",
    "reissue_code",
    "submit_to_deputy",
]

#: Most deputies one call gives codes to (an area's sheet of QR codes).
MAX_CODES = 5000


class CodeRetired(NotFound):
    """A deputy code that was re-issued: the printed code no longer leads to the page."""

    def __init__(self, code: str) -> None:
        super().__init__("deputy code (retired)", code)


def new_code() -> str:
    """A fresh public code: 12 URL-safe characters (72 random bits)."""
    return secrets.token_urlsafe(9)


@dataclass(frozen=True)
class DeputyCode:
    deputy_id: str
    code: str
    #: The codes this call retired (re-issue only).
    retired: tuple[str, ...] = ()


def codes_for_area(
    db: Database,
    *,
    area_code: str,
    level: str | None = None,
    now: dt.datetime | None = None,
) -> list[DeputyCode]:
    """The active code of every deputy of the area (elected in it or covering a village in
    it), issuing one to those without: printing the sheet twice prints the same codes."""
    require_area_code(area_code)
    total, rows = deputy_page(
        db, after=None, limit=MAX_CODES, count=True, level=level, area_code=area_code
    )
    if total is not None and total > MAX_CODES:
        raise BadInput(
            "{total} deputies in {area}: at most {limit} codes at a time",
            total=total,
            area=area_code,
            limit=MAX_CODES,
        )
    ids = [str(r["id"]) for r in rows if r.get("status", "ACTIVE") == DeputyStatus.ACTIVE]
    found = q.active_codes(db, ids)
    missing = [{"deputyId": i, "code": new_code()} for i in ids if i not in found]
    if missing:
        found.update(q.issue_codes(db, missing, now or now_in_china()))
    return [DeputyCode(i, found[i]) for i in ids if i in found]


def code_of(db: Database, deputy_id: str, *, now: dt.datetime | None = None) -> DeputyCode:
    """The deputy's active code, issued if they have none (a deputy who LEFT gets none)."""
    row = deputies_by_id(db, [deputy_id]).get(deputy_id)
    if row is None:
        raise NotFound("deputy", deputy_id)
    if row.get("status") == DeputyStatus.LEFT:
        raise RuleViolation(
            "deputy-code-active", "deputy {deputy} has left", [deputy_id], deputy=deputy_id
        )
    found = q.active_codes(db, [deputy_id])
    if deputy_id not in found:
        found.update(
            q.issue_codes(db, [{"deputyId": deputy_id, "code": new_code()}], now or now_in_china())
        )
    return DeputyCode(deputy_id, found[deputy_id])


def reissue_code(db: Database, deputy_id: str, *, now: dt.datetime | None = None) -> DeputyCode:
    """Retire the deputy's code (if any) and issue a new one."""
    done = q.reissue_code(db, deputy_id, new_code(), now or now_in_china())
    if done is None:
        raise NotFound("deputy", deputy_id)
    code, retired = done
    return DeputyCode(deputy_id, code, tuple(retired))


@dataclass(frozen=True)
class DeputyPage:
    code: str
    row: DeputyPageRow
    #: (code, name, township) of the villages the form offers: those the deputy covers.
    villages: list[tuple[str, str, str | None]]
    today: dt.date


def _deputy_of(db: Database, code: str) -> str:
    if not DEPUTY_CODE.match(code):
        raise NotFound("deputy code", code)
    found = q.code_row(db, code)
    if found is None:
        raise NotFound("deputy code", code)
    if found.retired_at is not None or found.status == DeputyStatus.LEFT:
        raise CodeRetired(code)
    return found.deputy_id


def deputy_public_page(db: Database, code: str, *, today: dt.date | None = None) -> DeputyPage:
    """The public facts of the deputy behind ``code`` (NotFound, or CodeRetired)."""
    deputy_id = _deputy_of(db, code)
    day = today_in_china(today)
    row = q.deputy_page_row(db, deputy_id, day)
    if row is None:  # pragma: no cover - the code's deputy was just deleted
        raise NotFound("deputy code", code)
    return DeputyPage(code, row, row.villages, day)


def submit_to_deputy(
    db: Database,
    gateway: TicketGateway,
    code: str,
    submission: issues.Submission,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> issues.SubmissionResult:
    """An opinion from the deputy's page: the usual submission (checked, stored, routed to the
    village's deputies, dispatched to 12345) tracked by this deputy first. The village must be
    one the deputy covers (``deputy-page-village``)."""
    problems = submission.problems()
    if problems:
        raise BadInput("；".join(problems.values()))
    deputy_id = _deputy_of(db, code)
    row = q.deputy_page_row(db, deputy_id, today_in_china(None))
    allowed = [v[0] for v in row.villages] if row else []
    if submission.village_code not in allowed:
        raise RuleViolation(
            "deputy-page-village",
            "an opinion from a deputy's page is raised in a village the deputy covers, not "
            "{village}",
            [submission.village_code],
            village=submission.village_code,
        )
    return issues.submit_issue(
        db,
        gateway,
        submission,
        idempotency_key=idempotency_key,
        first_deputy=deputy_id,
        now=now,
    )
