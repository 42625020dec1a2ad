"""Technique classification (SemEval-2020 Task 11, subtask TC): which of the 14 techniques a span uses.

Features of a span in its article: TF-IDF of the span's words (1-2 grams) and characters
(2-5 grams), TF-IDF of the words of its sentence, static MiniLM embedding of the span, and
surface cues known to separate techniques — length, how often the span's text recurs in the
article (Repetition), quotes and capitals (Slogans), "!" and "?" (Doubt), a title position.
A linear SVM (one-vs-rest) scores the 14 classes; ``score`` is the softmax of its margins,
a ranking confidence rather than a calibrated probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from .encoder import embed

__all__ = ["SpanInput", "TechniqueClassifier"]

# Relative weights of the feature blocks, tuned on DEV (micro-F1): sentence words 0.5 (over
# 0.25/1.0); static MiniLM embedding 1.0 (over 1.5 and 2.5). Scores: docs/rhetoric.md,
# "Settings chosen on DEV".
CONTEXT_WEIGHT = 0.5
EMBEDDING_WEIGHT = 1.0
# Char n-grams seen in >= 3 spans, capped at 30k: DEV micro-F1 equal to 60k's (docs/rhetoric.md,
# "Settings chosen on DEV"), half the model size.
CHAR_MAX_FEATURES = 30_000
QUOTES = ('"', "“", "”", "'")


@dataclass(frozen=True, slots=True)
class SpanInput:
    """A span to classify: the article text, the span, and the sentence around it."""

    text: str
    start: int
    end: int
    sentence: tuple[int, int]

    @property
    def span_text(self) -> str:
        return self.text[self.start : self.end]


def _surface(item: SpanInput, lowered: str) -> list[float]:
    span = item.span_text
    needle = span.lower().strip()
    repeats = lowered.count(needle) if needle else 0
    sent_len = max(1, item.sentence[1] - item.sentence[0])
    around = item.text[max(0, item.start - 1) : item.end + 1]
    first_break = item.text.find("\n")
    return [
        float(np.log1p(len(span))),
        float(np.log1p(len(span.split()))),
        float(np.log1p(repeats)),
        float(repeats > 1),
        float(repeats > 2),
        len(span) / sent_len,
        float(any(q in around for q in QUOTES)),
        sum(c.isupper() for c in span) / max(1, len(span)),
        float("!" in span),
        float("?" in span),
        float(0 <= item.start < first_break),
    ]


def _surface_matrix(items: Sequence[SpanInput]) -> sparse.csr_matrix:
    lowered: dict[int, str] = {}
    rows = []
    for item in items:
        low = lowered.setdefault(id(item.text), item.text.lower())
        rows.append(_surface(item, low))
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(items), -1))


def _word_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, vocabulary=vocabulary)


def _char_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=3,
        sublinear_tf=True,
        max_features=None if vocabulary else CHAR_MAX_FEATURES,
        vocabulary=vocabulary,
    )


class TechniqueClassifier:
    """Linear technique classifier over the features described in the module docstring."""

    def __init__(
        self,
        labels: Sequence[str],
        words: TfidfVectorizer,
        chars: TfidfVectorizer,
        context: TfidfVectorizer,
        coef: NDArray[np.float32],
        intercept: NDArray[np.float32],
    ) -> None:
        self.labels = tuple(labels)
        self.words, self.chars, self.context = words, chars, context
        self.coef, self.intercept = coef, intercept

    @staticmethod
    def _blocks(items: Sequence[SpanInput]) -> tuple[list[str], list[str]]:
        spans = [i.span_text for i in items]
        sentences = [i.text[i.sentence[0] : i.sentence[1]] for i in items]
        return spans, sentences

    def _features(self, items: Sequence[SpanInput]) -> sparse.csr_matrix:
        spans, sentences = self._blocks(items)
        return sparse.hstack(
            [
                self.words.transform(spans),
                self.chars.transform(spans),
                CONTEXT_WEIGHT * self.context.transform(sentences),
                _surface_matrix(items),
                EMBEDDING_WEIGHT * sparse.csr_matrix(embed(spans)),
            ]
        ).tocsr()

    @classmethod
    def fit(cls, items: Sequence[SpanInput], labels: Sequence[str], *, c: float) -> TechniqueClassifier:
        spans, sentences = cls._blocks(items)
        words, chars, context = _word_vectorizer(), _char_vectorizer(), _word_vectorizer()
        words.fit(spans)
        chars.fit(spans)
        context.fit(sentences)
        classes = sorted(set(labels))
        model = cls(classes, words, chars, context, np.zeros(0, np.float32), np.zeros(0, np.float32))
        svm = LinearSVC(C=c, max_iter=5000).fit(model._features(items), labels)
        model.coef = svm.coef_.astype(np.float32)
        model.intercept = svm.intercept_.astype(np.float32)
        return model

    def scores(self, items: Sequence[SpanInput]) -> NDArray[np.float64]:
        """Softmax over the SVM margins: one row per item, one column per label."""
        if not items:
            return np.zeros((0, len(self.labels)))
        margins = self._features(items) @ self.coef.T.astype(np.float64) + self.intercept
        margins = np.asarray(margins)
        exp = np.exp(margins - margins.max(axis=1, keepdims=True))
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict(self, items: Sequence[SpanInput]) -> list[tuple[str, float]]:
        """The best technique per item; identical spans in one text get distinct techniques.

        In PTC one fragment may carry several techniques, given as repeated identical spans;
        the second copy of a span takes its second-best technique, and so on.
        """
        probs = self.scores(items)
        seen: dict[tuple[int, int, int], int] = {}
        out: list[tuple[str, float]] = []
        for item, row in zip(items, probs, strict=True):
            key = (id(item.text), item.start, item.end)
            rank = seen.get(key, 0)
            seen[key] = rank + 1
            choice = int(np.argsort(-row)[min(rank, len(row) - 1)])
            out.append((self.labels[choice], float(row[choice])))
        return out
