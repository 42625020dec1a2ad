"""Load component options from the one commented defaults file (``defaults.toml``).

Each component has an options dataclass; its fields are filled from the section of the
same name. A user file given with ``--config`` overrides values key by key.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .errors import StatemediaError

__all__ = ["Config", "load_config", "options_for"]

Config = dict[str, dict[str, Any]]
T = TypeVar("T")


def load_config(path: str | Path | None = None) -> Config:
    """The package defaults, overridden section by section by the TOML file at ``path``."""
    text = resources.files("statemedia").joinpath("defaults.toml").read_text(encoding="utf-8")
    config: Config = tomllib.loads(text)
    if path is not None:
        try:
            user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise StatemediaError(f"cannot read config: {exc}", where=str(path)) from exc
        for section, values in user.items():
            config.setdefault(section, {}).update(values)
    return config


def options_for(cls: type[T], config: Config, section: str) -> T:
    """Build the options dataclass ``cls`` from ``config[section]``; unknown keys are errors."""
    assert is_dataclass(cls)
    values = dict(config.get(section, {}))
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise StatemediaError(f"unknown option(s) {sorted(unknown)} in [{section}]", where="config")
    return cls(**values)
