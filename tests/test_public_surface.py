"""What the public sees (issue 21, item 5): the public issue view, ``/health``, security headers
on pages, multipart only with a preflight header, and the GraphiQL and introspection switches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services.dataset import write_dataset
from tests.conftest import bearer, data, graphql
from tests.factories import VILLAGE_A
from tests.test_citizen_tracking import citizen_city

SUBMIT = """mutation { submitIssue(villageCode: "321302100201", title: "村口路灯坏了三个月",
  category: "基础设施", body: "村口主干道的路灯已经坏了三个月，晚上出行很不安全。") {
  issueId trackingCode } }"""
UPDATE = """mutation($id: ID!, $note: String, $public: String) {
  updateIssueStatus(issueId: $id, status: IN_PROGRESS, note: $note, publicNote: $public) {
    history { status by byName note publicNote } } }"""
STAFF_NOTE = "内部：该村支书电话已核实，周三上门"
PUBLIC_NOTE = "已联系镇村两级，本周内维修"


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[TestClient]:
    write_dataset(db, citizen_city())
    with TestClient(create_app(settings.with_(rate_limit_per_minute=1000), db)) as client:
        yield client


@pytest.fixture
def tracked(api: TestClient, settings: Settings) -> str:
    """A submitted issue that deputy 唐一 (T1) moved on with a staff and a public note."""
    issue = data(graphql(api, SUBMIT))["submitIssue"]
    staff = data(
        graphql(
            api,
            UPDATE,
            {"id": issue["issueId"], "note": STAFF_NOTE, "public": PUBLIC_NOTE},
            bearer(settings, "deputy", "T1"),
        )
    )["updateIssueStatus"]["history"][-1]
    assert staff == {
        "status": "IN_PROGRESS",
        "by": "deputy:T1",
        "byName": "唐一",
        "note": STAFF_NOTE,
        "publicNote": PUBLIC_NOTE,
    }
    return str(issue["trackingCode"])


def test_the_public_view_has_status_time_and_public_note_only(
    api: TestClient, tracked: str
) -> None:
    query = """query($c: String!) { issueByTrackingCode(trackingCode: $c) {
        history { status at note } } }"""
    history = data(graphql(api, query, {"c": tracked}))["issueByTrackingCode"]["history"]
    assert [h["status"] for h in history] == ["RECEIVED", "DISPATCHED", "IN_PROGRESS"]
    assert history[-1]["note"] == PUBLIC_NOTE
    assert all(h["at"] for h in history)
    for field in ("by", "byName", "publicNote"):
        refused = graphql(
            api,
            f"query($c: String!) {{ issueByTrackingCode(trackingCode: $c) {{ history {{ {field} }} }} }}",
            {"c": tracked},
        )
        assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_tracking_page_shows_no_names_ids_or_staff_notes(api: TestClient, tracked: str) -> None:
    html = api.get(f"/t/{tracked}").text
    assert PUBLIC_NOTE in html
    for secret in (STAFF_NOTE, "唐一", "deputy:T1", "T1 代表", "13700001111"):
        assert secret not in html


def test_health_says_only_ok_to_the_public(api: TestClient, settings: Settings) -> None:
    public = api.get("/health")
    assert public.status_code == 200
    assert public.json() == {"status": "ok"}
    planner = api.get("/health", headers=bearer(settings, "planner"))
    assert planner.json() == {"status": "ok"}
    admin = api.get("/health", headers=bearer(settings, "admin")).json()
    assert admin["status"] == "ok" and admin["database"]["agent"].startswith("Neo4j/5.")


def test_health_details_on_loopback_unless_relayed(settings: Settings, db: Database) -> None:
    app = create_app(settings, db)
    with TestClient(app, client=("127.0.0.1", 5000)) as local:
        assert "database" in local.get("/health").json()
        relayed = local.get("/health", headers={"x-forwarded-for": "203.0.113.9"})
        assert relayed.json() == {"status": "ok"}


def test_health_of_a_down_database_names_nothing_to_the_public(settings: Settings) -> None:
    from tests.conftest import free_port

    down = Database(
        settings.with_(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="x" * 8)
    )
    with TestClient(create_app(settings, down)) as api:
        answer = api.get("/health")
    down.close()
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable"}


@pytest.mark.parametrize(
    "path",
    [f"/v/{VILLAGE_A['code']}", "/t/SHS-NOTAREALCODE", "/graphql", "/health"],
    ids=["village", "tracking-404", "graphiql", "health"],
)
def test_security_headers_on_every_answer(api: TestClient, path: str) -> None:
    response = api.get(path, headers={"accept": "text/html"})
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_style(api: TestClient) -> None:
    html = api.get(f"/v/{VILLAGE_A['code']}").text
    assert "<script" not in html and "<style" not in html and "style=" not in html
    assert api.get("/static/site.css").status_code == 200


def test_a_cross_site_multipart_post_is_refused(api: TestClient, settings: Settings) -> None:
    """A browser may send a multipart form to /graphql from any site without a preflight, with
    the cookies of the victim; it cannot add a custom header without one."""
    response = api.post(
        "/graphql",
        data={"operations": '{"query": "mutation { __typename }"}', "map": "{}"},
        files={"x": ("a.txt", b"x")},
        headers={"origin": "https://evil.example", **bearer(settings, "admin")},
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "GraphQL-Require-Preflight" in error["message"]


@pytest.mark.parametrize(
    ("graphiql", "introspection"),
    [(False, True), (True, False)],
    ids=["no-graphiql", "no-introspection"],
)
def test_graphiql_and_introspection_switches(
    settings: Settings, db: Database, graphiql: bool, introspection: bool
) -> None:
    app = create_app(settings.with_(graphiql=graphiql, introspection=introspection), db)
    with TestClient(app) as api:
        page = api.get("/graphql", headers={"accept": "text/html"})
        schema = graphql(api, "{ __schema { queryType { name } } }")
        typename = graphql(api, "{ __typename }")
    assert (page.status_code == 200) is graphiql
    if introspection:
        assert data(schema) == {"__schema": {"queryType": {"name": "Query"}}}
    else:
        assert schema["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "introspection" in schema["errors"][0]["message"].lower()
    assert data(typename) == {"__typename": "Query"}
    env = Settings.from_env({"GRAPHCOORD_GRAPHIQL": "0", "GRAPHCOORD_INTROSPECTION": "off"})
    assert (env.graphiql, env.introspection) == (False, False)
