"""Technique detection speed over KCNA stories, in articles per second (target >= 20 on 2 cores).

Times the ``techniques`` component alone on documents that ``linguistic`` has already split
into sentences, with each span finder: linear (the default), MiniLM, MPNet's first 4 layers
and MPNet (``tagger = "minilm"``/``"mpnet4"``/``"mpnet"``); the baseline in the same run is
``linguistic`` itself on the same stories.
Run: ``python bench/techniques.py [N]`` (default 200 English stories).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from statemedia import build_pipeline
from statemedia.capture import capture_record
from statemedia.config import load_config
from statemedia.model import Document
from statemedia.rhetoric.encoder import embed
from statemedia.rhetoric.techniques import TAGGERS

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"


def stories(limit: int) -> list[Document]:
    docs: list[Document] = []
    with gzip.open(KCNA / "kcna-2012.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["language"] == "en":
                docs.append(capture_record(record, location=record["id"]))
            if len(docs) >= limit:
                break
    return docs


def copies(docs: list[Document]) -> list[Document]:
    """The documents with annotation lists of their own."""
    return [replace(d, annotations=list(d.annotations)) for d in docs]


def main(limit: int = 200) -> None:
    docs = stories(limit)
    linguistic = build_pipeline(names=["linguistic"])
    t0 = time.perf_counter()
    docs = list(linguistic.pipe(docs))
    base_s = time.perf_counter() - t0
    embed(["load the encoder before timing"])
    print(f"{len(docs)} KCNA stories; linguistic baseline: {len(docs) / base_s:.1f} articles/s")
    for tagger in TAGGERS:
        config = load_config()
        config["techniques"]["tagger"] = tagger
        techniques = build_pipeline(config, names=["linguistic", "techniques"]).get("techniques")
        # Each tagger annotates its own copies (the annotation list is what it extends). One batch
        # first, untimed: torch builds its kernels on the first calls, a one-off cost that a long
        # ingest does not see (two bench runs, same code: MiniLM 39.7 articles/s cold, 41.5 warmed).
        list(techniques.pipe(copies(docs[:32]), batch_size=32))  # type: ignore[attr-defined]
        fresh = copies(docs)
        t0 = time.perf_counter()
        found = sum(len(list(d.spans("technique"))) for d in techniques.pipe(fresh, batch_size=32))  # type: ignore[attr-defined]
        tech_s = time.perf_counter() - t0
        print(
            f"techniques ({tagger} tagger): {len(docs) / tech_s:.1f} articles/s (target >= 20), {found} technique"
            f" spans; techniques/linguistic time {tech_s / base_s:.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
