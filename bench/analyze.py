"""Issue 2: analyse 2,000 English KCNA stories; compare with spaCy's own nlp.pipe.

Prints articles/s for our full pipeline (capture excluded, timed apart) and the ratio of
our time to spaCy's full small pipeline over the same texts, both on two processes, in
the same run. Target: ratio ≤ 1.5. Run: ``python bench/analyze.py [N]``.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

import spacy

from statemedia.capture import capture_record
from statemedia.config import load_config
from statemedia.engine.local import analyze_stream
from statemedia.model import Document

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"
N_PROCESS = 2


def english_stories(n: int) -> list[Document]:
    docs: list[Document] = []
    for path in sorted(KCNA.glob("kcna-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if record["language"] != "en":
                    continue
                doc = capture_record(record, location=record["id"])
                if doc.language == "en":
                    docs.append(doc)
                if len(docs) >= n:
                    return docs
    return docs


def main(n: int = 2000) -> None:
    start = time.perf_counter()
    docs = english_stories(n)
    capture_s = time.perf_counter() - start
    texts = [d.text for d in docs]
    model = load_config()["linguistic"]["model"]

    nlp = spacy.load(model)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=N_PROCESS, batch_size=64):
        pass
    spacy_s = time.perf_counter() - start

    start = time.perf_counter()
    results = list(analyze_stream(docs, n_process=N_PROCESS))
    ours_s = time.perf_counter() - start
    failed = sum(not isinstance(r, Document) for r in results)

    print(f"stories: {len(docs)} English KCNA (2011-2012), {N_PROCESS} processes")
    print(f"capture:          {len(docs) / capture_s:8.1f} articles/s")
    print(f"spaCy nlp.pipe:   {len(docs) / spacy_s:8.1f} articles/s  ({spacy_s:.1f} s, full small pipeline)")
    print(f"statemedia:       {len(docs) / ours_s:8.1f} articles/s  ({ours_s:.1f} s, full pipeline; {failed} failed)")
    print(f"ratio ours/spaCy: {ours_s / spacy_s:8.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
