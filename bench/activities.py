"""Activity extraction over every KCNA story (2011-2012, ~22k), in articles per second.

Times the light activity pipeline (juche, dates, activities) on captured documents, one
process, and reports capture separately: goal (issue 4) is the whole corpus's activity log
in well under the time spaCy alone would need. Run: ``python bench/activities.py [N]``.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

from statemedia.analytics.activities import activities, activity_pipeline
from statemedia.capture.records import capture_record
from statemedia.model import Document

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"


def stories(limit: int | None) -> list[Document]:
    docs: list[Document] = []
    for path in sorted(KCNA.glob("kcna-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                docs.append(capture_record(record, location=record["id"]))
                if limit is not None and len(docs) >= limit:
                    return docs
    return docs


def main(limit: int | None = None) -> None:
    t0 = time.perf_counter()
    docs = stories(limit)
    capture_s = time.perf_counter() - t0
    pipeline = activity_pipeline()
    t0 = time.perf_counter()
    found = sum(1 for doc in docs for _ in activities([pipeline(doc)]))
    extract_s = time.perf_counter() - t0
    print(f"stories      {len(docs)}")
    print(f"activities   {found}")
    print(f"capture      {len(docs) / capture_s:8.0f} articles/s")
    print(f"activities   {len(docs) / extract_s:8.0f} articles/s (juche + dates + activities)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
