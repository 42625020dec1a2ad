"""``statemedia config``: the settings a command given the same ``--config`` would run with."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from typing import Annotated, Any

import typer

from ..config import Config, load_config
from ..errors import StatemediaError
from . import app
from ._common import ConfigOption, fail, out, read_settings


class Format(StrEnum):
    toml = "toml"
    json = "json"


def _toml_value(value: Any) -> str:
    """One TOML value. The settings are strings, booleans, numbers and lists of them (defaults.toml);
    the package has no TOML writer, and these few types need none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # always has a "." or an exponent, so it reads back as a float
    if isinstance(value, str):
        # A JSON string is a TOML basic string: the same quotes and escapes (\", \\, \n, \uXXXX).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _toml(settings: Config, user: Config, source: str) -> str:
    lines: list[str] = []
    for section, values in settings.items():
        if lines:
            lines.append("")
        lines.append(f"[{section}]")
        changed = user.get(section, {})
        for key, value in values.items():
            # Which values the file set, so that a reader sees at a glance what it overrides.
            note = f"  # from {source}" if key in changed else ""
            lines.append(f"{key} = {_toml_value(value)}{note}")
    return "\n".join(lines)


@app.command("config")
def config_command(
    config: ConfigOption = None,
    section: Annotated[str | None, typer.Option(help="only this section (e.g. techniques)")] = None,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="toml: marks each value the file set; json: the settings only")
    ] = Format.toml,
) -> None:
    """Print the effective settings: defaults.toml overridden by --config FILE, each overridden value marked.

    Exit status: 0 printed; 2 a bad config file (missing, not TOML, an unknown section or key) or an
    unknown --section.
    """
    user: Config = {}
    if config is None:
        settings = load_config()
    else:
        try:
            settings, user = read_settings(config)
        except StatemediaError as exc:
            fail(f"config {exc.where}: {exc.reason}")
    if section is not None:
        if section not in settings:
            fail(f"--section {section!r}: no such section; known: {', '.join(sorted(settings))}")
        settings = {section: settings[section]}
    if format is Format.json:
        out.print(json.dumps(settings, ensure_ascii=False, indent=1), markup=False)
    else:
        out.print(_toml(settings, user, str(config)), markup=False)
