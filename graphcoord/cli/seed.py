"""``graphcoord seed suqian | liulin | national``: the deterministic datasets."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from graphcoord.config import Settings
from graphcoord.db import Database
from graphcoord.services import seeds
from graphcoord.services.seeds import City

__all__ = ["load_with_progress", "register", "seed_if_empty"]

console = Console()


def load_with_progress(
    db: Database, city: City | str, *, seed: int | None = None, quiet: bool = False
) -> dict[str, int]:
    """Load ``city`` with a progress bar (rows per second) on the console."""
    dataset = seeds.build(city, seed)
    total = sum(len(rows) for rows in dataset.values())
    with Progress(
        TextColumn("[bold]{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
    ) as progress:
        task = progress.add_task(str(city), total=total, rate="")
        started = time.monotonic()

        def advance(rows: int) -> None:
            progress.advance(task, rows)
            done = progress.tasks[0].completed
            progress.update(
                task, rate=f"{done / max(time.monotonic() - started, 1e-6):,.0f} rows/s"
            )

        def kind(name: str, rows: int) -> None:
            progress.update(task, description=f"{city}: {name}")

        return seeds.write_dataset(db, dataset, on_kind=kind, on_batch=advance)


def seed_if_empty(settings: Settings, city: str) -> None:
    """Load the demo city unless the graph already holds deputies (``graphcoord up``)."""
    db = Database(settings)
    try:
        if seeds.graph_has_deputies(db):
            console.print("the graph already holds data: demo seed skipped")
            return
        started = time.monotonic()
        written = load_with_progress(db, city)
        console.print(
            f"loaded {city}: {sum(written.values()):,} rows in {time.monotonic() - started:.1f} s"
        )
    finally:
        db.close()


def register(app: typer.Typer) -> None:
    seed_app = typer.Typer(
        help="Load or generate the deterministic datasets.", no_args_is_help=True
    )
    app.add_typer(seed_app, name="seed")

    def _load(city: City, seed: int | None) -> None:
        settings = Settings.from_env()
        db = Database(settings)
        try:
            started = time.monotonic()
            written = load_with_progress(db, city, seed=seed)
        finally:
            db.close()
        console.print(
            f"{city}: {sum(written.values()):,} rows written in "
            f"{time.monotonic() - started:.1f} s (re-running changes nothing)"
        )

    @seed_app.command()
    def suqian(
        seed: int = typer.Option(None, help="RNG seed (default: the published one)."),
    ) -> None:
        """Suqian: 1,440 real villages, 7,684 deputies of five levels, groups, chains, issues."""
        _load(City.suqian, seed)

    @seed_app.command()
    def liulin(
        seed: int = typer.Option(None, help="RNG seed (default: the published one)."),
    ) -> None:
        """Liulin county: 198 villages, 15 stations + 46 points, 1,132 deputies."""
        _load(City.liulin, seed)

    @seed_app.command()
    def national(
        out: Path = typer.Option(Path("national"), help="Folder for areas/deputies/contacts CSV."),
        scale: float = typer.Option(1.0, help="Fraction of the national roll (1.0 ≈ 2.7 M)."),
        seed: int = typer.Option(2023, help="RNG seed."),
    ) -> None:
        """Stream the national roll (real divisions, synthetic deputies) to CSV files."""
        import resource

        from graphcoord.seeding.national import write_national

        with Progress(TextColumn("{task.description}"), console=console) as progress:
            task = progress.add_task("national: 0 rows")
            summary = write_national(
                out,
                scale=scale,
                seed=seed,
                progress=lambda n: progress.update(task, description=f"national: {n:,} rows"),
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        console.print(
            f"wrote {dict(summary.rows)} to {out} in {summary.seconds:.1f} s "
            f"({summary.rows_per_second:,.0f} rows/s, peak RSS {peak_mb:.0f} MB); "
            f"deputies per level {dict(summary.levels)}"
        )
