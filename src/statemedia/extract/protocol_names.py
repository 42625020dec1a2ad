"""Names in protocol lists: the formulas' data (``data/entourage.json``) and how the names of a
list are found, spelt canonically and linked to the gazetteer of officials.

A name the gazetteer lacks still comes out when it looks like a Korean name (a family name and
one or two romanised syllables), spelt in one canonical way (``given_variants``,
``surname_variants``) with the id ``person:<slug>``; inside a list, so does a foreign name that
fills an item's slot ("Sergei Prikhodiko, assistant to the president", ``foreign_name``).
:mod:`.list_members` gives each name of a list its titles; :mod:`.entourage` reads the lists themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..datafiles import read_text
from .gazetteer import Entry, Gazetteer, load_gazetteer, slugify

__all__ = [
    "ROLES",
    "EntourageRules",
    "Formula",
    "Member",
    "canonical_name",
    "dedupe",
    "find_people",
    "load_rules",
]

ROLES = ("entourage", "present", "hosts")


@dataclass(frozen=True, slots=True)
class Member:
    """One person in a list: canonical name, id (gazetteer id or ``person:<slug>``), titles as worded (singular)."""

    name: str
    id: str
    titles: tuple[str, ...]
    start: int
    end: int
    linked: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "titles": list(self.titles), "linked": self.linked}


@dataclass(frozen=True, slots=True)
class Formula:
    """One way KCNA introduces a protocol list (``data/entourage.json``, ``formulas``)."""

    id: str
    role: str
    pattern: re.Pattern[str]
    names: str  # "after" the cue or "before" it
    leader_subject: bool  # "was accompanied by": only when the leader is the subject
    lead_only: bool  # "together with": only in the activity's own sentence
    until_verb: bool  # the list ends at the sentence's verb ("together with A, B, visited ...")


@dataclass(frozen=True, slots=True)
class EntourageRules:
    korean_name: re.Pattern[str]
    surname_variants: dict[str, str]
    title_split: re.Pattern[str]
    noise: re.Pattern[str]
    rank: re.Pattern[str]
    formulas: tuple[Formula, ...]
    keywords: re.Pattern[str]
    leader_subject: re.Pattern[str]
    chained: re.Pattern[str]
    list_stops: re.Pattern[str]
    verbs: re.Pattern[str]
    side: tuple[re.Pattern[str], ...]
    clause: re.Pattern[str]
    title_end: re.Pattern[str]
    own_side: re.Pattern[str]
    not_person_after: re.Pattern[str]
    not_person_before: re.Pattern[str]
    given_variants: dict[str, str]
    lookup_folds: tuple[tuple[re.Pattern[str], str], ...]
    foreign_name: re.Pattern[str]
    foreign_slot: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]  # item start, end, end after a rank
    not_name: frozenset[str]
    not_name_suffix: re.Pattern[str]
    title_plurals: dict[str, str]
    title_prepositions: frozenset[str]
    preposed_title: re.Pattern[str]


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


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
    lists = data["lists"]
    foreign = data["foreign_name"]
    token = foreign["token"]
    formulas = tuple(
        Formula(
            id=f["id"],
            role=f["role"],
            pattern=re.compile(f["pattern"]),
            names=f.get("names", "after"),
            leader_subject=bool(f.get("leader_subject", False)),
            lead_only=bool(f.get("lead_only", False)),
            until_verb=bool(f.get("until_verb", False)),
        )
        for f in data["formulas"]
    )
    unknown = {f.role for f in formulas} - set(ROLES)
    if unknown:
        raise ValueError(f"entourage.json: unknown role(s) {sorted(unknown)}; roles are {ROLES}")
    return EntourageRules(
        korean_name=korean_name,
        surname_variants=dict(data["surname_variants"]),
        title_split=re.compile(data["title_split"]),
        noise=re.compile(data["leading_noise"]),
        rank=re.compile(data["rank"]),
        formulas=formulas,
        keywords=re.compile(lists["keywords"]),
        leader_subject=re.compile(lists["leader_subject"], re.S),
        chained=re.compile(lists["chained"]),
        list_stops=_alternation(lists["stops"]),
        verbs=_alternation(lists["verbs"]),
        side=tuple(re.compile(p) for p in lists["side"]),
        own_side=re.compile(lists["own_side"]),
        clause=re.compile(lists["clause"]),
        title_end=re.compile(lists["title_end"]),
        not_person_after=re.compile(data["not_person_after"]),
        not_person_before=re.compile(data["not_person_before"]),
        given_variants=dict(data["given_variants"]),
        lookup_folds=tuple((re.compile(a), b) for a, b in data["lookup_folds"]),
        foreign_name=re.compile(rf"(?<![\w'’.\-]){token}(?: {token}){{1,5}}(?![\w'’\-])"),
        foreign_slot=(
            re.compile(foreign["slot_before"]),
            re.compile(foreign["slot_after"]),
            re.compile(foreign["rank_slot_after"]),
        ),
        not_name=frozenset(foreign["not_name"].split()),
        not_name_suffix=re.compile(foreign["not_name_suffix"]),
        title_plurals=dict(data["title_plurals"]),
        title_prepositions=frozenset(data["title_prepositions"].split("|")),
        preposed_title=re.compile(data["preposed_title"]),
    )


# -- names ------------------------------------------------------------------------------------


def canonical_name(surface: str, rules: EntourageRules | None = None) -> str:
    """One spelling for a Korean name the gazetteer lacks.

    'Choe Ryong-hae' → 'Choe Ryong Hae'; 'Rhee Yong Ho' → 'Ri Yong Ho'; 'Kim Phyong Il' →
    'Kim Pyong Il'; 'Pak Myong Chul' → 'Pak Myong Chol' (``surname_variants``, ``given_variants``).
    """
    rules = rules or load_rules()
    parts = [p.capitalize() for p in re.split(r"[\s\-]+", surface.strip()) if p]
    if not parts:
        return surface
    parts[0] = rules.surname_variants.get(parts[0], parts[0])
    parts[1:] = [rules.given_variants.get(p, p) for p in parts[1:]]
    return " ".join(parts)


def _fold(name: str, rules: EntourageRules) -> str:
    """A key that romanisation variants of one name share: aspiration, voicing, South Korean vowels."""
    parts = canonical_name(name, rules).lower().split()
    folded = parts[:1]
    for part in parts[1:]:
        for pattern, replacement in rules.lookup_folds:
            part = pattern.sub(replacement, part)
        folded.append(part)
    return " ".join(folded)


@cache
def _folded_index(gazetteer: Gazetteer) -> dict[str, Entry | None]:
    """Gazetteer people by folded name; a key two people share maps to None (no guess)."""
    rules = load_rules()
    index: dict[str, Entry | None] = {}
    for entry in gazetteer.entries.values():
        if entry.type != "PERSON":
            continue
        for alias in (entry.name, *entry.aliases):
            key = _fold(alias, rules)
            if key in index and index[key] is not None and index[key] != entry:
                index[key] = None
            else:
                index.setdefault(key, entry)
    return index


def _link(surface: str, name: str, gazetteer: Gazetteer, rules: EntourageRules) -> Entry | None:
    entry = gazetteer.lookup(surface) or gazetteer.lookup(name)
    if entry is None:
        entry = _folded_index(gazetteer).get(_fold(name, rules))
    return entry if entry is not None and entry.type == "PERSON" else None


def find_people(
    text: str, start: int, end: int, gazetteer: Gazetteer | None = None, *, foreign: bool = False
) -> Iterator[tuple[int, int, str, str, bool]]:
    """Person names in ``text[start:end]``: (start, end, canonical name, id, linked), in text order.

    A Korean-looking name that is part of a longer gazetteer name ("Kim Il Sung Socialist Youth
    League") or of an institution's ("Kim Chaek University", "la Escuela Revolucionaria Kang Pan
    Sok": ``not_person_after``, ``not_person_before``) is no person. ``foreign``: ``text[start:end]``
    is a protocol list, where a name the gazetteer lacks that does not look Korean is read too
    (:func:`_foreign_names`).
    """
    gazetteer = gazetteer or load_gazetteer()
    rules = load_rules()
    window = text[start:end]
    found: list[tuple[int, int, str, str, bool]] = []
    others: list[tuple[int, int]] = []
    for s, e, entry in gazetteer.find_names(window):
        if entry.type == "PERSON" and not rules.not_person_after.match(window, e):
            found.append((start + s, start + e, entry.name, entry.id, True))
        else:  # an organisation, or a person's name inside another name: no shorter name in it either
            others.append((start + s, start + e))
    for m in rules.korean_name.finditer(window):
        s, e = start + m.start(), start + m.end()
        if any(s < fe and fs < e for fs, fe, *_ in found) or any(s < oe and os < e for os, oe in others):
            continue
        if rules.not_person_after.match(window, m.end()) or _after_institution(window, m.start(), rules):
            continue
        name = canonical_name(m.group(0), rules)
        linked = _link(m.group(0), name, gazetteer, rules)
        if linked is not None:
            found.append((s, e, linked.name, linked.id, True))
        else:
            found.append((s, e, name, f"person:{slugify(name)}", False))
    if foreign:
        taken = [(fs, fe) for fs, fe, *_ in found] + others
        found += _foreign_names(window, start, taken, rules)
    found.sort()
    yield from found


def _after_institution(window: str, at: int, rules: EntourageRules) -> bool:
    # Spaces are folded because the R export pads some names ("Revolucionaria        Kang Pan Sok").
    return bool(rules.not_person_before.search(" ".join(window[max(0, at - 60) : at].split()) + " "))


def _not_name(word: str, rules: EntourageRules) -> bool:
    """A title, institution, place or calendar word, also inside a hyphenated rank ("Vice-Minister")."""
    return any(part in rules.not_name or rules.not_name_suffix.search(part) for part in (word, *word.split("-")))


def _foreign_names(
    window: str, start: int, taken: list[tuple[int, int]], rules: EntourageRules
) -> list[tuple[int, int, str, str, bool]]:
    """Names that neither the gazetteer nor the Korean-name rule reads, in a list's item slots.

    Inside a protocol list a capitalised run of 2-4 words that fills an item's slot (after the
    cue, a comma or "and"; before a comma, "and" or the end) is a person's name ("Sergei
    Prikhodiko", "V. Tolokonski", "Wang Yulin") unless one of its words is a title, organisation,
    place or calendar word (``not_name``); title words before the name are cut ("Premier Wen
    Jiabao"). Only lists are read this way: elsewhere such runs are mostly places and bodies.
    """
    out: list[tuple[int, int, str, str, bool]] = []
    before, after, after_rank = rules.foreign_slot
    for m in rules.foreign_name.finditer(window):
        s, e = m.start(), m.end()
        if any(s < te - start and ts - start < e for ts, te in taken):
            continue
        words = m.group(0).split(" ")
        ranks = [i for i, w in enumerate(words) if _not_name(w, rules)]
        if ranks:  # the name is what follows the last rank, title or institution word
            s += sum(len(w) + 1 for w in words[: ranks[-1] + 1])
            words = words[ranks[-1] + 1 :]
        if not 2 <= len(words) <= 4 or words[-1].endswith(".") or all(len(w) <= 2 for w in words):
            continue
        ranked = s > m.start()
        if not ranked and not before.search(window[:s]):
            continue
        if not after.match(window[e:]) and not (ranked and after_rank.match(window[e:])):
            continue
        name = " ".join(words)
        out.append((start + s, start + e, name, f"person:{slugify(name)}", False))
    return out


def dedupe(members: list[Member]) -> list[Member]:
    """Each person once, where first named."""
    seen: set[str] = set()
    out = []
    for m in members:
        if m.id not in seen:
            seen.add(m.id)
            out.append(m)
    return out
