"""DPRK rhetoric indicators: lexicon terms as annotations, and per-article measures.

Definitions (also in docs/rhetoric.md):

* **leader-centrality** — the share of an article's sentences whose grammatical subject
  (``sentence`` attr ``subject``, from ``linguistic``) overlaps an ``entity`` annotation whose
  ``id`` is in ``data/rhetoric/leaders.tsv``. ``None`` when the article has no sentences.
* **honorific density** — ``rhetoric_term`` annotations of category ``honorific`` ("great",
  "respected", "dear", "peerless", "ever-victorious", ...) per 1,000 words.
* **superlative density** — category ``superlative`` per 1,000 words: -est words (less the
  listed non-superlatives), "most"/"least" + word, and irregular ones ("best", "utmost").
* **enemy-naming density** — category ``enemy`` ("puppet", "imperialists", "warmongers",
  "traitor", ...) per 1,000 words.

Words are counted as runs of letters/digits (hyphenated words count once), so densities
are comparable across outlets and years whatever the tokenizer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..datafiles import read_text, read_tsv
from ..model import Annotation, Document

__all__ = ["CATEGORIES", "RhetoricTerms", "article_indicators", "find_terms", "leader_ids", "word_count"]

CATEGORIES = ("honorific", "superlative", "enemy")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@cache
def leader_ids() -> frozenset[str]:
    """Entity ids of the supreme leaders (data/rhetoric/leaders.tsv)."""
    return frozenset(row["id"] for row in read_tsv("rhetoric/leaders.tsv"))


@cache
def _patterns() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], re.Pattern[str], frozenset[str]]:
    terms = {row["term"].lower(): row["category"] for row in read_tsv("rhetoric/terms.tsv")}
    # Longest first, so "dear respected" wins over "dear" at the same place.
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    lexicon = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    spec: dict[str, Any] = json.loads(read_text("rhetoric/superlatives.json"))
    return (
        lexicon,
        terms,
        re.compile(spec["pattern"]),
        re.compile(spec["most_pattern"], re.IGNORECASE),
        frozenset(spec["not_superlative"]),
    )


def word_count(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


def find_terms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, category) of every lexicon term and regular superlative in ``text``."""
    lexicon, terms, est, most, not_superlative = _patterns()
    found = [(m.start(), m.end(), terms[m.group().lower()]) for m in lexicon.finditer(text)]
    taken = {(s, e) for s, e, _ in found}
    found += [
        (m.start(), m.end(), "superlative")
        for m in est.finditer(text)
        if m.group().lower() not in not_superlative and (m.start(), m.end()) not in taken
    ]
    found += [(m.start(), m.end(), "superlative") for m in most.finditer(text)]
    return sorted(found)


class RhetoricTerms:
    """Honorifics, superlatives and enemy-naming terms as ``rhetoric_term`` annotations."""

    name = "rhetoric_terms"
    version = "1"
    requires: tuple[str, ...] = ()
    assigns = ("rhetoric_term",)

    @dataclass(frozen=True)
    class Options:
        pass

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        doc.add(
            Annotation(s, e, "rhetoric_term", {"category": cat, "term": doc.text[s:e].lower()}, self.name)
            for s, e, cat in find_terms(doc.text)
        )
        return doc


def _leader_subject(sentence: Annotation, leaders: Iterable[Annotation]) -> bool:
    subject = sentence.attrs.get("subject")
    return subject is not None and any(e.overlaps(subject[0], subject[1]) for e in leaders)


def article_indicators(doc: Document) -> dict[str, Any]:
    """Per-article indicators from the annotations of ``doc`` (definitions in the module docstring)."""
    words = word_count(doc.text)
    sentences = list(doc.spans("sentence"))
    leaders = [e for e in doc.spans("entity") if e.attrs.get("id") in leader_ids()]
    leader_subjects = sum(_leader_subject(s, leaders) for s in sentences)
    terms = Counter(a.attrs["category"] for a in doc.spans("rhetoric_term"))
    per_k = 1000.0 / words if words else 0.0
    return {
        "words": words,
        "sentences": len(sentences),
        "leader_subject_sentences": leader_subjects,
        "leader_centrality": leader_subjects / len(sentences) if sentences else None,
        **{f"{cat}_per_1000": terms[cat] * per_k for cat in CATEGORIES},
        "techniques": dict(Counter(a.attrs["technique"] for a in doc.spans("technique"))),
    }
