"""Export the current version of every article as JSONL, CSV or Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..csv_cells import safe_cell
from ..errors import QueryError
from ..model import Document
from ..report import document_record, to_json
from .base import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMATS", "export", "frame"]

FORMATS = ("jsonl", "csv", "parquet")


def frame(store: Store) -> pd.DataFrame:
    """One row per article (current version), without annotations."""
    import pandas as pd  # here, not for every command's start (docs/workbench.md, "Start-up")

    columns = list(document_record(Document("", "")).keys())
    return pd.DataFrame([document_record(doc) for doc in store.documents()], columns=columns)


def export(store: Store, out: str | Path, fmt: str) -> int:
    """Write every article to ``out``. Returns the count.

    JSONL lines are the documented analysis result (``report.to_json``, the same JSON as
    ``statemedia analyze --format json``); CSV and Parquet hold one row of metadata and text
    per article.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", where="export")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        count = 0
        with path.open("w", encoding="utf-8") as fh:
            for doc in store.documents(annotations=True):
                fh.write(json.dumps(to_json(doc), ensure_ascii=False) + "\n")
                count += 1
        return count
    df = frame(store)
    if fmt == "csv":
        df.map(safe_cell).to_csv(path, index=False)  # formula-like text cells made inert
    else:
        df.to_parquet(path, index=False)
    return len(df)
