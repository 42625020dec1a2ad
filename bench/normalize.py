"""Cost of the normalize stage against spaCy's small English model, on 2,000 KCNA stories.

Goal (issue 2): numbers + juche + dates + acronyms together under 5% of the time spaCy's small
model alone takes on the same stories. Both are timed in this run, on this machine.
Run: ``python bench/normalize.py [N]``.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from datetime import date
from pathlib import Path

import spacy

from statemedia.config import load_config
from statemedia.model import Document
from statemedia.registry import create_component

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"
NAMES = ("numbers", "juche", "dates", "acronyms")


def stories(n: int) -> list[Document]:
    docs: list[Document] = []
    with gzip.open(KCNA / "kcna-2012.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["language"] == "en":
                docs.append(Document(rec["id"], rec["body"], published=date.fromisoformat(rec["date"])))
            if len(docs) == n:
                break
    return docs


def main(n: int = 2000) -> None:
    config = load_config()
    components = [create_component(name, config) for name in NAMES]
    docs = stories(n)
    per_component = dict.fromkeys(NAMES, 0.0)
    for doc in docs:
        for name, component in zip(NAMES, components, strict=True):
            t0 = time.perf_counter()
            component(doc)
            per_component[name] += time.perf_counter() - t0
    normalize = sum(per_component.values())
    nlp = spacy.load(config["linguistic"]["model"])
    t0 = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=config["linguistic"]["batch_size"]):
        pass
    spacy_s = time.perf_counter() - t0
    for name, seconds in per_component.items():
        print(f"{name:10s} {1000 * seconds / n:7.3f} ms/story")
    print(f"normalize  {1000 * normalize / n:7.3f} ms/story")
    print(f"spaCy sm   {1000 * spacy_s / n:7.3f} ms/story")
    print(f"ratio      {100 * normalize / spacy_s:7.2f} % (goal < 5%)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
