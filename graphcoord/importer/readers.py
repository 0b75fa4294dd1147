"""Streaming readers of roster files: CSV/TSV (encoding detected) and XLSX (read-only).

Each sheet is yielded as a :class:`Sheet` whose rows are produced lazily, so memory stays
bounded by one block of rows whatever the file size. Row numbers are the ones a clerk sees in
Excel (the header is usually row 1). Cells come as trimmed half-width text, and each row says
whether one of its cells looks like a national ID number (which the validator refuses).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from charset_normalizer import from_bytes

from graphcoord.errors import BadInput
from graphcoord.importer.kinds import KIND_ORDER, KINDS, header_key, kind_for_name
from graphcoord.importer.text import FULL_WIDTH, HALF_WIDTH, NATIONAL_ID, cell_text

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["Row", "Sheet", "count_lines", "detect_encoding", "open_sheets"]

_SAMPLE = 256 * 1024
_HEADER_SCAN = 10
_XLSX = (".xlsx", ".xlsm")
_CSV = (".csv", ".tsv", ".tab", ".txt")
#: charset-normalizer's names of the GB family: read them all as their superset GB18030.
_GB = {"gb2312", "gbk", "gb18030", "cp936", "hz"}
csv.field_size_limit(16 * 1024 * 1024)

#: A data row: its number, its cells, and whether a cell looks like a national ID number.
Row = tuple[int, list[str], bool]


@dataclass
class Sheet:
    """One sheet (or CSV file) of one import kind, with its header and lazy rows."""

    kind: str
    name: str | None
    header: list[str]
    header_row: int
    rows: Iterator[Row]
    total: int | None = None
    #: Lines read as not-data: (row number, why, text) — notes, footnotes, blank rows.
    skipped: list[tuple[int, str, str]] = field(default_factory=list)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, from the file's first bytes."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(sample))
    if not matches:
        raise BadInput("{file}: cannot tell the text encoding; pass --encoding", file=path.name)
    # Short Chinese samples decode as GB18030 and as Korean or Japanese codecs alike: rosters
    # are Chinese, so the GB family wins unless it reads clearly worse.
    chinese = [m for m in matches if _GB.intersection(_names(m.could_be_from_charset))]
    if chinese and chinese[0].chaos <= matches[0].chaos + 0.05:
        return "gb18030"
    return str(matches[0].encoding)


def _names(charsets: list[str]) -> set[str]:
    return {name.replace("_", "").replace("-", "").lower() for name in charsets}


def count_lines(path: Path) -> int:
    """Newlines in a text file: a cheap estimate of its rows for the progress bar."""
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return lines


@contextmanager
def open_sheets(
    path: Path, kind: str | None = None, encoding: str | None = None, *, display: str | None = None
) -> Iterator[list[Sheet]]:
    """The sheets of ``path`` in dependency order, each with its import kind.

    ``kind`` names the kind of a CSV or single-sheet workbook; without it the kind comes from
    the file name (``deputies.csv``, ``代表.csv``) or from each sheet's name.
    """
    display = display or path.name
    suffix = path.suffix.lower()
    if kind is not None and kind not in KINDS:
        kind = kind_for_name(kind) or kind
        if kind not in KINDS:
            raise BadInput(
                "unknown kind {kind!r}; known: {known}", kind=kind, known=", ".join(KIND_ORDER)
            )
    if suffix in _XLSX:
        with _xlsx(path, kind, display) as sheets:
            yield sheets
    elif suffix in _CSV:
        with _csv(path, kind, encoding, display) as sheet:
            yield [sheet]
    else:
        raise BadInput(
            "{file}: unsupported file type {suffix!r} (use .xlsx, .csv or .tsv)",
            file=display,
            suffix=suffix,
        )


@contextmanager
def _csv(path: Path, kind: str | None, encoding: str | None, display: str) -> Iterator[Sheet]:
    kind = kind or kind_for_name(path.stem)
    if kind is None:
        raise BadInput(
            "{file}: say which kind it holds with --kind ({known})",
            file=display,
            known=", ".join(KIND_ORDER),
        )
    encoding = encoding or detect_encoding(path)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise BadInput("unknown encoding {encoding!r}", encoding=encoding) from None
    with path.open(encoding=encoding, newline="", errors="strict") as handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError as error:
            raise _not_valid(display, encoding, error) from None
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else _sniff(first)
        lines = _ScreenedLines(delimiter)
        reader = csv.reader(lines.read(first, handle), delimiter=delimiter)
        numbered = enumerate(reader, start=1)
        try:
            sheet = _sheet(kind, None, numbered, display, lines.rows_of(reader))
        except UnicodeDecodeError as error:
            raise _not_valid(display, encoding, error) from None
        sheet.total = max(count_lines(path) - sheet.header_row, 0)
        sheet.rows = _decoding(sheet.rows, display, encoding)
        yield sheet


def _decoding(rows: Iterator[Row], display: str, encoding: str) -> Iterator[Row]:
    try:
        yield from rows
    except UnicodeDecodeError as error:
        raise _not_valid(display, encoding, error) from None


def _not_valid(display: str, encoding: str, error: UnicodeDecodeError) -> BadInput:
    return BadInput(
        "{file} is not valid {encoding} ({reason}); pass --encoding",
        file=display,
        encoding=encoding,
        reason=error.reason,
    )


def _sniff(line: str) -> str:
    return "\t" if line.count("\t") > line.count(",") else ","


@contextmanager
def _xlsx(path: Path, kind: str | None, display: str) -> Iterator[list[Sheet]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a bad workbook
        raise BadInput(
            "{file} is not a readable XLSX workbook ({error})", file=display, error=str(error)
        ) from None
    try:
        named = [(kind_for_name(ws.title), ws) for ws in book.worksheets]
        chosen = [(k, ws) for k, ws in named if k is not None]
        if kind is not None:
            same = [ws for k, ws in chosen if k == kind]
            chosen = [(kind, ws) for ws in same] or [(kind, book.worksheets[0])]
        elif not chosen:
            titles = ", ".join(ws.title for ws in book.worksheets)
            raise BadInput(
                "{file}: no sheet is named after a kind ({titles}); name the sheets (代表, 区划, "
                "deputies…) or pass --kind",
                file=display,
                titles=titles,
            )
        # Several sheets of one kind (a roster per county, say) are read one after the other.
        chosen.sort(key=lambda pair: KIND_ORDER.index(str(pair[0])))
        sheets = []
        for sheet_kind, ws in chosen:
            rows = ((n, list(r)) for n, r in enumerate(ws.iter_rows(values_only=True), start=1))
            sheet = _sheet(str(sheet_kind), ws.title, rows, display, _noting)
            max_row = getattr(ws, "max_row", None)
            sheet.total = max(max_row - sheet.header_row, 0) if max_row else None
            sheets.append(sheet)
        yield sheets
    finally:
        book.close()


def _sheet(
    kind: str,
    name: str | None,
    rows: Iterator[tuple[int, list[Any]]],
    display: str,
    data: Callable[..., Any] | None = None,
) -> Sheet:
    """Find the header (the first row naming known columns, with the row below or above it
    when the two are one header of merged cells) and wrap the rows after it (``data`` makes
    the data rows of what follows it; cell by cell by default)."""
    data = data or _data
    aliases = {header_key(a) for names in KINDS[kind].headers.values() for a in names}
    first: tuple[int, list[str]] | None = None
    skipped: list[tuple[int, list[str]]] = []
    for number, raw in rows:
        cells = [cell_text(value) for value in raw]
        if not any(cells):
            continue
        if first is None:
            first = (number, cells)
        hits = sum(1 for cell in cells if header_key(cell) in aliases)
        if hits >= 2 or (hits and len([c for c in cells if c]) == 1):
            header, header_row = cells, number
            above = skipped[-1] if skipped else None
            if above is not None and above[0] == number - 1:
                header = _merged_header(above[1], header, aliases) or header
            below = next(rows, None)
            if below is not None and below[0] == number + 1:
                merged = _merged_header(header, [cell_text(v) for v in below[1]], aliases)
                if merged is not None:
                    header, header_row, below = merged, below[0], None
            if data is _noting:
                sheet = Sheet(kind, name, _split_combined(header), header_row, iter(()))
                following = rows if below is None else chain([below], rows)
                sheet.rows = _splitting(sheet, _noting(sheet)(following), header)
                return sheet
            pushed = [] if below is None else list(_data(iter([below])))
            return Sheet(kind, name, header, header_row, chain(pushed, data(rows)))
        skipped.append((number, cells))
        if len(skipped) >= _HEADER_SCAN:
            break
    if first is None:
        return Sheet(kind, name, [], 1, iter(()))
    # No recognisable header: take the first row; the required-column check will explain.
    plain = _data if data is _noting else data
    rest = chain(((n, c, _suspect(c)) for n, c in skipped[1:]), plain(rows))
    return Sheet(kind, name, first[1], first[0], rest)


def _merged_header(top: list[str], sub: list[str], aliases: set[str]) -> list[str] | None:
    """One header read from two rows, ``top`` over ``sub``, when they are one header whose
    cells are merged (``None`` when they are not).

    A cell merged down over both rows (代表编号) holds its text in ``top`` only, a cell merged
    across over several columns (工作单位及职务 over 工作单位 | 职务, 联系方式 over 手机) in its
    first column only, with the columns' own titles in ``sub``: a column takes the title of
    ``sub`` when it has one (unless only ``top``'s is known), else ``top``'s. The two rows are
    one header when together they name more known columns than either alone, and no unknown
    text sits under a known title (that would be a data row below its header).
    """
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))

    def known(title: str) -> bool:
        return header_key(title) in aliases or title.replace(" ", "") in COMBINED_UNIT_TITLE

    merged: list[str] = []
    for upper, lower in zip(top, sub, strict=True):
        if lower and known(upper) and not known(lower):
            return None
        merged.append(lower if lower and (known(lower) or not known(upper)) else upper)
    counted = sum(1 for title in merged if known(title))
    if counted <= max(sum(1 for t in top if known(t)), sum(1 for t in sub if known(t))):
        return None
    return merged


#: How notes and footnotes below (or between) the data begin: 注：…, 填表说明, 制表人…
NOTE = re.compile(
    r"^\s*(注\s*[:：0-9一二三四五六七八九十、.]|填表说明|填报说明|说明\s*[:：]|备注\s*[:：]|制表|填表人|审核人|联系人\s*[:：])"
)
NOTE_REASON = "note"
BLANK_REASON = "blank"


def _noting(sheet: Sheet) -> Callable[[Iterator[tuple[int, list[Any]]]], Iterator[Row]]:
    """The data rows of a worksheet, setting aside notes and blank rows between blocks."""

    def rows(numbered: Iterator[tuple[int, list[Any]]]) -> Iterator[Row]:
        blanks: list[int] = []
        for number, raw in numbered:
            cells = _texts(raw)
            filled = [c for c in cells if c]
            if not filled:
                blanks.append(number)
                continue
            if len(filled) <= 2 and NOTE.match(filled[0]):
                sheet.skipped.append((number, NOTE_REASON, " ".join(filled)[:200]))
                continue
            sheet.skipped.extend((n, BLANK_REASON, "") for n in blanks)
            blanks = []
            yield number, cells, _suspect(cells)

    return rows


def _data(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[Row]:
    for number, raw in rows:
        cells = _texts(raw)
        if any(cells):
            yield number, cells, _suspect(cells)


def _suspect(cells: list[str]) -> bool:
    """Whether a cell looks like a national ID number (cells joined by a non-digit)."""
    return NATIONAL_ID.search("\x1f".join(cells)) is not None


def _texts(raw: list[Any]) -> list[str]:
    """:func:`cell_text` of each cell; a row of text (every CSV row) is folded in one go."""
    try:
        joined = _SEPARATOR.join(raw)
    except TypeError:  # numbers, dates, empty cells of a worksheet
        return [cell_text(value) for value in raw]
    tidy = _FOLD_OR_TRIM.search(joined) is not None  # most rows: nothing to fold or trim
    if tidy and FULL_WIDTH.search(joined):
        joined = joined.translate(HALF_WIDTH)
    cells = joined.split(_SEPARATOR)
    if len(cells) != len(raw):  # a cell held the separator itself
        return [cell_text(value) for value in raw]
    return [cell.strip() for cell in cells] if tidy else cells


#: Joins the cells of a row to fold them at once (a character no roster holds, and not
#: white space, so that :data:`_FOLD_OR_TRIM` can find a cell's leading or trailing space).
_SEPARATOR = "\x00"
#: A full-width character to fold, or white space at either end of a cell.
_FOLD_OR_TRIM = re.compile(FULL_WIDTH.pattern + "|(?:^|\x00)\\s|\\s(?:\x00|\\Z)")


#: Characters of lines screened at once (a few thousand rows).
_BLOCK = 1 << 18
#: What ``str.strip()`` removes but the line ends: a space at either end of a cell.
_SPACES = (
    "\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: Digits to 0: seventeen 0s in a row are where a national ID number could be.
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_ID_DIGITS = b"0" * 17


class _ScreenedLines:
    """The lines of a CSV file, read and screened a block at a time.

    Most rows of a big roster need nothing done to their cells: no full-width form to fold
    (folded here for the whole block), no space at either end of a cell, no quoted cell, nothing
    shaped like a national ID number. Looking for those in a block of rows at once costs a
    fraction of doing it row by row (a national contacts row: ~6 µs read and searched cell by
    cell, ~1.5 µs as read); the rows of a block that holds one go cell by cell. :attr:`dirty`
    holds the line numbers of those blocks.
    """

    def __init__(self, delimiter: str) -> None:
        #: (first, last) line numbers, 1-based as ``csv.reader.line_num``, of blocks whose
        #: rows go cell by cell; blocks behind the rows read are dropped.
        self.dirty: deque[tuple[int, int]] = deque()
        # The full-width delimiter or quote would fold into a separator: the cells first.
        self._structural = {chr(ord(c) + 0xFEE0) for c in (delimiter, '"') if "!" <= c <= "~"}
        space = "[" + re.escape(_SPACES.replace(delimiter, "")) + "]"
        ends = "[" + re.escape(delimiter) + "\r\n]"
        self._space = re.compile(space)
        self._edge_space = re.compile(f"(?:^|{ends}){space}|{space}(?:{ends}|$)", re.MULTILINE)

    def read(self, first: str, handle: TextIO) -> Iterator[str]:
        """The lines of ``handle`` (after ``first``, read already), screened block by block."""
        return chain.from_iterable(self._blocks(first, handle))

    def _blocks(self, first: str, handle: TextIO) -> Iterator[list[str]]:
        read = 0
        block = [first, *handle.readlines(_BLOCK)] if first else []
        while block:
            block, clean = self._screen(block)
            if not clean:
                self.dirty.append((read + 1, read + len(block)))
            read += len(block)
            yield block
            block = handle.readlines(_BLOCK)

    def _screen(self, block: list[str]) -> tuple[list[str], bool]:
        """``block`` with full-width forms folded, and whether its cells are ready as read."""
        text = "".join(block)
        if '"' in text:  # quoted cells may hold anything: the csv module's parse, cell by cell
            return block, False
        if not text.isascii():
            found = set(FULL_WIDTH.findall(text))
            if found & self._structural:
                return block, False
            if found:
                folds = [(c, chr(HALF_WIDTH[ord(c)])) for c in found]
                block = [_replace(line, folds) for line in block]
                text = "".join(block)
        if self._space.search(text) and self._edge_space.search(text):
            return block, False
        digits = text.encode("utf-8", "surrogatepass").translate(_DIGITS_TO_ZERO)
        return block, not (_ID_DIGITS in digits and NATIONAL_ID.search(text))

    def rows_of(
        self, reader: CsvReader
    ) -> Callable[[Iterator[tuple[int, list[str]]]], Iterator[Row]]:
        """The data rows of ``reader`` (a ``csv.reader`` of :meth:`read`'s lines)."""

        def rows(numbered: Iterator[tuple[int, list[str]]]) -> Iterator[Row]:
            dirty = self.dirty
            last = reader.line_num
            for number, raw in numbered:
                end = reader.line_num  # the row's lines are last + 1 … end
                while dirty and dirty[0][1] <= last:
                    dirty.popleft()
                if dirty and dirty[0][0] <= end:
                    cells = _texts(raw)
                    if any(cells):
                        yield number, cells, _suspect(cells)
                elif any(raw):
                    yield number, raw, False
                last = end

        return rows


def _replace(line: str, folds: list[tuple[str, str]]) -> str:
    if line.isascii():
        return line
    for full, half in folds:
        line = line.replace(full, half)
    return line


#: Headers of a column holding the work unit and the title together (工作单位及职务).
COMBINED_UNIT_TITLE = ("工作单位及职务", "单位及职务", "工作单位和职务", "工作单位职务", "单位职务")
_TITLE_SPLIT = re.compile(r"[\s,，、/]+")


def _split_combined(header: list[str]) -> list[str]:
    """The header with a combined unit-and-title column read as two columns."""
    out: list[str] = []
    for title in header:
        if title.replace(" ", "") in COMBINED_UNIT_TITLE:
            out += ["工作单位", "职务"]
        else:
            out.append(title)
    return out


def split_unit_title(text: str) -> tuple[str, str]:
    """``宿迁市某公司 董事长`` -> (unit, title): split at the last separator; a cell with none
    is all unit."""
    parts = [p for p in _TITLE_SPLIT.split(text.strip()) if p]
    if len(parts) < 2:
        return text.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def _splitting(sheet: Sheet, rows: Iterator[Row], header: list[str]) -> Iterator[Row]:
    combined = [i for i, t in enumerate(header) if t.replace(" ", "") in COMBINED_UNIT_TITLE]
    if not combined:
        yield from rows
        return
    for number, cells, suspect in rows:
        out: list[str] = []
        for i, cell in enumerate(cells):
            if i in combined:
                out += list(split_unit_title(cell)) if cell else ["", ""]
            else:
                out.append(cell)
        yield number, out, suspect
