"""Copy a whole store between SQLite and PostgreSQL: every table of the logical schema.

Both schemas hold the same tables and columns, so rows are copied table by table with
their keys: articles, all versions, texts with their duplicate groups and analysis
versions, annotations, entity and band-key side tables, and ingest runs. Values travel in
SQLite's representation (ISO text dates, JSON text, 0/1 flags), which PostgreSQL reads
back as date, json and boolean. The destination is written in one transaction and must
be empty; afterwards its search index is built and its counts must equal the source's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ..errors import StoreError
from .base import Store
from .batch import ACTIVITY_COLUMNS, MEMBER_COLUMNS
from .layers import CLAIM_COLUMNS, GROUP_COLUMNS, QUOTE_COLUMNS
from .postgres import FTS_SQL, PostgresStore, safe_url
from .sqlite import SQLiteStore

__all__ = ["TABLES", "migrate"]

# (table, columns, key order): parents before children. "end" is quoted: a keyword in both.
TABLES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("runs", ("run_pk", "started_at", "finished_at", "command", "paths", "counts"), "run_pk"),
    ("articles", ("article_pk", "key", "first_seen", "last_seen", "current_pk"), "article_pk"),
    ("texts", ("text_pk", "hash", "text", "group_pk", "pipeline_version", "analysed_at"), "text_pk"),
    (
        "documents",
        (
            "doc_pk", "article_pk", "version", "doc_id", "text_pk", "title", "outlet", "url", "published",
            "language", "source", "meta", "first_seen", "last_seen", "run_pk", "is_current",
        ),
        "doc_pk",
    ),
    ("annotations", ("text_pk", "start", '"end"', "label", "attrs", "producer"), "insertion"),
    ("text_entities", ("entity_id", "name", "type", "text_pk", "mentions"), "entity_id, text_pk"),
    ("text_labels", ("facet", "value", "text_pk"), "facet, value, text_pk"),
    ("text_activities", ACTIVITY_COLUMNS, "text_pk, ord"),
    ("activity_members", MEMBER_COLUMNS, "text_pk, ord, role, position"),
    ("activity_translations", ("text_pk", "ord", "of_text_pk", "of_ord"), "text_pk, ord"),
    ("text_quotations", QUOTE_COLUMNS, "text_pk, ord"),
    ("text_claims", CLAIM_COLUMNS, "text_pk, ord"),
    ("claim_groups", GROUP_COLUMNS, "ckey"),
    ("lsh_bands", ("band_key", "text_pk"), "band_key, text_pk"),
    # statemedia watch (migrations/003_watch.sql): passes, frontier, fetches, URLs, withdrawals, alerts.
    ("watch_passes", ("pass_pk", "started_at", "finished_at", "sites", "counts"), "pass_pk"),
    ("watch_frontier", ("pass_pk", "url", "site", "kind", "depth", "done"), "pass_pk, url"),
    (
        "fetches",
        (
            "fetch_pk", "pass_pk", "url", "fetched_at", "status", "error", "digest", "content_type", "etag",
            "last_modified", "warc_file", "warc_offset", "warc_length", "doc_id",
        ),
        "fetch_pk",
    ),
    (
        "watch_urls",
        ("url", "site", "doc_id", "first_seen", "last_listed", "listed_on", "last_ok", "missed", "first_missed",
         "withdrawn_on"),
        "url",
    ),
    ("withdrawals", ("withdrawal_pk", "url", "doc_id", "withdrawn_on", "noticed_at", "restored_on"), "withdrawal_pk"),
    ("watchlists", ("name", "rules", "channels", "created_at", "checked_at"), "name"),
    ("alerts", ("alert_pk", "watchlist", "raised_at", "rule", "key", "title", "payload", "delivered"), "alert_pk"),
)  # fmt: skip
# PostgreSQL columns read as SQLite stores them.
_PG_AS_SQLITE = {
    "paths": "paths::text",
    "counts": "counts::text",
    "published": "to_char(published, 'YYYY-MM-DD')",
    "last": "to_char(last, 'YYYY-MM-DD')",
    "source": "source::text",
    "meta": "meta::text",
    "attrs": "attrs::text",
    "is_current": "is_current::int",
}
# Tables whose keys are copied (PostgreSQL's identity sequences continue after them).
_KEYED = ("runs", "articles", "texts", "documents", "watch_passes", "fetches", "withdrawals", "alerts")
_PAGE = 5_000

Progress = Callable[[str, int], None]


def _rows(store: Store, table: str, columns: tuple[str, ...], order: str) -> Iterator[list[tuple[Any, ...]]]:
    if isinstance(store, SQLiteStore):
        order = "rowid" if order == "insertion" else order
        cur = store.conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
        while page := cur.fetchmany(_PAGE):
            yield page
        return
    assert isinstance(store, PostgresStore)
    order = "annotation_pk" if order == "insertion" else order
    select = ", ".join(_PG_AS_SQLITE.get(c, c) for c in columns)
    # A named (server-side) cursor streams the table instead of loading it whole.
    with store.conn.cursor(name=f"migrate_{table}") as server:
        server.execute(f"SELECT {select} FROM {table} ORDER BY {order}")
        while rows := server.fetchmany(_PAGE):
            yield rows


def _write(store: Store, table: str, columns: tuple[str, ...], page: list[tuple[Any, ...]]) -> None:
    if isinstance(store, SQLiteStore):
        marks = ", ".join("?" * len(columns))
        store.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", page)
        return
    assert isinstance(store, PostgresStore)
    with store.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in page:
            copy.write_row(row)


def _finish(store: Store) -> None:
    """Build the search index over the current versions; PostgreSQL's keys continue after the copied ones."""
    if isinstance(store, SQLiteStore):
        store.conn.execute(
            "INSERT INTO docs_fts (rowid, title, text) SELECT d.doc_pk, d.title, t.text FROM documents d "
            "JOIN texts t ON t.text_pk = d.text_pk WHERE d.is_current = 1"
        )
        return
    assert isinstance(store, PostgresStore)
    store.conn.execute(
        f"UPDATE documents d SET fts = {FTS_SQL} FROM texts t WHERE t.text_pk = d.text_pk AND d.is_current"
    )
    for table, columns, _ in TABLES:
        if table in _KEYED:
            key = columns[0]
            store.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), "
                f"coalesce((SELECT max({key}) FROM {table}), 0) + 1, false)"
            )


