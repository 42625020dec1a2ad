"""The trained technique model: span tagger + technique classifier, saved as one NPZ file.

The file holds only arrays (weights as float16, vocabularies as string arrays), so it loads
with ``allow_pickle=False`` and stays under the repo's 2 MB per-file limit.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..errors import ModelError
from .classify import SpanInput, TechniqueClassifier, _char_vectorizer, _word_vectorizer
from .lexicon import Lexicon, LexiconMatch
from .spans import N_FEATURES, SentenceDecoder, SpanTagger

__all__ = ["DEFAULT_MODEL", "Detection", "TechniqueModel", "with_lexicon"]

DEFAULT_MODEL = "data/rhetoric/techniques.npz"  # inside the package
FORMAT = 3


@dataclass(frozen=True, slots=True)
class Detection:
    start: int
    end: int
    technique: str
    # model: the technique's softmax score times the span's propaganda probability;
    # lexicon: the configured lexicon score.
    score: float
    source: str = "model"  # "model" or "lexicon"


def with_lexicon(found: Sequence[Detection], matches: Sequence[LexiconMatch], score: float) -> list[Detection]:
    """Lexicon matches added; a model span lying inside a match gives way to it (module lexicon)."""
    kept = [d for d in found if not any(m.start <= d.start and d.end <= m.end for m in matches)]
    added = [Detection(m.start, m.end, m.technique, score, "lexicon") for m in matches]
    return sorted([*kept, *added], key=lambda d: (d.start, d.end, d.technique))


def _vocab_arrays(prefix: str, vec: TfidfVectorizer) -> dict[str, np.ndarray]:
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    # One UTF-8 blob of newline-joined terms: a fixed-width unicode array would be 4 bytes a char
    # padded to the longest term, several times the size.
    blob = np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)
    return {f"{prefix}_terms": blob, f"{prefix}_idf": vec.idf_.astype(np.float32)}


def _restore(
    make: Callable[[dict[str, int]], TfidfVectorizer], arrays: dict[str, np.ndarray], prefix: str
) -> TfidfVectorizer:
    terms = arrays[f"{prefix}_terms"].tobytes().decode("utf-8").split("\n")
    vec = make({t: i for i, t in enumerate(terms)})
    vec.idf_ = arrays[f"{prefix}_idf"].astype(np.float64)
    return vec


class TechniqueModel:
    """Finds persuasive spans in a text and names their technique."""

    def __init__(
        self,
        tagger: SpanTagger,
        classifier: TechniqueClassifier,
        lexicon: Lexicon | None = None,
        lexicon_score: float = 1.0,
    ) -> None:
        self.tagger = tagger
        # What finds the spans: the linear tagger, or the MiniLM tagger (rhetoric/transformer.py)
        # that the techniques component puts here when configured.
        self.decoder: SentenceDecoder = tagger
        self.classifier = classifier
        self.lexicon = lexicon
        self.lexicon_score = lexicon_score
        unknown = lexicon.techniques - set(classifier.labels) if lexicon else set()
        if unknown:
            raise ModelError(f"lexicon techniques not among the model's labels: {sorted(unknown)}", where="lexicon")

    def lexicon_matches(self, text: str) -> list[LexiconMatch]:
        return self.lexicon.find(text) if self.lexicon else []

    def detect(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[Detection]:
        return self.detect_many([(text, sentences)])[0]

    def detect_many(self, inputs: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[Detection]]:
        """Detections per text; the spans of all texts are classified in one batch (one encoder call)."""
        found = self.decoder.predict_many(inputs)
        items = [
            SpanInput(text, s, e, (s, e)) for (text, _), spans in zip(inputs, found, strict=True) for (s, e), _ in spans
        ]
        labelled = iter(self.classifier.predict(items))
        # zip stops at the end of each text's spans, so `labelled` is consumed text by text.
        detected = [
            [
                Detection(s, e, technique, round(p * score, 4))
                for ((s, e), p), (technique, score) in zip(spans, labelled, strict=False)
            ]
            for spans in found
        ]
        if self.lexicon is None:
            return detected
        return [
            with_lexicon(d, self.lexicon_matches(text), self.lexicon_score)
            for d, (text, _) in zip(detected, inputs, strict=True)
        ]

    def save(self, path: Path) -> None:
        c = self.classifier
        arrays: dict[str, np.ndarray] = {
            "format": np.asarray(FORMAT),
            "si_weights": self.tagger.weights.astype(np.float16),
            "si_bias": np.asarray(self.tagger.bias),
            "si_threshold": np.asarray(self.tagger.threshold),
            "si_clusters": self.tagger.clusters,
            "tc_labels": np.asarray(c.labels, dtype=str),
            "tc_coef": c.coef.astype(np.float16),
            "tc_intercept": c.intercept.astype(np.float32),
            **_vocab_arrays("words", c.words),
            **_vocab_arrays("chars", c.chars),
            **_vocab_arrays("context", c.context),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(
        cls, path: str | Path | None = None, lexicon: Lexicon | None = None, lexicon_score: float = 1.0
    ) -> TechniqueModel:
        """The model at ``path`` (the one shipped in the package if ``None`` or empty), with ``lexicon``."""
        where = Path(path) if path else Path(str(resources.files("statemedia").joinpath(DEFAULT_MODEL)))
        try:
            with np.load(where, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError, zipfile.BadZipFile) as exc:  # a half-written file is not a zip
            raise ModelError(f"cannot read technique model ({exc}); run `make train`", where=str(where)) from exc
        if int(arrays.get("format", -1)) != FORMAT or arrays["si_weights"].shape != (N_FEATURES,):
            raise ModelError(f"technique model is not format {FORMAT}; run `make train`", where=str(where))
        tagger = SpanTagger(
            arrays["si_weights"].astype(np.float32),
            float(arrays["si_bias"]),
            float(arrays["si_threshold"]),
            arrays["si_clusters"].astype(np.int16),
        )
        classifier = TechniqueClassifier(
            arrays["tc_labels"].tolist(),
            _restore(_word_vectorizer, arrays, "words"),
            _restore(_char_vectorizer, arrays, "chars"),
            _restore(_word_vectorizer, arrays, "context"),
            arrays["tc_coef"].astype(np.float32),
            arrays["tc_intercept"].astype(np.float32),
        )
        return cls(tagger, classifier, lexicon, lexicon_score)
