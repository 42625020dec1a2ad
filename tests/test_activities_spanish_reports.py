"""Spanish leader reports that go on after the lead (issue 14, 2026-12-03, the second Spanish dev set).

Spanish drops the pronoun ("Luego, recorrio ...", "Estuvo primero en ...") or names him by a title
alone ("Acto seguido, el Comandante Supremo inspecciono ..."): these sentences are candidates of the
leader who last opened a sentence, as English "He ..." ones are. Synthetic text in KCNA's Spanish
wording (no corpus story is copied); docs/activities.md has the figures.
"""

from __future__ import annotations

import datetime

import pytest

from conftest import leader_activities
from statemedia.extract.activity_attributes import read_target
from statemedia.extract.activity_candidates import continues_report
from statemedia.extract.activity_rules import load_rules

LEAD = (
    "El Dirigente Kim Jong Il, Secretario General del Partido del Trabajo de Corea, dirigio sobre el terreno "
    "fabricas de la ciudad de Kanggye.\n"
)
TOUR = (
    LEAD + "Estuvo primero en el Combinado de Tractores de Kanggye.\n"
    "Recorrio varios talleres de la fabrica.\n"
    "Seguidamente recorrio el comedor y el almacen de la fabrica.\n"
    "Luego, el Dirigente se dirigio a la Fabrica de Medicamentos Coryo de Kanggye.\n"
    "Le acompanaron Kim Jong Un y Jang Song Thaek.\n"
)


def test_stops_of_a_tour_in_pronoun_dropped_sentences() -> None:
    """The lead names the tour; each stop after it ("Estuvo primero en", "Luego, el Dirigente se
    dirigio a") is an activity of the tour's kind, the lead that only sums them up is none; parts of
    a site ("Recorrio varios talleres", "Seguidamente recorrio el comedor") are the same stop; the
    outing's "Le acompanaron" list goes to every stop."""
    events = leader_activities(TOUR, datetime.date(2011, 4, 8))
    got = [(e["kind"], e["target"], [m["name"] for m in e["entourage"]]) for e in events]
    assert got == [
        ("field_guidance", "el Combinado de Tractores de Kanggye", ["Kim Jong Un", "Jang Song Thaek"]),
        ("field_guidance", "la Fabrica de Medicamentos Coryo de Kanggye", ["Kim Jong Un", "Jang Song Thaek"]),
    ]
    assert all(e["actor"] == "Kim Jong Il" for e in events)


def test_without_a_first_stop_the_lead_stays() -> None:
    text = LEAD + "Recorrio varios talleres de la fabrica.\nLe acompanaron Kim Jong Un y Jang Song Thaek.\n"
    (event,) = leader_activities(text, datetime.date(2011, 4, 8))
    assert event["target"] == "fabricas de la ciudad de Kanggye"
    assert [m["name"] for m in event["entourage"]] == ["Kim Jong Un", "Jang Song Thaek"]


def test_also_and_later_photo_sessions_and_performances() -> None:
    text = (
        "El Mariscal Kim Jong Un, Primer Secretario del Partido del Trabajo de Corea, inspecciono la unidad "
        "4302 del EPC.\n"
        "Tomo una foto de recuerdo con los oficiales y soldados.\n"
        "Escuchando explicaciones sobre el monumento, se fotografio junto con los comandantes de la unidad.\n"
        "En el lugar de descanso, presencio la funcion artistica de las militares de la compania.\n"
        "Tambien tomo fotografia junto a los innovadores laborales.\n"
    )
    events = leader_activities(text, datetime.date(2012, 8, 24))
    kinds = [e["kind"] for e in events]
    # The second photo session, with other people, is the same kind right after the first: it merges;
    # "Tambien" makes the last one another session.
    assert kinds == ["inspection", "photo_session", "performance", "photo_session"]
    assert events[2]["target"] == "la funcion artistica de las militares de la compania"


def test_the_leader_not_the_last_person_named() -> None:
    """His wife opening a sentence between does not make "Por ultimo, el estuvo en ..." hers."""
    text = (
        "El Mariscal Kim Jong Un visito con su esposa Ri Sol Ju a las familias de los trabajadores de la "
        "avenida Changjon.\n"
        "Luego, Kim Jong Un visito la familia de Pak Sung Il.\n"
        "Ri Sol Ju regalo los platos cocinados personalmente.\n"
        "Por ultimo, el estuvo en la familia de la Heroina del Trabajo Mun Kang Sun.\n"
    )
    events = leader_activities(text, datetime.date(2012, 9, 5))
    assert [e["target"] for e in events] == [
        "las familias de los trabajadores de la avenida Changjon",
        "la familia de Pak Sung Il",
        "la familia de la Heroina del Trabajo Mun Kang Sun",
    ]
    assert {e["actor"] for e in events} == {"Kim Jong Un"}


