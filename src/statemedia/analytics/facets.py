"""Search totals and facets counted by the database over the matched articles.

A search page counts the articles its query matches (the newest ``[web] facet_matches`` of
them, as ``Store.matches`` finds them), after its kind and technique filters, and the newest
``[web] facet_sample`` of those by outlet, year, language, person, activity kind and technique.
One statement does it all over the store's own matching query (``Store.match_sql``), so the
matches never leave the database: reading their ids, then looking them up 500 at a time and
counting in Python was most of a broad search's time (docs/workbench.md, "Measured"). The
facets of the sample read each article's day, outlet, language, people and labels; the total
reads only each match's key, so it stays exact while the facets read fewer.

Each match counts as one article (its current version); a person, activity kind or technique
counts once per article that carries it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..store import Query, Store
from ._columns import marks

__all__ = ["FACETS", "FacetCounts", "count", "labelled", "total"]

# What a search page counts, in the order it shows them.
FACETS = ("outlet", "year", "language", "person", "kind", "technique")
# An article's year as text from its day (a date column on PostgreSQL, ISO text on SQLite).
_YEAR = "substr(CAST(published AS TEXT), 1, 4)"


@dataclass(frozen=True)
class FacetCounts:
    matched: int  # matches counted, before the kind and technique filters (at most the cap)
    total: int  # those that pass the filters
    counts: dict[str, Counter[str]]  # facet (FACETS) -> value -> articles with it among the newest ``counted``
    counted: int  # the newest of ``total`` that the facets count (all of them unless a sample was asked)


def _labels(kind: str | None, technique: str | None) -> tuple[str, list[Any]]:
    """``AND ...`` conditions on the one ``text_pk`` column in scope for the kind and technique filters."""
    sql, params = "", []
    for facet, wanted in (("kind", kind), ("technique", technique)):
        if wanted:
            sql += " AND text_pk IN (SELECT l.text_pk FROM text_labels l WHERE l.facet = ? AND l.value = ?)"
            params += [facet, wanted]
    return sql, params


def count(
    store: Store, query: Query, cap: int, *, kind: str | None = None, technique: str | None = None,
    sample: int | None = None,
) -> FacetCounts:
    """The number of matches, of those that pass the filters, and the count of every facet value
    over the newest ``sample`` of the latter (all of them when None)."""
    labels, label_params = _labels(kind, technique)
    few = int(cap if sample is None else min(sample, cap))
    if labels:
        # x: the matches; m: those that pass the filters; s: the newest of them that the facets count.
        matched, params = store.match_sql(query, cap)
        newest = "" if few >= cap else f" ORDER BY doc_pk DESC LIMIT {few}"
        head = (
            f"WITH x AS MATERIALIZED ({matched}), m AS MATERIALIZED (SELECT * FROM x WHERE 1 = 1{labels}), "
            f"s AS MATERIALIZED (SELECT * FROM m{newest}) "
        )
        totals = (
            "SELECT 'matched', NULL, NULL, NULL, count(*) FROM x "
            "UNION ALL SELECT 'total', NULL, NULL, NULL, count(*) FROM m "
        )
        params += label_params
    else:
        # Every match passes: the total is the store's count (its text index alone where it can),
        # and only the newest ``few`` matches are read as rows.
        number, params = store.count_sql(query, cap)
        sampled, sample_params = store.match_sql(query, few)
        head = f"WITH s AS MATERIALIZED ({sampled}), n AS MATERIALIZED ({number}) "
        totals = "SELECT 'matched', NULL, NULL, NULL, n FROM n UNION ALL SELECT 'total', NULL, NULL, NULL, n FROM n "
        params = [*sample_params, *params]
    # One row per group: the articles by outlet, language and year at once (one pass; the year is
    # cut from the day's ISO text on both stores, so a broad query's thousands of days come back
    # as a few rows rather than one each to read in Python; PostgreSQL types a UNION's NULLs from
    # the branches before them), then the counts, then people and labels, read by each article's text key
    # (CROSS JOIN: SQLite starts from the articles, not from every entity of the corpus;
    # PostgreSQL plans as it likes). The LIMIT tells SQLite how few the articles are: without
    # it, it read all of text_entities into a Bloom filter first, however few the matches.
    t = f"(SELECT text_pk FROM s LIMIT {few}) t"
    rows = store.query(
        head + f"SELECT 'article', outlet, language, {_YEAR} AS year, count(*) FROM s GROUP BY outlet, language, year "
        f"UNION ALL {totals}"
        f"UNION ALL SELECT 'person', te.entity_id, NULL, NULL, count(*) FROM {t} CROSS JOIN text_entities te "
        "WHERE te.text_pk = t.text_pk AND te.type = 'PERSON' GROUP BY te.entity_id "
        f"UNION ALL SELECT l.facet, l.value, NULL, NULL, count(*) FROM {t} CROSS JOIN text_labels l "
        "WHERE l.text_pk = t.text_pk GROUP BY l.facet, l.value",
        params,
    )
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    found = total = counted = 0
    for facet, value, language, year, n in rows:
        if facet == "matched":
            found = int(n)
        elif facet == "total":
            total = int(n)
        elif facet == "article":
            counted += int(n)
            # An article without an outlet, language or date counts in the total only.
            for name, key in (("outlet", value), ("language", language), ("year", year)):
                if key:
                    counts[name][str(key)] += int(n)
        else:
            counts[str(facet)][str(value)] += int(n)
    return FacetCounts(found, total, counts, counted)


def total(
    store: Store, query: Query, cap: int, *, kind: str | None = None, technique: str | None = None
) -> tuple[int, int]:
    """The ``matched`` and ``total`` of :func:`count` without the facets (an API search that asks
    for none): no text's people or labels are read but for the filters."""
    labels, label_params = _labels(kind, technique)
    if not labels:
        number, params = store.count_sql(query, cap)
        n = int(store.query(number, params)[0][0])
        return n, n
    matched, params = store.match_sql(query, cap)
    row = store.query(
        f"WITH x AS MATERIALIZED ({matched}) "
        f"SELECT (SELECT count(*) FROM x), (SELECT count(*) FROM x WHERE 1 = 1{labels})",
        [*params, *label_params],
    )[0]
    return int(row[0]), int(row[1])


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
