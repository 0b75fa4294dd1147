"""Text pipeline evaluation (issue 26): suggested category, duplicates and topics on the test split.

``python benchmarks/run.py text``, or directly ``python benchmarks/text.py``. No database: the
pipeline is fitted on the corpus's training split (``graphcoord/text/data/corpus.tsv``) and
measured on its test split, which it never saw, next to trivial baselines measured in the same
run:

* **category**: accuracy and macro-F1 of the suggestion; baselines: the majority class of the
  training split, and keyword rules (the category with most hits of a short keyword list);
  plus how often suggestions at least ``CATEGORY_FLAG_CONFIDENCE`` probable are right (what a
  flag for the organizer rests on);
* **duplicates**: precision and recall of the pairs at least ``DUPLICATE_THRESHOLD`` similar
  against the paraphrase groups; baseline: the same chosen category in the same township;
* **topics**: purity of the clusters and the share of planted topics recovered; baseline: one
  cluster per category.

The figures go to ``benchmarks/RESULTS.md`` under "Text pipeline (issue 26)", every run to
``benchmarks/history.jsonl``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import record
from graphcoord.model import CATEGORIES, CATEGORY_FLAG_CONFIDENCE
from graphcoord.text import (
    DUPLICATE_THRESHOLD,
    LINK_THRESHOLD,
    TOPIC_THRESHOLD,
    CorpusItem,
    cluster_rows,
    fit_model,
    load_corpus,
    place_parts,
    similar_pairs,
)
from graphcoord.text.evaluation import accuracy, macro_f1, pair_scores, purity, topics_found

SECTION = "Text pipeline (issue 26)"

#: The keyword baseline: what a clerk's filter of a few words per category would do.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "道路交通": ("路", "公交", "车", "红绿灯", "斑马线", "交通", "停车"),
    "饮水安全": ("自来水", "水压", "停水", "水质", "饮水", "水管", "供水"),
    "环境卫生": ("垃圾", "臭", "污染", "污水", "噪音", "烟", "粪"),
    "教育": ("学校", "小学", "中学", "幼儿园", "学生", "老师", "上学"),
    "医疗卫生": ("医", "卫生院", "卫生室", "药", "看病", "医保"),
    "养老服务": ("老人", "养老", "敬老院", "高龄"),
    "劳动就业": ("工资", "就业", "社保", "招工", "务工", "工人"),
    "农业农村": ("农田", "灌溉", "种植", "庄稼", "农业", "土地", "养殖"),
    "基础设施": ("路灯", "电", "桥", "排水", "网络", "信号", "井盖"),
    "营商环境": ("企业", "营业执照", "审批", "商户", "经营", "电商"),
    "其他": (),
}


def keyword_category(item: CorpusItem, fallback: str) -> str:
    """The category whose keywords occur most often in the text (first in form order on a
    tie); ``fallback`` when none occurs."""
    text = f"{item.title}{item.body}"
    hits = {
        category: sum(text.count(word) for word in words) for category, words in KEYWORDS.items()
    }
    best = max(CATEGORIES, key=lambda category: (hits[category], -CATEGORIES.index(category)))
    return best if hits[best] else fallback


def township(item: CorpusItem) -> str:
    parts = place_parts(item.place)
    return "".join(parts[:2])


def category_figures(
    train: Sequence[CorpusItem], test: Sequence[CorpusItem]
) -> tuple[dict[str, Any], Any]:
    started = time.perf_counter()
    model = fit_model(
        [i.text for i in train], [i.category for i in train], sources={"corpus-train": len(train)}
    )
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    suggestions = model.suggest([i.text for i in test])
    suggest_ms = (time.perf_counter() - started) * 1000 / len(test)
    gold = [i.category for i in test]
    predicted = [s.category for s in suggestions]
    majority = Counter(i.category for i in train).most_common(1)[0][0]
    keyword = [keyword_category(i, majority) for i in test]
    confident = [s.category == g for s, g in zip(suggestions, gold, strict=True)]
    sure = [
        ok
        for ok, s in zip(confident, suggestions, strict=True)
        if s.confidence >= CATEGORY_FLAG_CONFIDENCE
    ]
    figures = {
        "model": {
            "accuracy": accuracy(gold, predicted),
            "macro_f1": macro_f1(gold, predicted, CATEGORIES),
        },
        "majority": {
            "accuracy": accuracy(gold, [majority] * len(gold)),
            "macro_f1": macro_f1(gold, [majority] * len(gold), CATEGORIES),
        },
        "keywords": {
            "accuracy": accuracy(gold, keyword),
            "macro_f1": macro_f1(gold, keyword, CATEGORIES),
        },
        "confident_share": len(sure) / len(test),
        "confident_precision": sum(sure) / len(sure) if sure else 0.0,
        "fit_seconds": fit_seconds,
        "suggest_ms_per_text": suggest_ms,
    }
    return figures, model


def duplicate_figures(test: Sequence[CorpusItem], model: Any) -> dict[str, Any]:
    rows = model.vectors([i.text for i in test])
    ids = [i.id for i in test]
    groups = {i.id: i.dup for i in test}
    pairs = [(ids[a], ids[b]) for a, b, _ in similar_pairs(rows, threshold=DUPLICATE_THRESHOLD)]
    scores = pair_scores(pairs, groups)
    county = {i.id: place_parts(i.place)[0] for i in test}
    near = pair_scores([(a, b) for a, b in pairs if county[a] == county[b]], groups)
    by_place: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in test:
        by_place[(item.category, township(item))].append(item.id)
    baseline = [
        (a, b) for ids_ in by_place.values() for n, a in enumerate(ids_) for b in ids_[n + 1 :]
    ]
    base = pair_scores(baseline, groups)
    return {
        "model": {
            "precision": scores.precision,
            "recall": scores.recall,
            "pairs": scores.predicted,
        },
        "same_county": {
            "precision": near.precision,
            "recall": near.recall,
            "pairs": near.predicted,
        },
        "baseline": {"precision": base.precision, "recall": base.recall, "pairs": base.predicted},
        "gold_pairs": scores.gold,
    }


def topic_figures(test: Sequence[CorpusItem], model: Any) -> dict[str, Any]:
    rows = model.vectors([i.text for i in test])
    ids = [i.id for i in test]
    gold = {i.id: i.topic for i in test}
    found = [
        [ids[m] for m in c]
        for c in cluster_rows(rows, threshold=TOPIC_THRESHOLD, link=LINK_THRESHOLD)
    ]
    large = [c for c in found if len(c) >= 3]
    by_category: dict[str, list[str]] = defaultdict(list)
    for item in test:
        by_category[item.category].append(item.id)
    baseline = list(by_category.values())
    return {
        "model": {
            "clusters": len(found),
            "purity": purity(found, gold),
            "topics_found": topics_found(found, gold),
        },
        "model_3plus": {
            "clusters": len(large),
            "purity": purity(large, gold),
            "topics_found": topics_found(large, gold),
        },
        "baseline": {
            "clusters": len(baseline),
            "purity": purity(baseline, gold),
            "topics_found": topics_found(baseline, gold),
        },
        "planted_topics": len({t for t in gold.values() if t}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)
    train, test = load_corpus(split="train"), load_corpus(split="test")
    category, model = category_figures(train, test)
    duplicates = duplicate_figures(test, model)
    topics = topic_figures(test, model)
    c, d, t = category, duplicates, topics
    lines = [
        f"Corpus: {len(train)} training and {len(test)} test opinions over {len(CATEGORIES)} "
        f"categories; the test split has {d['gold_pairs']} paraphrase pairs and "
        f"{t['planted_topics']} planted topics. Fitted on the training split only "
        f"({c['fit_seconds']:.1f} s); a suggestion takes {c['suggest_ms_per_text']:.2f} ms a text.",
        "",
        "| question | figure | pipeline | baseline |",
        "|---|---|---:|---:|",
        f"| category | accuracy | {c['model']['accuracy']:.3f} | majority {c['majority']['accuracy']:.3f}, "
        f"keywords {c['keywords']['accuracy']:.3f} |",
        f"| category | macro-F1 | {c['model']['macro_f1']:.3f} | majority {c['majority']['macro_f1']:.3f}, "
        f"keywords {c['keywords']['macro_f1']:.3f} |",
        f"| category | right when ≥ {CATEGORY_FLAG_CONFIDENCE} probable ({c['confident_share']:.0%} of texts) "
        f"| {c['confident_precision']:.3f} | – |",
        f"| duplicates (cosine ≥ {DUPLICATE_THRESHOLD}) | precision | {d['model']['precision']:.3f} "
        f"({d['model']['pairs']} pairs) | same category and township {d['baseline']['precision']:.3f} "
        f"({d['baseline']['pairs']} pairs) |",
        f"| duplicates | recall | {d['model']['recall']:.3f} | {d['baseline']['recall']:.3f} |",
        f"| duplicates, same county only (the service's scope) | precision / recall "
        f"| {d['same_county']['precision']:.3f} / {d['same_county']['recall']:.3f} | – |",
        f"| topics (all clusters) | purity | {t['model']['purity']:.3f} ({t['model']['clusters']} clusters) "
        f"| one cluster per category {t['baseline']['purity']:.3f} |",
        f"| topics (clusters of ≥ 3) | purity | {t['model_3plus']['purity']:.3f} "
        f"({t['model_3plus']['clusters']} clusters) | – |",
        f"| topics | planted topics recovered | {t['model']['topics_found']:.3f} "
        f"| {t['baseline']['topics_found']:.3f} |",
    ]
    print("\n".join(lines))
    if not args.no_record:
        record(
            SECTION,
            lines,
            {"category": category, "duplicates": duplicates, "topics": topics},
            {
                "train": len(train),
                "test": len(test),
                "duplicate_threshold": DUPLICATE_THRESHOLD,
                "topic_threshold": TOPIC_THRESHOLD,
                "link_threshold": LINK_THRESHOLD,
                "flag_confidence": CATEGORY_FLAG_CONFIDENCE,
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
