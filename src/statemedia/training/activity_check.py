"""The self-check of ``statemedia check-activities``: body against headline at corpus scale.

Over every non-reserved story whose headline states a leader's activity or clearly none
(``headline_kinds.tsv``), how often the body's first activity has the headline's kind (site
visits as one kind, party and other meetings as one), for stories the model trained on and for
stories it did not: the hashed held-out split ("heldout") and the stories of the hand-annotated
test sets ("test"), each apart and together ("not trained").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extract.activity_model import NONE
from ..model import Document
from .activity_data import labelled_stories, prepare, story_document

__all__ = ["Check", "check", "predicted_label"]

_COARSE = {
    "field_guidance": "site_visit",
    "inspection": "site_visit",
    "visit": "site_visit",
    "party_meeting": "meeting",
}
_GROUPS = {"kcna-2011": "2011-12", "kcna-2012": "2011-12", "kcna-2024": "2024"}


def _coarse(label: str) -> str:
    return _COARSE.get(label, label)


@dataclass
class Check:
    """Agreement of body and headline, by corpus group and split."""

    counts: Counter[tuple[str, str, bool]] = field(default_factory=Counter)  # (group, split, agrees)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    disagreements: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        rows = {}
        for group in ("2011-12", "2024"):
            for name, splits in (("train", ("train",)), ("heldout", ("heldout",)), ("test", ("test",)),
                                 ("not-trained", ("heldout", "test"))):
                agree = sum(self.counts[(group, split, True)] for split in splits)
                total = agree + sum(self.counts[(group, split, False)] for split in splits)
                rows[f"{group} {name}"] = {"agree": agree, "stories": total, "share": agree / total if total else None}
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
    pipeline, extractor = prepare()
    result = Check()
    for n, (story, label, split) in enumerate(labelled_stories(shared, ("train", "heldout", "test")), 1):
        doc = extractor(pipeline(story_document(story)))
        headline = "correspondence_sent" if label == "correspondence" else label
        body = predicted_label(doc)
        agrees = _coarse(body) == _coarse(headline)
        result.counts[(_GROUPS[story.corpus], split, agrees)] += 1
        if split != "train":
            result.confusion[(_coarse(headline), _coarse(body))] += 1
        if not agrees:
            result.disagreements.setdefault((headline, body), []).append(f"{story.id} {story.title}")
        if progress is not None and n % 200 == 0:
            progress(n)
    return result
