"""Assessment scores (定量考核): a deputy's record of a year weighed by a scoring table.

The table is TOML, ``scoring.toml`` in the state folder (``GRAPHCOORD_STATE_DIR``); without
it, :data:`DEFAULT_TABLE` applies. Its defaults follow the shape of Liulin's quantitative
assessment (履职管理考核办法: a base score, points per duty done, per problem solved and per
proposal, the voters' evaluation at the report-back, deductions for duty missed). The score is

    base + Σ points[item] × count(item) + Σ satisfaction[level] × share(level)
         − deductions.missed_duty × missed duty days

where share(level) is that verdict's share of the ballots of the year's closed report-back
meetings (no ballot: no evaluation points). docs/records.md shows the table.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphcoord.errors import BadInput
from graphcoord.queries.records import RecordRow

__all__ = [
    "DEFAULT_TABLE",
    "ITEM_NAMES",
    "Score",
    "ScoreLine",
    "ScoringTable",
    "load_table",
    "score_of",
]

#: The default table, as written to ``scoring.toml`` (``graphcoord record scoring``).
DEFAULT_TABLE = """\
# 代表履职定量考核计分表 (graphcoord): points per item of the performance record.
# Edit and keep in the state folder as scoring.toml; missing keys take these defaults.
base = 60.0

[points]
visit = 2.0                 # 参加活动，每次
activity_day_on_duty = 3.0  # 进站值班（代表活动日），每次
reception = 1.0             # 进站接待选民，每次（另加）
supervision_activity = 3.0  # 参加监督、视察活动，每次
issue_tracked = 0.5         # 跟踪群众意见，每件
issue_resolved = 2.0        # 推动解决群众意见，每件
proposal_sponsored = 5.0    # 领衔提出议案建议，每件
proposal_co_signed = 2.0    # 联名提出议案建议，每件
proposal_contributed = 2.0  # 参与跨层级议案建议，每件

[satisfaction]              # 述职评议：各档满分 × 该档票数占比
satisfied = 20.0            # 满意
basically_satisfied = 12.0  # 基本满意
dissatisfied = 0.0          # 不满意

[deductions]
missed_duty = 5.0           # 排班进站而未到，每次扣分
"""

#: Chinese names of the items (what organizers read in the breakdown).
ITEM_NAMES: dict[str, str] = {
    "base": "基础分",
    "visit": "参加活动",
    "activity_day_on_duty": "进站值班",
    "reception": "进站接待选民",
    "supervision_activity": "监督视察活动",
    "issue_tracked": "跟踪群众意见",
    "issue_resolved": "推动解决群众意见",
    "proposal_sponsored": "领衔议案建议",
    "proposal_co_signed": "联名议案建议",
    "proposal_contributed": "参与议案建议",
    "satisfied": "述职评议：满意",
    "basically_satisfied": "述职评议：基本满意",
    "dissatisfied": "述职评议：不满意",
    "missed_duty": "排班未到（扣分）",
}


@dataclass(frozen=True)
class ScoringTable:
    """Points per item, per level of satisfaction, and deductions."""

    base: float
    points: dict[str, float]
    satisfaction: dict[str, float]
    deductions: dict[str, float]


def _section(data: dict[str, Any], defaults: dict[str, Any], name: str) -> dict[str, float]:
    given = data.get(name, {})
    if not isinstance(given, dict):
        raise BadInput("scoring table: [{name}] must be a table", name=name)
    unknown = sorted(set(given) - set(defaults[name]))
    if unknown:
        raise BadInput(
            "scoring table: unknown key(s) in [{name}]: {keys}",
            name=name,
            keys=", ".join(unknown),
        )
    merged: dict[str, float] = {}
    for key, default in defaults[name].items():
        value = given.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise BadInput(
                "scoring table: [{name}] {key} must be a number ≥ 0, not {value!r}",
                name=name,
                key=key,
                value=value,
            )
        merged[key] = float(value)
    return merged


def parse_table(text: str) -> ScoringTable:
    """A table from TOML text; missing keys take the defaults, unknown ones are refused."""
    defaults = tomllib.loads(DEFAULT_TABLE)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BadInput("scoring table is not valid TOML: {error}", error=str(e)) from e
    base = data.get("base", defaults["base"])
    if not isinstance(base, int | float) or isinstance(base, bool):
        raise BadInput("scoring table: base must be a number, not {value!r}", value=base)
    return ScoringTable(
        base=float(base),
        points=_section(data, defaults, "points"),
        satisfaction=_section(data, defaults, "satisfaction"),
        deductions=_section(data, defaults, "deductions"),
    )


def load_table(state_dir: Path) -> ScoringTable:
    """``scoring.toml`` of the state folder, else the defaults."""
    path = state_dir / "scoring.toml"
    if not path.is_file():
        return parse_table(DEFAULT_TABLE)
    return parse_table(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ScoreLine:
    """One line of a score's breakdown: the item, how many, points each, points in all."""

    item: str
    label: str
    count: float
    points: float
    subtotal: float


@dataclass(frozen=True)
class Score:
    deputy_id: str
    year: int
    total: float
    lines: list[ScoreLine]


def _counts(record: RecordRow) -> dict[str, int]:
    return {
        "visit": record.visits,
        "activity_day_on_duty": record.activity_days_on_duty,
        "reception": record.receptions,
        "supervision_activity": record.supervision_activities,
        "issue_tracked": record.issues_tracked,
        "issue_resolved": record.issues_resolved,
        "proposal_sponsored": record.proposals_sponsored,
        "proposal_co_signed": record.proposals_co_signed,
        "proposal_contributed": record.proposals_contributed,
    }


def score_of(record: RecordRow, table: ScoringTable) -> Score:
    """The score of one record with its breakdown (rounded to 0.01 per line)."""
    lines = [ScoreLine("base", ITEM_NAMES["base"], 1, table.base, table.base)]
    for item, count in _counts(record).items():
        each = table.points[item]
        lines.append(ScoreLine(item, ITEM_NAMES[item], count, each, round(count * each, 2)))
    votes = {
        "satisfied": record.voted_satisfied,
        "basically_satisfied": record.voted_basically_satisfied,
        "dissatisfied": record.voted_dissatisfied,
    }
    if record.ballots:
        for level, count in votes.items():
            share = count / record.ballots
            full = table.satisfaction[level]
            lines.append(
                ScoreLine(level, ITEM_NAMES[level], round(share, 4), full, round(share * full, 2))
            )
    each = table.deductions["missed_duty"]
    missed = record.missed_duty
    lines.append(
        ScoreLine("missed_duty", ITEM_NAMES["missed_duty"], missed, -each, round(-missed * each, 2))
    )
    total = round(sum(line.subtotal for line in lines), 2)
    return Score(record.deputy_id, record.year, total, lines)
