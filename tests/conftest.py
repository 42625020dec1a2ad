"""Shared fixtures: paths to the real data in ../shared and samples drawn from it."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Fixtures of the helper modules, for every test module: where alerts go (webhook, SMTP).
from alert_sinks import receiver, smtp  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STATEMEDIA_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "kim-il-sung-leadership-in-war.txt"
KCNA = SHARED / "data" / "kcna"
MODERN = SHARED / "data" / "modern" / "articles.jsonl"
# The techniques issue 5 names in the seed article: (phrase, technique) every span tagger must find.
SEED_TECHNIQUES = [
    ("invincible party", "Loaded_Language"),
    ("sure victory", "Loaded_Language"),
    ("ardent spirit", "Loaded_Language"),
    ("defending the homeland", "Flag-Waving"),
]
PTC = SHARED / "data" / "ptc"


def iter_kcna(year: int) -> Iterator[dict[str, Any]]:
    with gzip.open(KCNA / f"kcna-{year}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def kcna_sample(n: int, *, language: str | None = None, step: int = 53) -> list[dict[str, Any]]:
    """A deterministic spread of stories across both years (every `step`-th record)."""
    out: list[dict[str, Any]] = []
    for year in (2011, 2012):
        for i, rec in enumerate(iter_kcna(year)):
            if i % step == 0 and (language is None or rec["language"] == language):
                out.append(rec)
    return out[:n] if len(out) >= n else out


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from statemedia import build_pipeline

    return build_pipeline()


def component(name: str, **overrides: Any) -> Any:
    """A pipeline component built as the registry builds it: options from defaults.toml,
    with ``overrides`` for the test at hand (the values have no second home in code)."""
    from statemedia.config import load_config
    from statemedia.registry import create_component

    config = load_config()
    config[name] = {**config.get(name, {}), **overrides}
    return create_component(name, config)


def leader_activities(text: str, published: Any) -> list[dict[str, Any]]:
    """The attributes of the leader activities the full pipeline finds in ``text``."""
    from statemedia import analyze_text

    doc = analyze_text(text, published=published)
    return [dict(a.attrs) for a in doc.spans("event") if a.producer == "activities"]
