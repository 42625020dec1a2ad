"""Scoring quotation extraction against a hand-annotated set (``tests/data/quotations_{dev,test}.jsonl``).

A record names a KCNA story by id and lists, in text order, the quotations a reader logs in it:
``kind``, ``starts`` (the first words of the quoted or reported words as written) and ``speaker``.
The story text is read from the shared KCNA corpus, never copied.

Matching: a gold quotation sits where its ``starts`` words occur - the first occurrence after the
previous gold quotation of the story, right after an opening quotation mark for every kind but
``indirect`` (so "defection" is not found inside "operation for defection"). A predicted ``quote``
matches it when its span covers that position; pairs are made one to one, nearest predicted start
first (a quote nested in a reported clause pairs with its own prediction, not the clause's).

Scores: detection precision/recall/F1 over quotations of all kinds; kind accuracy over matched
pairs; speaker accuracy over matched pairs whose gold kind is ``direct`` or ``indirect``. A speaker
is right when the predicted ``speaker_name`` or ``speaker`` contains (case-insensitively, as whole
words) the gold speaker's key: the whole gold speaker when every word of it is capitalised (a proper
name: "Ju Jin A", "Russian Foreign Ministry", in whichever order its surname comes), else its head
word, the last word before " of "/" for "/"," ("chairman of the Youth Group" -> "chairman").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Annotation, Document
from ..registry import build_pipeline
from .evaluate_activities import f1, load_dev, ratio, read_stories

__all__ = ["QuoteScores", "evaluate_quotations", "score_story", "speaker_key", "speaker_match"]

# The pipeline the quotations component needs: its sentence clauses and linked entities.
PIPELINE = ["numbers", "juche", "dates", "acronyms", "linguistic", "entities", "quotations"]
SPEECH = ("direct", "indirect")


def speaker_key(gold: str) -> str:
    """The words a predicted speaker must contain to name the gold speaker (module docstring)."""
    words = gold.split()
    if all(w[0].isupper() for w in words):
        return gold
    return re.split(r" of | for |,", gold, maxsplit=1)[0].split()[-1]


def speaker_match(attrs: Mapping[str, Any], gold: str | None) -> bool:
    if not gold:
        return not (attrs.get("speaker") or attrs.get("speaker_name"))
    key = re.compile(rf"(?<!\w){re.escape(speaker_key(gold))}(?!\w)", re.I)
    return any(key.search(str(attrs.get(f) or "")) for f in ("speaker_name", "speaker"))


@dataclass
class QuoteScores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    kind: int = 0
    speech: int = 0
    speaker: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int]:
        precision, recall = ratio(self.matched, self.predicted), ratio(self.matched, self.gold)
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "detection_precision": precision,
            "detection_recall": recall,
            "detection_f1": f1(precision, recall),
            "kind_accuracy": ratio(self.kind, self.matched),
            "speaker_accuracy": ratio(self.speaker, self.speech),
        }


def _positions(doc: Document, gold: list[Mapping[str, Any]]) -> Iterator[int]:
    at = -1
    for quote in gold:
        pattern = re.escape(quote["starts"])
        if quote["kind"] != "indirect":
            pattern = '(?<=["“])' + pattern
        found = re.compile(pattern).search(doc.text, at + 1)
        if found is None:
            raise InputError(f"gold quotation {quote['starts']!r} not found in order", where=doc.id)
        at = found.start()
        yield at


def score_story(doc: Document, gold: list[Mapping[str, Any]], scores: QuoteScores) -> None:
    """Add the story's matches and disagreements to ``scores``."""
    predicted = list(doc.spans("quote"))
    positions = list(_positions(doc, gold))
    pairs = sorted(
        (pos - p.start, g, i)
        for g, pos in enumerate(positions)
        for i, p in enumerate(predicted)
        if p.start <= pos < p.end
    )
    matched: dict[int, Annotation] = {}
    used: set[int] = set()
    for _, g, i in pairs:
        if g not in matched and i not in used:
            matched[g] = predicted[i]
            used.add(i)
    scores.gold += len(gold)
    scores.predicted += len(predicted)
    scores.matched += len(matched)
    for g, quote in enumerate(gold):
        p = matched.get(g)
        if p is None:
            scores.errors.append(f"{doc.id}: missed {quote['kind']} {quote['starts']!r}")
            continue
        kind = p.attrs.get("kind")
        scores.kind += kind == quote["kind"]
        if kind != quote["kind"]:
            scores.errors.append(f"{doc.id}: kind {kind} for {quote['kind']} {quote['starts']!r}")
        if quote["kind"] in SPEECH:
            scores.speech += 1
            right = speaker_match(p.attrs, quote.get("speaker"))
            scores.speaker += right
            if not right:
                said = p.attrs.get("speaker_name") or p.attrs.get("speaker")
                scores.errors.append(f"{doc.id}: speaker {said!r} for {quote['speaker']!r} {quote['starts']!r}")
    for i, p in enumerate(predicted):
        if i not in used:
            scores.errors.append(f"{doc.id}: extra {p.attrs.get('kind')} {doc.text[p.start : p.start + 40]!r}")


def evaluate_quotations(path: str | Path, kcna_dir: str | Path) -> QuoteScores:
    """Analyse the annotated stories with the quotation pipeline and score them."""
    records = {r["id"]: r["quotes"] for r in load_dev(path)}
    pipeline = build_pipeline(names=PIPELINE)
    scores = QuoteScores()
    for doc in read_stories(records, kcna_dir):
        score_story(pipeline(doc), records[doc.id], scores)
    return scores
