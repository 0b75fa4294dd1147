"""``importRoster`` over HTTP: a multipart upload, as a browser or a script sends it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphcoord.config import Settings
from graphcoord.db import Database
from tests.conftest import bearer, data, graphql
from tests.test_importer_support import counts, load_base, write_csv

MUTATION = """
mutation Import($file: Upload!, $kind: String, $dryRun: Boolean!, $allowPartial: Boolean!) {
  importRoster(kind: $kind, file: $file, dryRun: $dryRun, allowPartial: $allowPartial) {
    status file fileHash runId kinds dryRun rejectedRows badRowCount warnings
    counts { kind created updated unchanged rejected }
    badRows { file sheet row column value reason }
  }
}
"""

HEADER = ["代表编号", "姓名", "代表层级", "联系电话", "选区代码"]

#: Every caller below admin, and the error each gets from an admin-only field.
NOT_ADMINS: dict[str, tuple[str | None, str]] = {
    "no-token": (None, "UNAUTHENTICATED"),
    "deputy": ("deputy", "FORBIDDEN"),
    "planner": ("planner", "FORBIDDEN"),
    "organizer": ("organizer", "FORBIDDEN"),
}


def upload(
    client: TestClient,
    path: Path,
    headers: dict[str, str],
    *,
    kind: str | None = "deputies",
    dry_run: bool = False,
    allow_partial: bool = False,
) -> dict[str, Any]:
    operations = {
        "query": MUTATION,
        "variables": {
            "file": None,
            "kind": kind,
            "dryRun": dry_run,
            "allowPartial": allow_partial,
        },
    }
    response = client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": (path.name, path.read_bytes(), "text/csv")},
        # A multipart request needs a preflight header (uploads are refused cross-site).
        headers={"graphql-require-preflight": "1", **headers},
    )
    assert response.status_code != 500, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "代表.csv",
        HEADER,
        [
            ["G-1", "王晓梅", "县", "13812345678", "321302001000"],
            ["G-2", "李", "乡", "", "321302002000"],
        ],
        encoding="gb18030",
    )


def test_admin_uploads_a_roster(
    client: TestClient, db: Database, settings: Settings, roster: Path
) -> None:
    load_base(db)
    body = upload(client, roster, bearer(settings, "admin"))
    assert "errors" not in body, body
    report = body["data"]["importRoster"]
    assert report["status"] == "SUCCEEDED"
    assert report["file"] == "代表.csv"
    assert report["kinds"] == ["deputies"]
    assert report["runId"]
    assert report["counts"] == [
        {"kind": "deputies", "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    ]
    records = db.execute("MATCH (d:Deputy {id: 'G-1'})-[:ELECTED_IN]->(a) RETURN a.code AS a")
    assert records[0]["a"] == "321302001000"
    again = upload(client, roster, bearer(settings, "admin"), dry_run=True)
    assert again["data"]["importRoster"]["status"] == "VALIDATED"
    assert again["data"]["importRoster"]["counts"][0]["unchanged"] == 2


def test_bad_upload_is_rejected_with_every_bad_row(
    client: TestClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    load_base(db)
    before = counts(db)
    path = write_csv(
        tmp_path / "bad.csv",
        HEADER,
        [["G-1", "王", "副省级", "", "321302001000"], ["G-2", "李", "乡", "110", "321302002000"]],
    )
    body = upload(client, path, bearer(settings, "admin"))
    report = body["data"]["importRoster"]
    assert report["status"] == "REJECTED"
    assert report["badRowCount"] == 2
    assert [(b["row"], b["column"]) for b in report["badRows"]] == [
        (2, "代表层级"),
        (3, "联系电话"),
    ]
    assert counts(db) == before
    partial = upload(client, path, bearer(settings, "admin"), allow_partial=True)
    assert partial["data"]["importRoster"]["status"] == "SUCCEEDED"
    assert partial["data"]["importRoster"]["rejectedRows"] == 2


def test_unsupported_upload_is_bad_user_input(
    client: TestClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "roster.pdf"
    path.write_bytes(b"%PDF-1.4")
    body = upload(client, path, bearer(settings, "admin"))
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "unsupported file type" in body["errors"][0]["message"]


@pytest.mark.parametrize(("role", "code"), NOT_ADMINS.values(), ids=NOT_ADMINS.keys())
def test_only_admins_may_import(
    client: TestClient, db: Database, settings: Settings, roster: Path, role: str | None, code: str
) -> None:
    load_base(db)
    before = counts(db)
    headers = {} if role is None else bearer(settings, role, "B-C1" if role == "deputy" else None)
    body = upload(client, roster, headers)
    assert body.get("data") is None  # refused before the upload was read: no data at all
    assert body["errors"][0]["extensions"]["code"] == code
    assert counts(db) == before
    assert not db.execute("MATCH (r:ImportRun) RETURN r")


RUNS = """
query Runs($first: Int, $after: String) {
  importRuns(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id file fileHash kind status startedAt finishedAt
                   created updated unchanged rejected error undoBatches } }
  }
}
"""


def test_admin_reads_the_import_runs_newest_first(
    client: TestClient, db: Database, settings: Settings, roster: Path, tmp_path: Path
) -> None:
    load_base(db)
    admin = bearer(settings, "admin")
    good = upload(client, roster, admin)["data"]["importRoster"]
    bad_file = write_csv(tmp_path / "bad.csv", HEADER, [["G-3", "", "县", "", "321302001000"]])
    bad = upload(client, bad_file, admin)["data"]["importRoster"]
    assert (good["status"], bad["status"]) == ("SUCCEEDED", "REJECTED")

    first = graphql(client, RUNS, {"first": 1}, admin)
    page = data(first)["importRuns"]
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"] is True
    [newest] = [edge["node"] for edge in page["edges"]]
    assert newest["id"] == bad["runId"]
    assert (newest["file"], newest["status"], newest["rejected"]) == ("bad.csv", "REJECTED", 1)

    after = page["pageInfo"]["endCursor"]
    rest = data(graphql(client, RUNS, {"first": 5, "after": after}, admin))["importRuns"]
    assert rest["pageInfo"]["hasNextPage"] is False
    [oldest] = [edge["node"] for edge in rest["edges"]]
    assert oldest["id"] == good["runId"]
    assert oldest["fileHash"] == good["fileHash"]
    assert (oldest["kind"], oldest["status"], oldest["created"]) == ("deputies", "SUCCEEDED", 2)
    assert oldest["finishedAt"] is not None and oldest["undoBatches"] == 0


@pytest.mark.parametrize(("role", "code"), NOT_ADMINS.values(), ids=NOT_ADMINS.keys())
def test_only_admins_read_the_import_runs(
    client: TestClient, db: Database, settings: Settings, role: str | None, code: str
) -> None:
    load_base(db)  # a deputy token is refused unless its deputy exists
    headers = {} if role is None else bearer(settings, role, "B-C1" if role == "deputy" else None)
    body = graphql(client, RUNS, {}, headers)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code
