"""``statemedia evaluate-quotations``: score quotation extraction against the held-out annotated set."""

from __future__ import annotations

from typing import Annotated

import typer

from ..analytics.evaluate_quotations import evaluate_quotations as evaluate
from . import app
from ._common import print_scores


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
    print_scores(scores.as_dict(), scores.errors if errors else None, as_json=as_json)
