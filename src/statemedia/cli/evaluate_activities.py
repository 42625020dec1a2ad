"""``statemedia evaluate-activities``: score activity extraction against a hand-annotated set.

``--set dev`` (default) is the set the rules were written against; ``--set test`` is the held-out
set (``tests/data/activities_test.jsonl``), the honest numbers; ``--dev PATH`` scores any other file.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..analytics.evaluate import evaluate
from . import app
from ._common import AnnotatedSet, ErrorsOption, KcnaOption, ScoresJsonOption, print_scores


@app.command("evaluate-activities")
def evaluate_activities(
    which: Annotated[
        AnnotatedSet, typer.Option("--set", help="dev (rules written on it) or test (held out)")
    ] = AnnotatedSet.dev,
    dev: Annotated[
        str | None, typer.Option(help="another annotated file (JSON Lines: story id + expected activities)")
    ] = None,
    kcna: KcnaOption = "../shared/data/kcna",
    errors: ErrorsOption = False,
    as_json: ScoresJsonOption = False,
) -> None:
    """Precision/recall of activity detection; kind, target, date accuracy; entourage F1 and order."""
    scores = evaluate(dev or f"tests/data/activities_{which.value}.jsonl", kcna)
    print_scores(scores.as_dict(), scores.errors if errors else None, as_json=as_json)
