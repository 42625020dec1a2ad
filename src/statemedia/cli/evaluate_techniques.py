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
    tagger: Annotated[
        str,
        typer.Option(help="span finder: linear, minilm, mpnet4 or mpnet (thresholds: [techniques] in defaults.toml)"),
    ] = "linear",
) -> None:
    """Span identification F1, technique micro-F1 and per-technique F1, beside the SemEval anchors.

    The scores are given for the model alone and with the DPRK phrase lexicon, which the
    analysis uses (it should change little on PTC's Western news).
    """
    from ..rhetoric.evaluate import ANCHORS, evaluate
    from ..rhetoric.lexicon import Lexicon
    from ..rhetoric.model import TechniqueModel

    models = [TechniqueModel.load(model, Lexicon.load()), TechniqueModel.load(model)]
    if tagger != "linear":
        from dataclasses import replace

        from ..config import load_config, options_for
        from ..rhetoric.techniques import TechniqueDetector, span_decoder

        options = replace(options_for(TechniqueDetector.Options, load_config(), "techniques"), tagger=tagger)
        decoder = span_decoder(options, models[0].tagger)  # one transformer load serves both
        for m in models:
            m.decoder = decoder
    with_lexicon, report = (evaluate(ptc, m) for m in models)
    typer.echo(f"span finder: {tagger}")
    typer.echo(f"PTC {report.split} split: {report.articles} articles, {report.gold_spans} gold technique spans")
    for name, r in (("model", report), ("+lexicon", with_lexicon)):
        typer.echo(f"SI  {name:<9} (partial overlap)  P {r.si.precision:.4f}  R {r.si.recall:.4f}  F1 {r.si.f1:.4f}")
        typer.echo(f"TC  {name:<9} (gold spans)       micro-F1 {r.tc.f1:.4f}")
    typer.echo("per technique (model alone):")
    typer.echo("                                               P       R      F1   gold")
    for label, prf in report.per_technique.items():
        typer.echo(f"  {label:<40} {prf.precision:.3f}  {prf.recall:.3f}  {prf.f1:.3f}  {report.support[label]:>5}")
    typer.echo("anchors (SemEval-2020 official test set):")
    for name, value in ANCHORS.items():
        typer.echo(f"  {name:<40} {value:.4f}")
