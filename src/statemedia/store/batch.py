"""The write path shared by the SQL stores: a batch of articles written with a few
statements per table, inside the store's open transaction.

:meth:`BatchWriter.put_many` stores a batch with a few statements per table rather than per
article: one lookup of the batch's known texts and articles, one of the near-duplicate
candidates of its new texts, then one bulk insert per table (``executemany`` on SQLite,
``COPY`` on PostgreSQL). That cut the SQLite writer process's CPU an article and multiplied
PostgreSQL's raw ingest rate (docs/performance.md, "Ingest").
Each store holds its write lock for the whole batch (SQLite's
BEGIN IMMEDIATE, an advisory lock on PostgreSQL), so the writer knows every stored row it
reads stays as read until commit, and builds each row complete before it is inserted; rows
of this batch are held in dicts until then, so a later article of the same batch (an
identical text, a new version) sees them.

A store's writer subclasses :class:`BatchWriter` with what differs between databases:
placeholders, how primary keys are handed out, the bulk insert, and the full-text index.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ..model import Document
from .base import Put, PutStatus, article_key, document_row, json_text
from .dedupe import NearDuplicates
from .layers import TABLES as LAYER_TABLES
from .layers import claim_keys, refresh_groups
from .layers import insert_rows as insert_layers
from .translations import refresh as refresh_translations

__all__ = ["MEMBER_COLUMNS", "BatchWriter", "now"]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class BatchWriter(ABC):
    """The shared write logic of one open transaction; SQL is written with ``?`` placeholders."""

    near: NearDuplicates

    @abstractmethod
    def sql(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one statement (none for a write)."""

    @abstractmethod
    def select_in(self, statement: str, values: Sequence[Any]) -> list[Any]:
        """The rows of ``statement`` (one ``IN ({})``) for all ``values``."""

    @abstractmethod
    def many(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement (an update) run for each of ``rows``."""

    @abstractmethod
    def new_pk(self, table: str, column: str) -> int:
        """A primary key for a new row of ``table``, above every stored one."""

    @abstractmethod
    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """New rows of ``table`` (none conflicts with a stored row)."""

    @abstractmethod
    def insert_documents(self, rows: list[list[Any]], fts: dict[int, tuple[str | None, str]]) -> None:
        """New documents rows (:func:`_document_row`), those in ``fts`` (doc_pk -> title and
        text) indexed for search."""

    @abstractmethod
    def retire(self, doc_pk: int, title: str | None, text_pk: int) -> None:
        """A stored current version superseded by a new one: not current, out of the search index."""

    @abstractmethod
    def begin_batch(self, size: int) -> None:
        """Take the write lock, before a batch of ``size`` articles is read or written."""

    def put(
        self, doc: Document, *, pipeline_version: str | None, run: int | None = None, seen: bool = True
    ) -> Put:
        return self.put_many([(doc, pipeline_version)], run=run, seen=seen)[0]

    def put_many(
        self, items: Sequence[tuple[Document, str | None]], *, run: int | None = None, seen: bool = True
    ) -> list[Put]:
        """``put`` of each (document, pipeline version), in order, as one batch."""
        if not items:
            return []
        self.begin_batch(len(items))
        # Each text's hash once: the batch needs it three times (a SHA-256 of the whole text each).
        digests = [doc.content_hash for doc, _ in items]
        batch = _Batch(self, items, digests)
        puts = [
            batch.put(doc, digest, version, run=run, seen=seen)
            for (doc, version), digest in zip(items, digests, strict=True)
        ]
        batch.flush()
        return puts


class _Batch:
    """The rows one :meth:`BatchWriter.put_many` call adds or changes, until :meth:`flush`."""

    def __init__(
        self, writer: BatchWriter, items: Sequence[tuple[Document, str | None]], digests: Sequence[str]
    ) -> None:
        self.w = writer
        self.now = now()
        # hash -> [text_pk, group_pk, pipeline_version]: the stored texts of the batch, then its new ones
        self.texts: dict[str, list[Any]] = {
            digest: [pk, group, version]
            for digest, pk, group, version in writer.select_in(
                "SELECT hash, text_pk, group_pk, pipeline_version FROM texts WHERE hash IN ({})",
                list(set(digests)),
            )
        }
        self.groups = {pk: group for pk, group, _ in self.texts.values()}  # text_pk -> group_pk
        # key -> [article_pk, current doc_pk, its text_pk, its version, its title]
        self.articles: dict[str, list[Any]] = {
            key: list(rest)
            for key, *rest in writer.select_in(
                "SELECT a.key, a.article_pk, a.current_pk, d.text_pk, d.version, d.title FROM articles a "
                "JOIN documents d ON d.doc_pk = a.current_pk WHERE a.key IN ({})",
                list({article_key(doc) for doc, _ in items}),
            )
        }
        self.new_texts: dict[int, list[Any]] = {}  # text_pk -> row
        self.new_articles: dict[int, list[Any]] = {}  # article_pk -> row
        self.new_docs: dict[int, list[Any]] = {}  # doc_pk -> row
        self.fts: dict[int, tuple[str | None, str]] = {}  # doc_pk -> (title, text) to index
        self.annotations: dict[int, Document] = {}  # text_pk -> the document whose annotations it gets
        self.article_updates: dict[int, tuple[int, str]] = {}  # stored article_pk -> (current_pk, last_seen)
        self.seen_docs: set[int] = set()  # stored doc_pks seen again
        self.bands: list[tuple[int, int]] = []
        # Texts whose claims gain or lose a story (a new or retired current version, a new analysis),
        # and the claims a new analysis removes: their claim_groups rows are judged again at flush.
        self.touched: set[int] = set()
        self.claims: set[tuple[str, str]] = set()
        self._candidates(items, digests)

    def _candidates(self, items: Sequence[tuple[Document, str | None]], digests: Sequence[str]) -> None:
        """Band keys of the batch's new texts, and the stored texts that share one (with
        their groups and texts): near-duplicate candidates, looked up once for the batch."""
        near = self.w.near
        fresh = {
            digest: doc.text for (doc, _), digest in zip(items, digests, strict=True) if digest not in self.texts
        }
        self.keys = dict(zip(fresh, near.band_keys_many(list(fresh.values())), strict=True))
        all_keys = list({k for keys in self.keys.values() for k in keys})
        self.stored_bands: dict[int, list[int]] = {}
        for key, pk in self.w.select_in("SELECT band_key, text_pk FROM lsh_bands WHERE band_key IN ({})", all_keys):
            self.stored_bands.setdefault(key, []).append(pk)
        pks = list({pk for pks in self.stored_bands.values() for pk in pks})
        self.candidates: dict[int, tuple[int, str]] = {
            pk: (group, text)
            for pk, group, text in self.w.select_in(
                "SELECT text_pk, group_pk, text FROM texts WHERE text_pk IN ({})", pks
            )
        }
        self.batch_bands: dict[int, list[int]] = {}  # band key -> new text_pks of this batch

    def put(
        self, doc: Document, digest: str, pipeline_version: str | None, *, run: int | None, seen: bool
    ) -> Put:
        stamp = self.now
        text_pk, group_pk, alone = self._text(doc, digest, pipeline_version)
        key = article_key(doc)
        article = self.articles.get(key)
        if article is not None:
            article_pk, current_pk, cur_text, cur_version, cur_title = article
            if cur_text == text_pk:
                if seen and current_pk not in self.new_docs:  # rows of this batch are seen now
                    self.seen_docs.add(current_pk)
                    self.article_updates.setdefault(article_pk, (current_pk, stamp))
                return Put(PutStatus.UNCHANGED, cur_version)
            if current_pk in self.new_docs:  # superseded within the batch: never indexed
                self.new_docs[current_pk][-1] = False
                del self.fts[current_pk]
            else:
                self.w.retire(current_pk, cur_title, cur_text)
                self.touched.add(cur_text)
            doc_pk = self.w.new_pk("documents", "doc_pk")
            if article_pk in self.new_articles:
                self.new_articles[article_pk][4] = doc_pk
            else:
                self.article_updates[article_pk] = (doc_pk, stamp)
            version, status = cur_version + 1, PutStatus.VERSION
        else:
            article_pk, doc_pk = self.w.new_pk("articles", "article_pk"), self.w.new_pk("documents", "doc_pk")
            self.new_articles[article_pk] = [article_pk, key, stamp, stamp, doc_pk]
            version, status = 1, PutStatus.NEW
        self.articles[key] = [article_pk, doc_pk, text_pk, version, doc.title]
        self.new_docs[doc_pk] = _document_row(doc, doc_pk, article_pk, version, text_pk, stamp, run)
        self.touched.add(text_pk)
        self.fts[doc_pk] = (doc.title, doc.text)
        if alone:  # a text new in its own group: no other article can hold a copy
            return Put(status, version)
        return Put(status, version, self._copy(group_pk, article_pk))

    def _copy(self, group_pk: int, article_pk: int) -> str | None:
        """The doc id of the first document (stored, else of this batch) of another article
        whose text is in ``group_pk``."""
        copy = self.w.sql(
            "SELECT d.doc_id FROM texts t JOIN documents d ON d.text_pk = t.text_pk "
            "WHERE t.group_pk = ? AND d.article_pk != ? ORDER BY d.doc_pk LIMIT 1",
            (group_pk, article_pk),
        )
        if copy:
            return str(copy[0][0])
        for row in self.new_docs.values():  # in doc_pk order, all above the stored ones
            if self.groups[row[_DOC_TEXT]] == group_pk and row[_DOC_ARTICLE] != article_pk:
                return str(row[_DOC_ID])
        return None

    def _text(self, doc: Document, digest: str, pipeline_version: str | None) -> tuple[int, int, bool]:
        """The text of ``doc`` (its hash ``digest``; new, grouped, annotated as needed): (text_pk,
        group_pk, whether it is new now as the only member of a new group)."""
        known = self.texts.get(digest)
        if known is not None:
            text_pk, group_pk, stored_version = known
            if pipeline_version is not None and pipeline_version != stored_version:
                if text_pk not in self.new_texts:
                    self.claims |= claim_keys(self.w, [text_pk])
                    self.w.sql("DELETE FROM annotations WHERE text_pk = ?", (text_pk,))
                    for table in _DERIVED:
                        self.w.sql(f"DELETE FROM {table} WHERE text_pk = ?", (text_pk,))
                    self.w.sql(
                        "UPDATE texts SET pipeline_version = ?, analysed_at = ? WHERE text_pk = ?",
                        (pipeline_version, now(), text_pk),
                    )
                else:
                    self.new_texts[text_pk][4:] = [pipeline_version, now()]
                self.annotations[text_pk] = doc
                self.touched.add(int(text_pk))
                known[2] = pipeline_version
            return int(text_pk), int(group_pk), False
        near = self.w.near
        keys = self.keys[digest]
        text_pk = self.w.new_pk("texts", "text_pk")
        group_pk = text_pk
        best = near.options.threshold
        candidates = sorted(
            {pk for k in keys for pk in self.stored_bands.get(k, ())}
            | {pk for k in keys for pk in self.batch_bands.get(k, ())}
        )
        if candidates:
            shingles = near.shingles(doc.text)
            for pk in candidates:
                cand_group, cand_text = self.candidates[pk]
                score = near.similar(shingles, near.shingles(cand_text))
                if score >= best:
                    best, group_pk = score, cand_group
        analysed = now() if pipeline_version is not None else None
        self.new_texts[text_pk] = [text_pk, digest, doc.text, group_pk, pipeline_version, analysed]
        self.texts[digest] = [text_pk, group_pk, pipeline_version]
        self.groups[text_pk] = group_pk
        self.candidates[text_pk] = (group_pk, doc.text)
        for k in dict.fromkeys(keys):
            self.batch_bands.setdefault(k, []).append(text_pk)
            self.bands.append((k, text_pk))
        self.annotations[text_pk] = doc
        return text_pk, group_pk, group_pk == text_pk

    def flush(self) -> None:
        """Insert the batch's rows, one statement per table, and apply its updates."""
        w = self.w
        w.insert(
            "texts", ("text_pk", "hash", "text", "group_pk", "pipeline_version", "analysed_at"), self.new_texts.values()
        )
        w.insert("lsh_bands", ("band_key", "text_pk"), self.bands)
        w.insert("articles", ("article_pk", "key", "first_seen", "last_seen", "current_pk"), self.new_articles.values())
        w.insert_documents(list(self.new_docs.values()), self.fts)
        w.insert(
            "annotations",
            ("text_pk", "start", '"end"', "label", "attrs", "producer"),
            (
                (pk, a.start, a.end, a.label, json_text(dict(a.attrs)), a.producer)
                for pk, doc in self.annotations.items()
                for a in doc.annotations
            ),
        )
        entities, labels, acts, members = _derived(self.annotations)
        w.insert("text_entities", ("entity_id", "name", "type", "text_pk", "mentions"), entities)
        w.insert("text_labels", ("facet", "value", "text_pk"), labels)
        w.insert("text_activities", ACTIVITY_COLUMNS, acts)
        w.insert("activity_members", MEMBER_COLUMNS, members)
        insert_layers(w, self.annotations)
        w.many("UPDATE documents SET last_seen = ? WHERE doc_pk = ?", [(self.now, pk) for pk in self.seen_docs])
        w.many(
            "UPDATE articles SET current_pk = ?, last_seen = ? WHERE article_pk = ?",
            [(current, seen, pk) for pk, (current, seen) in self.article_updates.items()],
        )
        if self.touched or self.claims:
            refresh_groups(w, self.claims | claim_keys(w, self.touched))
        # A story and its translation: one activity (store/translations.py), paired again around
        # every text whose activities or current versions this batch changed.
        refresh_translations(w, self.touched)


