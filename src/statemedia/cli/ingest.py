"""``statemedia ingest PATH...``: read files into the corpus, analysed, versioned, deduplicated."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..ingest import ingest as run_ingest
from ..store import default_db_path
from . import app
from ._common import EXIT_OK, EXIT_PARTIAL, ConfigOption, err, fail, load_settings, out
from ._db import DbOption, open_db
from ._engine import AddressOption, Engine, EngineOption


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help=".jsonl(.gz), .csv, .rda files or directories of .txt/.html")],
    db: DbOption = None,
    analyze: Annotated[bool, typer.Option("--analyze/--no-analyze", help="run the analysis pipeline")] = True,
    workers: Annotated[int, typer.Option(help="analysis worker processes (Ray: workers on the cluster)")] = 2,
    engine: EngineOption = Engine.local,
    address: AddressOption = None,
    rejects: Annotated[Path, typer.Option(help="JSONL file the rejected records go to")] = Path("rejects.jsonl"),
    config: ConfigOption = None,
) -> None:
    """Store every record of PATHs; unchanged articles are skipped, changed ones get a new version.

    Exit status: 0 all stored; 1 some records were rejected (see --rejects) or there were none;
    2 bad usage, a missing PATH, an unwritable --rejects file or database.
    """
    # Everything the run needs is checked before anything is stored (or a database file created).
    settings = load_settings(config)
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        fail(f"no such file or directory: {', '.join(missing)}")
    try:
        bad = rejects.open("a", encoding="utf-8")
    except OSError as exc:
        fail(f"--rejects {rejects}: cannot write there ({exc.strerror or exc})")
    columns = (SpinnerColumn(), TextColumn("ingesting"), MofNCompleteColumn(), TimeElapsedColumn())
    with bad, Progress(*columns, console=err, transient=True) as bar:
        # The file's [store] path is the default database too ($STATEMEDIA_DB and --db still win).
        store = open_db(db if db is not None else default_db_path(settings))
        task = bar.add_task("ingest", total=None)
        summary = run_ingest(
            store,
            paths,
            analyze=analyze,
            config=settings,
            n_process=workers,
            rejects=bad,
            progress=lambda n: bar.advance(task, n),
            engine=engine.value,
            address=address,
        )
    out.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in summary.as_dict().items()))
    if summary.rejected:
        err.print(f"{summary.rejected} record(s) rejected: see {rejects}")
    found = any(summary.as_dict().values())
    if not found:
        err.print(f"nothing to ingest: no records in {', '.join(paths)}")
    raise typer.Exit(EXIT_PARTIAL if summary.rejected or not found else EXIT_OK)
