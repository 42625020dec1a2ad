"""``statemedia evaluate-quotations``: score quotation extraction against a hand-annotated set.

``--set test`` (default) is the held-out set (``tests/data/quotations_test.jsonl``), annotated blind
and never read while the rules were written: the honest numbers. ``--set dev``
(``tests/data/quotations_dev.jsonl``) is the former test set whose error list quotations v2 was
written against, so its scores are optimistic. ``--test PATH`` scores any other file.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..analytics.evaluate_quotations import evaluate_quotations as evaluate
from . import app
from ._common import AnnotatedSet, print_scores


@app.command("evaluate-quotations")
def evaluate_quotations(
    which: Annotated[
        AnnotatedSet, typer.Option("--set", help="test (held out, blind) or dev (v2 rules written on it)")
    ] = AnnotatedSet.test,
    test: Annotated[str | None, typer.Option(help="another annotated file (JSON Lines: story id + quotations)")] = None,
    kcna: Annotated[str, typer.Option(help="folder of kcna-YYYY.jsonl.gz")] = "../shared/data/kcna",
    errors: Annotated[bool, typer.Option(help="also list each disagreement")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """Precision/recall of quotation detection; kind and speaker accuracy."""
    scores = evaluate(test or f"tests/data/quotations_{which.value}.jsonl", kcna)
    print_scores(scores.as_dict(), scores.errors if errors else None, as_json=as_json)
