"""``statemedia evaluate-techniques``: SI and TC scores on the fixed PTC TEST split."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import app
from ._common import ConfigOption, load_settings


@app.command("evaluate-techniques")
def evaluate_techniques(
    ptc: Annotated[Path, typer.Option(help="PTC corpus folder (SemEval-2020 Task 11)")] = Path("../shared/data/ptc"),
    model: Annotated[
        Path | None, typer.Option(help="technique model NPZ [default: [techniques] model, else the shipped one]")
    ] = None,
    tagger: Annotated[
        str | None,
        typer.Option(
            help="span finder: linear, minilm, mpnet4 or mpnet [default: [techniques] tagger, thresholds there]"
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Span identification F1, technique micro-F1 and per-technique F1, beside the SemEval anchors.

    The scores are given for the model alone and with the DPRK phrase lexicon, which the
    analysis uses (it should change little on PTC's Western news).
    """
    from dataclasses import replace

    from ..config import options_for
    from ..rhetoric.lexicon import Lexicon
    from ..rhetoric.technique_model import TechniqueModel
    from ..rhetoric.techniques import TechniqueDetector, span_decoder
    from ..training.evaluate_techniques import ANCHORS, evaluate

    # The [techniques] settings (--config FILE over defaults.toml) are what the analysis would use;
    # --tagger and --model override them for one run.
    options = options_for(TechniqueDetector.Options, load_settings(config), "techniques")
    options = replace(options, tagger=tagger or options.tagger)
    path = model if model is not None else options.model or None
    models = [TechniqueModel.load(path, Lexicon.load()), TechniqueModel.load(path)]
    # Linear alone keeps the threshold stored with the model (the figures docs/rhetoric.md quotes); given a
    # config file, the evaluation decodes with its [techniques] thresholds, as the analysis does.
    if options.tagger != "linear" or config is not None:
        decoder = span_decoder(options, models[0].tagger)  # one transformer load serves both
        for m in models:
            m.decoder = decoder
    with_lexicon, report = (evaluate(ptc, m) for m in models)
    typer.echo(f"span finder: {options.tagger}")
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
