"""Numbers: DPRK space-separated thousands read as one number, on real sentences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import component
from normalize_samples import document, within
from statemedia.model import Document

NUMBERS = component("numbers")


@pytest.mark.parametrize(
    ("source", "phrase", "include", "exclude"),
    [
        ("seed", "field guidance tours of 1 056 units", [1056], [1, 56]),
        ("seed", "more than 20 500 km", [20500], [20, 500]),
        # A number in a name is still a number; the extractor decides it names a hill.
        ("seed", "on Height 1 211, he", [1211], [1, 211]),
        ("seed", "In the three-year war", [3], []),
        ("kcna", "total 46 759 450 390 yen on 157", [46759450390, 157], [46, 759, 450, 390]),
        ("kcna", "3 500 million people", [3_500_000_000], [3500, 3, 500]),
        ("kcna", "18.8 for every 100 000 inhabitants", [18.8, 100000], [18, 8, 100]),
        ("kcna", "More than 1,000 demonstrations", [1000], [1]),
        ("kcna", "as of 18:00 Tuesday", [], [18, 0]),
        # Ordinals are not counts, and "1 000th" is not 1 followed by an ordinal.
        ("kcna", "the 1 000th Wednesday rally", [], [1, 1000]),
        ("kcna", "10 000km Inspection Tour", [10000], [10]),
        ("kcna", "more than 2.814 million", [2_814_000], [2.814]),
    ],
)
def test_numbers_in_real_sentences(
    source: str, phrase: str, include: list[float], exclude: list[float]
) -> None:
    doc = NUMBERS(document(source, phrase))
    values = [a.attrs["value"] for a in within(doc, phrase, "number")]
    for value in include:
        assert value in values
    for value in exclude:
        assert value not in values


def test_spans_cover_the_whole_numeral() -> None:
    doc = NUMBERS(document("seed", "1 056 units"))
    assert [doc.covered(a) for a in within(doc, "1 056 units", "number")] == ["1 056"]


def test_number_words_can_be_switched_off() -> None:
    numbers = component("numbers", words=False)
    doc = numbers(document("seed", "In the three-year war"))
    assert within(doc, "In the three-year war", "number") == []


def _dprk(value: int) -> str:
    return f"{value:,}".replace(",", " ")


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["units", "km", "tons of grain"]))
def test_dprk_formatted_integer_parses_back(value: int, unit: str) -> None:
    text = f"made field guidance tours of {_dprk(value)} {unit}."
    found = NUMBERS.find(text)
    assert [(text[a.start : a.end], a.attrs["value"]) for a in found] == [(_dprk(value), value)]


def test_component_adds_without_touching_text() -> None:
    doc = Document(id="t", text="1 056 units")
    assert NUMBERS(doc).text == "1 056 units"
    assert [a.label for a in doc.annotations] == ["number"]