# Tables kept per text from its annotations (migrations/004_corpus_views.sql, 007_activity_members.sql,
# store/layers.py): replaced with them.
_DERIVED = ("text_entities", "text_labels", "text_activities", "activity_members", *LAYER_TABLES)
_ACTIVITY_PRODUCER = "activities"
# The protocol lists of an activity (analytics.activities.PROTOCOL_ROLES), one activity_members row a member.
_ROLES = ("entourage", "present", "hosts")
MEMBER_COLUMNS = ("text_pk", "ord", "role", "position", "member_id", "name", "actor_id", "actor", "kind", "day")
ACTIVITY_COLUMNS = ("text_pk", "ord", "actor_id", "actor", "kind", "day", "attrs", "domain")


def _derived(
    annotated: dict[int, Document],
) -> tuple[
    list[tuple[str, str, str, int, int]], list[tuple[str, str, int]], list[tuple[Any, ...]], list[tuple[Any, ...]]
]:
    """Rows of the per-text tables the corpus views read: each entity once per text (its first
    mention names it) with its mentions; activity kinds and techniques as facet values; each
    leader activity with its actor, kind and day; each member of its protocol lists."""
    entities: dict[tuple[str, int], list[Any]] = {}
    labels: dict[tuple[str, str, int], None] = {}
    acts: list[tuple[Any, ...]] = []
    members: list[tuple[Any, ...]] = []
    for pk, doc in annotated.items():
        for a in doc.annotations:
            if a.label == "entity" and a.attrs.get("id"):
                eid = str(a.attrs["id"])
                row = entities.setdefault(
                    (eid, pk), [eid, str(a.attrs.get("name") or ""), str(a.attrs.get("type") or ""), pk, 0]
                )
                row[4] += 1
            elif a.label == "event" and a.producer == _ACTIVITY_PRODUCER and a.attrs.get("kind"):
                kind = str(a.attrs["kind"])
                labels[("kind", kind, pk)] = None
                # The day only at day precision, as analytics.activities reads it (else the story's).
                day = str(a.attrs.get("date") or "")[:10] or None if a.attrs.get("date_precision") == "day" else None
                act = (a.attrs.get("actor_id"), a.attrs.get("actor"), kind, day)
                members += (
                    (pk, len(acts), role, position, str(m["id"]), str(m.get("name") or ""), *act)
                    for role in _ROLES
                    if isinstance(a.attrs.get(role), list | tuple)
                    for position, m in enumerate(a.attrs[role], 1)
                    if isinstance(m, Mapping) and m.get("id") is not None
                )
                domain = str(a.attrs["domain"]) if a.attrs.get("domain") else None
                acts.append((pk, len(acts), *act[:2], kind, day, json_text(dict(a.attrs)), domain))
            elif a.label == "technique" and a.attrs.get("technique"):
                labels[("technique", str(a.attrs["technique"]), pk)] = None
    return [(r[0], r[1], r[2], r[3], r[4]) for r in entities.values()], list(labels), acts, members


# Positions in a documents row (_document_row) that the batch reads back.
_DOC_ID, _DOC_TEXT, _DOC_ARTICLE = 3, 4, 1


def _document_row(
    doc: Document, doc_pk: int, article_pk: int, version: int, text_pk: int, now: str, run: int | None
) -> list[Any]:
    """A documents row: doc_pk, :data:`DOCUMENT_COLUMNS`, is_current (last: a later version
    in the same batch clears it)."""
    return [doc_pk, *document_row(doc, article_pk, version, text_pk, now, run), True]
