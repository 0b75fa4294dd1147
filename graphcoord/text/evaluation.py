"""Figures of the evaluation: category accuracy and macro-F1, duplicate pairs, cluster purity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from sklearn.metrics import accuracy_score, f1_score

__all__ = [
    "PairScores",
    "accuracy",
    "gold_pairs",
    "macro_f1",
    "pair_scores",
    "purity",
    "topics_found",
]


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of texts whose predicted category is the gold one."""
    return float(accuracy_score(gold, predicted))


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """F1 averaged over ``labels`` with equal weight (a category never predicted scores 0)."""
    return float(f1_score(gold, predicted, labels=list(labels), average="macro", zero_division=0))


@dataclass(frozen=True, slots=True)
class PairScores:
    """Precision and recall of predicted duplicate pairs against the gold pairs."""

    precision: float
    recall: float
    predicted: int
    gold: int
    correct: int


def gold_pairs(groups: Mapping[str, str | None]) -> set[frozenset[str]]:
    """Unordered pairs of ids sharing a group (``None`` is no group)."""
    members: dict[str, list[str]] = {}
    for key, group in groups.items():
        if group is not None:
            members.setdefault(group, []).append(key)
    return {frozenset(p) for ids in members.values() for p in combinations(sorted(ids), 2)}


def pair_scores(
    predicted: Iterable[tuple[str, str]], groups: Mapping[str, str | None]
) -> PairScores:
    """Score predicted pairs against the pairs of ``groups``.

    Examples
    --------
    >>> pair_scores([("a", "b"), ("a", "c")], {"a": "g", "b": "g", "c": None})
    PairScores(precision=0.5, recall=1.0, predicted=2, gold=1, correct=1)
    """
    found = {frozenset(p) for p in predicted}
    gold = gold_pairs(groups)
    correct = len(found & gold)
    return PairScores(
        precision=correct / len(found) if found else 0.0,
        recall=correct / len(gold) if gold else 0.0,
        predicted=len(found),
        gold=len(gold),
        correct=correct,
    )


def purity(clusters: Sequence[Sequence[str]], gold: Mapping[str, str | None]) -> float:
    """Share of clustered texts that belong to their cluster's majority gold topic.

    A text without a gold topic is a topic of its own, so a cluster that gathers unrelated
    texts scores low.

    Examples
    --------
    >>> purity([["a", "b", "c"], ["d", "e"]], {"a": "t", "b": "t", "c": None, "d": None, "e": None})
    0.6
    """
    total = sum(len(c) for c in clusters)
    if not total:
        return 0.0
    hits = 0
    for members in clusters:
        labels = Counter(gold.get(m) or f"#{m}" for m in members)
        hits += labels.most_common(1)[0][1]
    return hits / total


def topics_found(clusters: Sequence[Sequence[str]], gold: Mapping[str, str | None]) -> float:
    """Share of gold topics that some cluster recovers: more than half of the topic's texts
    in one cluster whose majority is that topic."""
    sizes = Counter(t for t in gold.values() if t is not None)
    if not sizes:
        return 0.0
    found = set()
    for members in clusters:
        labels = Counter(gold.get(m) for m in members if gold.get(m) is not None)
        if not labels:
            continue
        topic, count = labels.most_common(1)[0]
        if topic is not None and count > sizes[topic] / 2 and count * 2 > len(members):
            found.add(topic)
    return len(found) / len(sizes)
