"""Real texts for the normalize tests, looked up in ../shared by a short phrase they contain.

Tests name a phrase, never copy the article: the text and its publication date come from the
shared data, so an expectation is checked against the sentence as state media printed it.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache

import pytest

from conftest import MODERN, SEED, SHARED, iter_kcna
from statemedia.model import Annotation, Document


@cache
def _kcna() -> tuple[dict[str, str], ...]:
    return tuple(rec for year in (2011, 2012) for rec in iter_kcna(year))


@cache
def _modern() -> tuple[dict[str, str], ...]:
    with MODERN.open(encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh)


def document(source: str, phrase: str) -> Document:
    """The first document of ``source`` (seed/kcna/modern/newyear-YYYY) containing ``phrase``."""
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    if source == "seed":
        text = SEED.read_text(encoding="utf-8")
        doc = Document(id="seed", text=text, language="en")
    elif source.startswith("newyear-"):
        year = source.removeprefix("newyear-")
        text = (SHARED / "data" / "newyear-ko" / f"{year}.txt").read_text(encoding="utf-8")
        doc = Document(id=source, text=text, published=date(int(year), 1, 1), language="ko")
    else:
        records = _kcna() if source == "kcna" else _modern()
        rec = next((r for r in records if phrase in r["body"]), None)
        assert rec is not None, f"{phrase!r} not found in {source}"
        published = date.fromisoformat(rec["date"]) if rec.get("date") else None
        doc = Document(id=rec["id"], text=rec["body"], published=published, language=rec.get("language"))
    assert phrase in doc.text, f"{phrase!r} not in {source}"
    return doc


def within(doc: Document, phrase: str, label: str) -> list[Annotation]:
    """Annotations of ``label`` inside the first occurrence of ``phrase``."""
    start = doc.text.index(phrase)
    end = start + len(phrase)
    return [a for a in doc.spans(label) if start <= a.start and a.end <= end]
