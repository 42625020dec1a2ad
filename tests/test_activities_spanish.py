"""Spanish stories (KCNA 2011-12 is half Spanish): weak labels, the reader and activities.

The stories here are TRAIN-split Spanish stories (never reserved, held-out or in tests/data): the
held-out Spanish stories are measured by ``statemedia check-activities`` only (docs/activities.md).
"""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path
from typing import Any

import pytest

from statemedia.normalize.dates import DateNormalizer
from statemedia.training.activity_check import predicted_label
from statemedia.training.activity_data import prepare, story_document
from statemedia.training.activity_data import test_set_ids as _tests_data_ids
from statemedia.training.splits import reserved_ids, split_of
from statemedia.training.weak_labels import Story, english, headline_label, read_stories, spanish

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KCNA_2011 = SHARED / "data" / "kcna" / "kcna-2011.jsonl.gz"
KCNA_2012 = SHARED / "data" / "kcna" / "kcna-2012.jsonl.gz"


@pytest.mark.parametrize(
    ("headline", "label"),
    [
        ("Kim Jong Il dirige la Fabrica de Cuero Sintetico de Phyongsong", "field_guidance"),
        ("Kim Jong Il dirige ejercicios de vuelo de Unidad Aerea 378 del EPC", "military_drill"),
        ("Kim Jong Un inspecciona la Unidad 842 del EPC", "inspection"),
        ("Kim Jong Un presencia funcion del Coro Estatal Benemerito", "performance"),
        ("Kim Jong Un recibe mensaje de condolencias de Vladimir Woronin", "correspondence_received"),
        ("Kim Jong Il recibe a Meng Jianzhu", "meeting"),
        ("Kim Jong Un envia ofrenda floral ante feretro de difunto O Ik Je", "correspondence_sent"),
        ("Kim Jong Un se fotografia con delegados jovenes", "photo_session"),
        ("Personalidad peruana envia mensaje de condolencias a Kim Jong Un", "correspondence_received"),
        ("Rodong Sinmun elogia hazanas del Dirigente Kim Jong Il", "none"),
        ("Kim Jong Un rinde homenaje a Kim Il Sung y Kim Jong Il", None),
        ("Camboya expresa condolencias por deceso de Kim Jong Il", None),
        ("Primer Ministro inspecciona fabrica", None),
    ],
)
def test_spanish_headline_labels(headline: str, label: str | None) -> None:
    assert headline_label(headline, "es") == label


def test_english_map_is_not_read_for_spanish_headlines() -> None:
    # The English map's "memorial" row would call his visit to the Memorial Palace "none".
    assert headline_label("Kim Jong Un vuelve a visitar Palacio Memorial Kumsusan", "es") == "visit"
    assert headline_label("Kim Jong Un vuelve a visitar Palacio Memorial Kumsusan") == "none"


def test_read_stories_defaults_to_english_only() -> None:
    default = list(itertools.islice(read_stories(KCNA_2011), 3000))
    assert default and all(s.language == "en" and english(s.body, "en") for s in default)
    both = list(itertools.islice(read_stories(KCNA_2011, ("en", "es")), 3000))
    es = [s for s in both if s.language == "es"]
    assert es and all(spanish(s.body, "es") for s in es)
    # The default is the English part of the same stream, in the same order: draws keep their ids.
    assert [s.id for s in both if s.language == "en"] == [s.id for s in default][: len(both) - len(es)]


def _stories(ids: set[str]) -> dict[str, Story]:
    out = {}
    for path in (KCNA_2011, KCNA_2012):
        out.update({s.id: s for s in read_stories(path, ("es",)) if s.id in ids})
    return out


# Train-split Spanish stories, one per kind their headline states: (id, headline label, a day).
CASES = [
    ("kcna-2011-00482", "military_drill", None),  # "dirigio los ejercicios de golpe con fuegos"
    ("kcna-2011-03158", "field_guidance", None),  # "..., dirigio sobre terreno la Fabrica"
    ("kcna-2011-06305", "correspondence_sent", "2011-08-17"),  # "envio el dia 17 un mensaje de repuesta"
    ("kcna-2011-00910", "correspondence_received", None),  # "El vicepresidente ..., Kim Jong Un, recibio"
    ("kcna-2011-06574", "meeting", None),
    ("kcna-2011-11685", "performance", None),
    ("kcna-2012-03871", "speech", None),
    ("kcna-2012-03943", "photo_session", None),  # "tomo una fotografia de recuerdo con"
    ("kcna-2012-04737", "visit", None),  # "recorrio el Parque de Atracciones"
]


@pytest.fixture(scope="module")
def spanish_docs() -> dict[str, Any]:
    stories = _stories({sid for sid, _, _ in CASES})
    pipeline, extractor = prepare()
    return {sid: extractor(pipeline(story_document(story))) for sid, story in stories.items()}


@pytest.mark.parametrize(("story_id", "label", "day"), CASES)
def test_spanish_stories_yield_the_headlines_activity(
    spanish_docs: dict[str, Any], story_id: str, label: str, day: str | None
) -> None:
    reserved = reserved_ids(SHARED)
    assert split_of(story_id, reserved) == "train" and story_id not in _tests_data_ids()
    doc = spanish_docs[story_id]
    assert headline_label(doc.title, "es") == label
    assert predicted_label(doc) == label
    if day is not None:
        first = next(a for a in doc.spans("event") if a.producer == "activities")
        assert first.attrs["date"] == day


