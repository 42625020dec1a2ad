"""``statemedia export``: every article (current version) as JSONL, CSV or Parquet."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..store.export import export as run_export
from . import app
from ._common import err
from ._db import DbOption, open_db


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="file to write")],
    db: DbOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="jsonl includes annotations")] = Format.jsonl,
) -> None:
    """Write the corpus to a file. Exit status: 0 written; 2 bad usage or database."""
    count = run_export(open_db(db, read_only=True), out, format.value)
    err.print(f"{count} articles written to {out}")
