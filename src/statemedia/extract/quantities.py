"""Numeric claims: value, unit, what is counted, and a qualifier that bounds the value.

A claim is a ``number`` annotation that is not part of a name (``entity``: "Height
1 211", "Unit 938"), a date or a Juche year. The unit is read from the words after
it (``data/units.tsv`` for measures, else the count noun); the qualifier from the
words before it (``data/qualifiers.tsv``: "more than 20 500 km" → lower bound).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document

__all__ = ["QuantityExtractor"]

# "70-day campaign", "three-year war": a number joined to a word by a hyphen modifies a noun.
_MODIFIER = re.compile(r"-(?!odd\b)[A-Za-z]")
# "270-odd establishments": approximately 270.
_ODD = re.compile(r"-odd\b")
# "200 to 250 percent", "3-5 tons": a range whose unit follows its second number.
_RANGE_LINK = re.compile(r"\s*(?:to|-|–)\s*")
# One word of the phrase after a number, with the single space before it.
_PHRASE_WORD = re.compile(r"[ \u00a0]([A-Za-zÀ-ÿ][\w\-’']*)")
# Words that cannot be a count noun: they continue the sentence instead of naming a thing.
_NOT_NOUNS = frozenset(
    [
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "the",
        "a",
        "an",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "times",
        "per",
        "each",
        "more",
        "less",
        "than",
        "as",
        "y",
        "o",
        "de",
        "en",
        "el",
        "la",
        "los",
        "las",
        "que",
    ]
)
_OF_BEFORE = re.compile(r"((?:[a-zA-Z][\w\-]*\s+){1,3})of\s+$")
_OF_AFTER = re.compile(r"^\s+of\s+((?:the\s+)?[a-zA-Z][\w\-]*(?:\s+[a-zA-Z][\w\-]*)?)")
# Verbs and determiners that end the noun phrase before "of" ("made field guidance tours of").
_PHRASE_STOP = frozenset(
    [
        "made",
        "make",
        "makes",
        "gave",
        "give",
        "gives",
        "did",
        "do",
        "the",
        "a",
        "an",
        "his",
        "her",
        "its",
        "their",
        "some",
        "total",
    ]
)


@dataclass(frozen=True, slots=True)
class _Unit:
    unit: str
    kind: str
    dimension: str


class QuantityExtractor:
    name: ClassVar[str] = "quantities"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("number", "entity", "date", "juche_year")
    assigns: ClassVar[tuple[str, ...]] = ("quantity",)

    @dataclass(frozen=True)
    class Options:
        # How far back (characters) a qualifier may stand: "more than" + space is 10;
        # 24 covers the longest phrase in qualifiers.tsv with slack for double spaces.
        qualifier_window: int

    def __init__(self, options: Options) -> None:
        self.options = options
        self.units = {
            row["form"].lower(): _Unit(row["unit"], row["kind"], row["dimension"]) for row in read_tsv("units.tsv")
        }
        forms = sorted(self.units, key=len, reverse=True)
        self._unit_re = re.compile(r"\s*(" + "|".join(re.escape(f) for f in forms) + r")(?![\w])", re.I)
        qualifiers = {row["phrase"]: row["bound"] for row in read_tsv("qualifiers.tsv")}
        self.qualifiers = qualifiers
        self._qual_re = re.compile(
            r"\b(" + "|".join(re.escape(q) for q in sorted(qualifiers, key=len, reverse=True)) + r")\s+$", re.I
        )

    def __call__(self, doc: Document) -> Document:
        blocked = [(a.start, a.end) for a in doc.spans("entity", "date", "juche_year")]
        numbers = {n.start: n for n in doc.spans("number")}
        claims = []
        for num in numbers.values():
            if any(s < num.end and num.start < e for s, e in blocked):
                continue
            claim = self._claim(doc.text, num, numbers)
            if claim is not None:
                claims.append(claim)
        doc.add(claims)
        return doc

    def _claim(self, text: str, num: Annotation, numbers: dict[int, Annotation]) -> Annotation | None:
        if _MODIFIER.match(text, num.end):
            return None  # "70-day campaign", "three-year plan": part of a name or an adjective
        value = num.attrs["value"]
        attrs: dict[str, Any] = {
            "value": value,
            "unit": None,
            "counted": None,
            "qualifier": None,
            "lower": value,
            "upper": value,
        }
        # "200 to 250 percent": the unit after the range's end belongs to both numbers.
        unit_at = num.end
        link = _RANGE_LINK.match(text, num.end)
        if link and link.end() in numbers:
            unit_at = numbers[link.end()].end
        odd = _ODD.match(text, unit_at)
        if odd:
            unit_at = odd.end()
        after = text[unit_at : unit_at + 60]
        unit_match = self._unit_re.match(after)
        if unit_match:
            unit = self.units[unit_match.group(1).lower()]
            attrs["unit"] = unit.unit
            end = unit_at + unit_match.end()
            of = _OF_AFTER.match(text[end : end + 60])
            attrs["counted"] = of.group(1) if of else unit.dimension
        else:
            noun = self._count_noun(after)
            in_words = not any(ch.isdigit() for ch in text[num.start : num.end])
            # A bare number counts nothing, and a number word is a claim only when it counts
            # plural things: "three factories", not "one day" or "one powerful political force".
            if noun is None or (in_words and not noun[0].lower().endswith("s")):
                return None
            head, phrase, offset = noun
            attrs["unit"] = head
            end = unit_at + offset
            attrs["counted"] = self._phrase_before(text, num.start) or phrase
        if odd:
            attrs.update(qualifier="-odd", lower=None, upper=None)
        else:
            self._qualify(text, num.start, attrs)
        return Annotation(num.start, end, "quantity", attrs, self.name)

    def _count_noun(self, after: str) -> tuple[str, str, int] | None:
        """The noun phrase right after a number: (head noun, phrase, end offset in ``after``).

        Up to three words, stopping at punctuation, function words, past participles and
        adverbs ("326 carried out" counts nothing); the last word is the head noun.
        """
        words: list[str] = []
        end = 0
        for m in _PHRASE_WORD.finditer(after):
            if m.start() != end or len(words) == 3:
                break
            word = m.group(1)
            lowered = word.lower()
            if lowered in _NOT_NOUNS or lowered.endswith(("ed", "ly")):
                break
            words.append(word)
            end = m.end()
        if not words:
            return None
        return words[-1], " ".join(words), end

    def _phrase_before(self, text: str, start: int) -> str | None:
        """The noun phrase a count belongs to: "field guidance tours of 1 056 units"."""
        m = _OF_BEFORE.search(text[max(0, start - 60) : start])
        if m is None:
            return None
        words = m.group(1).split()
        while words and words[0].lower() in _PHRASE_STOP:
            words.pop(0)
        kept: list[str] = []
        for word in reversed(words):
            if word.lower() in _PHRASE_STOP:
                break
            kept.insert(0, word)
        return " ".join(kept) or None

    def _qualify(self, text: str, start: int, attrs: dict[str, Any]) -> None:
        m = self._qual_re.search(text[max(0, start - self.options.qualifier_window) : start])
        if m is None:
            return
        phrase = m.group(1).lower()
        bound = self.qualifiers.get(phrase, "approx")
        attrs["qualifier"] = phrase
        if bound == "lower":
            attrs["upper"] = None
        elif bound == "upper":
            attrs["lower"] = None
        else:
            attrs["lower"] = attrs["upper"] = None
