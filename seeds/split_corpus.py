"""Give every row of the labelled opinion corpus its train/test split, once and for all.

Usage: ``python seeds/split_corpus.py`` (writes ``graphcoord/text/data/corpus.tsv`` in place).

Rows that already have a split keep it, so the split never moves once committed; only rows
added later (an empty ``split`` cell, or a file without the column) are assigned. The unit of
assignment is a *group*: a paraphrase group (``dup``), a planted topic (``topic``) or a single
row, so that no duplicate pair or topic is cut in two and the test split never sees a
paraphrase of a training row. Per category, half of the paraphrase groups and a quarter of the
single rows go to the test split, and about half of all topics (seeded, deterministic).
"""

from __future__ import annotations

import csv
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "graphcoord" / "text" / "data" / "corpus.tsv"
COLUMNS = ("id", "split", "category", "dup", "topic", "place", "title", "body")
SEED = 26
#: Share of each kind of group put in the test split.
TEST_SHARE = {"dup": 0.5, "topic": 0.5, "single": 0.25}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row.setdefault("split", "")
        row["split"] = row["split"] or ""
    return rows


def group_key(row: dict[str, str]) -> tuple[str, str]:
    if row["dup"]:
        return "dup", row["dup"]
    if row["topic"]:
        return "topic", row["topic"]
    return "single", row["id"]


def assign(rows: list[dict[str, str]]) -> int:
    """Split the rows that have none; return how many were assigned."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[group_key(row)].append(row)
    rng = random.Random(SEED)
    pending: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, members in sorted(groups.items()):
        if any(not m["split"] for m in members):
            known = {m["split"] for m in members if m["split"]}
            if known:  # a group already split: new members follow it
                for m in members:
                    m["split"] = m["split"] or known.pop()
                continue
            # topics are few (one or two a category): they are split over all categories
            stratum = "" if key[0] == "topic" else members[0]["category"]
            pending[(key[0], stratum)].append(key)
    assigned = 0
    for (kind, _category), keys in sorted(pending.items()):
        rng.shuffle(keys)
        test = round(len(keys) * TEST_SHARE[kind])
        for n, key in enumerate(keys):
            for member in groups[key]:
                member["split"] = "test" if n < test else "train"
                assigned += 1
    return assigned


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE
        )
        writer.writeheader()
        writer.writerows({c: row[c] for c in COLUMNS} for row in rows)


def main() -> int:
    rows = read(CORPUS)
    assigned = assign(rows)
    write(rows, CORPUS)
    splits = Counter(row["split"] for row in rows)
    print(f"{CORPUS}: {len(rows)} rows, {assigned} newly assigned; {dict(splits)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
