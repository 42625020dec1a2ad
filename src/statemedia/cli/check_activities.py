"""``statemedia check-activities``: the activity model against KCNA headlines, at corpus scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import app

_SHARED = Annotated[str, typer.Option("--shared", help="the shared data folder (data/kcna, data/kcna-2024)")]


@app.command("check-activities")
def check_activities(
    shared: _SHARED = "../shared",
    as_json: Annotated[bool, typer.Option("--json", help="print the check as JSON")] = False,
) -> None:
    """How often the body's first activity has the kind its headline states (trained vs held-out stories)."""
    from ..training.activity_check import check  # training code: imported only by this command

    err = Console(stderr=True)
    result = check(Path(shared), progress=lambda n: err.print(f"checked {n} stories", end="\r")).as_dict()
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    out = Console(highlight=False, emoji=False)
    table = Table(title="Body vs headline: the first activity's kind (site visits as one, meetings as one)")
    for column in ("corpus", "split", "stories", "agree", "share"):
        table.add_column(column)
    for key, row in result["agreement"].items():
        group, split = key.rsplit(" ", 1)
        share = f"{row['share']:.3f}" if row["share"] is not None else "-"
        table.add_row(group, split, str(row["stories"]), str(row["agree"]), share)
    out.print(table)
    confusion = Table(title="Headline kind -> body kind: English stories not trained on, Spanish train-split ones")
    for column in ("language", "split", "headline", "body", "stories"):
        confusion.add_column(column)
    for row in result["confusion"]:
        confusion.add_row(row["language"], row["split"], row["headline"], row["body"], str(row["stories"]))
    out.print(confusion)
    worst = Table(title="The 20 commonest disagreements of each language (English: all splits; Spanish: train split)")
    for column in ("headline", "body", "stories", "e.g."):
        worst.add_column(column)
    for row in result["disagreements"]:
        worst.add_row(row["headline"], row["body"], str(row["stories"]), row["examples"][0])
    out.print(worst)
