"""Uploaded rosters between the dry run and the real import, and the imports running.

The console checks an upload first (a dry run) and imports it only when the admin confirms,
so the file waits in the state folder (``console-uploads/<token>/``) with the error file of
its check; a token is 128 random bits, and folders older than :data:`KEEP_HOURS` are removed.
A real import runs in a thread and reports its progress to an :class:`ImportJob` that the
page polls (jobs live in the serving process: serve the console with one worker, or route an
admin to one worker).
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import BinaryIO

from graphcoord.caching import BoundedCache
from graphcoord.services.imports import ImportReport

__all__ = ["KEEP_HOURS", "ImportJob", "Jobs", "UploadStore"]

KEEP_HOURS = 24
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


class UploadStore:
    """Files kept between the check and the import, one folder per token."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, source: BinaryIO, name: str) -> str:
        """Copy ``source`` (the upload, spooled by the form parser) into a new folder; its
        file keeps the upload's suffix, which tells the importer its format."""
        self._sweep()
        token = secrets.token_urlsafe(16)
        place = self.folder / token
        place.mkdir(parents=True, mode=0o700)
        shown = PurePath(name).name or "upload.csv"
        (place / "name").write_text(shown, encoding="utf-8")
        with (place / f"upload{PurePath(shown).suffix.lower()}").open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        return token

    def _place(self, token: str) -> Path | None:
        if not _TOKEN.match(token):
            return None
        place = self.folder / token
        return place if (place / "name").exists() else None

    def load(self, token: str) -> tuple[Path, str] | None:
        """The saved file of ``token`` and the name it was uploaded under."""
        place = self._place(token)
        if place is None:
            return None
        name = (place / "name").read_text(encoding="utf-8")
        path = place / f"upload{PurePath(name).suffix.lower()}"
        return (path, name) if path.exists() else None

    def errors_path(self, token: str) -> Path | None:
        place = self._place(token)
        return None if place is None else place / "errors.csv"

    def _sweep(self) -> None:
        if not self.folder.exists():
            return
        cutoff = time.time() - KEEP_HOURS * 3600
        for place in self.folder.iterdir():
            if place.is_dir() and place.stat().st_mtime < cutoff:
                shutil.rmtree(place, ignore_errors=True)


@dataclass
class ImportJob:
    """A real import running in a thread: its phase and rows so far, then its report."""

    id: str
    token: str
    file: str
    phase: str = "starting"
    total: int | None = None
    done: int = 0
    report: ImportReport | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- the importer's ProgressSink ------------------------------------------------------
    def phase_(self, name: str, total: int | None) -> None:
        with self.lock:
            self.phase, self.total, self.done = name, total, 0

    def advance(self, rows: int) -> None:
        with self.lock:
            self.done += rows

    @property
    def finished(self) -> bool:
        return self.report is not None or self.error is not None

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.total:
            return 0
        return min(int(self.done * 100 / self.total), 99)


class _Sink:
    """Adapts an :class:`ImportJob` to the importer's ``ProgressSink``."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job

    def phase(self, name: str, total: int | None) -> None:
        self.job.phase_(name, total)

    def advance(self, rows: int) -> None:
        self.job.advance(rows)


class Jobs:
    """The imports of this process, the latest :data:`maxsize` kept."""

    def __init__(self, maxsize: int = 64) -> None:
        self._jobs: BoundedCache[str, ImportJob] = BoundedCache(maxsize)

    def start(self, token: str, file: str) -> tuple[ImportJob, _Sink]:
        job = ImportJob(secrets.token_urlsafe(12), token, file)
        self._jobs.put(job.id, job)
        return job, _Sink(job)

    def get(self, job_id: str) -> ImportJob | None:
        return self._jobs.get(job_id)