def _runs(store: SQLiteStore | PostgresStore) -> int:
    row = store.conn.execute("SELECT count(*) FROM runs").fetchone()
    return int(row[0]) if row is not None else 0


def _name(store: Store) -> str:
    return safe_url(store.path) if isinstance(store, PostgresStore) else store.path


def migrate(src: Store, dst: Store, progress: Progress | None = None) -> dict[str, int]:
    """Copy every row of ``src`` into the empty ``dst``; returns the rows copied per table."""
    for store in (src, dst):
        if not isinstance(store, SQLiteStore | PostgresStore):
            raise StoreError(f"cannot migrate a {type(store).__name__}", where=_name(store))
        if store is dst and (any(dst.counts().values()) or _runs(dst)):
            raise StoreError("the destination store is not empty", where=_name(dst))
    copied: dict[str, int] = {}
    # A PostgreSQL source is read in one transaction: one consistent snapshot, and named cursors need one.
    reading: AbstractContextManager[Any] = (
        src.conn.transaction() if isinstance(src, PostgresStore) else nullcontext()
    )
    with reading, dst.transaction():
        for table, columns, order in TABLES:
            copied[table] = 0
            for page in _rows(src, table, columns, order):
                _write(dst, table, columns, page)
                copied[table] += len(page)
                if progress is not None:
                    progress(table, len(page))
        _finish(dst)
    if src.counts() != dst.counts():
        raise StoreError(f"copy is incomplete: {src.counts()} != {dst.counts()}", where=_name(dst))
    return copied
