"""Export the current version of every article as JSONL, CSV or Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import QueryError
from ..model import Document
from .base import Store

__all__ = ["FORMATS", "export", "frame"]

FORMATS = ("jsonl", "csv", "parquet")


def _row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "outlet": doc.outlet,
        "url": doc.url,
        "published": doc.published.isoformat() if doc.published else None,
        "language": doc.language,
        "content_hash": doc.content_hash,
        "text": doc.text,
    }


def frame(store: Store) -> pd.DataFrame:
    """One row per article (current version), without annotations."""
    return pd.DataFrame([_row(doc) for doc in store.documents()], columns=list(_row(Document("", "")).keys()))


def export(store: Store, out: str | Path, fmt: str) -> int:
    """Write every article to ``out``; JSONL rows also carry the annotations. Returns the count."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", where="export")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        count = 0
        with path.open("w", encoding="utf-8") as fh:
            for doc in store.documents(annotations=True):
                row = _row(doc) | {"annotations": [a.to_dict() for a in doc.annotations]}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        return count
    df = frame(store)
    if fmt == "csv":
        df.to_csv(path, index=False)
    else:
        df.to_parquet(path, index=False)
    return len(df)
