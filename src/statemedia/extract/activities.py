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
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any, ClassVar

from ..datafiles import read_text, read_tsv
from ..model import Annotation, Document
from .activity_candidates import Candidate, continues_report, find_candidates, lexicon, quoted
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
    occasions: tuple[re.Pattern[str], ...]
    new_place: re.Pattern[str]
    neutral_stop: re.Pattern[str]
    first_leg: re.Pattern[str]
    also: re.Pattern[str]
    sequence: re.Pattern[str]
    eve: re.Pattern[str]
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
        occasions=tuple(re.compile(p) for p in data["occasions"]),
        new_place=re.compile(data["new_place"], re.I),
        neutral_stop=re.compile(data["neutral_stop"], re.I),
        first_leg=re.compile(data["first_leg"]),
        also=re.compile(data["also"]),
        sequence=re.compile(data["sequence"], re.I),
        eve=re.compile(data["eve"], re.I),
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
    # A predicate conjoined to the first one of his in the sentence ("... and watched a performance"):
    # ``joint`` is where its conjunction starts; ``clause_end`` where the lead's own predicate ends
    # (the next conjoined one's conjunction, else the sentence's end): its target and summary end there.
    conjoined: bool = False
    joint: int = -1
    clause_end: int = -1
    first_verb: tuple[int, int] = (-1, -1)  # a conjoined lead's: the verb of his first predicate

    @property
    def stop(self) -> int:
        return self.clause_end if self.clause_end >= 0 else self.end


