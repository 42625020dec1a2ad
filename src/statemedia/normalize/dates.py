"""Dates at the precision the text gives: ``date`` annotations (day, month, year or interval).

Read forms: "October 21, 1950", "Oct. 21", "21 October 2012", "February 1952", "in 1950",
"(1950-1953)", Spanish "21 de octubre de 2012" and "diciembre del 100 (2011) de la Era Juche",
kcna.kp's date stamps "[Juche113.1.17.]" and "(Juche112.11.28.)" (Juche year.month.day., a day);
a Juche year (``juche_year``, made earlier) serves as the year of a date and is a year on its own.
Dates without a year and relative days ("on Sunday", "yesterday", "este martes", Spanish KCNA's
"el dia 17": a day of this month or the last) are resolved
against the publication date: the latest such day on or before it. Without a publication date
they are skipped: a value we cannot know is not guessed. Named periods ("Fatherland Liberation
War", "the three-year war") come from ``data/periods.tsv``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document

__all__ = ["DateNormalizer"]

_CALENDAR = read_tsv("calendar.tsv")


def _words(kind: str) -> dict[str, int]:
    """Words of one kind -> number; Spanish (lower-case) words also capitalised, sentence-initial."""
    out: dict[str, int] = {}
    for row in _CALENDAR:
        if row["kind"] == kind:
            number = int(row["number"]) if row["number"] else 0
            out[row["word"]] = number
            out[row["word"][0].upper() + row["word"][1:]] = number
    return out


def _alt(words: dict[str, int] | list[str]) -> str:
    # Longest first so that "Sept." is not read as "Sep." plus a dot, nor "del" as "de".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTHS = _words("month")
_WEEKDAYS = _words("weekday")
_RELATIVE = {w.lower(): n for w, n in _words("relative").items()}
_PERIODS = read_tsv("periods.tsv")
_PERIOD_BY_ALIAS = {
    alias.lower(): row for row in _PERIODS for alias in [row["name"], *row["aliases"].split("|")] if alias
}

# Before matching, each Juche year is masked as filler + its 4-digit year, same length, so that
# one year pattern reads "1950" and "Juche 39 (1950)" alike and the span covers the whole form.
_FILLER = "\ue000"
_YEAR = rf"(?<!\d){_FILLER}*(?:1[6-9]|20)\d\d(?!\d)"
_DAY = r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_MONTH = rf"(?:{_alt(_MONTHS)})(?!\w)"

# One alternative per form; the group names say which parts the form has.
_PATTERN = re.compile(
    rf"""
      (?P<ymd>(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?)
    | (?P<dmy>(?P<d2>{_DAY})\s+(?:de\s+)?(?P<m2>{_MONTH})(?:,?\s+(?:del?\s+)?(?P<y2>{_YEAR}))?)
    | (?P<my>(?P<m3>{_MONTH}),?\s+(?:del?\s+)?(?P<y3>{_YEAR}))
    | (?P<range>(?P<y4>{_YEAR})\s*[-–]\s*(?P<y5>{_YEAR}))
    | (?:\b(?i:{_alt(_words("year_cue"))})\s+(?P<y6>{_YEAR}))
    | (?P<stamp>{_FILLER}+(?P<ys>\d{{4}})\.(?P<ms>1[0-2]|0?[1-9])\.(?P<ds>[12]\d|3[01]|0?[1-9])(?!\d)\.?)
    | (?P<juche>{_FILLER}+\d{{4}})
    | (?:\b(?i:{_alt(_words("weekday_cue"))})\s+)?\b(?P<weekday>{_alt(_WEEKDAYS)})\b
    | \b(?i:el)\s+(?P<dom>(?i:d[ií]a)\s+(?P<d7>{_DAY}))(?!\s+(?:de\s+)?{_MONTH})
    | \b(?P<relative>(?i:{_alt(list(_RELATIVE))}))\b
    | \b(?P<period>(?i:{_alt(list(_PERIOD_BY_ALIAS))}))\b
    """,
    re.VERBOSE,
)
# A yearless "Month Day" followed by a capitalised word or "joint" names a thing after a date
# (DPRK factories, halls and declarations: "November 2 Factory", "June 15 joint declaration").
_NAMED_AFTER = re.compile(r"\s+(?:[A-Z][a-z]|joint\b)")
_SPANISH_WEEKDAYS = {row["word"] for row in _CALENDAR if row["kind"] == "weekday" and row["language"] == "es"}


def _span(start: date, end: date) -> dict[str, Any]:
    return {"start": start.isoformat(), "end": end.isoformat(), "relative": None, "name": None}


def _day(day: date, relative: str | None = None) -> dict[str, Any]:
    return {"value": day.isoformat(), "precision": "day", **_span(day, day), "relative": relative}


def _month(year: int, month: int) -> dict[str, Any]:
    bounds = _span(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    return {"value": f"{year:04d}-{month:02d}", "precision": "month", **bounds}


def _year(year: int) -> dict[str, Any]:
    return {"value": f"{year:04d}", "precision": "year", **_span(date(year, 1, 1), date(year, 12, 31))}


def _interval(start: date, end: date, value: str, name: str | None = None) -> dict[str, Any]:
    return {"value": value, "precision": "interval", **_span(start, end), "name": name}


def _latest(month: int, day: int, published: date) -> date | None:
    """The latest ``month``/``day`` on or before ``published`` (Feb 29 looks back to a leap year)."""
    for year in range(published.year, published.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _latest_day(day: int, published: date) -> date | None:
    """The latest day ``day`` of a month on or before ``published`` (this month or the one before)."""
    first = published.replace(day=1)
    for month_start in (first, (first - timedelta(days=1)).replace(day=1)):
        if day <= calendar.monthrange(month_start.year, month_start.month)[1]:
            candidate = month_start.replace(day=day)
            if candidate <= published:
                return candidate
    return None


def _int(text: str) -> int:
    return int(text.replace(_FILLER, "").rstrip("stndrh"))


class DateNormalizer:
    """Adds ``date`` (attrs: ``value``, ``precision``, ``start``, ``end``, ``relative``, ``name``)."""

    name: ClassVar[str] = "dates"
    version: ClassVar[str] = "4"
    requires: ClassVar[tuple[str, ...]] = ("juche_year",)
    assigns: ClassVar[tuple[str, ...]] = ("date",)

    @dataclass(frozen=True)
    class Options:
        # Resolve "on Sunday", "yesterday", "today" against the publication date. KCNA reports
        # events of the day or days before; a reader of older archives may want them off.
        relative: bool

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        doc.add(self.find(doc.text, list(doc.spans("juche_year")), doc.published))
        return doc

    def find(self, text: str, juche: list[Annotation], published: date | None) -> list[Annotation]:
        candidates = sorted(
            self._candidates(_mask(text, juche), published), key=lambda c: (c[0] - c[1], c[0])
        )
        kept: list[Annotation] = []
        for start, end, attrs in candidates:
            # Longest first: "October 21, Juche 39 (1950)" wins over "Juche 39 (1950)" alone.
            if not any(a.overlaps(start, end) for a in kept):
                kept.append(Annotation(start, end, "date", attrs, producer=self.name))
        return sorted(kept, key=lambda a: a.start)

    def _candidates(self, masked: str, published: date | None) -> Iterator[tuple[int, int, dict[str, Any]]]:
        for match in _PATTERN.finditer(masked):
            kind = match.lastgroup
            try:
                attrs = self._attrs(match, kind, published)
            except ValueError:  # "February 30": not a date
                continue
            if attrs is not None and kind is not None:
                # The span of the form's own group: a cue word before it ("in", "el") is left out.
                start, end = match.span(kind)
                if kind == "ymd" and match["y1"] is None and _NAMED_AFTER.match(masked, end):
                    continue  # "the April 25 House of Culture", "the June 15 joint declaration"
                yield start, end, attrs

    def _attrs(self, match: re.Match[str], kind: str | None, published: date | None) -> dict[str, Any] | None:
        if kind in {"ymd", "dmy"}:
            n = "1" if kind == "ymd" else "2"
            month, day, year = _MONTHS[match["m" + n]], _int(match["d" + n]), match["y" + n]
            if year is not None:
                return _day(date(_int(year), month, day))
            resolved = _latest(month, day, published) if published else None
            return _day(resolved) if resolved else None
        if kind == "stamp":
            return _day(date(int(match["ys"]), int(match["ms"]), int(match["ds"])))
        if kind == "my":
            return _month(_int(match["y3"]), _MONTHS[match["m3"]])
        if kind == "range":
            first, last = _int(match["y4"]), _int(match["y5"])
            if last <= first:
                return None
            return _interval(date(first, 1, 1), date(last, 12, 31), f"{first}/{last}")
        if kind in {"y6", "juche"}:
            return _year(_int(match[kind]))
        if kind == "period":
            row = _PERIOD_BY_ALIAS[match["period"].lower()]
            start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
            return _interval(start, end, f"{start}/{end}", row["name"])
        if not (self.options.relative and published):
            return None
        if kind == "dom":
            # KCNA's Spanish "el dia 17": the 17th of the publication's month, or of the month before.
            resolved = _latest_day(_int(match["d7"]), published)
            return _day(resolved, relative="dia") if resolved else None
        if kind == "weekday":
            word = match["weekday"]
            if word.lower() in _SPANISH_WEEKDAYS and match.start() == match.start("weekday"):
                return None  # a Spanish weekday needs its article: "martes" alone may be a name
            back = (published.weekday() - _WEEKDAYS[word]) % 7
            return _day(published - timedelta(days=back), relative=word)
        word = match["relative"]
        return _day(published - timedelta(days=_RELATIVE[word.lower()]), relative=word.lower())


def _mask(text: str, juche: list[Annotation]) -> str:
    """``text`` with each Juche year replaced by filler + its Gregorian year, same length.

    The stated year wins over the computed one: in "June 30, Juche 29 (1930)" the count is the
    typo (the work dates from 1930), as far as KCNA's mismatches can be checked.
    """
    parts: list[str] = []
    pos = 0
    for ann in juche:
        length = ann.end - ann.start
        if ann.start < pos or length < 4:
            continue
        year = ann.attrs["stated_year"] or ann.attrs["year"]
        parts += [text[pos : ann.start], _FILLER * (length - 4) + f"{year:04d}"]
        pos = ann.end
    parts.append(text[pos:])
    return "".join(parts)
