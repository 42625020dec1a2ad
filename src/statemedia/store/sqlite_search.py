"""Full-text search over the SQLite store: FTS5 MATCH, bm25, one hit per duplicate group.

bm25 must be computed for every match, so a broad query over a million rows costs
~250 ms when ranked naively. The query is ranked in two stages: the newest
``search_candidates`` matches (FTS5 walks its doclists in rowid order cheaply) bound a
rowid range, and only that range is scored. Up to that many matches the result is
exactly the bm25 top-k.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from ..errors import QueryError
from .base import Hit, Query
from .options import StoreOptions

__all__ = ["search"]

# How many ranked rows to read per wanted hit: copies of one group are folded after ranking.
_OVERFETCH = 4


def _filters(query: Query) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.outlet:
        clauses.append("d.outlet = ?")
        params.append(query.outlet)
    if query.language:
        clauses.append("d.language = ?")
        params.append(query.language)
    if query.date_from:
        clauses.append("d.published >= ?")
        params.append(query.date_from.isoformat())
    if query.date_to:
        clauses.append("d.published <= ?")
        params.append(query.date_to.isoformat())
    if query.person:
        clauses.append(
            "d.text_pk IN (SELECT text_pk FROM text_entities WHERE type = 'PERSON' "
            "AND (entity_id = ? OR name = ?))"
        )
        params += [query.person, query.person]
    return "".join(f" AND {c}" for c in clauses), params


def search(conn: sqlite3.Connection, query: Query, options: StoreOptions) -> list[Hit]:
    if not query.text.strip():
        raise QueryError("empty query", where="search")
    if query.limit < 1:
        raise QueryError(f"limit must be at least 1, not {query.limit}", where="search")
    where, params = _filters(query)
    join = " JOIN documents d ON d.doc_pk = f.rowid" if where else ""
    try:
        floor = conn.execute(
            f"SELECT f.rowid FROM docs_fts f{join} WHERE docs_fts MATCH ?{where} "
            "ORDER BY f.rowid DESC LIMIT 1 OFFSET ?",
            [query.text, *params, options.search_candidates - 1],
        ).fetchone()
        rows = conn.execute(
            "SELECT f.rowid, bm25(docs_fts, ?, 1.0) AS score, t.group_pk FROM docs_fts f "
            f"JOIN documents d ON d.doc_pk = f.rowid JOIN texts t ON t.text_pk = d.text_pk "
            f"WHERE docs_fts MATCH ? AND f.rowid >= ?{where} ORDER BY score LIMIT ?",
            [options.title_weight, query.text, floor[0] if floor else 0, *params, query.limit * _OVERFETCH],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}", where="search") from None
    hits: list[Hit] = []
    seen: set[int] = set()
    for doc_pk, score, group_pk in rows:
        if group_pk in seen:
            continue
        seen.add(group_pk)
        hits.append(_hit(conn, query.text, doc_pk, -score, group_pk, options))
        if len(hits) == query.limit:
            break
    return hits


def _hit(
    conn: sqlite3.Connection, text: str, doc_pk: int, score: float, group_pk: int, options: StoreOptions
) -> Hit:
    snippet, doc_id, title, outlet, published, language = conn.execute(
        "SELECT snippet(docs_fts, 1, '**', '**', '…', ?), d.doc_id, d.title, d.outlet, d.published, "
        "d.language FROM docs_fts f JOIN documents d ON d.doc_pk = f.rowid "
        "WHERE docs_fts MATCH ? AND f.rowid = ?",
        (options.snippet_tokens, text, doc_pk),
    ).fetchone()
    copies = [
        row[0]
        for row in conn.execute(
            "SELECT d.doc_id FROM texts t JOIN documents d ON d.text_pk = t.text_pk "
            "WHERE t.group_pk = ? AND d.is_current = 1 AND d.doc_pk != ? ORDER BY d.doc_pk",
            (group_pk, doc_pk),
        )
    ]
    return Hit(
        id=doc_id,
        title=title,
        outlet=outlet,
        published=date.fromisoformat(published) if published else None,
        language=language,
        score=score,
        snippet=snippet,
        copies=copies,
    )
