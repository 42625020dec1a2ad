"""``statemedia claims``: the same numeric claim followed across stories — repeated, revised or dropped."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from ..analytics import claims as model
from ..errors import StatemediaError
from ..store import Store
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
    """One line a claim: its values over time as "day value; day value" (a value once per day), the
    first statement then "…" where statements between are not shown, then the latest."""
    series = list(dict.fromkeys(f"{s.published} {_value(s.value)}" for s in claim.statements))
    if claim.count > len(claim.statements) and series:
        series.insert(1, "…")
    return {
        "status": claim.status,
        "stories": claim.stories,
        "counted": claim.counted,
        "unit": claim.unit,
        "subject": claim.subject.name if claim.subject else "",
        "first": claim.first,
        "last": claim.last,
        "values": "; ".join(series),
        "statements": claim.count,
    }


def _statement(s: model.Statement) -> dict[str, Any]:
    return {"published": s.published, "value": _value(s.value), "stated": s.stated, "doc_id": s.doc_id,
            "title": s.title or "", "outlet": s.outlet or "", "evidence": s.evidence}  # fmt: skip


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
    offset: Annotated[int, typer.Option(min=0, help="claims (with --claim: statements) skipped first")] = 0,
    statements: Annotated[int, typer.Option(min=1, help="latest statements given per claim, besides the first")] = (
        model.STATEMENTS),
    all_statements: Annotated[bool, typer.Option("--all-statements", help="every statement of each claim")] = False,
    claim: Annotated[str | None, typer.Option(help="one claim by its key (counted|unit|subject id): its "
                                                   "statements, paged by --limit and --offset")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table (tab-separated), json or csv")] = Format.table,
) -> None:
    """Numeric claims grouped across stories by what is counted, unit and subject, with their
    values over time and a status: repeated, revised, dropped (stated often, then not for a
    long while) or single. Exit status: 0 claims shown; 1 none; 2 bad input."""
    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if start and end and start > end:
        fail(f"--from {start} is after --to {end}")
    store = open_db(db, read_only=True)
    if claim is not None:
        _one(store, claim, outlet, start, end, limit, offset, format)
        return
    try:
        found = model.claims(
            store, counted=counted, subject=subject, unit=unit, outlet=outlet, date_from=start, date_to=end,
            min_stories=min_stories, status=status.value if status else None, sort=sort.value, limit=limit,
            offset=offset, statements=None if all_statements else statements,
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


def _one(
    store: Store, key: str, outlet: str | None, start: date | None, end: date | None, limit: int, offset: int,
    fmt: Format,
) -> None:
    """``--claim``: one claim's statements (JSON: with its summary), oldest first, a page of them."""
    try:
        found = model.claim(store, key, outlet=outlet, date_from=start, date_to=end, limit=limit, offset=offset)
    except (StatemediaError, ValueError) as exc:
        fail(str(exc))
    finally:
        store.close()
    if found is None:
        err.print(f"no claim {key!r} in the stories read (keys: `statemedia claims --format json`)", markup=False)
        raise typer.Exit(EXIT_PARTIAL)
    if fmt is Format.json:
        out.print(json.dumps(found.to_dict(), ensure_ascii=False, indent=1, default=str), markup=False)
    else:
        print_rows([_statement(s) for s in found.claim.statements], fmt.value)
    shown = offset + len(found.claim.statements)
    if found.claim.count > shown:
        err.print(f"listed statements {offset + 1:,}-{shown:,} of {found.claim.count:,}: use --offset", markup=False)
