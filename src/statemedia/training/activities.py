"""Training the activity model: ``python -m statemedia.training.activities [SHARED] [--cv]``.

Rebuilds ``statemedia/data/activity_model.npz`` (``make train``) from the labelled mentions of
:mod:`.activity_data`: two logistic regressions (the detector and the kind head of
:class:`~statemedia.extract.activity_model.ActivityModel`), classes balanced, hand labels weighted
above weak ones. ``--cv`` instead prints 5-fold cross-validation by story over the hand-labelled
and dev stories (weak labels always in training) for a small grid of settings: the settings in
``SETTINGS`` were chosen from it (docs/activities.md); no test set takes part.
"""

from __future__ import annotations

import sys
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..extract.activity_model import ACTIVITY, KINDS, NONE, ActivityModel, LinearModel
from .activity_data import ROOT, Example, collect

__all__ = ["MODEL_PATH", "SETTINGS", "cross_validate", "fit", "main", "train"]

RECEIVED = "correspondence_received"
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "activity_model.npz"
# Inverse regularisation and the weight of a hand label against a weak one (chosen by --cv).
SETTINGS = {"c": 1.0, "hand_weight": 10.0}


def _linear(examples: Sequence[Example], labels: Sequence[str], c: float, hand_weight: float) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(e.features, 1.0) for e in examples])
    weights = np.array([hand_weight if e.source != "headline" else 1.0 for e in examples])
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(x, list(labels), sample_weight=weights)
    return LinearModel(
        vocabulary={str(n): i for i, n in enumerate(vectorizer.get_feature_names_out())},
        classes=tuple(str(k) for k in model.classes_),
        coef=np.asarray(model.coef_.T, dtype=np.float32),
        intercept=np.asarray(model.intercept_, dtype=np.float32),
    )


def fit(examples: Sequence[Example], c: float, hand_weight: float) -> ActivityModel:
    """The detector over every labelled mention, the kind head over the labelled activities he did."""
    detector = [e.label if e.label in (NONE, RECEIVED) else ACTIVITY for e in examples]
    done = [e for e in examples if e.label in KINDS]
    return ActivityModel(
        detector=_linear(examples, detector, c, hand_weight),
        kinds=_linear(done, [e.label for e in done], c, hand_weight),
    )


def cross_validate(examples: Sequence[Example], c: float, hand_weight: float, folds: int = 5) -> dict[str, float]:
    """Mention-level scores on held-out folds of the hand-labelled and dev stories."""
    tp = fp = fn = kind_ok = 0
    fold_of = [zlib.crc32(e.story.encode()) % folds if e.source != "headline" else -1 for e in examples]
    for fold in range(folds):
        model = fit([e for e, f in zip(examples, fold_of, strict=True) if f != fold], c, hand_weight)
        test = [e for e, f in zip(examples, fold_of, strict=True) if f == fold]
        for e, (label, _) in zip(test, model.predict([list(e.features) for e in test]), strict=True):
            if label != NONE and e.label != NONE:
                tp += 1
                kind_ok += label == e.label
            fp += label != NONE and e.label == NONE
            fn += label == NONE and e.label != NONE
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(precision + recall, 1e-9),
        "kind": kind_ok / max(tp, 1),
    }


def train(shared: Path, out: Path = MODEL_PATH) -> Counter[str]:
    examples = collect(shared)
    fit(examples, **SETTINGS).save(str(out))
    return Counter(f"{e.source}:{e.label}" for e in examples)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    paths = [a for a in args if not a.startswith("--")]
    shared = Path(paths[0]) if paths else ROOT.parent / "shared"
    if "--cv" in args:
        examples = collect(shared)
        for c in (0.3, 1.0, 3.0):
            for hand_weight in (1.0, 3.0, 10.0):
                scores = cross_validate(examples, c, hand_weight)
                print(f"C={c} hand_weight={hand_weight}: " + " ".join(f"{k} {v:.3f}" for k, v in scores.items()))
        return 0
    counts = train(shared)
    print(f"activity model: {MODEL_PATH.name} from {sum(counts.values())} labelled mentions", file=sys.stderr)
    for key, n in sorted(counts.items()):
        print(f"  {key:40s} {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
