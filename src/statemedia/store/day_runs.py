"""A term's matches by day from the FTS index and the runs of days by document key (SQLite).

Trends count every match of a term by day of publication. Joining each match to its document's
row costs a B-tree seek per match and a sort of them all; instead the index's matches are read as
one list of keys and placed in the runs of ``day_runs`` (``migrations/012_day_runs.sql``: the
documents from one key to the next run's first key share a day), which number about one a day of
the corpus, not one a story (docs/workbench.md, "Measured"). The FTS index holds only current
versions, so every key it gives is a current document.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

import numpy as np

__all__ = ["match_days"]


def match_days(conn: sqlite3.Connection, fts_query: str) -> list[tuple[str, int]]:
    """(ISO day, matches published that day) for every dated day with a match of ``fts_query``
    (FTS5 syntax, prefixes expanded); raises sqlite3.OperationalError on a malformed query."""
    found = "SELECT group_concat(rowid) FROM docs_fts WHERE docs_fts MATCH ?"
    keys_text = conn.execute(found, (fts_query,)).fetchone()[0]
    if not keys_text:
        return []
    keys = np.fromstring(keys_text, dtype=np.int64, sep=",")
    # The runs as two lists in one row: tens of thousands of rows read one by one cost more than
    # the matches themselves for a rare term.
    runs = "SELECT first_pk, day FROM day_runs ORDER BY first_pk"
    firsts, run_days = conn.execute(f"SELECT group_concat(first_pk), group_concat(day, '|') FROM ({runs})").fetchone()
    starts = np.fromstring(firsts, dtype=np.int64, sep=",")
    names = run_days.split("|")
    if np.any(starts[1:] < starts[:-1]):  # SQLite keeps a subquery's order in group_concat, but does not promise it
        order = np.argsort(starts, kind="stable")
        starts, names = starts[order], [names[int(i)] for i in order]
    # FTS5 gives the keys in rowid order, but does not promise it in group_concat either.
    if np.any(keys[1:] < keys[:-1]):
        keys.sort()
    # Each run holds the keys from its first to the next run's first: where the runs' starts fall
    # among the sorted keys (one search a run, not one a key: a broad term has ~20 keys a run).
    per_run = np.diff(np.searchsorted(keys, starts, side="left"), append=len(keys))
    days: Counter[str] = Counter()
    with_matches = np.flatnonzero(per_run)
    # As Python ints: a numpy scalar a run costs more than the sum.
    for i, n in zip(with_matches.tolist(), per_run[with_matches].tolist(), strict=True):
        if day := names[i]:
            days[day] += n
    return list(days.items())
