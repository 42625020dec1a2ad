"""Titles of protocol-list members (extract/protocol_names.py, issue 14).

Every member of a list carries the titles KCNA gives him, in singular form as the house stores
them (``Member.titles``, ``data/official_titles.tsv``): a plural apposition after several names
is each one's; an item of a semicolon list that names nobody is no one's title; a Spanish title
set before a name ("el vicepremier Ro Tu Chol", "el ministro de Cultura, An Tong Chun") is that
name's. The sentences are paraphrases modelled on train-split wording, not corpus text.
"""

from __future__ import annotations

import pytest

from statemedia.extract.entourage import scan_sentence
from statemedia.extract.gazetteer import load_gazetteer

LEADERS = frozenset({"person:kim-jong-il", "person:kim-jong-un", "person:kim-il-sung"})


def titles(sentence: str) -> dict[str, tuple[str, ...]]:
    """Name -> titles of every member the sentence's protocol lists take, in order."""
    found = scan_sentence(sentence, 0, len(sentence), exclude=LEADERS, gazetteer=load_gazetteer())
    return {m.name: m.titles for item in found if item.skipped is None for m in item.members}


# -- a plural apposition after several names ------------------------------------------------


def test_plural_apposition_is_every_name_of_the_run() -> None:
    got = titles(
        "He was accompanied by Jang Song Thaek, alternate member of the Political Bureau of the WPK "
        "Central Committee and vice-chairman of the NDC, Kim Yang Gon, Pak To Chun and Thae Jong Su, "
        "alternate members of the Political Bureau of the WPK Central Committee, and Ju Kyu Chang, "
        "department director of the WPK Central Committee."
    )
    alternate = ("alternate member of the Political Bureau of the WPK Central Committee",)
    assert got == {
        "Jang Song Thaek": (
            "alternate member of the Political Bureau of the WPK Central Committee",
            "vice-chairman of the NDC",
        ),
        "Kim Yang Gon": alternate,
        "Pak To Chun": alternate,
        "Thae Jong Su": alternate,
        "Ju Kyu Chang": ("department director of the WPK Central Committee",),
    }


def test_run_starts_after_the_previous_title() -> None:
    # "A, member of X, B and C, secretaries of Y": A is a member of X only; B and C are secretaries of Y.
    got = titles(
        "Present there were Kim Ki Nam, member of the Political Bureau of the WPK Central Committee, "
        "Pak To Chun and Thae Jong Su, secretaries of the WPK Central Committee, and other officials."
    )
    assert got == {
        "Kim Ki Nam": ("member of the Political Bureau of the WPK Central Committee",),
        "Pak To Chun": ("secretary of the WPK Central Committee",),
        "Thae Jong Su": ("secretary of the WPK Central Committee",),
    }


def test_plural_titles_are_split_as_singular_ones() -> None:
    got = titles(
        "He was accompanied by Kim Ki Nam and Choe Thae Bok, members of the Political Bureau and "
        "secretaries of the C.C., the WPK; Kim Kye Gwan, first vice-minister of Foreign Affairs."
    )
    both = ("member of the Political Bureau", "secretary of the C.C., the WPK")
    assert got == {
        "Kim Ki Nam": both,
        "Choe Thae Bok": both,
        "Kim Kye Gwan": ("first vice-minister of Foreign Affairs",),
    }


def test_run_stops_at_an_earlier_and() -> None:
    # "..., C and D, E, F and G, members of X": the names before "C and D" closed a group of their own.
    got = titles(
        "Among the audience were Kim Yong Chun, Kim Ki Nam and Choe Thae Bok, Kim Myong Guk, "
        "Kim Won Hong and Hyon Chol Hae, members of the Central Military Commission of the WPK, "
        "and officials in the field of literature and art."
    )
    cmc = ("member of the Central Military Commission of the WPK",)
    assert got == {
        "Kim Yong Chun": (),
        "Kim Ki Nam": (),
        "Choe Thae Bok": (),
        "Kim Myong Guk": cmc,
        "Kim Won Hong": cmc,
        "Hyon Chol Hae": cmc,
    }


