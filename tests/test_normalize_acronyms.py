"""DPRK acronyms with their expansion and entity id, from the curated list."""

from __future__ import annotations

import re

import pytest

from conftest import component
from normalize_samples import document, within
from statemedia.datafiles import read_tsv

ACRONYMS = component("acronyms")


@pytest.mark.parametrize(
    ("source", "phrase", "shorts", "entity_ids"),
    [
        ("seed", "He developed the WPK into an invincible party", ["WPK"], ["org:workers-party-of-korea"]),
        ("seed", "commander of the KPA unit there", ["KPA"], ["org:korean-peoples-army"]),
        (
            "kcna",
            "the Political Bureau of the C.C., WPK",
            ["C.C.", "WPK"],
            ["org:central-committee", "org:workers-party-of-korea"],
        ),
        (
            "modern",
            "vice-chairman of the SAC of the DPRK",
            ["SAC", "DPRK"],
            ["org:state-affairs-commission", "org:democratic-peoples-republic-of-korea"],
        ),
        (
            "kcna",
            "la CMC del PTC",
            ["CMC", "PTC"],
            ["org:central-military-commission", "org:workers-party-of-korea"],
        ),
        # U.S. and NATO are not DPRK acronyms and are not listed.
        ("kcna", "the U.S. and NATO", [], []),
    ],
)
def test_acronyms_in_real_sentences(
    source: str, phrase: str, shorts: list[str], entity_ids: list[str]
) -> None:
    doc = ACRONYMS(document(source, phrase))
    found = within(doc, phrase, "acronym")
    assert [a.attrs["short"] for a in found] == shorts
    assert [a.attrs["entity_id"] for a in found] == entity_ids


def test_expansion_follows_document_language() -> None:
    spanish = ACRONYMS(document("kcna", "la CMC del PTC"))
    (cmc,) = within(spanish, "la CMC del", "acronym")
    assert cmc.attrs["expansion"] == "Comisión Militar Central"
    english = ACRONYMS.find("the CMC of the WPK", "en")
    assert english[0].attrs["expansion"] == "Central Military Commission"


def _slug(expansion: str) -> str:
    return "org:" + re.sub(r"[^a-z0-9]+", "-", expansion.lower().replace("'", "").replace("’", "")).strip("-")


def test_entity_ids_follow_the_shared_scheme() -> None:
    rows = read_tsv("acronyms.tsv")
    english_ids = {_slug(r["expansion"]) for r in rows if r["language"] == "en"}
    for row in rows:
        # Each id is the slug of an English expansion; aliases (KWP, Spanish forms) share one.
        assert row["entity_id"] in english_ids, row


def test_acronym_inside_a_word_is_not_matched() -> None:
    assert ACRONYMS.find("DPRKs WPKX KPA-led", "en")[0].attrs["short"] == "KPA"
    assert len(ACRONYMS.find("DPRKs WPKX KPA-led", "en")) == 1
