"""Weak labels from headlines: the activity a KCNA headline states (``headline_kinds.tsv``).

A headline that names Kim Jong Il or Kim Jong Un and says what he did ("Kim Jong Un Inspects
...", "Gift to Kim Jong Il from ...") labels its story's body; one that praises him, retells
his works or marks an anniversary labels it "none". Headlines that say neither give no label.
Spanish headlines ("Kim Jong Un inspecciona ...", "Kim Jong Il recibe mensaje de ...") have their
own map, ``headline_kinds_es.tsv``, with the same labels: a story's language picks the map.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "LEADER_IN_HEADLINE", "Story", "english", "headline_label", "read_stories", "spanish"]

LEADER_IN_HEADLINE = re.compile(r"Kim\s+Jong\s+(?:Il|Un)\b")
_THE = re.compile(r"\bthe\b", re.I)
_SPANISH = re.compile(r"\b(?:de|la|el|los)\b")
# The languages a story can be read in, and the headline map of each.
LANGUAGES = ("en", "es")
_MAPS = {"en": "headline_kinds.tsv", "es": "headline_kinds_es.tsv"}


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    corpus: str  # kcna-2011, kcna-2012, kcna-2024
    date: str | None
    title: str
    body: str
    language: str = "en"  # "en" or "es" (see :func:`english`, :func:`spanish`)


@cache
def _rules(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    path = Path(__file__).with_name(_MAPS[language])
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return tuple((re.compile(row["pattern"]), row["label"]) for row in csv.DictReader(lines, delimiter="\t"))


def headline_label(title: str, language: str = "en") -> str | None:
    """The label a headline states: a kind, ``correspondence_sent``/``_received``, ``none``, or None.
    ``language`` ("en", "es") is the story's: each language's headlines have their own map."""
    if not LEADER_IN_HEADLINE.search(title):
        return None
    for pattern, label in _rules(language):
        if pattern.search(title):
            return None if label == "-" else label
    return None


def english(body: str, language: str | None) -> bool:
    # Some 2011 Spanish stories are labelled "en" in the source.
    return language == "en" and len(_THE.findall(body)) >= len(_SPANISH.findall(body))


def spanish(body: str, language: str | None) -> bool:
    # The complement of english() among the corpus's two languages: "es" records, and the 2011
    # Spanish stories the source labels "en" (more Spanish articles than "the" in the body).
    return language in LANGUAGES and not english(body, language)


def _language(body: str, language: str | None) -> str | None:
    if english(body, language):
        return "en"
    return "es" if spanish(body, language) else None


def read_stories(path: Path, languages: Collection[str] = ("en",)) -> Iterator[Story]:
    """Stories of one corpus file (JSON Lines, gzip) in ``languages`` ("en", "es"; English only by
    default, so that every draw made from this reader keeps its ids), first record of each id."""
    corpus = re.sub(r"(-dev)?\.jsonl(\.gz)?$", "", path.name)
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            body, sid = str(record.get("body") or ""), str(record["id"])
            language = _language(body, record.get("language"))
            if sid in seen or language is None or language not in languages:
                continue
            seen.add(sid)
            title = record.get("title")
            yield Story(sid, corpus, record.get("date"), title if isinstance(title, str) else "", body, language)
