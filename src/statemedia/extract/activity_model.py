"""The learned part of activity extraction: which leader mentions are activities, of which kind.

A multinomial logistic regression over the words around each mention (the predicate after his
name and titles, the few words before it), the curated cues' kinds as features (predicate
patterns ``activity_kinds.tsv``, left contexts ``activity_context.tsv``) and structural facts
(sentence position, pronoun, apposition, quotation, an old date in the sentence). Trained by
``python -m statemedia.training.activities`` on weak labels from KCNA headlines and the dev set
(docs/activities.md has the data, the measured agreement and the test-set scores); the weights
ship in ``data/activity_model.npz``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ..model import Document
from .activity_candidates import Candidate, lexicon, quoted, words

__all__ = ["NONE", "ActivityModel", "candidate_features", "load_model"]

NONE = "none"
_PREDICATE_WORDS = 10
_LEFT_WORDS = 3


def candidate_features(doc: Document, candidate: Candidate, old_date: bool) -> list[str]:
    """The features of one candidate mention (strings; the model's vocabulary maps them)."""
    text = doc.text
    lex = lexicon()
    right = candidate.right(text)
    left = candidate.left(text)
    rw, lw = words(right, _PREDICATE_WORDS), words(left, 40)[-_LEFT_WORDS:]
    feats = [
        "bias",
        f"lex={lex.predicate_kind(right)}",
        f"ctx={lex.left_kind(left)}",
        f"sent={min(candidate.sentence, 3)}",
    ]
    if candidate.pronoun:
        feats.append("pronoun")
    if candidate.apposition:
        feats.append("apposition")
    if old_date:
        feats.append("old_date")
    if quoted(text, candidate.start, candidate.mention[0]):
        feats.append("quoted")
    if text.startswith(("'s", "’s"), candidate.mention[1]):
        feats.append("possessive")
    if not lw:
        feats.append("at_start")
    for i, w in enumerate(rw[:3]):
        feats.append(f"r{i}={w}")
    if len(rw) >= 2:
        feats.append(f"r01={rw[0]}_{rw[1]}")
    feats += [f"r={w}" for w in rw]
    feats += [f"rb={a}_{b}" for a, b in zip(rw[:8], rw[1:8], strict=False)]
    if lw:
        feats.append(f"l1={lw[-1]}")
        feats += [f"l={w}" for w in lw]
    return feats


@dataclass(frozen=True)
class ActivityModel:
    """Weights over a feature vocabulary; ``predict`` gives each candidate's label and probability."""

    vocabulary: dict[str, int]
    classes: tuple[str, ...]
    coef: np.ndarray  # (features, classes)
    intercept: np.ndarray  # (classes,)

    def probabilities(self, features: list[list[str]]) -> np.ndarray:
        scores = np.tile(self.intercept, (len(features), 1)).astype(np.float32)
        for row, feats in enumerate(features):
            idx = [i for f in feats if (i := self.vocabulary.get(f)) is not None]
            if idx:
                scores[row] += self.coef[idx].sum(axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict(self, features: list[list[str]]) -> list[tuple[str, float]]:
        if not features:
            return []
        probs = self.probabilities(features)
        best = probs.argmax(axis=1)
        return [(self.classes[int(b)], float(probs[row, b])) for row, b in enumerate(best)]

    def save(self, path: str) -> None:
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            vocabulary=np.array(names),
            classes=np.array(self.classes),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )


def read_model(source: object) -> ActivityModel:
    with np.load(source, allow_pickle=False) as data:  # type: ignore[call-overload]
        names = [str(v) for v in data["vocabulary"]]
        return ActivityModel(
            vocabulary={name: i for i, name in enumerate(names)},
            classes=tuple(str(c) for c in data["classes"]),
            coef=data["coef"].astype(np.float32),
            intercept=data["intercept"].astype(np.float32),
        )


@cache
def load_model(name: str = "activity_model.npz") -> ActivityModel:
    """The shipped model (``statemedia/data/<name>``)."""
    with resources.files("statemedia").joinpath("data", name).open("rb") as fh:
        return read_model(fh)
