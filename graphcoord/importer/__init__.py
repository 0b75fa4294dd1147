"""Bulk roster import: XLSX/CSV/TSV files of the kinds congress offices keep.

``run_import`` validates a whole file (streaming), reports every bad row and writes through
the one write path, all or nothing by default. ``write_template`` writes an XLSX template.
"""

from __future__ import annotations

from graphcoord.importer.kinds import KIND_ORDER, KINDS, KindSpec
from graphcoord.importer.report import BadRow, ImportReport, KindCounts, Status
from graphcoord.importer.run import ProgressSink, file_hash, run_import
from graphcoord.importer.template import write_template

__all__ = [
    "KINDS",
    "KIND_ORDER",
    "BadRow",
    "ImportReport",
    "KindCounts",
    "KindSpec",
    "ProgressSink",
    "Status",
    "file_hash",
    "run_import",
    "write_template",
]