def test_spanish_day_of_month() -> None:
    normalizer = DateNormalizer(DateNormalizer.Options(relative=True))
    published = datetime.date(2011, 8, 18)
    (found,) = normalizer.find("envio el dia 17 un mensaje", [], published)
    assert found.attrs["value"] == "2011-08-17"
    (last_month,) = normalizer.find("el día 30 llegó", [], published)
    assert last_month.attrs["value"] == "2011-07-30"
    # "el dia 15 de abril" is the full date, read as one.
    (full,) = normalizer.find("el dia 15 de abril", [], published)
    assert full.attrs["value"] == "2011-04-15"


# Spanish targets and lists (issue 14, 2026-12-03): synthetic sentences in KCNA's Spanish wording.
@pytest.mark.parametrize(
    ("rest", "target"),
    [
        (" el 4 de marzo una funcion del Conjunto Artistico Mansudae.", "una funcion del Conjunto Artistico Mansudae"),
        (" el dia 25 el Palacio del Sol de Kumsusan y rindio homenaje postumo.", "el Palacio del Sol de Kumsusan"),
        (" la Fabrica de Tejidos de Pyongyang el lunes.", "la Fabrica de Tejidos de Pyongyang"),
        (" por la manana la Granja Fruticola de Kosan.", "la Granja Fruticola de Kosan"),
        (" la Granja Fruticola de Kosan por la manana.", "la Granja Fruticola de Kosan"),
        (" la unidad 4302 del EPC el dia 17.", "la unidad 4302 del EPC"),
        (
            " junto con los cuadros directivos del partido, el Estado y el ejercito"
            " el concierto de la Orquesta Unhasu.",
            "el concierto de la Orquesta Unhasu",
        ),
        (" con su esposa Ri Sol Ju el Parque Folclorico de Pyongyang.", "el Parque Folclorico de Pyongyang"),
        (
            " la Escuela Primaria de Changjon, la Casa Cuna de Kyongsang y el Jardin de Infancia.",
            "la Escuela Primaria de Changjon, la Casa Cuna de Kyongsang y el Jardin de Infancia",
        ),
        (" la fabrica para conocer su produccion.", "la fabrica"),
    ],
)
def test_spanish_target_cuts(rest: str, target: str) -> None:
    from statemedia.extract.activity_attributes import read_target
    from statemedia.extract.activity_rules import load_rules

    text = "El Dirigente Kim Jong Il visito" + rest
    start = text.index(" visito") + len(" visito")
    assert read_target(load_rules(), text, start, len(text)) == target


def test_english_target_cuts_unchanged() -> None:
    from statemedia.extract.activity_attributes import read_target
    from statemedia.extract.activity_rules import load_rules

    for text, target in [
        ("He inspected the KPA Unit 1973 on Monday.", "the KPA Unit 1973"),
        (
            "He appreciated together with his wife Ri Sol Ju the performance of the Moranbong Band.",
            "the performance of the Moranbong Band",
        ),
        ("He visited the Complex, the Factory and the Farm.", "the Complex, the Factory and the Farm"),
        ("He visited the Complex, where he learned about production.", "the Complex"),
    ]:
        start = text.index("He ") + len(text.split()[0]) + len(text.split()[1]) + 1
        assert read_target(load_rules(), text, start, len(text)) == target


@pytest.mark.parametrize(
    ("sentence", "role", "names"),
    [
        ("Estuvieron presentes Choe Yong Rim y Jang Song Thaek.", "present", ["Choe Yong Rim", "Jang Song Thaek"]),
        ("Se encontraban presentes Choe Yong Rim y Jang Song Thaek.", "present", ["Choe Yong Rim", "Jang Song Thaek"]),
        ("Participaron en la ocasion Choe Ryong Hae y Ri Myong Su.", "present", ["Choe Ryong Hae", "Ri Myong Su"]),
        ("Vieron tambien la funcion Kim Ki Nam y Pak To Chun.", "present", ["Kim Ki Nam", "Pak To Chun"]),
        (
            "La disfrutaron tambien Kim Ki Nam, Jang Song Thaek y Pak To Chun.",
            "present",
            ["Kim Ki Nam", "Jang Song Thaek", "Pak To Chun"],
        ),
        (
            "El Dirigente fue acogido en el terreno por Kim Ki Nam y Pak To Chun.",
            "hosts",
            ["Kim Ki Nam", "Pak To Chun"],
        ),
        ("Fue acogido en el terreno por Kim Ki Nam y Pak To Chun.", "hosts", ["Kim Ki Nam", "Pak To Chun"]),
        ("Le acogieron en el lugar Kim Ki Nam y Pak To Chun.", "hosts", ["Kim Ki Nam", "Pak To Chun"]),
        ("El Dirigente fue despedido por Kim Ki Nam y Pak To Chun.", "hosts", ["Kim Ki Nam", "Pak To Chun"]),
    ],
)
def test_spanish_list_formulas(sentence: str, role: str, names: list[str]) -> None:
    from statemedia.extract.entourage import load_gazetteer, scan_sentence

    found = [f for f in scan_sentence(sentence, 0, len(sentence), gazetteer=load_gazetteer()) if f.skipped is None]
    assert [f.formula.role for f in found] == [role]
    assert [m.name for m in found[0].members] == names