def test_a_title_names_only_its_leader() -> None:
    """In 2012 "el Dirigente" alone is the late Kim Jong Il: no activity of Kim Jong Un."""
    text = (
        "El Mariscal Kim Jong Un inspecciono la unidad 894 del EPC.\n"
        "Acto seguido, el Dirigente visito la Fabrica de Maquinas de Huichon.\n"
    )
    events = leader_activities(text, datetime.date(2012, 8, 28))
    assert [e["target"] for e in events] == ["la unidad 894 del EPC"]


@pytest.mark.parametrize(
    ("sentence", "continues"),
    [
        ("Luego, recorrio el Complejo de Piscinas Kangsongwon.", True),
        ("Primeramente, el Comandante Supremo estuvo en la unidad 894 del EPC.", True),
        ("A continuacion, estuvo en la unidad de defensa de la isla Mu.", True),
        ("Terminada la funcion, el Dirigente se reunio con los directivos de la banda.", True),
        ("Expresando la esperanza de que ellos defenderan la patria, les dejo como recuerdo binoculos.", True),
        ("Dijo que la fabrica debe modernizarse.", False),
        ("El texto sigue.", False),
        ("Pasando revista a las salas, expreso su satisfaccion.", False),
        ("He visited the factory.", False),
    ],
)
def test_which_sentences_go_on_with_the_report(sentence: str, continues: bool) -> None:
    assert continues_report(sentence, 0, len(sentence)) is continues


@pytest.mark.parametrize(
    ("verb", "rest", "target"),
    [
        # A place set off before the performance, and a companion before a personal "a".
        (
            " vio",
            " en el Teatro de Arte Ponghwa, recien reconstruido, la funcion de apertura del Conjunto Artistico.",
            "la funcion de apertura del Conjunto Artistico",
        ),
        (" visito", " con su esposa Ri Sol Ju a las familias de los trabajadores.", "las familias de los trabajadores"),
        # A gerund or a relative clause ends the target.
        (
            " se retrato con",
            " los participantes en dicho foro evaluando altamente sus meritos.",
            "los participantes en dicho foro",
        ),
        (" estuvo en", " el punto donde se habian sentado el Presidente y el Dirigente.", "el punto"),
        # "el puesto de mando" is no gerund.
        (
            " inspecciono",
            " el puesto de mando avanzado de la unidad 688 del EPC.",
            "el puesto de mando avanzado de la unidad 688 del EPC",
        ),
    ],
)
def test_spanish_target_starts_and_cuts(verb: str, rest: str, target: str) -> None:
    text = "El Dirigente Kim Jong Il" + verb + rest
    start = text.index(verb) + len(verb)
    assert read_target(load_rules(), text, start, len(text)) == target


@pytest.mark.parametrize(
    ("sentence", "target", "item"),
    [
        (
            "envio un mensaje de agradecimiento especial a los creadores de la Casa de Creacion Mansudae.",
            "los creadores de la Casa de Creacion Mansudae",
            "message",
        ),
        (
            "envio el dia 23 una ofrenda floral ante el feretro del difunto Pak Jong Sun.",
            "el feretro del difunto Pak Jong Sun",
            None,
        ),
    ],
)
def test_spanish_mail_target_follows_the_item(sentence: str, target: str, item: str | None) -> None:
    text = "El Mariscal Kim Jong Un " + sentence
    (event,) = leader_activities(text, datetime.date(2012, 3, 6))
    assert event["kind"] == "correspondence" and event["direction"] == "sent"
    assert event["target"] == target


def test_a_glossed_day_and_the_eve() -> None:
    """ "Dia Internacional de la Mujer (8 de marzo)" glosses the named day: the activity's is "el dia 7";
    "la vispera" is the day before publication; an English "(Aug. 25)" after an event is its day."""
    text = (
        "Con motivo del Dia Internacional de la Mujer (8 de marzo), el Dirigente Kim Jong Il presencio el dia 7 "
        "la funcion conjunta de la Banda Samjiyon."
    )
    (event,) = leader_activities(text, datetime.date(2011, 3, 8))
    assert event["date"] == "2011-03-07"
    glossed = "Con motivo del Dia del Sol (15 de abril), el Dirigente Kim Jong Il presencio la funcion del grupo."
    (event,) = leader_activities(glossed, datetime.date(2011, 4, 16))
    assert event["date"] == "2011-04-16"
    eve = "El Mariscal Kim Jong Un envio la vispera un mensaje de condolencias a Norodom Sihamoni, Rey de Cambodia."
    (event,) = leader_activities(eve, datetime.date(2012, 10, 16))
    assert event["date"] == "2012-10-15"
