"""``statemedia activities``: the leader activity log and its views, from a corpus file or a store."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from ..analytics import activities as log
from ..analytics import elite
from ..analytics.activity_views import activity_rows, stored_rows
from ..analytics.corpus import Corpus
from ..config import load_config, options_for
from ..model import Document
from ..web.options import WebOptions
from . import app
from ._common import EXIT_INPUT, fail, out, parse_day, print_rows, report_error
from ._db import existing_db, open_db


class View(StrEnum):
    log = "log"
    calendar = "calendar"
    gaps = "gaps"
    monthly = "monthly"
    elite = "elite"
    movers = "movers"
    network = "network"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    graphml = "graphml"


def _flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a table or CSV: lists joined ("; "), protocol lists by their members' names."""
    def cell(value: Any) -> Any:
        if isinstance(value, list):
            return "; ".join(str(v["name"]) if isinstance(v, dict) else str(v) for v in value)
        return value

    return [{key: cell(value) for key, value in row.items()} for row in rows]


@app.command()
def activities(
    path: Annotated[str | None, typer.Argument(help="a .jsonl(.gz) corpus, file or directory (or use --db)")] = None,
    db: Annotated[str | None, typer.Option("--db", help="read the articles of this store")] = None,
    leader: Annotated[str | None, typer.Option(help="Kim Jong Un, person:kim-jong-il, ...")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="first activity day YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last activity day YYYY-MM-DD")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="activity kind (repeatable)")] = None,
    view: Annotated[View, typer.Option(help="log, calendar, gaps, monthly, elite, movers or network")] = View.log,
    period: Annotated[str, typer.Option(help="elite/movers period: month, quarter or year")] = "year",
    top: Annotated[int | None, typer.Option(help="elite: the first N per period")] = None,
    gap_days: Annotated[
        int | None, typer.Option("--gap-days", help="gaps: the shortest absence listed (default: [web] gap_days)")
    ] = None,
    roles: Annotated[
        str,
        typer.Option(
            help="elite, movers, network: the protocol lists that count, comma-separated: "
            "entourage (accompanied him), present (present, attending), hosts (greeted him, saw him off)"
        ),
    ] = ",".join(elite.DEFAULT_ROLES),
    format: Annotated[
        Format, typer.Option("--format", "-f", help="table, json, csv (graphml: network)")
    ] = Format.table,
) -> None:
    """Leader activities (kind, day, target, entourage, those present, hosts) and the views over them:
    of a store as it was analysed (--db; `statemedia reanalyze` brings it to this version), or of a
    corpus file analysed now."""
    if path is None and db is None:
        fail("give a corpus path or --db")
    if db is not None:
        db = existing_db(db)
    try:
        chosen = elite.parse_roles(roles)
    except ValueError as error:
        fail(f"--roles {error}")
    start, end = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if format is Format.graphml and view is not View.network:
        fail("--format graphml is for --view network")
    if gap_days is None:
        gap_days = options_for(WebOptions, load_config(), "web").gap_days
    failures = 0
    if db is not None:
        # A store's activities as stored: the read model the web pages and the API show. The store
        # ranks by itself (Corpus.ranking), without reading every activity.
        corpus = Corpus(open_db(db, read_only=True))
        if not (view is View.network and format is Format.graphml):
            _print(stored_rows(corpus, view.value, leader=leader, start=start, end=end, kinds=kind, period=period,
                               gap_days=gap_days, roles=chosen, top=top), format)  # fmt: skip
            return
        acts = corpus.activities(leader=leader, start=start, end=end, kinds=kind)
    else:
        docs: list[Document] = []
        for item in log.analysed(path):
            if isinstance(item, Document):
                docs.append(item)
            else:
                failures += 1
                report_error(item)
        acts = list(log.select(log.activities(docs), leader=leader, start=start, end=end, kinds=kind))
    if view is View.network and format is Format.graphml:
        out.print(elite.graphml(acts, roles=chosen).rstrip("\n"), markup=False)
    else:
        _print(activity_rows(view.value, acts, period=period, gap_days=gap_days, roles=chosen, top=top), format)
    if failures:
        raise typer.Exit(EXIT_INPUT)


def _print(rows: list[dict[str, Any]], format: Format) -> None:
    print_rows(rows if format is Format.json else _flat(rows), format.value)
