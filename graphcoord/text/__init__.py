"""Text of citizens' opinions: segmentation, features, a category model, near-duplicates and
hot topics. Pure functions and fitted scikit-learn objects, no database access.

Nothing here downloads anything: jieba ships its dictionary, scikit-learn fits on the texts it
is given (the project's corpus in ``data/`` and the issues a service passes in).
"""

from __future__ import annotations

from graphcoord.text.corpus import CORPUS_PATH, CorpusItem, load_corpus, place_parts
from graphcoord.text.errors import InvalidArgument, ModelMismatch, ModelUnreadable, TextError
from graphcoord.text.features import (
    FeatureParams,
    make_similarity_vectorizer,
    make_vectorizer,
    similarity_vocabulary,
)
from graphcoord.text.pipeline import (
    ModelInfo,
    Suggestion,
    TextModel,
    fit_model,
    fit_similarity,
    load_model,
    read_header,
    save_model,
)
from graphcoord.text.segment import configure, document, normalize, place_forms, words
from graphcoord.text.similarity import DUPLICATE_THRESHOLD, Neighbour, neighbours, similar_pairs
from graphcoord.text.topics import (
    LINK_THRESHOLD,
    TOPIC_THRESHOLD,
    Cluster,
    cluster_rows,
    describe,
    weekly_trend,
)

__all__ = [
    "CORPUS_PATH",
    "DUPLICATE_THRESHOLD",
    "LINK_THRESHOLD",
    "TOPIC_THRESHOLD",
    "Cluster",
    "CorpusItem",
    "FeatureParams",
    "InvalidArgument",
    "ModelInfo",
    "ModelMismatch",
    "ModelUnreadable",
    "Neighbour",
    "Suggestion",
    "TextError",
    "TextModel",
    "cluster_rows",
    "configure",
    "describe",
    "document",
    "fit_model",
    "fit_similarity",
    "load_corpus",
    "load_model",
    "make_similarity_vectorizer",
    "make_vectorizer",
    "neighbours",
    "normalize",
    "place_forms",
    "place_parts",
    "read_header",
    "save_model",
    "similar_pairs",
    "similarity_vocabulary",
    "weekly_trend",
    "words",
]
