"""The curated gazetteer: canonical people and organisations, their variant spellings,
and leaders' titles over time. Loaded once from ``data/gazetteer.tsv`` and
``data/leader_titles.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..datafiles import read_tsv

__all__ = ["Entry", "Gazetteer", "TitleHolder", "load_gazetteer", "slugify"]


def slugify(text: str) -> str:
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^0-9a-z]+", "-", text).strip("-")


def _key(text: str) -> str:
    """Spelling-insensitive key: 'Kim Il-sung', 'Kim Il Sung', 'KIM IL SUNG' → 'kimilsung'."""
    return re.sub(r"[\s\u00a0'’\-]+", "", text.lower())


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
        self._names = re.compile(r"(?<![\w\-])(?:" + "|".join(patterns) + r")(?![\w\-])")
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
