"""Measure the technique model on the fixed PTC TEST split, beside the SemEval-2020 anchors.

SI is scored on spans the model predicts from the raw article (PTC lines as sentences); TC is
scored on the gold spans, as in the shared task. With a lexicon (rhetoric/lexicon.py) its
matches join the predicted SI spans, and a gold span lying inside a match takes its technique,
as in the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..rhetoric.technique_model import TechniqueModel
from .ptc import Split, load_articles
from .span_scoring import PRF, si_score, tc_scores
from .techniques import tc_items

__all__ = ["ANCHORS", "EvaluationReport", "evaluate"]

# Published SemEval-2020 Task 11 test-set scores (Da San Martino et al., 2020).
ANCHORS: dict[str, float] = {
    "SI F1, best team": 0.5155,
    "TC micro-F1, best team": 0.6207,
    "TC micro-F1, organisers' baseline (about)": 0.25,
}


@dataclass(frozen=True)
class EvaluationReport:
    split: str
    articles: int
    gold_spans: int
    si: PRF
    tc: PRF
    per_technique: dict[str, PRF] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)


def evaluate(ptc: Path, model: TechniqueModel | None = None, split: Split = Split.TEST) -> EvaluationReport:
    """SI and TC scores of ``model`` (the shipped one, no lexicon, if ``None``) on ``split`` of the PTC in ``ptc``."""
    model = model or TechniqueModel.load()
    articles = load_articles(ptc, [split])
    predicted = {
        a.id: [
            *model.decoder.sentence_spans(a.text, a.sentences()),
            *((m.start, m.end) for m in model.lexicon_matches(a.text)),
        ]
        for a in articles
    }
    si = si_score(predicted, {a.id: a.propaganda for a in articles})
    items, gold = tc_items(articles)
    labels = [t for t, _ in model.classifier.predict(items)]
    matches = {id(a.text): model.lexicon_matches(a.text) for a in articles}
    for i, item in enumerate(items):
        inside = [m for m in matches[id(item.text)] if m.start <= item.start and item.end <= m.end]
        labels[i] = inside[0].technique if inside else labels[i]
    micro, per = tc_scores(labels, gold)
    support = {label: gold.count(label) for label in per}
    return EvaluationReport(split.value, len(articles), len(items), si, micro, per, support)
