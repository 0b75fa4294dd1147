"""Report-back meetings (述职评议): a deputy reports to the voters of a constituency, who
evaluate them anonymously with one-time ballot codes.

Organizers and admins schedule a meeting, print ballot codes (each code is shown once, when
issued; only its SHA-256 is stored), and close it. A voter opens ``/e/{code}`` and chooses
满意 / 基本满意 / 不满意 with an optional comment; a code votes once
(``ballot-code-used-once``), only while the meeting is open (``report-back-open``). Results are
hidden until the meeting closes (``report-back-results-after-close``); then organizers and
admins read the counts and comments, the deputy the counts only. Anonymity: docs/records.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from graphcoord.auth import Principal
from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.i18n import Term
from graphcoord.model import (
    BALLOT_CODE,
    MAX_BALLOT_COMMENT,
    MAX_BALLOTS,
    REPORT_BACK,
    AuditAction,
    ReportBackStatus,
    Satisfaction,
    now_in_china,
)
from graphcoord.queries import report_backs as q
from graphcoord.queries.report_backs import BallotTarget, MeetingRow
from graphcoord.rules import require_area_code
from graphcoord.services import audit
from graphcoord.services.directory import deputies_by_id

__all__ = [
    "BallotTarget",
    "MeetingResults",
    "MeetingRow",
    "ballot_of",
    "cast_ballot",
    "close_report_back",
    "code_hash",
    "get_meeting",
    "issue_ballots",
    "meeting_results",
    "schedule_report_back",
]

_ORGANIZING = frozenset({"organizer", "admin"})


def _require_organizer(principal: Principal) -> None:
    if principal.role not in _ORGANIZING:
        raise Forbidden("report-back meetings are run by organizers and admins")


def code_hash(code: str) -> str:
    """What is stored of a ballot code: its SHA-256 (the code itself is printed only)."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def schedule_report_back(
    db: Database,
    principal: Principal,
    *,
    deputy_id: str,
    date: dt.date,
    constituency_code: str,
    title: str | None = None,
    now: dt.datetime | None = None,
) -> MeetingRow:
    """Schedule a report-back of ``deputy_id`` to the voters of ``constituency_code``."""
    _require_organizer(principal)
    require_area_code(constituency_code)
    at = now or now_in_china()
    meeting_id = f"RB-{date:%Y%m%d}-{uuid.uuid4().hex[:8]}"
    text = (title or "").strip() or "人大代表向原选区选民述职"
    if len(text) > 100:
        raise BadInput("{what} must be at most {limit} characters", what=Term("title"), limit=100)
    created = q.schedule_meeting(
        db,
        {
            "id": meeting_id,
            "deputyId": deputy_id,
            "areaCode": constituency_code,
            "date": date.isoformat(),
            "title": text,
            "kind": REPORT_BACK,
            "at": at,
            "by": principal.role,
        },
    )
    if created is None:
        if deputy_id not in deputies_by_id(db, [deputy_id]):
            raise NotFound("deputy", deputy_id)
        raise NotFound("area", constituency_code)
    audit.record(
        db, principal, AuditAction.REPORT_BACK_SCHEDULED, f"meeting:{meeting_id}", deputy_id
    )
    return get_meeting(db, meeting_id)


def get_meeting(db: Database, meeting_id: str) -> MeetingRow:
    found = q.meeting_rows(db, [meeting_id]).get(meeting_id)
    if found is None:
        raise NotFound("report-back meeting", meeting_id)
    return found


def issue_ballots(db: Database, principal: Principal, meeting_id: str, count: int) -> list[str]:
    """``count`` new one-time codes of an OPEN meeting; they are returned once, to print."""
    _require_organizer(principal)
    if not 1 <= count <= MAX_BALLOTS:
        raise BadInput("count must be 1-{limit}, not {count}", limit=MAX_BALLOTS, count=count)
    meeting = get_meeting(db, meeting_id)
    if meeting.status != ReportBackStatus.OPEN:
        raise RuleViolation("report-back-open", "ballots are issued while the meeting is open")
    if meeting.ballots_issued + count > MAX_BALLOTS:
        raise BadInput("a meeting has at most {limit} ballots in all", limit=MAX_BALLOTS)
    codes = [secrets.token_urlsafe(12) for _ in range(count)]  # 96 random bits each
    q.add_ballot_codes(db, meeting_id, [code_hash(c) for c in codes])
    audit.record(db, principal, AuditAction.BALLOTS_ISSUED, f"meeting:{meeting_id}", str(count))
    return codes


def ballot_of(db: Database, code: str) -> BallotTarget:
    """The meeting of a ballot code (NotFound for an unknown or malformed code)."""
    if not BALLOT_CODE.match(code):
        raise NotFound("ballot code", code)
    found = q.ballot_target(db, code_hash(code))
    if found is None:
        raise NotFound("ballot code", code)
    return found


def cast_ballot(db: Database, code: str, choice: str, comment: str | None = None) -> str:
    """Count one anonymous ballot; the meeting's id. A used code or a closed meeting is a
    RuleViolation; an unknown code NotFound; a bad choice or comment BadInput."""
    try:
        verdict = Satisfaction(choice)
    except ValueError:
        raise BadInput("choice must be SATISFIED, BASICALLY_SATISFIED or DISSATISFIED") from None
    text = (comment or "").strip() or None
    if text is not None and len(text) > MAX_BALLOT_COMMENT:
        raise BadInput(
            "{what} must be at most {limit} characters",
            what=Term("comment"),
            limit=MAX_BALLOT_COMMENT,
        )
    target = ballot_of(db, code)
    if target.status != ReportBackStatus.OPEN:
        raise RuleViolation(
            "report-back-open", "the meeting has closed: ballots are no longer taken"
        )
    if target.uses or not q.vote(db, code_hash(code), verdict.value, text):
        raise RuleViolation("ballot-code-used-once", "this ballot code has already voted")
    return target.meeting_id


def close_report_back(
    db: Database, principal: Principal, meeting_id: str, *, now: dt.datetime | None = None
) -> MeetingRow:
    _require_organizer(principal)
    meeting = get_meeting(db, meeting_id)
    if meeting.status == ReportBackStatus.CLOSED:
        raise RuleViolation(
            "report-back-open", "meeting {meeting} is already closed", meeting=meeting_id
        )
    q.close_meeting(db, meeting_id, now or now_in_china())
    audit.record(db, principal, AuditAction.REPORT_BACK_CLOSED, f"meeting:{meeting_id}")
    return get_meeting(db, meeting_id)


@dataclass(frozen=True)
class MeetingResults:
    meeting: MeetingRow
    #: The voters' comments: organizers and admins only (``None`` for the deputy).
    comments: list[str] | None

    @property
    def satisfaction_rate(self) -> float | None:
        m = self.meeting
        return (m.satisfied + m.basically_satisfied) / m.ballots if m.ballots else None


def meeting_results(db: Database, principal: Principal, meeting_id: str) -> MeetingResults:
    """The counts after the meeting closed: organizers and admins with the comments, the
    deputy who reported the counts only."""
    meeting = get_meeting(db, meeting_id)
    own = principal.role == "deputy" and principal.deputy_id == meeting.deputy_id
    if principal.role not in _ORGANIZING and not own:
        raise Forbidden("results are for organizers, admins and the deputy who reported")
    if meeting.status != ReportBackStatus.CLOSED:
        raise RuleViolation(
            "report-back-results-after-close",
            "results of {meeting} are hidden until the meeting closes",
            meeting=meeting_id,
        )
    return MeetingResults(meeting, None if own else list(meeting.comments))
