"""Rebuild ``benchmarks/RESULTS.md`` from ``benchmarks/history.jsonl``: each section from the
JSON entry of its latest recorded run (``benchmarks.common.regenerate``).

Usage: ``python benchmarks/results.py`` (a tool, not a benchmark: ``run.py`` does not run it).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import regenerate

if __name__ == "__main__":
    for section in regenerate():
        print(f"rebuilt: {section}")
