"""The curated Python API: what `import statemedia` offers, and that it works on real text."""

from __future__ import annotations

import datetime

import statemedia
from conftest import SEED


def test_all_names_resolve() -> None:
    for name in statemedia.__all__:
        assert getattr(statemedia, name) is not None, name


def test_analyze_text_on_the_seed() -> None:
    doc = statemedia.analyze_text(SEED.read_text(encoding="utf-8"), published=datetime.date(2024, 1, 1))
    result = statemedia.to_json(doc)
    assert result["document"]["title"].startswith("Kim Il Sung’s Distinguished Leadership")
    assert "1950-10-21" in {e["date"] for e in result["events"]}
    assert result["document"]["date"] == "2024-01-01"
