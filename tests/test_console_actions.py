"""The console's changes over HTTP: on an issue's page a status change, a claim, an assignment
and a supervision letter (each refused in Chinese, with its code, where a role or a rule
forbids it), and on the import page a checked roster imported for real, and the undo of an
import killed mid-way. Every change is in the audit trail under the console account that
made it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import AuditAction, SupervisionColour
from graphcoord.queries.imports import fingerprint
from graphcoord.services import accounts, audit, handling, supervision
from tests.test_console import PASSWORD, csrf_of, make_user, sign_in
from tests.test_importer_killed import killed
from tests.test_importer_messy import messy_workbook
from tests.test_importer_support import load_base

SHUYANG = "321322000000"  # 沭阳县

SignIn = Callable[[str], TestClient]


@pytest.fixture(scope="module")
def app(settings: Settings, suqian_db: Database) -> Iterator[TestClient]:
    for role in ("admin", "organizer", "planner", "deputy"):
        make_user(suqian_db, role)
    with TestClient(create_app(settings, suqian_db)) as client:
        yield client


@pytest.fixture
def as_user(app: TestClient) -> Iterator[SignIn]:
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        client = TestClient(app.app)
        clients.append(client)
        return sign_in(client, username)

    yield make
    for client in clients:
        client.close()


def unfinished_issue(db: Database, *, colour: SupervisionColour | None = None) -> str:
    """An unfinished issue of 沭阳县 on the board (of ``colour``) nobody handles yet."""
    board = supervision.board(db, SHUYANG, colour=colour, limit=200, with_counts=False)
    for item in board.items:
        if item.row.department is None and item.row.claimed_by_name is None:
            return item.row.id
    raise AssertionError(f"no unhandled {colour} issue in the seed")


def trail_of(db: Database, actor: str) -> list[tuple[str, str | None]]:
    _total, events = audit.audit_page(db, skip=0, limit=20, actor=actor)
    return [(e.action, e.target) for e in events]


def problem_of(page: str) -> tuple[str, str]:
    """The code and the message of the console's error page."""
    found = re.search(r'id="problem" data-code="([A-Z_]+)">([^<]+)<', page)
    assert found, page[:2000]
    return found.group(1), found.group(2)


def post_change(client: TestClient, issue_id: str, **fields: str) -> tuple[int, str, str]:
    """POST a change from the issue's page: (status, answer's page, where it redirects)."""
    page = client.get(f"/console/issues/{issue_id}")
    assert page.status_code == 200, page.text[:2000]
    answer = client.post(
        f"/console/issues/{issue_id}",
        data={"csrf": csrf_of(page.text), **fields},
        follow_redirects=False,
    )
    return answer.status_code, answer.text, answer.headers.get("location", "")


