"""People: a PERSON id is one real person under a full name (issue 14, docs/people.md).

Policies, places, events and movements are never people; a surname or part of a name is the
full name mentioned in the same article; the gazetteer grown from the corpus's appositions
holds together; the committed hand-checked list of the 100 most frequent PERSON ids of each
corpus year is at least 98% right.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, iter_kcna
from statemedia.capture import capture_text
from statemedia.capture.records import capture_record
from statemedia.extract.gazetteer import (
    load_gazetteer,
    load_not_people,
    load_official_titles,
    load_short_names,
)
from statemedia.model import Document
from statemedia.pipeline import Pipeline
from statemedia.registry import build_pipeline
from statemedia.training.splits import reserved_ids, split_of

TOP100 = ROOT / "tests" / "data" / "person_ids_top100.tsv"
# What `entity` annotations need (registry.py), as tools/person_ids.py runs it: later components
# play no part in who is a person.
ENTITY_COMPONENTS = ["numbers", "juche", "dates", "acronyms", "linguistic", "entities"]
# The names issue 14 lists as no people, as KCNA writes them.
NOT_PEOPLE = [
    "Songun",
    "Juche",
    "Mangyongdae",
    "Chongwadae",
    "Mansu Hill",
    "Panmunjom",
    "Key Resolve",
    "Foal Eagle",
    "Kimilsungism-Kimjongilism",
    "Arirang",
    "Chongryon",
    "Generalissimos",
    "Jung Hup-led",
    "Paektu",
]


def _people(doc: Document) -> list[tuple[str, str]]:
    """(surface, id) of every PERSON entity named in ``doc`` (pronouns left out)."""
    return [
        (doc.covered(a), str(a.attrs["id"]))
        for a in doc.spans("entity")
        if a.attrs.get("type") == "PERSON" and a.attrs.get("via") != "coref"
    ]


@pytest.fixture(scope="module")
def entities() -> Pipeline:
    return build_pipeline(names=ENTITY_COMPONENTS)


def _run(pipeline: Pipeline, docs: list[Document]) -> list[Document]:
    return list(pipeline.pipe(docs, batch_size=32))


def _analyse(pipeline: Pipeline, text: str, day: datetime.date) -> Document:
    (doc,) = _run(pipeline, [capture_text(text, published=day)])
    return doc


# -- policies, places, events and movements are never people -----------------------------------


@pytest.mark.parametrize("name", NOT_PEOPLE)
def test_not_people_list_classifies_the_issue_names(name: str) -> None:
    assert load_not_people().classify(name) is not None, name


@pytest.fixture(scope="module")
def stories_naming_non_people(shared: Path, entities: Pipeline) -> dict[str, list[Document]]:
    """For each name, the first two short English non-reserved 2012 stories that contain it, analysed."""
    reserved = reserved_ids(shared)
    chosen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in iter_kcna(2012):
        if record["language"] != "en" or split_of(record["id"], reserved) == "reserved" or len(record["body"]) > 2500:
            continue
        for name in NOT_PEOPLE:
            if name in record["body"] and len(chosen[name]) < 2:
                chosen[name].append(record)
        if all(len(chosen[n]) == 2 for n in NOT_PEOPLE):
            break
    records = {r["id"]: r for rs in chosen.values() for r in rs}
    docs = {d.id: d for d in _run(entities, [capture_record(r, location=r["id"]) for r in records.values()])}
    return {name: [docs[r["id"]] for r in rs] for name, rs in chosen.items()}


@pytest.mark.parametrize("name", NOT_PEOPLE)
def test_non_people_in_real_stories_are_no_person(
    name: str, stories_naming_non_people: dict[str, list[Document]]
) -> None:
    docs = stories_naming_non_people[name]
    assert len(docs) == 2, f"no two stories name {name!r}"
    for doc in docs:
        assert isinstance(doc, Document)
        wrong = [(s, pid) for s, pid in _people(doc) if name.split("-")[0] in s]
        assert not wrong, (doc.id, wrong)


def test_institutions_named_after_leaders_are_not_their_mentions(entities: Pipeline) -> None:
    doc = _analyse(
        entities,
        "Students of Kim Il Sung University and workers of the Kim Jong Suk Pyongyang Textile Mill "
        "gathered at Kim Il Sung Square. Kim Jong Un visited the Mangyongdae Revolutionary School.",
        datetime.date(2012, 6, 1),
    )
    ids = [pid for _, pid in _people(doc)]
    assert ids == ["person:kim-jong-un"], _people(doc)


def test_quoted_opera_characters_are_no_people(entities: Pipeline) -> None:
    doc = _analyse(
        entities,
        'The Phibada Opera Troupe of the DPRK toured some areas of China with the opera "Liang Shanbo '
        'and Zhu Yingtai" from October 25 to January 7.',
        datetime.date(2012, 1, 10),
    )
    assert not _people(doc), _people(doc)


# -- a surname or part of a name is the full name in the same article ------------------------


def test_lee_after_lee_myung_bak_is_him(entities: Pipeline) -> None:
    doc = _analyse(
        entities,
        "Traitor Lee Myung Bak of south Korea, in a special new year address, blustered about peace. "
        '"Sincerity" touted by Lee is no more than sophism. What awaits the Lee group is only a stern '
        "judgment by the nation, and the Myung Bak regime will meet its end.",
        datetime.date(2012, 1, 3),
    )
    people = _people(doc)
    assert [s for s, _ in people] == ["Lee Myung Bak", "Lee", "Lee", "Myung Bak"], people
    assert {pid for _, pid in people} == {"person:lee-myung-bak"}


def test_lee_in_real_story_resolves(shared: Path, entities: Pipeline) -> None:
    record = next(r for r in iter_kcna(2012) if r["id"] == "kcna-2012-00024")
    assert split_of(record["id"], reserved_ids(shared)) != "reserved"
    (doc,) = _run(entities, [capture_record(record, location=record["id"])])
    assert isinstance(doc, Document)
    lees = [pid for s, pid in _people(doc) if s == "Lee"]
    assert lees and set(lees) == {"person:lee-myung-bak"}


def test_bare_surname_is_the_official_not_the_leader(entities: Pipeline) -> None:
    doc = _analyse(
        entities,
        "Kim Yong Nam, president of the Presidium of the DPRK Supreme People's Assembly, sent a message "
        "to the summit. Kim in the message said the initiatives of Kim Jong Il were remembered.",
        datetime.date(2012, 1, 28),
    )
    assert ("Kim", "person:kim-yong-nam") in _people(doc), _people(doc)


def test_western_surname_and_cut_korean_names(entities: Pipeline) -> None:
    doc = _analyse(
        entities,
        "Mahmoud Abbas, president of Palestine, met the delegation. Abbas said he was pleased. "
        "Present there was Minister of Public Health Choe Chang Sik, and Vice-Minister Kung Sok Ung.",
        datetime.date(2011, 6, 30),
    )
    people = dict(_people(doc))
    assert people.get("Abbas") == "person:mahmoud-abbas", people
    assert "person:choe-chang-sik" in people.values(), people
    assert "person:kung-sok-ung" in people.values(), people


def test_two_syllable_names_are_people_of_their_own(entities: Pipeline) -> None:
    """ "Kim Il" (the general) is no part of "Kim Il Sung": a Korean name's beginning is a name."""
    doc = _analyse(
        entities,
        "He placed flowers before the busts of President Kim Il Sung and of O Jin U, Kim Il, Kang Kon and Kim Chaek.",
        datetime.date(2024, 7, 27),
    )
    ids = {pid for _, pid in _people(doc)}
    assert {"person:kim-il-sung", "person:o-jin-u", "person:kim-il", "person:kang-kon"} <= ids, ids


