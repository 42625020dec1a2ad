"""Training the activity model and checking it against headlines at corpus scale.

``python -m statemedia.training.activities`` (``make train``) rebuilds
``statemedia/data/activity_model.npz`` from:

* weak labels: every train-split story (``training.splits``; never reserved or held-out, never
  a blind test story) whose headline names a leader and says what he did, or clearly that he did
  nothing (``headline_kinds.tsv``). A story labelled with a kind lends it to its first mention
  whose curated cue agrees (or, failing that, its first mention as a subject); every mention in a
  story labelled "none" is a "none" example;
* the hand-annotated dev set (``tests/data/activities_dev.jsonl``): each gold activity's kind to
  its first agreeing mention, every other mention "none".

:func:`check` is the self-check ``statemedia check-activities`` prints: over every non-reserved
story with a headline label, how often the body's first activity has the headline's kind, for
trained and held-out stories apart.
"""

from __future__ import annotations

import json

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..capture.records import capture_record
from ..config import load_config, options_for
from ..extract.activities import ActivityExtractor, sentences

from ..extract.activity_model import NONE, ActivityModel
from ..model import Document
from ..registry import build_pipeline
from .splits import reserved_ids, split_of
from .weak_labels import Story, headline_label, read_stories

__all__ = ["CORPORA", "Check", "check", "main", "test_set_ids", "train"]

ROOT = Path(__file__).resolve().parents[3]
CORPORA = ("data/kcna/kcna-2011.jsonl.gz", "data/kcna/kcna-2012.jsonl.gz", "data/kcna-2024/kcna-2024-dev.jsonl.gz")
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "activity_model.npz"
_SITE = {"field_guidance": "site_visit", "inspection": "site_visit", "visit": "site_visit", "party_meeting": "meeting"}
_GROUPS = {"kcna-2011": "2011-12", "kcna-2012": "2011-12", "kcna-2024": "2024"}


def test_set_ids(tests_data: Path = ROOT / "tests" / "data") -> frozenset[str]:
    """Ids of every story in a hand-annotated activity set: never trained on (dev aside) nor checked."""
    ids: set[str] = set()
    for path in tests_data.glob("activities_*.jsonl"):
        if path.name != "activities_dev.jsonl":
            ids.update(json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line)
    return frozenset(ids)


def _doc(story: Story) -> Document:
    record = {"id": story.id, "date": story.date, "body": story.body, "title": story.title, "outlet": "KCNA"}
    return capture_record(record, location=story.id)


def labelled_stories(shared: Path, splits: tuple[str, ...]) -> Iterator[tuple[Story, str, str]]:
    """(story, headline label, split) for every non-reserved story with a label; the stories of
    the hand-annotated test sets count as held out (no model trains on them)."""
    reserved, tests = reserved_ids(shared), test_set_ids()
    for name in CORPORA:
        for story in read_stories(shared / name):
            split = split_of(story.id, reserved)
            split = "heldout" if story.id in tests and split != "reserved" else split
            label = headline_label(story.title)
            if label is None or split not in splits:
                continue
            # The model's class for sent correspondence is the kind itself.
            yield story, "correspondence" if label == "correspondence_sent" else label, split


def _agrees(label: str, feats: list[str]) -> bool:
    lex = next(f[4:] for f in feats if f.startswith("lex="))
    ctx = next(f[4:] for f in feats if f.startswith("ctx="))
    if label == "correspondence_received":
        return "correspondence_received" in (lex, ctx)
    return label in (lex, ctx)


def _examples(extractor: ActivityExtractor, doc: Document, gold: list[str]) -> Iterator[tuple[list[str], str]]:
    """Labelled mentions of one story: each gold label to its first agreeing mention."""
    found = extractor.candidates(doc, sentences(doc.text))
    if gold == [NONE]:
        yield from ((feats, NONE) for _, feats in found)
        return
    used: set[int] = set()
    for label in gold:
        pick = next((i for i, (_, f) in enumerate(found) if i not in used and _agrees(label, f)), None)
        if pick is None:
            pick = next((i for i, (c, f) in enumerate(found) if i not in used and not c.pronoun
                         and "possessive" not in f), None)
        if pick is not None:
            used.add(pick)
            yield found[pick][1], label


