"""Exceptions raised by :mod:`graphcoord.text`.

Like :mod:`graphcoord.analytics`, the text package does not depend on the rest of graphcoord;
its errors are translated once into graphcoord's own by :mod:`graphcoord.services.opinions`.
"""

from __future__ import annotations

__all__ = ["InvalidArgument", "ModelMismatch", "ModelUnreadable", "TextError"]


class TextError(Exception):
    """Base of every error raised by the text pipeline."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidArgument(TextError, ValueError):
    """An argument is malformed (too few texts to fit, a threshold outside [0, 1]…)."""


class ModelMismatch(TextError):
    """A saved model was fitted with another scikit-learn version (or file format): its
    objects may not unpickle or may predict differently, so it is refused, not guessed at."""


class ModelUnreadable(TextError):
    """A saved model file is not a graphcoord text model (truncated, foreign, corrupt)."""
