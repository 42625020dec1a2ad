"""The entity_days table (migration 011) is kept by the database: after any mix of new stories,
copies, new versions and re-analyses, each entity's current articles by day are what a recount from
the mentions and the current documents gives, and an entity page reads the same days. On both stores."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from statemedia.analytics.corpus import Corpus
from statemedia.model import Annotation, Document
from statemedia.store import Store
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import store  # noqa: F401  (fixture: each store)

PEOPLE = [{"id": f"person:p{i}", "name": f"Pak Nam {n}", "type": "PERSON"} for i, n in enumerate(("Il", "Su", "Chol"))]
DAYS = [date(2012, 3, 1), date(2012, 3, 2), None]


def _doc(doc_id: str, body: str, published: date | None, people: list[dict[str, str]], rng: random.Random) -> Document:
    """The story, its text naming everyone twice (as written and in capitals), with ``people``
    found once or twice each: the text does not depend on who is found, so the same text analysed
    again finds others."""
    text = body + " " + " ".join(f"{p['name']}, {p['name'].upper()}," for p in PEOPLE) + " and more."
    found = []
    for person in people:
        for name in rng.sample([person["name"], person["name"].upper()], rng.randint(1, 2)):
            at = text.index(name)
            found.append(Annotation(at, at + len(name), "entity", dict(person, name=name), producer="entities"))
    return Document(doc_id, text, title=doc_id, outlet="KCNA", published=published, annotations=found)


def _recount(s: Store) -> dict[tuple[str, str], int]:
    rows = s.query(
        "SELECT te.entity_id, d.published, count(*) FROM articles a JOIN documents d ON d.doc_pk = a.current_pk "
        "JOIN text_entities te ON te.text_pk = d.text_pk GROUP BY te.entity_id, d.published"
    )
    return {(str(e), str(day or "")[:10]): int(n) for e, day, n in rows}


def _table(s: Store) -> list[tuple[str, str, int, int]]:
    """The entity table (id, type, articles, mentions) as it was counted before the kept tables."""
    rows = s.query(
        "SELECT te.entity_id, min(te.type), count(*), sum(te.mentions) FROM articles a JOIN documents d "
        "ON d.doc_pk = a.current_pk JOIN text_entities te ON te.text_pk = d.text_pk GROUP BY te.entity_id"
    )
    return sorted((str(e), str(t), int(c), int(m)) for e, t, c, m in rows)


def _kept(s: Store) -> dict[tuple[str, str], int]:
    kept = s.query("SELECT entity_id, day, n FROM entity_days WHERE n > 0")
    return {(str(e), str(day)): int(n) for e, day, n in kept}


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_days_equal_a_recount_after_any_writes(store: Store, seed: int) -> None:  # noqa: F811
    rng = random.Random(seed)
    stored: dict[str, tuple[str, date | None]] = {}  # doc id -> (body, day) of its current version
    for step in range(60):
        people = rng.sample(PEOPLE, rng.randint(0, 3))
        action = rng.choice(["new", "copy", "version", "reanalyse"]) if stored else "new"
        if action == "new":
            doc_id, body, day = f"s{step}", f"Story {step} names", rng.choice(DAYS)
        elif action == "copy":  # the same text under another id (a copy: one text, two articles)
            doc_id, (body, day) = f"s{step}", stored[rng.choice(sorted(stored))]
        elif action == "version":  # the article's text edited: the old document stops being current
            doc_id = rng.choice(sorted(stored))
            body, day = f"Story {doc_id} edited at {step}", stored[doc_id][1]
        else:  # the same text analysed again by another pipeline version: other people
            doc_id = rng.choice(sorted(stored))
            body, day = stored[doc_id]
        with store.transaction() as w:
            w.put(_doc(doc_id, body, day, people, rng), pipeline_version=f"v{step}")
        stored[doc_id] = (body, day)
        if step % 15 == 14:
            assert _kept(store) == _recount(store), step
    assert _kept(store) == _recount(store)
    corpus = Corpus(store)
    table = corpus.entity_table()
    assert sorted((r["id"], r["type"], r["articles"], r["mentions"]) for r in table) == _table(store)
    assert [r["id"] for r in table] == [r["id"] for r in sorted(table, key=lambda r: (-r["articles"], r["id"]))]
    # The name shown is the least of those its texts give (superseded versions' texts included).
    for row in table:
        names = {n for (n,) in store.query("SELECT name FROM text_entities WHERE entity_id = ?", [row["id"]])}
        assert row["name"] in names
        if isinstance(store, SQLiteStore):  # PostgreSQL orders names by its collation
            assert row["name"] == min(names)
    for person in PEOPLE:
        counted = _recount(store).items()
        mine = [(day, n) for (e, day), n in counted if e == person["id"]]
        expected = Counter({(date.fromisoformat(day) if day else None): n for day, n in mine})
        assert corpus.entity_days([person["id"]]) == expected