def test_spanish_plural_apposition() -> None:
    got = titles(
        "Le acompanaron Jang Song Thaek, miembro suplente del BP del CC del PTC y vicepresidente del CDN, "
        "Pak To Chun y Thae Jong Su, miembros suplentes del BP y secretarios del CC del PTC, y Ri Jae Il "
        "y Pak Pong Ju, primeros subjefes de departamento del CC del PTC."
    )
    suplente = ("miembro suplente del BP y secretario del CC del PTC",)
    subjefe = ("primer subjefe de departamento del CC del PTC",)
    assert got == {
        "Jang Song Thaek": ("miembro suplente del BP del CC del PTC y vicepresidente del CDN",),
        "Pak To Chun": suplente,
        "Thae Jong Su": suplente,
        "Ri Jae Il": subjefe,
        "Pak Pong Ju": subjefe,
    }


def test_plural_rank_before_names_is_each_ones() -> None:
    got = titles(
        "Present at the ceremony were Kim Yong Nam, Vice-Premiers Jon Ha Chol and Kang Nung Su, "
        "officials of the party and power bodies and working people in Pyongyang."
    )
    assert got == {"Kim Yong Nam": (), "Jon Ha Chol": ("Vice-Premier",), "Kang Nung Su": ("Vice-Premier",)}


# -- an item that names nobody -----------------------------------------------------------------


def test_unnamed_semicolon_item_is_no_ones_title() -> None:
    got = titles(
        "He was seen off by Wang Jiarui, head of the International Liaison Department of the C.C., the CPC; "
        "Hu Yadong, vice-minister of Railways; the secretary-general of the Liaoning Provincial Committee "
        "of the CPC; Dai Yulin, secretary of the Dandong City Committee of the CPC; and the acting mayor "
        "of Dandong City."
    )
    assert got == {
        "Wang Jiarui": ("head of the International Liaison Department of the C.C., the CPC",),
        "Hu Yadong": ("vice-minister of Railways",),
        "Dai Yulin": ("secretary of the Dandong City Committee of the CPC",),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Present there were Choe Thae Bok, secretary of the WPK Central Committee; a vice-premier of the "
        "Cabinet; Kim Yong Jin, minister of Education; and officials concerned.",
        "Present at the meeting were Choe Thae Bok, secretary of the WPK Central Committee; Kim Yong Jin, "
        "minister of Education; officials of the ministry and teachers.",
    ],
)
def test_semicolon_items_without_a_name(sentence: str) -> None:
    assert titles(sentence) == {
        "Choe Thae Bok": ("secretary of the WPK Central Committee",),
        "Kim Yong Jin": ("minister of Education",),
    }


def test_an_excluded_leader_ends_the_previous_titles() -> None:
    # The leader is left out of the list; his own titles are not the name's before him.
    got = titles(
        "Le acompanaron Ri Yong Ho, miembro del Presidium del BP del CC del PTC, Kim Jong Un, "
        "vicepresidente de la Comision Militar Central del PTC, y Kim Kyong Hui, miembro del BP del CC del PTC."
    )
    assert got == {
        "Ri Yong Ho": ("miembro del Presidium del BP del CC del PTC",),
        "Kim Kyong Hui": ("miembro del BP del CC del PTC",),
    }


# -- Spanish titles before the name --------------------------------------------------------------


def test_spanish_title_before_the_name() -> None:
    got = titles(
        "Estuvieron presentes en el acto el secretario del Comite Central del Partido del Trabajo de Corea, "
        "Choe Ryong Hae, el vicepremier Ro Tu Chol, el presidente del Comite Popular de la Ciudad de "
        "Pyongyang, Ryang Man Gil, y otros funcionarios."
    )
    assert got == {
        "Choe Ryong Hae": ("secretario del Comite Central del Partido del Trabajo de Corea",),
        "Ro Tu Chol": ("vicepremier",),
        "Ryang Man Gil": ("presidente del Comite Popular de la Ciudad de Pyongyang",),
    }


def test_spanish_plural_title_before_names() -> None:
    got = titles(
        "Le acompanaron Ri Yong Ho, Kim Ki Nam y Ri Myong Su, los generales de ejercito del EPC: "
        "Kim Myong Guk, Kim Won Hong y Hyon Chol Hae, los funcionarios del CC del PTC y los oficiales del EPC."
    )
    general = ("general de ejercito del EPC",)
    assert got == {
        "Ri Yong Ho": (),
        "Kim Ki Nam": (),
        "Ri Myong Su": (),
        "Kim Myong Guk": general,
        "Kim Won Hong": general,
        "Hyon Chol Hae": general,
    }
