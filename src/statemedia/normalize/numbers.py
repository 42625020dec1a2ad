"""Numbers as DPRK state media writes them: ``number`` annotations with their value.

KCNA separates thousands with a space ("1 056 units", "20 500 km", "46 759 450 390 yen"),
sometimes with a comma ("1,056"); a 1-3 digit group followed by space-separated groups of
exactly three digits is one number, never several. Decimals, plain integers, a numeral times
a scale word ("3 500 million") and common number words (``data/number_words.tsv``) are read too.
Ordinals ("36th", "1 000th") are not cardinals and are left alone. A number that is part of a
name ("Height 1 211") is still annotated: deciding it is a name is the extractor's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document

__all__ = ["NumberNormalizer", "parse_numeral"]

_WORDS = read_tsv("number_words.tsv")
_CARDINALS = {row["word"].lower(): int(row["value"]) for row in _WORDS if row["kind"] == "cardinal"}
_SCALES = {row["word"].lower(): int(row["value"]) for row in _WORDS if row["kind"] == "scale"}
_MONTHS = [row["word"] for row in read_tsv("calendar.tsv") if row["kind"] == "month"]


def _alternation(words: list[str]) -> str:
    # Longest first so that a word is never cut short by a shorter one it starts with.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Spaces KCNA uses between digit groups: plain, no-break and narrow no-break.
_GROUP_SPACE = "[ \u00a0\u202f]"
# The numeral is an atomic group: once "1 000" is read it is never re-read as "1" (e.g. when
# an ordinal suffix follows, as in "1 000th", the whole match fails instead).
_NUMERAL = rf"""
    (?<![\w.,:/])
    (?>
        \d{{1,3}}(?:{_GROUP_SPACE}\d{{3}}(?!\d))+
      | \d{{1,3}}(?:,\d{{3}}(?!\d))+
      | \d+
    )
    (?:\.\d+)?
    (?!\d|[.,:]\d|(?:st|nd|rd|th)\b)
"""
_PATTERN = re.compile(
    rf"""
    (?:
        (?P<numeral>{_NUMERAL})
      | \b(?P<word>{_alternation(list(_CARDINALS))})\b
      | \b(?P<bare_scale>{_alternation(list(_SCALES))})\b
    )
    (?:{_GROUP_SPACE}+(?P<scale>{_alternation(list(_SCALES))})\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "March 15 200 people" is a day then a count, not 15 200: a month name just before the
# numeral means its first group stands alone.
_MONTH_BEFORE = re.compile(rf"\b(?:{_alternation(_MONTHS)}){_GROUP_SPACE}$", re.IGNORECASE)
_LONGEST_MONTH = max(map(len, _MONTHS))
_GROUP_SPACE_IN = re.compile(_GROUP_SPACE)
_FIRST_GROUP = re.compile(r"\d{1,3}")


def parse_numeral(numeral: str) -> int | float:
    """The value of one numeral as matched here: group separators dropped, decimals kept."""
    digits = numeral.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    return float(digits) if "." in digits else int(digits)


def _scaled(value: int | float, scale: str | None) -> int | float:
    if scale is None:
        return value
    product = value * _SCALES[scale.lower()]
    # "2.5 million" is a whole number: keep it an int so equal values compare and store alike.
    return int(product) if float(product).is_integer() else product


class NumberNormalizer:
    """Adds a ``number`` annotation (attrs: ``value``) for every number in the text."""

    name: ClassVar[str] = "numbers"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("number",)

    @dataclass(frozen=True)
    class Options:
        # Read number words ("three", "thousand") as well as numerals.
        words: bool

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        doc.add(self.find(doc.text))
        return doc

    def find(self, text: str) -> list[Annotation]:
        found: list[Annotation] = []
        pos = 0
        while match := _PATTERN.search(text, pos):
            pos = match.end()
            numeral, scale = match["numeral"], match["scale"]
            if numeral is not None:
                if _GROUP_SPACE_IN.search(numeral) and _MONTH_BEFORE.search(
                    text, max(0, match.start() - _LONGEST_MONTH - 2), match.start()
                ):
                    # A day after a month name: keep its first group only, rescan the rest.
                    first = _FIRST_GROUP.match(text, match.start())
                    assert first is not None
                    found.append(self._make(first.start(), first.end(), int(first.group())))
                    pos = first.end()
                    continue
                value = _scaled(parse_numeral(numeral), scale)
            elif not self.options.words:
                continue
            elif match["word"] is not None:
                value = _scaled(_CARDINALS[match["word"].lower()], scale)
            else:
                value = _scaled(_SCALES[match["bare_scale"].lower()], scale)
            found.append(self._make(match.start(), match.end(), value))
        return found

    def _make(self, start: int, end: int, value: int | float) -> Annotation:
        return Annotation(start, end, "number", {"value": value}, producer=self.name)
