"""What a report command tells the clerk it wrote: the HTML, the JSON and the PDF (or why no
PDF), in the reader's language. The proposal, record and opinion reports print it alike."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rich.console import Console

from graphcoord.i18n import fill

__all__ = ["WrittenReport", "print_written"]


class WrittenReport(Protocol):
    """The files a printout wrote (:mod:`graphcoord.printouts`)."""

    @property
    def html(self) -> Path: ...

    @property
    def json(self) -> Path: ...

    @property
    def pdf(self) -> Path | None: ...

    @property
    def pdf_renderer(self) -> str | None: ...


def print_written(console: Console, files: WrittenReport, *, pdf_wanted: bool) -> None:
    """One line per file written; a PDF asked for but not printed says why."""
    console.print(fill("HTML: [bold]{path}[/]", {"path": files.html}), highlight=False)
    console.print(fill("JSON: {path}", {"path": files.json}), highlight=False)
    if files.pdf is not None:
        line = fill(
            "PDF: {path} (printed by {renderer})",
            {"path": files.pdf, "renderer": files.pdf_renderer or "?"},
        )
        console.print(line, highlight=False)
    elif pdf_wanted:
        console.print(fill("PDF: skipped (no Chromium found; install Debian's chromium)", {}))
