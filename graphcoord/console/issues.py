"""意见办理: the issue queue with the three colours (三色督办), filters, an issue's history and
the changes a role may make (status, claim, assign to a department, supervision letter).

The queue is :func:`graphcoord.services.supervision.board` (unfinished issues with a clock,
most overdue first) or, with a status or category filter, every issue
(:func:`graphcoord.services.issues.issue_page`). Changes call the services GraphQL calls,
which decide who may do what (a deputy only the issues they track, organizers and admins any);
citizens' contact details are shown to organizers and admins only.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from graphcoord.console.base import ConsolePages, Signed, csv_response
from graphcoord.errors import BadInput
from graphcoord.i18n import gettext as _
from graphcoord.model import (
    CATEGORIES,
    COLOUR_NAMES,
    STATUS_NAMES,
    TRANSITIONS,
    IssueStatus,
    SupervisionColour,
)
from graphcoord.services import access, departments, handling, supervision
from graphcoord.services import issues as tracking
from graphcoord.threads import blocking

__all__ = ["IssuePages"]

PAGE = 50


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return max(int(text), 1) if text.isdigit() else 1


class IssuePages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages

    async def queue(self, request: Request, signed: Signed) -> Response:
        db = self.pages.db
        area = await self.pages.area(request)
        params = request.query_params
        colour_text = params.get("colour", "")
        status = params.get("status", "")
        category = params.get("category", "")
        if colour_text and colour_text not in SupervisionColour.__members__:
            raise BadInput("colour {colour!r} is not RED, YELLOW or GREEN", colour=colour_text)
        if status and status not in IssueStatus.__members__:
            raise BadInput("status {status!r} is not an issue status", status=status)
        if category and category not in CATEGORIES:
            raise BadInput("category {category!r} is not a category", category=category)
        number = _page_number(request)
        skip = (number - 1) * PAGE
        as_of = self.pages.settings.today
        board = await blocking(
            supervision.board,
            db,
            area,
            colour=SupervisionColour(colour_text) if colour_text else None,
            skip=0 if (status or category) else skip,
            limit=PAGE,
            as_of=as_of,
        )
        listed = None
        if status or category:
            listed = await blocking(
                tracking.issue_page,
                db,
                skip=skip,
                limit=PAGE,
                status=status or None,
                category=category or None,
                area_code=area,
            )
        if params.get("format") == "csv":
            return self._csv(area, board, listed)
        return self.pages.render(
            "issues.html",
            signed,
            area_code=area,
            board=board,
            listed=listed,
            colour=colour_text,
            status_filter=status,
            category=category,
            categories=CATEGORIES,
            statuses=list(IssueStatus),
            colours=list(SupervisionColour),
            page=number,
            page_size=PAGE,
        )

    def _csv(
        self,
        area: str,
        board: supervision.Board,
        listed: tuple[int, list[tracking.IssueRow]] | None,
    ) -> Response:
        if listed is not None:
            return csv_response(
                f"意见-{area}.csv",
                [
                    _("issue"),
                    _("title"),
                    _("category"),
                    _("status"),
                    _("12345 ticket"),
                    _("received"),
                ],
                [
                    [
                        i.id,
                        i.title,
                        i.category,
                        STATUS_NAMES.get(i.status, i.status),
                        i.ticket,
                        i.created_at.isoformat() if i.created_at else "",
                    ]
                    for i in listed[1][:PAGE]
                ],
            )
        return csv_response(
            f"督办台账-{area}.csv",
            [
                _("issue"),
                _("title"),
                _("village"),
                _("colour"),
                _("stage"),
                _("due"),
                _("overdue working days"),
                _("handler"),
                _("status"),
            ],
            [
                [
                    item.row.id,
                    item.row.title,
                    item.row.village,
                    COLOUR_NAMES.get(item.row.colour, item.row.colour),
                    item.row.stage,
                    item.row.due_on.isoformat(),
                    item.overdue_days,
                    item.row.department or item.row.claimed_by_name or "",
                    STATUS_NAMES.get(item.row.status, item.row.status),
                ]
                for item in board.items[:PAGE]
            ],
        )

    async def issue(self, request: Request, signed: Signed) -> Response:
        db = self.pages.db
        issue_id = request.path_params["issue"]
        row = await blocking(tracking.get_issue, db, issue_id)
        details = await blocking(tracking.issue_details, db, issue_id)
        record = await blocking(handling.handling_of, db, issue_id)
        limits = await blocking(supervision.limits_on, db, self.pages.settings.today)
        state = supervision.supervision_of(record, limits)
        organizer = signed.can(access.ORGANIZING)
        found_departments: list[departments.DepartmentRow] = []
        if organizer and not record.finished:
            _total, found_departments = await blocking(
                departments.department_page,
                db,
                area_code=(row.area_code[:6] + "000000") if row.area_code else None,
                kind=None,
                skip=0,
                limit=200,
            )
        if request.query_params.get("format") == "csv":
            return csv_response(
                f"意见-{issue_id}.csv",
                [_("when"), _("what"), _("by"), _("note")],
                [
                    [
                        s.at.isoformat() if s.at else "",
                        STATUS_NAMES.get(s.status, s.status),
                        s.by_name or s.by,
                        s.note or "",
                    ]
                    for s in details.history
                ]
                + [
                    [e.at.isoformat() if e.at else "", e.kind, e.by_name or e.by, e.text or ""]
                    for e in record.events
                ],
            )
        return self.pages.render(
            "issue.html",
            signed,
            row=row,
            details=details,
            record=record,
            state=state,
            next_statuses=sorted(TRANSITIONS[IssueStatus(row.status)], key=list(IssueStatus).index),
            show_contact=signed.can(access.PRIVATE_READERS),
            organizer=organizer,
            departments=found_departments,
            done=request.query_params.get("done"),
        )

    async def change(self, request: Request, signed: Signed) -> Response:
        """A status change, a claim, an assignment or a letter (``action`` field)."""
        db = self.pages.db
        issue_id = request.path_params["issue"]
        form = await request.form()
        action = str(form.get("action") or "")
        actor = tracking.Actor.of(signed.principal)
        note = str(form.get("note") or "").strip() or None
        if action == "status":
            to = str(form.get("to") or "")
            if to not in IssueStatus.__members__:
                raise BadInput("status {status!r} is not an issue status", status=to)
            await blocking(
                tracking.update_status,
                db,
                self.pages.gateway,
                issue_id,
                IssueStatus(to),
                actor,
                note=note,
                escalate_to=str(form.get("escalate_to") or "").strip() or None,
            )
        elif action == "claim":
            await blocking(handling.claim_issue, db, issue_id, actor)
        elif action == "assign":
            department = str(form.get("department") or "").strip()
            if not department:
                raise BadInput("choose a department")
            await blocking(handling.assign_issue, db, issue_id, department, actor, note=note)
        elif action == "letter":
            await blocking(supervision.issue_letter, db, issue_id, actor, text=note)
        else:
            raise BadInput("unknown action {action!r}", action=action)
        return RedirectResponse(f"/console/issues/{issue_id}?done={action}", status_code=303)
