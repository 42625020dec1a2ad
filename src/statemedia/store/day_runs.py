"""A term's matches by month from the FTS index and the runs of days by document key (SQLite).

Trends count every match of a term by month of publication. Joining each match to its document's
row costs a B-tree seek per match and a sort of them all; instead the index's matches are read as
one list of keys and placed in the runs of ``day_runs`` (``migrations/012_day_runs.sql``: the
documents from one key to the next run's first key share a day), which number about one a day of
the corpus, not one a story (docs/workbench.md, "Measured"). The FTS index holds only current
versions, so every key it gives is a current document. The runs themselves are read once per
state of the documents (``DayRuns``): reading them for every term was most of a rare term's time.
"""

from __future__ import annotations

import sqlite3
import threading

import numpy as np

__all__ = ["DayRuns", "match_months"]


class DayRuns:
    """The runs (their first keys, sorted, and each one's month as an index into the months),
    read again only when documents were added: a run changes only then (migrations/012), and
    every addition raises the largest key or, inside a run, the number of runs. Shared by a
    store's read connections (thread-safe)."""

    # What changes with every addition of a document (a rolled-back one restores both).
    _STATE = "SELECT (SELECT max(doc_pk) FROM documents), (SELECT count(*) FROM day_runs)"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[tuple[object, ...], _Runs] | None = None

    def read(self, conn: sqlite3.Connection) -> _Runs:
        state = tuple(conn.execute(self._STATE).fetchone())
        with self._lock:
            if self._kept is not None and self._kept[0] == state:
                return self._kept[1]
        runs = _read_runs(conn)
        with self._lock:
            self._kept = (state, runs)
        return runs


# The runs' first keys in increasing order, each run's month (YYYY-MM; '' undated) as an index
# into the months.
_Runs = tuple[np.ndarray, np.ndarray, list[str]]


def _read_runs(conn: sqlite3.Connection) -> _Runs:
    # The runs as two lists in one row: tens of thousands of rows read one by one cost more than
    # the matches themselves for a rare term.
    runs = "SELECT first_pk, substr(day, 1, 7) AS month FROM day_runs ORDER BY first_pk"
    firsts, months = conn.execute(f"SELECT group_concat(first_pk), group_concat(month, '|') FROM ({runs})").fetchone()
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    starts = np.fromstring(firsts, dtype=np.int64, sep=",")
    names, which = np.unique(np.array(months.split("|")), return_inverse=True)
    if np.any(starts[1:] < starts[:-1]):  # SQLite keeps a subquery's order in group_concat, but does not promise it
        order = np.argsort(starts, kind="stable")
        starts, which = starts[order], which[order]
    return starts, which, [str(month) for month in names]


def match_months(conn: sqlite3.Connection, fts_query: str, runs: DayRuns) -> list[tuple[str, int]]:
    """(month ``YYYY-MM``, matches published that month) for every dated month with a match of
    ``fts_query`` (FTS5 syntax, prefixes expanded); raises sqlite3.OperationalError on a malformed query."""
    found = "SELECT group_concat(rowid) FROM docs_fts WHERE docs_fts MATCH ?"
    keys_text = conn.execute(found, (fts_query,)).fetchone()[0]
    if not keys_text:
        return []
    keys = np.fromstring(keys_text, dtype=np.int64, sep=",")
    starts, which, months = runs.read(conn)
    # FTS5 gives the keys in rowid order, but does not promise it in group_concat either.
    if np.any(keys[1:] < keys[:-1]):
        keys.sort()
    # Each run holds the keys from its first to the next run's first: where the runs' starts fall
    # among the sorted keys (one search a run, not one a key: a broad term has ~20 keys a run),
    # then summed by month.
    per_run = np.diff(np.searchsorted(keys, starts, side="left"), append=len(keys))
    per_month = np.bincount(which, weights=per_run, minlength=len(months)).astype(np.int64)
    matched = np.flatnonzero(per_month)
    # As Python ints: a numpy scalar a month costs more than the sum.
    return [(months[i], n) for i, n in zip(matched.tolist(), per_month[matched].tolist(), strict=True) if months[i]]
