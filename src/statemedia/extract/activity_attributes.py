"""What an activity's sentence says of it, read by rules (``data/activity_rules.json``): its
target, place, domain and day, the later stops of a tour, the items of mail, and whether a
stated date makes the sentence history.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from ..model import Document
from .activity_candidates import quoted
from .activity_rules import ActivityRules

__all__ = [
    "Mail", "historical", "read_date", "read_domain", "read_items", "read_mail", "read_occasion_before", "read_place",
    "read_presence", "read_sender", "read_stops", "read_target", "stated_days",
]

_YEAR = re.compile(r"\b\d{4}\b|Juche")
_IN_AT = re.compile(r"\s(?:in|at)\s+$")
# Kinds whose domain does not depend on the target.
_KIND_DOMAIN = {"correspondence": "diplomatic", "party_meeting": "political", "speech": "political",
                "performance": "cultural", "ceremony": "political", "military_drill": "military"}
_NAMED_DAY = re.compile(r"\bD[ií]a\b[^()]{0,80}$")
_DATELINE = re.compile(r"[^\n]*?(?:--|—|–)\s*")
_DETERMINER = re.compile(r"\b(?:the|a|an|its|their|this|that)\s", re.I)
_NOUN_WORDS = re.compile(r"(?:[\w'’-]+\s+){0,5}")
_PHRASE_END = re.compile(r"\s+(?:in|at|on|with|to|for|by|and|who|which|held|was|were)\b|[,;]")
_PRONOUN = re.compile(r"(?:He|She|They|It)\b")
_SUBJECT_WORDS = 16
# How far after a stated day its handover verb may come ("on Nov. 12 handed the gift over").
_HANDOVER_AFTER = 60
# Characters of a stated day's month before it may reach back ("on Nov. 12": "Nov. ").
_DAY_WORDS = 6
_CLAUSE = re.compile(r"\b(?:is|are|was|were|has|have|had)\b")


def _clause_start(text: str, start: int, end: int) -> int:
    """Where a sentence's own words begin: after its dateline ("Pyongyang, May 4 (KCNA) -- ")."""
    m = _DATELINE.match(text, start, end)
    return m.end() if m else start


def read_presence(rules: ActivityRules, text: str, start: int, mention: int) -> tuple[str, str | None] | None:
    """An occasion the sentence (from ``start``) reports as held in his presence (the cue ends at
    ``mention``, his name): its kind and target, the occasion named before the cue ("The Sports
    Complex ... was inaugurated in the presence of Kim Jong Il"; "the officials, who took part in the
    consultative meeting in the presence of ..."). ``("", None)``: an occasion the sentence recalls
    ("cherish the day when they performed in the presence of"), none. None: no such cue."""
    cue = rules.presence.search(text, start, mention)
    if cue is None:
        return None
    if rules.presence_recalled.search(text, start, cue.start()):
        return "", None
    return _occasion(rules, text[_clause_start(text, start, cue.start()) : cue.start()])


def read_occasion_before(
    rules: ActivityRules, text: str, spans: list[tuple[int, int]], sentence: int
) -> tuple[str, str | None]:
    """The occasion he "was present" at ("The Fourth Conference of the WPK took place ... Kim Jong
    Un ... was present there"): the first of the two sentences before ``sentence`` that names one,
    read as an occasion held in his presence is (its kind and target); a ceremony when none does."""
    for s, e in reversed(spans[max(0, sentence - 2) : sentence]):
        words = text[_clause_start(text, s, e) : e]
        if any(p.search(words) for p, _ in rules.presence_occasions):
            return _occasion(rules, words)
    return "ceremony", None


def _occasion(rules: ActivityRules, left: str) -> tuple[str, str | None]:
    """The kind and target of the occasion ``left`` names: a passive sentence's subject ("The Sports
    Complex ... was inaugurated"), else the noun phrase of its occasion word ("the consultative meeting")."""
    found = next(((p, k) for p, k in rules.presence_occasions if p.search(left)), None)
    kind = found[1] if found else "ceremony"
    subject = rules.presence_subject.match(left)
    if subject:
        return kind, subject.group("subject").strip(" ,") or None
    if found is None:
        return kind, None
    # The noun phrase of the occasion word: "took part in the consultative meeting" -> "the consultative meeting".
    word = list(found[0].finditer(left))[-1]
    for det in reversed(list(_DETERMINER.finditer(left, max(0, word.start() - 60), word.start() + 1))):
        if _NOUN_WORDS.fullmatch(left, det.end(), word.start()):
            cut = _PHRASE_END.search(left, word.end())
            return kind, left[det.start() : cut.start() if cut else len(left)].strip(" ,.;:") or None
    return kind, None


def read_sender(
    rules: ActivityRules, text: str, spans: list[tuple[int, int]], sentence: int, mention: int
) -> str | None:
    """The sender of greetings he is asked to receive: the subject of "asked the ambassador to convey
    his greetings to" (the cue ends at ``mention``, his name); a "He" is the subject of the sentence
    before that names one."""
    start, _ = spans[sentence]
    if rules.convey_request.search(text, start, mention) is None:
        return None
    for s, e in reversed(spans[: sentence + 1]):
        subject = _subject(rules, text, s, e)
        if subject is None or not _PRONOUN.fullmatch(subject):
            return subject
    return None


