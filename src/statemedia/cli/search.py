"""``statemedia search QUERY``: full-text search with filters, one hit per duplicate group."""

from __future__ import annotations

import csv
import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from ..csv_cells import safe_rows
from ..errors import StatemediaError
from ..store import Query
from . import app
from ._common import EXIT_OK, EXIT_PARTIAL, fail, out, parse_day
from ._db import DbOption, open_db


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='FTS5 syntax: words, "a phrase", AND/OR/NOT, prefix*')],
    db: DbOption = None,
    outlet: Annotated[str | None, typer.Option(help="only this outlet")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="published on/after YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="published on/before YYYY-MM-DD")] = None,
    person: Annotated[str | None, typer.Option(help='entity id or name, e.g. "Kim Jong Un"')] = None,
    language: Annotated[str | None, typer.Option(help="ISO code, e.g. en")] = None,
    limit: Annotated[int, typer.Option(help="most hits to show")] = 20,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Search the corpus by relevance (bm25). Exit status: 0 hits; 1 no hits; 2 bad query or usage."""
    q = Query(query, outlet, parse_day(date_from, "--from"), parse_day(date_to, "--to"), person, language, limit)
    try:
        hits = open_db(db, read_only=True).search(q)
    except StatemediaError as exc:
        fail(exc)
    rows = [hit.to_dict() for hit in hits]
    if format is Format.json:
        out.print(json.dumps(rows, ensure_ascii=False, indent=2), markup=False)
    elif format is Format.csv:
        writer = csv.DictWriter(out.file, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(safe_rows({**r, "copies": " ".join(r["copies"])} for r in rows))
    else:
        table = Table("id", "date", "title", "snippet", "copies")
        for r in rows:
            snippet = Text()
            for i, part in enumerate(r["snippet"].split("**")):  # FTS5 marks matches **like this**
                snippet.append(part, style="bold yellow" if i % 2 else None)
            title = Text(r["title"] or "")  # verbatim: Text is never read as markup or emoji codes
            table.add_row(Text(r["id"]), r["published"] or "", title, snippet, str(len(r["copies"]) or ""))
        out.print(table)
    raise typer.Exit(EXIT_OK if hits else EXIT_PARTIAL)
