"""The read path shared by the SQL stores: one logical schema, so one set of queries
(and one reading of the numbered migration scripts that build it).

SQLite and PostgreSQL differ here only in spelling (placeholders, booleans, null-safe
comparison, which column keeps annotation order) and in what the driver decodes (psycopg
returns JSON and dates as Python values, sqlite3 returns text); a :class:`Dialect` holds
those differences and :class:`SQLReader` the logic once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, ClassVar, Protocol

from ..model import Annotation, Document, Source
from .base import Hit, Query, VersionInfo

__all__ = [
    "MATCHED_COLUMNS",
    "POSTGRES",
    "SQLITE",
    "Dialect",
    "SQLReader",
    "filters",
    "hits_in_rank_order",
    "pending_migrations",
]

_DOC_COLUMNS = "d.doc_pk, d.doc_id, d.title, d.outlet, d.url, d.published, d.language, d.source, d.meta, d.text_pk"
# The columns of Store.match_sql: what counting over the matches (search facets) reads. No doc_id:
# without it SQLite reads them from the index documents_pk_facets (migrations/008), not the rows.
MATCHED_COLUMNS = "d.doc_pk, d.text_pk, d.outlet, d.published, d.language"
# Rows per page of documents(): a page is fetched whole, so no cursor stays open between pages.
_PAGE = 1000


def pending_migrations(folder: str, done: set[int]) -> Iterator[tuple[int, str, str]]:
    """(number, name, SQL) of each script ``NNN_name.sql`` in ``folder`` of this package whose
    number is not in ``done``, in order."""
    scripts = resources.files("statemedia.store").joinpath(folder)
    for script in sorted(scripts.iterdir(), key=lambda p: p.name):
        if not script.name.endswith(".sql"):
            continue
        number, _, name = script.name.removesuffix(".sql").partition("_")
        if int(number) not in done:
            yield int(number), name, script.read_text(encoding="utf-8")


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Dialect:
    """How one database spells what the shared queries need."""

    param: str  # the driver's placeholder
    current: str  # predicate: document row d is its article's current version
    distinct: str  # null-safe "differs from" operator
    annotation_order: str  # column that keeps annotations in insertion order
    name_equals: str  # predicate: text_entities.name is the parameter, ignoring case
    decode_json: Callable[[Any], Any] = _as_is  # stored JSON -> Python value (as is: the driver decoded it)
    decode_date: Callable[[Any], Any] = _as_is  # stored non-null date -> datetime.date


# sqlite3 returns JSON and dates as the text they are stored as; annotations have no key
# column, rowid keeps their insertion order; entity names compare through their NOCASE column.
SQLITE = Dialect(
    param="?",
    current="d.is_current = 1",
    distinct="IS NOT",
    annotation_order="rowid",
    name_equals="name = ?",
    decode_json=json.loads,
    decode_date=date.fromisoformat,
)
# psycopg decodes json and date columns itself; names compare through the lower(name) index.
POSTGRES = Dialect(
    param="%s",
    current="d.is_current",
    distinct="IS DISTINCT FROM",
    annotation_order="annotation_pk",
    name_equals="lower(name) = lower(%s)",
)


def filters(query: Query, dialect: Dialect) -> tuple[str, list[Any]]:
    """The ``AND ...`` conditions on documents ``d`` for the filters of ``query``, with their
    parameters (dates as ISO text: SQLite stores them so, PostgreSQL casts it to ``date``)."""
    p = dialect.param
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in (
        (f"d.outlet = {p}", query.outlet),
        (f"d.language = {p}", query.language),
        (f"d.published >= {p}", query.date_from and query.date_from.isoformat()),
        (f"d.published <= {p}", query.date_to and query.date_to.isoformat()),
    ):
        if value:
            clauses.append(clause)
            params.append(value)
    if query.person:
        clauses.append(
            "d.text_pk IN (SELECT text_pk FROM text_entities WHERE type = 'PERSON' "
            f"AND (entity_id = {p} OR {dialect.name_equals}))"
        )
        params += [query.person, query.person]
    return "".join(f" AND {c}" for c in clauses), params


def hits_in_rank_order(
    best: dict[int, tuple[int, float]],
    rows: dict[int, Sequence[Any]],
    group_members: Iterable[Sequence[Any]],
    dialect: Dialect,
) -> list[Hit]:
    """The search hits of ``best`` (duplicate group -> its best doc_pk and score, in rank order),
    from each best document's row (doc_pk -> snippet, doc_id, title, outlet, published, language)
    and the (group_pk, doc_pk, doc_id) of every current member of those groups, in doc_pk order."""
    copies: dict[int, list[str]] = {group: [] for group in best}
    for group_pk, doc_pk, doc_id in group_members:
        if doc_pk != best[group_pk][0]:
            copies[group_pk].append(doc_id)
    hits = []
    for group_pk, (doc_pk, score) in best.items():
        snippet, doc_id, title, outlet, published, language = rows[doc_pk]
        hits.append(
            Hit(
                id=doc_id,
                title=title,
                outlet=outlet,
                published=dialect.decode_date(published) if published else None,
                language=language,
                score=score,
                snippet=snippet,
                copies=copies[group_pk],
            )
        )
    return hits


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class _Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> _Cursor: ...

    def close(self) -> None: ...


class SQLReader:
    """The reads of the :class:`~statemedia.store.base.Store` protocol over ``self.conn``."""

    dialect: ClassVar[Dialect]
    conn: _Connection

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params).fetchone()

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        if self.dialect.param != "?":
            statement = statement.replace("?", self.dialect.param)
        return list(self.conn.execute(statement, params).fetchall())

    def schema_version(self) -> int:
        return int(self._one("SELECT max(version) FROM schema_version")[0])

    def analysed_version(self, content_hash: str) -> str | bool | None:
        row = self._one(f"SELECT pipeline_version FROM texts WHERE hash = {self.dialect.param}", (content_hash,))
        return False if row is None else row[0]

    def _doc_pk(self, doc_id: str, version: int | None) -> int | None:
        # An id names an article; the same id may exist in two outlets: prefer the newest.
        # Two indexed lookups (by doc_id, by article key) joined with UNION ALL: one WHERE with
        # "doc_id = ? OR key = ?" across the join scans every document (docs/performance.md, "Search").
        p = self.dialect.param
        which = f"d.version = {p}" if version is not None else self.dialect.current
        sql = (
            f"SELECT d.doc_pk FROM documents d WHERE d.doc_id = {p} AND {which} UNION ALL "
            "SELECT d.doc_pk FROM articles a JOIN documents d ON d.article_pk = a.article_pk "
            f"WHERE a.key = {p} AND {which} ORDER BY 1 DESC LIMIT 1"
        )
        row = self._one(sql, (doc_id, doc_id) if version is None else (doc_id, version, doc_id, version))
        return None if row is None else int(row[0])

    def _by_pk(self, pk: int) -> Document:
        row = self._one(
            f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
            f"WHERE d.doc_pk = {self.dialect.param}",
            (pk,),
        )
        return self._document(row, annotations=True)

    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        pk = self._doc_pk(doc_id, version)
        return None if pk is None else self._by_pk(pk)

    def duplicates(self, doc_id: str) -> list[str]:
        """Ids of the other articles whose current text is in the same duplicate group (exact
        or near copies) as the current version of ``doc_id``, oldest first."""
        pk = self._doc_pk(doc_id, None)
        if pk is None:
            return []
        p, current = self.dialect.param, self.dialect.current
        rows = self.conn.execute(
            "SELECT d.doc_id FROM documents o JOIN texts ot ON ot.text_pk = o.text_pk "
            "JOIN texts t ON t.group_pk = ot.group_pk JOIN documents d ON d.text_pk = t.text_pk "
            f"WHERE o.doc_pk = {p} AND {current} AND d.article_pk != o.article_pk ORDER BY d.doc_pk",
            (pk,),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def _document(self, row: Sequence[Any], *, annotations: bool) -> Document:
        _pk, doc_id, title, outlet, url, published, language, source, meta, text_pk, text = row
        decode = self.dialect.decode_json
        src = decode(source) if source else None
        doc = Document(
            id=doc_id,
            text=text,
            title=title,
            outlet=outlet,
            url=url,
            published=self.dialect.decode_date(published) if published else None,
            language=language,
            source=Source(**src) if src else None,
            meta=decode(meta),
        )
        if annotations:
            doc.add(
                Annotation(start, end, label, decode(attrs), producer)
                for start, end, label, attrs, producer in self.conn.execute(
                    'SELECT start, "end", label, attrs, producer FROM annotations '
                    f"WHERE text_pk = {self.dialect.param} ORDER BY {self.dialect.annotation_order}",
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
            f"(SELECT article_pk FROM documents WHERE doc_pk = {self.dialect.param}) ORDER BY d.version",
            (pk,),
        )
        return [VersionInfo(*row) for row in rows]

    def documents(self, *, annotations: bool = False) -> Iterator[Document]:
        # Pages by key: no cursor stays open, so memory stays flat and writes can interleave.
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT {_DOC_COLUMNS}, t.text FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
                f"WHERE {self.dialect.current} AND d.doc_pk > {self.dialect.param} ORDER BY d.doc_pk LIMIT {_PAGE}",
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
                f"WHERE t.pipeline_version {self.dialect.distinct} {self.dialect.param} ORDER BY t.text_pk",
                (pipeline_version,),
            )
        ]
        for pk in pks:
            yield self._by_pk(pk)

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self._one(sql)[0])

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "documents": one("SELECT count(*) FROM documents"),
            "texts": one("SELECT count(*) FROM texts"),
            "duplicate_groups": one(
                "SELECT count(*) FROM (SELECT t.group_pk FROM documents d JOIN texts t "
                f"ON t.text_pk = d.text_pk WHERE {self.dialect.current} GROUP BY t.group_pk HAVING count(*) > 1) g"
            ),
            "annotations": one("SELECT count(*) FROM annotations"),
        }

    def close(self) -> None:
        self.conn.close()