class Mail(NamedTuple):
    """Mail he received: where its items are named, and its sender as worded (None: not stated there)."""

    words: tuple[int, int]
    sender: str | None


def read_mail(
    rules: ActivityRules, text: str, start: int, mention_end: int, verb: tuple[int, int], stop: int, subject: bool
) -> Mail:
    """Items and sender of mail he received, his sentence from ``start``, his name ending at
    ``mention_end``, his predicate ``verb`` and its clause up to ``stop``. His name the object of a
    mail verb ("The visiting delegation ... presented a gift to Kim Jong Un"; ``subject`` False): the
    items are named before his name, the sender is the clause before that verb, or its "from". Else
    the sender follows the item ("received a message from X", "was presented with a gift by X",
    Spanish "que le enviara el dia 16 el Presidente ...")."""
    clause = _clause_start(text, start, mention_end)
    if not subject:
        before = list(rules.mail_verb.finditer(text, clause, mention_end))
        if before:
            sent = before[-1].start()
            # "A floral basket was presented to Kim Jong Un by the delegation", "... from X were conveyed to".
            by = rules.mail_from.search(text, mention_end, stop)
            if by is not None:
                return Mail((clause, mention_end), read_target(rules, text, by.end(), stop))
            source = rules.mail_from.search(text, clause, sent)
            if source is not None:
                return Mail((clause, mention_end), read_target(rules, text, source.end(), sent))
            fronted = rules.subject_fronted.match(text, clause, sent)
            sender = read_target(rules, text, fronted.end() if fronted else clause, sent)
            # A noun phrase ("The visiting Foreign Ministry delegation of Vietnam"), not a clause ("It is a gift").
            if sender and sender[:1].isalpha() and len(sender.split()) <= _SUBJECT_WORDS and not _CLAUSE.search(sender):
                return Mail((clause, mention_end), sender)
            return Mail((clause, mention_end), None)
    after = rules.mail_from.search(text, verb[1], stop) or rules.mail_relative_es.search(text, verb[1], stop)
    return Mail((verb[0], stop), read_target(rules, text, after.end(), stop) if after else None)


def _subject(rules: ActivityRules, text: str, start: int, end: int) -> str | None:
    """A sentence's subject: its words up to its verb, after a dateline and a fronted phrase."""
    start = _clause_start(text, start, end)
    fronted = rules.subject_fronted.match(text, start, end)
    start = fronted.end() if fronted else start
    verb = rules.subject_end.search(text, start, end)
    subject = text[start : verb.start()].strip(" ,") if verb else ""
    # A noun phrase ("The king", "the Bolivian ambassador to Brazil"), not a clause.
    return subject if subject[:1].isalpha() and len(subject.split()) <= _SUBJECT_WORDS else None


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
    rules: ActivityRules, doc: Document, start: int, end: int, until: int, max_lag_days: int, received: bool = False
) -> tuple[str | None, str, str]:
    """The day its own sentence (``start``-``end``) states; else the last day stated before it in
    the story (KCNA names the occasion first: "The ceremony took place on August 4. ... Kim Jong Un
    attended"); else the first day stated after it, before the next activity (``until``: "Kim Jong
    Un arranged a reception ... Present at the reception, which took place ... on Thursday, were");
    else the dateline's day; else publication. Mail he ``received`` takes a day stated after it only
    from its handover ("The floral basket was conveyed to an official ... on Thursday"): the text
    that follows mail is mostly what it says ("... on the occasion of April 15, the centenary")."""
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
    # "recently", "some time ago", "on his way home after ...": the story does not say when, unless
    # the sentence states the day ("from August 25 to 27 on his way home").
    if not own and rules.recently.search(doc.text, start, end):
        return None, "unknown", "recently"
    if own:
        return own[0][1], "day", "stated"
    if doc.published is not None and rules.eve.search(doc.text, start, end):
        return (doc.published - timedelta(days=1)).isoformat(), "day", "stated"
    before = [(at, day) for at, day in stated if at < start]
    if before:
        return before[-1][1], "day", "stated earlier"
    after = [
        (at, day) for at, day in stated if end <= at < until and (not received or _handed_over(rules, doc.text, at))
    ]
    if after:
        return after[0][1], "day", "stated after"
    for ann in doc.spans("dateline"):
        if ann.attrs.get("date"):
            return str(ann.attrs["date"]), "day", "dateline"
    if doc.published is not None:
        return doc.published.isoformat(), "day", "published"
    return None, "unknown", "unknown"


def _handed_over(rules: ActivityRules, text: str, at: int) -> bool:
    """Whether the words around the day stated at ``at`` (its line, up to its sentence) report mail
    handed over: "The president on Nov. 12 handed the gift over to ...", "... was conveyed to an
    official concerned ... on Thursday"."""
    # The sentence's start, looked for before the day's own words ("on Nov. 12" holds a ". ").
    start = max(text.rfind(". ", 0, at - _DAY_WORDS), text.rfind("\n", 0, at)) + 1
    stop = text.find("\n", at)
    return rules.mail_verb.search(text, start, min(at + _HANDOVER_AFTER, stop if stop >= 0 else len(text))) is not None


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