def _dev_gold(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[record["id"]] = [a["kind"] for a in record["activities"]]
    return out


def _prepare() -> tuple[Callable[[Document], Document], ActivityExtractor]:
    config = load_config()
    pipeline = build_pipeline(config, ("juche", "dates"))
    extractor = ActivityExtractor(options_for(ActivityExtractor.Options, config, "activities"))
    return pipeline, extractor


def train(shared: Path, out: Path = MODEL_PATH, c: float = 1.0) -> dict[str, int]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    pipeline, extractor = _prepare()
    features: list[dict[str, float]] = []
    labels: list[str] = []
    for story, label, _ in labelled_stories(shared, ("train",)):
        for feats, y in _examples(extractor, pipeline(_doc(story)), [label]):
            features.append(dict.fromkeys(feats, 1.0))
            labels.append(y)
    dev = _dev_gold(ROOT / "tests" / "data" / "activities_dev.jsonl")
    for name in CORPORA[:2]:
        for story in read_stories(shared / name):
            if story.id in dev:
                doc = pipeline(_doc(story))
                gold = dev[story.id] or [NONE]
                picked = list(_examples(extractor, doc, gold))
                for feats, y in picked:
                    features.append(dict.fromkeys(feats, 1.0))
                    labels.append(y)
                if gold != [NONE]:  # the dev set is exhaustive: its other mentions are no activity
                    chosen = {tuple(f) for f, _ in picked}
                    for _, feats in extractor.candidates(doc, sentences(doc.text)):
                        if tuple(feats) not in chosen:
                            features.append(dict.fromkeys(feats, 1.0))
                            labels.append(NONE)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(features)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x, labels)
    names = vectorizer.get_feature_names_out()
    ActivityModel(
        vocabulary={str(n): i for i, n in enumerate(names)},
        classes=tuple(str(k) for k in model.classes_),
        coef=np.asarray(model.coef_.T, dtype=np.float32),
        intercept=np.asarray(model.intercept_, dtype=np.float32),
    ).save(str(out))
    return dict(Counter(labels))


def _coarse(label: str) -> str:
    return _SITE.get(label, label)


@dataclass
class Check:
    """Agreement of body and headline, by corpus group and split."""

    counts: Counter[tuple[str, str, bool]] = field(default_factory=Counter)  # (group, split, agrees)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    disagreements: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def agreement(self, group: str, split: str) -> tuple[int, int]:
        agree = self.counts[(group, split, True)]
        return agree, agree + self.counts[(group, split, False)]

    def as_dict(self) -> dict[str, Any]:
        rows = {}
        for group in ("2011-12", "2024"):
            for split in ("train", "heldout"):
                agree, total = self.agreement(group, split)
                rows[f"{group} {split}"] = {"agree": agree, "stories": total, "share": agree / total if total else None}
        return {
            "agreement": rows,
            "confusion": [{"headline": h, "body": b, "stories": n} for (h, b), n in self.confusion.most_common()],
            "disagreements": [
                {"headline": h, "body": b, "stories": len(ids), "examples": ids[:3]}
                for (h, b), ids in sorted(self.disagreements.items(), key=lambda kv: -len(kv[1]))[:20]
            ],
        }


def predicted_label(doc: Document) -> str:
    """The body's first activity as a headline label (kind, correspondence by direction), or none."""
    events = [a for a in doc.spans("event") if a.producer == "activities"]
    if not events:
        return NONE
    attrs = events[0].attrs
    if attrs["kind"] == "correspondence":
        return "correspondence_received" if attrs.get("direction") == "received" else "correspondence_sent"
    return str(attrs["kind"])


def check(shared: Path, progress: Callable[[int], None] | None = None) -> Check:
    pipeline, extractor = _prepare()
    result = Check()
    for n, (story, label, split) in enumerate(labelled_stories(shared, ("train", "heldout")), 1):
        doc = extractor(pipeline(_doc(story)))
        headline = "correspondence_sent" if label == "correspondence" else label
        body = predicted_label(doc)
        agrees = _coarse(body) == _coarse(headline)
        group = _GROUPS[story.corpus]
        result.counts[(group, split, agrees)] += 1
        if split == "heldout":
            result.confusion[(_coarse(headline), _coarse(body))] += 1
        if not agrees:
            result.disagreements.setdefault((headline, body), []).append(f"{story.id} {story.title}")
        if progress is not None and n % 200 == 0:
            progress(n)
    return result


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    shared = Path(args[0]) if args else ROOT.parent / "shared"
    counts = train(shared)
    print(f"activity model: {MODEL_PATH.name} from {sum(counts.values())} labelled mentions {counts}", file=sys.stderr)
    return 0




if __name__ == "__main__":
    raise SystemExit(main())
