"""The shared store: a PostgreSQL database, for a team on one corpus or many writers at once.

The same logical schema, versions and duplicate groups as the SQLite store (see
``migrations_pg/``), so both pass the same tests and ``migrate-store`` copies between
them. Full-text search is a ``tsvector`` column with a GIN index (``postgres_search.py``).
Several ingests may write at once: article and text rows are claimed with
``INSERT ... ON CONFLICT`` and the article row is locked while its version is decided.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from ..errors import StoreError
from ..model import Annotation, Document, Source
from .base import Hit, Put, PutStatus, Query, VersionInfo, article_key
from .dedupe import DedupeOptions, NearDuplicates
from .options import StoreOptions
from .postgres_search import search

__all__ = ["FTS_SQL", "PostgresStore", "safe_url"]

_DOC_COLUMNS = "d.doc_pk, d.doc_id, d.title, d.outlet, d.url, d.published, d.language, d.source, d.meta, d.text_pk"
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


class PostgresStore:
    """A corpus in a PostgreSQL database (its tables created, and migrated, on open)."""

    def __init__(
        self, url: str, options: StoreOptions | None = None, dedupe: DedupeOptions | None = None
    ) -> None:
        self.path = url
        self.options = options or StoreOptions()
        self._near = NearDuplicates(dedupe or DedupeOptions())
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
        scripts = resources.files("statemedia.store").joinpath("migrations_pg")
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
            )
            done = {row[0] for row in self.conn.execute("SELECT version FROM schema_version")}
            for script in sorted(scripts.iterdir(), key=lambda p: p.name):
                if not script.name.endswith(".sql"):
                    continue
                number, _, name = script.name.removesuffix(".sql").partition("_")
                if int(number) in done:
                    continue
                # A script without parameters may hold many statements in one execute.
                self.conn.execute(script.read_text(encoding="utf-8").encode())
                self.conn.execute("INSERT INTO schema_version VALUES (%s, %s, %s)", (int(number), name, _now()))

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        assert row is not None
        return int(row[0])

    # --- the write path -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[_Writer]:
        try:
            with self.conn.transaction():
                yield _Writer(self)
        except psycopg.OperationalError as exc:
            raise StoreError(f"write failed: {exc}".replace("\n", " "), where=safe_url(self.path)) from exc

    # --- reads --------------------------------------------------------------------------
    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.conn.execute(sql, params).fetchone()

    def analysed_version(self, content_hash: str) -> str | bool | None:
        row = self._one("SELECT pipeline_version FROM texts WHERE hash = %s", (content_hash,))
        return False if row is None else row[0]

    def _doc_pk(self, doc_id: str, version: int | None) -> int | None:
        # An id names an article; the same id may exist in two outlets: prefer the newest.
        # Two indexed lookups joined with UNION ALL: "doc_id = %s OR key = %s" across the join
        # cannot use either index and scans every document (as measured on SQLite: 12-22 ms at 22k).
        which = "d.version = %s" if version is not None else "d.is_current"
        sql = (
            f"SELECT d.doc_pk FROM documents d WHERE d.doc_id = %s AND {which} UNION ALL "
            "SELECT d.doc_pk FROM articles a JOIN documents d ON d.article_pk = a.article_pk "
            f"WHERE a.key = %s AND {which} ORDER BY 1 DESC LIMIT 1"
        )
        row = self._one(sql, (doc_id, doc_id) if version is None else (doc_id, version, doc_id, version))
        return None if row is None else int(row[0])

    def _by_pk(self, pk: int) -> Document:
        row = self._one(
            f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
            "WHERE d.doc_pk = %s",
            (pk,),
        )
        assert row is not None
        return self._document(row, annotations=True)

    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        pk = self._doc_pk(doc_id, version)
        return None if pk is None else self._by_pk(pk)

    def _document(self, row: Sequence[Any], *, annotations: bool) -> Document:
        _pk, doc_id, title, outlet, url, published, language, source, meta, text_pk, text = row
        doc = Document(
            id=doc_id,
            text=text,
            title=title,
            outlet=outlet,
            url=url,
            published=published,
            language=language,
            source=Source(**source) if source else None,
            meta=meta,
        )
        if annotations:
            doc.add(
                Annotation(start, end, label, attrs, producer)
                for start, end, label, attrs, producer in self.conn.execute(
                    'SELECT start, "end", label, attrs, producer FROM annotations WHERE text_pk = %s '
                    "ORDER BY annotation_pk",
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
            "(SELECT article_pk FROM documents WHERE doc_pk = %s) ORDER BY d.version",
            (pk,),
        )
        return [VersionInfo(*row) for row in rows]

    def documents(self, *, annotations: bool = False) -> Iterator[Document]:
        # Pages by key: no cursor stays open, so writes on this connection can interleave.
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
                "WHERE d.is_current AND d.doc_pk > %s ORDER BY d.doc_pk LIMIT 1000",
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
                "WHERE t.pipeline_version IS DISTINCT FROM %s ORDER BY t.text_pk",
                (pipeline_version,),
            )
        ]
        for pk in pks:
            yield self._by_pk(pk)

    def search(self, query: Query) -> list[Hit]:
        return search(self.conn, query, self.options)

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            row = self._one(sql)
            assert row is not None
            return int(row[0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "documents": one("SELECT count(*) FROM documents"),
            "texts": one("SELECT count(*) FROM texts"),
            "duplicate_groups": one(
                "SELECT count(*) FROM (SELECT t.group_pk FROM documents d JOIN texts t "
                "ON t.text_pk = d.text_pk WHERE d.is_current GROUP BY t.group_pk HAVING count(*) > 1) g"
            ),
            "annotations": one("SELECT count(*) FROM annotations"),
        }

    def close(self) -> None:
        self.conn.close()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


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
            (_now(), command, _json(list(paths))),
        )
        assert row is not None
        return int(row[0])

    def finish_run(self, run: int, counts: dict[str, int]) -> None:
        self._conn.execute(
            "UPDATE runs SET finished_at = %s, counts = %s WHERE run_pk = %s", (_now(), _json(counts), run)
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
        source = None
        if doc.source is not None:
            s = doc.source
            source = _json({"raw": s.raw, "media_type": s.media_type, "encoding": s.encoding, "location": s.location})
        row = self._one(
            "INSERT INTO documents (article_pk, version, doc_id, text_pk, title, outlet, url, published, "
            "language, source, meta, first_seen, last_seen, run_pk) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING doc_pk",
            (
                article_pk,
                version,
                doc.id,
                text_pk,
                doc.title,
                doc.outlet,
                doc.url,
                doc.published,
                doc.language,
                source,
                _json(doc.meta),
                now,
                now,
                run,
            ),
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
                    copy.write_row((text_pk, a.start, a.end, a.label, _json(dict(a.attrs)), a.producer))
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
