"""The tracking page shows the handling and takes the citizen's verdict (满意 / 基本满意 / 不满意),
CSRF-checked, once per round; 不满意 reopens the issue once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import CHINA, Outcome
from graphcoord.services import handling
from graphcoord.services import issues as tracking
from graphcoord.services.dataset import write_dataset
from tests.test_citizen_tracking import citizen_city
from tests.test_citizen_web import csrf_of
from tests.test_handling_graphql import DEPARTMENTS, new_issue

ORGANIZER = tracking.Actor("organizer")
DONE_AT = dt.datetime(2025, 10, 20, 16, tzinfo=CHINA)


@dataclass
class Page:
    client: TestClient
    db: Database
    issue_id: str
    code: str

    def finish(self, outcome: Outcome = Outcome.ANSWERED) -> None:
        handling.assign_issue(self.db, self.issue_id, "D-EDU", ORGANIZER, at=DONE_AT)
        handling.reply_issue(
            self.db, self.issue_id, "资金暂未落实，已列入明年计划", ORGANIZER, outcome=outcome
        )

    def rate(self, choice: str, comment: str = "", csrf: str | None = None) -> str | int:
        self.client.get(f"/t/{self.code}")  # sets the CSRF cookie, with or without a form
        token = csrf if csrf is not None else str(self.client.cookies.get("gc_csrf"))
        response = self.client.post(
            f"/t/{self.code}/rate",
            data={"satisfaction": choice, "comment": comment, "csrf": token},
        )
        if response.status_code == 303:
            return str(response.headers["location"])
        return int(response.status_code)


@pytest.fixture
def page(settings: Settings, db: Database) -> Iterator[Page]:
    city = citizen_city()
    city["departments"] = DEPARTMENTS
    write_dataset(db, city)
    result = new_issue(db)
    app = create_app(settings.with_(rate_limit_per_minute=1000), db)
    with TestClient(app, follow_redirects=False) as client:
        yield Page(client, db, result.issue_id, result.tracking_code)


def test_an_unfinished_issue_shows_its_handler_and_no_form(page: Page) -> None:
    handling.assign_issue(page.db, page.issue_id, "D-EDU", ORGANIZER, at=DONE_AT)
    html = page.client.get(f"/t/{page.code}").text
    assert '<strong id="department">宿城区教育局</strong>' in html
    assert "交办承办单位" in html
    assert 'id="rating"' not in html
    assert page.rate("SATISFIED") == 409  # not finished: refused with a message


def test_answered_issue_is_rated_and_dissatisfaction_reopens_it(page: Page) -> None:
    page.finish()
    html = page.client.get(f"/t/{page.code}").text
    assert '<strong id="outcome" data-outcome="ANSWERED">已答复但未解决</strong>' in html
    assert "资金暂未落实，已列入明年计划" in html
    assert 'id="rating"' in html and "不满意" in html
    evil = "<script>alert(1)</script>没解决"
    assert page.rate("DISSATISFIED", evil) == f"/t/{page.code}?rated=reopened"
    html = page.client.get(f"/t/{page.code}?rated=reopened").text
    assert "已转为重新办理" in html
    assert '<span class="status IN_PROGRESS" id="status">办理中</span>' in html
    assert "第2轮办理" in html and "重新办理" in html
    assert evil not in html and "&lt;script&gt;alert(1)&lt;/script&gt;没解决" in html
    assert 'id="rating"' not in html  # round 2 is not finished yet
    page.finish(Outcome.RESOLVED)
    assert page.rate("SATISFIED") == f"/t/{page.code}?rated=1"
    html = page.client.get(f"/t/{page.code}").text
    assert '<strong id="satisfaction">满意</strong>' in html and 'id="rating"' not in html
    assert page.rate("DISSATISFIED") == 409  # once per round


@pytest.mark.parametrize(
    ("choice", "comment", "csrf", "status", "message"),
    [
        ("SATISFIED", "", "", 403, "页面已过期"),
        ("SOSO", "", None, 400, "请选择满意、基本满意或不满意"),
        ("SATISFIED", "长" * 501, None, 400, "不能超过500个字"),
    ],
    ids=["no-csrf", "bad-choice", "long-comment"],
)
def test_bad_ratings_are_refused_in_chinese(
    page: Page, choice: str, comment: str, csrf: str | None, status: int, message: str
) -> None:
    page.finish()
    token = csrf_of(page.client.get(f"/t/{page.code}").text) if csrf is None else csrf
    response = page.client.post(
        f"/t/{page.code}/rate", data={"satisfaction": choice, "comment": comment, "csrf": token}
    )
    assert response.status_code == status
    assert message in response.text
    record = handling.handling_of(page.db, page.issue_id)
    assert record.satisfaction is None and record.round == 1


def test_unknown_code_is_a_friendly_404(page: Page) -> None:
    response = page.client.post("/t/SHS-ZZZZZZZZZZ/rate", data={"satisfaction": "SATISFIED"})
    assert response.status_code == 403  # no CSRF token
    page.client.get(f"/t/{page.code}")
    token = str(page.client.cookies.get("gc_csrf"))
    response = page.client.post(
        "/t/SHS-ZZZZZZZZZZ/rate", data={"satisfaction": "SATISFIED", "csrf": token}
    )
    assert response.status_code == 404 and "没有找到" in response.text
