"""Leader activities: what the leader did, when, where, and who was with him.

Every mention of a leader active at publication (``data/activity_actors.tsv``) is a candidate
(:mod:`.activity_candidates`: structure); a learned model reads the words around it and says
whether it is an activity and of which kind (:mod:`.activity_model`, trained on weak labels from
headlines). A story yields as many activities as sentences where he acts: a tour, a launch he
oversaw and the speech he made there; a later "He ..." sentence of the same kind is the same
occasion unless it says it is another stop (:mod:`.activity_occasions`). Target, place and date
are read from the sentence by rules (``data/activity_rules.json``, :mod:`.activity_attributes`);
the protocol lists (entourage, those present, hosts) from the sentences up to the next activity
(:mod:`.entourage`). Deeds dated long before publication, and relayed news, are history. Only the
body is read: capture keeps the headline in ``Document.title``, never in the text.

Works on the text, the ``date`` layer and the gazetteer alone, so the activity log of a
whole corpus needs no parser (``juche, dates, activities`` is enough).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from ..model import Annotation, Document
from .activity_attributes import (
    historical,
    read_date,
    read_domain,
    read_items,
    read_mail,
    read_occasion_before,
    read_place,
    read_presence,
    read_sender,
    read_stops,
    read_target,
)
from .activity_candidates import Candidate, find_candidates, lexicon
from .activity_model import KINDS, NONE, candidate_features, cue_kind, load_model
from .activity_occasions import (
    PRONOUN_TARGET,
    SITE_KINDS,
    Lead,
    at_the_occasion,
    continues,
    held_before,
    restated,
    separate_occasions,
    share_entourage,
    sums_up,
)
from .activity_rules import active, load_rules
from .entourage import Member, protocol_lists
from .gazetteer import Gazetteer, load_gazetteer

__all__ = ["KINDS", "ActivityExtractor", "sentences"]

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘]?[A-Z0-9])|\n+")
_LAST_WORD = re.compile(r"([\w.]+)\.$")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # "D. Medvedev", "V.V. Zhirinovsky"
_RECEIVED = "correspondence_received"
# The model's labels that carry a direction: correspondence both ways.
_KIND_DIRECTION = {
    "correspondence": ("correspondence", "sent"),
    _RECEIVED: ("correspondence", "received"),
}
# His name the addressee: "to the dear respected Kim Jong Un", "to ComradeKim Jong Un" (not "his wish
# to meet Kim Jong Un").
_TO_HIM = re.compile(r"\bto\s+(?:(?:the|dear|respected|beloved|great|esteemed|[A-Z][\w'’.-]*)\s*)*\Z")
_CONGRATULATED = re.compile(r"(?:congratulated|felicit[oó])\b", re.I)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation, newlines and capitals, keeping "Mt. Paektu", "the C.C. Kim"."""
    abbreviations = load_rules().abbreviations
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        last = _LAST_WORD.search(text, start, m.start())
        word = last.group(1).rstrip(".") if last else ""
        # "Mt. Paektu", and initials: "Russian President D. Medvedev", "V.V. Zhirinovsky".
        if "\n" not in m.group(0) and (word in abbreviations or _INITIALS.fullmatch(word)):
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


