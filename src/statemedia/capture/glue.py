"""Names glued to their neighbours: "The respected ComradeKim Jong Uninspected" → "... Comrade Kim Jong Un inspected".

kcna.kp sets leaders' names in bold, and text taken from its pages (the public scrape of it
too) loses the spaces around the bold run: "atKim Il SungSquare", "sent byKim Jong Unto",
"ComradeKim Jong Unwas". Every later component reads the clean text, so capture puts the
spaces back. Two rules, and both only ever insert a space:

1. **Gazetteer.** A person's name or alias from ``data/gazetteer.tsv`` (read here through
   ``datafiles``: capture does not import ``extract``) directly after a letter ("HEKim Jong
   Un": His Excellency) or a dateline's dash ("(KCNA) --Kim Jong Un"), or
   directly before a capital ("Kim Il SungSquare") or before a lowercase run of at least
   ``glue_min_tail`` letters that does not make the name's last syllable a longer one ("Kim
   Jong Unto" is glued; "Kim Jong Ung" could be another man).
2. **Name shape**, for names the gazetteer lacks: a Korean surname (``data/glued_names.tsv``)
   and one or two capitalised syllables. A lowercase letter or a dash directly before it is
   glue ("ofRi Sol Ju"); so is a capital inside its last word after a syllable ("Ri Sol JuHall"),
   or a lowercase tail after a syllable that is a word listed in ``glued_names.tsv``: of two
   letters or more when the name is glued in front too ("ofPak Thae Songin"), else of
   ``glue_min_word`` or more after two given syllables ("Pak Thae Songvisited"; "Moon Jaein"
   and "Syngman Rhee Clique" are no glue).

A syllable is what DPRK (and South Korean) romanisation spells one: an optional onset (one
consonant or a digraph: ch, ph, th, kh, sh, ss, kk, tt, pp, jj), an optional glide (w, y), one
or two vowels and an optional final (ng, k, l, m, n, p, t).
Forms listed as ``keep`` in ``glued_names.tsv`` are never split.

What the repair changes on the KCNA 2011-2012 and 2024 corpora and on the PTC, AEB,
recent-excerpt and seed texts is measured by tests/test_capture_kcna2024.py and recorded in
docs/people.md ("Glued names").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import read_tsv

__all__ = ["GlueRules", "glue_rules", "is_syllable", "repair_glued_names"]

# Onset (one consonant of the romanisations, or a digraph), glide, one or two vowels, final.
# English words seldom fit ("Strong", "Green" do not; "Long", "King" do).
_SYLLABLE = re.compile(
    r"(?:ch|ph|th|kh|sh|ss|kk|tt|pp|jj|[bdghjklmnprst])?[wy]?[aeiou]{1,2}(?:ng|[klmnpt])?", re.IGNORECASE
)
# Given names that are syllables only (" Jong Il"): one test for a whole run.
_SYLLABLES = re.compile(rf"(?: {_SYLLABLE.pattern})+", re.IGNORECASE)


def is_syllable(word: str) -> bool:
    """Whether ``word`` spells one romanised Korean syllable ("Jong", "Thaek", "Un"; not "Unto")."""
    return _SYLLABLE.fullmatch(word) is not None


@dataclass(frozen=True)
class GlueRules:
    runs: re.Pattern[str]  # a surname (or a gazetteer person's first word) and one or two capitalised words
    people: dict[str, tuple[str, ...]]  # gazetteer names and aliases by first word, longest first
    surnames: frozenset[str]  # Korean surnames: rule 2 reads only names that start with one
    words: frozenset[str]  # lowercase words that may be glued after a name
    keep: frozenset[str]  # glued forms never split


def _trie(words: set[str]) -> str:
    """A regex matching any of ``words``, branching letter by letter ("K(?:im|o(?:ng)?)"): Python's
    re tries a flat alternation's branches one by one at every capital, which is slower
    (docs/performance.md, "Capture")."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(tree)


@lru_cache(maxsize=1)
def glue_rules() -> GlueRules:
    """The rules from ``gazetteer.tsv`` (PERSON names and aliases) and ``glued_names.tsv``."""
    people: dict[str, set[str]] = {}
    for row in read_tsv("gazetteer.tsv"):
        if row["type"] == "PERSON":
            for alias in (row["name"], *row["aliases"].split("|")):
                if len(alias.split()) > 1:
                    people.setdefault(alias.split()[0], set()).add(alias)
    rows = read_tsv("glued_names.tsv")
    surnames = {r["value"] for r in rows if r["kind"] == "surname"}
    return GlueRules(
        # A word: a capital and lowercase letters ("U" alone is a syllable too), and perhaps a
        # capitalised word glued to it ("SungSquare"); "AFC", "ITAR-TASS" are no names.
        runs=re.compile(rf"{_trie(surnames | set(people))}((?: [A-Z][a-z]*(?:[A-Z][a-z]+)?){{1,2}})"),
        people={first: tuple(sorted(names, key=len, reverse=True)) for first, names in people.items()},
        surnames=frozenset(surnames),
        words=frozenset(r["value"] for r in rows if r["kind"] == "word"),
        keep=frozenset(r["value"] for r in rows if r["kind"] == "keep"),
    )


