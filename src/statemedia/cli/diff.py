"""``statemedia diff ID``: what changed between two versions of an article."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from ..errors import StatemediaError
from ..store.diff import diff_versions
from . import app
from ._common import fail, out
from ._db import DbOption, open_db

_STYLE = {"-": "[red strike]{}[/]", "+": "[green underline]{}[/]", "=": "{}"}


@app.command()
def diff(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="record id (or outlet|id)")],
    db: DbOption = None,
    old: Annotated[int | None, typer.Option(help="older version [default: the one before --new]")] = None,
    new: Annotated[int | None, typer.Option(help="newer version [default: current]")] = None,
    unified: Annotated[bool, typer.Option("--unified", help="a unified line diff instead of word changes")] = False,
) -> None:
    """Show what changed between two versions. Exit status: 0 shown; 2 no such id or version."""
    try:
        result = diff_versions(open_db(db, read_only=True), doc_id, old, new)
    except StatemediaError as exc:
        fail(exc)
    out.print(f"[bold]{escape(doc_id)}[/]: version {result.old} → {result.new}", markup=True)
    if unified:
        for line in result.unified:
            colour = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1])
            out.print(f"[{colour}]{escape(line)}[/]" if colour else escape(line), markup=True)
        return
    out.print("".join(_STYLE[op].format(escape(text)) for op, text in result.words), markup=True)
