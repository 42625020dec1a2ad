"""The quotation and claim tables (migration 005, store/layers.py) behind /api/quotations and the
claims: kept by the write path and replaced on re-analysis, filled for a store made before them,
copied between stores, and read with SQL that answers as the Python filters over the documents do
(case folding beyond ASCII, LIKE's wildcards taken literally)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from statemedia.analytics import quotations as quotes
from statemedia.analytics.claims import STATUSES, claims
from statemedia.model import Annotation, Document
from statemedia.store import Store
from statemedia.store.layers import TABLES
from statemedia.store.migrate import migrate
from statemedia.store.postgres import PostgresStore
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import STORES, make_store
from test_claims import HAND

KIM = {"speaker": "Kim Jong Un", "speaker_id": "person:kim-jong-un", "speaker_name": "Kim Jong Un"}
JOSE = {"speaker": "JOSÉ MARTÍ"}


def _quoted(doc_id: str, day: date | None, *said: tuple[str, str, dict[str, Any]]) -> Document:
    """A story of ``(before, quotation, attrs)`` sentences, each quotation a ``quote`` annotation."""
    text, annotations = "", []
    for before, words, attrs in said:
        start = len(text) + len(before) + 1
        text += f'{before}"{words}". '
        annotations.append(Annotation(start, start + len(words), "quote", {"verb": "said", **attrs}, "quotations"))
    return Document(doc_id, text, title=f"Story {doc_id}", outlet="KCNA", url=f"http://kcna.kp/{doc_id}",
                    published=day, annotations=annotations)  # fmt: skip


QUOTED = [
    _quoted("q1", date(2012, 1, 1), ("Kim Jong Un said ", "we shall win", {"kind": "direct", **KIM}),
            ("The paper is ", "Rodong Sinmun", {"kind": "title"})),
    _quoted("q2", date(2012, 1, 2), ("He said that ", "100% of ÉLÈVES_ came", {"kind": "indirect", "speaker": "He"}),
            ("Kim Jong Un noted ", "Die STRASSE ist frei", {"kind": "indirect", **KIM})),
    _quoted("q3", date(2012, 2, 1), ("José Martí wrote ", "Patria es humanidad", {"kind": "quoted", **JOSE}),
            ("He added ", "a scare", {"kind": "scare"}), ("Kim Jong Un stressed ", "unity", {"kind": "direct", **KIM})),
    _quoted("q4", date(2012, 3, 1), ("josé martí wrote ", "more words", {"kind": "direct", "speaker": "josé martí"})),
    _quoted("q5", None, ("The undated ", "Minju Joson", {"kind": "title"})),
]  # fmt: skip
FILTERS: list[dict[str, Any]] = [
    {}, {"kinds": ["title", "scare"]}, {"kinds": [*quotes.SPEECH, "title", "scare"]},
    {"speaker": "kim"}, {"speaker": "PERSON:KIM-JONG-UN"}, {"speaker": "josé"}, {"speaker": "JOSÉ MARTÍ"},
    {"contains": "straße"}, {"contains": "élèves_"}, {"contains": "%"}, {"contains": "_"}, {"contains": "100%"},
    {"start": date(2012, 1, 2)}, {"end": date(2012, 1, 31)}, {"speaker": "%"},
]  # fmt: skip


def _build(store: Store, docs: list[Document], version: str = "test") -> Store:
    with store.transaction() as w:
        for doc in docs:
            w.put(doc, pipeline_version=version)
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = _build(make_store(request.param, tmp_path), HAND + QUOTED)
    yield s
    s.close()


def _dump(store: Store) -> dict[str, list[Any]]:
    rows = {table: store.query(f"SELECT * FROM {table} ORDER BY text_pk, ord") for table in TABLES}
    groups = store.query("SELECT * FROM claim_groups ORDER BY ckey")  # the last day: a date on PostgreSQL
    return {**rows, "claim_groups": [tuple(str(v) if isinstance(v, date) else v for v in g) for g in groups]}


def _judged_again(store: Store) -> None:
    """The claims the write path keeps judged (claim_groups) are those judged from their statements
    (what a window of days asks: one from the first day there is reads every statement)."""
    for kw in [{}, {"sort": "latest"}, {"sort": "counted"}, {"sort": "subject"}, {"counted": "tree"},
               {"status": "dropped"}, {"min_stories": 2}, {"subject": "pyongyang"}]:  # fmt: skip
        kept = claims(store, limit=100, **kw).to_dict()
        judged = claims(store, limit=100, date_from=date(1, 1, 1), **kw).to_dict()
        assert kept == judged, kw
    assert claims(store).total > 0


def _place(q: quotes.Quotation) -> tuple[str, int]:
    return q.doc_id, q.start


def test_stored_quotations_answer_as_the_python_filters(store: Store) -> None:
    docs = list(store.documents(annotations=True))
    for f in FILTERS:
        kinds = f.get("kinds") or quotes.SPEECH
        args = {k: v for k, v in f.items() if k != "kinds"}
        expected = list(quotes.select(quotes.quotations(docs), kinds=kinds, **args))
        found = quotes.stored(store.query, quotes.Filter(kinds=tuple(kinds), **args), limit=100)
        assert found.total == len(expected), f
        assert sorted(found.items, key=_place) == sorted(expected, key=_place), f
        assert found.speakers == quotes.speakers(expected), f
    speech = quotes.Filter(kinds=quotes.SPEECH)
    for f in (speech, quotes.Filter(speaker="kim", kinds=quotes.SPEECH)):  # in story order, and from the quotations
        every = quotes.page(store.query, f, limit=100)
        assert quotes.page(store.query, f, limit=2, offset=1) == every[1:3]
    assert quotes.counts(store.query, speech)[0] == 6


def test_claim_statuses_partition_the_claims(store: Store) -> None:
    _judged_again(store)
    everything = claims(store, limit=100)
    by_status = {s: claims(store, status=s, limit=100) for s in STATUSES}
    assert sum(found.total for found in by_status.values()) == everything.total
    for status, found in by_status.items():
        assert all(c.status == status for c in found.items)
    assert claims(store, counted="%").total == claims(store, counted="_").total == 0  # wildcards are words
    assert claims(store, subject="%").total == 0


def test_reanalysis_replaces_the_rows(store: Store) -> None:
    before = _dump(store)
    q1 = QUOTED[0]
    fewer = Document(q1.id, q1.text, title=q1.title, outlet=q1.outlet, url=q1.url, published=q1.published,
                     annotations=q1.annotations[:1])  # fmt: skip
    _build(store, [fewer], version="test-2")
    after = _dump(store)
    assert len(after["text_quotations"]) == len(before["text_quotations"]) - 1
    assert after["text_claims"] == before["text_claims"] and after["claim_groups"] == before["claim_groups"]
    # A story that states no figure any more, and a new version that states another: both judged again.
    c1, c5 = HAND[0], HAND[4]
    _build(store, [Document(c1.id, c1.text, title=c1.title, outlet=c1.outlet, url=c1.url, published=c1.published,
                            annotations=[a for a in c1.annotations if a.label != "quantity"])], version="test-2")
    revised = c5.text.replace("650,000", "500,000")
    _build(store, [Document(c5.id, revised, title=c5.title, outlet=c5.outlet, url=c5.url, published=c5.published,
                            annotations=[a if a.label != "quantity" else a.__class__(
                                a.start, a.end, a.label, {**a.attrs, "value": 500_000}, a.producer)
                                for a in c5.annotations])])  # fmt: skip
    _judged_again(store)
    cement = claims(store, counted="cement").items[0]
    assert cement.status == "repeated" and [s.doc_id for s in cement.statements] == ["c2", "c3", "c5"]


@pytest.mark.parametrize("kind", STORES)
def test_a_store_made_before_the_tables_fills_them(kind: str, tmp_path: Path) -> None:
    store = _build(make_store(kind, tmp_path), HAND + QUOTED)
    written = _dump(store)
    assert all(written.values())
    version, shown = (5, 15) if isinstance(store, SQLiteStore) else (6, 14)
    with store.transaction() as w:
        for table in (*TABLES, "claim_groups"):
            w.sql(f"DROP TABLE {table}")
        if isinstance(store, PostgresStore):
            w.sql("DROP FUNCTION julianday(date)")
        # and the summaries' and the shown statements' columns (migrations 10 and claim_shown), which
        # the table made again lacks: all run again.
        w.sql("DELETE FROM schema_version WHERE version IN (?, 10, ?)", (version, shown))
    store.close()
    store = type(store)(store.path)  # opened again: the migrations run
    try:
        assert _dump(store) == written
    finally:
        store.close()


def test_migrate_store_copies_the_tables(tmp_path: Path) -> None:
    src = _build(make_store("sqlite", tmp_path), HAND + QUOTED)
    dst = make_store("postgresql", tmp_path)
    try:
        migrate(src, dst)
        assert _dump(dst) == _dump(src)
    finally:
        src.close()
        dst.close()
