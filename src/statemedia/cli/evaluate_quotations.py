"""``statemedia evaluate-quotations``: score quotation extraction against a hand-annotated set.

``--set test`` (default) is the held-out set (``tests/data/quotations_test.jsonl``), annotated blind;
its first run was the honest number, and the rules were never written on its stories (though v4
followed miss categories its report had also listed, see tests/data/README.md). ``--set dev``
(``tests/data/quotations_dev.jsonl``) is the set the rules were written against, so its scores are
optimistic. ``--test PATH`` scores any other file.
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import app
from ._common import AnnotatedSet, ErrorsOption, KcnaOption, ScoresJsonOption, print_scores


@app.command("evaluate-quotations")
def evaluate_quotations(
    which: Annotated[
        AnnotatedSet, typer.Option("--set", help="test (held out) or dev (rules written on it)")
    ] = AnnotatedSet.test,
    test: Annotated[str | None, typer.Option(help="another annotated file (JSON Lines: story id + quotations)")] = None,
    kcna: KcnaOption = "../shared/data/kcna",
    errors: ErrorsOption = False,
    as_json: ScoresJsonOption = False,
) -> None:
    """Precision/recall of quotation detection; kind and speaker accuracy."""
    from ..training.evaluate_quotations import evaluate_quotations as evaluate  # training code: only here

    scores = evaluate(test or f"tests/data/quotations_{which.value}.jsonl", kcna)
    print_scores(scores.as_dict(), scores.errors if errors else None, as_json=as_json)
