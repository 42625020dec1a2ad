"""``statemedia evaluate-activities``: score activity extraction against a hand-annotated set.

``--set dev`` (default) is the set the rules were written against; ``--set test`` the first held-out
set (``tests/data/activities_test.jsonl``); ``--set blind`` the blind sets of issue 14
(``tests/data/activities_blind_*.jsonl``: ``blind-2011-12`` and ``blind-2024`` each half), the
honest numbers; ``--set fresh-2011-12`` the fresh blind set of KCNA 2011-12 drawn after the blind
sets' totals had been seen (``tests/data/activities_fresh_2011-12.jsonl`` alone);
``--set fresh-es-2011-12`` the fresh blind set of Spanish KCNA 2011-12 stories
(``tests/data/activities_fresh-es_2011-12.jsonl`` alone); ``--dev PATH`` scores any other file.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from . import app
from ._common import ErrorsOption, KcnaOption, ScoresJsonOption, print_scores


class ActivitySet(StrEnum):
    """The hand-annotated activity sets: dev (rules written on it), test (first held-out set), blind, fresh."""

    dev = "dev"
    test = "test"
    blind = "blind"
    blind_2011_12 = "blind-2011-12"
    blind_2024 = "blind-2024"
    fresh_2011_12 = "fresh-2011-12"
    fresh_es_2011_12 = "fresh-es-2011-12"


# Stories of the blind sets by corpus year (the entourage strata mix years).
_PREFIXES = {
    ActivitySet.blind: ("kcna-",),
    ActivitySet.blind_2011_12: ("kcna-2011-", "kcna-2012-"),
    ActivitySet.blind_2024: ("kcna-2024-",),
}


def _files(which: ActivitySet) -> list[str]:
    if which in (ActivitySet.dev, ActivitySet.test):
        return [f"tests/data/activities_{which.value}.jsonl"]
    if which is ActivitySet.fresh_2011_12:
        return ["tests/data/activities_fresh_2011-12.jsonl"]
    if which is ActivitySet.fresh_es_2011_12:
        return ["tests/data/activities_fresh-es_2011-12.jsonl"]
    return sorted(str(p) for p in Path("tests/data").glob("activities_blind_*.jsonl"))


@app.command("evaluate-activities")
def evaluate_activities(
    which: Annotated[
        ActivitySet,
        typer.Option(
            "--set",
            help="dev (rules written on it), test (first held-out set), blind[-2011-12|-2024], fresh-2011-12,"
            " fresh-es-2011-12 (Spanish)",
        ),
    ] = ActivitySet.dev,
    dev: Annotated[
        str | None, typer.Option(help="another annotated file (JSON Lines: story id + expected activities)")
    ] = None,
    kcna: KcnaOption = "../shared/data/kcna",
    errors: ErrorsOption = False,
    as_json: ScoresJsonOption = False,
) -> None:
    """Precision/recall of activity detection; kind, target, date accuracy; entourage F1 and order."""
    from ..training.evaluate_activities import evaluate  # training code: imported only by this command

    scores = evaluate(dev or _files(which), kcna, _PREFIXES.get(which, ("",)))
    print_scores(scores.as_dict(), scores.errors if errors else None, as_json=as_json)