class ActivityExtractor:
    name: ClassVar[str] = "activities"
    # 11: current KCNA's leads, digests and cues (docs/activities.md, fifth round); 12: occasions held in
    # his presence, greetings he is asked to receive, undated back-references (sixth round); 13: "was
    # present there", greetings he is asked to receive by any name, the model retrained (seventh round),
    # list members' titles (docs/protocol-lists.md, "Titles of list members"); 14: an occasion restated
    # by name, or a tribute paid during a visit, is one activity; 15: mail's senders and items where he is
    # the object or the passive's agent, his verb's direction, a message's content no further mail, a
    # dated predicate after his titles (eighth round); 16: a speech at the occasion reported before, the
    # occasion for the place he stood, acts upon his authorization and mail named again (the review of
    # the eighth round); 17: no photo session rule (its evidence was reserved stories), relays that
    # name their source last
    version: ClassVar[str] = "17"
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
        self.rules = load_rules()
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
            after = [x for x in leads[i + 1 :] if x.sentence > lead.sentence and not x.at_occasion]
            later = [x for x in after if lead.pronoun or not x.pronoun]
            last = later[0].sentence if later else len(spans)
            until = after[0].start if after else len(doc.text)
            mail = None
            if lead.direction == "received":
                mail = read_mail(self.rules, doc.text, lead.start, lead.mention_end, lead.verb, lead.stop, lead.subject)
            event = self._event(doc, lead, spans, last, until, mail.sender if mail else None)
            # "a floral basket and a congratulatory letter": one correspondence activity per item, named
            # where the mail is ("conveyed the greetings from Kim Jong Un to": the sentence, his name in
            # it), not in what it says (", expressing deep condolences").
            named = mail.words if mail else (lead.verb[0] if lead.subject else lead.start, lead.stop)
            said = self.rules.mail_said.search(doc.text, *named)
            words = doc.text[named[0] : said.start() if said else named[1]]
            items = read_items(self.rules, words) if lead.kind == "correspondence" else []
            if not lead.conjoined and sums_up(self.rules, doc.text, lead, after[0] if after else None):
                summaries.add(len(events))
            events += [Annotation(event.start, event.end, "event", {**event.attrs, "item": item}, self.name)
                       for item in items] or [event]
        if doc.language == "es":  # the convention the Spanish sets are labelled by (docs/activities.md)
            events = share_entourage(events, doc.text)
        events, again = restated(self.rules, doc.text, events, summaries)
        doc.add([event for i, event in enumerate(events) if i not in summaries | again])
        return doc

    # -- which mentions are activities ---------------------------------------------
    def candidates(self, doc: Document, spans: list[tuple[int, int]]) -> list[tuple[Candidate, list[str]]]:
        """Each candidate mention with its features (training reads the same)."""
        if spans and self.rules.relayed_news.search(doc.text, *spans[0]):
            return []
        found = find_candidates(doc, spans, self.gazetteer, self.rules.actors)
        lag = self.options.max_lag_days
        return [(c, candidate_features(doc, c, historical(doc, c.start, c.end, lag))) for c in found]

    def _leads(self, doc: Document, spans: list[tuple[int, int]]) -> list[Lead]:
        found = self.candidates(doc, spans)
        predictions = load_model().predict([feats for _, feats in found], self.options.subject_none_floor)
        best: dict[tuple[int, int], Lead] = {}
        for (c, feats), (label, p) in zip(found, predictions, strict=True):
            occasion = False
            if self.rules.mail_content.search(doc.text, c.start, c.mention[0]):
                continue  # "The message said he was pleased to ... Kim Jong Un": the mail reported before
            if self.rules.proxy.search(doc.text, c.start, c.mention[0]):
                continue  # "Upon authorization of Kim Jong Un, ... Choe Ryong Hae received": another's act
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
            elif label == NONE and continues(doc, c, feats, best.values(), self.options.max_lag_days):
                label = cue_kind(feats) or NONE
            elif label == NONE and at_the_occasion(c, feats, best.values()):
                label, occasion = cue_kind(feats) or NONE, True
            elif (
                (label == NONE or p < self.options.min_probability)
                and _TO_HIM.search(doc.text, c.start, c.mention[0])
                and self.rules.convey_request.search(doc.text, c.start, c.mention[0])
            ):
                # "They asked the delegation head to convey their congratulations to Kim Jong Un": mail he
                # receives (the guideline), whatever the detector makes of the rest of the sentence.
                label, p = _RECEIVED, self.options.min_probability
            # A sentence dated long before publication is history whatever its verb says.
            if label == NONE or "old_date" in feats or (p < self.options.min_probability and "subject" not in feats):
                continue
            if not c.right(doc.text).strip(" .,;:!?\"”’)") and cue_kind(feats) is None and label != _RECEIVED:
                continue  # his name closes the sentence and no cue before it says what he did

            if label in _KIND_DIRECTION and c.subject:
                # "Kim Jong Un ... sent an autograph": his own verb says which way the mail went.
                way = next((d for m, d in self.rules.mail_direction if m.match(doc.text, c.predicate, c.end)), None)
                label = {"sent": "correspondence", "received": _RECEIVED}.get(way or "", label)
            kind, direction = _KIND_DIRECTION.get(label, (label, None))
            # "The parade ... was held in the presence of Kim Jong Il": he attended the occasion named
            # before the cue; what follows his name ("..., made a firm pledge") is not his to do.
            presence, there = None, False
            if doc.language != "es" and not c.pronoun and not c.conjoined and label != _RECEIVED:
                presence = read_presence(self.rules, doc.text, c.start, c.mention[0])
            if presence is not None and not presence[0]:
                continue  # an occasion the sentence recalls: history
            if presence is None and doc.language != "es" and label != _RECEIVED and not c.conjoined:
                # "Kim Jong Un, ..., was present there": the occasion the sentence before names.
                there = self.rules.present_there.match(doc.text, c.predicate, c.end) is not None
                presence = read_occasion_before(self.rules, doc.text, spans, c.sentence) if there else None
            if presence is not None:
                kind, direction = presence[0], None
            verb = (c.predicate, lexicon().verb_end(doc.text, c.predicate, c.end))
            lead = Lead(
                c.start, c.end, c.sentence, c.actor_id, c.actor, c.mention[1], c.pronoun, verb, kind, direction, p,
                subject=c.subject,
            )
            if presence is not None:
                lead = replace(lead, presence=True, occasion=presence[1], present_there=there)
            if occasion:
                lead = replace(lead, at_occasion=True)
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
        return held_before(separate_occasions(self.rules, doc.text, doc.language == "es", ordered))

    # -- the event ----------------------------------------------------------------
    def _event(
        self, doc: Document, lead: Lead, spans: list[tuple[int, int]], last: int, until: int, sender: str | None
    ) -> Annotation:
        """The activity of ``lead``; ``sender``: of mail he received, as ``read_mail`` found it."""
        text = doc.text
        target = sender or read_target(self.rules, text, lead.verb[1], lead.stop)
        if lead.direction == "received" and sender is None:
            # "The president ... asked the ambassador to convey his greetings to Kim Jong Un": the subject sent them.
            target = read_sender(self.rules, text, spans, lead.sentence, lead.mention_end) or target
        if lead.presence:
            target = lead.occasion
        venue = self.rules.venue.match(target or "")
        if target and venue:
            # "appeared at the venue of the ceremony", "appeared on the platform": the occasion.
            of = venue.group(0).rstrip().lower().endswith(" of")
            before = read_occasion_before(self.rules, text, spans, lead.sentence)[1]
            target = (target[venue.end() :] if of else before) or target
        if lead.conjoined and (target is None or PRONOUN_TARGET.fullmatch(target)):
            # "... met the delegates and had a photo session with them": his first predicate's object.
            target = read_target(self.rules, text, lead.first_verb[1], lead.joint) or target
        received = lead.direction == "received"
        day, precision, source = read_date(
            self.rules, doc, lead.start, lead.end, until, self.options.max_lag_days, received
        )
        # An occasion in his presence: the sentence up to his name (what follows is someone else's deed).
        cue_before = lead.presence and not lead.present_there
        summary = (text[lead.start : lead.mention_end] if cue_before else text[lead.verb[0] : lead.stop]).rstrip(
            " .!?,"
        )
        if len(summary) > self.options.max_summary:
            summary = summary[: self.options.max_summary].rsplit(" ", 1)[0] + "…"
        # A conjoined activity's sentence and the ones after it are its first activity's to read.
        empty: dict[str, list[Member]] = {"entourage": [], "present": [], "hosts": []}
        lists = empty if lead.conjoined or lead.at_occasion else self._protocol(doc, lead, spans, last)
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
            "place": read_place(self.rules, text, lead.mention_end, lead.end),
            "target": target,
            "stops": read_stops(self.rules, text, lead.end, spans, target) if lead.kind in SITE_KINDS else [],
            "entourage": [m.to_dict() for m in lists["entourage"]],
            "present": [m.to_dict() for m in lists["present"]],
            "hosts": [m.to_dict() for m in lists["hosts"]],
            "domain": read_domain(self.rules, lead.kind, target or "", summary),
            "score": round(lead.score, 3),
            "evidence": {"start": lead.start, "end": lead.end},
        }
        if source == "recently":
            attrs["note"] = "the text says the activity took place recently; the day is not stated"
        elif source == "published":
            attrs["note"] = "no day stated: the publication date stands for the activity day"
        return Annotation(lead.start, lead.end, "event", attrs, self.name)

    def _protocol(
        self, doc: Document, lead: Lead, spans: list[tuple[int, int]], last: int
    ) -> dict[str, list[Member]]:
        """Entourage, those present and hosts, from this activity's sentence up to the next one's."""
        actors = self.rules.actors
        dead = frozenset(aid for aid in actors if aid != lead.actor_id and not active(actors, aid, doc.published))
        return protocol_lists(doc.text, spans, lead.sentence, last, dead | {lead.actor_id}, self.gazetteer)
