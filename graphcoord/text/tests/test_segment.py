"""Segmentation: content words, the project's words kept whole, places removed."""

from __future__ import annotations

import pytest

from graphcoord.text import document, normalize, place_forms, place_parts, words


def test_words_drop_function_words_courtesy_and_numbers() -> None:
    found = words("希望有关部门尽快修一下村里的路灯，已经坏了3个月！")
    assert "路灯" in found
    for noise in ("希望", "有关部门", "尽快", "的", "3", "！", "，"):
        assert noise not in found


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("老人的高龄津贴三个月没发", "高龄津贴"),
        ("村卫生室医保卡刷不了", "医保卡"),
        ("桥头的限高杆被撞歪了", "限高杆"),
    ],
    ids=["allowance", "insurance-card", "height-barrier"],
)
def test_domain_words_stay_whole(text: str, word: str) -> None:
    assert word in words(text)


def test_normalize_folds_full_width_and_case() -> None:
    assert normalize("１２３４５　ＡＢＣ  热线") == "12345 abc 热线"


def test_place_forms_and_document_remove_own_places() -> None:
    assert place_forms(["刘河村委会", "钱集镇", None, "南苑社区居委会"]) == [
        "南苑社区居委会",
        "刘河村委会",
        "南苑社区",
        "刘河村",
        "钱集镇",
        "刘河",
        "南苑",
        "钱集",
    ]
    text = document("刘河村到钱集街上的路坏了", "刘河的路", ["刘河村委会", "钱集镇"])
    assert "刘河" not in text and "钱集" not in text and "路坏了" in text


@pytest.mark.parametrize(
    ("place", "parts"),
    [
        ("沭阳县钱集镇王庄村", ("沭阳县", "钱集镇", "王庄村")),
        ("宿豫区顺河街道井头社区", ("宿豫区", "顺河街道", "井头社区")),
        ("泗洪县青阳街道", ("泗洪县", "青阳街道")),
        ("宿城区洋河新区", ("宿城区", "洋河新区")),
    ],
    ids=["village", "community", "subdistrict", "new-district"],
)
def test_place_parts(place: str, parts: tuple[str, ...]) -> None:
    assert place_parts(place) == parts
