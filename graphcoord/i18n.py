"""Messages people read, in their language: gettext catalogs compiled by Babel.

Clerks, organizers and citizens read Chinese: ``zh_CN`` is the default; ``GRAPHCOORD_LANG=en``
switches the interface (console and public pages, CLI messages and tables, the importer's
reasons) to English. The source strings (msgids) are English; the catalogs are
``graphcoord/locale/<locale>/LC_MESSAGES/messages.po``, compiled to ``.mo`` files that are
committed (``scripts/i18n`` extracts, updates and compiles them; docs/development.md).

Messages with values are templates with named fields (``"unknown deputy {key}"``): the
template is translated, then filled in, so one catalog entry serves every value. A field whose
value is a :class:`Term` (a word of the vocabulary, such as ``deputy``) is translated too.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "LOCALE_DIR",
    "N_",
    "Lazy",
    "Term",
    "current_locale",
    "fill",
    "gettext",
    "locale_of",
    "ngettext",
    "translations",
]

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


class Term(str):
    """A vocabulary word used as a value in a message; translated when the message is."""

    __slots__ = ()


class Lazy:
    """A message kept as its template and values, rendered when shown: English by
    ``str()``, any locale by :func:`fill` (a value of another message)."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return self.template.format(**self.params) if self.params else self.template

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is defined; it is translated where shown."""
    return message


def locale_of(value: str | None) -> str:
    """The supported locale that ``value`` (``en``, ``en_US.UTF-8``, ``zh-CN``…) names; the
    default for anything else."""
    key = (value or "").split(".")[0].replace("-", "_").lower()
    if key.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


def current_locale() -> str:
    """The locale of this process: ``GRAPHCOORD_LANG``, Chinese by default."""
    return locale_of(os.environ.get("GRAPHCOORD_LANG"))


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``locale`` (English source strings when none is found)."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, [locale], fallback=True)


def gettext(message: str, locale: str | None = None) -> str:
    """``message`` in ``locale`` (default: the process's)."""
    return translations(locale or current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    return translations(locale or current_locale()).ngettext(singular, plural, n)


def has_translation(message: str, locale: str) -> bool:
    """Whether ``locale``'s catalog translates ``message`` (English needs none)."""
    return locale == "en" or translations(locale).gettext(message) != message


def fill(template: str, params: Mapping[str, object], locale: str | None = None) -> str:
    """``template`` translated into ``locale`` and filled with ``params`` (terms translated)."""
    locale = locale or current_locale()
    text = gettext(template, locale)
    if not params:
        return text
    values = {k: _value(v, locale) for k, v in params.items()}
    return text.format(**values)


def _value(value: object, locale: str) -> object:
    if isinstance(value, Term):
        return gettext(value, locale)
    if isinstance(value, Lazy):
        return fill(value.template, value.params, locale)
    return value
