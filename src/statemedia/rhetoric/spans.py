"""Span identification (SemEval-2020 Task 11, subtask SI): which fragments persuade.

A linear token tagger over hashed lexical features (the word, its shape and affixes, a
window of three words either side, neighbouring bigrams, whether it sits inside quotes and
a down-weighted bag of its sentence) and word classes (k-means clusters of static MiniLM
word-piece embeddings, see encoder.piece_clusters: the token's, its neighbours' and a bag of
its sentence's; better on DEV than without) gives each token a probability of lying
inside a propaganda span. Decoding is per sentence: a sentence whose most probable token passes the
threshold becomes one predicted span, trimmed to run from its first to its last token above
the lower trim threshold. On the DEV split this sentence-level decoding beat runs of
above-threshold tokens, bridged across gaps or not: the partial-overlap measure rewards
recall over whole clauses, and gold spans for the long techniques (Doubt, Appeal to fear,
Causal oversimplification) cover most of a sentence. Trimming drops the sentence's unlikely
head and tail, which also scored better on DEV than whole sentences. DEV scores of each step:
docs/rhetoric.md ("Span identification", "Settings chosen on DEV").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from spacy.lang.en.stop_words import STOP_WORDS

from .encoder import first_piece

__all__ = ["SentenceDecoder", "SentenceProbs", "SpanTagger", "tokenize"]

Span = tuple[int, int]
# A sentence's tokens and each token's probability of lying inside a propaganda span.
SentenceProbs = tuple[list[Span], NDArray[np.float64]]
# Words with inner hyphens/apostrophes stay whole ("ever-victorious", "nation's").
TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
# 2**18 buckets: the training vocabulary of features is ~200k; more buckets did not help on DEV
# and the weight vector must stay small enough to ship in the repo.
N_FEATURES = 2**18
WINDOW = (-3, -2, -1, 1, 2, 3)
# Weight of each sentence-bag feature relative to a token feature (DEV: 0.3 beat 1.0 and 0.1).
SENTENCE_BAG_WEIGHT = 0.3
# The same for the sentence's bag of word classes (0.1: the first value tried; its DEV score is
# docs/rhetoric.md's "with word classes").
CLASS_BAG_WEIGHT = 0.1
QUOTES = ('"', "“", "”")


def tokenize(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Tokens of ``text[start:end]`` as (start, end, token) in document offsets."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text, start, end)]


def _shape(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "AA"
    if word[:1].isupper():
        return "Aa"
    if word.isdigit():
        return "d"
    return "a" if word.isalpha() else word


def _sentence_features(
    text: str, start: int, end: int, word_class: Callable[[str], str]
) -> Iterator[tuple[Span, dict[str, float]]]:
    tokens = tokenize(text, start, end)
    words = [t[2].lower() for t in tokens]
    classes = [word_class(w) for w in words]
    n = len(tokens)
    bag = {f"s:{w}": SENTENCE_BAG_WEIGHT for w in set(words) if w.isalpha()}
    bag.update({f"sc:{c}": CLASS_BAG_WEIGHT for c in set(classes)})
    quote_open = False
    for i, (a, b, token) in enumerate(tokens):
        word = words[i]
        feats = dict(bag)
        names = [
            "bias",
            f"w={word}",
            f"sh={_shape(token)}",
            f"suf={word[-3:]}",
            f"pre={word[:3]}",
            f"len={min(n // 5, 10)}",
            f"pos={min(i // 3, 10)}",
            f"rpos={min((n - i) // 3, 10)}",
            f"b-1={words[i - 1] if i else '<s>'}|{word}",
            f"b+1={word}|{words[i + 1] if i + 1 < n else '</s>'}",
            f"inq={int(quote_open)}",
            f"c={classes[i]}",
            f"c-1={classes[i - 1] if i else '<s>'}",
            f"c+1={classes[i + 1] if i + 1 < n else '</s>'}",
        ]
        names += [f"w{k:+d}={words[i + k] if 0 <= i + k < n else '<s>'}" for k in WINDOW]
        feats.update(dict.fromkeys(names, 1.0))
        if token in QUOTES:
            quote_open = not quote_open
        yield (a, b), feats


class SentenceDecoder:
    """Token probabilities per sentence decoded into spans (the module docstring's decoding).

    Subclasses say where the probabilities come from (``sentence_probs``): the linear
    ``SpanTagger`` here, the fine-tuned MiniLM tagger in rhetoric/transformer.py.
    """

    def __init__(self, threshold: float, phrase_threshold: float = 0.5, trim_threshold: float = 0.25) -> None:
        self.threshold = threshold
        self.phrase_threshold = phrase_threshold
        self.trim_threshold = trim_threshold

    def sentence_probs(self, text: str, sentences: Sequence[Span]) -> list[SentenceProbs]:
        """Each sentence's ``tokenize`` tokens with their probabilities of lying inside a span."""
        raise NotImplementedError

    def _sentence_span(self, tokens: Sequence[Span], probs: NDArray[np.float64]) -> Span:
        """The sentence from its first to its last token above ``trim_threshold``."""
        above = np.flatnonzero(probs > self.trim_threshold)  # never empty: the best token passed `threshold`
        return tokens[above[0]][0], tokens[above[-1]][1]

    def predict(self, text: str, sentences: Sequence[Span]) -> list[tuple[Span, float]]:
        """Predicted propaganda spans with their scores (``decode`` of ``sentence_probs``)."""
        return self.decode(text, self.sentence_probs(text, sentences))

    def predict_many(self, inputs: Sequence[tuple[str, Sequence[Span]]]) -> list[list[tuple[Span, float]]]:
        """``predict`` for several texts (a tagger that batches texts overrides it)."""
        return [self.predict(text, sentences) for text, sentences in inputs]

    def decode(self, text: str, sentence_probs: Sequence[SentenceProbs]) -> list[tuple[Span, float]]:
        """Spans with their scores from the token probabilities of each sentence.

        Each sentence whose best token passes ``threshold`` is a span (trimmed, see the module
        docstring). Inside it, runs of tokens above ``phrase_threshold`` are added as phrase
        spans, so that short techniques (loaded language, name calling) get their own label;
        they lie inside their sentence span, so the SI measure (which merges overlaps) does not
        see them. A run of stopwords and punctuation alone ("the") is no phrase.
        """
        out: list[tuple[Span, float]] = []
        for tokens, probs in sentence_probs:
            if not tokens or probs.max() <= self.threshold:
                continue
            out.append((self._sentence_span(tokens, probs), float(probs.max())))
            run: list[int] = []
            for i in [*range(len(tokens)), len(tokens)]:
                if i < len(tokens) and probs[i] > self.phrase_threshold:
                    run.append(i)
                    continue
                phrase = (tokens[run[0]][0], tokens[run[-1]][1]) if run else out[-1][0]
                if phrase != out[-1][0] and any(_content(text[a:b]) for a, b in tokens[run[0] : run[-1] + 1]):
                    out.append((phrase, float(probs[run].max())))
                run = []
        return out

    def sentence_spans(self, text: str, sentences: Sequence[Span]) -> list[Span]:
        """The sentence-level spans only (what the SI measure scores)."""
        return self.decode_sentences(self.sentence_probs(text, sentences))

    def decode_sentences(self, sentence_probs: Sequence[SentenceProbs]) -> list[Span]:
        """The sentence-level spans of ``decode``."""
        return [
            self._sentence_span(tokens, probs)
            for tokens, probs in sentence_probs
            if tokens and probs.max() > self.threshold
        ]


class SpanTagger(SentenceDecoder):
    """Linear token probabilities of propaganda, decoded into sentence spans."""

    def __init__(
        self,
        weights: NDArray[np.float32],
        bias: float,
        threshold: float,
        clusters: NDArray[np.int16],
        phrase_threshold: float = 0.5,
        trim_threshold: float = 0.25,
    ) -> None:
        super().__init__(threshold, phrase_threshold, trim_threshold)
        self.weights = weights
        self.bias = bias
        self.clusters = clusters  # word-piece id -> word class
        self._classes: dict[str, str] = {}
        self._hasher = FeatureHasher(n_features=N_FEATURES, input_type="dict", alternate_sign=False)

    def _matrix(self, feats: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        return self._hasher.transform(feats).tocsr()

    def _word_class(self, word: str) -> str:
        """The class of the word's first word piece, cached per tagger (a corpus repeats its words)."""
        found = self._classes.get(word)
        if found is None:
            piece = first_piece(word)
            found = self._classes[word] = "-" if piece is None else str(int(self.clusters[piece]))
        return found

    def _features(self, text: str, sentence: Span) -> Iterator[tuple[Span, dict[str, float]]]:
        return _sentence_features(text, sentence[0], sentence[1], self._word_class)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        sentences: Sequence[Sequence[Span]],
        gold: Sequence[Sequence[Span]],
        *,
        c: float,
        threshold: float,
        clusters: NDArray[np.int16],
    ) -> SpanTagger:
        """Train on documents with their sentence spans and gold propaganda spans."""
        tagger = cls(np.zeros(N_FEATURES, dtype=np.float32), 0.0, threshold, clusters)
        feats: list[dict[str, float]] = []
        labels: list[int] = []
        for text, sents, spans in zip(texts, sentences, gold, strict=True):
            for sentence in sents:
                for (a, b), f in tagger._features(text, sentence):
                    feats.append(f)
                    labels.append(int(any(a < ge and gs < b for gs, ge in spans)))
        model = LogisticRegression(C=c, solver="liblinear", max_iter=300).fit(tagger._matrix(feats), labels)
        tagger.weights = model.coef_[0].astype(np.float32)
        tagger.bias = float(model.intercept_[0])
        return tagger

    def _token_probs(self, text: str, sentence: Span) -> tuple[list[Span], NDArray[np.float64]]:
        spans_feats = list(self._features(text, sentence))
        if not spans_feats:
            return [], np.zeros(0)
        logits = self._matrix([f for _, f in spans_feats]) @ self.weights.astype(np.float64) + self.bias
        return [span for span, _ in spans_feats], 1.0 / (1.0 + np.exp(-np.asarray(logits)))

    def sentence_probs(self, text: str, sentences: Sequence[Span]) -> list[SentenceProbs]:
        return [self._token_probs(text, sentence) for sentence in sentences]


def _content(token: str) -> bool:
    """A word that is not a stopword (spaCy's English list)."""
    return token[:1].isalnum() and token.lower() not in STOP_WORDS
