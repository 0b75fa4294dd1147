"""The fitted model: suggestions, saving and loading, refusals, and loading without network."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graphcoord.text import (
    ModelMismatch,
    ModelUnreadable,
    fit_model,
    load_model,
    read_header,
    save_model,
)
from graphcoord.text.errors import InvalidArgument
from graphcoord.text.pipeline import ModelInfo, TextModel

#: A few hand-made opinions a category; enough for a model that separates them.
TEXTS = {
    "饮水安全": [
        "村里停水三天了没人通知",
        "自来水水压太小二楼上不去水",
        "自来水发黄有异味不敢喝",
        "供水管道爆了一直在漏水",
        "水厂供水不稳定经常断水",
    ],
    "道路交通": [
        "村口的路坑坑洼洼电动车颠得厉害",
        "公交车一天只有两班出行不便",
        "路口没有红绿灯车辆乱抢道",
        "学校门口斑马线看不清了",
        "大货车超速行驶很危险",
    ],
    "劳动就业": [
        "工地老板拖欠工资半年",
        "工厂不给交社保",
        "包工头跑了工资没人发",
        "企业裁员不给补偿",
        "打零工受伤没有保险",
    ],
}


def _fit() -> TextModel:
    texts = [t for group in TEXTS.values() for t in group]
    labels = [c for c, group in TEXTS.items() for _ in group]
    return fit_model(texts, labels, sources={"hand": len(texts)})


@pytest.fixture(scope="module")
def model() -> TextModel:
    return _fit()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("家里的自来水停了好几天", "饮水安全"),
        ("老板拖欠我们三个月工资", "劳动就业"),
        ("路上坑太多车都开不了", "道路交通"),
    ],
    ids=["water", "wages", "road"],
)
def test_suggests_the_category_of_unseen_texts(model: TextModel, text: str, category: str) -> None:
    (suggestion,) = model.suggest([text])
    assert suggestion.category == category
    assert 1 / 3 < suggestion.confidence <= 1


def test_fit_refuses_what_it_cannot_learn() -> None:
    with pytest.raises(InvalidArgument, match="two categories"):
        fit_model(["停水", "没水"], ["饮水安全", "饮水安全"])
    with pytest.raises(InvalidArgument, match="3 texts but 2 labels"):
        fit_model(["停水", "没水", "路坏"], ["饮水安全", "道路交通"])


def test_save_and_load_round_trip(model: TextModel, tmp_path: Path) -> None:
    path = tmp_path / "text" / "model.pkl"
    save_model(model, path)
    header = read_header(path)
    assert header["texts"] == 15 and header["sources"] == {"hand": 15}
    loaded = load_model(path)
    assert loaded.suggest(["停水了"]) == model.suggest(["停水了"])
    assert [p.name for p in path.parent.iterdir()] == ["model.pkl"]  # no temporary file left


def test_a_model_of_another_scikit_learn_is_refused(model: TextModel, tmp_path: Path) -> None:
    info = model.info
    old = TextModel(
        model.vectorizer,
        model.classifier,
        model.similarity,
        ModelInfo(info.fitted_at, "0.24.2", info.jieba_version, info.texts, info.sources),
    )
    path = tmp_path / "model.pkl"
    save_model(old, path)
    with pytest.raises(ModelMismatch, match=r"fitted with scikit-learn 0\.24\.2.*text fit"):
        load_model(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps({"magic": "something else"})],
    ids=["empty", "garbage", "foreign-pickle"],
)
def test_a_foreign_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(content)
    with pytest.raises(ModelUnreadable, match="not a graphcoord text model"):
        load_model(path)


def test_the_pipeline_loads_and_runs_without_network(model: TextModel, tmp_path: Path) -> None:
    """Load a saved model and segment in a process whose every connection fails: nothing is
    fetched, and jieba's cache goes to the folder given, not the working directory."""
    path = tmp_path / "model.pkl"
    save_model(model, path)
    work, cache = tmp_path / "cwd", tmp_path / "cache"
    work.mkdir()
    script = textwrap.dedent(
        f"""
        import socket

        def refuse(*args, **kwargs):
            raise OSError("network disabled by the test")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from pathlib import Path
        from graphcoord.text import configure, load_model, words
        configure(Path({str(cache)!r}))
        model = load_model(Path({str(path)!r}))
        print(model.suggest(["自来水停了好几天"])[0].category)
        print(" ".join(words("村卫生室医保卡刷不了")))
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["饮水安全", "村 卫生室 医保卡 刷 不了"]
    assert "Building prefix dict" not in done.stderr  # jieba's log is silenced
    assert list(work.iterdir()) == []
    assert [p.name for p in cache.iterdir()] == ["jieba.cache"]
