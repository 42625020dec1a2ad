"""Corpus trends of techniques and rhetoric indicators: Documents in, pandas DataFrames out.

Store-agnostic on purpose: any iterable of analysed :class:`Document` objects will do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..model import Document
from .indicators import CATEGORIES, article_indicators

__all__ = ["article_table", "trend"]


def article_table(docs: Iterable[Document], techniques: Iterable[str] = ()) -> pd.DataFrame:
    """One row per article: id, outlet, month, words, indicators, and a count per technique.

    ``techniques`` lists columns to include even when no article uses them (e.g. all 14 labels).
    """
    rows: list[dict[str, Any]] = []
    for doc in docs:
        ind = article_indicators(doc)
        counts = ind.pop("techniques")
        rows.append(
            {
                "id": doc.id,
                "outlet": doc.outlet,
                "month": doc.published.strftime("%Y-%m") if doc.published else None,
                **ind,
                **{f"technique:{k}": v for k, v in counts.items()},
            }
        )
    table = pd.DataFrame(rows)
    for label in techniques:
        table[f"technique:{label}"] = table.get(f"technique:{label}", 0)
    technique_cols = [c for c in table.columns if c.startswith("technique:")]
    table[technique_cols] = table[technique_cols].fillna(0).astype(int)
    table["techniques"] = table[technique_cols].sum(axis=1) if technique_cols else 0
    return table


def trend(table: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Per-group (e.g. ``"outlet"``, ``"month"``) statistics of an :func:`article_table`.

    Technique counts are summed and also given per 1,000 words of the group; indicator
    densities and leader-centrality are averaged over the group's articles.
    """
    technique_cols = [c for c in table.columns if c.startswith("technique:")] + ["techniques"]
    grouped = table.groupby(by, dropna=False)
    out = grouped[["words", *technique_cols]].sum()
    for col in technique_cols:
        out[f"{col}_per_1000"] = 1000.0 * out[col] / out["words"].where(out["words"] > 0)
    means = grouped[["leader_centrality", *(f"{c}_per_1000" for c in CATEGORIES)]].mean()
    out = out.join(means.add_prefix("mean_"))
    out.insert(0, "articles", grouped.size())
    return out.reset_index()
