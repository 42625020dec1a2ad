"""What PostgreSQL's statistics tell of a search before it runs: the share of documents a query
is expected to match, and for a broad one the window of newest documents expected to hold its
candidates (postgres_search.search reads and ranks that window first; docs/performance.md,
"PostgreSQL beside SQLite"). Stale or missing statistics cost time, never results."""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass
from typing import Any

import psycopg

from ..normalize.accents import strip_accents
from .base import Query

__all__ = ["NO_STATS", "Stats", "newest_window", "read_stats"]

# A query expected to match more than this many times the candidates is read from a window of
# the newest documents sized to hold _WINDOW_MARGIN times the candidates (postgres_search.search).
_BROAD = 1.5
_WINDOW_MARGIN = 1.1


@dataclass(frozen=True)
class Stats:
    """What ANALYZE knows of the corpus, for sizing a broad query's window of newest documents
    (postgres_search.search): the share of current documents holding each of the most common lexemes
    (pg_stats of ``documents.fts``), those of the commonest languages and outlets, the
    number of current documents and the newest key. Read once per connection every
    ``_STATS_TTL`` seconds; stale figures cost speed, never results."""

    lexemes: dict[str, float]
    values: dict[tuple[str, str], float]  # (column, value) -> share of documents
    current: float  # documents with a vector (current versions)
    newest: int  # max(doc_pk)
    read_at: float

    def share(self, word: str) -> float:
        """The share of documents holding ``word``; 0 when it is not among the common lexemes."""
        return self.lexemes.get(_lexeme(word), 0.0)

    def prefix_share(self, prefix: str) -> float:
        """At most this share of documents (of those the common lexemes tell) holds a word
        starting with ``prefix``."""
        start = _lexeme(prefix)
        return min(1.0, sum(v for k, v in self.lexemes.items() if k.startswith(start)))


NO_STATS = Stats({}, {}, 0.0, 0, 0.0)
_STATS_TTL = 300.0
_stats_cache: weakref.WeakKeyDictionary[Any, Stats] = weakref.WeakKeyDictionary()


def _lexeme(word: str) -> str:
    """``word`` as the ``statemedia`` configuration stores it (lower case, accents folded), near enough."""
    return strip_accents(word.lower())


def read_stats(conn: psycopg.Connection[Any]) -> Stats:
    cached = _stats_cache.get(conn)
    now = time.monotonic()
    # None yet (a new corpus not analysed): asked again sooner.
    if cached is not None and now - cached.read_at < (_STATS_TTL if cached.lexemes else _STATS_TTL / 30):
        return cached
    row = conn.execute(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, s.null_frac, c.reltuples, "
        "(SELECT max(doc_pk) FROM documents) FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = "
        "c.relnamespace::regnamespace::name AND s.tablename = 'documents' AND s.attname = 'fts' "
        "WHERE c.oid = 'documents'::regclass"
    ).fetchone()
    lexemes: dict[str, float] = {}
    current = 0.0
    if row is not None and row[0] and row[3] > 0:
        lexemes = dict(zip(row[0], row[1], strict=False))
        current = float(row[3]) * (1.0 - float(row[2] or 0.0))
    values = {
        (column, value): float(freq)
        for column, vals, freqs in conn.execute(
            "SELECT attname, most_common_vals::text::text[], most_common_freqs FROM pg_stats "
            "WHERE schemaname = (SELECT relnamespace::regnamespace::name FROM pg_class "
            "WHERE oid = 'documents'::regclass) AND tablename = 'documents' "
            "AND attname IN ('language', 'outlet') AND most_common_vals IS NOT NULL"
        )
        for value, freq in zip(vals, freqs, strict=False)
    }
    stats = Stats(lexemes, values, current, int(row[4] or 0) if row else 0, now)
    _stats_cache[conn] = stats
    return stats


def newest_window(stats: Stats, share: float, query: Query, cands: int) -> int | None:
    """The lowest doc_pk of the newest documents expected to hold ``_WINDOW_MARGIN`` times
    ``cands`` matches, for a query expected to match more than ``_BROAD`` times ``cands``;
    None for any other (or when the statistics say nothing, or dates or a person filter)."""
    if query.date_from or query.date_to or query.person or stats.newest <= 0:
        return None
    for column, value in (("language", query.language), ("outlet", query.outlet)):
        if value:
            share *= stats.values.get((column, value), 0.0)
    expected = share * stats.current
    if expected <= _BROAD * cands:
        return None
    per_key = expected / stats.newest  # matches per doc_pk
    return stats.newest - math.ceil(_WINDOW_MARGIN * cands / per_key)
