"""Leader activities: what the leader did, when, where, and who was with him.

Every mention of a leader active at publication (``data/activity_actors.tsv``) is a candidate
(:mod:`.activity_candidates`: structure); a learned model reads the words around it and says
whether it is an activity and of which kind (:mod:`.activity_model`, trained on weak labels from
headlines). A story yields as many activities as sentences where he acts: a tour, a launch he
oversaw and the speech he made there; a later "He ..." sentence of the same kind is the same
occasion unless it says it is another stop. Target, place and date are read from the sentence
by rules (``data/activity_rules.json``); the protocol lists (entourage, those present, hosts)
from the sentences up to the next activity (:mod:`.entourage`). Deeds dated long before
publication, and relayed news, are history. Only the body is read: capture keeps the
headline in ``Document.title``, never in the text.

Works on the text, the ``date`` layer and the gazetteer alone, so the activity log of a
whole corpus needs no parser (``juche, dates, activities`` is enough).
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
from .activity_candidates import Candidate, find_candidates, lexicon
from .activity_model import KINDS, NONE, candidate_features, cue_kind, load_model
from .entourage import Member, protocol_lists
from .gazetteer import Gazetteer, load_gazetteer

__all__ = ["KINDS", "ActivityExtractor", "sentences"]

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])|\n+")
_LAST_WORD = re.compile(r"([\w.]+)\.$")
_YEAR = re.compile(r"\b\d{4}\b|Juche")
_IN_AT = re.compile(r"\s(?:in|at)\s+$")
_RECEIVED = "correspondence_received"
# The model's labels that carry a direction: correspondence both ways.
_KIND_DIRECTION = {
    "correspondence": ("correspondence", "sent"),
    _RECEIVED: ("correspondence", "received"),
}
# Mail he received: its target is the sender, after "from".
_FROM = re.compile(r"\bfrom\s+")
_SITE_KINDS = frozenset({"field_guidance", "inspection", "visit"})
# Kinds whose domain does not depend on the target.
_KIND_DOMAIN = {"correspondence": "diplomatic", "party_meeting": "political", "speech": "political",
                "performance": "cultural", "ceremony": "political", "military_drill": "military"}


@dataclass(frozen=True, slots=True)
class _Rules:
    domains: tuple[tuple[re.Pattern[str], str], ...]
    places: tuple[re.Pattern[str], ...]
    actors: dict[str, tuple[date | None, date | None]]
    relayed_news: re.Pattern[str]
    target_cuts: re.Pattern[str]
    target_lead: re.Pattern[str]
    stops: re.Pattern[str]
    stop_split: re.Pattern[str]
    recently: re.Pattern[str]
    items: tuple[tuple[re.Pattern[str], str], ...]
    abbreviations: frozenset[str]


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def _rules() -> _Rules:
    text = read_text("activity_rules.json")
    data: dict[str, Any] = json.loads(text)
    return _Rules(
        domains=tuple((re.compile(r["pattern"], re.I), r["domain"]) for r in read_tsv("activity_domains.tsv")),
        places=tuple(re.compile(r["pattern"]) for r in read_tsv("activity_places.tsv")),
        actors={r["id"]: (_day(r["from"]), _day(r["to"])) for r in read_tsv("activity_actors.tsv")},
        relayed_news=re.compile(data["relayed_news"], re.I),
        target_cuts=re.compile("|".join(f"(?:{p})" for p in data["target_cuts"])),
        target_lead=re.compile(data["target_lead"]),
        stops=re.compile("|".join(f"(?:{p})" for p in data["stops"])),
        stop_split=re.compile(data["stop_split"]),
        recently=re.compile(data["recently"], re.I),
        items=tuple((re.compile(p, re.I), item) for item, p in data["items"].items()),
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
    """An accepted candidate: a sentence where a leader acts, with the model's kind."""

    start: int  # the sentence
    end: int
    sentence: int
    actor_id: str
    actor: str
    mention_end: int
    pronoun: bool  # "He ...": the leader named in an earlier sentence
    verb: tuple[int, int]  # the predicate's verb phrase; its object (the target) follows
    kind: str
    direction: str | None
    score: float


