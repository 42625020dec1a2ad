"""The Ray engine on a local Ray instance gives the same annotations as the local engine.

2,100 KCNA stories are re-analysed by both engines with the normalisers and the
activity extractor (no spaCy: the full pipeline runs ~15-20 stories/s on the 2 CI
cores, too slow for 2,000 in a unit test); ~100 stories are then ingested by both with
the full pipeline (spaCy, entities, events, quantities). Every stored document must carry
identical annotations. Speed is measured in bench/engines.py, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import kcna_sample
from statemedia.config import Config, load_config
from statemedia.ingest import ingest, pipeline_version, reanalyze
from statemedia.model import Annotation
from statemedia.store import Store
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import write_jsonl_gz

ray = pytest.importorskip("ray")

LIGHT = ["numbers", "juche", "dates", "acronyms", "activities"]
MANY = kcna_sample(2100, step=10)
FULL = kcna_sample(100, language="en", step=211)


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield
    ray.shutdown()


def _light() -> Config:
    config = load_config()
    config["pipeline"]["components"] = LIGHT
    return config


def _annotations(store: Store) -> dict[str, list[Annotation]]:
    return {doc.id: doc.annotations for doc in store.documents(annotations=True)}


def test_reanalyze_2000_stories_same_as_local(tmp_path: Path) -> None:
    data = write_jsonl_gz(tmp_path / "kcna.jsonl.gz", MANY)
    config = _light()
    results = {}
    for engine in ("ray", "local"):
        store = SQLiteStore(tmp_path / f"{engine}.db")
        ingest(store, [data], analyze=False)
        summary = reanalyze(store, config=config, n_process=2, engine=engine)
        assert summary.analysed == store.counts()["texts"] >= 2000 and summary.rejected == 0
        assert reanalyze(store, config=config, engine=engine).analysed == 0  # nothing stale any more
        results[engine] = _annotations(store)
        store.close()
    assert len(results["ray"]) == len(MANY)
    assert results["ray"] == results["local"]
    labels = {a.label for anns in results["ray"].values() for a in anns}
    assert {"number", "date", "acronym", "event"} <= labels


def test_full_pipeline_ingest_same_as_local(tmp_path: Path) -> None:
    data = write_jsonl_gz(tmp_path / "kcna.jsonl.gz", FULL)
    results = {}
    for engine in ("ray", "local"):
        store = SQLiteStore(tmp_path / f"{engine}.db")
        summary = ingest(store, [data], n_process=2 if engine == "ray" else 1, engine=engine)
        assert summary.new == len(FULL) and summary.rejected == 0 and summary.analysed >= len(FULL) - 2
        doc = store.get(FULL[0]["id"])
        assert doc is not None and store.analysed_version(doc.content_hash) == pipeline_version()
        results[engine] = _annotations(store)
        store.close()
    assert results["ray"] == results["local"]
    labels = {a.label for anns in results["ray"].values() for a in anns}
    assert {"sentence", "ner", "entity", "quantity", "event"} <= labels


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    from statemedia.errors import StatemediaError

    store = SQLiteStore(tmp_path / "x.db")
    with pytest.raises(StatemediaError, match="unknown engine"):
        ingest(store, [write_jsonl_gz(tmp_path / "a.jsonl.gz", FULL[:2])], engine="spark")
