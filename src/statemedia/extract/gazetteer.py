"""The curated gazetteer: canonical people and organisations, their variant spellings,
and leaders' titles over time. Loaded once from ``data/gazetteer.tsv`` and
``data/leader_titles.tsv``; with it, what tells a person's name from other names:
``data/not_people.tsv`` (policies, places, events and institutions spaCy takes for people,
titles before names) and ``data/short_names.tsv`` (one word that meant one person for a time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..datafiles import read_tsv

__all__ = [
    "Entry",
    "Gazetteer",
    "NotPeople",
    "OfficialTitle",
    "ShortNames",
    "TitleHolder",
    "load_gazetteer",
    "load_not_people",
    "load_official_titles",
    "load_short_names",
    "name_words",
    "slugify",
]


def slugify(text: str) -> str:
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-")


def _key(text: str) -> str:
    """Spelling-insensitive key: 'Kim Il-sung', 'Kim Il Sung', 'KIM IL SUNG' → 'kimilsung'."""
    return re.sub(r"[\s\u00a0'’\-\uff0d]+", "", text.lower())


def _variant_pattern(alias: str) -> str:
    """A regex for ``alias`` tolerant of space/hyphen between syllables and of curly apostrophes."""
    parts = []
    for token in re.split(r"[\s\-]+", alias.strip()):
        token = re.escape(token).replace("'", "['’]").replace("’", "['’]")
        parts.append(f"(?i:{token[0]}){token[1:]}" if token[0].isalpha() else token)
    return r"[\s\u00a0\-]+".join(parts)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    role: str

    @property
    def is_leader(self) -> bool:
        return self.role == "leader"


@dataclass(frozen=True, slots=True)
class TitleHolder:
    title: str
    id: str
    start: date | None
    end: date | None

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


class Gazetteer:
    def __init__(self, entries: Iterable[Entry], titles: Iterable[TitleHolder]) -> None:
        self.entries = {e.id: e for e in entries}
        self._by_key: dict[str, Entry] = {}
        patterns: list[str] = []
        for entry in self.entries.values():
            for alias in (entry.name, *entry.aliases):
                self._by_key.setdefault(_key(alias), entry)
                patterns.append(_variant_pattern(alias))
        # Longest first so "Kim Il Sung Socialist Youth League" wins over "Kim Il Sung".
        patterns.sort(key=len, reverse=True)
        # Not inside a hyphenated compound ("Kim Il Sung-Kim Jong Il"), but after a dash ("(KCNA) --Kim").
        self._names = re.compile(r"(?<!\w)(?<![^-]-)(?:" + "|".join(patterns) + r")(?![\w\-])")
        self.titles = list(titles)
        title_words = sorted({t.title for t in self.titles}, key=len, reverse=True)
        # "the (dear) (respected) Supreme Commander" not followed by a name or another title word.
        self._titles = re.compile(
            r"\b[Tt]he\s+(?:(?:dear|respected|great|beloved|peerless|iron-willed|brilliant|"
            r"illustrious|eternal)\s+)*(?P<title>"
            + "|".join(re.escape(t) for t in title_words)
            + r")(?![\w\-])(?!\s+(?:[A-Z]|of\b))"
        )

    def find_names(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        for match in self._names.finditer(text):
            entry = self._by_key.get(_key(match.group(0)))
            if entry is not None:
                yield match.start(), match.end(), entry

    def find_titles(self, text: str) -> Iterator[tuple[int, int, str]]:
        for match in self._titles.finditer(text):
            yield match.start(), match.end(), match.group("title")

    def lookup(self, name: str) -> Entry | None:
        return self.entries.get(name) or self._by_key.get(_key(name))

    def title_holders(self, title: str, day: date | None) -> list[Entry]:
        return [self.entries[t.id] for t in self.titles if t.title == title and t.held_on(day)]


@cache
def load_gazetteer() -> Gazetteer:
    entries = [
        Entry(
            row["id"],
            row["type"],
            row["name"],
            tuple(a for a in row["aliases"].split("|") if a),
            row["role"],
        )
        for row in read_tsv("gazetteer.tsv")
    ]
    titles = [
        TitleHolder(row["title"], row["id"], _day(row["from"]), _day(row["to"]))
        for row in read_tsv("leader_titles.tsv")
    ]
    return Gazetteer(entries, titles)


def name_words(name: str) -> tuple[str, ...]:
    """A name's words, lower case, split at spaces and hyphens: 'Park Chung-hee' → ('park', 'chung', 'hee')."""
    return tuple(w for w in re.split(r"[\s\u00a0\-\uff0d'’]+", name.lower()) if w)


