"""What every command shares: consoles (results to stdout, messages to stderr) and exits."""

from __future__ import annotations

import datetime
from typing import NoReturn

import typer
from rich.console import Console

from ..errors import StatemediaError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Exit codes: 0 success; 1 the command ran but found nothing/part failed; 2 bad input or usage.
EXIT_OK, EXIT_PARTIAL, EXIT_INPUT = 0, 1, 2


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
