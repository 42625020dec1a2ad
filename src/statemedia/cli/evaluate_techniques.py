"""``statemedia evaluate-techniques``: SI and TC scores on the fixed PTC TEST split."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app


@app.command("evaluate-techniques")
def evaluate_techniques(
    ptc: Annotated[Path, typer.Option(help="PTC corpus folder (SemEval-2020 Task 11)")] = Path("../shared/data/ptc"),
    model: Annotated[Path | None, typer.Option(help="technique model NPZ (default: the shipped one)")] = None,
) -> None:
    """Span identification F1, technique micro-F1 and per-technique F1, beside the SemEval anchors."""
    from ..rhetoric.evaluate import ANCHORS, evaluate
    from ..rhetoric.model import TechniqueModel

    report = evaluate(ptc, TechniqueModel.load(model))
    typer.echo(f"PTC {report.split} split: {report.articles} articles, {report.gold_spans} gold technique spans")
    typer.echo(f"SI  (partial overlap)  P {report.si.precision:.4f}  R {report.si.recall:.4f}  F1 {report.si.f1:.4f}")
    typer.echo(f"TC  (gold spans)       micro-F1 {report.tc.f1:.4f}")
    typer.echo("per technique:                              P       R      F1   gold")
    for label, prf in report.per_technique.items():
        typer.echo(f"  {label:<40} {prf.precision:.3f}  {prf.recall:.3f}  {prf.f1:.3f}  {report.support[label]:>5}")
    typer.echo("anchors (SemEval-2020 official test set):")
    for name, value in ANCHORS.items():
        typer.echo(f"  {name:<40} {value:.4f}")
