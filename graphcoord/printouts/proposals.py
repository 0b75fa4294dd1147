"""The proposal report of a session (议案建议办理情况报告): figures from Cypher, charts by
matplotlib, HTML, JSON and (with Chromium) PDF, like the opinion report.

``write_report`` writes ``proposals-<session>-<as of>.html`` (self-contained: charts embedded
as PNG), ``….json`` (the figures, with the rates) and ``….pdf`` when Chromium is installed.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from jinja2 import Environment, FileSystemLoader, select_autoescape

from graphcoord.db import Database
from graphcoord.model import (
    DEPARTMENT_KIND_NAMES,
    LEVEL_NAMES,
    PROPOSAL_KIND_NAMES,
    PROPOSAL_STATUS_NAMES,
    REPLY_CATEGORY_NAMES,
)
from graphcoord.printouts.opinions import ReportFiles, print_pdf, use_cjk_font
from graphcoord.services.proposal_reports import ProposalCounts, ProposalFigures, figures

__all__ = ["render_html", "report_stem", "write_report"]

_RED, _GREY, _AMBER = "#b71c1c", "#90a4ae", "#ef6c00"


def report_stem(session: str, as_of: dt.date) -> str:
    """A file name for the session's report (the session's name kept, path characters not)."""
    safe = re.sub(r"[\\/:*?\"<>|\s]+", "_", session).strip("_")
    return f"proposals-{safe}-{as_of:%Y%m%d}"


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def charts(f: ProposalFigures) -> dict[str, str]:
    """The class of replies and the verdicts, and the units' on-time rates, as base64 PNGs."""
    o = f.overall
    if o.replied == 0:
        return {}
    cjk = use_cjk_font()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
    left.bar(["A", "B", "C"], [o.a, o.b, o.c], color=[_RED, _AMBER, _GREY])
    left.set_title("答复类别（件）" if cjk else "replies by class")
    labels = ["满意", "基本满意", "不满意"] if cjk else ["satisfied", "basically", "dissatisfied"]
    right.bar(labels, [o.satisfied_fully, o.satisfied - o.satisfied_fully, o.dissatisfied],
              color=[_RED, _AMBER, _GREY])  # fmt: skip
    right.set_title("代表满意度（最后一次评价）" if cjk else "latest verdicts")
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    found = {"replies": _png(fig)}
    units = [u for u in f.units if u.due][:15]
    if units:
        fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(units) + 1)))
        names = [u.label if cjk else u.key for u in units]
        ax.barh(names[::-1], [100 * (u.on_time_rate or 0) for u in units][::-1], color=_RED)
        ax.set_xlim(0, 100)
        ax.set_title("主办单位按期答复率 %" if cjk else "on-time replies by lead unit %")
        ax.spines[["top", "right"]].set_visible(False)
        found["units"] = _png(fig)
    return found


def render_html(f: ProposalFigures, generated: dt.datetime | None = None) -> str:
    """The report as one self-contained HTML document."""
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return env.get_template("proposals.html").render(
        f=f,
        charts=charts(f),
        generated=when,
        pct=lambda x: "—" if x is None else f"{x * 100:.1f}%",
        kind_names=PROPOSAL_KIND_NAMES,
        level_names=LEVEL_NAMES,
        status_names=PROPOSAL_STATUS_NAMES,
        category_names=REPLY_CATEGORY_NAMES,
        department_kinds=DEPARTMENT_KIND_NAMES,
    )


def _rates(c: ProposalCounts) -> dict[str, Any]:
    return {
        **dataclasses.asdict(c),
        "suggestions": c.suggestions,
        "on_time_rate": c.on_time_rate,
        "satisfaction_rate": c.satisfaction_rate,
        "a_share": c.share("A"),
        "b_share": c.share("B"),
        "c_share": c.share("C"),
    }


def figures_json(f: ProposalFigures) -> dict[str, Any]:
    """The figures as JSON-ready data (the rates included)."""
    return {
        "session": f.session,
        "as_of": f.as_of.isoformat(),
        "overall": _rates(f.overall),
        "kinds": f.kinds,
        "levels": f.levels,
        "statuses": f.statuses,
        "unit_count": f.unit_count,
        "units": [_rates(u) for u in f.units],
        "deputy_count": f.deputy_count,
        "deputies": [dataclasses.asdict(d) for d in f.deputies],
    }


def write_report(
    db: Database, session: str, out: Path, *, as_of: dt.date | None = None, pdf: bool = True
) -> tuple[ProposalFigures, ReportFiles]:
    """Compute the figures and write the HTML, JSON and (if possible) PDF report."""
    f = figures(db, session, as_of=as_of)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(f.session, f.as_of)
    html = out / f"{stem}.html"
    html.write_text(render_html(f), encoding="utf-8")
    js = out / f"{stem}.json"
    js.write_text(json.dumps(figures_json(f), ensure_ascii=False, indent=1), encoding="utf-8")
    renderer = print_pdf(html, out / f"{stem}.pdf") if pdf else None
    return f, ReportFiles(html, js, out / f"{stem}.pdf" if renderer else None, renderer)
