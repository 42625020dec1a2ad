"""Which sentences where a leader acts are occasions of their own: a later "He ..." sentence of the
same kind goes on with the last occasion unless it says it is another (a stop, another site or
person, a meeting of another sort); a lead that only sums up the stops reported one by one is
none; in Spanish an outing's entourage is every one of its activities'.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..model import Annotation, Document
from .activity_attributes import read_target, stated_days
from .activity_candidates import Candidate, continues_report
from .activity_rules import ActivityRules

__all__ = [
    "PRONOUN_TARGET",
    "SITE_KINDS",
    "Lead",
    "continues",
    "held_before",
    "kind_family",
    "restated",
    "separate_occasions",
    "share_entourage",
    "sums_up",
]

SITE_KINDS = frozenset({"field_guidance", "inspection", "visit"})
# Kinds of an outing that share its "accompanied by" list: the visits, the performance he watched
# there, the photo session; not the mail, talks, banquets or speeches.
_OUTING_KINDS = SITE_KINDS | {"performance", "photo_session", "ceremony", "military_drill"}
PRONOUN_TARGET = re.compile(r"(?:a\s+|with\s+)?(?:ellos|ellas|estos|estas|them|it)\b", re.I)
# A target that refers back to an occasion named before: "the meeting", "the cemetery", "this performance".
_BACK_REFERENCE = re.compile(r"(?:the|this|that)\s+(?:[\w'’-]+\s+){0,3}?([\w'’-]+)", re.I)
_PROTOCOL_ROLES = ("entourage", "present", "hosts")
# Mail items by the words that name them again ("the wreath", "the floral basket").
_ITEM_WORDS = {"wreath": "wreaths?", "floral_basket": "(?:floral\\s+)?baskets?", "gift": "gifts?",
               "letter": "letters?", "birthday_spread": "birthday\\s+spreads?"}
# An item of a digest of the day's news (KCNA's daily press review: "- He oversaw a test of ...").
_NEWS_ITEM = re.compile(r"\s*[-•*]\s+")


@dataclass(frozen=True, slots=True)
class Lead:
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
    # An occasion held in his presence ("The Sports Complex ... was inaugurated in the presence of
    # Kim Jong Il"): he attended it; its target is the occasion named before the cue, and the
    # predicate after his name is someone else's (``activity_rules.json`` presence).
    presence: bool = False
    occasion: str | None = None
    # "Kim Jong Un ... was present there": an occasion held in his presence that the sentence before
    # names (``presence`` too); the predicate is his own, and its summary.
    present_there: bool = False
    # A speech at the occasion reported before it (``at_the_occasion``): that occasion keeps its
    # lists and its place as the activity later ones may continue.
    at_occasion: bool = False
    # His name (or "He") opens the sentence; False where he is the object ("The delegation presented
    # a gift to Kim Jong Un"): mail he received is then named before his name (``read_mail``).
    subject: bool = True

    @property
    def stop(self) -> int:
        return self.clause_end if self.clause_end >= 0 else self.end


# Cues of what he does at an occasion reported before: his speech there.
_AT_THE_OCCASION = frozenset({"lex=speech"})


def continues(doc: Document, c: Candidate, feats: list[str], earlier: Iterable[Lead], max_lag_days: int) -> bool:
    """A "He ..." sentence with a cued verb and a day of its own, after a sentence where the story
    has him act: the report goes on (the dated legs of a visit), whatever the detector says of "He
    ..." sentences in general (most retell deeds in praise). Fires on no train-split story (docs).
    So does an item of a news digest after an item where he acts ("- He oversaw a test of ...": each
    item is the day's news, not praise).
    Spanish says so without a day: a sentence that drops its subject, or names him by a title,
    after a connective ("Luego, recorrio ...", "Acto seguido, el Comandante Supremo inspecciono
    ...") with a cued verb is the next part of the report (docs/activities.md, 2026-12-03).
    """
    return (
        c.pronoun
        and "lex_kind" in feats
        and "old_date" not in feats
        and any(lead.actor_id == c.actor_id and lead.sentence < c.sentence for lead in earlier)
        and (
            continues_report(doc.text, c.start, c.end)
            or _NEWS_ITEM.match(doc.text, c.start) is not None
            or any(c.start <= at < c.end for at, _ in stated_days(doc, max_lag_days))
        )
    )


def at_the_occasion(c: Candidate, feats: list[str], earlier: Iterable[Lead]) -> bool:
    """A "He ..." speech after an occasion of his the story reports ("He made a welcome speech"): an
    activity of its own (docs/activities-annotation.md), whatever the detector says of "He ..."
    sentences; its lists are that occasion's (docs/activities.md, eighth round)."""
    return (
        c.pronoun
        and "old_date" not in feats
        and any(f in _AT_THE_OCCASION for f in feats)
        and any(
            lead.actor_id == c.actor_id and lead.sentence < c.sentence and lead.kind != "correspondence"
            for lead in earlier
        )
    )


def separate_occasions(rules: ActivityRules, text: str, spanish: bool, ordered: list[Lead]) -> list[Lead]:
    """The leads (in text order) that are occasions of their own. One that goes on with the last
    occasion is dropped, and its sentence is read for that occasion's lists."""
    leads: list[Lead] = []
    for lead in ordered:
        # Spanish: mail he gave during an outing ("dio como recuerdo binoculos") does not end it.
        occasions = [x for x in leads if not x.at_occasion]
        previous = _previous([x for x in occasions if x.kind != "correspondence"] if spanish else occasions, lead)
        site = next((x for x in reversed(leads) if x.kind in SITE_KINDS), None)
        if lead.pronoun and lead.kind in SITE_KINDS and site is not None and rules.neutral_stop.match(
            text, lead.verb[0], lead.end
        ):
            lead = replace(lead, kind=site.kind)  # "Estuvo primero en ...": a stop of the tour reported
        same_occasion = (
            previous is not None
            and kind_family(previous.kind) == kind_family(lead.kind)
            and previous.kind != "correspondence"
            and (lead.conjoined or lead.pronoun or (spanish and _restated(rules, text, previous, lead)))
            and not rules.stops.search(text, lead.joint if lead.conjoined else lead.start, lead.stop)
            and not (not lead.conjoined and rules.also.match(text, lead.start, lead.end))
            and not _another_occasion(rules, text, previous, lead)
        )
        if not same_occasion:
            leads.append(lead)
    return leads


def held_before(leads: list[Lead]) -> list[Lead]:
    """Without the occasions held in his presence that an earlier activity of the story is ("Kim Jong
    Un convened a consultative meeting. ... the officials, who took part in the consultative meeting
    in the presence of Kim Jong Un, made a firm pledge"): one occasion, one activity."""
    kept: list[Lead] = []
    for lead in leads:
        same = (x for x in kept if x.actor_id == lead.actor_id and kind_family(x.kind) == kind_family(lead.kind))
        if lead.presence and any(same):
            continue
        kept.append(lead)
    return kept


def sums_up(rules: ActivityRules, text: str, lead: Lead, following: Lead | None) -> bool:
    """A named lead whose next activity, his own, opens the first stop ("Kim Jong Un ... visito la
    Fabrica A y la Fabrica B. ... Primero, Kim Jong Un estuvo en la Fabrica A"): the lead sums up
    the stops reported one by one, and is none itself (docs/activities-annotation.md, one activity
    per stop); its lists go to the stops."""
    return (
        following is not None
        and not lead.pronoun
        and lead.kind != "correspondence"
        and following.actor_id == lead.actor_id
        and rules.first_leg.match(text, following.start, following.end) is not None
    )


def _restated(rules: ActivityRules, text: str, previous: Lead, lead: Lead) -> bool:
    """A later sentence that names him again but only restates the occasion: its target names
    nothing and is the last one's ("Se retrato ... Kim Jong Un tomo foto de recuerdo junto con
    ellos"; "Kim Jong Un recorrio largo tiempo varios puntos de la exposicion")."""
    mine, theirs = (read_target(rules, text, x.verb[1], x.stop) or "" for x in (lead, previous))
    if _names(mine):
        return False
    if PRONOUN_TARGET.match(mine):
        return True
    return bool(_content_words(mine) & _content_words(theirs))


def _another_occasion(rules: ActivityRules, text: str, previous: Lead, lead: Lead) -> bool:
    """A later "He ..." of the same kind that is still another occasion: a meeting of another sort
    (the banquet, then the talks), or a site or person named other than the last one's target
    ("He met Wen Jiabao" after Hu Jintao; "He visited the Changchun ..." after a factory)."""
    if lead.kind == "meeting":
        sorts = [
            next((i for i, p in enumerate(rules.occasions) if p.search(text, x.verb[0], x.stop)), None)
            for x in (previous, lead)
        ]
        if None not in sorts and sorts[0] != sorts[1]:
            return True
    if lead.kind in SITE_KINDS and not rules.new_place.match(text, lead.verb[0], lead.stop):
        return False  # "He looked round the ... Room": a part of the site just visited
    if lead.kind in SITE_KINDS and lead.conjoined and not rules.sequence.match(text, lead.joint):
        return False  # sites named in one sentence are one tour, unless "and then visited ..."
    mine, theirs = (read_target(rules, text, x.verb[1], x.stop) or "" for x in (lead, previous))
    return _names(mine) and mine.lower() not in theirs.lower() and theirs.lower() not in mine.lower()


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 5}


def _names(target: str | None) -> bool:
    """The target names a site or person (a capital after its article): "the Changchun ...", "la
    Fabrica ..."; "the ... Room" of a site, "los militares", "ellos" name nothing new."""
    return re.search(r"\b[A-Z]", re.sub(r"^[Tt]he\s+", "", target or "")) is not None


def _previous(leads: list[Lead], lead: Lead) -> Lead | None:
    """The activity a later one may be the same occasion as: of the last sentence with activities,
    the last one of its family, else its last (a sentence may hold several: "... and watched")."""
    if not leads:
        return None
    last = [x for x in leads if x.sentence == leads[-1].sentence]
    return next((x for x in reversed(last) if kind_family(x.kind) == kind_family(lead.kind)), last[-1])


def kind_family(kind: str) -> str:
    """Site visits of every kind are one family: "He went round" after an inspection is the inspection."""
    return "site" if kind in SITE_KINDS else kind


def share_entourage(events: list[Annotation], text: str) -> list[Annotation]:
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


def restated(
    rules: ActivityRules, text: str, events: list[Annotation], skip: set[int]
) -> tuple[list[Annotation], set[int]]:
    """Events that restate an earlier one of the story (:func:`_restates`), and the events with their
    protocol lists moved to the earlier one where it has none. ``skip``: events already left out
    (leads that sum up the stops after them)."""
    kept = list(events)
    gone = set(skip)
    for i, event in enumerate(events):
        mail = event.attrs["kind"] == "correspondence"
        same = _mail_restates if mail else _restates
        j = next((j for j in range(i) if j not in gone and same(rules, text, event, kept[j])), None)
        if j is None:
            continue
        b = kept[j].attrs
        moved = {r: event.attrs[r] for r in _PROTOCOL_ROLES if event.attrs.get(r) and not b.get(r)}
        if mail:
            # Mail laid or handed over in his name: who was there was present (docs/activities-annotation.md),
            # and the day it was laid is its day where the story gave it none before.
            people = [m for r in _PROTOCOL_ROLES for m in event.attrs.get(r) or []]
            moved = {"present": people} if people and not b.get("present") else {}
            if b.get("date_source") in ("published", "dateline") and event.attrs.get("date_source") == "stated":
                moved |= {k: event.attrs[k] for k in ("date", "date_precision", "date_source")}
        if moved:
            kept[j] = replace(kept[j], attrs={**b, **moved})
        gone.add(i)
    return kept, gone - skip


def _mail_restates(rules: ActivityRules, text: str, event: Annotation, before: Annotation) -> bool:
    """Mail the story named before, named again by its item ("Kim Jong Un sent a wreath to the bier of
    ... Jo Yong Won ... laid the wreath bearing the august name of Kim Jong Un"): one activity."""
    a, b = event.attrs, before.attrs
    item = _ITEM_WORDS.get(str(a.get("item")))
    return (
        item is not None
        and b["kind"] == "correspondence"
        and (b["actor_id"], b["direction"], b.get("item")) == (a["actor_id"], a["direction"], a.get("item"))
        and re.search(rf"\bthe\s+(?:[\w'’-]+\s+){{0,2}}?{item}\b", text[event.start : event.end], re.I) is not None
    )


def _restates(rules: ActivityRules, text: str, event: Annotation, before: Annotation) -> bool:
    """One occasion is one activity (docs/activities-annotation.md): "Kim Jong Un convened a consultative
    meeting ... Kim Jong Un presided over the meeting", "visited the Fatherland Liberation War Martyrs
    Cemetery ... went round the cemetery", "visited the April 25 Hostel ... arrived at the April 25
    Hostel". A later activity of the same leader on the same day is the earlier one when it is of its
    kind family and refers back to its target ("the meeting": its last word is a word of that target)
    or, at a site, names the same one (talks with Hu Jintao and the banquet he gave are two meetings);
    or when it is a tribute paid during the visit before it ("visited the Liberation Tower ... paid
    high tribute to the fallen fighters", as "visited ... and paid tribute" in one sentence is)."""
    a, b = event.attrs, before.attrs
    if b["actor_id"] != a["actor_id"] or (a.get("date") and b.get("date") and a["date"] != b["date"]):
        return False  # another leader's, or "He visited the farm again on May 5": another occasion
    if b["kind"] == "visit" and a["kind"] == "ceremony" and rules.tribute.search(text, event.start, event.end):
        return True
    target, earlier = str(a.get("target") or "").strip(), str(b.get("target") or "").strip()
    if not target or not earlier or kind_family(b["kind"]) != kind_family(a["kind"]):
        return False
    if a["kind"] in SITE_KINDS and earlier.casefold() == target.casefold():
        return True
    back = _BACK_REFERENCE.fullmatch(target)
    return back is not None and back.group(1).casefold() in re.findall(r"[\w'’-]+", earlier.casefold())
