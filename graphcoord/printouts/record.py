"""A deputy's performance record (履职档案) of a year as a handout for 述职 and re-nomination:
HTML (Chinese), JSON, and PDF printed by headless Chromium when it is installed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graphcoord.auth import Principal
from graphcoord.db import Database
from graphcoord.errors import NotFound
from graphcoord.model import LEVEL_NAMES
from graphcoord.printouts.opinions import print_pdf
from graphcoord.services import records
from graphcoord.services.directory import deputies_by_id, get_areas
from graphcoord.services.scoring import load_table, score_of

__all__ = ["RecordFiles", "write_record"]


@dataclass(frozen=True)
class RecordFiles:
    html: Path
    json: Path
    pdf: Path | None
    pdf_renderer: str | None


def write_record(
    db: Database,
    principal: Principal,
    deputy_id: str,
    year: int,
    out: Path,
    *,
    state_dir: Path,
    pdf: bool = True,
    today: dt.date | None = None,
) -> RecordFiles:
    """Compute the record and score and write ``record-<deputy>-<year>.html|json|pdf``."""
    record = records.record_of(db, principal, deputy_id, year, today=today)
    deputy = deputies_by_id(db, [deputy_id]).get(deputy_id)
    if deputy is None:  # pragma: no cover - record_of found the deputy
        raise NotFound("deputy", deputy_id)
    elected_code = deputy.get("electedIn")
    area = get_areas(db, [elected_code]).get(elected_code) if elected_code else None
    score = score_of(record, load_table(state_dir))
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    html_text = env.get_template("record.html").render(
        deputy=deputy,
        elected=area.name if area else None,
        record=record,
        score=score,
        level_names=LEVEL_NAMES,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        pct=lambda x: "—" if x is None else f"{x * 100:.1f}%",
    )
    out.mkdir(parents=True, exist_ok=True)
    stem = f"record-{deputy_id}-{year}"
    html = out / f"{stem}.html"
    html.write_text(html_text, encoding="utf-8")
    figures = dataclasses.asdict(record) | {
        "on_time_rate": record.on_time_rate,
        "satisfaction_rate": record.satisfaction_rate,
        "name": deputy.get("name"),
        "level": deputy.get("level"),
        "score": dataclasses.asdict(score),
    }
    js = out / f"{stem}.json"
    js.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    renderer = print_pdf(html, out / f"{stem}.pdf") if pdf else None
    return RecordFiles(html, js, out / f"{stem}.pdf" if renderer else None, renderer)
