"""Printable QR codes of the village pages (segno), with the village's name under the code.

For each village: ``<township>/<village code>.svg`` (vector, the caption as text) and ``.png``
(600 dpi-friendly raster, the caption drawn with a CJK font when one is installed); per
township an A4 PDF sheet of 3 × 4 labelled codes to print and cut; ``index.csv`` lists them.
The URL is ``{public_base_url}/v/{code}`` (``GRAPHCOORD_PUBLIC_BASE_URL``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from PIL import Image, ImageDraw, ImageFont

from graphcoord.services.issues import VillageRef

__all__ = ["QrFiles", "cjk_font_path", "village_url", "write_qr_codes"]

_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_SCALE = 12  # pixels per module in the PNG
_BORDER = 4  # quiet zone, modules
_A4 = (1240, 1754)  # pixels at 150 dpi
_GRID = (3, 4)


@dataclass(frozen=True)
class QrFiles:
    village: VillageRef
    url: str
    svg: Path
    png: Path


def village_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/v/{code}"


def cjk_font_path() -> str | None:
    """A font file with Chinese glyphs, or ``None`` (captions then fall back to the code)."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = cjk_font_path()
    if path is None:
        return ImageFont.load_default()
    return ImageFont.truetype(path, size)


def _caption(village: VillageRef) -> str:
    return village.name if cjk_font_path() else village.code


def qr_svg(url: str, caption: str, subcaption: str) -> str:
    """An SVG document: the QR code, then the caption lines centred below it."""
    code = segno.make(url, error="m")
    inner = code.svg_inline(scale=10, border=_BORDER, omitsize=False)
    width, height = code.symbol_size(scale=10, border=_BORDER)
    total = height + 70
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}">'
        f'<rect width="{width}" height="{total}" fill="#fff"/>'
        f"{inner}"
        f'<text x="{width / 2}" y="{height + 28}" text-anchor="middle" font-size="26" '
        'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" '
        f'font-weight="bold">{escape(caption)}</text>'
        f'<text x="{width / 2}" y="{height + 58}" text-anchor="middle" font-size="16" '
        f'font-family="sans-serif" fill="#555">{escape(subcaption)}</text>'
        "</svg>\n"
    )


def qr_png(url: str, caption: str, subcaption: str) -> Image.Image:
    """A PNG-ready image: the QR code with the caption drawn under it."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=_SCALE, border=_BORDER)
    buffer.seek(0)
    code = Image.open(buffer).convert("RGB")
    width, height = code.size
    canvas = Image.new("RGB", (width, height + 110), "white")
    canvas.paste(code, (0, 0))
    draw = ImageDraw.Draw(canvas)
    title = _fitting_font(draw, caption, 40, width - 24)
    small = _fitting_font(draw, subcaption, 20, width - 24)
    draw.text((width / 2, height + 28), caption, fill="black", font=title, anchor="mm")
    draw.text((width / 2, height + 80), subcaption, fill="#555555", font=small, anchor="mm")
    return canvas


def _fitting_font(
    draw: ImageDraw.ImageDraw, text: str, size: int, width: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The largest font up to ``size`` in which ``text`` fits ``width`` pixels."""
    font = _font(size)
    while size > 10 and draw.textlength(text, font=font) > width:
        size -= 2
        font = _font(size)
    return font


def _sheet_pages(images: list[Image.Image], heading: str) -> list[Image.Image]:
    """A4 pages of a 3 × 4 grid of labelled codes, with the township as the heading."""
    columns, rows = _GRID
    per_page = columns * rows
    margin, top = 60, 110
    cell_w = (_A4[0] - 2 * margin) // columns
    cell_h = (_A4[1] - top - margin) // rows
    pages: list[Image.Image] = []
    for start in range(0, len(images), per_page):
        page = Image.new("RGB", _A4, "white")
        draw = ImageDraw.Draw(page)
        number = start // per_page + 1
        draw.text((margin, 50), f"{heading}  ({number})", fill="black", font=_font(34))
        for index, image in enumerate(images[start : start + per_page]):
            thumb = image.copy()
            thumb.thumbnail((cell_w - 20, cell_h - 20))
            col, row = index % columns, index // columns
            x = margin + col * cell_w + (cell_w - thumb.width) // 2
            y = top + row * cell_h + (cell_h - thumb.height) // 2
            page.paste(thumb, (x, y))
            left, upper = margin + col * cell_w, top + row * cell_h
            draw.rectangle((left, upper, left + cell_w - 1, upper + cell_h - 1), outline="#cccccc")
        pages.append(page)
    return pages


def write_qr_codes(
    villages: Iterable[VillageRef], base_url: str, out: Path, *, sheets: bool = True
) -> list[QrFiles]:
    """Write SVG + PNG per village, an A4 PDF per township and ``index.csv``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[QrFiles] = []
    by_township: dict[tuple[str, str], list[Image.Image]] = defaultdict(list)
    for village in villages:
        url = village_url(base_url, village.code)
        folder = out / (village.township_code or "other")
        folder.mkdir(exist_ok=True)
        caption = _caption(village)
        sub = f"扫码向人大代表反映意见 · {village.code}" if cjk_font_path() else village.code
        svg = folder / f"{village.code}.svg"
        svg.write_text(
            qr_svg(url, village.name, f"扫码向人大代表反映意见 · {village.code}"), encoding="utf-8"
        )
        png = folder / f"{village.code}.png"
        image = qr_png(url, caption, sub)
        image.save(png, dpi=(300, 300))
        by_township[(village.township_code or "other", village.township_name or "")].append(image)
        written.append(QrFiles(village, url, svg, png))
    if sheets:
        for (code, name), images in by_township.items():
            heading = f"{name} {code}" if cjk_font_path() else code
            pages = _sheet_pages(images, heading)
            pages[0].save(
                out / f"{code}-A4.pdf", save_all=True, append_images=pages[1:], resolution=150
            )
    with (out / "index.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "township", "url", "svg", "png"])
        for f in written:
            writer.writerow(
                [
                    f.village.code,
                    f.village.name,
                    f.village.township_name or "",
                    f.url,
                    f.svg.relative_to(out),
                    f.png.relative_to(out),
                ]
            )
    return written
