"""Normalisation of the cells clerks type: trims, full-width forms, level names, phones, IDs.

Every function here is pure and cheap: it runs on every cell of files with millions of rows.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from graphcoord.model import Level

__all__ = [
    "FULL_WIDTH",
    "HALF_WIDTH",
    "LEVEL_NAMES",
    "NATIONAL_ID",
    "cell_text",
    "looks_like_national_id",
    "mask",
    "normalise_level",
    "normalise_phone",
]

# Full-width ASCII (U+FF01..U+FF5E) to half-width, and the ideographic space to a space.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
#: Finds a character :data:`HALF_WIDTH` folds (translating is slow: try it only then).
FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")

#: An 18-digit resident identity number (身份证号): region, birth date, sequence, check.
NATIONAL_ID = re.compile(
    r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
    r"(?![0-9])"
)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")


def cell_text(value: Any) -> str:
    """A cell as trimmed half-width text ('' for empty); numbers lose a spurious ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    if not text.isascii() and FULL_WIDTH.search(text):
        text = text.translate(HALF_WIDTH)
    return text.strip()


def looks_like_national_id(text: str) -> bool:
    """Whether ``text`` contains something shaped like an 18-digit national ID number."""
    return NATIONAL_ID.search(text) is not None


def mask(text: str) -> str:
    """``text`` with every ID-number-looking run masked, so reports never repeat one."""
    return NATIONAL_ID.sub(lambda m: m.group()[:3] + "*" * 11 + m.group()[-4:], text)


#: Every accepted spelling of a level (after trimming, half-width, lower-casing).
LEVEL_NAMES: dict[str, Level] = {}
for _level, _names in {
    Level.NATIONAL: ("全国", "国家", "国家级", "全国级", "national", "nation", "npc"),
    Level.PROVINCIAL: ("省", "省级", "自治区", "直辖市", "provincial", "province"),
    Level.CITY: ("市", "市级", "设区的市", "地级市", "自治州", "city", "prefecture"),
    Level.COUNTY: (
        "县",
        "区",
        "县级",
        "区级",
        "县区",
        "县(区)",
        "县(市)",
        "县(市、区)",
        "县(市,区)",
        "县级市",
        "不设区的市",
        "county",
        "district",
    ),
    Level.TOWNSHIP: (
        "乡",
        "镇",
        "乡级",
        "镇级",
        "乡镇",
        "乡(镇)",
        "镇(乡)",
        "乡镇级",
        "township",
        "town",
    ),
}.items():
    for _name in _names:
        LEVEL_NAMES[_name] = _level
for _level in Level:
    LEVEL_NAMES[_level.value.lower()] = _level
    LEVEL_NAMES[_level.value] = _level  # as written by graphcoord's own files

_LEVEL_SUFFIXES = ("人民代表大会代表", "人民代表大会", "人大代表", "人大", "代表", "级", "-level")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "，": ",", " ": ""})


def normalise_level(text: str) -> Level | None:
    """The level named by ``text`` in any common form (全国人大代表, 县（市、区）, city…)."""
    exact = LEVEL_NAMES.get(text)  # most files spell every level one way
    if exact is not None:
        return exact
    key = text.translate(_BRACKETS).lower()
    for _ in range(3):
        level = LEVEL_NAMES.get(key)
        if level is not None:
            return level
        for suffix in _LEVEL_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                break
        else:
            return None
    return LEVEL_NAMES.get(key)


def normalise_phone(text: str) -> str | None:
    """A mainland mobile (``13812345678``) or landline (``0527-84361234``), else ``None``.

    Spaces, dashes in mobiles and a ``+86``/``86`` prefix are dropped; a landline keeps its
    area code before a dash.
    """
    if _MOBILE.match(text):  # most phones are written as plain mobile numbers
        return text
    compact = text.replace(" ", "").replace("(", "").replace(")", "-").replace("--", "-")
    if compact.startswith("+86"):
        compact = compact[3:].lstrip("-")
    digits = compact.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if digits.startswith("86") and _MOBILE.match(digits[2:]):
        return digits[2:]
    match = _LANDLINE.match(compact)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    return None
