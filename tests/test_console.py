"""The office console over HTTP against the seeded city: sign-in, sessions, lockout, each page
per role (what a role may not see is neither shown nor served), CSV exports, applying a
suggestion, the audit trail."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.model import LOCKOUT_FAILURES
from graphcoord.services import accounts, audit

SHUYANG = "321322000000"  # 沭阳县
PASSWORD = "correct horse battery"
ROLES = ("admin", "organizer", "planner", "deputy")


def make_user(db: Database, role: str, name: str | None = None) -> str:
    username = name or f"t-{role}"
    deputy_id = None
    if role == "deputy":
        deputy_id = db.execute("MATCH (d:Deputy) RETURN d.id AS id ORDER BY d.id LIMIT 1")[0]["id"]
    if accounts.queries.get_user(db, username) is None:
        accounts.create_user(db, username, role, PASSWORD, deputy_id=deputy_id)
    return username


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    form = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, form.text
    client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf": token.group(1), "next": ""},
        follow_redirects=False,
    )
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


@pytest.fixture(scope="module")
def app(settings: Settings, suqian_db: Database) -> Iterator[TestClient]:
    for role in ROLES:
        make_user(suqian_db, role)
    with TestClient(create_app(settings, suqian_db)) as client:
        yield client


@pytest.fixture
def as_role(app: TestClient, settings: Settings, suqian_db: Database) -> Iterator[object]:
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        client = TestClient(app.app)
        clients.append(client)
        return sign_in(client, f"t-{role}")

    yield make
    for client in clients:
        client.close()


def test_pages_need_a_session(app: TestClient) -> None:
    app.cookies.clear()
    response = app.get("/console/coverage", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login?next=")


def test_session_cookie_is_httponly_strict_and_signed(
    settings: Settings, suqian_db: Database
) -> None:
    with TestClient(create_app(settings, suqian_db)) as client:
        form = client.get("/console/login")
        response = client.post(
            "/console/login",
            data={"username": "t-planner", "password": PASSWORD, "csrf": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookie = next(
            v for k, v in response.headers.multi_items() if k == "set-cookie" and "gc_console=" in v
        )
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
        assert "Max-Age=1800" in cookie
        assert client.get("/console/coverage").status_code == 200
        client.cookies.clear()
        client.cookies.set("gc_console", "forged." + "x" * 20)
        assert client.get("/console/coverage", follow_redirects=False).status_code == 303


def test_wrong_password_and_lockout(settings: Settings, suqian_db: Database) -> None:
    name = make_user(suqian_db, "planner", "t-locked")
    with TestClient(create_app(settings, suqian_db)) as client:
        for _ in range(LOCKOUT_FAILURES):
            form = client.get("/console/login")
            refused = client.post(
                "/console/login",
                data={"username": name, "password": "wrong password!", "csrf": csrf_of(form.text)},
            )
            assert refused.status_code == 401
        # locked now: the right password is refused too, with the same words
        form = client.get("/console/login")
        refused = client.post(
            "/console/login",
            data={"username": name, "password": PASSWORD, "csrf": csrf_of(form.text)},
        )
        assert refused.status_code == 401
        assert 'id="login-error"' in refused.text
    _total, events = audit.audit_page(suqian_db, skip=0, limit=20, target=f"user:{name}")
    assert "LOCKED_OUT" in {e.action for e in events}
    accounts.reset_password(suqian_db, name, PASSWORD)  # unlocks


def test_login_without_csrf_is_refused(app: TestClient) -> None:
    app.cookies.clear()
    response = app.post(
        "/console/login", data={"username": "t-admin", "password": PASSWORD, "csrf": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("planner", "/console/imports", 403),
        ("planner", "/console/audit", 403),
        ("organizer", "/console/imports", 403),
        ("deputy", "/console/imports", 403),
        ("admin", "/console/imports", 200),
        ("admin", "/console/audit", 200),
        ("planner", f"/console/coverage?area={SHUYANG}", 200),
        ("deputy", f"/console/groups?area={SHUYANG}", 200),
        ("organizer", f"/console/issues?area={SHUYANG}", 200),
        ("planner", f"/console/suggestions?area={SHUYANG}", 200),
    ],
    ids=[
        "planner-no-imports",
        "planner-no-audit",
        "organizer-no-imports",
        "deputy-no-imports",
        "admin-imports",
        "admin-audit",
        "planner-coverage",
        "deputy-groups",
        "organizer-issues",
        "planner-suggestions",
    ],
)
def test_each_role_sees_what_it_may(as_role, role: str, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client = as_role(role)
    response = client.get(path)
    assert response.status_code == status, response.text[:2000]
    menu = response.text.split('<nav id="menu">')[1].split("</nav>")[0]
    assert ('href="/console/imports"' in menu) == (role == "admin")


def test_coverage_drills_down_and_exports(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("planner")
    page = client.get(f"/console/coverage?area={SHUYANG}")
    assert "沭阳县" in page.text
    assert 'id="fragile"' in page.text
    township = re.search(r'href="/console/coverage\?area=(3213221\d{5})"', page.text)
    assert township, "a township to drill into"
    deeper = client.get(f"/console/coverage?area={township.group(1)}")
    assert deeper.status_code == 200 and "沭阳县" in deeper.text  # in the breadcrumb
    exported = client.get(f"/console/coverage?area={SHUYANG}&format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")


def test_planner_applies_a_suggestion_and_the_trail_has_it(  # type: ignore[no-untyped-def]
    as_role, suqian_db: Database
) -> None:
    client = as_role("planner")
    page = client.get(f"/console/suggestions?area={SHUYANG}")
    pair = re.search(r'name="pair" value="([^"|]+)\|(\d{12})"', page.text)
    assert pair, "a suggestion to apply"
    deputy_id, village = pair.groups()
    done = client.post(
        "/console/suggestions/apply",
        data={"csrf": csrf_of(page.text), "area": SHUYANG, "pair": f"{deputy_id}|{village}"},
    )
    assert done.status_code == 200, done.text[:2000]
    assert 'id="applied-count"' in done.text
    contacts = suqian_db.execute(
        "MATCH (:Deputy {id: $d})-[:CONTACTS]->(a:Area {code: $v}) RETURN count(*) AS n",
        {"d": deputy_id, "v": village},
    )
    assert contacts[0]["n"] == 1
    _, events = audit.audit_page(suqian_db, skip=0, limit=5, actor="user:t-planner")
    assert any(e.action == "CONTACT_ADDED" and e.detail == village for e in events)


def test_a_post_without_the_csrf_token_is_refused(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("planner")
    refused = client.post(
        "/console/suggestions/apply", data={"area": SHUYANG, "pair": "X|321322000000"}
    )
    assert refused.status_code == 403


def test_deputy_may_not_apply_suggestions(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("deputy")
    page = client.get(f"/console/suggestions?area={SHUYANG}")
    assert 'id="read-only"' in page.text and 'name="pair"' not in page.text
    refused = client.post(
        "/console/suggestions/apply",
        data={"csrf": csrf_of(page.text), "area": SHUYANG, "pair": "X|321322000000"},
    )
    assert refused.status_code == 403


def test_phone_numbers_only_for_organizers(as_role, suqian_db: Database) -> None:  # type: ignore[no-untyped-def]
    deputy = suqian_db.execute(
        "MATCH (d:Deputy) WHERE d.phone IS NOT NULL RETURN d.id AS id, d.phone AS phone LIMIT 1"
    )[0]
    planner = as_role("planner").get(f"/console/deputies/{deputy['id']}")
    organizer = as_role("organizer").get(f"/console/deputies/{deputy['id']}")
    assert deputy["phone"] not in planner.text and 'id="phone"' not in planner.text
    assert deputy["phone"] in organizer.text


def test_issue_queue_and_csv(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("organizer")
    page = client.get("/console/issues")
    assert 'id="colours"' in page.text
    exported = client.get("/console/issues?format=csv")
    assert exported.status_code == 200 and exported.content.startswith(b"\xef\xbb\xbf")


def test_bad_area_code_is_a_clear_error(as_role) -> None:  # type: ignore[no-untyped-def]
    response = as_role("planner").get("/console/coverage?area=12ab")
    assert response.status_code == 400
    assert 'data-code="BAD_USER_INPUT"' in response.text


def test_logout_ends_the_session(as_role) -> None:  # type: ignore[no-untyped-def]
    client = as_role("planner")
    page = client.get("/console/coverage")
    out = client.post("/console/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/console/coverage", follow_redirects=False).status_code == 303
