"""Full-text search over the SQLite store: FTS5 MATCH, bm25, one hit per duplicate group.

bm25 must be computed for every match, so a broad query over a million rows is slow when
ranked naively (docs/performance.md, "Search"). Prefix terms become an OR of the words they stand for
(store/fts_prefix.py), which FTS5 reads lazily like any other term. Only the newest
``search_candidates`` matches are ranked (FTS5 walks its doclists in rowid order without
sorting, and computes ``rank`` only for the rows read); up to that many matches the result
is exactly the bm25 top-k. Documents are joined only to the few best rows, and the snippets
and copies of the final hits are read in one statement each.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..errors import QueryError
from . import day_runs
from .base import Hit, Query
from .fts_prefix import expand_prefixes
from .options import StoreOptions
from .sql_reader import MATCHED_COLUMNS, SQLITE, filters, hits_in_rank_order

__all__ = ["count_sql", "match_sql", "matches", "search"]

# How many ranked rows to read per wanted hit: copies of one group are folded after ranking.
_OVERFETCH = 4
# Each match's day, outlet, language and text by its key, in pages far smaller than the documents'
# rows (migrations/008): what trends and search facets read of up to 20,000 matches. SQLite's
# planner picks the index only after ANALYZE, and the rowid of the row otherwise.
_FACETS = " INDEXED BY documents_pk_facets"


def _fts_text(conn: sqlite3.Connection, query: Query, options: StoreOptions) -> str:
    """The query's text as FTS5 reads it (prefix terms expanded); QueryError when empty or malformed."""
    if not query.text.strip():
        raise QueryError("empty query", where="search")
    try:
        return expand_prefixes(conn, query.text, cap=options.prefix_words)
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}", where="search") from None


def search(conn: sqlite3.Connection, query: Query, options: StoreOptions) -> list[Hit]:
    if query.limit < 1:
        raise QueryError(f"limit must be at least 1, not {query.limit}", where="search")
    text = _fts_text(conn, query, options)
    where, params = filters(query, SQLITE)
    join = " JOIN documents d ON d.doc_pk = f.rowid" if where else ""
    # Innermost: the newest candidates, read in FTS5's native rowid order (no sort); bm25 (FTS5's
    # rank, title weighted) is computed only for them. Then the best few, and only those are
    # joined to their documents for the duplicate group. Equal scores (copies) rank the
    # oldest first: the original, not the copy, stands for its group.
    sql = (
        "SELECT r.rowid, r.rank, t.group_pk FROM (SELECT rowid, rank FROM ("
        f"SELECT f.rowid AS rowid, f.rank AS rank FROM docs_fts f{join} "
        f"WHERE docs_fts MATCH ? AND f.rank MATCH ?{where} ORDER BY f.rowid DESC LIMIT ?"
        ") ORDER BY rank, rowid LIMIT ?) r JOIN documents d ON d.doc_pk = r.rowid "
        "JOIN texts t ON t.text_pk = d.text_pk ORDER BY r.rank, r.rowid"
    )
    rank = f"bm25({float(options.title_weight)}, 1.0)"
    try:
        rows = conn.execute(
            sql, [text, rank, *params, options.search_candidates, query.limit * _OVERFETCH]
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}", where="search") from None
    best: dict[int, tuple[int, float]] = {}  # group -> its best document and score, in rank order
    for doc_pk, score, group_pk in rows:
        if group_pk not in best:
            best[group_pk] = (doc_pk, -score)
            if len(best) == query.limit:
                break
    return _hits(conn, text, best, options)


def match_sql(conn: sqlite3.Connection, query: Query, cap: int, options: StoreOptions) -> tuple[str, list[Any]]:
    """The newest ``cap`` matches as a SELECT with its parameters (``MATCHED_COLUMNS``), read in
    FTS5's rowid order (no ranking, no sort). A malformed query fails when it runs."""
    return _match_sql(conn, query, cap, options, MATCHED_COLUMNS, _FACETS)


