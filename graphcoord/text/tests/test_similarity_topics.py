"""Near-duplicates and topics on hand-made texts."""

from __future__ import annotations

import datetime as dt

import pytest
from scipy.sparse import csr_matrix

from graphcoord.text import (
    cluster_rows,
    describe,
    document,
    fit_similarity,
    neighbours,
    similar_pairs,
    similarity_vocabulary,
    weekly_trend,
)
from graphcoord.text.errors import InvalidArgument
from graphcoord.text.evaluation import gold_pairs, pair_scores, purity, topics_found

#: (id, village, text): two topics over several villages and unrelated opinions around them.
OPINIONS = [
    ("b1", "王庄村", "王庄村去镇上的老石桥桥墩裂了，桥面下沉，天天有大车过"),
    ("b2", "李庄村", "李庄村进镇必经的老石桥桥墩开裂桥面下沉，请检测限行"),
    ("b3", "张庄村", "去镇上的那座老石桥裂了，桥墩裂开一条缝，桥面往下陷"),
    ("b4", "赵庄村", "老石桥成了危桥，桥墩裂缝越来越大，建议重建"),
    ("w1", "王庄村", "城南安置房工地拖欠农民工工资四个月，包工头说开发商没给钱"),
    ("w2", "刘庄村", "在城南安置房工地干活，工资四个月没发，开发商和包工头互相推"),
    ("w3", "陈庄村", "城南安置房项目拖欠我们工资四个月，请帮农民工讨薪"),
    ("x1", "王庄村", "村里幼儿园学位不够，孩子上不了公办园"),
    ("x2", "李庄村", "卫生院晚上没有医生值班，孩子发烧没人看"),
    ("x3", "张庄村", "垃圾桶满了好几天没人清运，天热发臭"),
    ("x4", "赵庄村", "养老院床位不够，失能老人没人照顾"),
    ("x5", "刘庄村", "营业执照办理跑了好几趟还没办下来"),
]


@pytest.fixture(scope="module")
def rows() -> csr_matrix:
    texts = [document(text, None, [village]) for _, village, text in OPINIONS]
    vectorizer = fit_similarity(texts)
    return csr_matrix(vectorizer.transform(texts))


def test_neighbours_of_a_report_are_the_same_matter(rows: csr_matrix) -> None:
    found = neighbours(rows, 0, threshold=0.3)
    ids = [OPINIONS[n.index][0] for n in found]
    assert ids and set(ids) <= {"b2", "b3", "b4"}
    assert [n.score for n in found] == sorted((n.score for n in found), reverse=True)
    assert all(0.3 <= n.score <= 1 for n in found)
    assert neighbours(rows, 0, threshold=0.3, candidates=[7, 8, 9]) == []


def test_similar_pairs_score_against_gold(rows: csr_matrix) -> None:
    ids = [i for i, _, _ in OPINIONS]
    pairs = [(ids[a], ids[b]) for a, b, _ in similar_pairs(rows, threshold=0.3)]
    groups = {i: i[0] if i[0] in "bw" else None for i in ids}
    scores = pair_scores(pairs, groups)
    assert scores.precision == 1.0 and scores.recall >= 0.5
    assert scores.gold == len(gold_pairs(groups)) == 6 + 3


def test_clusters_are_the_planted_topics(rows: csr_matrix) -> None:
    ids = [i for i, _, _ in OPINIONS]
    clusters = [[ids[m] for m in c] for c in cluster_rows(rows, threshold=0.2, link=0.1)]
    gold = {i: i[0] if i[0] in "bw" else None for i in ids}
    assert purity(clusters, gold) == 1.0
    assert topics_found(clusters, gold) == 1.0
    bridge, wages = sorted(map(sorted, clusters))
    assert {"b1", "b2", "b3"} <= set(bridge) and wages == ["w1", "w2", "w3"]


def test_describe_names_a_topic(rows: csr_matrix) -> None:
    texts = [document(text, None, [village]) for _, village, text in OPINIONS]
    vocabulary = similarity_vocabulary(fit_similarity(texts))
    cluster = describe(rows, [4, 5, 6], vocabulary, k=4)
    assert cluster.members == (4, 5, 6) and cluster.representative in (4, 5, 6)
    assert {"工资", "安置房"} & set(cluster.keywords)
    assert 0 < cluster.cohesion <= 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: neighbours(r, 0, threshold=1.5), "threshold"),
        (lambda r: neighbours(r, 99), "row 99"),
        (lambda r: cluster_rows(r, threshold=0.2, link=0.5), "link <= threshold"),
        (lambda r: describe(r, [], []), "at least one member"),
    ],
    ids=["threshold", "row", "link", "empty-cluster"],
)
def test_bad_arguments(rows: csr_matrix, call: object, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        call(rows)  # type: ignore[operator]


def test_fit_similarity_needs_texts() -> None:
    with pytest.raises(InvalidArgument, match="at least two texts"):
        fit_similarity(["停水"])


def test_weekly_trend_fills_empty_weeks() -> None:
    days = [dt.date(2024, 11, 4), dt.date(2024, 11, 10), dt.date(2024, 11, 25)]
    assert weekly_trend(days) == [
        (dt.date(2024, 11, 4), 2),
        (dt.date(2024, 11, 11), 0),
        (dt.date(2024, 11, 18), 0),
        (dt.date(2024, 11, 25), 1),
    ]
    assert weekly_trend([]) == []
