"""Each claim's summary as the write path keeps it (``claim_groups``, store/layers.py KEPT) is the
one computed from its statements, on both stores, after ingest, re-analysis and a new version of a
story; a page of the whole corpus reads it by key instead of aggregating the statements."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from statemedia.analytics.claims import claim, claims
from statemedia.model import Annotation, Document
from statemedia.store import Store
from store_fixtures import STORES, make_store
from test_claims import HAND, _cement, _story
from test_claims_bound import KEY, START, WEEKLY, Counting

EVER = date(1, 1, 1)  # a window from the first day there is: computed from every statement


def _put(store: Store, docs: list[Document], version: str = "test") -> None:
    with store.transaction() as w:
        for doc in docs:
            w.put(doc, pipeline_version=version)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = make_store(request.param, tmp_path)
    _put(s, [*HAND, *WEEKLY])
    yield s
    s.close()


def _same(store: Store) -> dict[str, Any]:
    """The claims of the whole corpus, kept, equal those computed from the statements, summaries and all."""
    for kw in [{"limit": 100}, {"sort": "latest", "limit": 100}, {"status": "revised"}, {"offset": 2, "limit": 3}]:
        kept = claims(store, statements=None, **kw).to_dict()
        computed = claims(store, statements=None, date_from=EVER, **kw).to_dict()
        assert kept == computed, kw
    one, window = claim(store, KEY), claim(store, KEY, date_from=EVER)
    assert one is not None and window is not None and one.to_dict() == window.to_dict()
    return claims(store, statements=None, limit=100).to_dict()


def _with_value(doc: Document, value: int, text: str | None = None) -> Document:
    return Document(doc.id, text or doc.text, title=doc.title, outlet=doc.outlet, url=doc.url,
                    published=doc.published, annotations=[
                        a if a.label != "quantity" else Annotation(a.start, a.end, a.label, {**a.attrs, "value": value},
                                                                   a.producer) for a in doc.annotations])  # fmt: skip


def test_kept_summaries_equal_the_computed(store: Store) -> None:
    first = _same(store)
    cement = next(c for c in first["items"] if c["key"] == KEY)
    assert cement["change"] is not None and cement["statement_count"] == 4 + len(WEEKLY)
    # Re-analysis: the same text, another value (every story of that text: texts are kept once).
    _put(store, [_with_value(WEEKLY[-1], 800_000)], version="test-2")
    reanalysed = _same(store)
    cement = next(c for c in reanalysed["items"] if c["key"] == KEY)
    assert cement["max"] == 800_000 and 650_000 not in cement["values"]
    # A new version of a story (another text) and a new story: both judged and summarised again.
    week = WEEKLY[3]
    _put(store, [_with_value(week, 900_000, week.text.replace("500,000", "900,000")),
                 _story("late", START + timedelta(weeks=60), _cement(650_000))])  # fmt: skip
    versioned = _same(store)
    cement = next(c for c in versioned["items"] if c["key"] == KEY)
    assert 900_000 in cement["values"] and cement["last"] == START + timedelta(weeks=60)
    assert versioned != reanalysed != first


def test_a_page_of_the_corpus_reads_the_kept_summaries(store: Store) -> None:
    counting = Counting(store)
    found = claims(counting, limit=100)  # type: ignore[arg-type]
    assert found.items and not [r for r in counting.reads if "sum(DISTINCT value" in r[0]]
    counting.reads.clear()
    claims(counting, limit=100, date_from=START)  # type: ignore[arg-type]
    assert [r for r in counting.reads if "sum(DISTINCT value" in r[0]]


def test_sqlite_and_postgresql_keep_the_same(tmp_path: Path) -> None:
    kept = {}
    for kind in STORES:
        s = make_store(kind, tmp_path / kind if kind == "sqlite" else tmp_path)
        try:
            _put(s, [*HAND, *WEEKLY])
            kept[kind] = json.dumps(claims(s, limit=100).to_dict(), default=str, sort_keys=True)
        finally:
            s.close()
    assert kept["sqlite"] == kept["postgresql"]
