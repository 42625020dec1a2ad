"""The shared store: a PostgreSQL database, for a team on one corpus or many writers at once.

The same logical schema, versions and duplicate groups as the SQLite store (see
``migrations_pg/``), so both pass the same tests and ``migrate-store`` copies between
them. Full-text search is a ``tsvector`` column with a GIN index (``postgres_search.py``).
Several ingests may write at once: article and text rows are claimed with
``INSERT ... ON CONFLICT`` and the article row is locked while its version is decided.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ..errors import StoreError
from ..model import Document
from .base import DOCUMENT_COLUMNS, Hit, Put, PutStatus, Query, article_key, document_row, json_text
from .dedupe import DedupeOptions, NearDuplicates
from .options import StoreOptions, store_options
from .postgres_search import search
from .sql_reader import POSTGRES, SQLReader, pending_migrations

__all__ = ["FTS_SQL", "PostgresStore", "safe_url"]

# Title (weight A) and text (B) of the document row being written, from its stored text.
FTS_SQL = (
    "setweight(to_tsvector('statemedia', coalesce(d.title, '')), 'A') || "
    "setweight(to_tsvector('statemedia', t.text), 'B')"
)
# Any session may migrate: this advisory lock makes the others wait instead of racing.
_MIGRATION_LOCK = 0x5354_4D45_4449_41


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


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
            # Autocommit: reads see every commit at once; writes are explicit transactions.
            self.conn = psycopg.connect(
                make_conninfo(url, connect_timeout=10, application_name="statemedia"), autocommit=True
            )
            # busy_timeout's counterpart: a writer waits this long for another's row lock.
            self.conn.execute(f"SET lock_timeout = {int(self.options.busy_timeout_ms)}")
            self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the database: {exc}".replace("\n", " "), where=safe_url(url)) from exc

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
                self.conn.execute("INSERT INTO schema_version VALUES (%s, %s, %s)", (number, name, _now()))

    # --- the write path -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[_Writer]:
        try:
            with self.conn.transaction():
                yield _Writer(self)
        except psycopg.OperationalError as exc:
            raise StoreError(f"write failed: {exc}".replace("\n", " "), where=safe_url(self.path)) from exc

    # --- reads (the rest in SQLReader) ------------------------------------------------
    def search(self, query: Query) -> list[Hit]:
        return search(self.conn, query, self.options)


class _Writer:
    """Writes inside one open transaction of a :class:`PostgresStore`."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store
        self._conn = store.conn

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self._conn.execute(sql, params).fetchone()

    def start_run(self, command: str, paths: Sequence[str]) -> int:
        row = self._one(
            "INSERT INTO runs (started_at, command, paths) VALUES (%s, %s, %s) RETURNING run_pk",
            (_now(), command, json_text(list(paths))),
        )
        assert row is not None
        return int(row[0])

    def finish_run(self, run: int, counts: dict[str, int]) -> None:
        self._conn.execute(
            "UPDATE runs SET finished_at = %s, counts = %s WHERE run_pk = %s", (_now(), json_text(counts), run)
        )

    def _article(self, key: str, now: str) -> tuple[int, int | None]:
        """(article_pk, current doc_pk or None if new), the article row locked until commit."""
        sql = "SELECT article_pk, current_pk FROM articles WHERE key = %s FOR UPDATE"
        row = self._one(sql, (key,))
        if row is None:
            row = self._one(
                "INSERT INTO articles (key, first_seen, last_seen) VALUES (%s, %s, %s) "
                "ON CONFLICT (key) DO NOTHING RETURNING article_pk, current_pk",
                (key, now, now),
            )
            # None: another writer created it since the SELECT; its row is committed now.
            row = row or self._one(sql, (key,))
        assert row is not None
        return int(row[0]), row[1]

    def put(
        self, doc: Document, *, pipeline_version: str | None, run: int | None = None, seen: bool = True
    ) -> Put:
        now = _now()
        text_pk, group_pk = self._text(doc, pipeline_version)
        article_pk, current_pk = self._article(article_key(doc), now)
        if current_pk is not None:
            current = self._one("SELECT text_pk, version FROM documents WHERE doc_pk = %s", (current_pk,))
            assert current is not None
            cur_text, cur_version = current
            if cur_text == text_pk:
                if seen:
                    self._conn.execute("UPDATE documents SET last_seen = %s WHERE doc_pk = %s", (now, current_pk))
                    self._conn.execute(
                        "UPDATE articles SET last_seen = %s WHERE article_pk = %s", (now, article_pk)
                    )
                return Put(PutStatus.UNCHANGED, cur_version)
            self._conn.execute(
                "UPDATE documents SET is_current = false, fts = NULL WHERE doc_pk = %s", (current_pk,)
            )
            version, status = cur_version + 1, PutStatus.VERSION
        else:
            version, status = 1, PutStatus.NEW
        doc_pk = self._insert_document(doc, article_pk, version, text_pk, now, run)
        self._conn.execute(
            "UPDATE articles SET current_pk = %s, last_seen = %s WHERE article_pk = %s", (doc_pk, now, article_pk)
        )
        copy = self._one(
            "SELECT d.doc_id FROM texts t JOIN documents d ON d.text_pk = t.text_pk "
            "WHERE t.group_pk = %s AND d.article_pk != %s ORDER BY d.doc_pk LIMIT 1",
            (group_pk, article_pk),
        )
        return Put(status, version, copy[0] if copy else None)

    def put_many(
        self, items: Sequence[tuple[Document, str | None]], *, run: int | None = None, seen: bool = True
    ) -> list[Put]:
        return [self.put(doc, pipeline_version=version, run=run, seen=seen) for doc, version in items]

    def _insert_document(
        self, doc: Document, article_pk: int, version: int, text_pk: int, now: str, run: int | None
    ) -> int:
        row = self._one(
            f"INSERT INTO documents ({DOCUMENT_COLUMNS}) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING doc_pk",
            document_row(doc, article_pk, version, text_pk, now, run),
        )
        assert row is not None
        doc_pk = int(row[0])
        self._conn.execute(
            f"UPDATE documents d SET fts = {FTS_SQL} FROM texts t WHERE t.text_pk = d.text_pk AND d.doc_pk = %s",
            (doc_pk,),
        )
        return doc_pk

    def _text(self, doc: Document, pipeline_version: str | None) -> tuple[int, int]:
        """The stored text of ``doc`` (inserted, grouped, annotated as needed): (text_pk, group_pk)."""
        row = self._one(
            "SELECT text_pk, group_pk, pipeline_version FROM texts WHERE hash = %s", (doc.content_hash,)
        )
        if row is not None:
            text_pk, group_pk, stored_version = row
            if pipeline_version is not None and pipeline_version != stored_version:
                self._conn.execute("DELETE FROM annotations WHERE text_pk = %s", (text_pk,))
                self._conn.execute("DELETE FROM text_entities WHERE text_pk = %s", (text_pk,))
                self._annotate(text_pk, doc, pipeline_version)
            return int(text_pk), int(group_pk)
        near = self._store._near
        shingles = near.shingles(doc.text)
        keys = near.band_keys(shingles)
        group_pk = None
        best = near.options.threshold
        for cand_group, cand_text in self._conn.execute(
            "SELECT t.group_pk, t.text FROM texts t WHERE t.text_pk IN "
            "(SELECT text_pk FROM lsh_bands WHERE band_key = ANY(%s)) ORDER BY t.text_pk",
            (keys,),
        ):
            score = near.similar(shingles, near.shingles(cand_text))
            if score >= best:
                best, group_pk = score, cand_group
        seq = self._one("SELECT nextval(pg_get_serial_sequence('texts', 'text_pk'))")
        assert seq is not None
        text_pk = int(seq[0])
        inserted = self._one(
            "INSERT INTO texts (text_pk, hash, text, group_pk) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (hash) DO NOTHING RETURNING text_pk",
            (text_pk, doc.content_hash, doc.text, group_pk if group_pk is not None else text_pk),
        )
        if inserted is None:  # another writer stored this text since the SELECT
            return self._text(doc, pipeline_version)
        with self._conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO lsh_bands (band_key, text_pk) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(k, text_pk) for k in keys],
            )
        self._annotate(text_pk, doc, pipeline_version)
        return text_pk, group_pk if group_pk is not None else text_pk

    def _annotate(self, text_pk: int, doc: Document, pipeline_version: str | None) -> None:
        with self._conn.cursor() as cur:
            # COPY: a fully analysed story has hundreds of annotations; one round trip for all.
            with cur.copy('COPY annotations (text_pk, start, "end", label, attrs, producer) FROM STDIN') as copy:
                for a in doc.annotations:
                    copy.write_row((text_pk, a.start, a.end, a.label, json_text(dict(a.attrs)), a.producer))
            entities = {
                str(a.attrs["id"]): (str(a.attrs.get("name") or ""), str(a.attrs.get("type") or ""))
                for a in reversed(doc.annotations)
                if a.label == "entity" and a.attrs.get("id")
            }
            if entities:
                cur.executemany(
                    "INSERT INTO text_entities (entity_id, name, type, text_pk) VALUES (%s,%s,%s,%s) "
                    "ON CONFLICT DO NOTHING",
                    [(eid, name, kind, text_pk) for eid, (name, kind) in entities.items()],
                )
            cur.execute(
                "UPDATE texts SET pipeline_version = %s, analysed_at = %s WHERE text_pk = %s",
                (pipeline_version, _now() if pipeline_version else None, text_pk),
            )
