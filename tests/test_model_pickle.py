"""Documents travel between processes (ingest reader, analysis workers) by pickle: a real
story comes back equal, annotations and source included, and its text stays immutable."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import kcna_sample
from statemedia.capture import capture_record
from statemedia.registry import build_pipeline


def test_analysed_story_survives_pickling(shared: Path) -> None:
    record = kcna_sample(1, language="en")[0]
    doc = build_pipeline(names=["numbers", "juche", "dates", "acronyms"])(capture_record(record, location=record["id"]))
    assert doc.annotations and doc.source is not None
    back = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == doc and back is not doc
    assert back.source == doc.source and back.annotations == doc.annotations and back.meta == doc.meta
    with pytest.raises(AttributeError, match="E002"):
        back.text = "rewritten"
