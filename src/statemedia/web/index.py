"""The workbench's in-memory view of a store: per-article facets, entity mentions, activities,
quantities and techniques, read once from ``Store.documents(annotations=True)``.

The Store interface answers full-text queries and single articles; facet counts, mentions
over time and corpus-wide annotation lists are not among its methods, so the web layer
keeps this index (rebuilt when the store's document count changes, see ``Workbench``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..analytics.activities import Activity, activities
from ..analytics.quotations import Quotation, quotations
from ..model import Document
from ..store import Store

__all__ = ["CorpusIndex", "DocInfo", "QuantityRow", "TechniqueRow", "build_index", "period_key"]

_ACTIVITY_PRODUCER = "activities"


def period_key(day: date, unit: str) -> str:
    """``2012-05`` (month) or ``2012`` (year)."""
    return f"{day:%Y-%m}" if unit == "month" else str(day.year)


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What facets and listings need of one article (its current version)."""

    id: str
    title: str | None
    outlet: str | None
    published: date | None
    language: str | None
    persons: tuple[str, ...]  # entity ids of type PERSON
    entities: dict[str, int]  # entity id -> mentions
    kinds: tuple[str, ...]  # leader activity kinds
    techniques: tuple[str, ...]  # persuasion technique labels

    @property
    def year(self) -> str | None:
        return str(self.published.year) if self.published else None


@dataclass(frozen=True, slots=True)
class QuantityRow:
    doc_id: str
    published: date | None
    value: Any
    unit: str | None
    counted: str | None
    qualifier: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "published": self.published.isoformat() if self.published else None,
            "value": self.value,
            "unit": self.unit,
            "counted": self.counted,
            "qualifier": self.qualifier,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class TechniqueRow:
    doc_id: str
    published: date | None
    technique: str
    score: float | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "published": self.published.isoformat() if self.published else None,
            "technique": self.technique,
            "score": self.score,
            "text": self.text,
        }


