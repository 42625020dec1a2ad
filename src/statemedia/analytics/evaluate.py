"""Scoring activity extraction against a hand-annotated dev set (``tests/data/activities_dev.jsonl``).

A dev record names a KCNA story by id and lists the activities a reader finds in it
(actor, kind, target, date, entourage names in text order); the story text is read from
the shared KCNA corpus, never copied. Predicted and gold activities of a story are paired
by actor. Scores: detection precision/recall/F1; over paired activities, kind, target and
date accuracy, entourage names as set precision/recall/F1 (micro) and entourage order
exact (paired activities whose gold entourage is not empty).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..capture.records import capture_record
from ..errors import InputError
from ..model import Document
from .activities import Activity, activities, activity_pipeline

__all__ = ["Scores", "evaluate", "f1", "load_dev", "ratio", "read_stories", "score", "target_match"]


def load_dev(path: str | Path) -> list[dict[str, Any]]:
    """The dev records of a JSON Lines file."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read dev set: {exc.strerror or exc}", where=str(path)) from None
    return [json.loads(line) for line in lines if line.strip()]


def read_stories(ids: Iterable[str], kcna_dir: str | Path) -> Iterator[Document]:
    """Captured documents for the KCNA story ids given, from ``kcna-YYYY.jsonl.gz`` files (and the
    current-KCNA file in the sibling ``kcna-2024`` folder); the first record of an id counts."""
    wanted = set(ids)
    paths = sorted(Path(kcna_dir).glob("kcna-*.jsonl.gz")) + sorted(Path(kcna_dir).parent.glob("kcna-2024/*.jsonl.gz"))
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not wanted:
                    return
                record = json.loads(line)
                if record.get("id") in wanted:
                    wanted.discard(record["id"])
                    yield capture_record(record, location=f"{path}:{record['id']}")
    if wanted:
        raise InputError(f"stories not found: {sorted(wanted)[:5]}", where=str(kcna_dir))


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (text or "").lower())) - {"the", "a", "an", "of"}


def target_match(predicted: str | None, gold: str | None) -> bool:
    """Same target as worded: one contains the other, or they share half their words."""
    p, g = _words(predicted), _words(gold)
    if not p or not g:
        return p == g
    return p <= g or g <= p or len(p & g) / len(p | g) >= 0.5


def ratio(a: int, b: int) -> float:
    """``a / b``, 1.0 when there is nothing to count (no predictions: no false alarms)."""
    return a / b if b else 1.0


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    paired: int = 0
    kind: int = 0
    target: int = 0
    date: int = 0
    names_tp: int = 0
    names_fp: int = 0
    names_fn: int = 0
    ordered: int = 0
    with_entourage: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int]:
        precision, recall = ratio(self.paired, self.predicted), ratio(self.paired, self.gold)
        n_p = ratio(self.names_tp, self.names_tp + self.names_fp)
        n_r = ratio(self.names_tp, self.names_tp + self.names_fn)
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "detection_precision": precision,
            "detection_recall": recall,
            "detection_f1": f1(precision, recall),
            "kind_accuracy": ratio(self.kind, self.paired),
            "target_accuracy": ratio(self.target, self.paired),
            "date_accuracy": ratio(self.date, self.paired),
            "entourage_precision": n_p,
            "entourage_recall": n_r,
            "entourage_f1": f1(n_p, n_r),
            "entourage_order_exact": ratio(self.ordered, self.with_entourage),
        }


def _same_kind(p: Activity, g: Mapping[str, Any]) -> bool:
    """Same kind, and for correspondence the same direction (sets without one mean sent)."""
    if p.kind != g["kind"]:
        return False
    return p.kind != "correspondence" or (p.direction or "sent") == (g.get("direction") or "sent")


def _pair(predicted: list[Activity], gold: list[Mapping[str, Any]]) -> Iterator[tuple[Activity, Mapping[str, Any]]]:
    free = list(predicted)
    for g in gold:
        match = next((p for p in free if p.actor == g["actor"] and _same_kind(p, g)), None)
        match = match or next((p for p in free if p.actor == g["actor"]), None)
        if match is not None:
            free.remove(match)
            yield match, g


def score(dev: list[dict[str, Any]], predicted: Mapping[str, list[Activity]]) -> Scores:
    """Scores of ``predicted`` (activities by story id) against the dev records."""
    s = Scores()
    for record in dev:
        # "other" (orders, measures, publications) is annotated but no kind the extractor logs.
        gold = [a for a in record["activities"] if a["kind"] != "other"]
        pred = predicted.get(record["id"], [])
        s.gold += len(gold)
        s.predicted += len(pred)
        pairs = list(_pair(pred, gold))
        s.paired += len(pairs)
        if len(pairs) < max(len(gold), len(pred)):
            s.errors.append(f"{record['id']}: detection gold={len(gold)} predicted={len(pred)}")
        for p, g in pairs:
            checks = {
                "kind": _same_kind(p, g),
                "target": target_match(p.target, g.get("target")),
                "date": (p.day.isoformat() if p.day else None) == g.get("date"),
            }
            s.kind += checks["kind"]
            s.target += checks["target"]
            s.date += checks["date"]
            for name, ok in checks.items():
                if not ok:
                    s.errors.append(f"{record['id']}: {name} {getattr(p, name if name != 'date' else 'day')!r}")
            names, gold_names = p.entourage_names, list(g.get("entourage") or [])
            s.names_tp += len(set(names) & set(gold_names))
            s.names_fp += len(set(names) - set(gold_names))
            s.names_fn += len(set(gold_names) - set(names))
            if gold_names:
                s.with_entourage += 1
                s.ordered += names == gold_names
            if set(names) != set(gold_names):
                missing, extra = sorted(set(gold_names) - set(names)), sorted(set(names) - set(gold_names))
                s.errors.append(f"{record['id']}: entourage missing {missing} extra {extra}")
    return s


def evaluate(dev_path: str | Path | Iterable[str | Path], kcna_dir: str | Path) -> Scores:
    """Analyse the stories of one annotated file (or several) with the activity pipeline and score them."""
    paths = [dev_path] if isinstance(dev_path, str | Path) else list(dev_path)
    dev = [record for path in paths for record in load_dev(path)]
    pipeline = activity_pipeline()
    predicted: dict[str, list[Activity]] = {}
    for doc in read_stories((r["id"] for r in dev), kcna_dir):
        predicted[doc.id] = list(activities([pipeline(doc)]))
    return score(dev, predicted)
