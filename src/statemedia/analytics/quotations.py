"""Who is quoted saying what across a corpus: the ``quote`` layer as records, filters and counts.

Like the activity log, everything takes analysed :class:`Document` objects *or* their JSON
results (``report.to_json``), so a store, a JSON Lines dump of ``statemedia analyze`` and a
corpus analysed on the fly give the same records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Document

__all__ = ["SPEECH", "Quotation", "quotation_from_attrs", "quotations", "select", "speakers"]

# Quotation kinds that are somebody's words (the others are titles, slogans, scare quotes).
SPEECH = ("direct", "indirect", "quoted")


@dataclass(frozen=True, slots=True)
class Quotation:
    doc_id: str
    published: date | None
    title: str | None
    kind: str
    text: str
    speaker: str | None
    speaker_id: str | None
    speaker_name: str | None
    verb: str | None
    start: int
    end: int

    @property
    def who(self) -> str | None:
        """The speaker as an analyst reads it: the linked entity's name, else the words."""
        return self.speaker_name or self.speaker

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "kind": self.kind,
            "speaker": self.who,
            "speaker_id": self.speaker_id,
            "verb": self.verb,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def _record(doc_id: str, published: date | None, title: str | None, text: str, ann: Mapping[str, Any]) -> Quotation:
    start, end = int(ann["start"]), int(ann["end"])
    return quotation_from_attrs(doc_id, published, title, text[start:end], ann["attrs"], start, end)


def quotation_from_attrs(
    doc_id: str, published: date | None, title: str | None, covered: str, a: Mapping[str, Any], start: int, end: int
) -> Quotation:
    """The quotation a ``quote`` annotation (its attributes, the text it covers) describes."""
    return Quotation(
        doc_id=doc_id,
        published=published,
        title=title,
        kind=str(a.get("kind")),
        text=covered,
        speaker=a.get("speaker"),
        speaker_id=a.get("speaker_id"),
        speaker_name=a.get("speaker_name"),
        verb=a.get("verb"),
        start=start,
        end=end,
    )


def quotations(items: Iterable[Document | Mapping[str, Any]]) -> Iterator[Quotation]:
    """The quotations of analysed documents or JSON results, in input and text order."""
    for item in items:
        if isinstance(item, Document):
            for ann in item.spans("quote"):
                yield _record(item.id, item.published, item.title, item.text, ann.to_dict())
            continue
        document = item.get("document") or {}
        raw = document.get("date")
        published = date.fromisoformat(raw[:10]) if raw else None
        for ann in item.get("annotations") or ():
            if ann.get("label") == "quote":
                yield _record(str(document.get("id")), published, document.get("title"), document.get("text", ""), ann)


def select(
    items: Iterable[Quotation],
    *,
    speaker: str | None = None,
    kinds: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    contains: str | None = None,
) -> Iterator[Quotation]:
    """Filter by speaker (entity id, or words of the name or phrase, any case), kind, publication
    day and words in the quotation."""
    wanted = set(kinds) if kinds else None
    who = speaker.casefold() if speaker else None
    words = contains.casefold() if contains else None
    for q in items:
        if who and who != (q.speaker_id or "").casefold() and who not in (q.who or "").casefold():
            continue
        if wanted is not None and q.kind not in wanted:
            continue
        if (start and (q.published is None or q.published < start)) or (
            end and (q.published is None or q.published > end)
        ):
            continue
        if words and words not in q.text.casefold():
            continue
        yield q


def speakers(items: Iterable[Quotation]) -> list[dict[str, Any]]:
    """Speakers by the number of quotations (direct and reported) they are given: linked
    speakers by entity, others by their words in any case; a pronoun nobody could be linked
    to ("It said that ...") names no one and is left out."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str | None, str]] = {}
    kinds: dict[str, Counter[str]] = {}
    for q in items:
        who = q.who
        if q.kind not in SPEECH or not who or (q.speaker_id is None and who.casefold() in _PRONOUNS):
            continue
        key = q.speaker_id or who.casefold()
        names.setdefault(key, (q.speaker_id, who))
        counts[key] += 1
        kinds.setdefault(key, Counter())[q.kind] += 1
    return [
        {"speaker": names[key][1], "speaker_id": names[key][0], "quotations": n, **{k: kinds[key][k] for k in SPEECH}}
        for key, n in counts.most_common()
    ]


_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
