"""The self-check of ``statemedia check-activities``: body against headline at corpus scale.

Over every non-reserved story whose headline states a leader's activity or clearly none
(``headline_kinds.tsv``), how often the body's first activity has the headline's kind (site
visits as one kind, party and other meetings as one), for stories the model trained on and for
stories it did not: the hashed held-out split ("heldout") and the stories of the hand-annotated
test sets ("test"), each apart and together ("not trained"); English and Spanish stories apart
("2011-12" is English, "2011-12 es" Spanish: KCNA 2011-12 is half Spanish, 2024 all English).

Held-out Spanish stories are the honest measure of the Spanish reading, so only their totals are
reported: the confusion table and the disagreements list Spanish train-split stories alone.
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
# Rows of the report, by _group(): English rows keep their old names.
_ROWS = ("2011-12", "2011-12 es", "2024")


def _group(corpus: str, language: str) -> str:
    return _GROUPS[corpus] if language == "en" else f"{_GROUPS[corpus]} {language}"


def _coarse(label: str) -> str:
    return _COARSE.get(label, label)


@dataclass
class Check:
    """Agreement of body and headline, by corpus group and split."""

    counts: Counter[tuple[str, str, bool]] = field(default_factory=Counter)  # (group, split, agrees)
    # (language, "not trained" or "train", headline, body): English stories not trained on, Spanish
    # train-split stories (held-out Spanish ones are counted in ``counts`` only).
    confusion: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    disagreements: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        rows = {}
        for group in _ROWS:
            for name, splits in (("train", ("train",)), ("heldout", ("heldout",)), ("test", ("test",)),
                                 ("not-trained", ("heldout", "test"))):
                agree = sum(self.counts[(group, split, True)] for split in splits)
                total = agree + sum(self.counts[(group, split, False)] for split in splits)
                rows[f"{group} {name}"] = {"agree": agree, "stories": total, "share": agree / total if total else None}
        return {
            "agreement": rows,
            "confusion": [
                {"language": lang, "split": split, "headline": h, "body": b, "stories": n}
                for (lang, split, h, b), n in self.confusion.most_common()
            ],
            # The 20 commonest of each language (Spanish: train-split stories only).
            "disagreements": [
                {"headline": h, "body": b, "stories": len(ids), "examples": ids[:3]}
                for spanish in (False, True)
                for (h, b), ids in sorted(
                    ((k, v) for k, v in self.disagreements.items() if k[0].endswith(")") == spanish),
                    key=lambda kv: -len(kv[1]),
                )[:20]
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
        result.counts[(_group(story.corpus, story.language), split, agrees)] += 1
        if story.language != "en" and split != "train":
            continue  # held-out Spanish stories: totals only (module docstring)
        if story.language != "en" or split != "train":
            result.confusion[(story.language, "train" if split == "train" else "not trained",
                              _coarse(headline), _coarse(body))] += 1
        if not agrees:
            key = (headline, body) if story.language == "en" else (f"{headline} ({story.language})", body)
            result.disagreements.setdefault(key, []).append(f"{story.id} {story.title}")
        if progress is not None and n % 200 == 0:
            progress(n)
    return result
