"""Printable QR codes of deputies' pages (``/d/{code}``, 码上见代表) and of report-back ballots
(``/e/{code}``), with the same codes, captions and A4 sheets as the village codes
(:mod:`graphcoord.printouts.qr`).

Deputies: ``<deputy id>.svg|.png`` with the deputy's name and level under the code,
``deputies-A4.pdf`` and ``index.csv``. Ballots: ``ballot-NNNN.png`` (PNG only: a ballot is
cut from its sheet), ``<meeting>-ballots-A4.pdf`` and ``index.csv`` with the codes — the only
place they exist, since graphcoord stores their hashes alone.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from graphcoord.model import LEVEL_NAMES
from graphcoord.printouts.qr import _sheet_pages, cjk_font_path, qr_png, qr_svg

__all__ = ["DeputyQr", "write_ballot_qr_codes", "write_deputy_qr_codes"]

_DEPUTY_SUBCAPTION = "扫码找代表、向代表反映意见"
_BALLOT_SUBCAPTION = "述职评议选票 · 限投一次"


@dataclass(frozen=True)
class DeputyQr:
    """A deputy's code as printed: id (file name only), name, level, public code."""

    deputy_id: str
    name: str
    level: str
    code: str


def _save_sheets(images: list[Image.Image], heading: str, path: Path) -> None:
    if not images:
        return
    pages = _sheet_pages(images, heading)
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=150)


def write_deputy_qr_codes(
    deputies: Sequence[DeputyQr], base_url: str, out: Path, *, sheets: bool = True
) -> list[Path]:
    """SVG + PNG per deputy, an A4 PDF of them all and ``index.csv``; the PNG paths."""
    out.mkdir(parents=True, exist_ok=True)
    font = cjk_font_path() is not None
    images: list[Image.Image] = []
    written: list[Path] = []
    rows = []
    for d in deputies:
        url = f"{base_url.rstrip('/')}/d/{d.code}"
        caption = f"{d.name}（{LEVEL_NAMES.get(d.level, d.level)}）"
        (out / f"{d.deputy_id}.svg").write_text(
            qr_svg(url, caption, _DEPUTY_SUBCAPTION), encoding="utf-8"
        )
        image = qr_png(url, caption if font else d.code, _DEPUTY_SUBCAPTION if font else d.code)
        png = out / f"{d.deputy_id}.png"
        image.save(png, dpi=(300, 300))
        images.append(image)
        written.append(png)
        rows.append([d.deputy_id, d.name, d.level, d.code, url])
    if sheets:
        _save_sheets(images, "人大代表二维码" if font else "deputies", out / "deputies-A4.pdf")
    with (out / "index.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["deputyId", "name", "level", "code", "url"])
        writer.writerows(rows)
    return written


def write_ballot_qr_codes(
    meeting_id: str, deputy_name: str, codes: Sequence[str], base_url: str, out: Path
) -> Path:
    """A PNG per ballot, an A4 PDF of them and ``index.csv``; the PDF's path."""
    out.mkdir(parents=True, exist_ok=True)
    font = cjk_font_path() is not None
    images: list[Image.Image] = []
    rows = []
    for number, code in enumerate(codes, start=1):
        url = f"{base_url.rstrip('/')}/e/{code}"
        caption = f"{deputy_name}述职评议" if font else meeting_id
        image = qr_png(url, caption, f"{_BALLOT_SUBCAPTION} · {number:04d}" if font else code)
        image.save(out / f"ballot-{number:04d}.png", dpi=(300, 300))
        images.append(image)
        rows.append([number, code, url])
    pdf = out / f"{meeting_id}-ballots-A4.pdf"
    _save_sheets(images, f"述职评议选票 {meeting_id}" if font else meeting_id, pdf)
    with (out / "index.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "code", "url"])
        writer.writerows(rows)
    return pdf
