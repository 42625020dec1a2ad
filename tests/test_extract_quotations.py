"""Quotations on real KCNA stories: speech with its speaker, reported speech, titles, slogans and
scare quotes told apart (must-include / must-exclude per story)."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from conftest import SEED, iter_kcna
from statemedia.capture import capture_record, capture_text, read_path
from statemedia.model import Document
from statemedia.registry import build_pipeline

NAMES = ["numbers", "juche", "dates", "acronyms", "linguistic", "entities", "quotations"]

# (story id, kind, words the quotation starts with, expected attributes)
MUST_INCLUDE = [
    ("kcna-2011-00973", "direct", "Whenever I watched smiling Kim Jong Il", {"speaker_id": "person:kim-song-hui"}),
    ("kcna-2011-12911", "indirect", "the agreements are null and void", {"speaker_id": "org:democratic-labor-party"}),
    ("kcna-2011-04736", "indirect", "ASEAN is making great contributions", {"speaker_id": "person:nasri-gustaman"}),
    # "He said that ...": the pronoun speaks for the speaker named before.
    (
        "kcna-2011-04736",
        "indirect",
        "the DPRK government decided",
        {"speaker": "He", "speaker_id": "person:nasri-gustaman"},
    ),
    # "He said ..." after a person named in an earlier sentence who has not spoken yet.
    (
        "kcna-2011-02300",
        "indirect",
        "Iran is our neighbor",
        {"speaker": "He", "speaker_id": "person:hamad-bin-jassem-al-thani"},
    ),
    # "it said" after an unlinked speaker ("The statement said that ..."): its words stand in.
    ("kcna-2011-08478", "indirect", "the group did such atrocity", {"speaker": "it", "speaker_name": "The statement"}),
    ("kcna-2011-10313", "indirect", "If there was no", {"speaker": "it", "speaker_name": "the notice"}),
    # "[...], he said, and went on:" — the report before and the paragraph after the colon.
    ("kcna-2012-07230", "indirect", "It was not easy for the young DPRK", {"speaker": "he"}),
    ("kcna-2012-07230", "indirect", "Thanks to the outstanding strategy", {"speaker": "he"}),
    ("kcna-2011-03086", "indirect", "Ever since its emergence the present regime", {"verb": "say"}),
    # A quoted paragraph after one that ends "... told KCNA:" is that speaker's words.
    ("kcna-2011-01083", "direct", "Today I heard that leader Kim", {"verb": "tell", "speaker_id": "person:ju-jin-a"}),
    ("kcna-2011-01083", "direct", "We will have the leadership system", {"speaker_id": "person:jo-jong-chol"}),
    # A quotation over paragraphs (a mark opens the first, one closes the last) is one.
    ("kcna-2012-06503", "direct", "Watching TV, I was enraged", {"speaker_id": "person:ko-chang-hyok"}),
    ("kcna-2012-06503", "direct", "I saw off in tears Mr. Ro Su Hui", {"speaker_id": "person:kim-song"}),
    # "The commentary goes on:" — "go" reports speech only with "on" and a colon.
    ("kcna-2011-04166", "indirect", "The Hoguk rehearsal is evidently", {"speaker": "The commentary", "verb": "go"}),
    ("kcna-2011-13320", "indirect", "the nuclear-powered carrier", {"verb": "bluster", "speaker_id": "gpe:u-s"}),
    ("kcna-2012-07258", "indirect", "they would kick off Ulji Freedom Guardian", {"verb": "announce"}),
    ("kcna-2012-01270", "title", "Let Us Carry Out the Great Leader", {}),
    ("kcna-2012-10149", "title", "Against whom Hoguk military exercise is targeted?", {}),
    ("kcna-2012-10149", "scare", "The missile guidance agreement", {}),
    ("kcna-2012-07258", "scare", "ensuring security", {}),
    ("kcna-2012-10416", "scare", "principal enemy", {}),
]

# (story id, words a quotation starts with, kind it must not have)
MUST_EXCLUDE = [
    # '"The missile guidance agreement" announced by south Korea': the quotation is the
    # subject of "announced", not something announced.
    ("kcna-2012-10149", "The missile guidance agreement", "direct"),
    ("kcna-2012-01270", "Let Us Carry Out the Great Leader", "direct"),
    # Short enemy terms inside a report are not the reporter's direct speech.
    ("kcna-2012-07258", "ensuring security", "direct"),
]


@functools.cache
def _pipeline() -> Any:
    return build_pipeline(names=NAMES)


@functools.cache
def _story(story_id: str) -> Document:
    year = int(story_id.split("-")[1])
    record = next(r for r in iter_kcna(year) if r["id"] == story_id)
    doc: Document = _pipeline()(capture_record(record, location=story_id))
    return doc


def _quotes(doc: Document, words: str) -> list[dict[str, Any]]:
    return [{**q.attrs, "text": doc.covered(q)} for q in doc.spans("quote") if doc.covered(q).startswith(words)]


@pytest.mark.parametrize(("story_id", "kind", "words", "expected"), MUST_INCLUDE)
def test_quotation_found(story_id: str, kind: str, words: str, expected: dict[str, str], shared: Any) -> None:
    quotes = _quotes(_story(story_id), words)
    assert any(q["kind"] == kind and all(q.get(k) == v for k, v in expected.items()) for q in quotes), quotes


@pytest.mark.parametrize(("story_id", "words", "kind"), MUST_EXCLUDE)
def test_quotation_not_mistaken(story_id: str, words: str, kind: str, shared: Any) -> None:
    quotes = _quotes(_story(story_id), words)
    assert quotes and all(q["kind"] != kind for q in quotes), quotes


def test_quotation_over_paragraphs_is_one_span(shared: Any) -> None:
    doc = _story("kcna-2012-06503")
    (quote,) = [q for q in doc.spans("quote") if doc.covered(q).startswith("Watching TV")]
    words = doc.covered(quote)
    assert words.endswith("pro-reunification patriots.") and words.count("\n\n") == 1, words
    assert not any(doc.covered(q).startswith("Rat-like Lee Myung Bak") for q in doc.spans("quote"))


def test_quotation_spans_exclude_the_marks(shared: Any) -> None:
    doc = _story("kcna-2012-10416")
    for quote in doc.spans("quote"):
        if quote.attrs["kind"] in ("scare", "title", "slogan", "direct", "quoted"):
            assert doc.text[quote.start - 1] in '"“' and doc.text[quote.end] in '"”'


def test_seed_title_and_reported_order(shared: Any) -> None:
    (doc,) = (d for d in read_path(SEED) if isinstance(d, Document))
    doc = _pipeline()(doc)
    titles = [doc.covered(q) for q in doc.spans("quote") if q.attrs["kind"] == "title"]
    assert titles == ["The Tasks and Role of the Local Organs of Power at the Present Stage"]
    # "He told the commander that the officers should show deep care ...": Kim Il Sung, reported.
    reported = [
        (doc.covered(q)[:29], q.attrs["speaker_id"], q.attrs["verb"])
        for q in doc.spans("quote")
        if q.attrs["kind"] == "indirect"
    ]
    assert reported == [("the officers should show deep", "person:kim-il-sung", "tell")]


def test_other_languages_are_skipped(shared: Any) -> None:
    record = next(r for r in iter_kcna(2012) if r["language"] == "es" and '"' in r["body"])
    doc = _pipeline()(capture_record(record, location=record["id"]))
    assert doc.language == "es"
    assert not list(doc.spans("quote"))


def test_trailing_attribution_reports_once(shared: Any) -> None:
    """'"...," he said.' is direct speech, not also a report; '..., the statement said.' is a report."""
    text = (
        "Pyongyang, July 20 (KCNA) -- Kim Jong Un inspected the Ryongsong Machine Complex on Monday. "
        '"The complex has done a great job," he said. '
        "The U.S. must stop its hostile policy at once, the statement said."
    )
    doc = _pipeline()(capture_text(text))
    kinds = [(q.attrs["kind"], doc.covered(q)) for q in doc.spans("quote")]
    assert kinds == [
        ("direct", "The complex has done a great job,"),
        ("indirect", "The U.S. must stop its hostile policy at once"),
    ]
