"""Dates at their real precision, Juche years, named periods and days relative to publication."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import component
from normalize_samples import document, within
from statemedia.model import Document

JUCHE = component("juche")
DATES = component("dates")


def analysed(source: str, phrase: str) -> Document:
    return DATES(JUCHE(document(source, phrase)))


@pytest.mark.parametrize(
    ("source", "phrase", "covered", "value", "precision"),
    [
        ("seed", "On October 21, Juche 39 (1950) he", "October 21, Juche 39 (1950)", "1950-10-21", "day"),
        ("seed", "On October 1, 1951, he", "October 1, 1951", "1951-10-01", "day"),
        ("seed", "In February 1952 he delivered", "February 1952", "1952-02", "month"),
        ("seed", "War (1950-1953)", "1950-1953", "1950/1953", "interval"),
        ("modern", "in March Juche 110 (2021)", "March Juche 110 (2021)", "2021-03", "month"),
        ("modern", "on November 21, Juche 112 (2023)", "November 21, Juche 112 (2023)", "2023-11-21", "day"),
        # The Juche count is KCNA's slip here; the stated Gregorian year is the work's date.
        ("kcna", "published on June 30, Juche 29 (1930)", "June 30, Juche 29 (1930)", "1930-06-30", "day"),
        (
            "kcna",
            "del 17 de diciembre del 100 (2011) de la Era Juche",
            "17 de diciembre del 100 (2011) de la Era Juche",
            "2011-12-17",
            "day",
        ),
        (
            "kcna",
            "en diciembre del 50 (1961) de la Era Juche",
            "diciembre del 50 (1961) de la Era Juche",
            "1961-12",
            "month",
        ),
        ("kcna", "envio el 12 de octubre de 2012 un", "12 de octubre de 2012", "2012-10-12", "day"),
        ("newyear-2011", "새해 주체100(2011)년은", "주체100(2011)년", "2011", "year"),
    ],
)
def test_dates_at_their_precision(source: str, phrase: str, covered: str, value: str, precision: str) -> None:
    doc = analysed(source, phrase)
    found = within(doc, phrase, "date")
    assert [(doc.covered(a), a.attrs["value"], a.attrs["precision"]) for a in found] == [
        (covered, value, precision)
    ]


@pytest.mark.parametrize(
    ("source", "phrase", "covered", "start", "end"),
    [
        ("seed", "Fatherland Liberation War (1950", "Fatherland Liberation War", "1950-06-25", "1953-07-27"),
        ("seed", "In the three-year war", "three-year war", "1950-06-25", "1953-07-27"),
        (
            "kcna",
            "the anti-Japanese revolutionary struggle",
            "anti-Japanese revolutionary struggle",
            "1926-10-17",
            "1945-08-15",
        ),
    ],
)
def test_named_periods(source: str, phrase: str, covered: str, start: str, end: str) -> None:
    doc = analysed(source, phrase)
    (found,) = within(doc, phrase, "date")
    assert doc.covered(found) == covered
    assert (found.attrs["precision"], found.attrs["start"], found.attrs["end"]) == ("interval", start, end)
    assert found.attrs["value"] == f"{start}/{end}"
    assert found.attrs["name"] is not None


def test_month_bounds_in_leap_year() -> None:
    doc = analysed("seed", "In February 1952")
    (found,) = within(doc, "In February 1952", "date")
    assert (found.attrs["start"], found.attrs["end"]) == ("1952-02-01", "1952-02-29")


def test_warmongers_are_not_the_korean_war() -> None:
    doc = analysed("kcna", "Korean warmongers")
    assert within(doc, "Korean warmongers", "date") == []


def test_weekday_resolves_against_publication() -> None:
    # KCNA 2012-01-01 (a Sunday): Kim Jong Un's visit to the Ryu Kyong Su tank division.
    phrase = "visited the Seoul Ryu Kyong Su 105 Guards Tank Division"
    doc = analysed("kcna", phrase)
    assert doc.published == date(2012, 1, 1)
    sundays = [a for a in doc.spans("date") if a.attrs["relative"] == "Sunday"]
    assert sundays, "no 'Sunday' found"
    assert {a.attrs["value"] for a in sundays} == {"2012-01-01"}


def test_weekday_before_publication_day() -> None:
    # KCNA 2011-12-01 was a Thursday; "on Thursday" is that day, a Monday is three days before.
    doc = analysed("kcna", "General Secretary Kim Jong Il on Thursday sent a congratulatory message")
    assert doc.published == date(2011, 12, 1)
    (found,) = within(doc, "Kim Jong Il on Thursday sent", "date")
    assert (found.attrs["value"], found.attrs["relative"]) == ("2011-12-01", "Thursday")


def test_yearless_date_takes_publication_year() -> None:
    doc = analysed("kcna", "at 08: 30 on December 17, Juche 100 (2011)")
    phrase = "December 17, Juche 100 (2011)"
    assert [a.attrs["value"] for a in within(doc, phrase, "date")] == ["2011-12-17"]
    # Without a year: the latest December 17 on or before publication.
    text = "Kim Jong Il died on Dec. 17 of a heart attack."
    found = DATES.find(text, [], date(2012, 1, 5))
    assert [(text[a.start : a.end], a.attrs["value"]) for a in found] == [("Dec. 17", "2011-12-17")]
    assert DATES.find(text, [], None) == []


def test_spanish_weekday_needs_its_article() -> None:
    doc = analysed("kcna", "fijaron el domingo como dia de descanso")
    (found,) = within(doc, "fijaron el domingo", "date")
    assert found.attrs["relative"] == "domingo"
    assert date.fromisoformat(found.attrs["value"]).weekday() == 6
    assert date.fromisoformat(found.attrs["value"]) <= date(2012, 6, 29)


@pytest.mark.parametrize(
    "sentence",
    [
        # Real names built on a date (KCNA 2012, modern excerpts): the date layer must leave them alone.
        "watched the performance given by the Moranbong Band at April 25 House of Culture on Mar. 22",
        "the February 8 Vinalon Complex is in full operation",
        "on the 11th anniversary of the June 15 North-South Joint Declaration",
    ],
)
def test_names_built_on_a_date_are_not_dates(sentence: str) -> None:
    doc = DATES(JUCHE(Document(id="t", text=sentence, published=date(2014, 3, 23))))
    covered = [doc.covered(a) for a in doc.spans("date")]
    assert not any(c.startswith(("April 25", "February 8", "June 15")) for c in covered), covered
