"""Juche years in English, Korean and Spanish state media, with mismatches flagged."""

from __future__ import annotations

import pytest

from conftest import component
from normalize_samples import document, within

JUCHE = component("juche")


@pytest.mark.parametrize(
    ("source", "phrase", "covered", "juche", "year", "stated", "mismatch"),
    [
        ("seed", "On October 21, Juche 39 (1950) he", "Juche 39 (1950)", 39, 1950, 1950, False),
        ("modern", "November 21, Juche 112 (2023)", "Juche 112 (2023)", 112, 2023, 2023, False),
        ("kcna", "on train on December 17, Juche 100 (2011)", "Juche 100 (2011)", 100, 2011, 2011, False),
        # KCNA's own slip: the work is from 1930, Juche 29 would be 1940.
        ("kcna", "June 30, Juche 29 (1930)", "Juche 29 (1930)", 29, 1940, 1930, True),
        ("newyear-2011", "새해 주체100(2011)년은", "주체100(2011)년", 100, 2011, 2011, False),
        (
            "kcna",
            "el 17 de diciembre del 100 (2011) de la Era Juche",
            "100 (2011) de la Era Juche",
            100,
            2011,
            2011,
            False,
        ),
        (
            "kcna",
            "En el ano 100 (2011) de la Era Juche",
            "ano 100 (2011) de la Era Juche",
            100,
            2011,
            2011,
            False,
        ),
    ],
)
def test_juche_years_in_real_text(
    source: str, phrase: str, covered: str, juche: int, year: int, stated: int | None, mismatch: bool
) -> None:
    doc = JUCHE(document(source, phrase))
    found = within(doc, phrase, "juche_year")
    assert [doc.covered(a) for a in found] == [covered]
    assert dict(found[0].attrs) == {"juche": juche, "year": year, "stated_year": stated, "mismatch": mismatch}


def test_mismatch_flagged_when_stated_year_differs() -> None:
    # "Juche 100 (2012)" as a writer might slip: 100 is 2011.
    found = JUCHE.find("the year Juche 100 (2012) began")
    assert found[0].attrs["mismatch"] is True
    assert found[0].attrs["stated_year"] == 2012


def test_juche_century_is_not_a_year() -> None:
    phrase = "주체100년대를"
    doc = JUCHE(document("newyear-2013", phrase))
    assert within(doc, phrase, "juche_year") == []


def test_juche_idea_is_not_a_year() -> None:
    kcna = JUCHE(document("kcna", "the Juche idea"))
    assert within(kcna, "the Juche idea", "juche_year") == []
