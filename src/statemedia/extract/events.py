"""Dated events: who did what, and when, in history and news pieces.

An event is a sentence with a date (from the ``date`` layer) whose clause has a
person or organisation as its grammatical subject (a linked ``entity``, pronouns
resolved). The summary is that clause's predicate, cut before purpose and
reporting clauses ("in order to ...", ", saying ..."); the kind comes from
``data/event_kinds.tsv``.

A leader active at publication (``data/activity_actors.tsv``) is the activity extractor's: it
logs what he did as news and leaves out his deeds recalled from long before ("visited the
factory in August Juche 103 (2014)" in a 2024 story), which should yield no activity; given here
as dated events, such recollections read as his activities in the story's list of events (issue
14). So his deeds dated more than ``leader_recent_days`` before publication are left out; his
recent dated deeds stay (those the activity extractor missed), as do other actors' deeds and
those of leaders outside their span (Kim Il Sung's in a 2012 story).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document
from .activity_rules import active, load_rules

__all__ = ["EventExtractor"]

# Where a predicate stops being "what happened": purpose, manner and reported speech.
_SUMMARY_CUT = re.compile(r",?\s+(?:in order to|so as to|so that|saying|adding|noting|thus|which)\b|;\s")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,200})[”\"]")
_ACTOR_TYPES = ("PERSON", "ORG")
_PRECISE = ("day", "month", "year", "interval")


def _overlapping(anns: list[Annotation], span: list[int]) -> list[Annotation]:
    return [a for a in anns if a.start < span[1] and span[0] < a.end]


class EventExtractor:
    name: ClassVar[str] = "events"
    version: ClassVar[str] = "3"  # 3: a current leader's recalled deeds left out
    requires: ClassVar[tuple[str, ...]] = ("sentence", "date", "entity")
    assigns: ClassVar[tuple[str, ...]] = ("event",)

    @dataclass(frozen=True)
    class Options:
        # Longest summary kept (characters): a KCNA sentence's predicate rarely exceeds
        # 200; longer ones are run-on lists that read better cut at a word boundary.
        max_summary: int
        # A deed of a leader active at publication dated more days before it is recalled history,
        # left out (see the module's docstring and defaults.toml).
        leader_recent_days: int

    def __init__(self, options: Options) -> None:
        self.options = options
        self.kinds = [(re.compile(r["pattern"], re.I), r["kind"]) for r in read_tsv("event_kinds.tsv")]

    def kind_of(self, words: str) -> str:
        return next((kind for pattern, kind in self.kinds if pattern.search(words)), "action")

    def __call__(self, doc: Document) -> Document:
        dates = [d for d in doc.spans("date") if d.attrs.get("precision") in _PRECISE and d.attrs.get("value")]
        # The agency in a dateline ("Pyongyang, April 27 (KCNA) --") reports; it is not an actor.
        datelines = list(doc.spans("dateline"))
        entities = [
            e
            for e in doc.spans("entity")
            if e.attrs.get("type") in _ACTOR_TYPES and not any(d.start <= e.start < d.end for d in datelines)
        ]
        places = [e for e in doc.spans("entity") if e.attrs.get("type") in ("GPE", "LOC", "PLACE", "FAC")]
        # A leader activity (the "activities" component, run before this one) already reports its sentence.
        covered = [a for a in doc.spans("event") if a.producer == "activities"]
        actors = load_rules().actors
        events = []
        for sent in doc.spans("sentence"):
            if _overlapping(covered, [sent.start, sent.end]):
                continue
            sent_dates = [d for d in dates if sent.start <= d.start < sent.end]
            if not sent_dates:
                continue
            found = self._actor_clause(sent.attrs, entities)
            if found is None:
                continue
            actor, clause = found
            if self._recalled(doc, actors, actor, sent_dates[0]):
                continue
            events.append(self._event(doc, sent, sent_dates[0], actor, clause, places))
        doc.add(events)
        return doc

    def _recalled(
        self, doc: Document, actors: dict[str, tuple[date | None, date | None]], actor: Annotation, when: Annotation
    ) -> bool:
        """A deed of a leader active at publication, dated long before it."""
        if doc.published is None or not active(actors, str(actor.attrs["id"]), doc.published):
            return False
        last = when.attrs.get("end")  # the date layer's last day of the date (normalize/dates.py)
        return bool(last) and date.fromisoformat(str(last)[:10]) < doc.published - timedelta(
            days=self.options.leader_recent_days
        )

    def _actor_clause(
        self, attrs: Mapping[str, Any], entities: list[Annotation]
    ) -> tuple[Annotation, Mapping[str, Any]] | None:
        root = attrs.get("root")
        clauses = sorted(attrs.get("clauses") or [], key=lambda c: c["verb"] != root)  # root clause first
        for clause in clauses:
            if not clause.get("subject_head"):
                continue
            # The actor is the subject's head ("Kim Il Sung", "he"), not any name inside the
            # subject phrase ("... of the Workers' Party of Korea, 270-odd establishments").
            actors = _overlapping(entities, clause["subject_head"])
            linked = [a for a in actors if a.attrs.get("via") != "ner"] or actors
            if linked:
                return linked[0], clause
        return None

    def _event(
        self,
        doc: Document,
        sent: Annotation,
        when: Annotation,
        actor: Annotation,
        clause: Mapping[str, Any],
        places: list[Annotation],
    ) -> Annotation:
        verb_start = clause["verb"][0]
        predicate = doc.text[verb_start : sent.end].rstrip(" .!?")
        cut = _SUMMARY_CUT.search(predicate)
        summary = predicate[: cut.start()] if cut else predicate
        if len(summary) > self.options.max_summary:
            summary = summary[: self.options.max_summary].rsplit(" ", 1)[0] + "…"
        quoted = _QUOTED.search(summary)
        place = next((p.attrs["name"] for p in places if sent.start <= p.start < sent.end), None)
        attrs = {
            "kind": self.kind_of(summary),
            "actor": actor.attrs["name"],
            "actor_id": actor.attrs["id"],
            "date": when.attrs["value"],
            "date_precision": when.attrs["precision"],
            "summary": summary,
            "place": place,
            "target": quoted.group(1) if quoted else None,
            "entourage": [],
            "evidence": {"start": sent.start, "end": sent.end},
        }
        return Annotation(sent.start, sent.end, "event", attrs, self.name)
