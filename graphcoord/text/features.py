"""Features of an opinion's text, one set for each question asked of it.

- **Category** (:func:`make_vectorizer`): TF-IDF over jieba's words and pairs of words, beside
  TF-IDF over character 1- to 3-grams. Words carry the matter (自来水, 拖欠, 工资); character
  n-grams catch what the segmenter splits differently from one wording to the next and the
  typos of quick submissions.
- **Sameness** (:func:`make_similarity_vectorizer`): TF-IDF over single words, beside a latent
  semantic projection of it (truncated SVD): words that occur in the same opinions (停水 and
  没水, 津贴 and 补贴) move closer, which the bare words cannot do. On the corpus's training
  split this doubled the average precision of the planted topics' pairs and kept that of
  paraphrase pairs (benchmarks/text.py, docs/opinions.md).

Each part is L2-normalised, put side by side and normalised again, so the dot product of two
rows is their cosine similarity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, Normalizer

from graphcoord.text.segment import WordAnalyzer

__all__ = [
    "FeatureParams",
    "make_similarity_vectorizer",
    "make_vectorizer",
    "similarity_vocabulary",
]


@dataclass(frozen=True, slots=True)
class FeatureParams:
    """Knobs of the category features (defaults chosen on the corpus's training split)."""

    char_ngrams: tuple[int, int] = (1, 3)
    char_min_df: int = 1
    word_min_df: int = 1
    #: Weight of the word part against the character part (before the final normalisation).
    word_weight: float = 1.0


#: Dimensions of the latent projection of the sameness features.
LSA_COMPONENTS = 50


def make_vectorizer(params: FeatureParams | None = None) -> Pipeline:
    """An unfitted vectorizer for the category model: texts in, L2-normalised rows out.

    Parameters
    ----------
    params : FeatureParams, optional
        The n-gram range, document-frequency floors and the words' weight.

    Returns
    -------
    sklearn.pipeline.Pipeline
        ``FeatureUnion(words, chars)`` then ``Normalizer``; fit it on the texts it will see.

    Examples
    --------
    >>> vectorizer = make_vectorizer().fit(["村里停水三天", "村里三天没来水", "路灯坏了"])
    >>> vectorizer.transform(["停水"]).shape[0]
    1
    """
    params = params or FeatureParams()
    union = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer=WordAnalyzer(), sublinear_tf=True, min_df=params.word_min_df
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=params.char_ngrams,
                    sublinear_tf=True,
                    min_df=params.char_min_df,
                ),
            ),
        ],
        transformer_weights={"words": params.word_weight, "chars": 1.0},
    )
    return Pipeline([("features", union), ("normalize", Normalizer())])


def make_similarity_vectorizer(texts: int, components: int = LSA_COMPONENTS) -> Pipeline:
    """An unfitted vectorizer for duplicates and topics, sized for ``texts`` texts.

    Parameters
    ----------
    texts : int
        How many texts it will be fitted on: the projection keeps at most a tenth as many
        dimensions, and is left out below twenty texts (a handful of texts cannot support a
        latent space: every text would look like every other).
    components : int
        Dimensions of the latent projection at most.

    Returns
    -------
    sklearn.pipeline.Pipeline
        TF-IDF of words, then ``FeatureUnion(the TF-IDF itself, its SVD projection)``, then
        ``Normalizer``. The first columns of its output are the words of
        :func:`similarity_vocabulary`.

    Examples
    --------
    >>> texts = ["村里停水三天", "村里三天没来水", "路灯坏了", "路灯不亮", "停水了"]
    >>> make_similarity_vectorizer(len(texts)).fit(texts).transform(["停水"]).shape[0]
    1
    """
    dimensions = min(components, texts // 10)
    parts: list[tuple[str, Any]] = [("terms", FunctionTransformer(accept_sparse=True))]
    if dimensions >= 2:
        latent = Pipeline(
            [("svd", TruncatedSVD(dimensions, random_state=0)), ("unit", Normalizer())]
        )
        parts.append(("lsa", latent))
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer=WordAnalyzer(pairs=False), sublinear_tf=True)),
            ("unit", Normalizer()),
            ("mix", FeatureUnion(parts)),
            ("normalize", Normalizer()),
        ]
    )


def similarity_vocabulary(vectorizer: Pipeline) -> list[str]:
    """The words of the first columns of a fitted similarity vectorizer's rows (keywords)."""
    return [str(word) for word in vectorizer.named_steps["tfidf"].get_feature_names_out()]
