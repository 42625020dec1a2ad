"""The store interface: what ingest, search and the CLI need from a corpus database.

Every implementation (SQLite now, PostgreSQL later) offers the same :class:`Store`
protocol and passes the same tests. All writes go through one unit of work,
:meth:`Store.transaction`, so a batch of articles with their annotations is committed
whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

import orjson

from ..model import Document, Source

__all__ = [
    "DOCUMENT_COLUMNS",
    "Hit",
    "Put",
    "PutStatus",
    "Query",
    "Store",
    "VersionInfo",
    "Writer",
    "article_key",
    "document_row",
    "json_text",
]


def json_text(value: Any) -> str:
    """JSON text of a value for a database column (source records, metadata, annotation
    attributes): orjson, since ``json.dumps`` of a KCNA story's raw record was much slower than
    orjson's (docs/performance.md, "Ingest"), and the ingest writer makes two to dozens of these
    per article.
    Values JSON has no type for (dates, sets) are written as ``str(value)``."""
    return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


def article_key(doc: Document) -> str:
    """The identity of an article across versions: outlet + record id (capture makes the
    id from the URL when a record has none)."""
    return f"{doc.outlet or ''}|{doc.id}"


# The columns of document_row, in its order (both SQL stores insert them so).
DOCUMENT_COLUMNS = (
    "article_pk, version, doc_id, text_pk, title, outlet, url, published, language, source, meta, "
    "first_seen, last_seen, run_pk"
)


_SOURCE_FIELDS = tuple(f.name for f in fields(Source))


def _source_dict(source: Source) -> dict[str, Any]:
    """``asdict(source)`` without its deep copies (all its fields are strings): far cheaper,
    once per article written (docs/performance.md, "Ingest")."""
    return {name: getattr(source, name) for name in _SOURCE_FIELDS}


def document_row(
    doc: Document, article_pk: int, version: int, text_pk: int, now: str, run: int | None
) -> list[Any]:
    """The values of a new documents row (:data:`DOCUMENT_COLUMNS`); the date as ISO text,
    which SQLite stores as is and PostgreSQL casts to its ``date`` column."""
    source = None if doc.source is None else json_text(_source_dict(doc.source))
    return [
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
        json_text(doc.meta),
        now,
        now,
        run,
    ]


class PutStatus(StrEnum):
    NEW = "new"  # an article not seen before
    VERSION = "version"  # a known article whose text changed: a new version
    UNCHANGED = "unchanged"  # same article, same text as its current version


@dataclass(frozen=True)
class Put:
    """What storing one document did."""

    status: PutStatus
    version: int
    duplicate_of: str | None = None  # doc id of an earlier copy (exact or near) in another article


@dataclass(frozen=True)
class VersionInfo:
    version: int
    content_hash: str
    first_seen: str
    last_seen: str
    title: str | None


@dataclass(frozen=True)
class Query:
    """A full-text query (FTS5 syntax: phrases, AND/OR/NOT, prefix*) with filters."""

    text: str
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    person: str | None = None  # entity id ("person:kim-jong-un") or name ("Kim Jong Un")
    language: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class Hit:
    """One search result: the best document of a duplicate group, with its copies."""

    id: str
    title: str | None
    outlet: str | None
    published: date | None
    language: str | None
    score: float
    snippet: str
    copies: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "copies": self.copies,
        }


class Writer(Protocol):
    """The single write path (one open transaction)."""

    def put(
        self, doc: Document, *, pipeline_version: str | None, run: int | None = None, seen: bool = True
    ) -> Put:
        """Store ``doc`` as its article's current version (or note it was seen again,
        unless ``seen`` is false: a re-analysis is not a sighting).

        ``pipeline_version`` is the version that made ``doc.annotations``; ``None`` means
        the document was not analysed. Annotations replace stored ones of its text when
        the stored pipeline version differs.
        """

    def put_many(
        self, items: Sequence[tuple[Document, str | None]], *, run: int | None = None, seen: bool = True
    ) -> list[Put]:
        """``put`` of each (document, pipeline version) in order; an implementation may
        write the batch with fewer statements, but the results are those of ``put`` one by one."""

    def sql(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one statement of the shared SQL (``?`` placeholders; none for a write):
        how the tables beside the corpus (watch, alerts) are written."""

    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement of the shared SQL run for each of ``rows``."""

    def start_run(self, command: str, paths: Sequence[str]) -> int: ...

    def finish_run(self, run: int, counts: dict[str, int]) -> None: ...


class Store(Protocol):
    path: str

    def transaction(self) -> AbstractContextManager[Writer]:
        """A unit of work: everything written inside commits together or not at all."""

    def analysed_version(self, content_hash: str) -> str | bool | None:
        """``False`` if the text is unknown, else the pipeline version that analysed it
        (``None``: stored without analysis)."""

    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        """The current (or given) version of the article with this id, annotations included."""

    def versions(self, doc_id: str) -> list[VersionInfo]: ...

    def documents(self, *, annotations: bool = False) -> Iterator[Document]:
        """The current version of every article, in ingest order."""

    def stale(self, pipeline_version: str) -> Iterator[Document]:
        """One document per stored text whose pipeline version differs from this one."""

    def search(self, query: Query) -> list[Hit]:
        """Hits by relevance, one per duplicate group; raises QueryError on a bad query."""

    def duplicates(self, doc_id: str) -> list[str]:
        """Ids of the other articles in the duplicate group of ``doc_id``'s current text."""

    def matches(self, query: Query, cap: int) -> list[str]:
        """Ids of the current documents matching ``query`` (its text and filters; copies count
        apart), newest first, at most ``cap``: what totals and facets count. Raises QueryError."""

    def match_sql(self, query: Query, cap: int) -> tuple[str, list[Any]]:
        """The matches of ``matches`` as a SELECT in the shared SQL (``?`` placeholders) with its
        parameters, columns ``doc_pk, doc_id, text_pk, outlet, published, language``: for one
        statement that counts over them in the database (search facets) without the ids leaving
        it. Raises QueryError on what it reads of the query; a malformed one fails when it runs."""

    def count_sql(self, query: Query, cap: int) -> tuple[str, list[Any]]:
        """The number of matches of ``match_sql`` (at most ``cap``) as a one-row SELECT (column
        ``n``) with its parameters: what a search's total counts. Without filters a store may
        count from its text index alone, reading no document rows."""

    def match_months(self, query: Query) -> list[tuple[str, int]]:
        """(publication month ``YYYY-MM``, number of current documents matching ``query``) for
        each month with a match, over every match: what trends of a term count. Raises QueryError."""

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read in the shared SQL (``?`` placeholders): how the read model
        (``analytics``) and the watch read the tables beside the corpus."""

    def counts(self) -> dict[str, int]:
        """Numbers of articles, documents (versions), texts, groups with copies, annotations."""

    def reader(self) -> Store:
        """Another connection to the same database, for reads on another thread (the web
        workbench's request threads); the schema is not checked again: this store's open did."""

    def close(self) -> None: ...
