"""The shared store: a PostgreSQL database, for a team on one corpus or many writers at once.

The same logical schema, versions and duplicate groups as the SQLite store (see
``migrations_pg/``), so both pass the same tests and ``migrate-store`` copies between
them. Full-text search is a ``tsvector`` column with a GIN index (``postgres_search.py``).
Several ingests may write at once: their batches take turns (:class:`PostgresWriter`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ..errors import StoreError
from .base import DOCUMENT_COLUMNS, Hit, Query, json_text
from .batch import BatchWriter, now
from .dedupe import DedupeOptions, NearDuplicates
from .layers import after_migration
from .options import StoreOptions, store_options
from .postgres_search import match_months, match_sql, matches, search
from .sql_reader import POSTGRES, SQLReader, pending_migrations

__all__ = ["FTS_SQL", "PostgresStore", "PostgresWriter", "safe_url"]


def _fts(title: str, text: str) -> str:
    """The search vector of a document: its title (weight A) and text (B); NULL for a NULL text."""
    return (
        f"setweight(to_tsvector('statemedia', coalesce({title}, '')), 'A') || "
        f"setweight(to_tsvector('statemedia', {text}), 'B')"
    )


# The vector of document row d from its stored text t (migrate.py), and of a new row from parameters.
FTS_SQL = _fts("d.title", "t.text")
_FTS_PARAMS = _fts("%s::text", "%s::text")
# Any session may migrate: this advisory lock makes the others wait instead of racing.
_MIGRATION_LOCK = 0x5354_4D45_4449_41
# Held by a write batch until commit (PostgresWriter).
_WRITE_LOCK = _MIGRATION_LOCK + 1


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return url.split("@")[-1]
    params.pop("password", None)
    return f"postgresql://{params.get('user', '')}@{params.get('host', '')}:{params.get('port', 5432)}/" + str(
        params.get("dbname", "")
    )


class PostgresStore(SQLReader):
    """A corpus in a PostgreSQL database (its tables created, and migrated, on open)."""

    dialect = POSTGRES
    conn: psycopg.Connection[Any]

    def __init__(
        self, url: str, options: StoreOptions | None = None, dedupe: DedupeOptions | None = None
    ) -> None:
        self.path = url
        if options is None or dedupe is None:
            # Unset options come from defaults.toml, the one place their values live.
            configured, configured_dedupe = store_options()
            options, dedupe = options or configured, dedupe or configured_dedupe
        self.options = options
        self._near = NearDuplicates(dedupe)
        try:
            self.conn = self._connect()
            self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the database: {exc}".replace("\n", " "), where=safe_url(url)) from exc

    def _connect(self) -> psycopg.Connection[Any]:
        # Autocommit: reads see every commit at once; writes are explicit transactions.
        conn = psycopg.connect(
            make_conninfo(self.path, connect_timeout=10, application_name="statemedia"), autocommit=True
        )
        # busy_timeout's counterpart: a writer waits this long for another's row lock.
        conn.execute(f"SET lock_timeout = {int(self.options.busy_timeout_ms)}")
        return conn

    def reader(self) -> PostgresStore:
        """Another connection (a server session) to this database, for reads on another thread.
        The schema is not checked again: opening this store migrated it."""
        other = copy.copy(self)
        try:
            other.conn = self._connect()
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot open the database: {exc}".replace("\n", " "), where=safe_url(self.path)
            ) from exc
        return other

    # --- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
            )
            done = {row[0] for row in self.conn.execute("SELECT version FROM schema_version")}
            for number, name, sql in pending_migrations("migrations_pg", done):
                # A script without parameters may hold many statements in one execute.
                self.conn.execute(sql.encode())
                after_migration(name, PostgresWriter(self), self.dialect.annotation_order)
                self.conn.execute("INSERT INTO schema_version VALUES (%s, %s, %s)", (number, name, now()))

    # --- the write path -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[PostgresWriter]:
        try:
            with self.conn.transaction():
                yield PostgresWriter(self)
        except psycopg.OperationalError as exc:
            raise StoreError(f"write failed: {exc}".replace("\n", " "), where=safe_url(self.path)) from exc

    # --- reads (the rest in SQLReader) ------------------------------------------------
    def search(self, query: Query) -> list[Hit]:
        return search(self.conn, query, self.options)

    def match_months(self, query: Query) -> list[tuple[str, int]]:
        return match_months(self.conn, query)

    def matches(self, query: Query, cap: int) -> list[str]:
        return matches(self.conn, query, cap)

    def match_sql(self, query: Query, cap: int) -> tuple[str, list[Any]]:
        sql, params = match_sql(query, cap)
        return sql.replace("%s", "?"), params  # the shared spelling, as query() takes it

    def count_sql(self, query: Query, cap: int) -> tuple[str, list[Any]]:
        # Only current versions carry ``fts``: the matches are counted from the documents' rows.
        sql, params = match_sql(query, cap, "1 AS one")
        return f"SELECT count(*) AS n FROM ({sql.replace('%s', '?')}) c", params


class PostgresWriter(BatchWriter):
    """Writes inside one open transaction of a :class:`PostgresStore`.

    A batch holds a transaction-level advisory lock from its first read to commit: writers
    take turns batch by batch, as on SQLite, so what a batch reads stays true until it
    commits (readers never wait). Keys come from the tables' own sequences, reserved for a
    batch in one statement; new rows go in by ``COPY``, documents by one pipelined
    ``executemany`` that computes their ``tsvector`` on the server.
    """

    def __init__(self, store: PostgresStore) -> None:
        self.near = store._near
        self._conn = store.conn
        self._pks: dict[str, list[int]] = {}  # table -> reserved keys, next last
        self._reserve = 1

    def sql(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        cur = self._conn.execute(_pg(statement), params)
        return cur.fetchall() if cur.description else []

    def select_in(self, statement: str, values: Sequence[Any]) -> list[Any]:
        return self.sql(statement.replace("IN ({})", "= ANY(?)"), (list(values),))

    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(_pg(statement), rows)

    def begin_batch(self, size: int) -> None:
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
        self._reserve = size

    def new_pk(self, table: str, column: str) -> int:
        pool = self._pks.setdefault(table, [])
        if not pool:
            # A batch adds at most one row per article to each table: reserve that many at once.
            pool += reversed(
                [
                    int(r[0])
                    for r in self._conn.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                        (table, column, self._reserve),
                    )
                ]
            )
        return pool.pop()

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def insert_documents(self, rows: list[list[Any]], fts: dict[int, tuple[str | None, str]]) -> None:
        marks = ",".join(["%s"] * 16)
        self.many(
            f"INSERT INTO documents (doc_pk, {DOCUMENT_COLUMNS}, is_current, fts) VALUES ({marks}, {_FTS_PARAMS})",
            [[*row, *fts.get(row[0], (None, None))] for row in rows],
        )

    def retire(self, doc_pk: int, title: str | None, text_pk: int) -> None:
        self._conn.execute("UPDATE documents SET is_current = false, fts = NULL WHERE doc_pk = %s", (doc_pk,))

    def start_run(self, command: str, paths: Sequence[str]) -> int:
        row = self._conn.execute(
            "INSERT INTO runs (started_at, command, paths) VALUES (%s, %s, %s) RETURNING run_pk",
            (now(), command, json_text(list(paths))),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def finish_run(self, run: int, counts: dict[str, int]) -> None:
        self._conn.execute(
            "UPDATE runs SET finished_at = %s, counts = %s WHERE run_pk = %s", (now(), json_text(counts), run)
        )


def _pg(statement: str) -> str:
    """A statement of the shared write path (``?`` placeholders, no literal ``?``) for psycopg."""
    return statement.replace("?", "%s")
