"""``statemedia activities``: the leader activity log and its views, from a corpus file or a store."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from ..analytics import activities as log
from ..analytics import elite
from ..analytics.corpus import Corpus
from ..model import Document
from . import app
from ._common import EXIT_INPUT, fail, out, parse_day, print_rows, report_error
from ._db import existing_db, open_db


class View(StrEnum):
    log = "log"
    calendar = "calendar"
    monthly = "monthly"
    elite = "elite"
    movers = "movers"
    network = "network"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    graphml = "graphml"


def _rows(
    view: View, acts: list[log.Activity], period: str, top: int | None, roles: tuple[str, ...]
) -> list[dict[str, Any]]:
    if view is View.log:
        rows = [a.to_dict() for a in acts]
        for row in rows:
            for role in log.PROTOCOL_ROLES:
                row[role] = "; ".join(m["name"] for m in row[role])
            row["stops"] = "; ".join(row["stops"])
        return rows
    if view is View.calendar:
        return [
            {
                "actor": a.actor,
                "date": a.day.isoformat(),
                "gap_days": a.gap_days,
                "kinds": ",".join(a.kinds),
                "targets": "; ".join(a.targets),
            }
            for a in log.calendar(acts)
        ]
    if view is View.monthly:
        return [
            {"month": month, "by": by, "value": value, "count": n}
            for month, counts in log.monthly_counts(acts).items()
            for by, counter in counts.items()
            for value, n in sorted(counter.items())
        ]
    return _ranked(view, elite.ranking(acts, period=period, top=top, roles=roles))


def _ranked(view: View, standings: list[elite.Standing]) -> list[dict[str, Any]]:
    if view is View.elite:
        return [vars_of(s) for s in standings]
    return [vars_of(m) for m in elite.movers(standings)]


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


@app.command()
def activities(
    path: Annotated[str | None, typer.Argument(help="a .jsonl(.gz) corpus, file or directory (or use --db)")] = None,
    db: Annotated[str | None, typer.Option("--db", help="read the articles of this store")] = None,
    leader: Annotated[str | None, typer.Option(help="Kim Jong Un, person:kim-jong-il, ...")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="first activity day YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="last activity day YYYY-MM-DD")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="activity kind (repeatable)")] = None,
    view: Annotated[View, typer.Option(help="log, calendar, monthly, elite, movers or network")] = View.log,
    period: Annotated[str, typer.Option(help="elite/movers period: month, quarter or year")] = "year",
    top: Annotated[int | None, typer.Option(help="elite: the first N per period")] = None,
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
    failures = 0
    if db is not None:
        # A store's activities as stored: the read model the web pages and the API show. The store
        # ranks by itself (Corpus.ranking), without reading every activity.
        corpus = Corpus(open_db(db, read_only=True))
        if view in (View.elite, View.movers):
            standings = corpus.ranking(leader=leader, start=start, end=end, kinds=kind, period=period, top=top,
                                       roles=chosen)  # fmt: skip
            print_rows(_ranked(view, standings), format.value)
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
    if view is View.network:
        text = elite.graphml(acts, roles=chosen) if format is Format.graphml else elite.edges_csv(acts, roles=chosen)
        out.print(text.rstrip("\n"), markup=False)
    else:
        print_rows(_rows(view, acts, period, top, chosen), format.value)
    if failures:
        raise typer.Exit(EXIT_INPUT)
