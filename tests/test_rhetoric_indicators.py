"""DPRK rhetoric indicators: lexicon terms, per-article measures and corpus trends on real KCNA stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, component, kcna_sample
from statemedia.capture import capture_record, capture_text
from statemedia.model import Annotation
from statemedia.rhetoric.indicators import article_indicators, find_terms, leader_ids
from statemedia.rhetoric.trends import article_table, trend


@pytest.mark.parametrize(
    ("sentence", "must", "must_not"),
    [
        ("The great leader Kim Jong Il is the peerless patriot.", {"great": "honorific", "peerless": "honorific"}, []),
        (
            "The U.S. imperialists and the puppet warmongers are traitors.",
            {"imperialists": "enemy", "puppet": "enemy", "warmongers": "enemy", "traitors": "enemy"},
            [],
        ),
        (
            "It was the greatest and most brilliant victory of the ever-victorious army.",
            {"greatest": "superlative", "most brilliant": "superlative", "ever-victorious": "honorific"},
            [],
        ),
        ("Most of the interest in the west was a test.", {}, ["interest", "west", "test", "most of"]),
    ],
)
def test_terms(sentence: str, must: dict[str, str], must_not: list[str]) -> None:
    found = {sentence[s:e].lower(): cat for s, e, cat in find_terms(sentence)}
    for term, cat in must.items():
        assert found.get(term) == cat, (term, found)
    for term in must_not:
        assert term not in found


def test_seed_article_indicators(shared: Path) -> None:
    doc = component("rhetoric_terms")(capture_text(SEED.read_bytes(), location=str(SEED)))
    cats = {a.attrs["category"] for a in doc.spans("rhetoric_term")}
    assert {"honorific", "superlative"} <= cats
    # A sentence whose subject is a linked leader counts towards leader-centrality.
    start = doc.text.index("Kim Il Sung")
    doc.add([Annotation(start, start + 11, "entity", {"id": "person:kim-il-sung"})])
    doc.add([Annotation(start, doc.text.index(".", start) + 1, "sentence", {"subject": [start, start + 11]})])
    doc.add([Annotation(0, 5, "sentence", {"subject": None})])
    ind = article_indicators(doc)
    assert ind["leader_centrality"] == 0.5
    assert ind["honorific_per_1000"] > 0 and ind["words"] > 400


def test_leader_ids_are_data() -> None:
    assert {"person:kim-il-sung", "person:kim-jong-il", "person:kim-jong-un"} <= leader_ids()


def test_trends_over_kcna(shared: Path) -> None:
    terms = component("rhetoric_terms")
    docs = [terms(capture_record(r, location=r["id"])) for r in kcna_sample(60, language="en")]
    table = article_table(docs, techniques=["Loaded_Language"])
    assert len(table) == len(docs) and "technique:Loaded_Language" in table
    assert table["enemy_per_1000"].max() > 0
    by_month = trend(table, "month")
    assert by_month["articles"].sum() == len(docs) and by_month["month"].nunique() > 3
