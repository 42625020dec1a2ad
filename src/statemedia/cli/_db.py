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


def open_db(path: str | Path | None) -> Store:
    try:
        return open_store(path if path is not None else default_db_path())
    except StatemediaError as exc:
        fail(exc)