_WORD_BEFORE = re.compile(r"\b([a-z]+)\s+$")


def _plural(head: str) -> str:
    """'County' → 'counties', 'Farm' → 'farms', 'Works' → 'works': the plural a list of names ends in."""
    word = head.lower()
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word if word.endswith("s") else word + "es"
    return word + "s"


class NotPeople:
    """What spaCy calls a person and is not (``data/not_people.tsv``, its header says each kind)."""

    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        self.names: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        self.words: frozenset[str] = frozenset()
        self.suffixes: list[tuple[str, str]] = []
        self.titles: frozenset[str] = frozenset()
        self.before: dict[str, str] = {}
        words: set[str] = set()
        titles: set[str] = set()
        for row in rows:
            kind, value, etype = row["kind"], row["value"], row["type"]
            if kind == "name":
                self.names[_key(value)] = etype
            elif kind == "head":
                self.heads[value] = etype
            elif kind == "word":
                words.add(value)
            elif kind == "suffix":
                self.suffixes.append((value, etype))
            elif kind == "title":
                titles.add(value.lower())
            elif kind == "before":
                self.before[value] = etype
            else:
                raise ValueError(f"not_people.tsv: unknown kind {kind!r} for {value!r}")
        self.words = frozenset(words)
        self.titles = frozenset(titles)
        heads = "|".join(re.escape(h) for h in sorted(self.heads, key=len, reverse=True)) or r"(?!)"
        plurals = "|".join(sorted({_plural(h) for h in self.heads}, key=len, reverse=True)) or r"(?!)"
        # Up to four capitalised words or numbers after a name, the last of them a head: " Square",
        # " Pyongyang Textile Mill", " 105 Guards Tank Division".
        self._head_after = re.compile(rf"(?:[ \u00a0]+[A-Z0-9][\w'’\-]*){{0,3}}[ \u00a0]+(?:{heads})\b")
        # A list of names ending in a plural head: "Kim Hyong Jik, Kim Hyong Gwon and Kim Jong Suk counties".
        self._plural_after = re.compile(
            rf"(?:(?:,|[ \u00a0]+and)?[ \u00a0]+[A-Z][\w'’\-]*){{0,12}}[ \u00a0]+(?:{plurals})\b"
        )

    def classify(self, surface: str) -> str | None:
        """The type of a name that is no person's ("IDEA", "PLACE", ...; "-" when it has none), else None."""
        etype = self.names.get(_key(surface))
        if etype is not None:
            return etype
        words = surface.split()
        if any(w in self.words for w in words):
            return "-"
        for word in words if len(words) > 1 else ():
            etype = self.names.get(_key(word))
            if etype is not None:
                return etype  # "Jonchon Arirang", "Kaesong Municipality", "North Hwanghae"
        if any(ch.isdigit() for ch in surface):
            return "THING"  # "MV-22 Osprey", "Unit 10": a person's name has no digits
        head = next((w for w in reversed(words[1:]) if w in self.heads), None)
        if head is not None:
            return self.heads[head]  # "Mansu Hill", "Kim Il Sung Prize Council"
        if len(re.findall(r"\w-[A-Z]", surface)) == 1 and all(len(p.split()) > 1 for p in surface.split("-")):
            return "-"  # two names joined: "Kim Il Sung-Kim Jong Il" (a foundation, a prize, a pair)
        last = words[-1] if words else ""
        for suffix, etype in self.suffixes:
            if last.endswith(suffix) and last != suffix:
                return etype
        return None

    def thing_before(self, text: str, start: int) -> str | None:
        """The type a word right before a name gives it ("carrier George Washington" → THING), if any."""
        m = _WORD_BEFORE.search(text, max(0, start - 30), start)
        return self.before.get(m.group(1)) if m else None

    def is_title(self, word: str) -> bool:
        """Whether ``word`` is a title or a part of one ("Vice-Minister", "traitor", "Rev.")."""
        return any(part.lower() in self.titles for part in re.split(r"-", word) if part) or word.lower() in self.titles

    def title_prefix(self, surface: str) -> int:
        """How many characters of leading titles to cut from a name ("Admiral Ri Sun Sin" → 8)."""
        cut = 0
        for m in re.finditer(r"\S+\s+", surface):
            if m.start() != cut or not self.is_title(m.group(0).strip()):
                break
            cut = m.end()
        return cut

    def head_follows(self, text: str, end: int) -> bool:
        """Whether the words after ``end`` make the name before it an institution's or a place's."""
        return self._head_after.match(text, end) is not None or self._plural_after.match(text, end) is not None


