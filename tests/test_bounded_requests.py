"""Bounded requests (issue 21, item 1): every body limited while it streams in, uploads
refused before a byte is spooled, caches that never keep a large text, and the memory of a
real ``graphcoord serve`` flat under the two attacks of the issue."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.schema import documents
from graphcoord.services.dataset import write_dataset
from tests.conftest import bearer
from tests.factories import VILLAGE_A
from tests.servers import ServeProcess, served
from tests.test_citizen_tracking import citizen_city
from tests.test_citizen_web import VALID, csrf_of, issue_count

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "hardening"
MIB = 1 << 20
ATTACK_COMMENT = b'{"query": "{ __typename } #' + b"x" * (20 * MIB) + b'"}'
NESTED = (
    "{deputies(first:500){edges{node{groups{group{members{deputy{groups{group{members"
    "{deputy{id}}}}}}}}}}}}"
)


def chunks(total: int, size: int = 64 << 10, head: bytes = b"") -> Iterator[bytes]:
    """A body sent without Content-Length (chunked): ``head`` then ``total`` bytes of x."""
    yield head
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_graphql_body_over_the_limit_is_refused_with_a_code(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        content=b'{"query": "{ __typename } #' + b"x" * (2 * MIB) + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "limit": MIB}
    assert "larger than the limit" in error["message"]


def test_chunked_graphql_body_is_counted_while_streaming(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        content=chunks(5 * MIB, head=b'{"query": "{ __typename } #'),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_chunked_public_form_is_refused_past_64_kib(settings: Settings, db: Database) -> None:
    write_dataset(db, citizen_city())
    with TestClient(create_app(settings, db), follow_redirects=False) as web:
        token = csrf_of(web.get(f"/v/{VILLAGE_A['code']}").text)
        head = f"csrf={token}&title=abcd&category=x&body=".encode()
        response = web.post(
            f"/v/{VILLAGE_A['code']}",
            content=chunks(5 * MIB, head=head),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "内容过长" in response.text and "64KB" in response.text
    assert issue_count(db) == 0


def test_a_form_under_the_limit_still_goes_through(settings: Settings, db: Database) -> None:
    write_dataset(db, citizen_city())
    with TestClient(create_app(settings, db), follow_redirects=False) as web:
        token = csrf_of(web.get(f"/v/{VILLAGE_A['code']}").text)
        response = web.post(f"/v/{VILLAGE_A['code']}", data={**VALID, "csrf": token})
    assert response.status_code == 303
    assert issue_count(db) == 1


def _upload(settings: Settings, body: bytes, headers: dict[str, str]) -> dict[str, object]:
    return {
        "files": {"0": ("deputies.csv", body, "text/csv")},
        "data": {
            "operations": json.dumps(
                {
                    "query": "mutation($f: Upload!) { importRoster(file: $f, dryRun: true) "
                    "{ status } }",
                    "variables": {"f": None},
                }
            ),
            "map": json.dumps({"0": ["variables.f"]}),
        },
        "headers": headers,
    }


def test_upload_over_max_upload_is_refused(settings: Settings, db: Database) -> None:
    app = create_app(settings.with_(max_upload=MIB), db)
    with TestClient(app) as api:
        headers = {**bearer(settings, "admin"), "graphql-require-preflight": "1"}
        response = api.post("/graphql", **_upload(settings, b"x" * (2 * MIB), headers))  # type: ignore[arg-type]
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "limit": MIB}


def _status_before_the_body(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send a chunked multipart request's headers and first 1 KiB only, then read the answer:
    the server must answer without waiting for (or spooling) the rest of the body."""
    parsed = urlparse(url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        lines = [
            "POST /graphql HTTP/1.1",
            f"host: {parsed.hostname}:{parsed.port}",
            "content-type: multipart/form-data; boundary=xyz",
            "transfer-encoding: chunked",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        sock.sendall(b"400\r\n" + b"x" * 1024 + b"\r\n")  # 1 KiB of a body that never ends
        answer = b""
        while b"\r\n\r\n" not in answer:
            received = sock.recv(65536)
            if not received:
                break
            answer += received
    status = int(answer.split(b" ", 2)[1])
    return status, answer


@pytest.mark.parametrize(
    ("role", "preflight", "status", "code"),
    [
        (None, True, 401, b"UNAUTHENTICATED"),
        ("planner", True, 403, b"FORBIDDEN"),
        ("admin", False, 400, b"BAD_USER_INPUT"),
    ],
    ids=["public", "planner", "admin-without-preflight"],
)
def test_uploads_are_refused_before_a_byte_is_spooled(
    settings: Settings, db: Database, role: str | None, preflight: bool, status: int, code: bytes
) -> None:
    headers: dict[str, str] = {}
    if role is not None:
        headers.update(bearer(settings, role))
    if preflight:
        headers["graphql-require-preflight"] = "1"
    with served(create_app(settings, db)) as url:
        answered, answer = _status_before_the_body(url, headers)
    assert answered == status
    assert code in answer


def test_large_texts_are_parsed_but_not_kept(client: TestClient) -> None:
    documents.cache.clear()
    query = "{ __typename } #" + "x" * (documents.MAX_CACHED_TEXT * 4)
    for _ in range(3):
        response = client.post("/graphql", json={"query": query})
        assert response.json() == {"data": {"__typename": "Query"}}
    assert len(documents.cache.documents) == 0
    assert len(documents.cache.validated) == 0
    client.post("/graphql", json={"query": "{ __typename }"})
    assert len(documents.cache.documents) == 1  # small texts are still kept


def test_server_memory_stays_flat_under_both_attacks(
    settings: Settings, suqian_db: Database
) -> None:
    """The issue's two attacks against ``graphcoord serve`` on the demo city: ten 20 MB
    comments (199 -> 649 MB before) and a deputy's nested-deputies query (806 MB, 13.6 MB
    answer, 10.9 s before). Both are refused; the figures go to test-artifacts/hardening/."""
    deputy = suqian_db.execute("MATCH (d:Deputy {status: 'ACTIVE'}) RETURN d.id AS id LIMIT 1")
    headers = {**bearer(settings, "deputy", deputy[0]["id"]), "content-type": "application/json"}
    with (
        ServeProcess(settings, GRAPHCOORD_DISPATCH_RETRY="0") as server,
        httpx.Client(base_url=server.url, timeout=120) as http,
    ):
        for _ in range(3):  # warm: the first requests allocate what every request needs
            http.post("/graphql", json={"query": "{ __typename }"})
        before = server.rss_mb()
        statuses = [
            http.post("/graphql", content=ATTACK_COMMENT, headers=headers).status_code
            for _ in range(10)
        ]
        after_comments = server.rss_mb()
        nested = http.post("/graphql", json={"query": NESTED}, headers=headers)
        after_nested = server.rss_mb()
    assert statuses == [413] * 10
    error = nested.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert "data" not in nested.json() or nested.json()["data"] is None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    figures = {
        "rssBeforeMB": round(before, 1),
        "rssAfterTenCommentAttacksMB": round(after_comments, 1),
        "rssAfterNestedDeputiesMB": round(after_nested, 1),
        "nestedError": error["message"],
    }
    (ARTIFACTS / "memory.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    assert after_comments - before < 30, figures
    assert after_nested - before < 30, figures
