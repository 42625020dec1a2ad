"""Search totals and facets counted by the database over the matched articles.

A search page counts the articles its query matches (the newest ``[web] facet_matches`` of
them, as ``Store.matches`` finds them) by outlet, year, language, person, activity kind and
technique, after its kind and technique filters. One statement does it all over the store's
own matching query (``Store.match_sql``), so the matches never leave the database: reading
their ids, then looking them up 500 at a time and counting in Python was most of a broad
search's time (docs/workbench.md, "Measured").

Each match counts as one article (its current version); a person, activity kind or technique
counts once per article that carries it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..store import Query, Store
from ._columns import marks, stored_day

__all__ = ["FACETS", "FacetCounts", "count", "labelled"]

# What a search page counts, in the order it shows them.
FACETS = ("outlet", "year", "language", "person", "kind", "technique")


@dataclass(frozen=True)
class FacetCounts:
    matched: int  # matches counted, before the kind and technique filters (at most the cap)
    total: int  # those that pass the filters
    counts: dict[str, Counter[str]]  # facet (FACETS) -> value -> articles with it among ``total``


def _labels(kind: str | None, technique: str | None) -> tuple[str, list[Any]]:
    """``AND ...`` conditions on the one ``text_pk`` column in scope for the kind and technique filters."""
    sql, params = "", []
    for facet, wanted in (("kind", kind), ("technique", technique)):
        if wanted:
            sql += " AND text_pk IN (SELECT l.text_pk FROM text_labels l WHERE l.facet = ? AND l.value = ?)"
            params += [facet, wanted]
    return sql, params


def count(
    store: Store, query: Query, cap: int, *, kind: str | None = None, technique: str | None = None
) -> FacetCounts:
    """The number of matches and the count of every facet value over those that pass the filters."""
    matched, params = store.match_sql(query, cap)
    labels, label_params = _labels(kind, technique)
    # x: the matches; m: those that pass the filters. One row per group: the articles by outlet,
    # language and day at once (one pass; a day is a date on PostgreSQL, text on SQLite, and
    # PostgreSQL types a UNION's NULLs from the branches before them), then the matches, then
    # people and labels, read by each article's text key (CROSS JOIN: SQLite starts from the
    # articles, not from every entity of the corpus; PostgreSQL plans as it likes). The LIMIT
    # tells SQLite how few the articles are: without it, it read all of text_entities into a
    # Bloom filter first, however few the matches.
    few = f"(SELECT text_pk FROM m LIMIT {int(cap)}) t"
    rows = store.query(
        f"WITH x AS MATERIALIZED ({matched}), m AS MATERIALIZED (SELECT * FROM x WHERE 1 = 1{labels}) "
        "SELECT 'article', outlet, language, published, count(*) FROM m GROUP BY outlet, language, published "
        "UNION ALL SELECT 'matched', NULL, NULL, NULL, count(*) FROM x "
        f"UNION ALL SELECT 'person', te.entity_id, NULL, NULL, count(*) FROM {few} CROSS JOIN text_entities te "
        "WHERE te.text_pk = t.text_pk AND te.type = 'PERSON' GROUP BY te.entity_id "
        f"UNION ALL SELECT l.facet, l.value, NULL, NULL, count(*) FROM {few} CROSS JOIN text_labels l "
        "WHERE l.text_pk = t.text_pk GROUP BY l.facet, l.value",
        [*params, *label_params],
    )
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    total = found = 0
    for facet, value, language, day, n in rows:
        if facet == "matched":
            found = int(n)
        elif facet == "article":
            total += int(n)
            published = stored_day(day)
            # An article without an outlet, language or date counts in the total only.
            for name, key in (("outlet", value), ("language", language), ("year", published and published.year)):
                if key:
                    counts[name][str(key)] += int(n)
        else:
            counts[str(facet)][str(value)] += int(n)
    return FacetCounts(found, total, counts)


def labelled(store: Store, doc_ids: Sequence[str], *, kind: str | None, technique: str | None) -> set[str]:
    """Those of ``doc_ids`` (a page of hits) whose current version carries the activity kind and
    the technique asked (every id when neither is)."""
    labels, label_params = _labels(kind, technique)
    if not labels or not doc_ids:
        return set(doc_ids)
    ids = list(dict.fromkeys(doc_ids))
    rows = store.query(
        "SELECT d.doc_id FROM articles a JOIN documents d ON d.doc_pk = a.current_pk "
        f"WHERE d.doc_id IN ({marks(len(ids))}){labels}",
        [*ids, *label_params],
    )
    return {str(row[0]) for row in rows}
