"""``statemedia changes``: who was removed from the record — people and organisations edited
out of articles, and articles withdrawn from (or restored to) the sites."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer

from ..analytics import changes as model
from ..errors import StatemediaError
from . import app
from ._common import EXIT_PARTIAL, err, fail, out, parse_day
from ._db import DbOption, open_db


class Format(StrEnum):
    text = "text"
    json = "json"


def _names(entities: list[model.Entity]) -> str:
    return ", ".join(e.name for e in entities)


def _lines(found: model.Changes) -> list[str]:
    """The per-person summary, then each day's edits, withdrawals and restorations (oldest day first)."""
    lines = [p.line() for p in found.people]
    by_day: dict[date, list[str]] = defaultdict(list)
    for e in found.edits:
        what = f"removed {_names(e.removed)}" if e.removed else "removed nobody"
        if e.added:
            what += f"; added {_names(e.added)}"
        if not e.analysed:
            what = "not analysed: run `statemedia reanalyze`"
        by_day[e.day].append(f"  edited    {e.doc_id} v{e.old_version}->v{e.new_version}  {e.title or ''}  ({what})")
    for w in found.withdrawals:
        by_day[w.withdrawn_on].append(f"  withdrawn {w.doc_id}  {w.title or w.url}  ({_names(w.entities)})")
    for w in found.restorations:
        assert w.restored_on is not None
        by_day[w.restored_on].append(f"  restored  {w.doc_id}  {w.title or w.url}  (withdrawn {w.withdrawn_on})")
    for day in sorted(by_day):
        lines += ["", str(day), *by_day[day]]
    return lines


@app.command()
def changes(
    date_from: Annotated[str | None, typer.Option("--from", help="first day of changes YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last day of changes YYYY-MM-DD")] = None,
    removed: Annotated[
        str | None, typer.Option("--removed", help="only changes that removed this person or organisation (id or name)")
    ] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="most edits, withdrawals, restorations listed")] = 500,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.text,
) -> None:
    """Who was removed from the record: edits that dropped people or organisations from an article,
    and withdrawn or restored articles, by the day they were noticed. Exit status: 0 changes shown;
    1 none; 2 bad input."""
    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if start and end and start > end:
        fail(f"--from {start} is after --to {end}")
    store = open_db(db, read_only=True)
    try:
        found = model.changes(store, date_from=start, date_to=end, removed=removed, limit=limit)
    except StatemediaError as exc:
        fail(exc)
    finally:
        store.close()
    if format is Format.json:
        out.print(json.dumps(found.to_dict(), ensure_ascii=False, indent=1, default=str), markup=False)
    else:
        for line in _lines(found):
            out.print(line, markup=False)
    if removed and not found.matched:
        err.print(f"no person or organisation {removed!r} in the store", markup=False)
        raise typer.Exit(EXIT_PARTIAL)
    if not found.days:
        err.print("no edits, withdrawals or restorations recorded for these days", markup=False)
        raise typer.Exit(EXIT_PARTIAL)
    shown = (len(found.edits), len(found.withdrawals), len(found.restorations))
    if shown != found.totals:
        err.print(f"listed at most {limit:,} of each: raise --limit or narrow --from/--to", markup=False)
