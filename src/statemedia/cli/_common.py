"""What every command shares: consoles (results to stdout, messages to stderr) and exits."""

from __future__ import annotations

import csv
import datetime
import io
import json
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..csv_cells import safe_rows
from ..errors import StatemediaError

# Article text is printed verbatim: no emoji codes (":fire:"), no [markup], no highlighting,
# so offsets and quotations read as stored. A command that styles its own words passes
# ``markup=True`` to that one print and escapes the text it interpolates.
out = Console(emoji=False, markup=False, highlight=False, soft_wrap=True)
err = Console(stderr=True, emoji=False, markup=False, highlight=False, soft_wrap=True)


class AnnotatedSet(StrEnum):
    """The hand-annotated sets of an evaluation command: dev (rules written on it) and test (held out)."""

    dev = "dev"
    test = "test"


# The options every evaluation command against annotated KCNA stories takes.
KcnaOption = Annotated[str, typer.Option(help="folder of kcna-YYYY.jsonl.gz")]
ErrorsOption = Annotated[bool, typer.Option(help="also list each disagreement")]
ScoresJsonOption = Annotated[bool, typer.Option("--json", help="print the scores as JSON")]


# Exit codes: 0 success; 1 the command ran but found nothing/part failed; 2 bad input or usage;
# 3 an unexpected crash (a bug: one line on stderr, the traceback with STATEMEDIA_DEBUG=1);
# 4 an analysis worker process died (killed, out of memory): not the input's fault, nor a bug.
EXIT_OK, EXIT_PARTIAL, EXIT_INPUT, EXIT_CRASH, EXIT_WORKER = 0, 1, 2, 3, 4
DEBUG_ENV = "STATEMEDIA_DEBUG"


def report_error(error: StatemediaError | str) -> None:
    err.print(f"error: {error}", markup=False)


def fail(error: StatemediaError | str, code: int = EXIT_INPUT) -> NoReturn:
    report_error(error)
    raise typer.Exit(code)


def parse_day(value: str | None, option: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")


def print_rows(rows: list[dict[str, Any]], format: str) -> None:
    """Rows to stdout as JSON, CSV, or (``table``) tab-separated text with a header line."""
    if format == "json":
        out.print(json.dumps(rows, ensure_ascii=False, indent=1, default=str), markup=False)
        return
    if format not in ("csv", "table"):
        fail(f"--format {format!r}: choose table, json or csv")
    if not rows:
        return
    buffer = io.StringIO()
    delimiter = "," if format == "csv" else "\t"
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_rows(rows) if format == "csv" else rows)
    out.print(buffer.getvalue().rstrip("\n"), markup=False)


def print_scores(table: dict[str, float | int], errors: list[str] | None, *, as_json: bool) -> None:
    """An evaluation's scores (one per line, or JSON), then each disagreement if asked for."""
    if as_json:
        out.print(json.dumps(table, indent=1), markup=False)
    else:
        for name, value in table.items():
            out.print(f"{name:24s} {value:.3f}" if isinstance(value, float) else f"{name:24s} {value}", markup=False)
    for line in errors or ():
        out.print(line, markup=False)
