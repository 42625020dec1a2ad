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
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import Annotation, Document, Source
from .base import Hit, Put, PutStatus, Query, VersionInfo, article_key
from .dedupe import DedupeOptions, NearDuplicates
from .options import StoreOptions
from .sqlite_search import search

__all__ = ["SQLiteStore"]

_DOC_COLUMNS = (
    "d.doc_pk, d.doc_id, d.title, d.outlet, d.url, d.published, d.language, d.source, d.meta, d.text_pk"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


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
                self.conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (int(number), name, _now()))
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError:
                self.conn.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    # --- the write path -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[_Writer]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot start a write: {exc}", where=self.path) from exc
        try:
            yield _Writer(self)
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
        sql = (
            "SELECT d.doc_pk FROM documents d JOIN articles a ON a.article_pk = d.article_pk "
            "WHERE (d.doc_id = ? OR a.key = ?) AND "
            + ("d.version = ?" if version is not None else "d.is_current = 1")
            + " ORDER BY d.doc_pk DESC LIMIT 1"
        )
        params: tuple[Any, ...] = (doc_id, doc_id) if version is None else (doc_id, doc_id, version)
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


class _Writer:
    """Writes inside one open transaction of a :class:`SQLiteStore`.

    A new article with a new text costs seven statements: the transaction holds the write
    lock (BEGIN IMMEDIATE), so the writer hands out primary keys itself and inserts each
    row complete instead of inserting and then updating it.
    """

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store
        self._conn = store.conn
        self._sql = store.conn.execute
        self._next_pk: dict[str, int] = {}

    def _new_pk(self, table: str, column: str) -> int:
        """The next rowid of ``table``: what SQLite would choose (max + 1), known before the insert."""
        pk = self._next_pk.get(table)
        if pk is None:
            pk = int(self._sql(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()[0])
        self._next_pk[table] = pk + 1
        return pk

    def start_run(self, command: str, paths: Sequence[str]) -> int:
        cur = self._sql(
            "INSERT INTO runs (started_at, command, paths) VALUES (?, ?, ?)",
            (_now(), command, json.dumps(list(paths))),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def finish_run(self, run: int, counts: dict[str, int]) -> None:
        self._sql(
            "UPDATE runs SET finished_at = ?, counts = ? WHERE run_pk = ?", (_now(), json.dumps(counts), run)
        )

    def put(
        self, doc: Document, *, pipeline_version: str | None, run: int | None = None, seen: bool = True
    ) -> Put:
        now = _now()
        key = article_key(doc)
        text_pk, group_pk, alone = self._text(doc, pipeline_version)
        article = self._sql("SELECT article_pk, current_pk FROM articles WHERE key = ?", (key,)).fetchone()
        if article is not None:
            article_pk, current_pk = article
            cur_text, cur_version, cur_title = self._sql(
                "SELECT d.text_pk, d.version, d.title FROM documents d WHERE d.doc_pk = ?", (current_pk,)
            ).fetchone()
            if cur_text == text_pk:
                if seen:
                    self._sql("UPDATE documents SET last_seen = ? WHERE doc_pk = ?", (now, current_pk))
                    self._sql("UPDATE articles SET last_seen = ? WHERE article_pk = ?", (now, article_pk))
                return Put(PutStatus.UNCHANGED, cur_version)
            old_text = self._sql("SELECT text FROM texts WHERE text_pk = ?", (cur_text,)).fetchone()[0]
            self._sql(
                "INSERT INTO docs_fts (docs_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (current_pk, cur_title, old_text),
            )
            self._sql("UPDATE documents SET is_current = 0 WHERE doc_pk = ?", (current_pk,))
            doc_pk = self._new_pk("documents", "doc_pk")
            self._sql(
                "UPDATE articles SET current_pk = ?, last_seen = ? WHERE article_pk = ?",
                (doc_pk, now, article_pk),
            )
            version, status = cur_version + 1, PutStatus.VERSION
        else:
            article_pk, doc_pk = self._new_pk("articles", "article_pk"), self._new_pk("documents", "doc_pk")
            self._sql(
                "INSERT INTO articles (article_pk, key, first_seen, last_seen, current_pk) VALUES (?,?,?,?,?)",
                (article_pk, key, now, now, doc_pk),
            )
            version, status = 1, PutStatus.NEW
        self._insert_document(doc, doc_pk, article_pk, version, text_pk, now, run)
        self._sql("INSERT INTO docs_fts (rowid, title, text) VALUES (?, ?, ?)", (doc_pk, doc.title, doc.text))
        if alone:  # a text new in its own group: no other article can hold a copy
            return Put(status, version)
        copy = self._sql(
            "SELECT d.doc_id FROM texts t JOIN documents d ON d.text_pk = t.text_pk "
            "WHERE t.group_pk = ? AND d.article_pk != ? ORDER BY d.doc_pk LIMIT 1",
            (group_pk, article_pk),
        ).fetchone()
        return Put(status, version, copy[0] if copy else None)

    def _insert_document(
        self, doc: Document, doc_pk: int, article_pk: int, version: int, text_pk: int, now: str, run: int | None
    ) -> None:
        source = None
        if doc.source is not None:
            s = doc.source
            source = json.dumps(
                {"raw": s.raw, "media_type": s.media_type, "encoding": s.encoding, "location": s.location},
                ensure_ascii=False,
            )
        self._sql(
            "INSERT INTO documents (doc_pk, article_pk, version, doc_id, text_pk, title, outlet, url, published, "
            "language, source, meta, first_seen, last_seen, run_pk) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc_pk,
                article_pk,
                version,
                doc.id,
                text_pk,
                doc.title,
                doc.outlet,
                doc.url,
                doc.published.isoformat() if doc.published else None,
                doc.language,
                source,
                json.dumps(doc.meta, ensure_ascii=False, default=str) if doc.meta else "{}",
                now,
                now,
                run,
            ),
        )

    def _text(self, doc: Document, pipeline_version: str | None) -> tuple[int, int, bool]:
        """The stored text of ``doc`` (inserted, grouped, annotated as needed): (text_pk,
        group_pk, whether it was inserted now as the only member of a new group)."""
        digest = doc.content_hash
        row = self._sql("SELECT text_pk, group_pk, pipeline_version FROM texts WHERE hash = ?", (digest,)).fetchone()
        if row is not None:
            text_pk, group_pk, stored_version = row
            if pipeline_version is not None and pipeline_version != stored_version:
                self._sql("DELETE FROM annotations WHERE text_pk = ?", (text_pk,))
                self._sql("DELETE FROM text_entities WHERE text_pk = ?", (text_pk,))
                self._annotate(text_pk, doc)
                self._sql(
                    "UPDATE texts SET pipeline_version = ?, analysed_at = ? WHERE text_pk = ?",
                    (pipeline_version, _now(), text_pk),
                )
            return int(text_pk), int(group_pk), False
        near = self._store._near
        shingles = near.shingles(doc.text)
        keys = near.band_keys(shingles)
        text_pk = self._new_pk("texts", "text_pk")
        group_pk = text_pk
        best = near.options.threshold
        for cand_group, cand_text in self._sql(
            f"SELECT t.group_pk, t.text FROM texts t WHERE t.text_pk IN "
            f"(SELECT DISTINCT text_pk FROM lsh_bands WHERE band_key IN ({','.join('?' * len(keys))}))",
            keys,
        ):
            score = near.similar(shingles, near.shingles(cand_text))
            if score >= best:
                best, group_pk = score, cand_group
        self._sql(
            "INSERT INTO texts (text_pk, hash, text, group_pk, pipeline_version, analysed_at) VALUES (?,?,?,?,?,?)",
            (
                text_pk,
                digest,
                doc.text,
                group_pk,
                pipeline_version,
                _now() if pipeline_version is not None else None,
            ),
        )
        self._conn.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band_key, text_pk) VALUES (?, ?)", [(k, text_pk) for k in keys]
        )
        self._annotate(text_pk, doc)
        return text_pk, group_pk, group_pk == text_pk

    def _annotate(self, text_pk: int, doc: Document) -> None:
        if not doc.annotations:
            return
        self._conn.executemany(
            "INSERT INTO annotations (text_pk, start, end, label, attrs, producer) VALUES (?,?,?,?,?,?)",
            [
                (
                    text_pk,
                    a.start,
                    a.end,
                    a.label,
                    json.dumps(dict(a.attrs), ensure_ascii=False, default=str),
                    a.producer,
                )
                for a in doc.annotations
            ],
        )
        entities = [
            (str(a.attrs["id"]), str(a.attrs.get("name") or ""), str(a.attrs.get("type") or ""), text_pk)
            for a in doc.annotations
            if a.label == "entity" and a.attrs.get("id")
        ]
        if entities:
            self._conn.executemany(
                "INSERT OR IGNORE INTO text_entities (entity_id, name, type, text_pk) VALUES (?,?,?,?)", entities
            )
