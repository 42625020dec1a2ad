"""``statemedia quotations``: who is quoted saying what, from a store or a corpus analysed now."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

import typer

from ..analysis import analyze_path
from ..analytics import quotations as quotes
from ..errors import StatemediaError
from ..model import Document
from . import app
from ._common import EXIT_INPUT, EXIT_PARTIAL, err, fail, parse_day, print_rows, report_error
from ._db import existing_db


class View(StrEnum):
    log = "log"
    speakers = "speakers"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _documents(path: str | None, db: str | None, failures: list[StatemediaError]) -> Iterator[Document]:
    if db is not None:
        from ..store.corpus import open as open_corpus

        with open_corpus(db) as corpus:
            yield from corpus.documents(annotations=True)
        return
    assert path is not None
    for item in analyze_path(path):
        if isinstance(item, Document):
            yield item
        else:
            failures.append(item)
            report_error(item)


@app.command()
def quotations(
    path: Annotated[str | None, typer.Argument(help="an article or corpus to analyse now (or use --db)")] = None,
    db: Annotated[str | None, typer.Option("--db", help="read the stored analysis of this store")] = None,
    speaker: Annotated[str | None, typer.Option(help="entity id, or words of the speaker's name")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="direct, indirect, quoted, title, slogan, scare")] = None,
    contains: Annotated[str | None, typer.Option(help="words the quotation contains")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="first publication day YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last publication day YYYY-MM-DD")] = None,
    view: Annotated[View, typer.Option(help="log (each quotation) or speakers (counts)")] = View.log,
    format: Annotated[Format, typer.Option("--format", "-f", help="table (tab-separated), json or csv")] = Format.table,
) -> None:
    """Quoted and reported speech with its speakers; titles, slogans and scare quotes with --kind."""
    if (path is None) == (db is None):
        fail("give a corpus path or --db, not both")
    if db is not None:
        db = existing_db(db)
    failures: list[StatemediaError] = []
    found = list(
        quotes.select(
            quotes.quotations(_documents(path, db, failures)),
            speaker=speaker,
            kinds=kind or (quotes.SPEECH if view is View.log else None),
            start=parse_day(date_from, "--from"),
            end=parse_day(date_to, "--to"),
            contains=contains,
        )
    )
    rows: list[dict[str, Any]] = quotes.speakers(found) if view is View.speakers else [q.to_dict() for q in found]
    print_rows(rows, format.value)
    if db is not None and not found:
        err.print(
            "no quotations match; a store analysed before quotations existed needs `statemedia reanalyze`",
            markup=False,
        )
    if failures:
        raise typer.Exit(EXIT_INPUT)
    if not found:
        raise typer.Exit(EXIT_PARTIAL)
