"""Entity linking: people, organisations and places, linked to canonical gazetteer ids.

Mentions come, in order of trust, from the curated gazetteer (names and variant
spellings), named numbers ("Height 1 211"), expanded acronyms, leaders' bare titles
("the President") resolved by the article's date, spaCy NER for names the gazetteer
lacks, and finally the pronouns he/his/him resolved to the person who was last the
subject of a sentence (only when that person is a linked one).

A PERSON id means one real person under a full name. What spaCy calls a person is checked
first: policies, places, events and institutions (``data/not_people.tsv``: "Songun",
"Mangyongdae", "Key Resolve", "Mansu Hill") get their own type; titles before a name are cut
("Admiral Ri Sun Sin"); a Korean name spaCy cut short is completed ("Ryu" in "Ryu In
Thae"). A surname or part of a name resolves to the full name it belongs to in the same
article ("Lee" after "Lee Myung Bak"), else to the one person that word meant at the
article's date (``data/short_names.tsv``); a word that resolves to nobody is no PERSON.
A gazetteer person's name that begins an institution's or a place's name ("Kim Il Sung
Square", "Kim Jong Suk Pyongyang Textile Mill") is not a mention of the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document
from .entourage import load_rules as load_name_rules
from .gazetteer import (
    Entry,
    Gazetteer,
    NotPeople,
    ShortNames,
    load_gazetteer,
    load_not_people,
    load_short_names,
    name_words,
    slugify,
)

__all__ = ["EntityLinker"]

# spaCy types worth keeping as (unlinked) entities; NORP/WORK_OF_ART/LAW are not actors.
_NER_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC"}
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]is|[Hh]im|[Hh]imself)\b")
_LEADING = re.compile(r"^(?:[Tt]he\s+|[\"“‘'(\[]\s*)+")
_TRAILING = re.compile(r"(?:['’]s?|[\s\"”’,.;:)\]]+)+$")
# One romanised Korean syllable (DPRK and South Korean spelling): onset, glide, vowels, final.
_SYLLABLE = re.compile(r"(?:ch|[ptks]h|[bdghjklmnprstwy])?[wy]?[aeiou]{1,2}(?:ng|[klmnpt])?", re.IGNORECASE)
# The capitalised word right before a position ("... Minister of Public Health Choe| Chang Sik").
_WORD_BEFORE = re.compile(r"(?<![\w'’.\-])([A-Z][a-z][\w'’\-]*)[ \u00a0]$")
# The capitalised words right before a position, as many as there are.
_RUN_BEFORE = re.compile(r"(?<![\w'’.\-])(?:[A-Z][\w'’\-]*[ \u00a0])+$")
# A capitalised word right before a position, one letter allowed ("O [Jin U]").
_SURNAME_BEFORE = re.compile(r"(?<![\w'’.\-])([A-Z][a-z]*)[ \u00a0]$")
# The capitalised word right after a position ("Kung Sok| Ung").
_WORD_AFTER = re.compile(r"[ \u00a0]([A-Z][a-z]*)(?![\w'’\-])")
# Words of a person's name that need no capital ("Manuel Pinto da Costa", "Bashar al-Assad").
_PARTICLES = frozenset(
    {"da", "de", "del", "der", "di", "do", "dos", "das", "du", "la", "le", "van", "von", "bin", "ibn", "al", "el"}
)


@dataclass(frozen=True, slots=True)
class _NamedNumber:
    type: str
    id_prefix: str
    pattern: re.Pattern[str]


def _named_numbers() -> list[_NamedNumber]:
    return [_NamedNumber(r["type"], r["id_prefix"], re.compile(r["pattern"])) for r in read_tsv("named_numbers.tsv")]


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or e <= start for s, e in taken)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int, str]:
    """A NER span without a leading "the" or quote and a trailing possessive or punctuation."""
    surface = text[start:end]
    lead = _LEADING.match(surface)
    if lead:
        start += lead.end()
        surface = surface[lead.end() :]
    trail = _TRAILING.search(surface)
    if trail:
        end -= len(surface) - trail.start()
        surface = surface[: trail.start()]
    return start, end, surface


def _in_title(text: str, start: int, end: int) -> str | None:
    """WORK when the name is part of a short quoted title ('the opera "Liang Shanbo and Zhu Yingtai"').

    Characters of operas, films and novels are no real people; a quotation longer than eight
    words or with a sentence's stop is speech, whose names are mentions like any other.
    """
    line = text.rfind("\n", 0, start) + 1
    before = text[line:start]
    opening = max(before.rfind('"'), before.rfind("“"))
    if opening < 0 or (before.count('"') % 2 == 0 and before.count("“") <= before.count("”")):
        return None
    closing = min((i for i in (text.find('"', end), text.find("”", end)) if i >= 0), default=-1)
    if closing < 0 or "\n" in text[end:closing]:
        return None
    content = text[line + opening + 1 : closing]
    if content.strip() == text[start:end] or len(content.split()) > 8 or re.search(r"[.!?]", content):
        return None
    return "WORK"


# A full name found in the article: where, its words (lower case), the attrs a part of it takes.
_Full = tuple[int, int, tuple[str, ...], dict[str, Any]]


def _antecedent(words: tuple[str, ...], start: int, full: list[_Full]) -> _Full | None:
    """The full name ``words`` is part of, nearest before, else nearest after.

    One word is a family or given name at either end ("Lee" of "Lee Myung Bak", "Abbas" of
    "Mahmoud Abbas", "Hugo" of "Hugo Chavez"); several words are the end of a longer name
    ("Myung Bak", "Deby Itno"), never its beginning: "Kim Il" is a man of his own, not Kim Il Sung.
    One word prefers people who are not leaders: KCNA never calls a leader by his surname, so
    "Kim in the message said" is the official named before, not Kim Jong Il.
    """
    k = len(words)
    matches = [f for f in full if len(f[2]) > k and (f[2][-k:] == words or (k == 1 and f[2][0] == words[0]))]
    if not matches:
        return None
    if k == 1 and any(not f[3].get("leader") for f in matches):
        matches = [f for f in matches if not f[3].get("leader")]
    before = [f for f in matches if f[0] < start]
    if before:
        return max(before, key=lambda f: f[0])
    return min(matches, key=lambda f: f[0])


class EntityLinker:
    name: ClassVar[str] = "entities"
    version: ClassVar[str] = "4"
    requires: ClassVar[tuple[str, ...]] = ("sentence", "ner", "acronym", "date", "juche_year")
    assigns: ClassVar[tuple[str, ...]] = ("entity",)

    @dataclass(frozen=True)
    class Options:
        pass

    def __init__(self, options: Options) -> None:
        self.gazetteer: Gazetteer = load_gazetteer()
        self.named_numbers = _named_numbers()
        self.not_people: NotPeople = load_not_people()
        self.short_names: ShortNames = load_short_names()
        # A Korean name: a family name and one or two romanised syllables (data/entourage.json).
        self.korean_name: re.Pattern[str] = load_name_rules().korean_name

    @staticmethod
    def _attrs(entry: Entry, via: str, **extra: Any) -> dict[str, Any]:
        attrs = {"id": entry.id, "name": entry.name, "type": entry.type, "via": via, **extra}
        if entry.is_leader:
            attrs["leader"] = True
        return attrs

    def _entity(self, start: int, end: int, entry: Entry, via: str, **extra: Any) -> Annotation:
        return Annotation(start, end, "entity", self._attrs(entry, via, **extra), self.name)

    def __call__(self, doc: Document) -> Document:
        found: list[Annotation] = []
        taken: list[tuple[int, int]] = []

        def keep(ann: Annotation) -> None:
            found.append(ann)
            taken.append((ann.start, ann.end))

        for start, end, entry in self.gazetteer.find_names(doc.text):
            if entry.type == "PERSON" and self.not_people.head_follows(doc.text, end):
                continue  # "Kim Il Sung Square", "Kim Chaek University of Technology": no mention of him
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
        for ann in self._ner(doc, taken, found):
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

    def _ner(self, doc: Document, taken: list[tuple[int, int]], found: list[Annotation]) -> Iterator[Annotation]:
        people: list[tuple[int, int, tuple[str, ...]]] = []  # names spaCy found, to resolve: span, words
        for ann in doc.spans("ner"):
            etype = _NER_TYPES.get(str(ann.attrs["type"]))
            if etype is None or not _free(taken, ann.start, ann.end):
                continue
            start, end, surface = _trimmed(doc.text, ann.start, ann.end)
            if not surface or not surface[0].isupper():
                continue
            if etype == "PERSON":
                person = self._person(doc.text, start, end, surface, taken)
                if isinstance(person, Annotation):
                    yield person
                elif person is not None:
                    people.append(person)
                    taken.append(person[:2])  # a completed name may reach into the next span
                continue
            entry = self._lookup(surface)
            if entry is not None:
                yield self._entity(start, end, entry, "gazetteer")
            else:
                attrs = {"id": f"{etype.lower()}:{slugify(surface)}", "name": surface, "type": etype, "via": "ner"}
                yield Annotation(start, end, "entity", attrs, self.name)
        if people:
            yield from self._resolve(doc, people, found)

    def _lookup(self, surface: str) -> Entry | None:
        """The gazetteer entry a NER span names; one word matches only a one-word name or alias
        ("UN", "Nikkei"), never a name of several ("Jumunjin", a port, is not "Ju Mun Jin")."""
        entry = self.gazetteer.lookup(surface)
        n = len(surface.split())
        if entry is not None and n == 1 and all(len(a.split()) > 1 for a in (entry.name, *entry.aliases)):
            return None
        return entry

    def _person(
        self, text: str, start: int, end: int, surface: str, taken: list[tuple[int, int]]
    ) -> Annotation | tuple[int, int, tuple[str, ...]] | None:
        """What a span spaCy calls PERSON is: something else, a linked person, or a name to resolve."""
        etype = (
            self.not_people.classify(surface)
            or self.not_people.thing_before(text, start)
            or _in_title(text, start, end)
        )
        if etype is None and self.not_people.head_follows(text, end):
            etype = "-"  # "Kim Ki Song Hoeryong Secondary [School]": spaCy stopped before the head
        if etype is not None:
            if etype == "-":
                return None
            attrs = {"id": f"{etype.lower()}:{slugify(surface)}", "name": surface, "type": etype, "via": "not_person"}
            return Annotation(start, end, "entity", attrs, self.name)
        cut = self.not_people.title_prefix(surface)
        if cut:
            start += cut
            surface = text[start:end]
        start, end = self._complete(text, start, end, taken)
        surface = text[start:end]
        entry = self._lookup(surface)
        if entry is not None:
            return self._entity(start, end, entry, "gazetteer")
        # Each word starts with a capital or is a particle ("al-Thani", "bin"); "Chung-hee" is one word.
        words = [w.split("-")[0] for w in surface.split()]
        if not words or any(not w or (not w[0].isupper() and w.lower() not in _PARTICLES) for w in words):
            return None  # lowercase words ("Kim in"): no name
        return (start, end, name_words(surface))

    def _complete(self, text: str, start: int, end: int, taken: list[tuple[int, int]]) -> tuple[int, int]:
        """A name spaCy cut short, completed with the capitalised words around it.

        Korean names: the family name before given names ("Choe [Chang Sik]", "So [Ho Won]") and
        a last syllable after ("[Kung Sok] Ung", "[Ri Sun] Sin"), up to three syllables. Other
        names: up to two words before ("Idriss [Deby Itno]", "Pavel [Borisovich Ovsyannikov]"),
        never a title ("Vice-Minister"), a word another name holds, the first word of a sentence
        or a word after "of" ("Minister of Culture").
        """
        words = text[start:end].split()
        if all(_SYLLABLE.fullmatch(w) for w in words) and len(words) <= 3:
            before = _SURNAME_BEFORE.search(text, max(0, start - 12), start)
            if before is not None and len(words) <= 2 and _free(taken, before.start(1), start):
                korean = self.korean_name.match(text, before.start(1))
                if korean is not None and korean.end() == end:
                    return before.start(1), end
            korean = self.korean_name.match(text, start)
            if korean is not None and korean.end() > end and _free(taken, end, korean.end()):
                return start, korean.end()
            after = _WORD_AFTER.match(text, end)
            if (
                after is not None
                and len(words) == 2
                and _SYLLABLE.fullmatch(after.group(1))
                and not self.not_people.is_title(after.group(1))
                and _free(taken, end, after.end())
            ):
                return start, after.end()
            return start, end
        run = _RUN_BEFORE.search(text, max(0, start - 80), start)
        if run is not None and text[max(0, run.start() - 3) : run.start()] in ("of ", "or "):
            return start, end  # "Minister of Regional Development [Viktor Basargin]": the run is the title's
        for _ in range(2):
            before = _WORD_BEFORE.search(text, max(0, start - 30), start)
            if before is None or not _free(taken, before.start(1), start) or self.not_people.is_title(before.group(1)):
                break
            head = text[max(0, before.start(1) - 4) : before.start(1)]
            if not head.strip() or head.rstrip()[-1:] in '.!?:"“' or "\n" in head:
                break
            start = before.start(1)
        return start, end

    def _resolve(
        self, doc: Document, people: list[tuple[int, int, tuple[str, ...]]], found: list[Annotation]
    ) -> Iterator[Annotation]:
        """Names spaCy found, each linked to one person under a full name, or dropped.

        A name that is the first or last words of a longer person's name in the same article
        is that person (:func:`_antecedent`): "Lee" and "Myung Bak" after "Lee Myung Bak",
        "Abbas" after "Mahmoud Abbas". One word left alone is resolved by
        ``data/short_names.tsv`` (the word meant one person at the article's date), else
        dropped: one word is no full name, and most such spans are no names ("Displayed").
        """
        full: list[_Full] = []
        for ann in found:
            entry = self.gazetteer.entries.get(str(ann.attrs.get("id")))
            if entry is not None and entry.type == "PERSON" and ann.attrs.get("via") in ("gazetteer", "title"):
                for alias in (entry.name, *entry.aliases):
                    full.append((ann.start, ann.end, name_words(alias), self._attrs(entry, "partial")))
        unlinked: dict[tuple[int, int], dict[str, Any]] = {}
        for start, end, words in people:
            if len(words) > 1:
                name = doc.text[start:end]
                named: dict[str, Any] = {"id": f"person:{slugify(name)}", "name": name, "type": "PERSON", "via": "ner"}
                unlinked[(start, end)] = named
                full.append((start, end, words, named))
        for start, end, words in people:
            antecedent = _antecedent(words, start, full)
            if antecedent is not None:
                a_start, a_end, _, of = antecedent
                yield Annotation(
                    start, end, "entity", {**of, "via": "partial", "antecedent": [a_start, a_end]}, self.name
                )
            elif (start, end) in unlinked:
                yield Annotation(start, end, "entity", unlinked[(start, end)], self.name)
            else:
                entry = self.short_names.holder(doc.text[start:end], doc.published)
                if entry is not None:
                    yield self._entity(start, end, entry, "short_name")

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
                if antecedent is None or antecedent.attrs["id"] not in self.gazetteer.entries:
                    continue  # only people the gazetteer knows are resolved to
                attrs = {**antecedent.attrs, "via": "coref", "antecedent": [antecedent.start, antecedent.end]}
                ann = Annotation(m.start(), m.end(), "entity", attrs, self.name)
                if subject and subject[0] <= m.start() < subject[1]:
                    subjects.append((sent.start, ann))
                yield ann
