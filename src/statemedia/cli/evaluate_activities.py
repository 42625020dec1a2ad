"""``statemedia evaluate-activities``: score activity extraction against the hand-annotated dev set."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..analytics.evaluate import evaluate
from . import app
from ._common import out


@app.command("evaluate-activities")
def evaluate_activities(
    dev: Annotated[str, typer.Option(help="dev set (JSON Lines: story id + expected activities)")] = (
        "tests/data/activities_dev.jsonl"
    ),
    kcna: Annotated[str, typer.Option(help="folder of kcna-YYYY.jsonl.gz")] = "../shared/data/kcna",
    errors: Annotated[bool, typer.Option(help="also list each disagreement")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """Precision/recall of activity detection; kind, target, date accuracy; entourage F1 and order."""
    scores = evaluate(dev, kcna)
    table = scores.as_dict()
    if as_json:
        out.print(json.dumps(table, indent=1), markup=False)
    else:
        for name, value in table.items():
            out.print(f"{name:24s} {value:.3f}" if isinstance(value, float) else f"{name:24s} {value}", markup=False)
    if errors:
        for line in scores.errors:
            out.print(line, markup=False)
