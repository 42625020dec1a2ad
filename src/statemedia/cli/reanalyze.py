"""``statemedia reanalyze``: re-run the pipeline where the stored analysis is from another version."""

from __future__ import annotations

import io
import json
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..ingest import reanalyze as run_reanalyze
from ..store import default_db_path
from . import app
from ._common import EXIT_OK, EXIT_PARTIAL, ConfigOption, err, load_settings, out, report_error
from ._db import DbOption, open_db
from ._engine import AddressOption, Engine, EngineOption


@app.command()
def reanalyze(
    db: DbOption = None,
    workers: Annotated[int, typer.Option(help="analysis worker processes (Ray: workers on the cluster)")] = 2,
    engine: EngineOption = Engine.local,
    address: AddressOption = None,
    config: ConfigOption = None,
) -> None:
    """Analyse again every stored text the current pipeline version has not analysed.

    Exit status: 0 done; 1 some texts failed analysis; 2 bad usage or database.
    """
    # Checked before the store is opened: a bad file must not create a database. A file whose pipeline
    # differs from the one that analysed the store makes every text stale, so all are analysed again.
    settings = load_settings(config)
    store = open_db(db if db is not None else default_db_path(settings))
    columns = (SpinnerColumn(), TextColumn("{task.completed} re-analysed"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("reanalyze", total=None)
        failed = io.StringIO()
        summary = run_reanalyze(
            store,
            config=settings,
            n_process=workers,
            progress=lambda n: bar.advance(task, n),
            engine=engine.value,
            address=address,
            rejects=failed,
        )
    out.print(f"re-analysed: {summary.analysed}, failed: {summary.rejected}")
    # A text whose analysis failed keeps its older analysis: name each with the reason.
    for line in failed.getvalue().splitlines():
        reject = json.loads(line)
        report_error(f"{reject['where']}: {reject['code']} {reject['reason']}; its older analysis is kept")
    raise typer.Exit(EXIT_PARTIAL if summary.rejected else EXIT_OK)
