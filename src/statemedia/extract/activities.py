"""Leader activities: what the leader did, when, where, and who accompanied him.

A KCNA leader report states the activity in its lead: "Kim Jong Un, first secretary of
..., inspected the KPA Unit 1973." The lead sentence (one of the first few) must have a
leader who was active at publication (``data/activity_actors.tsv``) as the subject of a
predicate from ``data/activity_kinds.tsv``; the text after that predicate is the target.
Names before the verb in a subordinate or reported clause, and deeds dated long before
publication, are history, not news (``data/activity_rules.json``). The entourage comes
from "accompanied by" sentences (:mod:`.entourage`). Only the body is read: capture
keeps the headline in ``Document.title``, never in the text.

Works on the text, the ``date`` layer and the gazetteer alone, so the activity log of a
whole corpus needs no parser (``numbers, juche, dates, activities`` is enough).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, ClassVar

from ..datafiles import read_text, read_tsv
from ..model import Annotation, Document
from .entourage import Member, dedupe, load_rules, parse_list
from .gazetteer import Gazetteer, load_gazetteer

__all__ = ["KINDS", "ActivityExtractor", "sentences"]

KINDS = (
    "field_guidance",
    "inspection",
    "visit",
    "performance",
    "meeting",
    "correspondence",
    "ceremony",
    "photo_session",
    "military_drill",
    "party_meeting",
    "speech",
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])|\n+")
_LAST_WORD = re.compile(r"([\w.]+)\.$")
_YEAR = re.compile(r"\b\d{4}\b|Juche")
_IN_AT = re.compile(r"\s(?:in|at)\s+$")


@dataclass(frozen=True, slots=True)
class _Kind:
    pattern: re.Pattern[str]
    kind: str
    domain: str


@dataclass(frozen=True, slots=True)
class _Rules:
    kinds: tuple[_Kind, ...]
    domains: tuple[tuple[re.Pattern[str], str], ...]
    places: tuple[re.Pattern[str], ...]
    actors: dict[str, tuple[date | None, date | None]]
    reject_before: re.Pattern[str]
    reject_gap: re.Pattern[str]
    relayed_news: re.Pattern[str]
    target_cuts: re.Pattern[str]
    target_lead: re.Pattern[str]
    stops: re.Pattern[str]
    stop_split: re.Pattern[str]
    recently: re.Pattern[str]
    abbreviations: frozenset[str]


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def _rules() -> _Rules:
    text = read_text("activity_rules.json")
    data: dict[str, Any] = json.loads(text)
    return _Rules(
        kinds=tuple(
            _Kind(re.compile(r["pattern"], re.I), r["kind"], r["domain"]) for r in read_tsv("activity_kinds.tsv")
        ),
        domains=tuple((re.compile(r["pattern"], re.I), r["domain"]) for r in read_tsv("activity_domains.tsv")),
        places=tuple(re.compile(r["pattern"]) for r in read_tsv("activity_places.tsv")),
        actors={r["id"]: (_day(r["from"]), _day(r["to"])) for r in read_tsv("activity_actors.tsv")},
        reject_before=re.compile(data["reject_before"], re.I),
        reject_gap=re.compile(data["reject_gap"], re.I),
        relayed_news=re.compile(data["relayed_news"], re.I),
        target_cuts=re.compile("|".join(f"(?:{p})" for p in data["target_cuts"])),
        target_lead=re.compile(data["target_lead"]),
        stops=re.compile("|".join(f"(?:{p})" for p in data["stops"])),
        stop_split=re.compile(data["stop_split"]),
        recently=re.compile(data["recently"], re.I),
        abbreviations=frozenset(data["abbreviations"]),
    )


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation, newlines and capitals, keeping "Mt. Paektu", "the C.C. Kim"."""
    abbreviations = _rules().abbreviations
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        last = _LAST_WORD.search(text, start, m.start())
        if "\n" not in m.group(0) and last and last.group(1).rstrip(".") in abbreviations:
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


@dataclass(frozen=True, slots=True)
class _Lead:
    start: int  # the sentence
    end: int
    actor_id: str
    actor: str
    mention_end: int
    verb: tuple[int, int]
    kind: str
    domain: str


