"""Dated events leave out a current leader's deeds recalled from long before publication
(extract/events.py): read as his activities, they contradicted stories that only recall or
praise (issue 14). Other actors' dated deeds stay, and so do a leader's outside his span."""

from __future__ import annotations

import datetime

import statemedia
from statemedia.config import load_config
from statemedia.registry import build_pipeline

# The shape of KCNA's anniversary reports (2024): a speaker recalls the leader's visit of 2014.
RECALLED = (
    "Pyongyang, August 6 (KCNA) -- A meeting took place on Monday to mark the tenth anniversary of the "
    "field guidance over the Pyongyang Hosiery Factory. The reporter said that Kim Jong Un visited the factory "
    "in August Juche 103 (2014) and indicated the orientation for putting production on a normal footing. "
    "Kim Il Sung visited the factory in August 1958 and gave instructions to its workers."
)
PUBLISHED = datetime.date(2024, 8, 6)


def _actors(doc: statemedia.Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ann in doc.spans("event"):
        out.setdefault(str(ann.attrs.get("actor")), []).append(ann.producer)
    return out


def test_a_current_leaders_recalled_deed_is_no_event() -> None:
    doc = statemedia.analyze_text(RECALLED, published=PUBLISHED)
    actors = _actors(doc)
    assert "Kim Jong Un" not in actors  # neither an activity (history) nor a dated event
    assert actors.get("Kim Il Sung") == ["events"]  # not active in 2024: his deed is a dated event
    # The JSON result says which list an entry belongs to (the activity log or dated events).
    listed = statemedia.to_json(doc)["events"]
    assert [(e["actor"], e["source"]) for e in listed] == [("Kim Il Sung", "events")]


def test_the_window_is_an_option() -> None:
    """With a window reaching back to 2014, the same deed is a dated event again."""
    config = load_config()
    config = {**config, "events": {**config["events"], "leader_recent_days": 20 * 365}}
    pipeline = build_pipeline(config)
    doc = statemedia.analyze_text(RECALLED, published=PUBLISHED, config=config, pipeline=pipeline)
    assert _actors(doc).get("Kim Jong Un") == ["events"]
    # Published with no date, nothing is "long before": the deed stays an event.
    undated = statemedia.analyze_text(RECALLED, published=None)
    assert _actors(undated)["Kim Jong Un"] == ["events"]
