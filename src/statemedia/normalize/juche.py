"""Juche-era years: ``juche_year`` annotations with the Gregorian year they stand for.

The Juche calendar counts from Kim Il Sung's birth year (Juche 1 = 1912), and state media
usually writes the Gregorian year after it: "Juche 39 (1950)", "주체100(2011)년", Spanish
"100 (2011) de la Era Juche" or "año 100 de la era Juche"; kcna.kp's date stamps glue it to
the month and day: "[Juche113.1.17.]". When the stated year disagrees with the count the
annotation says so (``mismatch``): KCNA has "June 30, Juche 29 (1930)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..model import Annotation, Document

__all__ = ["JucheYears"]

# The count: 1-3 digits (Juche 1-999), not part of a longer number.
_COUNT = r"(?P<juche>\d{1,3})(?!\d)"
_STATED = r"(?:\s*\((?P<stated>\d{4})\))?"
_PATTERNS = (
    # English: "Juche 39 (1950)", "Juche 112"; kcna.kp's date stamps write it glued: "[Juche113.1.17.]"
    # (the stamp as a whole is a day: normalize/dates.py).
    re.compile(rf"\bJuche\s*{_COUNT}{_STATED}"),
    # Korean: "주체112(2023)년", "주체 112년". No \b before 주체: Hangul is a word character.
    # "주체100년대" is the era of the Juche 100s, not a year.
    re.compile(rf"주체\s*{_COUNT}{_STATED}(?!\s*년대)(?:\s*년)?"),
    # Spanish: "[año] 100 (2011) de la Era Juche"; "del" before it belongs to the date, not here.
    re.compile(rf"(?:\ba[ñn]o\s+)?(?<![\d.,]){_COUNT}{_STATED}\s+de\s+la\s+era\s+Juche\b", re.IGNORECASE),
)


class JucheYears:
    """Adds ``juche_year`` (attrs: ``juche``, ``year``, ``stated_year``, ``mismatch``)."""

    name: ClassVar[str] = "juche"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("juche_year",)

    @dataclass(frozen=True)
    class Options:
        # Gregorian year = Juche year + epoch: Juche 1 is 1912, the year of Kim Il Sung's birth.
        epoch: int

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        doc.add(self.find(doc.text))
        return doc

    def find(self, text: str) -> list[Annotation]:
        found: list[Annotation] = []
        for pattern in _PATTERNS:
            for match in pattern.finditer(text):
                count = int(match["juche"])
                if count == 0:
                    continue
                year = count + self.options.epoch
                stated = int(match["stated"]) if match["stated"] else None
                attrs = {
                    "juche": count,
                    "year": year,
                    "stated_year": stated,
                    "mismatch": stated is not None and stated != year,
                }
                found.append(Annotation(match.start(), match.end(), "juche_year", attrs, producer=self.name))
        return found
