"""Chinese word segmentation with jieba: offline, quiet, with its cache outside the work tree.

jieba ships its dictionary inside the package, so nothing is downloaded; on first use it
builds a prefix dictionary (about a second) and caches it as a marshal file. By default that
file would land in the system's temporary folder under a shared name; :func:`configure` points
it at a folder of ours (the state folder), and jieba's log lines ("Building prefix dict…") are
silenced. One tokenizer serves the whole process (jieba guards its initialisation with a lock).

Texts are compared without the names of their own places: a submission from 王庄村 and one from
李庄村 about the same bridge should look alike, and the category of an opinion does not depend on
its village. :func:`document` removes the given place names (and their short forms) before
segmentation.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import jieba

__all__ = [
    "DOMAIN_WORDS",
    "STOP_WORDS",
    "WordAnalyzer",
    "configure",
    "document",
    "normalize",
    "place_forms",
    "words",
]

#: Words of citizens' opinions that jieba's general dictionary splits badly; kept whole so that
#: "高龄津贴" and "医保卡" weigh as one matter, not as two common characters each.
DOMAIN_WORDS: tuple[str, ...] = (
    "12345",
    "通组道路",
    "村村通",
    "限高杆",
    "窨井盖",
    "井盖",
    "红绿灯",
    "斑马线",
    "减速带",
    "城乡公交",
    "自来水",
    "水压",
    "停水",
    "水质",
    "管网",
    "二次供水",
    "秸秆",
    "垃圾桶",
    "建筑垃圾",
    "异味",
    "幼儿园",
    "校车",
    "撤并",
    "卫生室",
    "卫生院",
    "医保卡",
    "医保",
    "家庭医生",
    "高龄津贴",
    "高龄补贴",
    "助餐点",
    "养老院",
    "敬老院",
    "养老金",
    "拖欠工资",
    "农民工",
    "讨薪",
    "社保",
    "灌溉",
    "泵站",
    "翻水站",
    "电灌站",
    "种粮补贴",
    "路灯",
    "变压器",
    "危桥",
    "石桥",
    "桥墩",
    "营业执照",
    "惠企政策",
    "电商",
    "断电",
    "停电",
    "非法集资",
    "跑路",
)

#: Function words and the courtesy of every submission (希望, 请, 尽快…): they say nothing about
#: the matter, and leaving them in makes every pair of short texts look a little alike.
_STOP_WORDS = """
    的 了 是 在 我 我们 俺们 咱们 你 你们 他 他们 她 它 这 那 这个 那个 这些 那些 有 也 都 还 就 和 与
    及 或 或者 而且 并 并且 但是 可是 可 却 又 很 太 非常 特别 比较 一直 已经 现在 最近 目前 一下 一些
    一个 个 些 把 被 让 给 对 向 从 到 于 为 为了 因为 所以 如果 就是 还是 什么 怎么 怎么办 多少 吗 吧 呢
    啊 呀 哦 么 着 过 得 地 之 其 该 每 各 等 上 下 里 中 后 前 时 时候 能 能不能 会 要 想 说 看 来 去
    希望 请 请求 恳请 建议 尽快 赶紧 抓紧 及时 有关 相关 部门 有关部门 相关部门 反映 群众 村民 居民
    问题 情况 一样 这样 那样 没有 不 没 啥 咋 谁 哪 哪里 好 大家 自己 家 家里 人 事 今年 去年 天
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS.split())

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_cache_dir: Path | None = None
_PLACE_SUFFIXES = ("社区居民委员会", "村民委员会", "居民委员会", "社区居委会", "村委会", "居委会")
_PLACE_KINDS = re.compile(r"(?:社区|街道|新区|县|区|镇|乡|村)$")
_SPACE = re.compile(r"\s+")
#: A token made only of punctuation, symbols or digits (amounts, dates: never the matter).
_NOISE = re.compile(r"^[\W\d_]+$")


def configure(cache_dir: Path | None) -> None:
    """Keep jieba's dictionary cache in ``cache_dir`` (made if missing); call before first use.

    Without it the cache goes to the system's temporary folder. Once the tokenizer is built,
    later calls change nothing.
    """
    global _cache_dir
    with _lock:
        _cache_dir = cache_dir


def _the_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)  # "Building prefix dict…" on every start
            tokenizer = jieba.Tokenizer()
            if _cache_dir is not None:
                _cache_dir.mkdir(parents=True, exist_ok=True)
                tokenizer.tmp_dir = str(_cache_dir)
            tokenizer.initialize()
            for word in DOMAIN_WORDS:
                tokenizer.add_word(word, freq=20000)
            _tokenizer = tokenizer
        return _tokenizer


def normalize(text: str) -> str:
    """Full-width letters and digits as half-width (NFKC), lower case, one space between runs."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def place_forms(names: Iterable[str | None]) -> list[str]:
    """The forms in which a text may name its places, longest first.

    ``刘河村委会`` gives 刘河村委会, 刘河村 and 刘河; ``钱集镇`` gives 钱集镇 and 钱集 (a stem of one
    character is left alone: it would cut into ordinary words).
    """
    forms: set[str] = set()
    for name in names:
        if not name:
            continue
        name = normalize(name)
        forms.add(name)
        for suffix in _PLACE_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)] + (
                    "社区" if "社区" in suffix or "居" in suffix else "村"
                )
                forms.add(name)
                break
        stem = _PLACE_KINDS.sub("", name)
        if len(stem) >= 2:
            forms.add(stem)
    return sorted(forms, key=lambda form: (-len(form), form))


def document(title: str, body: str | None = None, places: Iterable[str | None] = ()) -> str:
    """The text compared and classified: title and body, normalised, without its own places."""
    text = normalize(f"{title}。{body or ''}")
    for form in place_forms(places):
        text = text.replace(form, " ")
    return text


def words(text: str) -> list[str]:
    """The content words of ``text`` in order: jieba's words less stop words and noise."""
    tokens = _the_tokenizer().lcut(normalize(text))
    return [t for t in tokens if t.strip() and t not in STOP_WORDS and not _NOISE.match(t)]


class WordAnalyzer:
    """Words (and, with ``pairs``, pairs of neighbouring words) as scikit-learn's ``analyzer``.

    A class (not a closure) so that a fitted vectorizer pickles without jieba's dictionary:
    the tokenizer is the process's, rebuilt on first use after loading.
    """

    def __init__(self, pairs: bool = True) -> None:
        self.pairs = pairs

    def __call__(self, text: str) -> list[str]:
        tokens = words(text)
        if not self.pairs:
            return tokens
        return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and other.pairs == self.pairs

    def __hash__(self) -> int:
        return hash((WordAnalyzer, self.pairs))