def count_sql(conn: sqlite3.Connection, query: Query, cap: int, options: StoreOptions) -> tuple[str, list[Any]]:
    """The number of the newest ``cap`` matches as a one-row SELECT. Without filters, from the
    FTS index alone (it holds only current versions): counting a broad query's 20,000 newest
    matches then reads no document row (docs/workbench.md, "Measured")."""
    if filters(query, SQLITE)[0]:
        sql, params = _match_sql(conn, query, cap, options, "1", "")
        return f"SELECT count(*) AS n FROM ({sql})", params
    newest = f"SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rowid DESC LIMIT {int(cap)}"
    return f"SELECT count(*) AS n FROM ({newest})", [_fts_text(conn, query, options)]


def _match_sql(
    conn: sqlite3.Connection, query: Query, cap: int, options: StoreOptions, columns: str, index: str
) -> tuple[str, list[Any]]:
    text = _fts_text(conn, query, options)
    where, params = filters(query, SQLITE)
    sql = (
        f"SELECT {columns} FROM docs_fts f JOIN documents d{index} ON d.doc_pk = f.rowid "
        f"WHERE docs_fts MATCH ?{where} ORDER BY f.rowid DESC LIMIT {int(cap)}"
    )
    return sql, [text, *params]


def matches(conn: sqlite3.Connection, query: Query, cap: int, options: StoreOptions) -> list[str]:
    """Doc ids of the newest ``cap`` matches."""
    sql, params = _match_sql(conn, query, cap, options, "d.doc_pk, d.doc_id", "")
    try:
        rows = conn.execute(f"SELECT doc_id FROM ({sql}) ORDER BY doc_pk DESC", params).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}", where="search") from None
    return [row[0] for row in rows]


def match_months(
    conn: sqlite3.Connection, query: Query, options: StoreOptions, runs: day_runs.DayRuns
) -> list[tuple[str, int]]:
    """(publication month ``YYYY-MM``, current documents matching) for every month with a match:
    trends count by the database, over every match (``matches`` stops at its cap)."""
    text = _fts_text(conn, query, options)
    where, params = filters(query, SQLITE)
    try:
        if not where:  # every match counts: its day from its key alone
            return day_runs.match_months(conn, text, runs)
        # A match needs only its day (and the filters' columns): all in the index (_FACETS).
        rows = conn.execute(
            f"SELECT substr(d.published, 1, 7) AS month, count(*) FROM docs_fts f JOIN documents d{_FACETS} "
            f"ON d.doc_pk = f.rowid WHERE docs_fts MATCH ? AND d.published IS NOT NULL{where} GROUP BY month",
            [text, *params],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}", where="search") from None
    return [(str(month), int(n)) for month, n in rows]


def _hits(
    conn: sqlite3.Connection, text: str, best: dict[int, tuple[int, float]], options: StoreOptions
) -> list[Hit]:
    """The hits of the top documents: snippets and copies of all of them in two statements
    (two per hit cost more, docs/performance.md, "Search")."""
    if not best:
        return []
    docs = [doc_pk for doc_pk, _ in best.values()]
    marks = ",".join("?" * len(docs))
    rows = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT f.rowid, snippet(docs_fts, 1, '**', '**', '…', ?), d.doc_id, d.title, d.outlet, "
            f"d.published, d.language FROM docs_fts f JOIN documents d ON d.doc_pk = f.rowid "
            f"WHERE docs_fts MATCH ? AND f.rowid IN ({marks})",
            (options.snippet_tokens, text, *docs),
        )
    }
    members = conn.execute(
        "SELECT t.group_pk, d.doc_pk, d.doc_id FROM texts t JOIN documents d ON d.text_pk = t.text_pk "
        f"WHERE t.group_pk IN ({','.join('?' * len(best))}) AND d.is_current = 1 ORDER BY d.doc_pk",
        list(best),
    )
    return hits_in_rank_order(best, rows, members, SQLITE)
