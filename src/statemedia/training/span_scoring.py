"""The SemEval-2020 Task 11 measures, implemented from the task paper and its official scorer.

Span identification (SI) gives partial credit for partial overlap. With S the predicted and
T the gold spans of all articles (each span a set of character offsets)::

    P(S, T) = 1/|S| * sum_{s in S} sum_{t in T, same article} |s ∩ t| / |s|
    R(S, T) = 1/|T| * sum_{s in S} sum_{t in T, same article} |s ∩ t| / |t|
    F1      = 2 P R / (P + R)

As in the official scorer (task-SI_scorer.py, which sees spans as sets of character offsets),
the gold spans of an article that share a character are merged into one before scoring
(its ``check_annotation_spans(gold, True)``), and so are the predicted ones (its ``-m``
option; without it, it refuses overlapping submissions). Spans that only touch stay apart.
Until 2026-11-27 gold spans were scored as the corpus lists them, which counted the shared
characters of overlapping gold spans twice (a precision above 1 was possible).

Technique classification (TC) is scored on the gold spans: micro-F1 over all instances
(with one prediction per gold instance it equals accuracy), plus per-technique F1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["PRF", "merge_spans", "si_score", "tc_scores"]

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        return cls(precision, recall, f1)


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Spans sharing a character merged into one (sorted, non-empty spans only; touching ones stay apart)."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def si_score(predicted: Mapping[int, Sequence[Span]], gold: Mapping[int, Sequence[Span]]) -> PRF:
    """SI precision/recall/F1 with partial-overlap credit; keys are article ids."""
    n_pred = n_gold = 0
    credit_p = credit_r = 0.0
    for article_id in set(predicted) | set(gold):
        preds = merge_spans(predicted.get(article_id, ()))
        golds = merge_spans(gold.get(article_id, ()))
        n_pred += len(preds)
        n_gold += len(golds)
        for ps, pe in preds:
            for gs, ge in golds:
                inter = min(pe, ge) - max(ps, gs)
                if inter > 0:
                    credit_p += inter / (pe - ps)
                    credit_r += inter / (ge - gs)
    return PRF.of(credit_p / n_pred if n_pred else 0.0, credit_r / n_gold if n_gold else 0.0)


def tc_scores(predicted: Sequence[str], gold: Sequence[str]) -> tuple[PRF, dict[str, PRF]]:
    """Micro P/R/F1 over all instances and P/R/F1 per technique (for gold-span TC)."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold spans")
    correct = sum(p == g for p, g in zip(predicted, gold, strict=True))
    micro = correct / len(gold) if gold else 0.0
    tp = Counter(g for p, g in zip(predicted, gold, strict=True) if p == g)
    n_pred, n_gold = Counter(predicted), Counter(gold)
    per = {
        label: PRF.of(tp[label] / n_pred[label] if n_pred[label] else 0.0, tp[label] / n_gold[label])
        for label in sorted(n_gold)
    }
    return PRF.of(micro, micro), per
