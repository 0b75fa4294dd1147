"""The labelled corpus written for graphcoord: 682 citizens' opinions over the form's categories.

``data/corpus.tsv`` (UTF-8, tab-separated, one header line) has the columns ``id``, ``split``
(``train``/``test``, fixed once by ``seeds/split_corpus.py``), ``category`` (one of
:data:`graphcoord.model.CATEGORIES`), ``dup`` (a paraphrase group: the same matter told by
different people), ``topic`` (a topic planted over several villages), ``place`` (county,
township, village as written), ``title`` and ``body``. How it was written: ``seeds/README.md``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from graphcoord.text.segment import document

__all__ = ["CORPUS_PATH", "CorpusItem", "load_corpus", "place_parts"]

CORPUS_PATH = Path(__file__).resolve().parent / "data" / "corpus.tsv"
_PLACE = re.compile(r"^(?P<county>.+?(?:县|区))?(?P<town>.+?(?:镇|乡|街道|新区))?(?P<village>.+)?$")


@dataclass(frozen=True, slots=True)
class CorpusItem:
    """One labelled opinion."""

    id: str
    split: str
    category: str
    dup: str | None
    topic: str | None
    place: str
    title: str
    body: str

    @property
    def text(self) -> str:
        """The prepared text (:func:`~graphcoord.text.segment.document`, places removed)."""
        return document(self.title, self.body, place_parts(self.place))


def place_parts(place: str) -> tuple[str, ...]:
    """``沭阳县钱集镇王庄村`` -> ``("沭阳县", "钱集镇", "王庄村")`` (parts that are present)."""
    match = _PLACE.match(place.strip())
    if match is None:  # pragma: no cover - the pattern matches any string
        return (place,)
    return tuple(part for part in match.groups() if part)


def load_corpus(path: Path = CORPUS_PATH, split: str | None = None) -> list[CorpusItem]:
    """The corpus rows in file order, all of them or those of one ``split``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    items = [
        CorpusItem(
            id=row["id"],
            split=row["split"],
            category=row["category"],
            dup=row["dup"] or None,
            topic=row["topic"] or None,
            place=row["place"],
            title=row["title"],
            body=row["body"],
        )
        for row in rows
    ]
    return [item for item in items if split is None or item.split == split]
