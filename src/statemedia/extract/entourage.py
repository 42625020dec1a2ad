"""Officials named in a leader's entourage: names in protocol order, with the titles the text gives.

KCNA lists a leader's companions as "He was accompanied by A, title, B, title and C,
title." or "Accompanying him were ...". Names are linked to the gazetteer of officials
(``data/gazetteer.tsv``, romanisation variants included); a name the gazetteer lacks
still comes out when it looks like a Korean name (a family name and one or two
romanised syllables, ``data/entourage.json``), with the id ``person:<slug>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..datafiles import read_text
from .gazetteer import Gazetteer, load_gazetteer, slugify

__all__ = ["EntourageRules", "Member", "find_people", "load_rules", "parse_list"]


@dataclass(frozen=True, slots=True)
class Member:
    """One companion: canonical name, id (gazetteer id or ``person:<slug>``), titles as worded."""

    name: str
    id: str
    titles: tuple[str, ...]
    start: int
    end: int
    linked: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "titles": list(self.titles), "linked": self.linked}


@dataclass(frozen=True, slots=True)
class EntourageRules:
    cues_after: tuple[re.Pattern[str], ...]
    cues_before: tuple[re.Pattern[str], ...]
    subject: re.Pattern[str]
    stops: tuple[re.Pattern[str], ...]
    korean_name: re.Pattern[str]
    surname_variants: dict[str, str]
    title_split: re.Pattern[str]
    noise: re.Pattern[str]
    rank: re.Pattern[str]


@cache
def load_rules() -> EntourageRules:
    text = read_text("entourage.json")
    data: dict[str, Any] = json.loads(text)
    syllable = data["syllable"]
    # A given-name syllable is capitalised ("Ryong Hae"), or lower case after a hyphen ("Ryong-hae").
    upper = rf"(?=[A-Z][a-z]*(?![\w'’]))(?i:{syllable})(?![\w'’])"
    lower = rf"(?=[a-z]+(?![\w'’]))(?:{syllable})(?![\w'’])"
    surnames = "|".join(sorted(data["surnames"], key=len, reverse=True))
    given = rf"(?:\s+{upper}(?:-{lower}|\s+{upper})?)"
    korean_name = re.compile(rf"(?<![\w'’\-])(?:{surnames}){given}(?![\w\-])")
    return EntourageRules(
        cues_after=tuple(re.compile(p) for p in data["cues_after"]),
        cues_before=tuple(re.compile(p) for p in data["cues_before"]),
        subject=re.compile(data["subject"], re.S),
        stops=tuple(re.compile(p) for p in data["stops"]),
        korean_name=korean_name,
        surname_variants=dict(data["surname_variants"]),
        title_split=re.compile(data["title_split"]),
        noise=re.compile(data["leading_noise"]),
        rank=re.compile(data["rank"]),
    )


def _canonical_unlinked(surface: str, rules: EntourageRules) -> str:
    """'Choe Ryong-hae' → 'Choe Ryong Hae'; 'Rhee Yong Ho' → 'Ri Yong Ho' (DPRK romanisation)."""
    parts = [p.capitalize() for p in re.split(r"[\s\-]+", surface.strip()) if p]
    parts[0] = rules.surname_variants.get(parts[0], parts[0])
    return " ".join(parts)


def find_people(
    text: str, start: int, end: int, gazetteer: Gazetteer | None = None
) -> Iterator[tuple[int, int, str, str, bool]]:
    """Person names in ``text[start:end]``: (start, end, canonical name, id, linked), in text order."""
    gazetteer = gazetteer or load_gazetteer()
    rules = load_rules()
    window = text[start:end]
    found: list[tuple[int, int, str, str, bool]] = []
    for s, e, entry in gazetteer.find_names(window):
        if entry.type == "PERSON":
            found.append((start + s, start + e, entry.name, entry.id, True))
    for m in rules.korean_name.finditer(window):
        s, e = start + m.start(), start + m.end()
        if any(s < fe and fs < e for fs, fe, *_ in found):
            continue
        name = _canonical_unlinked(m.group(0), rules)
        linked = gazetteer.lookup(m.group(0)) or gazetteer.lookup(name)
        if linked is not None:
            found.append((s, e, linked.name, linked.id, True))
        else:
            found.append((s, e, name, f"person:{slugify(name)}", False))
    found.sort()
    yield from found


def _titles(chunk: str, rules: EntourageRules) -> list[str]:
    cleaned = rules.noise.sub("", chunk).strip()
    if not cleaned:
        return []
    return [t for t in (rules.noise.sub("", part).strip() for part in rules.title_split.split(cleaned)) if t]


def parse_list(
    text: str, start: int, end: int, *, exclude: frozenset[str] = frozenset(), gazetteer: Gazetteer | None = None
) -> list[Member]:
    """The people listed in ``text[start:end]`` with their titles; ids in ``exclude`` are skipped.

    A title after a name (", member of ...") is that name's; a title right before a name with
    no comma between ("KPA General Pak Jae Gyong") is the next name's.
    """
    rules = load_rules()
    people = [p for p in find_people(text, start, end, gazetteer) if p[3] not in exclude]
    members: list[Member] = []
    pre = _split_rank(text[start : people[0][0]], rules)[1] if people else ""
    for i, (s, e, name, pid, linked) in enumerate(people):
        gap = text[e : people[i + 1][0] if i + 1 < len(people) else end]
        post, next_pre = _split_rank(gap, rules) if i + 1 < len(people) else (gap, "")
        if not post.lstrip().startswith((",", ";")):
            post = ""  # titles follow a name after a comma; "Ri Sol Ju the performance ..." has none
        titles = _titles(pre, rules) + _titles(post, rules)
        members.append(Member(name, pid, tuple(titles), s, e, linked))
        pre = next_pre
    return dedupe(members)


def _split_rank(gap: str, rules: EntourageRules) -> tuple[str, str]:
    """Split the words between two names into the first one's titles and the second one's rank.

    "..., member of the Political Bureau, KPA General " → ("..., member of the Political Bureau",
    "KPA General"); a gap ending in a separator has no rank for the next name.
    """
    if re.search(r"(?:[,;]|\band)\s*$", gap):
        return gap, ""
    cut = max((m.end() for m in re.finditer(r"[,;]\s+(?:and\s+)?|\s+and\s+", gap)), default=0)
    rank = gap[cut:].strip()
    return (gap[:cut], rank) if rules.rank.match(rank) else (gap, "")


def dedupe(members: list[Member]) -> list[Member]:
    """Each person once, where first named."""
    seen: set[str] = set()
    out = []
    for m in members:
        if m.id not in seen:
            seen.add(m.id)
            out.append(m)
    return out
