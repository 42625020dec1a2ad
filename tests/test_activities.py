"""Leader activities from real KCNA stories: must-include / must-exclude, and the dev-set scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import KCNA, MODERN
from statemedia.analytics.activities import activities, activity_pipeline
from statemedia.extract.activities import KINDS
from statemedia.pipeline import Pipeline
from statemedia.training.evaluate_activities import evaluate, read_stories

DEV = Path(__file__).parent / "data" / "activities_dev.jsonl"

# (story, expected kind, actor, words the target must contain, entourage names in order: a prefix)
INCLUDE = [
    ("kcna-2011-00528", "field_guidance", "Kim Jong Il", "Kwangbok Area Supermarket", ["Kim Jong Un", "Kim Kyong Hui"]),
    ("kcna-2011-00447", "military_drill", "Kim Jong Il", "firing drill", ["Kim Jong Un", "Ri Yong Ho"]),
    ("kcna-2011-06365", "visit", "Kim Jong Il", "Khasan", ["Kim Yong Chun", "Kang Sok Ju", "Jang Song Thaek"]),
    ("kcna-2012-02152", "inspection", "Kim Jong Un", "Strategic Rocket Force Command", ["Ri Yong Ho", "Pak Jae Gyong"]),
    ("kcna-2012-04708", "photo_session", "Kim Jong Un", "participants", ["Choe Yong Rim", "Kim Jong Gak"]),
    # "Present there were Kang Sok Ju, Kim Yang Gon ...": those present, no longer the entourage (issue 14).
    ("kcna-2012-07311", "meeting", "Kim Jong Un", "delegation", []),
    ("kcna-2012-04124", "correspondence", "Kim Jong Un", "Hu Jintao", []),
    ("kcna-2012-09084", "party_meeting", "Kim Jong Un", "session", []),
    ("kcna-2012-03814", "speech", "Kim Jong Un", "military parade", []),
    ("kcna-2012-10298", "performance", "Kim Jong Un", "shooting contest", ["Ri Sol Ju"]),
]
# Praise, messages he received, history, other people's visits, foreign media relaying an earlier
# activity days later ("The news that ... enjoyed ... was reported by Chinese Xinhua"): no activity.
# (kcna-2012-00593 and kcna-2011-03426, messages he received, are logged since issue 14 with direction "received".)
EXCLUDE = ["kcna-2012-06064", "kcna-2011-01629", "kcna-2011-05127",
           "kcna-2012-00218", "kcna-2012-00221", "kcna-2012-08990", "kcna-2012-09135"]


# Tours of several sites: the later sites in text order ("The next leg of his guidance was ...",
# "He also visited ..."); sites already named in the lead's target are not repeated.
STOPS = [
    ("kcna-2011-03516", ["the February 8 Vinalon Complex", "the Hungnam Fertilizer Complex"]),
    ("kcna-2011-04091", ["the Kanggye General Tractor Plant", "the Jangjagang Machine Tool Factory"]),
    ("kcna-2011-09431", ["the Pyongyang Textile Mill", "the Rakrang Ponghwa Garment Factory"]),
    ("kcna-2011-03478", []),  # "the Taehung Youth Hero Mine and the Ryongyang Mine" are the target
    ("kcna-2011-00528", []),
]


@pytest.fixture(scope="module")
def light() -> Pipeline:
    return activity_pipeline()


@pytest.fixture(scope="module")
def stories(shared: Path, light: Pipeline) -> dict[str, Any]:
    ids = [row[0] for row in INCLUDE] + EXCLUDE
    return {doc.id: list(activities([light(doc)])) for doc in read_stories(ids, KCNA)}


@pytest.mark.parametrize(("story", "kind", "actor", "target", "entourage"), INCLUDE)
def test_activity_found(
    stories: dict[str, Any], story: str, kind: str, actor: str, target: str, entourage: list[str]
) -> None:
    act = stories[story][0]  # the story's first activity; issue 14 logs every one
    assert act.kind == kind and act.actor == actor
    assert target in (act.target or "")
    assert act.entourage_names[: len(entourage)] == entourage
    assert act.kind in KINDS


@pytest.mark.parametrize("story", EXCLUDE)
def test_no_activity(stories: dict[str, Any], story: str) -> None:
    assert stories[story] == []


def test_entourage_titles_and_unlinked_names(stories: dict[str, Any]) -> None:
    act = stories["kcna-2012-02152"][0]
    first = act.entourage[0]
    assert first["name"] == "Ri Yong Ho" and "KPA Vice Marshal" in first["titles"]
    assert "chief of the General Staff of the KPA" in first["titles"]
    act = stories["kcna-2012-04708"][0]
    unlinked = [m for m in act.entourage if not m["linked"]]
    assert all(m["id"].startswith("person:") for m in unlinked)


def test_relative_day_and_headline_unused(stories: dict[str, Any]) -> None:
    act = stories["kcna-2012-04124"][0]  # "Monday sent a message"
    assert act.day is not None and act.day.isoformat() == "2012-04-23"


def test_modern_wording(shared: Path, light: Pipeline) -> None:
    import json

    from statemedia.capture.records import capture_record

    records = {r["id"]: r for r in map(json.loads, MODERN.read_text(encoding="utf-8").splitlines())}
    found = {}
    for rid in ("modern-001", "modern-003", "modern-010", "modern-011", "modern-022"):
        found[rid] = list(activities([light(capture_record(records[rid], location=rid))]))
    assert found["modern-001"][0].kind == "field_guidance" and found["modern-001"][0].place == "Samjiyon County"
    assert found["modern-003"][0].kind == "performance"
    assert found["modern-003"][0].day is not None and found["modern-003"][0].day.isoformat() == "2014-03-22"
    assert found["modern-010"] == [] and found["modern-022"] == []  # deeds of 2012 and 2015 retold
    # "..., on Jan. 25 appreciated together with his wife Ri Sol Ju the performance": a dated predicate
    # after the apposition (a known miss until the eighth round, docs/activities.md).
    assert found["modern-011"][0].kind == "performance"


def test_dev_set_targets(shared: Path) -> None:
    scores = evaluate(DEV, KCNA).as_dict()
    assert scores["gold"] >= 40
    # Since issue 14 the dev set's conventions differ from the extractor's: "Present there were" lists
    # are those present, not the entourage, and received messages are logged (dev: no activity).
    # Measured figures: docs/activities.md, "Dev set" (48 of its 56 stories are reserved ids, so the
    # model never trained on them and their errors are not read). Since the second labelling round the
    # model finds more activities an outing (recall and kind rose, precision fell here while the blind
    # sets' held): the floor sits below that run.
    assert scores["kind_accuracy"] >= 0.88
    assert scores["entourage_f1"] >= 0.85
    assert scores["entourage_order_exact"] >= 0.65
    assert scores["detection_precision"] >= 0.65 and scores["detection_recall"] >= 0.88


@pytest.mark.parametrize(("story", "first_stops"), STOPS)
def test_later_sites_of_a_tour(shared: Path, light: Pipeline, story: str, first_stops: list[str]) -> None:
    (doc,) = read_stories([story], KCNA)
    act = next(iter(activities([light(doc)])))
    assert list(act.stops[: len(first_stops)]) == first_stops
    if not first_stops:
        assert act.stops == ()
    assert all(stop not in (act.target or "") for stop in act.stops)
