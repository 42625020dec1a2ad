"""The embedded default store: one SQLite file in WAL mode with an FTS5 index.

WAL lets readers (search, show, the web UI) keep working while an ingest writes, and
with ``synchronous=NORMAL`` a killed process loses nothing it committed. Schema
changes are the numbered scripts in ``migrations/``, applied in order once each.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .base import Hit, Query
from .day_runs import DayRuns
from .dedupe import DedupeOptions, NearDuplicates
from .layers import after_migration
from .options import StoreOptions, store_options
from .sql_reader import SQLITE, SQLReader, pending_migrations
from .sqlite_search import count_sql, match_months, match_sql, matches, search
from .sqlite_write import SQLiteWriter, now

__all__ = ["SQLiteStore"]


class SQLiteStore(SQLReader):
    """A corpus in one SQLite file (created, and migrated, on open)."""

    dialect = SQLITE
    conn: sqlite3.Connection

    def __init__(
        self, path: str | Path, options: StoreOptions | None = None, dedupe: DedupeOptions | None = None
    ) -> None:
        self.path = str(path)
        if options is None or dedupe is None:
            # Unset options come from defaults.toml, the one place their values live.
            configured, configured_dedupe = store_options()
            options, dedupe = options or configured, dedupe or configured_dedupe
        self.options = options
        self._near = NearDuplicates(dedupe)
        self._runs = DayRuns()  # shared with the readers (reader() copies this store)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = self._connect(writes=True)
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc}", where=self.path) from exc

    def _connect(self, *, writes: bool) -> sqlite3.Connection:
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in transaction()).
        # The busy timeout first: switching a new file to WAL needs a lock that another
        # process opening the same new database may hold for a moment.
        conn = sqlite3.connect(
            self.path,
            isolation_level=None,
            check_same_thread=False,
            timeout=self.options.busy_timeout_ms / 1000,
        )
        conn.execute(f"PRAGMA busy_timeout={int(self.options.busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode=WAL")
        if writes:
            # The large cache and the checkpoint interval are for ingest batches (defaults.toml);
            # a reader keeps SQLite's small default, so that many readers stay small.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA cache_size={-1024 * int(self.options.cache_mib)}")  # negative: KiB
            conn.execute(f"PRAGMA wal_autocheckpoint={int(self.options.wal_autocheckpoint)}")
        return conn

    def reader(self) -> SQLiteStore:
        """Another connection to this database, for reads on another thread: in WAL mode readers
        run side by side (and sqlite3 releases the GIL while a query runs). The schema is not
        checked again: opening this store migrated it."""
        other = copy.copy(self)
        try:
            other.conn = self._connect(writes=False)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc}", where=self.path) from exc
        return other

    # --- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Apply the pending scripts of ``migrations/``, all in one write transaction.

        Several processes may open a new database at once (ten ingests started together):
        BEGIN IMMEDIATE makes them take turns, and each reads what is applied only once it
        holds the lock, so a script runs once (before, two read "nothing applied", and the
        second died on "table articles already exists")."""
        if not self._pending():
            return  # the usual open: nothing to do, no write lock taken
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # waits up to busy_timeout for another opener
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot lock the database to migrate it: {exc}", where=self.path) from exc
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for number, name, sql in self._pending():
                for statement in _statements(sql):
                    self.conn.execute(statement)
                after_migration(name, SQLiteWriter(self), self.dialect.annotation_order)
                self.conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (number, name, now()))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _pending(self) -> list[tuple[int, str, str]]:
        """The migration scripts not yet applied (all of them to a database without schema_version)."""
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        done = {row[0] for row in self.conn.execute("SELECT version FROM schema_version")} if exists else set()
        return list(pending_migrations("migrations", done))

    # --- the write path -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[SQLiteWriter]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot start a write: {exc}", where=self.path) from exc
        try:
            yield SQLiteWriter(self)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- reads (the rest in SQLReader) ------------------------------------------------
    def search(self, query: Query) -> list[Hit]:
        return search(self.conn, query, self.options)

    def match_months(self, query: Query) -> list[tuple[str, int]]:
        return match_months(self.conn, query, self.options, self._runs)

    def matches(self, query: Query, cap: int) -> list[str]:
        return matches(self.conn, query, cap, self.options)

    def match_sql(self, query: Query, cap: int) -> tuple[str, list[Any]]:
        return match_sql(self.conn, query, cap, self.options)

    def count_sql(self, query: Query, cap: int) -> tuple[str, list[Any]]:
        return count_sql(self.conn, query, cap, self.options)


def _statements(sql: str) -> Iterator[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows quoting)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
