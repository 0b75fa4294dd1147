"""The fitted text model: its vectorizers, the category classifier, what they were fitted on.

:func:`fit_model` fits them on labelled texts; :func:`save_model` writes them to one file and
:func:`load_model` reads it back, refusing a file written by another scikit-learn version
(:class:`~graphcoord.text.errors.ModelMismatch`) before unpickling anything but its header:
scikit-learn does not promise that its objects survive a version change.

The file is two pickles in a row: a header (a plain dict: format, versions, when, how many
texts) and the model. Pickle runs code when it loads, so a model file is as trusted as the
state folder that holds it; graphcoord only loads files it wrote there.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jieba
import numpy as np
import sklearn
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from graphcoord.text.errors import InvalidArgument, ModelMismatch, ModelUnreadable
from graphcoord.text.features import (
    FeatureParams,
    make_similarity_vectorizer,
    make_vectorizer,
    similarity_vocabulary,
)

__all__ = [
    "FORMAT",
    "ModelInfo",
    "Suggestion",
    "TextModel",
    "fit_model",
    "fit_similarity",
    "load_model",
    "read_header",
    "save_model",
]

#: Version of the file layout; a file of another format is refused like another sklearn's.
FORMAT = 1
_MAGIC = "graphcoord-text-model"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The category the model suggests for a text, and its probability (0 to 1)."""

    category: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What a fitted model was fitted with and on."""

    fitted_at: dt.datetime
    sklearn_version: str
    jieba_version: str
    texts: int
    #: Texts per source (``corpus``, ``issues``…), as the caller named them.
    sources: dict[str, int] = field(default_factory=dict)
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextModel:
    """The category features and classifier, and the sameness features (``similarity``)."""

    vectorizer: Pipeline
    classifier: LogisticRegression
    similarity: Pipeline
    info: ModelInfo

    def vectors(self, texts: Sequence[str]) -> csr_matrix:
        """Sameness rows of ``texts`` (prepared with :func:`~graphcoord.text.document`):
        L2-normalised, for :mod:`~graphcoord.text.similarity` and :mod:`~graphcoord.text.topics`."""
        return csr_matrix(self.similarity.transform(list(texts)))

    def vocabulary(self) -> list[str]:
        """The words of the first columns of :meth:`vectors` (for keywords)."""
        return similarity_vocabulary(self.similarity)

    def suggest(self, texts: Sequence[str]) -> list[Suggestion]:
        """The most probable category of each text, with its probability."""
        if not texts:
            return []
        rows = self.vectorizer.transform(list(texts))
        probabilities = self.classifier.predict_proba(rows)
        best = np.argmax(probabilities, axis=1)
        classes = self.classifier.classes_
        return [
            Suggestion(str(classes[j]), round(float(probabilities[i, j]), 4))
            for i, j in enumerate(best)
        ]


def fit_model(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    sources: Mapping[str, int] | None = None,
    params: FeatureParams | None = None,
    c: float = 10.0,
    fitted_at: dt.datetime | None = None,
) -> TextModel:
    """Fit the vectorizer and a multinomial logistic regression on labelled texts.

    Parameters
    ----------
    texts, labels : sequences of str
        Prepared texts (:func:`~graphcoord.text.document`) and their categories.
    sources : mapping, optional
        How many texts came from where (recorded in :class:`ModelInfo`).
    params : FeatureParams, optional
        The vectorizer's knobs.
    c : float
        Inverse regularisation strength of the classifier.
    fitted_at : datetime, optional
        When (default: now, UTC).

    Raises
    ------
    InvalidArgument
        Fewer than two categories, or texts and labels of different lengths.

    Notes
    -----
    Classes are weighted by inverse frequency (``class_weight="balanced"``): the database's
    issues are unevenly spread over categories, and "其他" must not win by number alone.
    """
    if len(texts) != len(labels):
        raise InvalidArgument(f"{len(texts)} texts but {len(labels)} labels")
    counts = Counter(labels)
    if len(counts) < 2:
        raise InvalidArgument("fitting needs texts of at least two categories")
    vectorizer = make_vectorizer(params)
    rows = vectorizer.fit_transform(list(texts))
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    classifier.fit(rows, list(labels))
    similarity = fit_similarity(texts)
    info = ModelInfo(
        fitted_at=fitted_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        sklearn_version=sklearn.__version__,
        jieba_version=str(jieba.__version__),
        texts=len(texts),
        sources=dict(sources or {"texts": len(texts)}),
        categories=tuple(str(c) for c in classifier.classes_),
    )
    return TextModel(vectorizer, classifier, similarity, info)


def fit_similarity(texts: Sequence[str]) -> Pipeline:
    """The sameness vectorizer fitted on ``texts`` (no labels needed).

    Raises
    ------
    InvalidArgument
        Fewer than two texts, or texts without a single content word.
    """
    if len(texts) < 2:
        raise InvalidArgument("the sameness features need at least two texts")
    try:
        return make_similarity_vectorizer(len(texts)).fit(list(texts))
    except ValueError as error:  # empty vocabulary, fewer words than dimensions
        raise InvalidArgument(f"cannot fit the sameness features: {error}") from None


def _header(model: TextModel) -> dict[str, Any]:
    info = model.info
    return {
        "magic": _MAGIC,
        "format": FORMAT,
        "sklearn": info.sklearn_version,
        "jieba": info.jieba_version,
        "fittedAt": info.fitted_at.isoformat(),
        "texts": info.texts,
        "sources": dict(info.sources),
        "categories": list(info.categories),
    }


def save_model(model: TextModel, path: Path) -> None:
    """Write ``model`` to ``path`` atomically (a reader sees the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".text-model-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(_header(model), handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_header(path: Path) -> dict[str, Any]:
    """The header of a saved model (no scikit-learn object is unpickled).

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ModelUnreadable
        The file does not start with a graphcoord text model header.
    """
    with path.open("rb") as handle:
        return _read_header(handle, path)


def _read_header(handle: Any, path: Path) -> dict[str, Any]:
    try:
        header = pickle.load(handle)
    except Exception as error:
        raise ModelUnreadable(f"{path} is not a graphcoord text model ({error})") from None
    if not isinstance(header, dict) or header.get("magic") != _MAGIC:
        raise ModelUnreadable(f"{path} is not a graphcoord text model")
    return header


def load_model(path: Path) -> TextModel:
    """Read a model written by :func:`save_model` with this scikit-learn version.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ModelMismatch
        The file was written with another scikit-learn version or file format.
    ModelUnreadable
        The file is not a graphcoord text model, or is damaged.
    """
    with path.open("rb") as handle:
        header = _read_header(handle, path)
        if header.get("format") != FORMAT:
            raise ModelMismatch(
                f"{path} has format {header.get('format')}, this graphcoord reads format {FORMAT}"
            )
        if header.get("sklearn") != sklearn.__version__:
            raise ModelMismatch(
                f"{path} was fitted with scikit-learn {header.get('sklearn')}, this process runs "
                f"{sklearn.__version__}; fit it again (graphcoord text fit)"
            )
        try:
            model = pickle.load(handle)
        except Exception as error:
            raise ModelUnreadable(f"{path} is damaged ({error})") from None
    if not isinstance(model, TextModel):
        raise ModelUnreadable(f"{path} does not hold a text model")
    return model
