"""Issue 2's second acceptance case: real KCNA stories (English and Spanish) analyse cleanly."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import KCNA, iter_kcna, kcna_sample
from statemedia.capture import capture_record
from statemedia.engine.local import analyze_stream
from statemedia.model import Document
from statemedia.report import to_json, validate

pytestmark = pytest.mark.skipif(not KCNA.exists(), reason="KCNA data not present")


@pytest.fixture(scope="module")
def analysed() -> list[Document]:
    records = kcna_sample(200, step=97)
    docs = [capture_record(r, location=f"kcna:{r['id']}") for r in records]
    results = list(analyze_stream(docs, n_process=2))
    assert all(isinstance(r, Document) for r in results), [r for r in results if not isinstance(r, Document)]
    return [r for r in results if isinstance(r, Document)]


def test_two_hundred_stories_both_languages(analysed: list[Document]) -> None:
    assert len(analysed) == 200
    languages = {d.language for d in analysed}
    assert {"en", "es"} <= languages


def test_every_result_follows_the_schema(analysed: list[Document]) -> None:
    for doc in analysed:
        result = to_json(doc)
        validate(result)
        for ann in result["annotations"]:
            assert 0 <= ann["start"] <= ann["end"] <= len(result["document"]["text"])


def test_text_is_never_rewritten(analysed: list[Document]) -> None:
    by_id: dict[str, dict[str, Any]] = {r["id"]: r for r in kcna_sample(200, step=97)}
    for doc in analysed:
        assert doc.text.strip() == by_id[doc.id]["body"].strip()


def _story(story_id: str) -> Document:
    year = int(story_id.split("-")[1])
    record = next(r for r in iter_kcna(year) if r["id"] == story_id)
    results = list(analyze_stream([capture_record(record, location=story_id)], n_process=1))
    assert isinstance(results[0], Document)
    return results[0]


@pytest.mark.parametrize(
    ("story_id", "must_include", "must_exclude"),
    [
        # Tank division visit, 2012-01-01: the entourage names are linked officials.
        ("kcna-2012-00001", {"person:kim-jong-un", "person:ri-yong-ho", "person:jang-song-thaek",
                             "person:kim-jong-gak", "person:hwang-pyong-so", "org:korean-peoples-army"},
         {"person:kim-jong-il-who"}),
        # New Year tribute: Kim Jong Un pays homage; KPA, WPK, NDC and SPA expanded from acronyms.
        ("kcna-2012-00000", {"person:kim-jong-un", "person:kim-il-sung", "person:choe-ryong-hae",
                             "org:workers-party-of-korea", "org:supreme-peoples-assembly"}, set()),
        # Media KCNA cites are organisations with one id each, not people spaCy guessed.
        ("kcna-2012-00815", {"org:minju-joson"}, {"person:minju-joson"}),
        ("kcna-2012-00758", {"org:joongang-ilbo"}, {"person:choongang-ilbo", "org:choongang-ilbo"}),
        ("kcna-2012-01421", {"org:hangyore"}, set()),
        ("kcna-2012-00033", {"org:itar-tass", "org:xinhua"}, {"org:xinhua-news"}),
        ("kcna-2012-01905", {"org:dong-a-ilbo"}, set()),
    ],
)
def test_entities_in_real_stories(story_id: str, must_include: set[str], must_exclude: set[str]) -> None:
    doc = _story(story_id)
    ids = {a.attrs["id"] for a in doc.spans("entity")}
    assert must_include <= ids, must_include - ids
    assert not (must_exclude & ids)


def test_spanish_story_gets_sentences_and_dates() -> None:
    day_month = re.compile(r"\b\d{1,2} de noviembre\b")
    record = next(r for r in iter_kcna(2011) if r["language"] == "es" and day_month.search(r["body"]))
    (doc,) = list(analyze_stream([capture_record(record, location=record["id"])], n_process=1))
    assert isinstance(doc, Document)
    assert doc.language == "es"
    assert len(list(doc.spans("sentence"))) >= 2
    assert any(d.attrs["value"].startswith("2011-11") for d in doc.spans("date"))
