"""Reading the curated data files in ``statemedia/data``: one reader for every stage."""

from __future__ import annotations

import csv
from importlib import resources

__all__ = ["read_text", "read_tsv"]


def read_text(name: str) -> str:
    """The text of ``data/<name>`` (``name`` may hold a subfolder: ``rhetoric/terms.tsv``)."""
    return resources.files("statemedia").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts keyed by its header; ``#`` lines are comments.

    QUOTE_NONE: patterns and reasons hold literal quotation marks ("the General", quoted slogans).
    """
    lines = [line for line in read_text(name).splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{key: (value or "").strip() for key, value in row.items()} for row in reader]
