"""Scoring activity extraction against hand-annotated sets (``tests/data/activities_*.jsonl``).

A record names a KCNA story by id and lists the activities a reader finds in it (actor, kind,
direction, evidence, target, date, and the protocol lists: entourage, present, hosts, names in
text order; docs/activities-annotation.md); the story text is read from the shared corpus, never
copied. A predicted activity pairs with the gold one whose evidence lies in its sentence, else
with one of the same actor and kind. Scores: detection precision/recall/F1; over paired
activities, kind (with direction), target and date accuracy; for each protocol role its names as
set precision/recall/F1 (micro) and order exact (paired activities whose gold list is not empty).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analytics.activities import PROTOCOL_ROLES, Activity, activities, activity_pipeline
from ..capture.records import capture_record
from ..errors import InputError
from ..model import Document

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
class _Names:
    """Names of one protocol role over paired activities: set precision/recall, order exact."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    ordered: int = 0
    lists: int = 0  # paired activities whose gold list is not empty

    def add(self, names: list[str], gold: list[str]) -> None:
        self.tp += len(set(names) & set(gold))
        self.fp += len(set(names) - set(gold))
        self.fn += len(set(gold) - set(names))
        if gold:
            self.lists += 1
            self.ordered += names == gold

    def as_dict(self, role: str) -> dict[str, float | int]:
        p, r = ratio(self.tp, self.tp + self.fp), ratio(self.tp, self.tp + self.fn)
        return {
            f"{role}_lists": self.lists,
            f"{role}_precision": p,
            f"{role}_recall": r,
            f"{role}_f1": f1(p, r),
            f"{role}_order_exact": ratio(self.ordered, self.lists),
        }


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    paired: int = 0
    kind: int = 0
    target: int = 0
    date: int = 0
    roles: dict[str, _Names] = field(default_factory=lambda: {role: _Names() for role in PROTOCOL_ROLES})
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, float | int]:
        precision, recall = ratio(self.paired, self.predicted), ratio(self.paired, self.gold)
        scores: dict[str, float | int] = {
            "gold": self.gold,
            "predicted": self.predicted,
            "detection_precision": precision,
            "detection_recall": recall,
            "detection_f1": f1(precision, recall),
            "kind_accuracy": ratio(self.kind, self.paired),
            "target_accuracy": ratio(self.target, self.paired),
            "date_accuracy": ratio(self.date, self.paired),
        }
        for role, names in self.roles.items():
            scores.update(names.as_dict(role))
        return scores


def _same_kind(p: Activity, g: Mapping[str, Any]) -> bool:
    """Same kind, and for correspondence the same direction (sets without one mean sent)."""
    if p.kind != g["kind"]:
        return False
    return p.kind != "correspondence" or (p.direction or "sent") == (g.get("direction") or "sent")


def locate(evidence: str, text: str) -> int | None:
    """Where a gold ``evidence`` (verbatim from the raw body) starts in the clean text: capture may
    have put spaces back or moved line breaks, so both are compared without whitespace."""
    squeezed = re.sub(r"\s+", "", evidence)
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    found = "".join(text[i] for i in positions).find(squeezed)
    return positions[found] if found >= 0 and squeezed else None


def _pair(
    predicted: list[Activity], gold: list[Mapping[str, Any]], text: str | None
) -> Iterator[tuple[Activity, Mapping[str, Any]]]:
    """Pairs by evidence first (the predicted sentence holds the gold evidence), then by actor and kind."""
    free, left = list(predicted), []
    for g in gold:
        at = locate(str(g["evidence"]), text) if text is not None and g.get("evidence") else None
        match = next(
            (p for p in free if at is not None and p.evidence and p.evidence[0] <= at < p.evidence[1]), None
        )
        if match is None:
            left.append(g)
            continue
        free.remove(match)
        yield match, g
    for g in left:
        match = next((p for p in free if p.actor == g["actor"] and _same_kind(p, g)), None)
        match = match or next((p for p in free if p.actor == g["actor"]), None)
        if match is not None:
            free.remove(match)
            yield match, g


def score(
    dev: list[dict[str, Any]], predicted: Mapping[str, list[Activity]], texts: Mapping[str, str] | None = None
) -> Scores:
    """Scores of ``predicted`` (activities by story id) against the annotated records."""
    s = Scores()
    for record in dev:
        # "other" (orders, measures, publications) is annotated but no kind the extractor logs.
        gold = [a for a in record["activities"] if a["kind"] != "other"]
        pred = predicted.get(record["id"], [])
        s.gold += len(gold)
        s.predicted += len(pred)
        pairs = list(_pair(pred, gold, (texts or {}).get(record["id"])))
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
            for role, names in s.roles.items():
                mine, theirs = [str(m["name"]) for m in p.members(role)], list(g.get(role) or [])
                names.add(mine, theirs)
                if set(mine) != set(theirs):
                    missing, extra = sorted(set(theirs) - set(mine)), sorted(set(mine) - set(theirs))
                    s.errors.append(f"{record['id']}: {role} missing {missing} extra {extra}")
    return s


def evaluate(
    dev_path: str | Path | Iterable[str | Path], kcna_dir: str | Path, prefixes: tuple[str, ...] = ("",)
) -> Scores:
    """Analyse the stories of one annotated file (or several) with the activity pipeline and score them;
    ``prefixes`` keeps the stories whose id starts with one of them (``("kcna-2024-",)``)."""
    paths = [dev_path] if isinstance(dev_path, str | Path) else list(dev_path)
    dev = [record for path in paths for record in load_dev(path) if str(record["id"]).startswith(prefixes)]
    pipeline = activity_pipeline()
    predicted: dict[str, list[Activity]] = {}
    texts: dict[str, str] = {}
    for doc in read_stories((r["id"] for r in dev), kcna_dir):
        predicted[doc.id] = list(activities([pipeline(doc)]))
        texts[doc.id] = doc.text
    return score(dev, predicted, texts)
