"""KCNA-style datelines: "Pyongyang, November 30 (KCNA) --", "Pyongyang, 30 de noviembre (ACNC) --".

A dateline gives place, agency, month and day but no year; the year comes from the
publication date, chosen so that the dateline day is not after publication (a story
datelined December 31 and published January 1 is from the previous year). The
dateline stays in the clean text and becomes a ``dateline`` annotation.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..datafiles import read_text
from ..model import Annotation

__all__ = ["Dateline", "find_dateline", "infer_date"]

PRODUCER = "capture"
# Leap days: a dateline "February 29" may be up to 4 years before publication.
_YEARS_BACK = 4


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int
    place: str
    agency: str
    outlet: str | None
    month: int
    day: int
    date: datetime.date | None

    def annotation(self) -> Annotation:
        attrs: dict[str, Any] = {
            "place": self.place,
            "agency": self.agency,
            "month": self.month,
            "day": self.day,
            "date": self.date.isoformat() if self.date else None,
        }
        return Annotation(self.start, self.end, "dateline", attrs, producer=PRODUCER)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, int], dict[str, str], re.Pattern[str]]:
    raw = read_text("datelines.json")
    data = json.loads(raw)
    months: dict[str, int] = data["months"]
    agencies: dict[str, str] = data["agencies"]
    month = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    agency = "|".join(sorted(map(re.escape, agencies), key=len, reverse=True))
    # Place: capitalised words ("Pyongyang", "Phnom Penh"); then "," or "." (a KCNA typo seen
    # in 2019: "Pyongyang. June 1"); then "Month day" or "day de month"; then "(AGENCY)" and a dash.
    pattern = re.compile(
        rf"""\A\s*(?P<all>(?P<place>[A-Z][\w'’-]*(?:\ [A-Z][\w'’-]*){{0,3}})[,.]\s+
        (?:(?P<month>(?i:{month}))\.?\s+(?P<day>\d{{1,2}})|(?P<day_es>\d{{1,2}})\s+de\s+(?P<month_es>(?i:{month})))
        \s*\((?P<agency>{agency})\))\s*(?:--|[—–-])""",
        re.VERBOSE,
    )
    return {k.lower(): v for k, v in months.items()}, agencies, pattern


def infer_date(month: int, day: int, published: datetime.date | None) -> datetime.date | None:
    """The latest ``month``/``day`` on or before ``published`` (None without a publication date)."""
    if published is None:
        return None
    for year in range(published.year, published.year - _YEARS_BACK - 1, -1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def find_dateline(text: str, published: datetime.date | None = None) -> Dateline | None:
    """The dateline opening ``text``, if any."""
    months, agencies, pattern = _vocabulary()
    m = pattern.match(text)
    if m is None:
        return None
    month = months[(m["month"] or m["month_es"]).lower()]
    day = int(m["day"] or m["day_es"])
    if not 1 <= day <= 31:
        return None
    agency = m["agency"].upper()
    return Dateline(
        start=m.start("all"),
        end=m.end("all"),
        place=m["place"],
        agency=agency,
        outlet=agencies.get(agency),
        month=month,
        day=day,
        date=infer_date(month, day, published),
    )