class ActivityExtractor:
    name: ClassVar[str] = "activities"
    version: ClassVar[str] = "8"
    requires: ClassVar[tuple[str, ...]] = ("date",)
    assigns: ClassVar[tuple[str, ...]] = ("event",)

    @dataclass(frozen=True)
    class Options:
        # A stated day this many days or fewer before publication is the activity's day; an
        # earlier date in the sentence makes it history (see defaults.toml).
        max_lag_days: int
        # Longest summary kept, in characters (as in [events]).
        max_summary: int
        # Least model probability for an activity (see defaults.toml).
        min_probability: float
        # The detector's "none" probability that overrules a subject with a cued verb (see defaults.toml).
        subject_none_floor: float

    def __init__(self, options: Options) -> None:
        self.options = options
        self.rules = _rules()
        self.gazetteer: Gazetteer = load_gazetteer()

    def __call__(self, doc: Document) -> Document:
        spans = sentences(doc.text)
        leads = self._leads(doc, spans)
        events = []
        for i, lead in enumerate(leads):
            # An outing's lists ("He was accompanied by ...") may follow its later "He ..." activities:
            # a named activity reads up to the next named one, a "He ..." one up to the next activity.
            later = [x for x in leads[i + 1 :] if lead.pronoun or not x.pronoun]
            last = later[0].sentence if later else len(spans)
            event = self._event(doc, lead, spans, last)
            # "a floral basket and a congratulatory letter": one correspondence activity per item.
            items = self._items(doc.text[lead.verb[0] : lead.end]) if lead.kind == "correspondence" else []
            events += [Annotation(event.start, event.end, "event", {**event.attrs, "item": item}, self.name)
                       for item in items] or [event]
        doc.add(events)
        return doc

    # -- which mentions are activities ---------------------------------------------
    def candidates(self, doc: Document, spans: list[tuple[int, int]]) -> list[tuple[Candidate, list[str]]]:
        """Each candidate mention with its features (training reads the same)."""
        if spans and self.rules.relayed_news.search(doc.text, *spans[0]):
            return []
        found = find_candidates(doc, spans, self.gazetteer, self.rules.actors)
        return [(c, candidate_features(doc, c, self._historical(doc, c.start, c.end))) for c in found]

    def _leads(self, doc: Document, spans: list[tuple[int, int]]) -> list[_Lead]:
        found = self.candidates(doc, spans)
        predictions = load_model().predict([feats for _, feats in found], self.options.subject_none_floor)
        best: dict[int, _Lead] = {}
        for (c, feats), (label, p) in zip(found, predictions, strict=True):
            # A sentence dated long before publication is history whatever its verb says.
            if label == NONE or "old_date" in feats or (p < self.options.min_probability and "subject" not in feats):
                continue
            if not c.right(doc.text).strip(" .,;:!?\"”’)") and cue_kind(feats) is None and label != _RECEIVED:
                continue  # his name closes the sentence and no cue before it says what he did

            kind, direction = _KIND_DIRECTION.get(label, (label, None))
            verb = (c.predicate, lexicon().verb_end(doc.text, c.predicate, c.end))
            lead = _Lead(
                c.start, c.end, c.sentence, c.actor_id, c.actor, c.mention[1], c.pronoun, verb, kind, direction, p
            )
            if c.sentence not in best or p > best[c.sentence].score:
                best[c.sentence] = lead
        leads: list[_Lead] = []
        for lead in sorted(best.values(), key=lambda x: x.start):
            previous = leads[-1] if leads else None
            same_occasion = (
                previous is not None
                and _family(previous.kind) == _family(lead.kind)
                and previous.kind != "correspondence"
                and lead.pronoun
                and not self.rules.stops.search(doc.text, lead.start, lead.end)
            )
            if not same_occasion:
                leads.append(lead)
        return leads

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
    def _event(self, doc: Document, lead: _Lead, spans: list[tuple[int, int]], last: int) -> Annotation:
        text = doc.text
        sender = _FROM.search(text, lead.verb[1], lead.end) if lead.direction == "received" else None
        target = self._target(text, sender.end() if sender else lead.verb[1], lead.end)
        day, precision, source = self._date(doc, lead)
        summary = text[lead.verb[0] : lead.end].rstrip(" .!?")
        if len(summary) > self.options.max_summary:
            summary = summary[: self.options.max_summary].rsplit(" ", 1)[0] + "…"
        lists = self._protocol(doc, lead, spans, last)
        attrs: dict[str, Any] = {
            "kind": lead.kind,
            "direction": lead.direction,
            "item": None,
            "actor": lead.actor,
            "actor_id": lead.actor_id,
            "date": day,
            "date_precision": precision,
            "date_source": source,
            "summary": summary,
            "place": self._place(text, lead),
            "target": target,
            "stops": self._stops(text, lead, spans, target) if lead.kind in _SITE_KINDS else [],
            "entourage": [m.to_dict() for m in lists["entourage"]],
            "present": [m.to_dict() for m in lists["present"]],
            "hosts": [m.to_dict() for m in lists["hosts"]],
            "domain": _KIND_DOMAIN.get(lead.kind) or self._domain(target or "", summary),
            "score": round(lead.score, 3),
            "evidence": {"start": lead.start, "end": lead.end},
        }
        if source == "recently":
            attrs["note"] = "the text says the activity took place recently; the day is not stated"
        elif source == "published":
            attrs["note"] = "no day stated: the publication date stands for the activity day"
        return Annotation(lead.start, lead.end, "event", attrs, self.name)

    def _items(self, predicate: str) -> list[str]:
        """The things sent or received, in text order, each once (``activity_rules.json`` items)."""
        found = sorted((m.start(), item) for pattern, item in self.rules.items if (m := pattern.search(predicate)))
        return list(dict.fromkeys(item for _, item in found))

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
        """The day its own sentence states; else the last day stated before it in the story (KCNA
        names the occasion first: "The ceremony took place on August 4. ... Kim Jong Un attended");
        else the dateline's day; else publication."""
        if self.rules.recently.search(doc.text, lead.start, lead.end):
            return None, "unknown", "recently"
        stated = self._stated_days(doc)
        own = [(at, day) for at, day in stated if lead.start <= at < lead.end]
        if own:
            return own[0][1], "day", "stated"
        before = [(at, day) for at, day in stated if at < lead.start]
        if before:
            return before[-1][1], "day", "stated earlier"
        for ann in doc.spans("dateline"):
            if ann.attrs.get("date"):
                return str(ann.attrs["date"]), "day", "dateline"
        if doc.published is not None:
            return doc.published.isoformat(), "day", "published"
        return None, "unknown", "unknown"

    def _stated_days(self, doc: Document) -> list[tuple[int, str]]:
        """Days the text states (not the dateline's) within ``max_lag_days`` before publication."""
        oldest = doc.published - timedelta(days=self.options.max_lag_days) if doc.published else None
        datelines = list(doc.spans("dateline"))
        found: list[tuple[int, str]] = []
        for ann in doc.spans("date"):
            if ann.attrs.get("precision") != "day" or any(d.start <= ann.start < d.end for d in datelines):
                continue  # the dateline's day is the fallback, not a stated activity day
            day = date.fromisoformat(str(ann.attrs["value"]))
            if oldest is None or (doc.published is not None and oldest <= day <= doc.published):
                found.append((ann.start, day.isoformat()))
        return sorted(found)

    def _protocol(
        self, doc: Document, lead: _Lead, spans: list[tuple[int, int]], last: int
    ) -> dict[str, list[Member]]:
        """Entourage, those present and hosts, from this activity's sentence up to the next one's."""
        dead = frozenset(aid for aid in self.rules.actors if aid != lead.actor_id and not _active_on(aid, doc))
        return protocol_lists(doc.text, spans, lead.sentence, last, dead | {lead.actor_id}, self.gazetteer)


def _family(kind: str) -> str:
    """Site visits of every kind are one family: "He went round" after an inspection is the inspection."""
    return "site" if kind in _SITE_KINDS else kind


def _active_on(actor_id: str, doc: Document) -> bool:
    span = _rules().actors.get(actor_id)
    if span is None:
        return False
    start, end = span
    day = doc.published
    return day is None or ((start is None or start <= day) and (end is None or day <= end))
