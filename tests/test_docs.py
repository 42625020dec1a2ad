"""Documentation stays true: commands, settings, components and errors are all documented."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

import statemedia.errors as errors
from conftest import ROOT
from statemedia.cli import app
from statemedia.cli import commands as _commands  # noqa: F401  (registers the commands)
from statemedia.registry import COMPONENTS

README = (ROOT / "README.md").read_text(encoding="utf-8")
DEFAULTS = resources.files("statemedia").joinpath("defaults.toml").read_text(encoding="utf-8")


def _command_names() -> list[str]:
    return sorted(c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands if c.callback)


@pytest.mark.parametrize("command", _command_names())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"statemedia {command}" in README, f"README.md does not document `statemedia {command}`"


def _settings() -> list[tuple[str, str]]:
    config = tomllib.loads(DEFAULTS)
    return [(section, key) for section, values in config.items() for key in values if section != "pipeline"]


@pytest.mark.parametrize(("section", "key"), _settings())
def test_every_setting_says_why(section: str, key: str) -> None:
    lines = DEFAULTS.splitlines()
    header = lines.index(f"[{section}]")
    index = next(i for i in range(header + 1, len(lines)) if re.match(rf"{re.escape(key)}\s*=", lines[i]))
    above = lines[index - 1].strip()
    # A key is explained by the comment right above it, or shares the comment of the block it is in.
    block = lines[header + 1 : index]
    assert above.startswith("#") or (block and any(line.startswith("#") for line in block)), (
        f"[{section}] {key} has no comment saying where its value comes from"
    )


@pytest.mark.parametrize("component", sorted(COMPONENTS))
def test_every_component_has_a_settings_section(component: str) -> None:
    assert f"[{component}]" in DEFAULTS


def _error_classes() -> list[type[errors.StatemediaError]]:
    return [getattr(errors, name) for name in errors.__all__]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_error_is_in_the_exception_tree(cls: type[errors.StatemediaError]) -> None:
    assert errors.__doc__ is not None
    assert re.search(rf"{cls.__name__}(\s+{cls.code[:2]}|\n)", errors.__doc__), cls.__name__