def test_surname_alone_by_date(entities: Pipeline) -> None:
    """A surname with no full name in the article is the one man it meant at the article's date."""
    south = "The {} group of traitors is hell-bent on confrontation, the spokesman said."
    lee_2012 = _people(_analyse(entities, south.format("Lee"), datetime.date(2012, 3, 1)))
    assert lee_2012 == [("Lee", "person:lee-myung-bak")], lee_2012
    yoon_2024 = _people(_analyse(entities, south.format("Yoon"), datetime.date(2024, 3, 1)))
    assert yoon_2024 == [("Yoon", "person:yoon-suk-yeol")], yoon_2024
    assert not _people(_analyse(entities, south.format("Lee"), datetime.date(2024, 3, 1)))


# -- current KCNA: glued names --------------------------------------------------------------


def test_2024_sentence_links_kim_jong_un_unglued(entities: Pipeline) -> None:
    doc = _analyse(
        entities,
        "Pyongyang, August 4 (KCNA) -- The respected Comrade Kim Jong Un inspected the flood-hit area "
        "together with Jo Yong Won and Pak Thae Song.",
        datetime.date(2024, 8, 4),
    )
    ids = [pid for _, pid in _people(doc)]
    assert ids == ["person:kim-jong-un", "person:jo-yong-won", "person:pak-thae-song"], _people(doc)


def test_2024_sentence_links_kim_jong_un_glued(entities: Pipeline) -> None:
    pytest.importorskip("statemedia.capture.glue")
    doc = _analyse(
        entities,
        "Pyongyang, August 4 (KCNA) -- The respected ComradeKim Jong Uninspected the flood-hit area "
        "together with Jo Yong Won and Pak Thae Song.",
        datetime.date(2024, 8, 4),
    )
    ids = [pid for _, pid in _people(doc)]
    assert ids == ["person:kim-jong-un", "person:jo-yong-won", "person:pak-thae-song"], _people(doc)


# -- curated data holds together ---------------------------------------------------------------


def test_curated_people_data_is_consistent() -> None:
    gazetteer = load_gazetteer()
    short = load_short_names()  # raises when a short name points outside the gazetteer
    assert short.holder("Lee", datetime.date(2012, 5, 1)) is gazetteer.entries["person:lee-myung-bak"]
    titles = load_official_titles()  # raises when a title's id is not in the gazetteer
    assert len(titles) >= 80
    assert any(t.title.startswith("minister of Foreign Trade") for t in titles["person:ri-ryong-nam"])
    not_people = load_not_people()
    for entry in gazetteer.entries.values():
        if entry.type == "PERSON":
            assert not_people.classify(entry.name) is None, entry.name
    ids = [e.id for e in gazetteer.entries.values()]
    assert len(ids) == len(set(ids))


# -- the committed hand check --------------------------------------------------------------------


def _top100() -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with TOP100.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows[row["year"]].append(row)
    return rows


@pytest.mark.parametrize("year", ["2011", "2012", "2024"])
def test_top100_person_ids_checked_by_hand(year: str) -> None:
    rows = _top100()[year]
    assert [int(r["rank"]) for r in rows] == list(range(1, 101)), f"{year}: ranks 1..100, each once"
    assert all(r["verdict"] in ("ok", "wrong") for r in rows), {r["verdict"] for r in rows}
    assert all(r["id"].startswith("person:") for r in rows)
    assert all(r["verdict"] == "ok" or r["note"] for r in rows), "a wrong row says why"
    ok = sum(r["verdict"] == "ok" for r in rows) / len(rows)
    assert ok >= 0.98, f"{year}: {ok:.0%} of the 100 most frequent PERSON ids are one real person under a full name"


def test_top100_list_covers_the_three_corpus_years() -> None:
    assert set(_top100()) == {"2011", "2012", "2024"}
