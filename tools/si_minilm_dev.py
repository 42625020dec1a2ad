"""DEV SI F1 of the MiniLM token tagger's decodings beside the linear tagger's (issue 5 measurements).

Reads the DEV token probabilities written by ``python -m statemedia.training.span_tagger
--dev --dev-probs PATH`` (one array per DEV article, its sentences' tokens in order), trains the
linear tagger on TRAIN (and the span-only SemEval articles) as training/techniques.py does, and sweeps
thresholds for: the linear tagger, MiniLM alone, MiniLM choosing the sentences with the linear
tagger trimming them, and averages of the two. TEST is never read.

Several probability files (the taggers of one ensemble) are averaged first.

Run: ``python tools/si_minilm_dev.py /tmp/si/run1.e3.npz [/tmp/si/run2.e3.npz ...]``
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from statemedia.rhetoric.spans import SentenceDecoder, SentenceProbs, Span, tokenize
from statemedia.training.ptc import Article, Split, load_articles, load_span_articles
from statemedia.training.span_scoring import si_score
from statemedia.training.techniques import fit_tagger

PTC = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ptc"
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
TRIMS = (0.15, 0.2, 0.25, 0.3, 0.35)


def _split(text: str, sentences: list[Span], flat: np.ndarray) -> list[SentenceProbs]:
    out: list[SentenceProbs] = []
    at = 0
    for s, e in sentences:
        tokens = [(a, b) for a, b, _ in tokenize(text, s, e)]
        out.append((tokens, flat[at : at + len(tokens)]))
        at += len(tokens)
    assert at == len(flat), "DEV probabilities do not match the tokens"
    return out


class _Selected(SentenceDecoder):
    """Sentences chosen by one tagger's best token, trimmed by the other's probabilities."""

    def __init__(self, select: dict[int, list[SentenceProbs]], trim: dict[int, list[SentenceProbs]]) -> None:
        super().__init__(0.5)
        self.select, self.trim = select, trim

    def spans(self, key: int) -> list[Span]:
        out = []
        for (tokens, chooser), (_, trimmer) in zip(self.select[key], self.trim[key], strict=True):
            if tokens and chooser.max() > self.threshold:
                out.append(
                    self._sentence_span(tokens, trimmer)
                    if trimmer.max() > self.trim_threshold
                    else (tokens[0][0], tokens[-1][1])
                )
        return out


def _linear_dev_probs(cache: Path, train: list[Article], dev: list[Article]) -> dict[int, list[SentenceProbs]]:
    """The linear tagger (as training/techniques.py trains it) on DEV, cached beside the MiniLM probabilities."""
    if not cache.exists():
        tagger = fit_tagger(train)
        flat = {str(a.id): np.concatenate([p for _, p in tagger.sentence_probs(a.text, a.sentences())]) for a in dev}
        np.savez(cache, **flat)  # type: ignore[arg-type]
    with np.load(cache) as npz:
        return {a.id: _split(a.text, a.sentences(), npz[str(a.id)]) for a in dev}


def _sweep(name: str, score: Callable[[float, float], float]) -> None:
    best = max((score(t, trim), t, trim) for t in THRESHOLDS for trim in TRIMS if trim < t)
    at_default = [f"{t}:{score(t, 0.25):.3f}" for t in THRESHOLDS if t > 0.25]
    print(f"{name}: best F1 {best[0]:.4f} at threshold {best[1]} trim {best[2]}; trim 0.25 -> {' '.join(at_default)}")


def main(probs_paths: list[Path]) -> None:
    train = load_articles(PTC, [Split.TRAIN]) + load_span_articles(PTC)
    dev = load_articles(PTC, [Split.DEV])
    gold = {a.id: a.propaganda for a in dev}
    members = []
    for path in probs_paths:
        with np.load(path) as npz:
            members.append({a.id: _split(a.text, a.sentences(), npz[str(a.id)]) for a in dev})
    # An ensemble's probability is its members' mean (rhetoric/transformer.py).
    minilm = {
        k: [(tokens, np.mean([m[k][i][1] for m in members], axis=0)) for i, (tokens, _) in enumerate(sentences)]
        for k, sentences in members[0].items()
    }
    linear = _linear_dev_probs(probs_paths[0].parent / "linear_dev.npz", train, dev)

    def plain(probs: dict[int, list[SentenceProbs]]) -> Callable[[float, float], float]:
        decoder = SentenceDecoder(0.5)

        def score(threshold: float, trim: float) -> float:
            decoder.threshold, decoder.trim_threshold = threshold, trim
            return si_score({k: decoder.decode_sentences(v) for k, v in probs.items()}, gold).f1

        return score

    def selected(
        select: dict[int, list[SentenceProbs]], trim_by: dict[int, list[SentenceProbs]]
    ) -> Callable[[float, float], float]:
        decoder = _Selected(select, trim_by)

        def score(threshold: float, trim: float) -> float:
            decoder.threshold, decoder.trim_threshold = threshold, trim
            return si_score({k: decoder.spans(k) for k in select}, gold).f1

        return score

    def mixed(weight: float) -> dict[int, list[SentenceProbs]]:
        return {
            k: [(t, weight * p + (1 - weight) * q) for (t, p), (_, q) in zip(minilm[k], linear[k], strict=True)]
            for k in minilm
        }

    _sweep("linear", plain(linear))
    _sweep("minilm", plain(minilm))
    _sweep("minilm selects, linear trims", selected(minilm, linear))
    for weight in (0.3, 0.5, 0.6, 0.7, 0.8):
        _sweep(f"mean {weight} minilm + {1 - weight:.1f} linear", plain(mixed(weight)))
    _sweep("mean 0.5 selects, minilm trims", selected(mixed(0.5), minilm))


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
