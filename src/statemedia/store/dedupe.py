"""Near-duplicate detection: word shingles, MinHash LSH band keys, exact Jaccard check.

Band keys are plain integers so any database can index them: two texts that share a
band key are candidates, and a candidate counts as a near duplicate only when the
exact Jaccard similarity of their shingle sets reaches the threshold.

Everything is vectorised with numpy, because this runs once per ingested text and the
ingest target is 5,000 articles/s: a shingle is a 64-bit polynomial hash of its words'
crc32 values (collisions among a text's ~200 shingles: ~1e-15), and the MinHash is the
multiply-shift family ``(a*x + b) mod 2**64``, its top 32 bits kept. Both are stable
across processes and machines, so stored band keys stay valid.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

__all__ = ["DedupeOptions", "NearDuplicates"]

Shingles = npt.NDArray[np.uint64]

# ASCII punctuation and controls become spaces, so ``bytes.split`` yields the words
# (letters, digits, underscore and any non-ASCII character, as with ``\w+`` on Latin text)
# at C speed: this tokenisation costs a quarter of a ``re.findall(r"\w+")``.
_SEPARATORS = bytes(c if chr(c).isalnum() or c == ord("_") or c >= 0x80 else ord(" ") for c in range(256))
_BASE = np.uint64(0x100000001B3)  # the 64-bit FNV prime: odd, so the polynomial hash mixes
_SHIFT = np.uint64(32)
_PERMUTATION_SEED = 1  # fixed: the band keys of every store depend on it
# Texts hashed together: 50 KCNA stories measured fastest of 25/50/100/200 (larger arrays fall
# out of cache; docs/performance.md, "Ingest").
_CHUNK = 50


@dataclass(frozen=True)
class DedupeOptions:
    shingle_words: int
    num_perm: int
    lsh_threshold: float
    threshold: float


@dataclass(frozen=True)
class _Hashing:
    bands: int
    rows: int
    a: Shingles  # each used permutation's multiplier and addend
    b: Shingles


class NearDuplicates:
    """Computes band keys and verifies candidates for one set of options."""

    def __init__(self, options: DedupeOptions) -> None:
        self.options = options

    @cached_property
    def _hashing(self) -> _Hashing:
        """The bands and the permutations, made when a text is first hashed: datasketch, which
        chooses the bands, imports SciPy, and a store opened only to read never hashes (what that
        costs a start-up: docs/workbench.md, "Start-up")."""
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=self.options.lsh_threshold, num_perm=self.options.num_perm)
        rng = np.random.default_rng(_PERMUTATION_SEED)
        # Odd multipliers: multiply-shift hashing is universal only for odd a.
        # LSH uses bands * rows of the num_perm permutations (60 of 64 by default): only those are hashed.
        used = lsh.b * lsh.r
        a = rng.integers(0, 2**64, self.options.num_perm, dtype=np.uint64)[:used] | np.uint64(1)
        b = rng.integers(0, 2**64, self.options.num_perm, dtype=np.uint64)[:used]
        return _Hashing(lsh.b, lsh.r, a, b)

    @staticmethod
    def _word_ids(text: str) -> Shingles:
        words = text.lower().encode("utf-8").translate(_SEPARATORS).split()
        return np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))

    @staticmethod
    def _windows(ids: Shingles, k: int) -> Shingles:
        """The hash of every run of ``k`` consecutive ids."""
        n = len(ids) - k + 1
        hashes = np.zeros(n, dtype=np.uint64)
        for j in range(k):  # array arithmetic wraps modulo 2**64 silently: that is the hash
            hashes = hashes * _BASE + ids[j : j + n]
        return hashes

    def shingles(self, text: str) -> Shingles:
        """The sorted, distinct hashes of the text's word ``shingle_words``-grams."""
        ids = self._word_ids(text)
        return np.unique(self._windows(ids, min(self.options.shingle_words, len(ids))))

    def band_keys(self, shingles: Shingles) -> list[int]:
        if len(shingles) == 0:
            shingles = np.zeros(1, dtype=np.uint64)
        h = self._hashing
        mixed = np.multiply.outer(h.a, shingles)
        mixed += h.b[:, None]
        values = (mixed.min(axis=1) >> _SHIFT).reshape(h.bands, h.rows)
        # A band key hashes (band number, its rows' values): a false match between bands of two
        # texts only costs one exact check, so the polynomial hash suffices.
        keys = np.arange(1, h.bands + 1, dtype=np.uint64)
        for row in range(h.rows):
            keys = keys * _BASE + values[:, row]
        return [int(k) for k in keys.view(np.int64)]

    def band_keys_many(self, texts: Sequence[str]) -> list[list[int]]:
        """``band_keys(shingles(text))`` of each text, in one pass of array operations for the
        whole batch: per text, numpy's call overheads cost more than its arithmetic (timings on
        all KCNA stories: docs/performance.md, "Ingest").
        A minimum needs no distinct values, so the shingles of all texts are hashed together and
        reduced per text."""
        k, h = self.options.shingle_words, self._hashing
        ids = [self._word_ids(text) for text in texts]
        out: list[list[int]] = [[] for _ in texts]
        full = [i for i, row in enumerate(ids) if len(row) >= k]
        for i in set(range(len(texts))).difference(full):  # fewer words than a shingle: one shingle
            out[i] = self.band_keys(self.shingles(texts[i]))
        for chunk in range(0, len(full), _CHUNK):
            which = full[chunk : chunk + _CHUNK]
            lengths = np.array([len(ids[i]) for i in which])
            hashes = self._windows(np.concatenate([ids[i] for i in which]), k)
            counts = lengths - k + 1  # windows inside each text; the k - 1 across a boundary are dropped
            firsts = np.cumsum(counts) - counts  # where each text's windows start among the kept ones
            offsets = np.cumsum(lengths) - lengths  # ... and among all windows
            kept = hashes[np.arange(counts.sum()) + np.repeat(offsets - firsts, counts)]
            mixed = np.multiply.outer(h.a, kept)
            mixed += h.b[:, None]
            values = (np.minimum.reduceat(mixed, firsts, axis=1) >> _SHIFT).reshape(h.bands, h.rows, -1)
            keys = np.repeat(np.arange(1, h.bands + 1, dtype=np.uint64)[:, None], len(which), axis=1)
            for row in range(h.rows):
                keys = keys * _BASE + values[:, row, :]
            for i, text_keys in zip(which, keys.T.view(np.int64).tolist(), strict=True):
                out[i] = text_keys
        return out

    def similar(self, a: Shingles, b: Shingles) -> float:
        union = len(np.union1d(a, b))
        return len(np.intersect1d(a, b, assume_unique=True)) / union if union else 1.0
