"""What every command shares: consoles (results to stdout, messages to stderr) and exits."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import importlib
import io
import json
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ..config import Config, load_config
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


# --config: the one option every analysing command shares, and the checks its file passes before any work.
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="TOML file overriding defaults.toml key by key (`statemedia config --config FILE` shows the result)",
    ),
]

# The options dataclass each non-component section fills ("module:class"); a pipeline component's is its
# class's ``Options`` (registry.COMPONENTS). Imported only for the sections a user file names: some
# modules are slow to import (spaCy's), and those a file does not touch cannot hold its mistakes.
_SECTION_OPTIONS = {
    "capture": "statemedia.capture.options:CaptureOptions",
    "store": "statemedia.store.options:StoreOptions",
    "dedupe": "statemedia.store.dedupe:DedupeOptions",
    "web": "statemedia.web.options:WebOptions",
    "ray": "statemedia.engine.ray:RayOptions",
    "watch": "statemedia.watch.options:WatchOptions",
    "alerts": "statemedia.watch.options:AlertOptions",
}


def _known_keys(section: str, defaults: Config) -> set[str]:
    """The keys ``section`` takes: its options dataclass's fields, else (``[pipeline]``) the defaults' keys."""
    from ..registry import COMPONENTS

    target = f"{COMPONENTS[section]}.Options" if section in COMPONENTS else _SECTION_OPTIONS.get(section)
    if target is None:
        return set(defaults[section])
    module, _, attribute = target.partition(":")
    cls: Any = importlib.import_module(module)
    for name in attribute.split("."):
        cls = getattr(cls, name)
    return {f.name for f in dataclasses.fields(cls)}


def _kind(value: Any) -> str:
    # TOML's types as a user writes them; an integer is a valid number wherever a float is.
    if isinstance(value, bool):
        return "a boolean (true/false)"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a table"


def _check_value(section: str, key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` cannot stand for ``default`` (``None`` if it can): caught here, not in a worker mid-run."""
    from ..registry import COMPONENTS

    if default is None:
        return None
    wrong = _kind(value) != _kind(default) or (
        isinstance(default, int) and not isinstance(default, bool) and isinstance(value, float)
    )
    if wrong:
        expected = "an integer" if isinstance(default, int) and not isinstance(default, bool) else _kind(default)
        return f"[{section}] {key} = {value!r}: expected {expected}, as in defaults.toml"
    if (section, key) == ("pipeline", "components"):
        unknown = [name for name in value if name not in COMPONENTS]
        if unknown:
            return f"[pipeline] components: unknown component(s) {unknown}; known: {sorted(COMPONENTS)}"
    if (section, key) == ("techniques", "tagger"):
        # The choice README tells users to make: a typo would otherwise fail in each worker, mid-run.
        from ..rhetoric.techniques import TAGGERS

        if value not in TAGGERS:
            return f"[techniques] tagger = {value!r}: choose one of {', '.join(TAGGERS)}"
    return None


def read_settings(path: Path) -> tuple[Config, Config]:
    """The effective settings (defaults overridden by the file at ``path``) and the file's own values.

    Raises ``StatemediaError`` (where: the file) for a missing or unreadable file, bad TOML, a value
    outside any section, an unknown section or key, or a value of the wrong type.
    """
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StatemediaError("no such config file", where=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StatemediaError(f"cannot read config: {getattr(exc, 'strerror', None) or exc}", where=where) from None
    try:
        user: Config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StatemediaError(f"not valid TOML: {exc}", where=where) from None
    defaults = load_config()
    for section, values in user.items():
        if not isinstance(values, dict):
            raise StatemediaError(f"{section} = {values!r} is outside any [section]", where=where)
        if section not in defaults:
            raise StatemediaError(f"unknown section [{section}]; known: {', '.join(sorted(defaults))}", where=where)
        known = _known_keys(section, defaults)
        for key, value in values.items():
            if key not in known:
                raise StatemediaError(
                    f"unknown key {key!r} in [{section}]; known: {', '.join(sorted(known))}", where=where
                )
            problem = _check_value(section, key, value, defaults[section].get(key))
            if problem:
                raise StatemediaError(problem, where=where)
    return load_config(path), user


def load_settings(path: Path | None) -> Config:
    """The settings a command runs with: the defaults, overridden by ``--config`` ``path`` if given.

    A bad file exits 2 with one line naming it and the reason, before the command does any work
    (creates a database, reads an input, starts workers).
    """
    if path is None:
        return load_config()
    try:
        return read_settings(path)[0]
    except StatemediaError as exc:
        fail(f"config {exc.where}: {exc.reason}")
