"""``statemedia claims``: the same numeric claim followed across stories — repeated, revised or dropped."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from ..analytics import claims as model
from ..errors import StatemediaError
from . import app
from ._common import EXIT_PARTIAL, err, fail, out, parse_day, print_rows
from ._db import DbOption, open_db


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Status(StrEnum):
    repeated = "repeated"
    revised = "revised"
    dropped = "dropped"
    single = "single"


class Sort(StrEnum):
    stories = "stories"
    latest = "latest"
    counted = "counted"
    subject = "subject"


def _value(value: float) -> str:
    return f"{value:,g}" if isinstance(value, float) else f"{value:,}"


def _row(claim: model.Claim) -> dict[str, Any]:
    """One line a claim: its values over time as "day value; day value" (a value once per day)."""
    series = dict.fromkeys(f"{s.published} {_value(s.value)}" for s in claim.statements)
    return {
        "status": claim.status,
        "stories": claim.stories,
        "counted": claim.counted,
        "unit": claim.unit,
        "subject": claim.subject.name if claim.subject else "",
        "first": claim.first,
        "last": claim.last,
        "values": "; ".join(series),
    }


@app.command()
def claims(
    db: DbOption = None,
    counted: Annotated[str | None, typer.Option(help="words of what is counted (\"grain\", \"factories\")")] = None,
    subject: Annotated[str | None, typer.Option(help="entity id, or words of whom the figure is about")] = None,
    unit: Annotated[str | None, typer.Option(help="unit as stored: %, t, km, a count noun")] = None,
    outlet: Annotated[str | None, typer.Option(help="only stories of this outlet")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="first publication day YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last publication day YYYY-MM-DD")] = None,
    min_stories: Annotated[int, typer.Option("--min-stories", min=1, help="claims stated in at least N stories")] = 1,
    status: Annotated[Status | None, typer.Option(help="repeated, revised, dropped or single")] = None,
    sort: Annotated[Sort, typer.Option(help="stories (most first), latest, counted or subject")] = Sort.stories,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="most claims listed")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="claims skipped first")] = 0,
    format: Annotated[Format, typer.Option("--format", "-f", help="table (tab-separated), json or csv")] = Format.table,
) -> None:
    """Numeric claims grouped across stories by what is counted, unit and subject, with their
    values over time and a status: repeated, revised, dropped (stated often, then not for a
    long while) or single. Exit status: 0 claims shown; 1 none; 2 bad input."""
    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if start and end and start > end:
        fail(f"--from {start} is after --to {end}")
    store = open_db(db, read_only=True)
    try:
        found = model.claims(
            store, counted=counted, subject=subject, unit=unit, outlet=outlet, date_from=start, date_to=end,
            min_stories=min_stories, status=status.value if status else None, sort=sort.value, limit=limit,
            offset=offset,
        )
    except (StatemediaError, ValueError) as exc:
        fail(str(exc))
    finally:
        store.close()
    if format is Format.json:
        out.print(json.dumps(found.to_dict(), ensure_ascii=False, indent=1, default=str), markup=False)
    else:
        print_rows([_row(c) for c in found.items], format.value)
    if not found.items:
        err.print(
            "no claims match; a store analysed before quantities existed needs `statemedia reanalyze`", markup=False
        )
        raise typer.Exit(EXIT_PARTIAL)
    if found.total > offset + len(found.items):
        err.print(f"listed {len(found.items):,} of {found.total:,} claims: raise --limit or use --offset", markup=False)
