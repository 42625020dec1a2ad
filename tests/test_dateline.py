"""KCNA datelines on real sentences: parsed into place/agency/month/day, year from publication."""

from __future__ import annotations

import datetime
import itertools
import json

import pytest

from conftest import MODERN, iter_kcna
from statemedia.capture import capture_record, find_dateline
from statemedia.capture.dateline import infer_date

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip


def _modern() -> list[dict[str, object]]:
    return [json.loads(line) for line in MODERN.read_text(encoding="utf-8").splitlines() if line.strip()]


def _kcna_first_sentences(year: int, language: str, n: int) -> list[tuple[str, str, str]]:
    """(id, date, first paragraph) of real stories: the KCNA R data dropped the datelines."""
    rows = (r for r in iter_kcna(year) if r["language"] == language and r["body"][:1].isupper())
    return [(r["id"], r["date"], r["body"].split("\n")[0]) for r in itertools.islice(rows, 0, 400, 100)]


# Real KCNA paragraphs behind the dateline forms KCNA uses (English and Spanish, both years).
DATELINED = [
    pytest.param(story_id, date, body, fmt, id=f"{story_id}-{fmt}")
    for year in (2011, 2012)
    for language, forms in (("en", ("en", "en-dash", "en-abbr")), ("es", ("es",)))
    for (story_id, date, body), fmt in zip(_kcna_first_sentences(year, language, 4), itertools.cycle(forms))
]


def _dateline(date: datetime.date, fmt: str) -> str:
    month = MONTHS_EN[date.month - 1]
    return {
        "en": f"Pyongyang, {month} {date.day} (KCNA) -- ",
        "en-dash": f"Pyongyang, {month} {date.day} (KCNA) — ",
        "en-abbr": f"Pyongyang, {month[:3]}. {date.day} (KCNA) -- ",
        "es": f"Pyongyang, {date.day} de {MONTHS_ES[date.month - 1]} (ACNC) -- ",
    }[fmt]


@pytest.mark.parametrize(("story_id", "date", "body", "fmt"), DATELINED)
def test_kcna_dateline_forms(story_id: str, date: str, body: str, fmt: str) -> None:
    published = datetime.date.fromisoformat(date)
    prefix = _dateline(published, fmt)
    found = find_dateline(prefix + body, published)
    assert found is not None, story_id
    assert (found.place, found.outlet, found.month, found.day) == (
        "Pyongyang", "KCNA", published.month, published.day,
    )  # fmt: skip
    assert found.date == published
    assert (prefix + body)[found.start : found.end] == prefix.rstrip(" -—")


MODERN_WITH_DATELINE = [r for r in _modern() if str(r["body"]).lstrip().startswith("Pyongyang")]


@pytest.mark.parametrize("record", MODERN_WITH_DATELINE, ids=lambda r: str(r["id"]))
def test_modern_dateline_annotated_in_clean_text(record: dict[str, object]) -> None:
    doc = capture_record(record, location=str(record["id"]))
    (ann,) = list(doc.spans("dateline"))
    assert doc.text.startswith(doc.covered(ann)), "the dateline stays in the clean text"
    assert ann.attrs["agency"] == "KCNA" and ann.attrs["place"] == "Pyongyang"
    assert ann.attrs["date"] == record["date"]


# Real text with a place, a date or an agency in brackets at its start that is NOT a dateline:
# each key is looked up in the data and the test reads the paragraph from the key on.
NOT_DATELINE_KEYS = [
    "Pyongyang September 15 Weekly Nursery",  # a nursery's name
    "Pyongyang June 9 Ryongbuk Secondary School",  # a school's name
    "La Agencia Central de Noticias de Corea (ACNC) hizo publica",
    "15 de agosto (dia de liberacion de Corea)",
    "Korean Central News Agency (KCNA) headed",
    "One day in November Juche 104 (2015)",
]


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    bodies = [r["body"] for year in (2011, 2012) for r in iter_kcna(year)]
    bodies += [str(r["body"]) for r in _modern()]
    return [p for body in bodies for p in body.split("\n")]


@pytest.mark.parametrize("key", NOT_DATELINE_KEYS)
def test_not_a_dateline(key: str, paragraphs: list[str]) -> None:
    paragraph = next((p for p in paragraphs if key in p), None)
    assert paragraph is not None, f"{key!r} is not in the data"
    sentence = paragraph[paragraph.index(key) :]
    assert find_dateline(sentence, datetime.date(2012, 1, 1)) is None


@pytest.mark.parametrize(
    ("month", "day", "published", "expected"),
    [
        (12, 31, "2013-01-01", "2012-12-31"),  # New Year's Eve story published on New Year's Day
        (11, 30, "2013-11-30", "2013-11-30"),  # same day (modern-001)
        (2, 29, "2013-03-01", "2012-02-29"),  # leap day: the latest February 29 before publication
    ],
)
def test_year_from_publication(month: int, day: int, published: str, expected: str) -> None:
    assert infer_date(month, day, datetime.date.fromisoformat(published)) == datetime.date.fromisoformat(
        expected
    )


def test_no_year_without_publication_date() -> None:
    found = find_dateline("Pyongyang, November 30 (KCNA) -- Kim Jong Un visited.", None)
    assert found is not None and found.date is None
