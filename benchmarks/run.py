"""Run every benchmark: each ``benchmarks/<name>.py`` that defines ``main(argv)``.

Usage: ``python benchmarks/run.py [NAME ...] [-- ARGS]``; with no names every benchmark runs.
Each benchmark starts its own Neo4j (a separate state folder and port), measures its baseline
in the same run, replaces its section of ``benchmarks/RESULTS.md`` with its current table and
appends the run to ``benchmarks/history.jsonl``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Benchmarks import each other as `benchmarks.<name>` from the checkout.
sys.path.insert(0, str(HERE.parent))


def discover() -> dict[str, Path]:
    return {
        path.stem: path
        for path in sorted(HERE.glob("*.py"))
        if path.stem not in {"run", "common", "__init__"} and "def main(" in path.read_text()
    }


def main() -> int:
    args = sys.argv[1:]
    extra: list[str] = []
    if "--" in args:
        extra = args[args.index("--") + 1 :]
        args = args[: args.index("--")]
    found = discover()
    names = args or list(found)
    unknown = [name for name in names if name not in found]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(found)}")
        return 2
    for name in names:
        print(f"== {name}")
        spec = importlib.util.spec_from_file_location(f"benchmarks.{name}", found[name])
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        status = module.main(extra)
        if status:
            return int(status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
