"""Printable QR codes of the liaison stations' pages (``/s/{stationId}``), to hang at each
station and point: the same codes, captions and A4 sheets as the village codes
(:mod:`graphcoord.printouts.qr`).

For each station or point: ``<township>/<station id>.svg`` and ``.png`` with its name under
the code; per township an A4 PDF sheet (``<township>-stations-A4.pdf``); ``index.csv`` lists
them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from graphcoord.printouts.qr import _sheet_pages, cjk_font_path, qr_png, qr_svg
from graphcoord.services.stations import PlaceRow

__all__ = ["StationQrFiles", "station_url", "write_station_qr_codes"]

_SUBCAPTION = "扫码查看代表活动日、向人大代表反映意见"


@dataclass(frozen=True)
class StationQrFiles:
    station: PlaceRow
    url: str
    svg: Path
    png: Path


def station_url(base_url: str, station_id: str) -> str:
    return f"{base_url.rstrip('/')}/s/{station_id}"


def write_station_qr_codes(
    stations: Iterable[PlaceRow], base_url: str, out: Path, *, sheets: bool = True
) -> list[StationQrFiles]:
    """Write SVG + PNG per station or point, an A4 PDF per township and ``index.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    font = cjk_font_path() is not None
    written: list[StationQrFiles] = []
    by_township: dict[tuple[str, str], list[Image.Image]] = defaultdict(list)
    for station in stations:
        url = station_url(base_url, station.id)
        township = station.township_code or "other"
        folder = out / township
        folder.mkdir(exist_ok=True)
        svg = folder / f"{station.id}.svg"
        svg.write_text(qr_svg(url, station.name, f"{_SUBCAPTION} · {station.id}"), encoding="utf-8")
        png = folder / f"{station.id}.png"
        image = qr_png(
            url,
            station.name if font else station.id,
            f"{_SUBCAPTION} · {station.id}" if font else station.id,
        )
        image.save(png, dpi=(300, 300))
        by_township[(township, station.township_name or "")].append(image)
        written.append(StationQrFiles(station, url, svg, png))
    if sheets:
        for (code, name), images in by_township.items():
            heading = f"{name} 人大代表联络站（点） {code}" if font else code
            pages = _sheet_pages(images, heading)
            pages[0].save(
                out / f"{code}-stations-A4.pdf",
                save_all=True,
                append_images=pages[1:],
                resolution=150,
            )
    with (out / "index.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "kind", "township", "url", "svg", "png"])
        for f in written:
            writer.writerow(
                [
                    f.station.id,
                    f.station.name,
                    f.station.kind,
                    f.station.township_name or "",
                    f.url,
                    f.svg.relative_to(out),
                    f.png.relative_to(out),
                ]
            )
    return written
