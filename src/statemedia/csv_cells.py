"""CSV cells a spreadsheet will not run as formulas: the one helper every CSV writer uses.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in an article title would
become a live link). As OWASP recommends ("CSV Injection"), such a text cell gets a leading
single quote, which spreadsheets show as text. Numbers are left alone: ``-1`` stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_row", "safe_rows"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

K = TypeVar("K")


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[K, Any]) -> dict[K, Any]:
    return {key: safe_cell(value) for key, value in row.items()}


def safe_rows(rows: Iterable[Mapping[K, Any]]) -> Iterable[dict[K, Any]]:
    return (safe_row(row) for row in rows)
