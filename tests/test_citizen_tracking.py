"""Routing, 12345 tickets and the status machine of citizens' issues, on a small hand-made city."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphcoord.db import Database
from graphcoord.errors import BadInput, Forbidden, NotFound, RuleViolation
from graphcoord.model import IssueStatus
from graphcoord.services import issues as tracking
from graphcoord.services.dataset import write_dataset
from graphcoord.services.tickets import Dispatch, LocalTicketGateway, TicketRequest
from tests.factories import BASE_AREAS, COUNTY, PROVINCE, TOWN_A, TOWN_B, VILLAGE_A, deputy

S = IssueStatus


def citizen_city() -> dict[str, list[dict[str, Any]]]:
    """Village A covered by four active deputies of four levels and one who left; a liaison
    chain T1 <- C1 <- Y1; village B covered by nobody."""
    return {
        "areas": [{**a, "population": 2000} if a is VILLAGE_A else a for a in BASE_AREAS],
        "deputies": [
            deputy("T1", "TOWNSHIP", TOWN_A["code"], name="唐一", workUnit="甲镇农技站"),
            deputy("C1", "COUNTY", TOWN_A["code"], name="程一", phone="13912345678"),
            deputy("Y1", "CITY", COUNTY["code"], baseArea=TOWN_A["code"], name="杨一"),
            deputy("N1", "NATIONAL", PROVINCE["code"], baseArea=TOWN_B["code"], name="倪一"),
            deputy("L1", "PROVINCIAL", PROVINCE["code"], status="LEFT", name="离任"),
            deputy("X1", "TOWNSHIP", TOWN_B["code"], name="许一"),
        ],
        "contacts": [
            {"deputyId": "T1", "areaCode": VILLAGE_A["code"], "basis": "ORIGINAL_CONSTITUENCY"},
            {"deputyId": "C1", "areaCode": VILLAGE_A["code"], "basis": "ORIGINAL_CONSTITUENCY"},
            {"deputyId": "Y1", "areaCode": VILLAGE_A["code"], "basis": "NEAR_HOME_OR_WORK"},
            {"deputyId": "N1", "areaCode": VILLAGE_A["code"], "basis": "NEAR_HOME_OR_WORK"},
            {"deputyId": "L1", "areaCode": VILLAGE_A["code"], "basis": "NEAR_HOME_OR_WORK"},
        ],
        "liaisons": [{"fromId": "C1", "toId": "T1"}, {"fromId": "Y1", "toId": "C1"}],
    }


def submission(**changes: Any) -> tracking.Submission:
    fields = {
        "village_code": VILLAGE_A["code"],
        "title": "村口路灯坏了三个月",
        "body": "村口主干道的路灯已经坏了三个月，晚上出行很不安全，希望尽快修好。",
        "category": "基础设施",
        "contact": "13700001111",
        **changes,
    }
    return tracking.Submission.clean(**fields)


@pytest.fixture
def city(db: Database) -> Database:
    write_dataset(db, citizen_city())
    return db


def submit(db: Database) -> tracking.SubmissionResult:
    return tracking.submit_issue(db, LocalTicketGateway(db), submission())


def test_submission_is_routed_to_every_active_deputy_and_dispatched(city: Database) -> None:
    result = submit(city)
    assert result.status == "DISPATCHED"
    assert result.trackers == 4
    assert result.ticket is not None and result.ticket.startswith("12345-")
    record = city.execute(
        "MATCH (i:Issue {id: $id})-[:RAISED_IN]->(v:Area) "
        "RETURN v.code AS village, i.status AS status, i.ticket AS ticket, i.contact AS contact, "
        "[(d:Deputy)-[:TRACKS]->(i) | d.id] AS trackers, "
        "[(i)-[:HAD_STATUS]->(s) | s.status] AS history, "
        "[(t:Ticket)-[:FOR]->(i) | t.number] AS tickets",
        {"id": result.issue_id},
    )[0]
    assert record["village"] == VILLAGE_A["code"]
    assert sorted(record["trackers"]) == ["C1", "N1", "T1", "Y1"]  # not L1 (left), not X1
    assert sorted(record["history"]) == ["DISPATCHED", "RECEIVED"]
    assert record["tickets"] == [result.ticket] == [record["ticket"]]
    assert record["contact"] == "13700001111"


def test_ticket_numbers_follow_the_highest_existing_one(city: Database) -> None:
    year = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).year
    city.write(
        "CREATE (:Issue {id: 'OLD', title: 'x', status: 'CLOSED', ticket: $t})",
        {"t": f"12345-{year}-000041"},
    )
    first, second = submit(city), submit(city)
    assert first.ticket == f"12345-{year}-000042"
    assert second.ticket == f"12345-{year}-000043"
    assert first.tracking_code != second.tracking_code


class _DownGateway:
    name = "down"

    def issue_number(self, at: dt.datetime) -> str:
        raise ConnectionError("12345 platform unreachable")

    def dispatch(self, ticket: str, request: TicketRequest, at: dt.datetime) -> Dispatch:
        raise AssertionError("never called")


def test_a_gateway_failure_keeps_the_issue_received_and_it_can_be_dispatched_later(
    city: Database,
) -> None:
    result = tracking.submit_issue(city, _DownGateway(), submission())
    assert (result.status, result.ticket) == ("RECEIVED", None)
    row = tracking.update_status(
        city, LocalTicketGateway(city), result.issue_id, S.DISPATCHED, tracking.Actor("organizer")
    )
    assert row.status == "DISPATCHED" and row.ticket is not None


def test_full_lifecycle_records_who_and_when(city: Database) -> None:
    result = submit(city)
    gateway = LocalTicketGateway(city)
    deputy_t1 = tracking.Actor("deputy", "T1")
    tracking.update_status(city, gateway, result.issue_id, S.IN_PROGRESS, deputy_t1, note="已联系")
    resolved = tracking.update_status(city, gateway, result.issue_id, S.RESOLVED, deputy_t1)
    assert resolved.resolved_at is not None
    closed = tracking.update_status(
        city, gateway, result.issue_id, S.CLOSED, tracking.Actor("organizer")
    )
    assert closed.status == "CLOSED" and closed.closed_at is not None
    history = tracking.issue_details(city, result.issue_id).history
    assert [h.status for h in history] == [
        "RECEIVED",
        "DISPATCHED",
        "IN_PROGRESS",
        "RESOLVED",
        "CLOSED",
    ]
    assert [h.by for h in history] == ["citizen", "12345", "deputy:T1", "deputy:T1", "organizer"]
    assert history[2].by_name == "唐一" and history[2].note == "已联系"
    assert all(h.at is not None for h in history)
    assert [h.at for h in history] == sorted(h.at for h in history if h.at is not None)


_REFUSED = [
    ([], S.RESOLVED),  # DISPATCHED -> RESOLVED skips IN_PROGRESS
    ([], S.CLOSED),
    ([], S.RECEIVED),
    ([], S.DISPATCHED),
    ([S.IN_PROGRESS], S.CLOSED),
    ([S.IN_PROGRESS], S.DISPATCHED),
    ([S.IN_PROGRESS, S.RESOLVED], S.ESCALATED),
    ([S.IN_PROGRESS, S.RESOLVED], S.IN_PROGRESS),
    ([S.IN_PROGRESS, S.RESOLVED, S.CLOSED], S.IN_PROGRESS),
    ([S.IN_PROGRESS, S.RESOLVED, S.CLOSED], S.RESOLVED),
]


@pytest.mark.parametrize(
    ("path", "to"),
    _REFUSED,
    ids=[f"{'>'.join(['DISPATCHED', *p])}-x-{to}" for p, to in _REFUSED],
)
def test_status_machine_refusals(city: Database, path: list[IssueStatus], to: IssueStatus) -> None:
    result = submit(city)
    gateway = LocalTicketGateway(city)
    organizer = tracking.Actor("organizer")
    for step in path:
        tracking.update_status(city, gateway, result.issue_id, step, organizer)
    with pytest.raises(RuleViolation, match="rule issue-status-machine") as caught:
        tracking.update_status(city, gateway, result.issue_id, to, organizer)
    assert caught.value.rule == "issue-status-machine"
    assert tracking.get_issue(city, result.issue_id).status == (path[-1] if path else "DISPATCHED")


def test_escalation_goes_up_the_liaison_chain_with_a_reason(city: Database) -> None:
    result = submit(city)
    gateway = LocalTicketGateway(city)
    t1 = tracking.Actor("deputy", "T1")
    with pytest.raises(BadInput, match="reason"):
        tracking.update_status(city, gateway, result.issue_id, S.ESCALATED, t1)
    row = tracking.update_status(
        city, gateway, result.issue_id, S.ESCALATED, t1, note="需县级统筹资金"
    )
    assert row.status == "ESCALATED"
    details = tracking.issue_details(city, result.issue_id)
    assert [(e["deputyId"], e["reason"]) for e in details.escalations] == [("C1", "需县级统筹资金")]
    # after escalation the upper deputy works on it
    again = tracking.update_status(
        city, gateway, result.issue_id, S.IN_PROGRESS, tracking.Actor("deputy", "C1")
    )
    assert again.status == "IN_PROGRESS"


@pytest.mark.parametrize(
    ("target", "error", "match"),
    [
        ("X1", RuleViolation, "rule issue-escalation"),  # same level as T1
        ("L1", RuleViolation, "not active"),
        ("T1", RuleViolation, "themself"),
        ("NOPE", NotFound, "NOPE"),
    ],
    ids=["same-level", "left-deputy", "self", "unknown"],
)
def test_escalation_refusals(
    city: Database, target: str, error: type[Exception], match: str
) -> None:
    result = submit(city)
    with pytest.raises(error, match=match):
        tracking.update_status(
            city,
            LocalTicketGateway(city),
            result.issue_id,
            S.ESCALATED,
            tracking.Actor("deputy", "T1"),
            note="reason",
            escalate_to=target,
        )


@pytest.mark.parametrize(
    "actor",
    [tracking.Actor("deputy", "X1"), tracking.Actor("planner"), tracking.Actor("public")],
    ids=["deputy-not-tracking", "planner", "public"],
)
def test_only_trackers_and_organizers_change_status(city: Database, actor: tracking.Actor) -> None:
    result = submit(city)
    with pytest.raises(Forbidden):
        tracking.update_status(
            city, LocalTicketGateway(city), result.issue_id, S.IN_PROGRESS, actor
        )


def test_deputy_cannot_dispatch_and_unknown_issue_is_not_found(city: Database) -> None:
    result = tracking.submit_issue(city, _DownGateway(), submission())
    gateway = LocalTicketGateway(city)
    with pytest.raises(Forbidden, match="dispatch"):
        tracking.update_status(
            city, gateway, result.issue_id, S.DISPATCHED, tracking.Actor("deputy", "T1")
        )
    with pytest.raises(NotFound, match="issue 'nope'"):
        tracking.update_status(city, gateway, "nope", S.IN_PROGRESS, tracking.Actor("admin"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "请填写标题"),
        ({"title": "路"}, "title", "至少需要4个字"),
        ({"title": "路" * 61}, "title", "不能超过60个字"),
        ({"body": "太短"}, "body", "至少需要10个字"),
        ({"body": "字" * 2001}, "body", "不能超过2000个字"),
        ({"category": "乱填"}, "category", "请选择"),
        ({"contact": "1" * 61}, "contact", "不能超过60个字"),
        ({"village_code": "12ab"}, "village", "12位数字"),
    ],
    ids=[
        "no-title",
        "short-title",
        "long-title",
        "short-body",
        "long-body",
        "category",
        "long-contact",
        "bad-village",
    ],
)
def test_validation_messages(changes: dict[str, str], field: str, message: str) -> None:
    problems = submission(**changes).problems()
    assert list(problems) == [field]
    assert message in problems[field]


def test_invalid_or_unknown_village_submission_stores_nothing(city: Database) -> None:
    gateway = LocalTicketGateway(city)
    with pytest.raises(BadInput, match="请填写标题"):
        tracking.submit_issue(city, gateway, submission(title="  "))
    with pytest.raises(NotFound, match="village '321302999999'"):
        tracking.submit_issue(city, gateway, submission(village_code="321302999999"))
    with pytest.raises(NotFound):  # a township is not a village
        tracking.submit_issue(city, gateway, submission(village_code=TOWN_A["code"]))
    assert city.execute("MATCH (i:Issue) RETURN count(i) AS n")[0]["n"] == 0


def test_queue_lists_open_issues_first(city: Database) -> None:
    gateway = LocalTicketGateway(city)
    done, open_ = submit(city), submit(city)
    organizer = tracking.Actor("organizer")
    for step in (S.IN_PROGRESS, S.RESOLVED):
        tracking.update_status(city, gateway, done.issue_id, step, organizer)
    total, rows = tracking.deputy_queue(city, "T1", skip=0, limit=10)
    assert total == 2
    assert [r.id for r in rows] == [open_.issue_id, done.issue_id]
    assert tracking.deputy_queue(city, "X1", skip=0, limit=10) == (0, [])


def test_public_view_has_no_contact(city: Database) -> None:
    result = submit(city)
    view = tracking.public_issue(city, result.tracking_code.lower())
    assert view.village_name == VILLAGE_A["name"] and view.trackers == 4
    assert view.levels == ["NATIONAL", "CITY", "COUNTY", "TOWNSHIP"]
    assert "13700001111" not in repr(view)
    with pytest.raises(NotFound):
        tracking.public_issue(city, "SHS-ZZZZZZZZZZ")
    with pytest.raises(NotFound):
        tracking.public_issue(city, "'; MATCH (n) DETACH DELETE n //")
