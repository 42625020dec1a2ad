"""``statemedia evaluate-quotations``: score quotation extraction against the held-out annotated set."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..analytics.evaluate_quotations import evaluate_quotations as evaluate
from . import app
from ._common import out


@app.command("evaluate-quotations")
def evaluate_quotations(
    test: Annotated[
        str, typer.Option(help="annotated file (JSON Lines: story id + quotations)")
    ] = "tests/data/quotations_test.jsonl",
    kcna: Annotated[str, typer.Option(help="folder of kcna-YYYY.jsonl.gz")] = "../shared/data/kcna",
    errors: Annotated[bool, typer.Option(help="also list each disagreement")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """Precision/recall of quotation detection; kind and speaker accuracy."""
    scores = evaluate(test, kcna)
    table = scores.as_dict()
    if as_json:
        out.print(json.dumps(table, indent=1), markup=False)
    else:
        for name, value in table.items():
            out.print(f"{name:24s} {value:.3f}" if isinstance(value, float) else f"{name:24s} {value}", markup=False)
    if errors:
        for line in scores.errors:
            out.print(line, markup=False)
