"""Speed of the MiniLM span tagger on KCNA English stories: 1 and 2 threads, float32 and bfloat16.

Stories are split into sentences by ``linguistic`` before timing; the linear tagger of the
shipped technique model runs over the same sentences in the same run as the baseline. Only
span identification is timed (token probabilities and decoding), LoRA merged at load. The
largest change bfloat16 makes to a token probability is printed beside its speed.

Run: ``python tools/si_minilm_speed.py [ADAPTERS.npz] [N]`` (default: the shipped ensemble, 200 stories).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch

from statemedia import build_pipeline
from statemedia.capture import capture_record
from statemedia.rhetoric.technique_model import TechniqueModel
from statemedia.rhetoric.transformer import TransformerTagger

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import kcna_sample

BATCH_DOCS = 32


def main(adapters: Path | None, n: int) -> None:
    docs = [capture_record(r, location=r["id"]) for r in kcna_sample(n, language="en")]
    docs = list(build_pipeline(names=["linguistic"]).pipe(docs))
    inputs = [(d.text, [(a.start, a.end) for a in d.spans("sentence")]) for d in docs]
    linear = TechniqueModel.load().tagger
    started = time.perf_counter()
    found = sum(len(linear.predict(t, s)) for t, s in inputs)
    rate = len(inputs) / (time.perf_counter() - started)
    print(f"{len(inputs)} stories; linear tagger: {rate:.1f} art/s ({found} spans)")
    started = time.perf_counter()
    tagger = TransformerTagger.load(adapters, 0.5, precision="float32")
    print(f"load + merge of {len(tagger.models)} member(s): {time.perf_counter() - started:.1f} s")
    reference = [p for _, p in tagger.sentence_probs_many(inputs[:20])[0]]
    for bfloat16 in (False, True):
        tagger.bfloat16 = bfloat16
        label = "bfloat16" if bfloat16 else "float32"
        moved = max(
            float(np.abs(a - b).max())
            for a, (_, b) in zip(reference, tagger.sentence_probs_many(inputs[:20])[0], strict=True)
            if len(a)
        )
        for threads in (1, 2):
            torch.set_num_threads(threads)
            tagger.predict_many(inputs[:4])  # warm-up
            started = time.perf_counter()
            spans = sum(
                len(s)
                for i in range(0, len(inputs), BATCH_DOCS)
                for s in tagger.predict_many(inputs[i : i + BATCH_DOCS])
            )
            rate = len(inputs) / (time.perf_counter() - started)
            print(f"minilm {label} {threads} thread(s): {rate:.1f} art/s ({spans} spans; max |dp| {moved:.4f})")


if __name__ == "__main__":
    chosen = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else None
    main(chosen, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
