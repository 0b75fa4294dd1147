"""Candidates for a special supervision group (专项监督小组), ranked by expertise with reasons.

Suqian formed 15 special supervision groups (医疗卫生, 乡村振兴, 非遗…) "from deputies with
matching expertise". A deputy's expertise shows in their fields (``sectors``), work unit,
occupation and industry chains; the words of each theme are
:data:`graphcoord.model.SUPERVISION_THEMES`. Each match scores and gives a reason organizers
read (Chinese):

========================================  =====
the theme itself is one of their fields    3
a field mentions a word of the theme       2
their work unit mentions one               2
their occupation mentions one              1
an industry chain they work on does        1
========================================  =====

Candidates are ACTIVE deputies elected, based or contacting inside the area, ranked by score,
then level (higher first), then id; those already in a supervision group of the theme say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphcoord.db import Database
from graphcoord.errors import BadInput
from graphcoord.model import SUPERVISION_THEMES, THEME_ALIASES, Level, significant_length
from graphcoord.queries.expertise import ExpertiseRow, deputies_mentioning
from graphcoord.rules import require_area_code

__all__ = ["Candidate", "resolve_theme", "supervision_candidates"]


@dataclass(frozen=True)
class Candidate:
    """A deputy who could join a supervision group of a theme, and why."""

    deputy_id: str
    name: str
    level: str
    score: int
    reasons: tuple[str, ...]
    #: Supervision groups of this theme the deputy is already in (names).
    member_of: tuple[str, ...]


def resolve_theme(theme: str) -> str:
    """The theme of :data:`~graphcoord.model.SUPERVISION_THEMES` that ``theme`` names (its
    short names too: 非遗), or BadInput listing them."""
    text = theme.strip()
    text = THEME_ALIASES.get(text, text)
    if text not in SUPERVISION_THEMES:
        known = "、".join(SUPERVISION_THEMES)
        raise BadInput(f"unknown supervision theme {theme!r}; the themes are {known}")
    return text


def _score(theme: str, words: tuple[str, ...], row: ExpertiseRow) -> tuple[int, list[str]]:
    score, reasons = 0, []

    def mentions(text: str | None) -> bool:
        return bool(text) and any(word in str(text) for word in words)

    if theme in row.sectors:
        score += 3
        reasons.append(f"专业领域：{theme}")
    else:
        fields = [s for s in row.sectors if mentions(s)]
        if fields:
            score += 2
            reasons.append(f"专业领域：{'、'.join(fields)}")
    if mentions(row.work_unit):
        score += 2
        reasons.append(f"工作单位：{row.work_unit}")
    if mentions(row.occupation):
        score += 1
        reasons.append(f"职业：{row.occupation}")
    chains = [c for c in row.chains if mentions(c)]
    if chains:
        score += 1
        reasons.append(f"产业链：{'、'.join(chains)}")
    return score, reasons


def supervision_candidates(
    db: Database, theme: str, area_code: str | None = None
) -> tuple[str, list[Candidate]]:
    """The theme named, and the deputies whose expertise matches it, best first."""
    theme = resolve_theme(theme)
    prefix = None
    if area_code is not None:
        require_area_code(area_code)
        prefix = area_code[: significant_length(area_code)]
    words = SUPERVISION_THEMES[theme]
    candidates = []
    for row in deputies_mentioning(db, words, prefix):
        score, reasons = _score(theme, words, row)
        if not score:
            continue
        member_of = tuple(
            name for _, group_theme, name in row.supervision_groups if group_theme == theme
        )
        if member_of:
            reasons.append(f"已是{'、'.join(member_of)}成员")
        candidates.append(Candidate(row.id, row.name, row.level, score, tuple(reasons), member_of))
    candidates.sort(key=lambda c: (-c.score, Level(c.level).rank, c.deputy_id))
    return theme, candidates
