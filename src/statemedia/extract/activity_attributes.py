"""What an activity's sentence says of it, read by rules (``data/activity_rules.json``): its
target, place, domain and day, the later stops of a tour, the items of mail, and whether a
stated date makes the sentence history.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..model import Document
from .activity_candidates import quoted
from .activity_rules import ActivityRules

__all__ = [
    "historical", "read_date", "read_domain", "read_items", "read_place", "read_stops", "read_target", "stated_days",
]

_YEAR = re.compile(r"\b\d{4}\b|Juche")
_IN_AT = re.compile(r"\s(?:in|at)\s+$")
# Kinds whose domain does not depend on the target.
_KIND_DOMAIN = {"correspondence": "diplomatic", "party_meeting": "political", "speech": "political",
                "performance": "cultural", "ceremony": "political", "military_drill": "military"}
_NAMED_DAY = re.compile(r"\bD[ií]a\b[^()]{0,80}$")


def read_target(rules: ActivityRules, text: str, start: int, end: int) -> str | None:
    lead = rules.target_lead.match(text, start, end)
    start = lead.end() if lead else start
    cut = rules.target_cuts.search(text, start, end)
    stop = cut.start() if cut else end
    for place in rules.places:
        m = place.search(text, start, stop)
        before = _IN_AT.search(text[start : m.start()]) if m else None
        if before is not None:  # "the Complex in Chongjin City": the place is no part of the target
            stop = min(stop, start + before.start())
    target = text[start:stop].strip(" .,;:")
    return target or None


def read_place(rules: ActivityRules, text: str, start: int, end: int) -> str | None:
    found = [m for p in rules.places if (m := p.search(text, start, end))]
    return min(found, key=lambda m: m.start()).group(0) if found else None


def read_domain(rules: ActivityRules, kind: str, target: str, predicate: str) -> str:
    if kind in _KIND_DOMAIN:
        return _KIND_DOMAIN[kind]
    # The predicate, not the sentence: the leader's own titles ("supreme commander of the KPA") say nothing.
    for words in (target, predicate):
        for pattern, domain in rules.domains:
            if pattern.search(words):
                return domain
    return "economic"


def read_items(rules: ActivityRules, predicate: str) -> list[str]:
    """The things sent or received, in text order, each once (``activity_rules.json`` items)."""
    found = sorted((m.start(), item) for pattern, item in rules.items if (m := pattern.search(predicate)))
    return list(dict.fromkeys(item for _, item in found))


def read_stops(
    rules: ActivityRules, text: str, after: int, spans: list[tuple[int, int]], target: str | None
) -> list[str]:
    """The later sites of a tour, in text order: the object of each "next leg of his guidance
    was ..." or "he also visited ..." in the sentences from ``after`` (the lead sentence's end),
    read like the lead's target."""
    stops: list[str] = []
    for start, end in spans:
        if start < after:
            continue
        for m in rules.stops.finditer(text, start, end):
            site = read_target(rules, text, m.end(), end)
            for part in rules.stop_split.split(site or ""):
                part = part.strip(" .,;:")
                # A named site (a capital in it), not a shop within the one just visited.
                named = any(w[:1].isupper() for w in part.split())
                if named and part not in (target or "") and part not in stops:
                    stops.append(part)
    return stops


def historical(doc: Document, start: int, end: int, max_lag_days: int) -> bool:
    if doc.published is None:
        return False
    oldest = doc.published - timedelta(days=max_lag_days)
    for ann in doc.spans("date"):
        # Only a date with its year makes history: "April 25 House of Culture" is a name.
        if (
            start <= ann.start < end
            and ann.attrs.get("end")
            and _YEAR.search(doc.covered(ann))
            and date.fromisoformat(str(ann.attrs["end"])[:10]) < oldest
        ):
            return True
    return False


def read_date(
    rules: ActivityRules, doc: Document, start: int, end: int, until: int, max_lag_days: int
) -> tuple[str | None, str, str]:
    """The day its own sentence (``start``-``end``) states; else the last day stated before it in
    the story (KCNA names the occasion first: "The ceremony took place on August 4. ... Kim Jong Un
    attended"); else the first day stated after it, before the next activity (``until``: "Kim Jong
    Un arranged a reception ... Present at the reception, which took place ... on Thursday, were");
    else the dateline's day; else publication."""
    if rules.recently.search(doc.text, start, end):
        return None, "unknown", "recently"
    stated = stated_days(doc, max_lag_days)
    # A day in parentheses glosses a named day ("Con motivo del Dia Internacional de la Mujer (8 de
    # marzo), ... presencio el dia 7", "del Dia de la Juventud (28 de agosto)"), not the activity's.
    # So does a day inside a quoted title ('la recitacion de poesia "Lider y el 15 de abril"').
    if doc.language == "es":
        text = doc.text
        stated = [
            (at, day)
            for at, day in stated
            if not _glossed(text, max(0, at - 200), at) and not quoted(text, text.rfind("\n", 0, at) + 1, at)
        ]
    own = [(at, day) for at, day in stated if start <= at < end]
    if own:
        return own[0][1], "day", "stated"
    if doc.published is not None and rules.eve.search(doc.text, start, end):
        return (doc.published - timedelta(days=1)).isoformat(), "day", "stated"
    before = [(at, day) for at, day in stated if at < start]
    if before:
        return before[-1][1], "day", "stated earlier"
    after = [(at, day) for at, day in stated if end <= at < until]
    if after:
        return after[0][1], "day", "stated after"
    for ann in doc.spans("dateline"):
        if ann.attrs.get("date"):
            return str(ann.attrs["date"]), "day", "dateline"
    if doc.published is not None:
        return doc.published.isoformat(), "day", "published"
    return None, "unknown", "unknown"


def stated_days(doc: Document, max_lag_days: int) -> list[tuple[int, str]]:
    """Days the text states (not the dateline's) within ``max_lag_days`` before publication."""
    oldest = doc.published - timedelta(days=max_lag_days) if doc.published else None
    datelines = list(doc.spans("dateline"))
    found: list[tuple[int, str]] = []
    for ann in doc.spans("date"):
        if ann.attrs.get("precision") != "day" or any(d.start <= ann.start < d.end for d in datelines):
            continue  # the dateline's day is the fallback, not a stated activity day
        day = date.fromisoformat(str(ann.attrs["value"]))
        if oldest is None or (doc.published is not None and oldest <= day <= doc.published):
            found.append((ann.start, day.isoformat()))
    return sorted(found)


def _glossed(text: str, start: int, at: int) -> bool:
    """``at`` lies inside parentheses, opened after ``start``, that gloss a named day ("Dia del Sol
    (15 de abril ...)"); "en el banquete ... (25 de agosto)" is no gloss."""
    opened = text.rfind("(", start, at)
    return opened >= 0 and text.find(")", opened, at) < 0 and _NAMED_DAY.search(text, start, opened) is not None