@dataclass
class CorpusIndex:
    """Everything corpus-wide the pages and the API show, keyed for cheap lookups."""

    docs: dict[str, DocInfo] = field(default_factory=dict)
    entity_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, type)
    activities: list[Activity] = field(default_factory=list)
    quantities: list[QuantityRow] = field(default_factory=list)
    techniques: list[TechniqueRow] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)
    # (publication day, lower-cased title + text) per article, for term trends.
    texts: list[tuple[date | None, str]] = field(default_factory=list)
    documents: int = 0  # the store's document (version) count when built
    _by_period: dict[str, Counter[str]] = field(default_factory=dict, repr=False)

    # --- listings (an index is not changed once built: corpus-wide lists are computed once) --
    def newest(self, docs: Iterable[DocInfo] | None = None) -> list[DocInfo]:
        if docs is None:
            return self._newest
        return sorted(docs, key=lambda d: (d.published or date.min, d.id), reverse=True)

    @cached_property
    def _newest(self) -> list[DocInfo]:
        return self.newest(self.docs.values())

    def entity_ids(self, name_or_id: str) -> set[str]:
        """Ids of the entity named (any case) or with this id."""
        if name_or_id in self.entity_names:
            return {name_or_id}
        wanted = name_or_id.casefold()
        return {eid for eid, (name, _t) in self.entity_names.items() if name.casefold() == wanted}

    def entity_table(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Entities by the number of articles that mention them."""
        return [row for row in self._entity_rows if kind is None or row["type"] == kind]

    @cached_property
    def _entity_rows(self) -> list[dict[str, Any]]:
        articles: Counter[str] = Counter()
        mentions: Counter[str] = Counter()
        for info in self.docs.values():
            for eid, n in info.entities.items():
                articles[eid] += 1
                mentions[eid] += n
        rows = []
        for eid, n in articles.most_common():
            name, etype = self.entity_names.get(eid, (eid, ""))
            rows.append({"id": eid, "name": name, "type": etype, "articles": n, "mentions": mentions[eid]})
        return rows

    # --- over time -----------------------------------------------------------------------
    def articles_by_period(self, unit: str) -> Counter[str]:
        if unit not in self._by_period:
            self._by_period[unit] = Counter(period_key(d.published, unit) for d in self.docs.values() if d.published)
        return self._by_period[unit]

    def entity_series(self, entity_id: str, unit: str) -> Counter[str]:
        """Articles mentioning the entity, by period of publication."""
        return Counter(
            period_key(d.published, unit) for d in self.docs.values() if d.published and entity_id in d.entities
        )

    def term_series(self, term: str, unit: str) -> Counter[str]:
        """Articles whose title or text contains ``term`` (words in order, any case), by period."""
        words = re.findall(r"\w+", term.casefold())
        if not words:
            return Counter()
        pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b")
        # A substring test first: ~20x faster than the regex, which then runs on few texts.
        rarest = max(words, key=len)
        return Counter(
            period_key(day, unit)
            for day, text in self.texts
            if day and rarest in text and pattern.search(text)
        )

    def co_mentions(self, entity_id: str) -> Counter[str]:
        """Other entities by the number of articles they share with this one."""
        out: Counter[str] = Counter()
        for info in self.docs.values():
            if entity_id in info.entities:
                out.update(eid for eid in info.entities if eid != entity_id)
        return out


def _doc_info(doc: Document, names: dict[str, tuple[str, str]]) -> DocInfo:
    entities: Counter[str] = Counter()
    persons: dict[str, None] = {}
    kinds: dict[str, None] = {}
    techniques: dict[str, None] = {}
    for ann in doc.annotations:
        if ann.label == "entity" and ann.attrs.get("id"):
            eid = str(ann.attrs["id"])
            entities[eid] += 1
            etype = str(ann.attrs.get("type") or "")
            names.setdefault(eid, (str(ann.attrs.get("name") or eid), etype))
            if etype == "PERSON":
                persons[eid] = None
        elif ann.label == "event" and ann.producer == _ACTIVITY_PRODUCER and ann.attrs.get("kind"):
            kinds[str(ann.attrs["kind"])] = None
        elif ann.label == "technique" and ann.attrs.get("technique"):
            techniques[str(ann.attrs["technique"])] = None
    return DocInfo(
        id=doc.id,
        title=doc.title,
        outlet=doc.outlet,
        published=doc.published,
        language=doc.language,
        persons=tuple(persons),
        entities=dict(entities),
        kinds=tuple(kinds),
        techniques=tuple(techniques),
    )


def _rows(doc: Document) -> Iterator[QuantityRow | TechniqueRow]:
    for ann in doc.annotations:
        if ann.label == "quantity":
            a = ann.attrs
            yield QuantityRow(
                doc.id, doc.published, a.get("value"), a.get("unit"), a.get("counted"), a.get("qualifier"),
                doc.covered(ann),
            )
        elif ann.label == "technique" and ann.attrs.get("technique"):
            score = ann.attrs.get("score")
            yield TechniqueRow(
                doc.id, doc.published, str(ann.attrs["technique"]), float(score) if score is not None else None,
                doc.covered(ann),
            )


def build_index(store: Store) -> CorpusIndex:
    """Read every current article of ``store`` once (the cost is measured in bench/web.py)."""
    index = CorpusIndex(documents=store.counts()["documents"])
    for doc in store.documents(annotations=True):
        index.docs[doc.id] = _doc_info(doc, index.entity_names)
        index.activities.extend(activities([doc]))
        index.quotations.extend(quotations([doc]))
        for row in _rows(doc):
            if isinstance(row, QuantityRow):
                index.quantities.append(row)
            else:
                index.techniques.append(row)
        index.texts.append((doc.published, f"{doc.title or ''}\n{doc.text}".casefold()))
    index.activities.sort(key=lambda a: (a.day or a.published or date.min, a.doc_id))
    return index

