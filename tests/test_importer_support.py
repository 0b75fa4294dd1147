"""Helpers of the importer tests (no tests here): a small base graph, file writers, counts."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.queries.imports import fingerprint
from graphcoord.services.dataset import write_dataset
from tests.conftest import CALLER_PREFIXES, cli_env

__all__ = [
    "BASE",
    "ROSTER_LABELS",
    "CliResult",
    "cli_in_process",
    "counts",
    "load_base",
    "write_csv",
    "write_xlsx",
]

ROSTER_LABELS = (
    "Area",
    "Deputy",
    "Group",
    "IndustryChain",
    "IndustryCluster",
    "ObservationPoint",
    "Activity",
)

BASE: dict[str, list[dict[str, Any]]] = {
    "areas": [
        {"code": "320000000000", "name": "江苏省", "kind": "PROVINCE"},
        {"code": "321300000000", "name": "宿迁市", "kind": "CITY", "parentCode": "320000000000"},
        {"code": "321302000000", "name": "宿城区", "kind": "COUNTY", "parentCode": "321300000000"},
        {
            "code": "321302001000",
            "name": "幸福街道",
            "kind": "TOWNSHIP",
            "parentCode": "321302000000",
        },
        {
            "code": "321302002000",
            "name": "项里街道",
            "kind": "TOWNSHIP",
            "parentCode": "321302000000",
        },
        {
            "code": "321302001001",
            "name": "幸福社区",
            "kind": "COMMUNITY",
            "parentCode": "321302001000",
        },
        {
            "code": "321302001002",
            "name": "新星村",
            "kind": "VILLAGE",
            "parentCode": "321302001000",
        },
        {
            "code": "321302002001",
            "name": "项里村",
            "kind": "VILLAGE",
            "parentCode": "321302002000",
        },
    ],
    "deputies": [
        {"id": "B-N1", "name": "全国代表", "level": "NATIONAL", "baseArea": "321302001000"},
        {"id": "B-C1", "name": "县代表", "level": "COUNTY", "electedIn": "321302001000"},
        {"id": "B-T1", "name": "乡代表", "level": "TOWNSHIP", "electedIn": "321302001000"},
    ],
    "groups": [{"id": "B-G1", "name": "幸福协同组", "kind": "COLLABORATIVE"}],
    "clusters": [{"id": "B-CL1", "name": "新能源"}],
    "chains": [{"id": "B-CH1", "name": "光伏", "clusterId": "B-CL1"}],
}


def load_base(db: Database) -> None:
    """The small base graph: a county with two townships and three villages, three deputies."""
    write_dataset(db, {kind: [dict(row) for row in rows] for kind, rows in BASE.items()})


def counts(db: Database) -> dict[str, int]:
    """Nodes per roster label and relationships per type (bookkeeping excluded)."""
    nodes, edges = fingerprint(db)
    result: dict[str, int] = {"nodes": len(nodes), "relationships": len(edges)}
    for label in ROSTER_LABELS:
        records = db.execute(
            "MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS c", {"label": label}
        )
        result[label] = int(records[0]["c"])
    return result


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]
) -> Path:
    book = Workbook()
    first = True
    for title, (header, rows) in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def cli_in_process(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> CliResult:
    """Run ``graphcoord ARGS`` through :func:`graphcoord.cli.main` in this process.

    The same entry point and environment as :func:`tests.conftest.run_cli`, without the
    seconds a fresh interpreter spends importing; the subprocess runs stay for the tests that
    need a real process (encodings, the killed import).
    """
    from graphcoord.cli import main

    env = cli_env(settings)
    for name in [name for name in os.environ if name.startswith(CALLER_PREFIXES)]:
        monkeypatch.delenv(name)  # only the test server's settings, as in a subprocess
    for name, value in env.items():
        if name.startswith(CALLER_PREFIXES):
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["graphcoord", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main()
    captured = capsys.readouterr()
    code = exit_info.value.code
    return CliResult(code if isinstance(code, int) else 1, captured.out, captured.err)
