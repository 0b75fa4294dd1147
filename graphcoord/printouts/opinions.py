"""The opinion-analysis report (民意分析报告): figures from Cypher, charts by matplotlib, HTML.

``write_report`` writes ``opinions-<area>-<from>-<to>.html`` (self-contained: charts embedded
as PNG), ``….json`` (the figures) and, when Chromium is installed, ``….pdf`` printed by headless
Chromium (``--print-to-pdf``). Chart labels are Chinese when a CJK font is installed
(``fonts-noto-cjk``), otherwise ASCII keys.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from jinja2 import Environment, FileSystemLoader, select_autoescape
from matplotlib import font_manager

from graphcoord.db import Database
from graphcoord.model import (
    CHANNEL_NAMES,
    DEPARTMENT_KIND_NAMES,
    LEVEL_NAMES,
    LEVEL_SHORT_NAMES,
    STATUS_NAMES,
)
from graphcoord.printouts.qr import cjk_font_path
from graphcoord.services.reports import AreaRate, Count, OpinionFigures, RateCounts, figures

__all__ = [
    "ReportFiles",
    "chromium_path",
    "print_pdf",
    "render_html",
    "use_cjk_font",
    "write_report",
]

_RED, _GREY = "#b71c1c", "#90a4ae"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    json: Path
    pdf: Path | None
    pdf_renderer: str | None


def use_cjk_font() -> bool:
    path = cjk_font_path()
    if path is None:
        return False
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    plt.rcParams["font.family"] = [name, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return True


def _labels(rows: Sequence[Count | AreaRate], cjk: bool) -> list[str]:
    return [row.label if cjk or row.label.isascii() else row.key for row in rows]


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _bars(
    labels: list[str], values: list[int], title: str, cjk: bool, horizontal: bool = True
) -> str:
    height = max(2.5, 0.35 * len(labels) + 1) if horizontal else 3.2
    fig, ax = plt.subplots(figsize=(8, height))
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color=_RED)
        ax.set_xlabel("件" if cjk else "issues")
    else:
        ax.bar(labels, values, color=_RED)
        ax.tick_params(axis="x", rotation=60, labelsize=7)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _rates(rows: Sequence[AreaRate], labels: list[str], title: str, cjk: bool) -> str:
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(rows) + 1)))
    positions = list(range(len(rows)))[::-1]
    ax.barh([p + 0.2 for p in positions], [r.answer_rate * 100 for r in rows], 0.4,
            color=_GREY, label="答复率 %" if cjk else "answer rate %")  # fmt: skip
    ax.barh([p - 0.2 for p in positions], [r.resolution_rate * 100 for r in rows], 0.4,
            color=_RED, label="解决率 %" if cjk else "resolution rate %")  # fmt: skip
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 100)
    ax.legend(loc="lower right")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def charts(f: OpinionFigures) -> dict[str, str]:
    """The report's charts as base64 PNGs (empty when there is no issue)."""
    if f.total == 0:
        return {}
    cjk = use_cjk_font()
    title = (lambda zh, en: zh) if cjk else (lambda zh, en: en)
    townships = f.by_township[:15]
    levels = [
        dataclasses.replace(r, label=LEVEL_SHORT_NAMES.get(r.key, r.key)) if cjk else r
        for r in f.by_level
    ]
    return {
        "week": _bars(
            [c.key[5:] for c in f.by_week],
            [c.count for c in f.by_week],
            title("每周收到的意见（周一起）", "issues per week"),
            cjk,
            horizontal=False,
        ),
        "category": _bars(
            _labels(f.by_category, cjk),
            [c.count for c in f.by_category],
            title("意见类别", "by category"),
            cjk,
        ),
        "township": _bars(
            _labels(townships, cjk),
            [r.total for r in townships],
            title("意见最多的乡镇（街道）", "top townships"),
            cjk,
        ),
        "area": _rates(f.by_area, _labels(f.by_area, cjk), title("按地区", "by area"), cjk),
        "level": _rates(levels, _labels(levels, cjk), title("按代表层级", "by deputy level"), cjk),
    }


def render_html(f: OpinionFigures, generated: dt.datetime | None = None) -> str:
    """The report as one self-contained HTML document."""
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    when = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return env.get_template("opinions.html").render(
        f=f,
        charts=charts(f),
        generated=when,
        pct=lambda x: "—" if x is None else f"{x * 100:.1f}%",
        channel_names={**CHANNEL_NAMES, **f.channel_names},
        status_names=STATUS_NAMES,
        level_names=LEVEL_NAMES,
        department_kinds=DEPARTMENT_KIND_NAMES,
    )


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path) -> str | None:
    """Print ``html`` to ``pdf`` with headless Chromium; the renderer's path, or ``None``."""
    browser = chromium_path()
    if browser is None:
        return None
    command = [
        browser,
        *CHROMIUM_ARGS,
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=120, check=True)
    except (subprocess.SubprocessError, OSError):
        return None
    return browser if pdf.exists() and pdf.stat().st_size > 0 else None


def _handling_rates(counts: RateCounts) -> dict[str, float | None]:
    return {
        "answer_rate": counts.answer_rate,
        "resolution_rate": counts.resolution_rate,
        "on_time_rate": counts.on_time_rate,
        "satisfaction_rate": counts.satisfaction_rate,
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write_report(
    db: Database,
    area_code: str,
    start: dt.date,
    end: dt.date,
    out: Path,
    *,
    pdf: bool = True,
) -> ReportFiles:
    """Compute the figures and write the HTML, JSON and (if possible) PDF report."""
    f = figures(db, area_code, start, end)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"opinions-{area_code}-{start:%Y%m%d}-{end:%Y%m%d}"
    html = out / f"{stem}.html"
    html.write_text(render_html(f), encoding="utf-8")
    data = dataclasses.asdict(f)
    data.update(answer_rate=f.answer_rate, resolution_rate=f.resolution_rate)
    for key in ("by_township", "by_area", "by_level"):
        for row, rate in zip(data[key], getattr(f, key), strict=True):
            row.update(answer_rate=rate.answer_rate, resolution_rate=rate.resolution_rate)
    if f.handling is not None:
        data["handling"].update(_handling_rates(f.handling))
    for key in (
        "handling_by_area",
        "handling_by_level",
        "handling_by_department",
        "handling_by_deputy",
    ):
        for row, counts in zip(data[key], getattr(f, key), strict=True):
            row.update(_handling_rates(counts))
    js = out / f"{stem}.json"
    js.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, default=_json_default), encoding="utf-8"
    )
    renderer = print_pdf(html, out / f"{stem}.pdf") if pdf else None
    return ReportFiles(html, js, out / f"{stem}.pdf" if renderer else None, renderer)
