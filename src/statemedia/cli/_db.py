"""The ``--db`` option every corpus command takes, and opening the store it names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import StatemediaError
from ..store import Store, default_db_path, open_store
from ._common import fail

# A string, not a Path: a PostgreSQL URL's "//" must survive (Path would collapse it).
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="database file or postgresql:// URL [default: $STATEMEDIA_DB or var/statemedia.db]"
    ),
]


def existing_db(path: str | Path | None) -> str:
    """The database a read-only command reads (``path``, else the default), or exit 2 naming it
    when no such file exists: reading never creates a database (nor the folders above it)."""
    target = str(path if path is not None else default_db_path())
    if "://" not in target and not Path(target).is_file():
        fail(f"no database at {target}: run `statemedia ingest` first or check --db")
    return target


def open_db(path: str | Path | None, *, read_only: bool = False) -> Store:
    """The store at ``path``; a ``read_only`` command's must exist already (see :func:`existing_db`)."""
    target = existing_db(path) if read_only else path if path is not None else default_db_path()
    try:
        return open_store(target)
    except StatemediaError as exc:
        fail(exc)