def test_organizer_assigns_an_issue_to_a_department(as_user: SignIn, suqian_db: Database) -> None:
    issue_id = unfinished_issue(suqian_db)
    client = as_user("t-organizer")
    page = client.get(f"/console/issues/{issue_id}")
    options = re.findall(r'<option value="([^"]+)" >([^<]+)</option>', page.text)
    assert options, "departments to choose from"
    department_id, department_name = options[0]
    done = client.post(
        f"/console/issues/{issue_id}",
        data={"csrf": csrf_of(page.text), "action": "assign", "department": department_id},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/console/issues/{issue_id}?done=assign"
    shown = client.get(done.headers["location"])
    assert 'id="done"' in shown.text and "已保存" in shown.text
    assert department_name in shown.text.split('id="history"')[1]
    assert handling.handling_of(suqian_db, issue_id).department_id == department_id
    assert (AuditAction.ISSUE_ASSIGNED, f"issue:{issue_id}") in trail_of(
        suqian_db, "user:t-organizer"
    )


@pytest.mark.parametrize(
    ("fields", "status", "code", "words"),
    [
        ({"action": "assign", "department": ""}, 400, "BAD_USER_INPUT", "请选择承办单位"),
        ({"action": "assign", "department": "NO-SUCH"}, 404, "NOT_FOUND", "NO-SUCH"),
        ({"action": "status", "to": "DONE"}, 400, "BAD_USER_INPUT", "DONE"),
        ({"action": "shred"}, 400, "BAD_USER_INPUT", "shred"),
        ({"action": "claim"}, 403, "FORBIDDEN", "签收"),
    ],
    ids=["no-department", "unknown-department", "unknown-status", "unknown-action", "claim"],
)
def test_organizer_mistakes_are_explained(
    as_user: SignIn,
    suqian_db: Database,
    fields: dict[str, str],
    status: int,
    code: str,
    words: str,
) -> None:
    issue_id = unfinished_issue(suqian_db)
    refused = post_change(as_user("t-organizer"), issue_id, **fields)
    assert refused[0] == status
    shown_code, message = problem_of(refused[1])
    assert shown_code == code
    assert words in message


def test_a_status_change_follows_the_transitions(as_user: SignIn, suqian_db: Database) -> None:
    row = suqian_db.execute(
        "MATCH (i:Issue {status: 'DISPATCHED'}) WHERE i.areaCode STARTS WITH '321322' "
        "RETURN i.id AS id ORDER BY i.id LIMIT 1"
    )[0]
    client = as_user("t-organizer")
    # RESOLVED may not follow DISPATCHED: the rule is named, in Chinese
    refused = post_change(client, row["id"], action="status", to="RESOLVED")
    assert refused[0] == 409
    code, message = problem_of(refused[1])
    assert code == "RULE_VIOLATION" and "规则" in message
    done = post_change(client, row["id"], action="status", to="IN_PROGRESS", note="已电话联系")
    assert done[0] == 303
    page = client.get(f"/console/issues/{row['id']}")
    assert re.search(r'id="issue-status">办理中<', page.text)
    assert "已电话联系" in page.text.split('id="history"')[1]
    assert (AuditAction.ISSUE_STATUS, f"issue:{row['id']}") in trail_of(
        suqian_db, "user:t-organizer"
    )


def test_a_planner_may_not_change_an_issue(as_user: SignIn, suqian_db: Database) -> None:
    issue_id = unfinished_issue(suqian_db)
    client = as_user("t-planner")
    page = client.get(f"/console/issues/{issue_id}")
    assert 'id="assign-form"' not in page.text
    refused = post_change(client, issue_id, action="status", to="IN_PROGRESS")
    assert refused[0] == 403
    assert problem_of(refused[1])[0] == "FORBIDDEN"


def test_a_deputy_claims_an_issue_of_a_village_they_cover(
    as_user: SignIn, suqian_db: Database
) -> None:
    found = suqian_db.execute(
        "MATCH (i:Issue) WHERE i.areaCode STARTS WITH '321322' "
        "  AND i.status IN ['DISPATCHED', 'IN_PROGRESS'] "
        "  AND NOT exists { (i)<-[:CLAIMED]-() } AND NOT exists { (i)-[:ASSIGNED_TO]->() } "
        "MATCH (d:Deputy {status: 'ACTIVE'})-[:CONTACTS]->(:Area {code: i.areaCode}) "
        "RETURN d.id AS deputy, i.id AS issue ORDER BY i.id LIMIT 1"
    )
    if not found:
        pytest.skip("the seed has no unclaimed issue of a covered village")
    deputy_id, issue_id = found[0]["deputy"], found[0]["issue"]
    username = f"t-claimer-{deputy_id}"
    if accounts.queries.get_user(suqian_db, username) is None:
        accounts.create_user(suqian_db, username, "deputy", PASSWORD, deputy_id=deputy_id)
    client = as_user(username)
    done = post_change(client, issue_id, action="claim")
    assert done[0] == 303
    assert handling.handling_of(suqian_db, issue_id).claimed_by == deputy_id
    assert (AuditAction.ISSUE_CLAIMED, f"issue:{issue_id}") in trail_of(
        suqian_db, f"user:{username}"
    )


def test_a_letter_goes_to_red_items_only(as_user: SignIn, suqian_db: Database) -> None:
    client = as_user("t-organizer")
    red = supervision.board(suqian_db, SHUYANG, colour=SupervisionColour.RED, limit=1)
    if red.items:
        issue_id = red.items[0].row.id
        done = post_change(client, issue_id, action="letter", note="请三日内办结")
        assert done[0] == 303
        assert (AuditAction.LETTER_ISSUED, f"issue:{issue_id}") in trail_of(
            suqian_db, "user:t-organizer"
        )
    other = [c for c in (SupervisionColour.GREEN, SupervisionColour.YELLOW) if c.value != "RED"]
    for colour in other:
        board = supervision.board(suqian_db, SHUYANG, colour=colour, limit=1)
        if board.items:
            refused = post_change(client, board.items[0].row.id, action="letter")
            assert refused[0] == 409
            code, message = problem_of(refused[1])
            assert code == "RULE_VIOLATION" and "督办函只对红色（超期）事项发出" in message
            return
    assert red.items, "neither a red item nor another to refuse a letter"


# -- the roster import: check, import, undo ------------------------------------------------


@pytest.fixture
def importer(settings: Settings, db: Database) -> Iterator[TestClient]:
    load_base(db)
    accounts.create_user(db, "t-clerk", "admin", PASSWORD)
    with TestClient(create_app(settings, db)) as client:
        yield sign_in(client, "t-clerk")


def wait_for_job(client: TestClient, location: str) -> str:
    deadline = time.monotonic() + 120
    while True:
        page = client.get(location).text
        if 'id="job-status"' in page or 'id="job-error"' in page:
            return page
        assert time.monotonic() < deadline, page[:2000]
        time.sleep(0.2)


def test_a_checked_roster_is_imported(importer: TestClient, db: Database) -> None:
    index = importer.get("/console/imports")
    workbook = messy_workbook()
    checked = importer.post(
        "/console/imports/check",
        data={"csrf": csrf_of(index.text), "kind": "deputies"},
        files={"file": ("代表名单.xlsx", workbook, "application/octet-stream")},
    )
    assert checked.status_code == 200, checked.text[:2000]
    bad = checked.text.split('id="bad-rows"')[1]
    assert "代表名单（一）" in bad and "不是代表层级" in bad
    assert (
        db.execute("MATCH (d:Deputy) WHERE d.id STARTS WITH 'M-' RETURN count(d) AS n")[0]["n"] == 0
    )  # a dry run
    errors = re.search(r'href="(/console/imports/errors/[^"]+\.csv)"', checked.text)
    assert errors
    downloaded = importer.get(errors.group(1))
    assert downloaded.status_code == 200 and "不是代表层级" in downloaded.content.decode(
        "utf-8-sig"
    )

    token = re.search(r'name="token" value="([^"]+)"', checked.text)
    assert token
    started = importer.post(
        "/console/imports/run",
        data={
            "csrf": csrf_of(checked.text),
            "token": token.group(1),
            "kind": "deputies",
            "allow_partial": "1",
        },
        follow_redirects=False,
    )
    assert started.status_code == 303
    finished = wait_for_job(importer, started.headers["location"])
    assert 'id="job-status"' in finished and "新增3条" in finished, finished[:2000]
    imported = "MATCH (d:Deputy) WHERE d.id STARTS WITH 'M-' RETURN count(d) AS n"
    assert db.execute(imported)[0]["n"] == 3

    # a finished run settled its rows: nothing is left to undo, and no undo is offered
    history = importer.get("/console/imports")
    assert 'id="undo"' not in history.text
    run_id = db.execute("MATCH (r:ImportRun) RETURN r.id AS id ORDER BY r.startedAt DESC")[0]["id"]
    refused = importer.post(
        "/console/imports/undo", data={"csrf": csrf_of(history.text), "run": run_id}
    )
    assert refused.status_code == 400
    code, message = problem_of(refused.text)
    assert code == "BAD_USER_INPUT" and "没有留下已写入的数据，无需撤销" in message
    assert AuditAction.IMPORTED in [action for action, _target in trail_of(db, "user:t-clerk")]


def without_accounts(graph: tuple[list[str], list[str]]) -> tuple[list[str], list[str]]:
    nodes, edges = graph
    return [n for n in nodes if not n.startswith('[["User"]')], edges


def test_an_import_killed_mid_way_is_undone_from_the_console(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    accounts.create_user(db, "t-clerk", "admin", PASSWORD)  # before the graph is taken
    untouched, _path, partial = killed(settings, db, tmp_path)
    with TestClient(create_app(settings, db)) as client:
        sign_in(client, "t-clerk")
        history = client.get("/console/imports")
        assert 'id="undo"' in history.text and 'id="force"' in history.text
        run = re.search(r'name="run" value="([^"]+)"', history.text)
        assert run
        # still marked RUNNING: the admin must say its process is gone
        refused = client.post(
            "/console/imports/undo", data={"csrf": csrf_of(history.text), "run": run.group(1)}
        )
        assert refused.status_code == 400
        assert "仍标记为进行中" in problem_of(refused.text)[1]
        undone = client.post(
            "/console/imports/undo",
            data={"csrf": csrf_of(history.text), "run": run.group(1), "force": "1"},
            follow_redirects=False,
        )
        assert undone.status_code == 303
        assert undone.headers["location"].endswith(f"{run.group(1)}:{partial}")
        assert 'id="undone"' in client.get(undone.headers["location"]).text
    # what the killed run wrote is gone (the account's node changed: it signed in)
    assert without_accounts(fingerprint(db)) == without_accounts(untouched)
    assert not db.execute("MATCH (u:ImportUndo) RETURN u LIMIT 1")
    assert (AuditAction.IMPORT_UNDONE, f"import:{run.group(1)}") in trail_of(db, "user:t-clerk")


def test_an_unknown_upload_cannot_be_imported(importer: TestClient) -> None:
    index = importer.get("/console/imports")
    refused = importer.post(
        "/console/imports/run",
        data={"csrf": csrf_of(index.text), "token": "not-a-token"},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    assert problem_of(refused.text)[0] == "NOT_FOUND"


def test_undoing_an_unknown_run_is_a_clear_error(importer: TestClient) -> None:
    index = importer.get("/console/imports")
    refused = importer.post(
        "/console/imports/undo", data={"csrf": csrf_of(index.text), "run": "no-such-run"}
    )
    assert refused.status_code == 404
    assert problem_of(refused.text) == ("NOT_FOUND", "未找到导入批次“no-such-run”")
