"""The write path of :class:`~statemedia.store.sqlite.SQLiteStore`: the shared batch logic
(store/batch.py) on sqlite3, with an FTS5 table beside the documents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .base import DOCUMENT_COLUMNS
from .batch import BatchWriter, now

if TYPE_CHECKING:
    from .sqlite import SQLiteStore

__all__ = ["SQLiteWriter", "now"]

# Values bound per IN (...) lookup: SQLite's default limit is 32,766; 500 keeps statements short.
_IN_CHUNK = 500


class SQLiteWriter(BatchWriter):
    """Writes inside one open transaction (BEGIN IMMEDIATE: it holds the write lock) of a
    :class:`SQLiteStore`."""

    def __init__(self, store: SQLiteStore) -> None:
        self.near = store._near
        self._conn = store.conn
        self._next_pk: dict[str, int] = {}

    def sql(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._conn.execute(statement, params).fetchall()

    def select_in(self, statement: str, values: Sequence[Any]) -> list[Any]:
        # In chunks under SQLite's limit on bound parameters.
        rows: list[Any] = []
        for i in range(0, len(values), _IN_CHUNK):
            chunk = values[i : i + _IN_CHUNK]
            rows += self._conn.execute(statement.format(",".join("?" * len(chunk))), chunk).fetchall()
        return rows

    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(statement, rows)

    def begin_batch(self, size: int) -> None:
        pass  # BEGIN IMMEDIATE took the write lock for the whole transaction

    def new_pk(self, table: str, column: str) -> int:
        """The next rowid of ``table``: what SQLite would choose (max + 1), known before the insert."""
        pk = self._next_pk.get(table)
        if pk is None:
            pk = int(self._conn.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0])
        self._next_pk[table] = pk + 1
        return pk

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        marks = ",".join("?" * len(columns))
        self._conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def insert_documents(self, rows: list[list[Any]], fts: dict[int, tuple[str | None, str]]) -> None:
        self._conn.executemany(
            f"INSERT INTO documents (doc_pk, {DOCUMENT_COLUMNS}, is_current) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self._conn.executemany(
            "INSERT INTO docs_fts (rowid, title, text) VALUES (?, ?, ?)",
            ((pk, title, text) for pk, (title, text) in fts.items()),
        )

    def retire(self, doc_pk: int, title: str | None, text_pk: int) -> None:
        # FTS5's delete command takes the values the row was indexed with.
        old_text = self._conn.execute("SELECT text FROM texts WHERE text_pk = ?", (text_pk,)).fetchone()[0]
        self._conn.execute(
            "INSERT INTO docs_fts (docs_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)", (doc_pk, title, old_text)
        )
        self._conn.execute("UPDATE documents SET is_current = 0 WHERE doc_pk = ?", (doc_pk,))

    def start_run(self, command: str, paths: Sequence[str]) -> int:
        cur = self._conn.execute(
            "INSERT INTO runs (started_at, command, paths) VALUES (?, ?, ?)",
            (now(), command, json.dumps(list(paths))),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_run(self, run: int, counts: dict[str, int]) -> None:
        self._conn.execute(
            "UPDATE runs SET finished_at = ?, counts = ? WHERE run_pk = ?", (now(), json.dumps(counts), run)
        )
