"""The embedded default store: one SQLite file in WAL mode with an FTS5 index.

WAL lets readers (search, show, the web UI) keep working while an ingest writes, and
with ``synchronous=NORMAL`` a killed process loses nothing it committed. Schema
changes are the numbered scripts in ``migrations/``, applied in order once each.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Annotation, Document, Source
from .base import Hit, Query, VersionInfo
from .dedupe import DedupeOptions, NearDuplicates
from .options import StoreOptions
from .sqlite_search import search
from .sqlite_write import SQLiteWriter, now

__all__ = ["SQLiteStore"]

_DOC_COLUMNS = (
    "d.doc_pk, d.doc_id, d.title, d.outlet, d.url, d.published, d.language, d.source, d.meta, d.text_pk"
)


class SQLiteStore:
    """A corpus in one SQLite file (created, and migrated, on open)."""

    def __init__(
        self, path: str | Path, options: StoreOptions | None = None, dedupe: DedupeOptions | None = None
    ) -> None:
        self.path = str(path)
        self.options = options or StoreOptions()
        self._near = NearDuplicates(dedupe or DedupeOptions())
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in transaction()).
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute(f"PRAGMA busy_timeout={int(self.options.busy_timeout_ms)}")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database: {exc}", where=self.path) from exc

    # --- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self.conn.execute("SELECT version FROM schema_version")}
        scripts = resources.files("statemedia.store").joinpath("migrations")
        for script in sorted(scripts.iterdir(), key=lambda p: p.name):
            if not script.name.endswith(".sql"):
                continue
            number, _, name = script.name.removesuffix(".sql").partition("_")
            if int(number) in done:
                continue
            sql = script.read_text(encoding="utf-8")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (int(number), name, now()))
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError:
                self.conn.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0])

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

    # --- reads --------------------------------------------------------------------------
    def analysed_version(self, content_hash: str) -> str | bool | None:
        row = self.conn.execute(
            "SELECT pipeline_version FROM texts WHERE hash = ?", (content_hash,)
        ).fetchone()
        return False if row is None else row[0]

    def _doc_pk(self, doc_id: str, version: int | None) -> int | None:
        # An id names an article; the same id may exist in two outlets: prefer the newest.
        # Two indexed lookups (by doc_id, by article key) joined with UNION ALL: one WHERE with
        # "doc_id = ? OR key = ?" across the join scans every document (12-22 ms at 22k, <0.1 ms so).
        which = "d.version = ?" if version is not None else "d.is_current = 1"
        sql = (
            f"SELECT d.doc_pk FROM documents d WHERE d.doc_id = ? AND {which} UNION ALL "
            "SELECT d.doc_pk FROM articles a JOIN documents d ON d.article_pk = a.article_pk "
            f"WHERE a.key = ? AND {which} ORDER BY 1 DESC LIMIT 1"
        )
        params: tuple[Any, ...] = (doc_id, doc_id) if version is None else (doc_id, version, doc_id, version)
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else int(row[0])

    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        pk = self._doc_pk(doc_id, version)
        if pk is None:
            return None
        row = self.conn.execute(
            f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
            "WHERE d.doc_pk = ?",
            (pk,),
        ).fetchone()
        return self._document(row, annotations=True)

    def _document(self, row: Sequence[Any], *, annotations: bool) -> Document:
        _pk, doc_id, title, outlet, url, published, language, source, meta, text_pk, text = row
        src = json.loads(source) if source else None
        doc = Document(
            id=doc_id,
            text=text,
            title=title,
            outlet=outlet,
            url=url,
            published=date.fromisoformat(published) if published else None,
            language=language,
            source=Source(**src) if src else None,
            meta=json.loads(meta),
        )
        if annotations:
            doc.add(
                Annotation(start, end, label, json.loads(attrs), producer)
                for start, end, label, attrs, producer in self.conn.execute(
                    "SELECT start, end, label, attrs, producer FROM annotations WHERE text_pk = ? "
                    "ORDER BY rowid",
                    (text_pk,),
                )
            )
        return doc

    def versions(self, doc_id: str) -> list[VersionInfo]:
        pk = self._doc_pk(doc_id, None)
        if pk is None:
            return []
        rows = self.conn.execute(
            "SELECT d.version, t.hash, d.first_seen, d.last_seen, d.title FROM documents d "
            "JOIN texts t ON t.text_pk = d.text_pk WHERE d.article_pk = "
            "(SELECT article_pk FROM documents WHERE doc_pk = ?) ORDER BY d.version",
            (pk,),
        )
        return [VersionInfo(*row) for row in rows]

    def documents(self, *, annotations: bool = False) -> Iterator[Document]:
        # A separate cursor per page keeps memory flat and lets writes interleave.
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
                "WHERE d.is_current = 1 AND d.doc_pk > ? ORDER BY d.doc_pk LIMIT 1000",
                (last,),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._document(row, annotations=annotations)
            last = rows[-1][0]

    def stale(self, pipeline_version: str) -> Iterator[Document]:
        pks = [
            row[0]
            for row in self.conn.execute(
                "SELECT (SELECT min(doc_pk) FROM documents d WHERE d.text_pk = t.text_pk) FROM texts t "
                "WHERE t.pipeline_version IS NOT ? ORDER BY t.text_pk",
                (pipeline_version,),
            )
        ]
        for pk in pks:
            row = self.conn.execute(
                f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
                "WHERE d.doc_pk = ?",
                (pk,),
            ).fetchone()
            yield self._document(row, annotations=True)

    def search(self, query: Query) -> list[Hit]:
        return search(self.conn, query, self.options)

    def counts(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "documents": one("SELECT count(*) FROM documents").fetchone()[0],
            "texts": one("SELECT count(*) FROM texts").fetchone()[0],
            "duplicate_groups": one(
                "SELECT count(*) FROM (SELECT t.group_pk FROM documents d JOIN texts t "
                "ON t.text_pk = d.text_pk WHERE d.is_current = 1 GROUP BY t.group_pk HAVING count(*) > 1)"
            ).fetchone()[0],
            "annotations": one("SELECT count(*) FROM annotations").fetchone()[0],
        }

    def close(self) -> None:
        self.conn.close()


def _statements(sql: str) -> Iterator[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows quoting)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
