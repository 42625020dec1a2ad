"""The read model keeps each term's days and each entity's page parts until the corpus changes
(``Corpus._part``): asked again (by month, then by year; the page, then the API) they are not
counted again, the answers are those of a read model that keeps nothing, and a story stored
since is counted. On both stores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from statemedia.analytics import entity_reads
from statemedia.analytics.corpus import Corpus
from statemedia.store import Store
from store_fixtures import store  # noqa: F401  (fixture: each store)
from test_entity_views import KIM, PAK, _doc, _fill


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> Counter[str]:
    """Count the calls of ``owner.name`` (a store's class: every read connection's calls)."""
    calls: Counter[str] = Counter()
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _entity_parts(corpus: Corpus) -> tuple[Any, ...]:
    days = corpus.entity_days([KIM["id"]])
    return (
        days,
        corpus.entity_series([KIM["id"], PAK["id"]], "year"),
        corpus.co_mentions(KIM["id"], 5, 2_000, days),
        corpus.entity_articles(KIM["id"], 3, days),
        corpus.entity_articles(KIM["id"], 20, days),
        corpus.co_mentions(KIM["id"], 5, 3, days),  # among his newest 3 articles only
    )


def test_a_term_is_counted_once_per_change_of_the_corpus(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    _fill(store)
    calls = _counting(monkeypatch, type(store), "match_months")
    corpus = Corpus(store)
    by_month = corpus.term_series("Kim Jong Un", "month")
    assert corpus.term_series('"kim  jong un"', "month") != Counter() and calls["match_months"] == 2  # other case
    assert corpus.term_series("Kim Jong Un", "year") == Counter({"2012": 8, "2011": 2})
    assert corpus.term_series('"Kim Jong Un"', "month") == by_month  # the same words: the same phrase
    assert calls["match_months"] == 2
    with store.transaction() as w:
        w.put(_doc("new", "Kim Jong Un opened a school.", date(2012, 9, 1), KIM), pipeline_version="test")
    assert corpus.term_series("Kim Jong Un", "year") == Counter({"2012": 9, "2011": 2})
    assert corpus.term_series("Kim Jong Un", "month") == Corpus(store).term_series("Kim Jong Un", "month")
    assert calls["match_months"] == 4  # once for this corpus, once for the fresh one


def test_entity_parts_are_kept_until_a_story_is_stored(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    _fill(store)
    calls = {name: _counting(monkeypatch, entity_reads, name) for name in ("entity_days", "co_mentions", "newest_rows")}
    corpus = Corpus(store)
    first = _entity_parts(corpus)
    first[0][date(2012, 5, 4)] = 99  # a caller's copy: what is kept stays as counted
    assert _entity_parts(corpus) == _entity_parts(Corpus(store))
    counted = {name: c[name] for name, c in calls.items()}
    assert counted == {"entity_days": 4, "co_mentions": 4, "newest_rows": 4}  # this corpus once, the fresh one once
    assert first[2][0] == (PAK["id"], 4) and first[5] == [(PAK["id"], 2)]  # both-1, both-2 and kim-5 of 2012-03-02
    assert _entity_parts(corpus)[0][date(2012, 5, 4)] == 2
    with store.transaction() as w:
        w.put(_doc("new", "Kim Jong Un met Pak Pong Ju again.", date(2012, 9, 1), KIM, PAK), pipeline_version="test")
    after = _entity_parts(corpus)
    assert after == _entity_parts(Corpus(store)) and after != first
    assert sum(after[0].values()) == 11 and after[2][0] == (PAK["id"], 5) and after[5] == [(PAK["id"], 3)]
    assert [a.id for a, _ in after[3]] == ["new", "both-2", "both-1"]  # newest first, then by id
