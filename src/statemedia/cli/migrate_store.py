"""``statemedia migrate-store SRC DST``: copy a whole store, SQLite <-> PostgreSQL."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import StatemediaError
from ..store.migrate import migrate
from . import app
from ._common import fail, out
from ._db import open_db


@app.command("migrate-store")
def migrate_store(
    src: Annotated[str, typer.Argument(help="the store to copy: a SQLite file or postgresql:// URL")],
    dst: Annotated[str, typer.Argument(help="an empty (or new) store to copy into")],
) -> None:
    """Copy every article, version, annotation, duplicate group and ingest run from SRC to DST.

    Exit status: 0 copied; 2 a store cannot be opened, or DST is not empty.
    """
    source, target = open_db(src), open_db(dst)
    try:
        copied = migrate(source, target)
    except StatemediaError as exc:
        fail(exc)
    finally:
        source.close()
        target.close()
    out.print(", ".join(f"{table.replace('_', ' ')}: {n}" for table, n in copied.items()))