class ActivityExtractor:
    name: ClassVar[str] = "activities"
    version: ClassVar[str] = "4"
    requires: ClassVar[tuple[str, ...]] = ("date",)
    assigns: ClassVar[tuple[str, ...]] = ("event",)

    @dataclass(frozen=True)
    class Options:
        # Sentences from the top of the body searched for the activity (see defaults.toml).
        lead_sentences: int
        # A stated day this many days or fewer before publication is the activity's day; an
        # earlier date in the lead makes it history (see defaults.toml).
        max_lag_days: int
        # Longest summary kept, in characters (as in [events]).
        max_summary: int

    def __init__(self, options: Options) -> None:
        self.options = options
        self.rules = _rules()
        self.gazetteer: Gazetteer = load_gazetteer()

    def __call__(self, doc: Document) -> Document:
        spans = sentences(doc.text)
        lead = self._lead(doc, spans)
        if lead is not None:
            doc.add([self._event(doc, lead, spans)])
        return doc

    # -- the lead -----------------------------------------------------------------
    def _active(self, actor_id: str, day: date | None) -> bool:
        span = self.rules.actors.get(actor_id)
        if span is None:
            return False
        start, end = span
        return day is None or ((start is None or start <= day) and (end is None or day <= end))

    def _lead(self, doc: Document, spans: list[tuple[int, int]]) -> _Lead | None:
        if spans and self.rules.relayed_news.search(doc.text, *spans[0]):
            return None
        for s, e in spans[: self.options.lead_sentences]:
            if self._historical(doc, s, e):
                continue
            for ms, me, entry in self.gazetteer.find_names(doc.text[s:e]):
                if not self._active(entry.id, doc.published):
                    continue
                mention_start, mention_end = s + ms, s + me
                if doc.text.startswith(("'s", "’s"), mention_end):
                    continue
                if self.rules.reject_before.search(doc.text, s, mention_start):
                    continue
                found = self._predicate(doc.text, mention_end, e)
                if found is None:
                    continue
                (vs, ve), kind = found
                if kind.kind == "-":
                    return None
                return _Lead(s, e, entry.id, entry.name, mention_end, (vs, ve), kind.kind, kind.domain)
        return None

    def _predicate(self, text: str, start: int, end: int) -> tuple[tuple[int, int], _Kind] | None:
        """The earliest activity predicate after the subject (at one position, the first row wins)."""
        best: tuple[tuple[int, int], _Kind] | None = None
        for kind in self.rules.kinds:
            m = kind.pattern.search(text, start, end)
            if m is None or (best is not None and m.start() >= best[0][0]):
                continue
            if not re.match(r"\s", text[m.start() - 1 : m.start()]):
                continue
            best = ((m.start(), m.end()), kind)
        if best is None or self.rules.reject_gap.search(text, start, best[0][0]):
            return None
        return best

    def _historical(self, doc: Document, start: int, end: int) -> bool:
        if doc.published is None:
            return False
        oldest = doc.published - timedelta(days=self.options.max_lag_days)
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

    # -- the event ----------------------------------------------------------------
    def _event(self, doc: Document, lead: _Lead, spans: list[tuple[int, int]]) -> Annotation:
        text = doc.text
        target = self._target(text, lead.verb[1], lead.end)
        day, precision, source = self._date(doc, lead)
        summary = text[lead.verb[0] : lead.end].rstrip(" .!?")
        if len(summary) > self.options.max_summary:
            summary = summary[: self.options.max_summary].rsplit(" ", 1)[0] + "…"
        attrs: dict[str, Any] = {
            "kind": lead.kind,
            "actor": lead.actor,
            "actor_id": lead.actor_id,
            "date": day,
            "date_precision": precision,
            "date_source": source,
            "summary": summary,
            "place": self._place(text, lead),
            "target": target,
            "stops": self._stops(text, lead, spans, target),
            "entourage": [m.to_dict() for m in self._entourage(doc, lead, spans)],
            "domain": lead.domain or self._domain(target or "", summary),
            "evidence": {"start": lead.start, "end": lead.end},
        }
        if source == "recently":
            attrs["note"] = "the text says the activity took place recently; the day is not stated"
        elif source == "published":
            attrs["note"] = "no day stated: the publication date stands for the activity day"
        return Annotation(lead.start, lead.end, "event", attrs, self.name)

    def _stops(self, text: str, lead: _Lead, spans: list[tuple[int, int]], target: str | None) -> list[str]:
        """The later sites of a tour, in text order: the object of each "next leg of his guidance
        was ..." or "he also visited ..." after the lead sentence, read like the lead's target."""
        stops: list[str] = []
        for start, end in spans:
            if start < lead.end:
                continue
            for m in self.rules.stops.finditer(text, start, end):
                site = self._target(text, m.end(), end)
                for part in self.rules.stop_split.split(site or ""):
                    part = part.strip(" .,;:")
                    # A named site (a capital in it), not a shop within the one just visited.
                    named = any(w[:1].isupper() for w in part.split())
                    if named and part not in (target or "") and part not in stops:
                        stops.append(part)
        return stops

    def _target(self, text: str, start: int, end: int) -> str | None:
        lead = self.rules.target_lead.match(text, start, end)
        start = lead.end() if lead else start
        cut = self.rules.target_cuts.search(text, start, end)
        stop = cut.start() if cut else end
        for place in self.rules.places:
            m = place.search(text, start, stop)
            before = _IN_AT.search(text[start : m.start()]) if m else None
            if before is not None:  # "the Complex in Chongjin City": the place is no part of the target
                stop = min(stop, start + before.start())
        target = text[start:stop].strip(" .,;:")
        return target or None

    def _place(self, text: str, lead: _Lead) -> str | None:
        found = [m for p in self.rules.places if (m := p.search(text, lead.mention_end, lead.end))]
        return min(found, key=lambda m: m.start()).group(0) if found else None

    def _domain(self, target: str, predicate: str) -> str:
        # The predicate, not the sentence: the leader's own titles ("supreme commander of the KPA") say nothing.
        for words in (target, predicate):
            for pattern, domain in self.rules.domains:
                if pattern.search(words):
                    return domain
        return "economic"

    def _date(self, doc: Document, lead: _Lead) -> tuple[str | None, str, str]:
        if self.rules.recently.search(doc.text, lead.start, lead.end):
            return None, "unknown", "recently"
        oldest = doc.published - timedelta(days=self.options.max_lag_days) if doc.published else None
        datelines = list(doc.spans("dateline"))
        for ann in doc.spans("date"):
            if lead.start <= ann.start < lead.end and ann.attrs.get("precision") == "day":
                if any(d.start <= ann.start < d.end for d in datelines):
                    continue  # the dateline's day is the fallback below, not a stated activity day
                day = date.fromisoformat(str(ann.attrs["value"]))
                if oldest is None or (doc.published is not None and oldest <= day <= doc.published):
                    return day.isoformat(), "day", "stated"
        for ann in doc.spans("dateline"):
            if ann.attrs.get("date"):
                return str(ann.attrs["date"]), "day", "dateline"
        if doc.published is not None:
            return doc.published.isoformat(), "day", "published"
        return None, "unknown", "unknown"

    def _entourage(self, doc: Document, lead: _Lead, spans: list[tuple[int, int]]) -> list[Member]:
        rules = load_rules()
        text = doc.text
        dead = frozenset(
            aid for aid in self.rules.actors if aid != lead.actor_id and not self._active(aid, doc.published)
        )
        exclude = dead | {lead.actor_id}
        members: list[Member] = []
        for s, e in spans:
            if e <= lead.start:
                continue
            sentence = text[s:e]
            for cue in rules.cues_after:
                m = cue.search(sentence)
                if m is None:
                    continue
                together = re.fullmatch(r"together\s+with", m.group(0)) is not None
                if together and s != lead.start:
                    continue
                if "accompanied" in m.group(0) and not rules.subject.match(sentence[: m.start()]):
                    continue  # someone else's suite: "The delegation was accompanied by ..."
                stop = min(
                    (x.start() for p in rules.stops if (x := p.search(sentence, m.end()))), default=len(sentence)
                )
                if together and lead.verb[0] > s + m.end():
                    stop = min(stop, lead.verb[0] - s)
                members.extend(parse_list(text, s + m.end(), s + stop, exclude=exclude, gazetteer=self.gazetteer))
                break
            else:
                for cue in rules.cues_before:
                    m = cue.search(sentence)
                    if m is not None and s != lead.start:
                        members.extend(parse_list(text, s, s + m.start(), exclude=exclude, gazetteer=self.gazetteer))
                        break
        # Several lists ("accompanied by", then "present there") name some officials twice: first mention counts.
        return dedupe(members)
