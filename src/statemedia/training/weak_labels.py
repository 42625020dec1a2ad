"""Weak labels from headlines: the activity a KCNA headline states (``headline_kinds.tsv``).

A headline that names Kim Jong Il or Kim Jong Un and says what he did ("Kim Jong Un Inspects
...", "Gift to Kim Jong Il from ...") labels its story's body; one that praises him, retells
his works or marks an anniversary labels it "none". Headlines that say neither give no label.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["LEADER_IN_HEADLINE", "Story", "headline_label", "read_stories"]

LEADER_IN_HEADLINE = re.compile(r"Kim\s+Jong\s+(?:Il|Un)\b")
_THE = re.compile(r"\bthe\b", re.I)
_SPANISH = re.compile(r"\b(?:de|la|el|los)\b")


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    corpus: str  # kcna-2011, kcna-2012, kcna-2024
    date: str | None
    title: str
    body: str


@cache
def _rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    path = Path(__file__).with_name("headline_kinds.tsv")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return tuple((re.compile(row["pattern"]), row["label"]) for row in csv.DictReader(lines, delimiter="\t"))


def headline_label(title: str) -> str | None:
    """The label a headline states: a kind, ``correspondence_sent``/``_received``, ``none``, or None."""
    if not LEADER_IN_HEADLINE.search(title):
        return None
    for pattern, label in _rules():
        if pattern.search(title):
            return None if label == "-" else label
    return None


def english(body: str, language: str | None) -> bool:
    # Some 2011 Spanish stories are labelled "en" in the source.
    return language == "en" and len(_THE.findall(body)) >= len(_SPANISH.findall(body))


def read_stories(path: Path) -> Iterator[Story]:
    """English stories of one corpus file (JSON Lines, gzip), first record of each id."""
    corpus = re.sub(r"(-dev)?\.jsonl(\.gz)?$", "", path.name)
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            body, sid = str(record.get("body") or ""), str(record["id"])
            if sid in seen or not english(body, record.get("language")):
                continue
            seen.add(sid)
            title = record.get("title")
            yield Story(sid, corpus, record.get("date"), title if isinstance(title, str) else "", body)
