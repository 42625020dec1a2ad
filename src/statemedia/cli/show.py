"""``statemedia show ID``: one stored article, its versions and its annotations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from . import app
from ._common import EXIT_INPUT, fail, out
from ._db import DbOption, open_db


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="record id (or outlet|id)")],
    db: DbOption = None,
    version: Annotated[int | None, typer.Option(help="this version instead of the current one")] = None,
) -> None:
    """Print an article with its metadata, versions and annotation counts. Exit status: 0 ok; 2 no such id."""
    store = open_db(db, read_only=True)
    doc = store.get(doc_id, version)
    if doc is None:
        fail(f"no article with id {doc_id!r}" + (f" and version {version}" if version else ""), EXIT_INPUT)
    versions = store.versions(doc_id)
    out.print(f"[bold]{escape(doc.title or '(no title)')}[/]", markup=True)
    out.print(f"{doc.id} · {doc.outlet or '?'} · {doc.published or '?'} · {doc.language or '?'} · {doc.url or ''}")
    for v in versions:
        out.print(f"  v{v.version} {v.content_hash[:12]} first seen {v.first_seen[:19]} last seen {v.last_seen[:19]}")
    labels: dict[str, int] = {}
    for ann in doc.annotations:
        labels[ann.label] = labels.get(ann.label, 0) + 1
    out.print("annotations: " + (", ".join(f"{k} {n}" for k, n in sorted(labels.items())) or "none"))
    out.print()
    out.print(doc.text, markup=False)
