"""The rules a leader report's sentences are read by (``data/activity_rules.json``, with the
domain, place and actor tables): shared by the activity extractor, its occasion rules
(:mod:`.activity_occasions`) and its attribute readers (:mod:`.activity_attributes`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ..datafiles import read_text, read_tsv

__all__ = ["ActivityRules", "active", "load_rules"]


@dataclass(frozen=True, slots=True)
class ActivityRules:
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
    tribute: re.Pattern[str]
    presence: re.Pattern[str]
    presence_recalled: re.Pattern[str]
    presence_occasions: tuple[tuple[re.Pattern[str], str], ...]
    presence_subject: re.Pattern[str]
    present_there: re.Pattern[str]
    convey_request: re.Pattern[str]
    subject_end: re.Pattern[str]
    subject_fronted: re.Pattern[str]
    mail_from: re.Pattern[str]
    mail_verb: re.Pattern[str]
    mail_content: re.Pattern[str]
    mail_relative_es: re.Pattern[str]
    mail_direction: tuple[tuple[re.Pattern[str], str], ...]
    mail_said: re.Pattern[str]
    proxy: re.Pattern[str]
    venue: re.Pattern[str]
    items: tuple[tuple[re.Pattern[str], str], ...]
    abbreviations: frozenset[str]


def active(actors: dict[str, tuple[date | None, date | None]], actor_id: str, day: date | None) -> bool:
    """Whether ``actor_id`` is a leader whose deeds on ``day`` (publication; None: any) are news
    (``data/activity_actors.tsv``): outside his span they are history."""
    span = actors.get(actor_id)
    if span is None:
        return False
    start, end = span
    return day is None or ((start is None or start <= day) and (end is None or day <= end))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def load_rules() -> ActivityRules:
    text = read_text("activity_rules.json")
    data: dict[str, Any] = json.loads(text)
    return ActivityRules(
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
        tribute=re.compile(data["tribute"], re.I),
        presence=re.compile(data["presence"]),
        presence_recalled=re.compile(data["presence_recalled"], re.I),
        presence_occasions=tuple((re.compile(p, re.I), kind) for p, kind in data["presence_occasions"]),
        presence_subject=re.compile(data["presence_subject"]),
        present_there=re.compile(data["present_there"]),
        convey_request=re.compile(data["convey_request"]),
        subject_end=re.compile(data["subject_end"]),
        subject_fronted=re.compile(data["subject_fronted"]),
        mail_from=re.compile(data["mail_from"]),
        mail_verb=re.compile(data["mail_verb"]),
        mail_content=re.compile(data["mail_content"]),
        mail_relative_es=re.compile(data["mail_relative_es"]),
        mail_direction=tuple((re.compile(p), direction) for p, direction in data["mail_direction"]),
        mail_said=re.compile(data["mail_said"]),
        proxy=re.compile(data["proxy"]),
        venue=re.compile(data["venue"], re.I),
        items=tuple((re.compile(p, re.I), item) for item, p in data["items"].items()),
        abbreviations=frozenset(data["abbreviations"]),
    )
