"""The seed article end to end: the first acceptance case of issue 2."""

from __future__ import annotations

import pytest

from conftest import SEED
from statemedia.analysis import analyze_path
from statemedia.model import Document
from statemedia.report import to_json, validate


@pytest.fixture(scope="module")
def seed() -> dict:  # type: ignore[type-arg]
    if not SEED.exists():
        pytest.skip("seed article not present")
    (doc,) = list(analyze_path(SEED))
    assert isinstance(doc, Document)
    result = to_json(doc)
    validate(result)
    return result


def test_title_and_clean_text(seed: dict) -> None:  # type: ignore[type-arg]
    assert seed["document"]["title"] == "Kim Il Sung’s Distinguished Leadership Ability Displayed in War"
    text = seed["document"]["text"]
    assert "Skip links" not in text
    assert "cookies" not in text and "🍪" not in text
    assert text.startswith("President Kim Il Sung strengthened")
    assert text.rstrip().endswith("fight for victory in the war.")


@pytest.mark.parametrize(
    ("date", "precision", "must_include"),
    [
        ("1950-10-21", "day", "forming WPK organizations in the Korean People’s Army"),
        ("1951-10-01", "day", "Organizing Commission"),
        ("1952-02", "month", "The Tasks and Role of the Local Organs of Power at the Present Stage"),
    ],
)
def test_dated_events(seed: dict, date: str, precision: str, must_include: str) -> None:  # type: ignore[type-arg]
    matches = [e for e in seed["events"] if e["date"] == date]
    assert matches, f"no event dated {date}: {[(e['date'], e['summary']) for e in seed['events']]}"
    event = matches[0]
    assert event["actor"] == "Kim Il Sung"
    assert event["date_precision"] == precision
    assert must_include in event["summary"]
    evidence = seed["document"]["text"][event["evidence"]["start"] : event["evidence"]["end"]]
    assert must_include in evidence


def test_speech_event_kind_and_target(seed: dict) -> None:  # type: ignore[type-arg]
    (speech,) = [e for e in seed["events"] if e["date"] == "1952-02"]
    assert speech["kind"] == "speech"
    assert speech["target"] == "The Tasks and Role of the Local Organs of Power at the Present Stage"


def test_field_guidance_claims(seed: dict) -> None:  # type: ignore[type-arg]
    by_value = {q["value"]: q for q in seed["quantities"]}
    units = by_value[1056]
    assert units["unit"] == "units"
    assert "field guidance" in units["counted"]
    assert units["qualifier"] is None and units["lower"] == units["upper"] == 1056
    distance = by_value[20500]
    assert distance["unit"] == "km"
    assert distance["qualifier"] == "more than"
    assert distance["lower"] == 20500 and distance["upper"] is None


def test_height_is_a_place_not_a_claim(seed: dict) -> None:  # type: ignore[type-arg]
    assert 1211 not in {q["value"] for q in seed["quantities"]}
    assert {1, 211, 56, 500, 20} & {q["value"] for q in seed["quantities"]} == set()
    places = [e for e in seed["entities"] if e["type"] == "PLACE"]
    assert [p["id"] for p in places] == ["place:height-1211"]


def test_acronyms_linked(seed: dict) -> None:  # type: ignore[type-arg]
    ids = {e["id"]: e for e in seed["entities"]}
    assert ids["org:workers-party-of-korea"]["name"] == "Workers' Party of Korea"
    assert ids["org:korean-peoples-army"]["name"] == "Korean People's Army"
    text = seed["document"]["text"]
    wpk_mentions = {text[s:e] for s, e in ids["org:workers-party-of-korea"]["mentions"]}
    assert "WPK" in wpk_mentions


def test_leader_references_resolved(seed: dict) -> None:  # type: ignore[type-arg]
    text = seed["document"]["text"]
    kis = next(e for e in seed["entities"] if e["id"] == "person:kim-il-sung")
    surfaces = {text[s:e] for s, e in kis["mentions"]}
    assert {"Kim Il Sung", "He", "he", "the President"} <= surfaces
    # "the commander" is someone else: never resolved to the leader.
    assert "commander" not in " ".join(surfaces)
