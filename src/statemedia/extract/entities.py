"""Entity linking: people, organisations and places, linked to canonical gazetteer ids.

Mentions come, in order of trust, from the curated gazetteer (names and variant
spellings), named numbers ("Height 1 211"), expanded acronyms, leaders' bare titles
("the President") resolved by the article's date, spaCy NER for names the gazetteer
lacks, and finally the pronouns he/his/him resolved to the person who was last the
subject of a sentence (only when that person is a linked one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document
from .gazetteer import Entry, Gazetteer, load_gazetteer, slugify

__all__ = ["EntityLinker"]

# spaCy types worth keeping as (unlinked) entities; NORP/WORK_OF_ART/LAW are not actors.
_NER_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC"}
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself)\b")
_LEADING_THE = re.compile(r"^(?:[Tt]he\s+)")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True, slots=True)
class _NamedNumber:
    type: str
    id_prefix: str
    pattern: re.Pattern[str]


def _named_numbers() -> list[_NamedNumber]:
    return [_NamedNumber(r["type"], r["id_prefix"], re.compile(r["pattern"])) for r in read_tsv("named_numbers.tsv")]


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or e <= start for s, e in taken)


class EntityLinker:
    name: ClassVar[str] = "entities"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("sentence", "ner", "acronym", "date", "juche_year")
    assigns: ClassVar[tuple[str, ...]] = ("entity",)

    @dataclass(frozen=True)
    class Options:
        pass

    def __init__(self, options: Options) -> None:
        self.gazetteer: Gazetteer = load_gazetteer()
        self.named_numbers = _named_numbers()

    def _entity(self, start: int, end: int, entry: Entry, via: str, **extra: Any) -> Annotation:
        attrs = {"id": entry.id, "name": entry.name, "type": entry.type, "via": via, **extra}
        if entry.is_leader:
            attrs["leader"] = True
        return Annotation(start, end, "entity", attrs, self.name)

    def __call__(self, doc: Document) -> Document:
        found: list[Annotation] = []
        taken: list[tuple[int, int]] = []

        def keep(ann: Annotation) -> None:
            found.append(ann)
            taken.append((ann.start, ann.end))

        for start, end, entry in self.gazetteer.find_names(doc.text):
            keep(self._entity(start, end, entry, "gazetteer"))
        for ann in self._named_numbers(doc.text, taken):
            keep(ann)
        for ann in self._acronyms(doc, taken):
            keep(ann)
        named_ids = {a.attrs["id"] for a in found}
        for ann in self._titles(doc, taken, named_ids):
            keep(ann)
        # Dates and Juche years are never entities ("Juche 39" is not an organisation).
        taken.extend((a.start, a.end) for a in doc.spans("date", "juche_year"))
        for ann in self._ner(doc, taken):
            keep(ann)
        found.extend(self._pronouns(doc, found, taken))
        doc.add(found)
        return doc

    def _named_numbers(self, text: str, taken: list[tuple[int, int]]) -> Iterator[Annotation]:
        for nn in self.named_numbers:
            for m in nn.pattern.finditer(text):
                if _free(taken, m.start(), m.end()):
                    number = re.sub(r"\D", "", m.group("num"))
                    attrs = {
                        "id": f"{nn.id_prefix}-{number}",
                        "name": m.group(0),
                        "type": nn.type,
                        "via": "pattern",
                        "number": int(number),
                    }
                    yield Annotation(m.start(), m.end(), "entity", attrs, self.name)

    def _acronyms(self, doc: Document, taken: list[tuple[int, int]]) -> Iterator[Annotation]:
        for ann in doc.spans("acronym"):
            if not _free(taken, ann.start, ann.end):
                continue
            entry = self.gazetteer.lookup(str(ann.attrs.get("entity_id") or "")) or self.gazetteer.lookup(
                str(ann.attrs.get("expansion") or "")
            )
            if entry is not None:
                yield self._entity(ann.start, ann.end, entry, "acronym")
            elif ann.attrs.get("entity_id"):
                attrs = {
                    "id": ann.attrs["entity_id"],
                    "name": ann.attrs.get("expansion"),
                    "type": "ORG",
                    "via": "acronym",
                }
                yield Annotation(ann.start, ann.end, "entity", attrs, self.name)

    def _titles(self, doc: Document, taken: list[tuple[int, int]], named: set[str]) -> Iterator[Annotation]:
        for start, end, title in self.gazetteer.find_titles(doc.text):
            if not _free(taken, start, end):
                continue
            holders = self.gazetteer.title_holders(title, doc.published)
            # Prefer a holder the article names; several unnamed candidates stay unresolved.
            named_holders = [h for h in holders if h.id in named]
            chosen = named_holders or holders
            if len({h.id for h in chosen}) == 1:
                yield self._entity(start, end, chosen[0], "title", title=title)

    def _ner(self, doc: Document, taken: list[tuple[int, int]]) -> Iterator[Annotation]:
        for ann in doc.spans("ner"):
            etype = _NER_TYPES.get(str(ann.attrs["type"]))
            if etype is None or not _free(taken, ann.start, ann.end):
                continue
            surface = _POSSESSIVE.sub("", _LEADING_THE.sub("", doc.covered(ann))).strip()
            if not surface or not surface[0].isupper():
                continue
            entry = self.gazetteer.lookup(surface)
            if entry is not None:
                yield self._entity(ann.start, ann.end, entry, "gazetteer")
            else:
                attrs = {"id": f"{etype.lower()}:{slugify(surface)}", "name": surface, "type": etype, "via": "ner"}
                yield Annotation(ann.start, ann.end, "entity", attrs, self.name)

    def _pronouns(self, doc: Document, found: list[Annotation], taken: list[tuple[int, int]]) -> Iterator[Annotation]:
        persons = sorted((a for a in found if a.attrs["type"] == "PERSON"), key=lambda a: a.start)
        subjects: list[tuple[int, Annotation]] = []  # (sentence start, the person who is its subject)
        for sent in doc.spans("sentence"):
            subject = sent.attrs.get("subject")
            if subject:
                person = next((p for p in persons if p.start < subject[1] and subject[0] < p.end), None)
                if person is not None:
                    subjects.append((sent.start, person))
            for m in _PRONOUN.finditer(doc.text, sent.start, sent.end):
                if not _free(taken, m.start(), m.end()):
                    continue
                earlier = [p for s, p in subjects if s < sent.start or p.end <= m.start()]
                antecedent = earlier[-1] if earlier else None
                if antecedent is None or antecedent.attrs.get("via") == "ner":
                    continue
                attrs = {**antecedent.attrs, "via": "coref", "antecedent": [antecedent.start, antecedent.end]}
                ann = Annotation(m.start(), m.end(), "entity", attrs, self.name)
                if subject and subject[0] <= m.start() < subject[1]:
                    subjects.append((sent.start, ann))
                yield ann