@dataclass(frozen=True, slots=True)
class ShortName:
    word: str
    id: str
    start: date | None
    end: date | None


class ShortNames:
    """One word that meant one person for a time (``data/short_names.tsv``): "Lee" in 2008-2013."""

    def __init__(self, rows: Iterable[ShortName], gazetteer: Gazetteer) -> None:
        self.rows = list(rows)
        self.gazetteer = gazetteer
        for row in self.rows:
            if row.id not in gazetteer.entries:
                raise ValueError(f"short_names.tsv: {row.word!r} names {row.id}, which gazetteer.tsv lacks")

    def holder(self, word: str, day: date | None) -> Entry | None:
        """The person ``word`` alone meant on ``day`` (no day: only a word that always meant one person)."""
        held = {
            r.id
            for r in self.rows
            if r.word == word
            and (
                (day is None and r.start is None and r.end is None)
                or (day is not None and (r.start is None or r.start <= day) and (r.end is None or day <= r.end))
            )
        }
        return self.gazetteer.entries[held.pop()] if len(held) == 1 else None


@cache
def load_not_people() -> NotPeople:
    return NotPeople(read_tsv("not_people.tsv"))


@cache
def load_short_names() -> ShortNames:
    rows = [ShortName(r["word"], r["id"], _day(r["from"]), _day(r["to"])) for r in read_tsv("short_names.tsv")]
    return ShortNames(rows, load_gazetteer())


@dataclass(frozen=True, slots=True)
class OfficialTitle:
    """A title the corpus gave a person in apposition, and the first and last day it did."""

    title: str
    start: date
    end: date
    appositions: int


@cache
def load_official_titles() -> dict[str, tuple[OfficialTitle, ...]]:
    """Officials' titles over time by person id (``data/official_titles.tsv``), oldest first."""
    gazetteer = load_gazetteer()
    titles: dict[str, list[OfficialTitle]] = {}
    for row in read_tsv("official_titles.tsv"):
        if row["id"] not in gazetteer.entries:
            raise ValueError(f"official_titles.tsv: {row['id']} is not in gazetteer.tsv")
        start, end = date.fromisoformat(row["from"]), date.fromisoformat(row["to"])
        titles.setdefault(row["id"], []).append(OfficialTitle(row["title"], start, end, int(row["appositions"])))
    return {pid: tuple(sorted(ts, key=lambda t: (t.start, -t.appositions))) for pid, ts in titles.items()}
