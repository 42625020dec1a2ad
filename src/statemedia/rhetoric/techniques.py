"""The ``techniques`` component: persuasion techniques (SemEval-2020 PTC labels) as annotations.

Each predicted span becomes a ``technique`` annotation with attrs ``technique`` (one of the
14 labels in PTC's techniques.txt), ``score`` (the span's propaganda probability times the
technique's softmax score; the lexicon score for a lexicon match) and ``source`` ("model" or
"lexicon", see rhetoric/lexicon.py). Sentences come from the ``sentence`` annotations of
``linguistic``. ``pipe`` classifies the spans of a whole batch of documents at once.

Spans come from the linear tagger (``tagger = "linear"``) or from a fine-tuned transformer
averaged with it: MiniLM (``"minilm"``, rhetoric/transformer.py: better SI, far slower),
MPNet's first 4 layers (``"mpnet4"``, rhetoric/mpnet_tagger.py: SI past the issue's target,
slower than MiniLM) or MPNet (``"mpnet"``: the best SI, the slowest); scores and speeds are in
docs/rhetoric.md. That module (transformers, the weights) is imported only for those.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from ..errors import ModelError
from ..model import Annotation, Document
from .lexicon import Lexicon
from .spans import SentenceDecoder, SpanTagger
from .technique_model import TechniqueModel

__all__ = ["TAGGERS", "TechniqueDetector", "span_decoder"]

TAGGERS = ("linear", "minilm", "mpnet4", "mpnet")


class TechniqueDetector:
    name = "techniques"
    version = "3"
    requires = ("sentence",)
    assigns = ("technique",)

    @dataclass(frozen=True)
    class Options:
        model: str  # path to a model NPZ; empty: the one shipped in the package
        threshold: float  # sentence propaganda threshold (see defaults.toml)
        phrase_threshold: float  # token-run threshold for phrase spans (see defaults.toml)
        trim_threshold: float  # a sentence span runs between its tokens above this (see defaults.toml)
        lexicon: str  # path to a DPRK phrase lexicon TSV; empty: the one shipped in the package
        use_lexicon: bool
        lexicon_score: float  # score of a lexicon match (see defaults.toml)
        languages: list[str]
        tagger: str  # one of TAGGERS (see the module docstring and defaults.toml)
        minilm_model: str  # path to MiniLM adapters NPZ; empty: the ones shipped in the package
        minilm_weight: float  # MiniLM's share of the averaged token probability (see defaults.toml)
        minilm_threshold: float  # sentence threshold for the averaged probabilities (see defaults.toml)
        minilm_trim_threshold: float  # trim threshold for the averaged probabilities (see defaults.toml)
        mpnet_model: str  # path to MPNet adapters NPZ; empty: the ones shipped in the package
        mpnet_weight: float  # as minilm_weight, for tagger = "mpnet"
        mpnet_threshold: float  # as minilm_threshold, for tagger = "mpnet"
        mpnet_trim_threshold: float  # as minilm_trim_threshold, for tagger = "mpnet"
        mpnet4_model: str  # path to MPNet-4 adapters NPZ; empty: the ones shipped in the package
        mpnet4_weight: float  # as minilm_weight, for tagger = "mpnet4"
        mpnet4_threshold: float  # as minilm_threshold, for tagger = "mpnet4"
        mpnet4_trim_threshold: float  # as minilm_trim_threshold, for tagger = "mpnet4"
        transformer_threads: int  # torch threads in this process; 0: torch's default (see defaults.toml)
        transformer_precision: str  # "auto", "float32" or "bfloat16" (see defaults.toml)

    def __init__(self, options: Options) -> None:
        self.options = options
        lexicon = Lexicon.load(options.lexicon or None) if options.use_lexicon else None
        self.model = TechniqueModel.load(options.model or None, lexicon, options.lexicon_score)
        self.model.decoder = span_decoder(options, self.model.tagger)

    def _wanted(self, doc: Document) -> bool:
        # PTC is English news; other languages would get English lexical guesses.
        return doc.language is None or doc.language in self.options.languages

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc], batch_size=1))

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            chosen = [d for d in batch if self._wanted(d)]
            inputs = [(d.text, [(a.start, a.end) for a in d.spans("sentence")]) for d in chosen]
            for doc, found in zip(chosen, self.model.detect_many(inputs), strict=True):
                doc.add(
                    Annotation(
                        d.start,
                        d.end,
                        "technique",
                        {"technique": d.technique, "score": d.score, "source": d.source},
                        self.name,
                    )
                    for d in found
                )
            yield from batch


def span_decoder(options: TechniqueDetector.Options, linear: SpanTagger) -> SentenceDecoder:
    """The span finder ``options.tagger`` names, with its thresholds; ``linear`` is the model's tagger."""
    if options.tagger == "linear":
        linear.threshold = options.threshold
        linear.phrase_threshold = options.phrase_threshold
        linear.trim_threshold = options.trim_threshold
        return linear
    if options.tagger not in TAGGERS:
        raise ModelError(f"unknown tagger {options.tagger!r}, expected one of {TAGGERS}", where="[techniques] tagger")
    # Imports transformers.
    from .transformer import DEFAULT_ADAPTERS, MPNET4_ADAPTERS, MPNET_ADAPTERS, TransformerTagger

    o = options
    path, weight, threshold, trim, shipped = {
        "minilm": (o.minilm_model, o.minilm_weight, o.minilm_threshold, o.minilm_trim_threshold, DEFAULT_ADAPTERS),
        "mpnet4": (o.mpnet4_model, o.mpnet4_weight, o.mpnet4_threshold, o.mpnet4_trim_threshold, MPNET4_ADAPTERS),
        "mpnet": (o.mpnet_model, o.mpnet_weight, o.mpnet_threshold, o.mpnet_trim_threshold, MPNET_ADAPTERS),
    }[options.tagger]
    return TransformerTagger.load(
        path or None,
        threshold,
        options.phrase_threshold,
        trim,
        linear=linear,
        weight=weight,
        threads=options.transformer_threads,
        precision=options.transformer_precision,
        shipped=shipped,
    )
