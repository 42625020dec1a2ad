"""kcna.kp's Juche date stamps: "[Juche113.1.17.]" after a title, "(Juche112.11.28.)" after a story.

A stamp is Juche year, month and day, each followed by a dot; the Gregorian year is the Juche
year + 1911 (Juche 1 = 1912, as ``[juche] epoch``). Capture takes a stamp as the publication
date when the record gives none (the title's first, else the text's last: the site puts it
at the end) and cuts a stamp off the end of a title, where it is page furniture, not words of
the headline. In the text it stays and becomes a ``date`` annotation (normalize/dates.py).
"""

from __future__ import annotations

import datetime
import re

__all__ = ["JUCHE_EPOCH", "STAMP", "stamp_date", "title_stamp"]

JUCHE_EPOCH = 1911
STAMP = re.compile(r"\bJuche\s?(?P<juche>\d{1,3})\.(?P<month>\d{1,2})\.(?P<day>\d{1,2})\b\.?")
# A stamp ending a title, with its brackets and the space before it.
_TITLE_STAMP = re.compile(r"\s*[\[(]?\s*" + STAMP.pattern + r"\s*[\])]?\s*$")


def _date(match: re.Match[str]) -> datetime.date | None:
    try:
        return datetime.date(int(match["juche"]) + JUCHE_EPOCH, int(match["month"]), int(match["day"]))
    except ValueError:  # "Juche113.2.30.": no such day
        return None


def stamp_date(text: str) -> datetime.date | None:
    """The date of the last well-formed stamp in ``text``, if any."""
    dates = [d for d in map(_date, STAMP.finditer(text)) if d is not None]
    return dates[-1] if dates else None


def title_stamp(title: str) -> tuple[str, datetime.date | None]:
    """``title`` without a stamp at its end, and that stamp's date (None: no stamp there)."""
    match = _TITLE_STAMP.search(title)
    if match is None or not match.start():
        return title, None
    day = _date(match)
    return (title[: match.start()], day) if day is not None else (title, None)
