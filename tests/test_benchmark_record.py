"""``benchmarks.common.record``: one JSON line per run, and only its own section of RESULTS.md
replaced by the current table. No Neo4j needed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from benchmarks import common

BEFORE = """# Benchmark results

The current table of each benchmark.

## Analytics (issue 5)

Run 2026-01-01 00:00 UTC at commit aaaaaaa on a machine.

| measure | p50 |
| --- | --- |
| old analytics | 1.0 ms |

## Import (issue 7)

Run 2026-01-01 00:00 UTC at commit aaaaaaa on a machine.

### A subsection stays with its section

| kind | ratio |
|---|---:|
| areas | 0.50× |

## GraphQL API (issue 6)

Run 2026-01-01 00:00 UTC at commit aaaaaaa on a machine.

| query | ratio p50 |
|---|---|
| coverage | 2.00× |
"""

WHEN = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    results, history = tmp_path / "RESULTS.md", tmp_path / "history.jsonl"
    results.write_text(BEFORE, encoding="utf-8")
    monkeypatch.setattr(common, "RESULTS", results)
    monkeypatch.setattr(common, "HISTORY", history)
    monkeypatch.setattr(common, "commit", lambda: "1234abc")
    monkeypatch.setattr(common, "uncommitted", lambda: False)
    monkeypatch.setattr(common, "machine", lambda: "2 cores (test CPU), 4 GiB RAM")
    return results, history


def test_a_run_appends_one_json_line_and_replaces_only_its_section(
    files: tuple[Path, Path],
) -> None:
    results, history = files
    lines = ["| kind | ratio |", "|---|---:|", "| areas | 1.25× |"]
    figures = {"kinds": {"areas": {"rows": 665_271, "ratio": 1.2468, "seconds": (1.0, 2.5)}}}
    entry = common.record(
        "Import (issue 7)", lines, figures, {"scale": 1.0, "heap": "3g"}, when=WHEN
    )

    recorded = [json.loads(line) for line in history.read_text(encoding="utf-8").splitlines()]
    assert recorded == [entry]
    assert entry == {
        "benchmark": "import",
        "date": "2026-11-28T09:30Z",
        "commit": "1234abc",
        "uncommitted_changes": False,
        "machine": "2 cores (test CPU), 4 GiB RAM",
        "settings": {"scale": 1.0, "heap": "3g"},
        "figures": {"kinds": {"areas": {"rows": 665_271, "ratio": 1.247, "seconds": [1.0, 2.5]}}},
        "section": "Import (issue 7)",
        "table": lines,
    }

    text = results.read_text(encoding="utf-8")
    import_section = (
        "## Import (issue 7)\n\n"
        "Run 2026-11-28 09:30 UTC at commit 1234abc on 2 cores (test CPU), 4 GiB RAM.\n\n"
        "| kind | ratio |\n|---|---:|\n| areas | 1.25× |\n"
    )
    before_import, _, rest = BEFORE.partition("## Import (issue 7)")
    after_import = rest[rest.index("## GraphQL API (issue 6)") :]
    # The other sections and the preamble are untouched, the order is kept, the old table
    # (and its subsection) is gone.
    assert text == before_import + import_section + "\n" + after_import
    assert "0.50×" not in text
    assert "A subsection" not in text


def test_runs_accumulate_in_the_history_and_a_new_section_is_appended(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    results, history = files
    common.record("GraphQL API (issue 6)", ["| coverage | 1.47× |"], {"ratio": 1.47}, when=WHEN)
    monkeypatch.setattr(common, "uncommitted", lambda: True)
    common.record("GraphQL API (issue 6)", ["| coverage | 1.40× |"], {"ratio": 1.4}, when=WHEN)
    common.record("Seeding", ["| suqian | 34 s |"], {"suqian_s": 34.2}, when=WHEN)

    entries = [json.loads(line) for line in history.read_text(encoding="utf-8").splitlines()]
    assert [(e["benchmark"], e["figures"]) for e in entries] == [
        ("graphql_api", {"ratio": 1.47}),
        ("graphql_api", {"ratio": 1.4}),
        ("seeding", {"suqian_s": 34.2}),
    ]
    assert [e["uncommitted_changes"] for e in entries] == [False, True, True]
    assert all(e["settings"] == {} for e in entries)

    text = results.read_text(encoding="utf-8")
    assert text.count("## GraphQL API (issue 6)") == 1
    assert "| coverage | 1.40× |" in text
    assert "1.47×" not in text and "2.00×" not in text
    assert "at commit 1234abc (with uncommitted changes) on" in text
    assert text.index("## Analytics") < text.index("## Import") < text.index("## GraphQL API")
    assert text.rstrip().endswith(
        "## Seeding\n\nRun 2026-11-28 09:30 UTC at commit 1234abc "
        "(with uncommitted changes) on 2 cores (test CPU), 4 GiB RAM."
        "\n\n| suqian | 34 s |"
    )


def test_the_paths_may_be_passed_and_a_missing_results_file_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "commit", lambda: None)
    monkeypatch.setattr(common, "uncommitted", lambda: None)
    results, history = tmp_path / "out" / "RESULTS.md", tmp_path / "out" / "history.jsonl"
    results.parent.mkdir()
    entry = common.record(
        "Analytics (issue 5)", ["x"], {}, results=results, history=history, when=WHEN
    )
    assert entry["commit"] is None
    assert results.read_text(encoding="utf-8").startswith(
        "# Benchmark results\n\n## Analytics (issue 5)\n\nRun 2026-11-28 09:30 UTC on "
    )
    assert len(history.read_text(encoding="utf-8").splitlines()) == 1


def test_commit_and_uncommitted_read_the_checkout() -> None:
    found = common.commit()
    if found is None:
        pytest.skip("not a git checkout (or no git)")
    assert 4 <= len(found) <= 40 and all(c in "0123456789abcdef" for c in found)
    assert common.uncommitted() in (True, False)


def test_results_md_is_regenerated_from_the_json_history(files: tuple[Path, Path]) -> None:
    results, history = files
    common.record("Import (issue 7)", ["| kind | ratio |", "| areas | 0.90× |"], {}, when=WHEN)
    common.record("Import (issue 7)", ["| kind | ratio |", "| areas | 1.10× |"], {}, when=WHEN)
    recorded = results.read_text(encoding="utf-8")
    # A hand-edited or lost RESULTS.md comes back from the history: the latest run of each
    # section that recorded its table; sections of runs without one stay as they were.
    results.write_text(BEFORE, encoding="utf-8")
    assert common.regenerate() == ["Import (issue 7)"]
    rebuilt = results.read_text(encoding="utf-8")
    assert rebuilt == recorded
    assert "| areas | 1.10× |" in rebuilt and "0.50×" not in rebuilt and "0.90×" not in rebuilt
    assert "| old analytics | 1.0 ms |" in rebuilt
    assert len(history.read_text(encoding="utf-8").splitlines()) == 2
