"""Reading the curated TSV files in ``statemedia/data`` that the normalisers use."""

from __future__ import annotations

import csv
from importlib import resources

__all__ = ["read_tsv"]


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts keyed by its header; ``#`` lines are comments."""
    text = resources.files("statemedia").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{key: (value or "").strip() for key, value in row.items()} for row in reader]