class ActivityExtractor:
    name: ClassVar[str] = "activities"
    version: ClassVar[str] = "10"  # 10: conjoined predicates (docs/activities.md, 2026-12-03)
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
        events: list[Annotation] = []
        summaries: set[int] = set()  # events of a lead that only sums up the stops reported after it
        for i, lead in enumerate(leads):
            # An outing's lists ("He was accompanied by ...") may follow its later "He ..." activities:
            # a named activity reads up to the next named one, a "He ..." one up to the next activity.
            # A sentence's conjoined activities are no "next" one: its lists go to its first activity.
            after = [x for x in leads[i + 1 :] if x.sentence > lead.sentence]
            later = [x for x in after if lead.pronoun or not x.pronoun]
            last = later[0].sentence if later else len(spans)
            until = after[0].start if after else len(doc.text)
            event = self._event(doc, lead, spans, last, until)
            # "a floral basket and a congratulatory letter": one correspondence activity per item.
            items = self._items(doc.text[lead.verb[0] : lead.stop]) if lead.kind == "correspondence" else []
            if not lead.conjoined and self._sums_up(doc.text, lead, after[0] if after else None):
                summaries.add(len(events))
            events += [Annotation(event.start, event.end, "event", {**event.attrs, "item": item}, self.name)
                       for item in items] or [event]
        if doc.language == "es":  # the convention the Spanish sets are labelled by (docs/activities.md)
            events = _share_entourage(events, doc.text)
        doc.add([event for i, event in enumerate(events) if i not in summaries])
        return doc

    def _sums_up(self, text: str, lead: _Lead, following: _Lead | None) -> bool:
        """A named lead whose next activity, his own, opens the first stop ("Kim Jong Un ... visito la
        Fabrica A y la Fabrica B. ... Primero, Kim Jong Un estuvo en la Fabrica A"): the lead sums up
        the stops reported one by one, and is none itself (docs/activities-annotation.md, one activity
        per stop); its lists go to the stops."""
        return (
            following is not None
            and not lead.pronoun
            and lead.kind != "correspondence"
            and following.actor_id == lead.actor_id
            and self.rules.first_leg.match(text, following.start, following.end) is not None
        )

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
        best: dict[tuple[int, int], _Lead] = {}
        for (c, feats), (label, p) in zip(found, predictions, strict=True):
            first = None
            if c.conjoined:
                # A predicate conjoined to his first one: an activity where that one is (the same
                # subject goes on acting), of the kind its own verb names, whatever the detector says.
                first = best.get((c.sentence, -1))
                if first is None or first.actor_id != c.actor_id or "old_date" in feats:
                    continue
                if label == NONE or p < self.options.min_probability:
                    label, p = cue_kind(feats) or NONE, first.score
                if label == NONE:
                    continue
            elif label == NONE and self._continues(doc, c, feats, best):
                label = cue_kind(feats) or NONE
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
            if first is not None and c.conjoined:
                lead = replace(lead, conjoined=True, joint=c.joint, first_verb=first.verb)
            key = (c.sentence, c.predicate if c.conjoined else -1)
            if key not in best or p > best[key].score:
                best[key] = lead
        ordered = sorted(best.values(), key=lambda x: (x.start, x.verb[0]))
        # Each predicate ends where the next conjoined one of its sentence begins.
        ordered = [
            replace(x, clause_end=next((y.joint for y in ordered[i + 1 :] if y.sentence == x.sentence), -1))
            for i, x in enumerate(ordered)
        ]
        # "felicito a los ejecutantes ... y se retrato con estos": praise said in person at the occasion
        # the sentence goes on to report, no mail.
        joined = {x.sentence for x in ordered if x.conjoined}
        ordered = [
            x
            for x in ordered
            if x.conjoined
            or x.sentence not in joined
            or x.kind != "correspondence"
            or not _CONGRATULATED.match(doc.text, x.verb[0], x.end)
        ]
        leads: list[_Lead] = []
        spanish = doc.language == "es"
        for lead in ordered:
            # Spanish: mail he gave during an outing ("dio como recuerdo binoculos") does not end it.
            previous = _previous([x for x in leads if x.kind != "correspondence"] if spanish else leads, lead)
            site = next((x for x in reversed(leads) if x.kind in _SITE_KINDS), None)
            if lead.pronoun and lead.kind in _SITE_KINDS and site is not None and self.rules.neutral_stop.match(
                doc.text, lead.verb[0], lead.end
            ):
                lead = replace(lead, kind=site.kind)  # "Estuvo primero en ...": a stop of the tour reported
            same_occasion = (
                previous is not None
                and _family(previous.kind) == _family(lead.kind)
                and previous.kind != "correspondence"
                and (lead.conjoined or lead.pronoun or (spanish and self._restated(doc.text, previous, lead)))
                and not self.rules.stops.search(doc.text, lead.joint if lead.conjoined else lead.start, lead.stop)
                and not (not lead.conjoined and self.rules.also.match(doc.text, lead.start, lead.end))
                and not self._another_occasion(doc.text, previous, lead)
            )
            if not same_occasion:
                leads.append(lead)
        return leads

    def _continues(
        self, doc: Document, c: Candidate, feats: list[str], best: dict[tuple[int, int], _Lead]
    ) -> bool:
        """A "He ..." sentence with a cued verb and a day of its own, after a sentence where the story
        has him act: the report goes on (the dated legs of a visit), whatever the detector says of "He
        ..." sentences in general (most retell deeds in praise). Fires on no train-split story (docs).
        Spanish says so without a day: a sentence that drops its subject, or names him by a title,
        after a connective ("Luego, recorrio ...", "Acto seguido, el Comandante Supremo inspecciono
        ...") with a cued verb is the next part of the report (docs/activities.md, 2026-12-03)."""
        return (
            c.pronoun
            and "lex_kind" in feats
            and "old_date" not in feats
            and any(lead.actor_id == c.actor_id and lead.sentence < c.sentence for lead in best.values())
            and (
                continues_report(doc.text, c.start, c.end)
                or any(c.start <= at < c.end for at, _ in self._stated_days(doc))
            )
        )

    def _restated(self, text: str, previous: _Lead, lead: _Lead) -> bool:
        """A later sentence that names him again but only restates the occasion: its target names
        nothing and is the last one's ("Se retrato ... Kim Jong Un tomo foto de recuerdo junto con
        ellos"; "Kim Jong Un recorrio largo tiempo varios puntos de la exposicion")."""
        mine, theirs = (self._target(text, x.verb[1], x.stop) or "" for x in (lead, previous))
        if _names(mine):
            return False
        if _PRONOUN_TARGET.match(mine):
            return True
        return bool(_content_words(mine) & _content_words(theirs))

    def _another_occasion(self, text: str, previous: _Lead, lead: _Lead) -> bool:
        """A later "He ..." of the same kind that is still another occasion: a meeting of another sort
        (the banquet, then the talks), or a site or person named other than the last one's target
        ("He met Wen Jiabao" after Hu Jintao; "He visited the Changchun ..." after a factory)."""
        if lead.kind == "meeting":
            sorts = [
                next((i for i, p in enumerate(self.rules.occasions) if p.search(text, x.verb[0], x.stop)), None)
                for x in (previous, lead)
            ]
            if None not in sorts and sorts[0] != sorts[1]:
                return True
        if lead.kind in _SITE_KINDS and not self.rules.new_place.match(text, lead.verb[0], lead.stop):
            return False  # "He looked round the ... Room": a part of the site just visited
        if lead.kind in _SITE_KINDS and lead.conjoined and not self.rules.sequence.match(text, lead.joint):
            return False  # sites named in one sentence are one tour, unless "and then visited ..."
        mine, theirs = (self._target(text, x.verb[1], x.stop) or "" for x in (lead, previous))
        return _names(mine) and mine.lower() not in theirs.lower() and theirs.lower() not in mine.lower()

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
    def _event(self, doc: Document, lead: _Lead, spans: list[tuple[int, int]], last: int, until: int) -> Annotation:
        text = doc.text
        sender = _FROM.search(text, lead.verb[1], lead.stop) if lead.direction == "received" else None
        target = self._target(text, sender.end() if sender else lead.verb[1], lead.stop)
        if lead.conjoined and (target is None or _PRONOUN_TARGET.fullmatch(target)):
            # "... met the delegates and had a photo session with them": his first predicate's object.
            target = self._target(text, lead.first_verb[1], lead.joint) or target
        day, precision, source = self._date(doc, lead, until)
        summary = text[lead.verb[0] : lead.stop].rstrip(" .!?,")
        if len(summary) > self.options.max_summary:
            summary = summary[: self.options.max_summary].rsplit(" ", 1)[0] + "…"
        # A conjoined activity's sentence and the ones after it are its first activity's to read.
        empty: dict[str, list[Member]] = {"entourage": [], "present": [], "hosts": []}
        lists = empty if lead.conjoined else self._protocol(doc, lead, spans, last)
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

    def _date(self, doc: Document, lead: _Lead, until: int) -> tuple[str | None, str, str]:
        """The day its own sentence states; else the last day stated before it in the story (KCNA
        names the occasion first: "The ceremony took place on August 4. ... Kim Jong Un attended");
        else the first day stated after it, before the next activity (``until``: "Kim Jong Un arranged
        a reception ... Present at the reception, which took place ... on Thursday, were"); else the
        dateline's day; else publication."""
        if self.rules.recently.search(doc.text, lead.start, lead.end):
            return None, "unknown", "recently"
        stated = self._stated_days(doc)
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
        own = [(at, day) for at, day in stated if lead.start <= at < lead.end]
        if own:
            return own[0][1], "day", "stated"
        if doc.published is not None and self.rules.eve.search(doc.text, lead.start, lead.end):
            return (doc.published - timedelta(days=1)).isoformat(), "day", "stated"
        before = [(at, day) for at, day in stated if at < lead.start]
        if before:
            return before[-1][1], "day", "stated earlier"
        after = [(at, day) for at, day in stated if lead.end <= at < until]
        if after:
            return after[0][1], "day", "stated after"
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


