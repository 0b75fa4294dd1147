"""名册导入 (admins only): upload a roster, read the dry run's report (bad rows as a table and
as a downloadable CSV, the lines skipped as notes), then import it for real with progress;
the import history and undo; the templates.

Every step calls :mod:`graphcoord.services.imports`, the service of ``graphcoord import`` and
GraphQL's ``importRoster``: the same checks, the same report, the same audit trail.
"""

from __future__ import annotations

import threading
from pathlib import Path, PurePath
from tempfile import TemporaryDirectory

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from graphcoord.console.base import ConsolePages, Signed, csv_response
from graphcoord.console.uploads import Jobs, UploadStore
from graphcoord.errors import BadInput, GraphcoordError, NotFound
from graphcoord.i18n import gettext as _
from graphcoord.services import imports
from graphcoord.threads import blocking

__all__ = ["ImportPages"]

_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")
#: Bad rows shown on the page (all of them are in the downloadable file).
SHOWN_BAD_ROWS = 200


class ImportPages:
    def __init__(self, pages: ConsolePages) -> None:
        self.pages = pages
        self.store = UploadStore(pages.settings.state_dir / "console-uploads")
        self.jobs = Jobs()

    async def index(self, request: Request, signed: Signed) -> Response:
        total, runs = await blocking(imports.import_run_page, self.pages.db, 0, 20)
        if request.query_params.get("format") == "csv":
            return csv_response(
                "导入记录.csv",
                [
                    _("run"),
                    _("file"),
                    _("kind"),
                    _("status"),
                    _("started"),
                    _("created"),
                    _("updated"),
                    _("unchanged"),
                    _("rejected"),
                ],
                [
                    [
                        r.id,
                        r.file,
                        r.kind,
                        r.status,
                        r.started_at,
                        r.created,
                        r.updated,
                        r.unchanged,
                        r.rejected,
                    ]
                    for r in runs
                ],
            )
        return self.pages.render(
            "imports.html",
            signed,
            runs=runs[:20],
            total=total,
            kinds=imports.KIND_ORDER,
            undone=request.query_params.get("undone"),
        )

    async def check(self, request: Request, signed: Signed) -> Response:
        """The upload's dry run: nothing is written. The body is bounded while it streams in
        (``GRAPHCOORD_MAX_UPLOAD``, :mod:`graphcoord.web.bodylimit`); the form parser spools
        the file to disk, and it is copied from there, never held in memory whole."""
        form = await request.form()
        upload = form.get("file")
        name = str(getattr(upload, "filename", "") or "")
        if upload is None or isinstance(upload, str) or not name:
            raise BadInput("choose a roster file (XLSX, CSV or TSV)")
        if PurePath(name).suffix.lower() not in _SUFFIXES:
            raise BadInput(
                "{name}: unsupported file type (use .xlsx, .csv or .tsv)", name=PurePath(name).name
            )
        kind = str(form.get("kind") or "") or None
        try:
            token = await blocking(self.store.save, upload.file, name)
        finally:
            await upload.close()
        saved = self.store.load(token)
        assert saved is not None  # just saved
        report = await blocking(
            imports.import_file,
            self.pages.db,
            saved[0],
            name,
            batch_size=self.pages.settings.import_batch_size,
            dry_run=True,
            kind=kind,
            errors_path=self.store.errors_path(token),
            actor=signed.principal,
        )
        return self.pages.render(
            "import_check.html",
            signed,
            report=report,
            token=token,
            kind=kind or "",
            shown=report.bad_rows[:SHOWN_BAD_ROWS],
        )

    async def errors_file(self, request: Request, signed: Signed) -> Response:
        token = request.path_params["token"]
        path = self.store.errors_path(token)
        if path is None or not path.exists():
            raise NotFound("error file", token)
        return FileResponse(
            path,
            media_type="text/csv; charset=utf-8",
            filename="问题行.csv",
            headers={"Cache-Control": "no-store"},
        )

    async def run(self, request: Request, signed: Signed) -> Response:
        """Start the real import of a checked upload; its page shows the progress."""
        form = await request.form()
        token = str(form.get("token") or "")
        loaded = await blocking(self.store.load, token)
        if loaded is None:
            raise NotFound("uploaded file", token)
        path, name = loaded
        kind = str(form.get("kind") or "") or None
        allow_partial = form.get("allow_partial") == "1"
        job, sink = self.jobs.start(token, name)
        db, settings, principal = self.pages.db, self.pages.settings, signed.principal

        def work() -> None:
            try:
                job.report = imports.import_file(
                    db,
                    path,
                    name,
                    batch_size=settings.import_batch_size,
                    kind=kind,
                    allow_partial=allow_partial,
                    progress=sink,
                    actor=principal,
                )
            except GraphcoordError as error:
                job.error = error.translated()
            except Exception as error:  # the page must say it failed; the log has the trace
                job.error = type(error).__name__
                raise

        threading.Thread(target=work, name=f"console-import-{job.id}", daemon=True).start()
        return RedirectResponse(f"/console/imports/jobs/{job.id}", status_code=303)

    async def job(self, request: Request, signed: Signed) -> Response:
        found = self.jobs.get(request.path_params["job"])
        if found is None:
            raise NotFound("import", request.path_params["job"])
        template = (
            "import_progress.html" if request.headers.get("hx-request") else "import_job.html"
        )
        return self.pages.render(template, signed, job=found, report=found.report)

    async def undo(self, request: Request, signed: Signed) -> Response:
        form = await request.form()
        run_id = str(form.get("run") or "").strip()
        if not run_id:
            raise BadInput("name the import run to undo")
        # Only what a run left written ahead can be undone (a run killed mid-way); one still
        # marked RUNNING needs the admin to say its process is gone, as `import undo --force`
        # (the service still refuses a run whose import lease is alive).
        run, rows = await blocking(
            imports.undo_import,
            self.pages.db,
            run_id,
            force=form.get("force") == "1",
            actor=signed.principal,
        )
        return RedirectResponse(f"/console/imports?undone={run}:{rows}", status_code=303)

    async def template(self, request: Request, signed: Signed) -> Response:
        kind = request.query_params.get("kind", "")
        kinds = list(imports.KIND_ORDER) if kind in ("", "all") else [kind]
        if any(k not in imports.KIND_ORDER for k in kinds):
            raise BadInput("unknown kind {kind!r}", kind=kind)
        with TemporaryDirectory(prefix="graphcoord-template-") as folder:
            path = Path(folder) / "template.xlsx"
            await blocking(imports.write_template, path, kinds)
            data = path.read_bytes()
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": "attachment; filename*=UTF-8''%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
            },
        )
