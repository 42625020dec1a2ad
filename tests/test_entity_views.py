"""An entity's articles by day (``Corpus.entity_days``), its newest articles read from the days
of the newest only, and a term's trend read from an index of days: the same answers as counting
and sorting all of them, on both stores."""

from __future__ import annotations

from collections import Counter
from datetime import date

from statemedia.analytics.corpus import Corpus, fold_periods, period_key
from statemedia.model import Annotation, Document
from statemedia.store import Store
from store_fixtures import store  # noqa: F401  (fixture: each store)

KIM = {"id": "person:kim-jong-un", "name": "Kim Jong Un", "type": "PERSON"}
PAK = {"id": "person:pak-pong-ju", "name": "Pak Pong Ju", "type": "PERSON"}


def _doc(doc_id: str, text: str, published: date | None, *people: dict[str, str]) -> Document:
    found = [Annotation(text.index(p["name"]), text.index(p["name"]) + len(p["name"]), "entity", dict(p),
                        producer="entities") for p in people]  # fmt: skip
    return Document(doc_id, text, title=doc_id, outlet="KCNA", published=published, annotations=found)


def _fill(s: Store) -> None:
    """Kim in 9 articles over 6 days (two stories on one day, a story published twice: one
    text, two articles), Pak beside him in 3 and alone in 1."""
    docs = [
        _doc(f"kim-{i}", f"Kim Jong Un inspected site number {i}.", date(2012, 1 + i % 3, 1 + i // 3), KIM)
        for i in range(6)
    ]
    docs += [
        _doc("both-1", "Kim Jong Un met Pak Pong Ju in May.", date(2012, 5, 4), KIM, PAK),
        _doc("both-2", "Pak Pong Ju and Kim Jong Un toured a farm.", date(2012, 5, 4), KIM, PAK),
        _doc("both-3", "Kim Jong Un thanked Pak Pong Ju.", date(2011, 12, 30), KIM, PAK),
        _doc("copy-of-3", "Kim Jong Un thanked Pak Pong Ju.", date(2011, 12, 30), KIM, PAK),
        _doc("pak", "Pak Pong Ju spoke, undated.", None, PAK),
    ]
    with s.transaction() as w:
        for doc in docs:
            w.put(doc, pipeline_version="test")


def _all_sorted(corpus: Corpus, entity_id: str, limit: int) -> list[str]:
    # Undated articles in ``days`` make entity_articles sort every article: the reference.
    return [a.id for a, _ in corpus.entity_articles(entity_id, limit, Counter({None: 1}))]


def test_entity_days_count_articles_once(store: Store) -> None:  # noqa: F811
    _fill(store)
    corpus = Corpus(store)
    days = corpus.entity_days([KIM["id"]])
    assert sum(days.values()) == 10 and days[date(2012, 5, 4)] == 2 and days[date(2011, 12, 30)] == 2
    assert None not in days
    both = corpus.entity_days([KIM["id"], PAK["id"]])
    assert sum(both.values()) == 11 and both[None] == 1  # an article with both counts once
    assert corpus.entity_series([KIM["id"], PAK["id"]], "year") == fold_periods(both.items(), "year")
    by_month = Counter(period_key(d, "month") for d, n in days.items() if d for _ in range(n))
    assert corpus.entity_series([KIM["id"]], "month") == by_month


def test_newest_articles_are_those_of_a_full_sort(store: Store) -> None:  # noqa: F811
    _fill(store)
    corpus = Corpus(store)
    days = corpus.entity_days([KIM["id"]])
    for limit in range(1, 12):  # cut-offs inside a day of two stories, at each day, and beyond all
        newest = corpus.entity_articles(KIM["id"], limit, days)
        assert [a.id for a, _ in newest] == _all_sorted(corpus, KIM["id"], limit)
        assert len(newest) == min(limit, 10)
    # With an undated article the order is each store's own, as before: it is among them.
    pak = corpus.entity_days([PAK["id"]])
    assert "pak" in [a.id for a, _ in corpus.entity_articles(PAK["id"], 5, pak)]


def test_a_term_trend_counts_the_articles_holding_it(store: Store) -> None:  # noqa: F811
    _fill(store)
    corpus = Corpus(store)
    assert corpus.term_series("kim jong un", "year") == Counter({"2012": 8, "2011": 2})
    assert corpus.term_series('"Pak Pong Ju"', "month") == Counter({"2012-05": 2, "2011-12": 2})  # undated: none
    assert corpus.term_series("Pak Pong Ju", "month") == corpus.entity_series([PAK["id"]], "month")
