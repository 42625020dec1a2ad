"""``statemedia analyze PATH``: one article as a report, or a corpus as JSON Lines."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..analysis import analyze_path, is_corpus_path
from ..model import Document
from ..report import to_json
from . import app
from ._common import EXIT_INPUT, EXIT_PARTIAL, ConfigOption, err, load_settings, out, parse_day, report_error
from ._render import render_report


class Format(StrEnum):
    text = "text"
    json = "json"


@app.command()
def analyze(
    path: Annotated[str, typer.Argument(help="a .txt/.html/.json file, a .jsonl(.gz)/.csv corpus, a directory, or -")],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="text: a readable report; json: the documented JSON result")
    ] = Format.text,
    date: Annotated[str | None, typer.Option(help="publication date YYYY-MM-DD if the input lacks one")] = None,
    outlet: Annotated[str | None, typer.Option(help="outlet (KCNA, Rodong Sinmun, ...) if the input lacks one")] = None,
    config: ConfigOption = None,
) -> None:
    """Capture, normalise and extract one article (or every record of a corpus, as JSON Lines).

    Exit status: 0 all analysed; 1 a corpus with no records; 2 an input or record was rejected
    (one line on stderr each).
    """
    settings = load_settings(config)  # a bad file exits 2 before any input is read
    corpus = is_corpus_path(path)
    failures = analysed = 0
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed} analysed"),
        TimeElapsedColumn(),
        console=err,
        disable=not corpus,
        transient=True,
    )
    with progress:
        task = progress.add_task("analyse")
        for result in analyze_path(path, outlet=outlet, published=parse_day(date, "--date"), config=settings):
            if not isinstance(result, Document):
                failures += 1
                report_error(result)
                continue
            progress.advance(task)
            analysed += 1
            if format is Format.json:
                payload = json.dumps(to_json(result), ensure_ascii=False, indent=None if corpus else 2)
                out.print(payload, markup=False)
            else:
                render_report(out, result)
    if failures:
        # Some records analysed and some rejected is partial (README: 1); nothing analysed is bad input.
        raise typer.Exit(EXIT_PARTIAL if analysed else EXIT_INPUT)
    if not analysed:
        err.print(f"nothing to analyse: no records in {path}", markup=False)
        raise typer.Exit(EXIT_PARTIAL)
