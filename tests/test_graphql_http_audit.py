"""The GraphQL-over-HTTP spec, audited by its own suite (issue 21, item 9): graphql-http's
``serverAudits`` (npm, pinned by tests/graphql_http_audit/package-lock.json) run by node against
graphcoord served by uvicorn: 0 errors and 0 warnings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graphcoord.app import create_app
from graphcoord.config import Settings
from graphcoord.db import Database
from tests.servers import served

AUDIT = Path(__file__).parent / "graphql_http_audit"


def audit_tool() -> Path:
    """The audit's folder with its node_modules installed (``npm ci``, from the lock file)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the graphql-http audit")
    if not (AUDIT / "node_modules" / "graphql-http").is_dir():
        installed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=AUDIT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert installed.returncode == 0, installed.stderr
    return AUDIT


def test_graphql_over_http_audit_has_no_error_and_no_warning(
    settings: Settings, db: Database
) -> None:
    folder = audit_tool()
    with served(create_app(settings, db)) as url:
        ran = subprocess.run(
            ["node", "audit.mjs", f"{url}/graphql"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    problems = [r for r in report["results"] if r["status"] != "ok"]
    assert problems == []
    assert (report["warn"], report["error"]) == (0, 0)
    assert report["ok"] >= 61


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ nodeCounts { ", None),
        ("{ nodeCounts { nope } }", None),
        ("query($n: Int!) { deputies(first: $n) { totalCount } }", {"n": "ten"}),
    ],
    ids=["parse", "validation", "coercion"],
)
def test_request_errors_are_400_without_data_under_graphql_response_json(
    client: TestClient, query: str, variables: dict[str, str] | None
) -> None:
    media = "application/graphql-response+json"
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"accept": media},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(media)
    body = response.json()
    assert "data" not in body and body["errors"]
    plain = client.post("/graphql", json={"query": query, "variables": variables})
    assert plain.status_code == 200 and plain.json()["data"] is None  # application/json as before


def test_execution_errors_keep_200_and_data(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json={"query": '{ area(code: "320000000000") { name } }'},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200
    body = response.json()
    assert "data" in body and body["errors"][0]["extensions"]["code"] in {
        "UNAUTHENTICATED",
        "NOT_FOUND",
    }