def _letters_after(text: str, i: int) -> str:
    end = i
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[i:end]


def _token_at(text: str, i: int) -> str:
    """The whitespace-delimited token around position ``i``, without punctuation (for ``keep``)."""
    start, end = i, i
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(".,;:!?\"'“”‘’()[]")


def _gazetteer(text: str, start: int, names: tuple[str, ...], head: bool, min_tail: int, cuts: dict[int, str]) -> bool:
    """Rule 1 for the run at ``start``; whether a gazetteer name starts there."""
    name = next((n for n in names if text.startswith(n, start)), None)
    if name is None:
        return False
    end = start + len(name)
    if head:
        cuts[start] = name
    tail = _letters_after(text, end)
    last = name.rsplit(" ", 1)[-1]
    if tail and (tail[0].isupper() or (tail.islower() and len(tail) >= min_tail and not is_syllable(last + tail))):
        cuts[end] = name
    return True


def _tail_cut(word: str, words: frozenset[str], min_word: int) -> int | None:
    """Where the last word of a name-shaped run splits into a syllable and glued text, if it does."""
    if is_syllable(word):
        return None
    for i in range(1, len(word)):
        if word[i].isupper():
            return i if is_syllable(word[:i]) else None
    # Longest syllable first: "Sungand" is "Sung and", not "Sun gand".
    for i in range(len(word) - 1, 0, -1):
        rest = word[i:]
        if len(rest) >= min_word and rest in words and is_syllable(word[:i]):
            return i
    return None


def _name_shape(
    text: str, match: re.Match[str], head: bool, rules: GlueRules, min_word: int, cuts: dict[int, str]
) -> None:
    """Rule 2 for a run the gazetteer does not name."""
    start = match.start()
    given = match.group(1).split()
    while given:
        *inner, last = given
        # A lowercase tail needs the name glued in front (then two letters will do: "on", "to"),
        # or a full three-word name before it: "Syngman Rhee Clique" is no "Rhee Cli" + "que".
        shortest = 2 if head else min_word if inner else len(last)
        if all(is_syllable(w) for w in inner):
            cut = _tail_cut(last, rules.words, shortest)
            if cut is not None or is_syllable(last):
                end = match.start(1) + len(" ".join(["", *inner, last[: cut or len(last)]]))
                if head:
                    cuts.setdefault(start, text[start:end])
                if cut is not None:
                    cuts.setdefault(end, text[start:end])
                return
        given.pop()  # "ofRi Sol Visits": the name is "Ri Sol"


def repair_glued_names(
    text: str, *, min_tail: int, min_word: int, rules: GlueRules | None = None
) -> tuple[str, Counter[str]]:
    """``text`` with a space put back at each glued name edge, and how many per name."""
    rules = rules or glue_rules()
    cuts: dict[int, str] = {}
    for match in rules.runs.finditer(text):
        start = match.start()
        before = text[start - 1] if start else " "
        # A dateline's dash is glued to the name too: "(KCNA) --Kim Jong Un, general secretary".
        dash = text.startswith("--", start - 2) if start >= 2 else False
        # Most runs are clean names ("Kim Jong Il said"): nothing glued before, syllables only.
        if not (before.isalpha() or dash) and _SYLLABLES.fullmatch(match.group(1)):
            continue
        first = text[start : text.index(" ", start)]
        # A gazetteer name may follow a capital too ("HEKim Jong Un": His Excellency); an unknown
        # name only a lowercase letter (the surname is inside a word in capitals otherwise).
        if _gazetteer(text, start, rules.people.get(first, ()), before.isalpha() or dash, min_tail, cuts):
            continue
        if first in rules.surnames and not before.isupper():
            _name_shape(text, match, before.islower() or dash, rules, min_word, cuts)
    if not cuts:
        return text, Counter()
    kept = {i: name for i, name in cuts.items() if _token_at(text, i) not in rules.keep}
    parts: list[str] = []
    pos = 0
    for i in sorted(kept):
        parts += [text[pos:i], " "]
        pos = i
    parts.append(text[pos:])
    return "".join(parts), Counter(kept.values())