# Kinds of an outing that share its "accompanied by" list: the visits, the performance he watched
# there, the photo session; not the mail, talks, banquets or speeches.
_OUTING_KINDS = _SITE_KINDS | {"performance", "photo_session", "ceremony", "military_drill"}


def _share_entourage(events: list[Annotation], text: str) -> list[Annotation]:
    """An outing's entourage is every one of its activities': a list read for one activity of an
    outing (the lead, or the stop after which the story prints it) goes to the leader's other
    outing activities that have none, from the nearest one before (else after) that has one. Not
    a photo session's own "junto con" ("se fotografio junto con la conferenciante ..."): those are
    the people in the photograph."""

    def shareable(e: Annotation) -> bool:
        names = [m["name"] for m in e.attrs["entourage"]]
        own = e.attrs["kind"] == "photo_session" and any(n in text[e.start : e.end] for n in names)
        return bool(names) and not own

    outing = [i for i, e in enumerate(events) if e.attrs["kind"] in _OUTING_KINDS]
    listed = [i for i in outing if shareable(events[i])]
    shared = list(events)
    for i in outing:
        if events[i].attrs["entourage"]:
            continue
        actor = events[i].attrs["actor_id"]
        mine = [j for j in listed if events[j].attrs["actor_id"] == actor]
        source = next((j for j in reversed(mine) if j < i), None)
        source = source if source is not None else next((j for j in mine if j > i), None)
        if source is not None:
            e = events[i]
            attrs = {**e.attrs, "entourage": events[source].attrs["entourage"]}
            shared[i] = Annotation(e.start, e.end, "event", attrs, e.producer)
    return shared


_NAMED_DAY = re.compile(r"\bD[ií]a\b[^()]{0,80}$")


def _glossed(text: str, start: int, at: int) -> bool:
    """``at`` lies inside parentheses, opened after ``start``, that gloss a named day ("Dia del Sol
    (15 de abril ...)"); "en el banquete ... (25 de agosto)" is no gloss."""
    opened = text.rfind("(", start, at)
    return opened >= 0 and text.find(")", opened, at) < 0 and _NAMED_DAY.search(text, start, opened) is not None


_CONGRATULATED = re.compile(r"(?:congratulated|felicit[oó])\b", re.I)
_PRONOUN_TARGET = re.compile(r"(?:a\s+|with\s+)?(?:ellos|ellas|estos|estas|them|it)\b", re.I)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 5}


def _names(target: str | None) -> bool:
    """The target names a site or person (a capital after its article): "the Changchun ...", "la
    Fabrica ..."; "the ... Room" of a site, "los militares", "ellos" name nothing new."""
    return re.search(r"\b[A-Z]", re.sub(r"^[Tt]he\s+", "", target or "")) is not None


def _previous(leads: list[_Lead], lead: _Lead) -> _Lead | None:
    """The activity a later one may be the same occasion as: of the last sentence with activities,
    the last one of its family, else its last (a sentence may hold several: "... and watched")."""
    if not leads:
        return None
    last = [x for x in leads if x.sentence == leads[-1].sentence]
    return next((x for x in reversed(last) if _family(x.kind) == _family(lead.kind)), last[-1])


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
