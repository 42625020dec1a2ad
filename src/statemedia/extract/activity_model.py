"""The learned part of activity extraction: which leader mentions are activities, of which kind.

Two logistic regressions (:class:`ActivityModel`: a detector and a kind head) over the words around
each mention (the predicate after his name and titles, the few words before it), the curated cues'
kinds as features (predicate patterns ``activity_kinds.tsv``, left contexts ``activity_context.tsv``)
and structural facts (subject position, sentence index, pronoun, apposition, quotation, possessive,
an old date in the sentence). Trained by ``python -m statemedia.training.activities`` on hand-labelled
train-split stories, headline weak labels and the dev set (``training.activity_data``;
docs/activities.md has the data, the measured agreement and the test-set scores); the weights ship
in ``data/activity_model.npz``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import IO

import numpy as np

from ..model import Document
from .activity_candidates import Candidate, lexicon, quoted, words
from .activity_rules import load_rules

__all__ = [
    "ACTIVITY", "ATTENDS", "CONVEY", "KINDS", "NONE", "ActivityModel", "LinearModel", "candidate_features", "cue_kind",
    "load_model",
]

NONE = "none"
ACTIVITY = "activity"
# Features of two voices whose structure says what he did (seventh round): an occasion held in his
# presence, not recalled (his attendance), and greetings he is asked to receive (mail he receives).
ATTENDS = "attends"
CONVEY = "convey_request"
# The kinds of activity logged (docs/activities-annotation.md); correspondence has a direction.
KINDS = (
    "field_guidance",
    "inspection",
    "visit",
    "performance",
    "meeting",
    "correspondence",
    "ceremony",
    "photo_session",
    "military_drill",
    "party_meeting",
    "speech",
)
_PREDICATE_WORDS = 10
_LEFT_WORDS = 3


def candidate_features(doc: Document, candidate: Candidate, old_date: bool) -> list[str]:
    """The features of one candidate mention (strings; the model's vocabulary maps them)."""
    text = doc.text
    lex = lexicon()
    right = candidate.right(text)
    left = candidate.left(text)
    rw, lw = words(right, _PREDICATE_WORDS), words(left, 40)[-_LEFT_WORDS:]
    predicate, context = lex.predicate_kind(right), lex.left_kind(left)
    feats = [
        "bias",
        f"lex={predicate}",
        f"ctx={context}",
        f"sent={min(candidate.sentence, 3)}",
    ]
    # Whether a cue names any kind he does: shared by all kinds, so that kinds with few labelled
    # examples (inspections, drills) are detected from what every kind's examples teach.
    if predicate in KINDS:
        feats.append("lex_kind")
    if context in KINDS:
        feats.append("ctx_kind")
    rules = load_rules()
    if context == "correspondence_received" and rules.convey_request.search(left):
        # "X asked the ambassador to convey his regards to Kim Jong Un": greetings sent to him, unlike the
        # messages to him adopted at seminars that the same cue also reads (seventh round).
        feats.append(CONVEY)
    elif rules.presence.search(left) and not rules.presence_recalled.search(left):
        # "A military parade took place ... in the presence of Kim Jong Un": his attendance, unlike the
        # day "when they performed in the presence of" him that a sentence recalls (seventh round).
        feats.append(ATTENDS)
    if candidate.pronoun:
        # Spanish reports that go on without a subject have their own weight: most English "He ..."
        # sentences retell deeds in praise, most Spanish "Luego, recorrio ..." report the next stop.
        feats.append("continues" if candidate.continues else "pronoun")
    if candidate.conjoined:
        feats.append("conjoined")  # a second predicate of his in the sentence ("... and watched")
    if candidate.apposition:
        feats.append("apposition")
    if candidate.subject:
        feats.append("subject")
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
    feats += [f"rb={a}_{b}" for a, b in pairwise(rw[:8])]
    if lw:
        feats.append(f"l1={lw[-1]}")
        feats += [f"l={w}" for w in lw]
    return feats


@dataclass(frozen=True)
class LinearModel:
    """Weights over a feature vocabulary: a multinomial logistic regression."""

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

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            f"{prefix}vocabulary": np.array(names),
            f"{prefix}classes": np.array(self.classes),
            f"{prefix}coef": self.coef.astype(np.float16),
            f"{prefix}intercept": self.intercept.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, data: Mapping[str, np.ndarray], prefix: str) -> LinearModel:
        names = [str(v) for v in data[f"{prefix}vocabulary"]]
        return cls(
            vocabulary={name: i for i, name in enumerate(names)},
            classes=tuple(str(c) for c in data[f"{prefix}classes"]),
            coef=data[f"{prefix}coef"].astype(np.float32),
            intercept=data[f"{prefix}intercept"].astype(np.float32),
        )


@dataclass(frozen=True)
class ActivityModel:
    """Two heads over the same features: ``detector`` says whether a mention is an activity of his
    (``activity``), mail he received (``correspondence_received``) or ``none``; ``kinds`` says which
    kind an activity is where the curated predicate cue names none. The cue's kind wins where there
    is one: labelled activities are too few for every kind (docs/activities.md), the cues cover them."""

    detector: LinearModel
    kinds: LinearModel

    def predict(self, features: list[list[str]], subject_none_floor: float = 1.0) -> list[tuple[str, float]]:
        """Each candidate's label (a kind, ``correspondence_received`` or ``none``) and the detector's
        probability. A mention that is its sentence's subject with a cued kind of activity after it
        ("Kim Jong Un, ..., inspected") is that activity unless the detector gives "none" at least
        ``subject_none_floor``: structure the few labelled site visits cannot teach (docs/activities.md)."""
        if not features:
            return []
        detected = self.detector.probabilities(features)
        kinds = self.kinds.probabilities(features)
        none = self.detector.classes.index(NONE)
        out: list[tuple[str, float]] = []
        for row, feats in enumerate(features):
            best = int(detected[row].argmax())
            label, p = self.detector.classes[best], float(detected[row, best])
            cue = cue_kind(feats)
            if (
                label == NONE
                and cue is not None
                and "subject" in feats
                and "lex_kind" in feats
                and p < subject_none_floor
            ):
                label, p = ACTIVITY, 1.0 - float(detected[row, none])
            if label == ACTIVITY:
                label = cue if cue is not None else self.kinds.classes[int(kinds[row].argmax())]
            out.append((label, p))
        return out

    def save(self, path: str) -> None:
        arrays = {**self.detector.arrays("detector_"), **self.kinds.arrays("kinds_")}
        np.savez_compressed(path, allow_pickle=False, **arrays)


def cue_kind(features: list[str]) -> str | None:
    """The kind a curated cue names (after the name first, then before it), if any."""
    for prefix in ("lex=", "ctx="):
        kind = next((f[len(prefix) :] for f in features if f.startswith(prefix)), "unknown")
        if kind in KINDS:
            return kind
    return None


def read_model(source: str | IO[bytes]) -> ActivityModel:
    """A model saved by :meth:`ActivityModel.save`."""
    with np.load(source, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    return ActivityModel(LinearModel.from_arrays(arrays, "detector_"), LinearModel.from_arrays(arrays, "kinds_"))


@cache
def load_model(name: str = "activity_model.npz") -> ActivityModel:
    """The shipped model (``statemedia/data/<name>``)."""
    with resources.files("statemedia").joinpath("data", name).open("rb") as fh:
        return read_model(fh)
