"""The leader activity log of a corpus: records, filters, appearance calendar, monthly counts.

Everything here takes an iterable of analysed :class:`Document` objects *or* their JSON
results (``report.to_json``), so it works the same from a store, a JSON Lines dump or a
corpus analysed on the fly. Only ``event`` annotations made by the ``activities``
component count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..capture import read_path
from ..config import Config, load_config
from ..errors import InputError, StatemediaError
from ..model import Document
from ..pipeline import Pipeline
from ..registry import build_pipeline

__all__ = [
    "ACTIVITY_PIPELINE",
    "PROTOCOL_ROLES",
    "Activity",
    "Appearance",
    "Seen",
    "activities",
    "activity_from_attrs",
    "activity_pipeline",
    "analysed",
    "calendar",
    "monthly_counts",
    "select",
]

# The least that the activities component needs: Juche years feed dates; dates give weekdays.
ACTIVITY_PIPELINE = ("juche", "dates", "activities")
# The protocol lists an activity carries (extract.entourage.ROLES), each a list of member dicts.
PROTOCOL_ROLES = ("entourage", "present", "hosts")
# Kinds that are no public appearance: a letter is sent, not attended.
_NOT_APPEARANCES = frozenset({"correspondence"})
_PRODUCER = "activities"


@dataclass(frozen=True, slots=True)
class Activity:
    """One logged activity of a leader, flattened for tables and analytics."""

    doc_id: str
    published: date | None
    actor: str
    actor_id: str
    kind: str
    domain: str
    day: date | None
    date_precision: str
    target: str | None
    place: str | None
    entourage: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    title: str | None = None
    stops: tuple[str, ...] = ()  # later sites of the same tour, in text order
    direction: str | None = None  # correspondence: "sent" or "received"
    present: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)  # present or attending
    hosts: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)  # greeted him, saw him off
    evidence: tuple[int, int] | None = None  # the sentence that states it, offsets into the text
    # Story ids of its translations: the same event told in another language, counted once
    # (a store's activity_translations, store/translations.py).
    translations: tuple[str, ...] = ()

    @property
    def entourage_names(self) -> list[str]:
        return [str(m["name"]) for m in self.entourage]

    def members(self, role: str) -> tuple[Mapping[str, Any], ...]:
        """The protocol list of one role: ``entourage``, ``present`` or ``hosts``."""
        if role not in PROTOCOL_ROLES:
            raise ValueError(f"unknown role {role!r}; roles are {', '.join(PROTOCOL_ROLES)}")
        lists: tuple[Mapping[str, Any], ...] = getattr(self, role)
        return lists

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "published": self.published.isoformat() if self.published else None,
            "actor": self.actor,
            "actor_id": self.actor_id,
            "kind": self.kind,
            "domain": self.domain,
            "date": self.day.isoformat() if self.day else None,
            "date_precision": self.date_precision,
            "target": self.target,
            "stops": list(self.stops),
            "direction": self.direction,
            "place": self.place,
            "entourage": [dict(m) for m in self.entourage],
            "present": [dict(m) for m in self.present],
            "hosts": [dict(m) for m in self.hosts],
            "title": self.title,
            "translations": list(self.translations),
        }


def activity_pipeline(config: Config | None = None) -> Pipeline:
    """A pipeline with only what activity extraction needs (no parser): fast over a corpus."""
    return build_pipeline(config if config is not None else load_config(), ACTIVITY_PIPELINE)


def _iso(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def activity_from_attrs(
    doc_id: str,
    published: date | None,
    title: str | None,
    attrs: Mapping[str, Any],
    *,
    translations: tuple[str, ...] = (),
) -> Activity:
    """The activity an ``event`` annotation's attributes describe, in its article (``translations``:
    the story ids of the same event in other languages, as a store pairs them)."""
    precision = str(attrs.get("date_precision") or "unknown")
    return Activity(
        doc_id=doc_id,
        published=published,
        actor=str(attrs.get("actor")),
        actor_id=str(attrs.get("actor_id") or ""),
        kind=str(attrs.get("kind")),
        domain=str(attrs.get("domain") or ""),
        day=_iso(attrs.get("date")) if precision == "day" else None,
        date_precision=precision,
        target=attrs.get("target"),
        place=attrs.get("place"),
        entourage=tuple(dict(m) for m in attrs.get("entourage") or ()),
        title=title,
        stops=tuple(str(s) for s in attrs.get("stops") or ()),
        direction=attrs.get("direction"),
        present=tuple(dict(m) for m in attrs.get("present") or ()),
        hosts=tuple(dict(m) for m in attrs.get("hosts") or ()),
        evidence=_span(attrs.get("evidence")),
        translations=translations,
    )


def _span(value: Any) -> tuple[int, int] | None:
    if isinstance(value, Mapping) and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
        return int(value["start"]), int(value["end"])
    return None


def activities(items: Iterable[Document | Mapping[str, Any]]) -> Iterator[Activity]:
    """Activities in analysed documents or JSON results, in input order."""
    for item in items:
        if isinstance(item, Document):
            for ann in item.spans("event"):
                if ann.producer == _PRODUCER:
                    yield activity_from_attrs(item.id, item.published, item.title, ann.attrs)
            continue
        document = item.get("document") or {}
        published = _iso(document.get("date"))
        for ann in item.get("annotations") or ():
            if ann.get("label") == "event" and ann.get("producer") == _PRODUCER:
                yield activity_from_attrs(str(document.get("id")), published, document.get("title"), ann["attrs"])


def select(
    items: Iterable[Activity],
    *,
    leader: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[str] | None = None,
) -> Iterator[Activity]:
    """Filter by leader (name or id, any spelling case), activity day (else publication day), kind."""
    wanted = set(kinds) if kinds else None
    who = leader.lower() if leader else None
    for act in items:
        if who and who not in (act.actor.lower(), act.actor_id.lower()):
            continue
        day = act.day or act.published
        if (start and (day is None or day < start)) or (end and (day is None or day > end)):
            continue
        if wanted is not None and act.kind not in wanted:
            continue
        yield act


@dataclass(frozen=True, slots=True)
class Appearance:
    """A day a leader was seen in public, with the days since his previous appearance."""

    actor: str
    day: date
    kinds: tuple[str, ...]
    targets: tuple[str, ...]
    gap_days: int | None


@dataclass(frozen=True, slots=True)
class Seen:
    """What a calendar and a timeline read of an activity with a day of its own: a store reads
    only these (``stored_activities.seen``), not the whole activity with its protocol lists."""

    actor: str
    day: date
    kind: str
    target: str | None
    title: str | None


def calendar(items: Iterable[Activity | Seen]) -> list[Appearance]:
    """Each leader's public appearances by day (letters excluded), with the gap since the last one.

    Activities whose day is unknown ("recently") have no place on a calendar and are left out.
    """
    days: dict[tuple[str, date], list[Activity | Seen]] = {}
    for act in items:
        if act.day is not None and act.kind not in _NOT_APPEARANCES:
            days.setdefault((act.actor, act.day), []).append(act)
    out: list[Appearance] = []
    last: dict[str, date] = {}
    for (actor, day), acts in sorted(days.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        previous = last.get(actor)
        kinds = tuple(dict.fromkeys(a.kind for a in acts))
        targets = tuple(dict.fromkeys(a.target for a in acts if a.target))
        out.append(Appearance(actor, day, kinds, targets, (day - previous).days if previous else None))
        last[actor] = day
    return out


def monthly_counts(items: Iterable[Activity]) -> dict[str, dict[str, Counter[str]]]:
    """``{"YYYY-MM": {"kind": Counter, "domain": Counter}}`` by activity day (else publication day)."""
    out: dict[str, dict[str, Counter[str]]] = {}
    for act in items:
        day = act.day or act.published
        if day is None:
            continue
        month = out.setdefault(f"{day:%Y-%m}", {"kind": Counter(), "domain": Counter()})
        month["kind"][act.kind] += 1
        month["domain"][act.domain] += 1
    return dict(sorted(out.items()))


def analysed(
    path: str | Path | None = None, *, db: str | Path | None = None, config: Config | None = None
) -> Iterator[Document | StatemediaError]:
    """Documents with activities, from a corpus file or directory (``path``) or a store (``db``).

    Either way only the light :data:`ACTIVITY_PIPELINE` runs, in this process: a store's own
    annotations may come from an older pipeline, and re-reading activities costs ~1 ms a story.
    """
    pipeline = activity_pipeline(config)
    if db is not None:
        from ..store.corpus import open as open_corpus

        with open_corpus(db, config) as corpus:
            for doc in corpus.documents(annotations=False):
                yield pipeline(doc)
        return
    if path is None:
        raise InputError("give a corpus path or a store (--db)", where="activities")
    for item in read_path(path):
        yield pipeline(item) if isinstance(item, Document) else item
