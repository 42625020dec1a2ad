"""Values as the two stores return them: psycopg decodes dates and JSON, sqlite3 returns text."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

__all__ = ["marks", "stored_day", "stored_json"]


def stored_day(value: Any) -> date | None:
    """A stored date (or an ISO timestamp: its day); None for an empty or unreadable one."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def stored_json(value: Any) -> dict[str, Any]:
    """A stored JSON object (annotation attributes); {} for none."""
    if value is None:
        return {}
    decoded = json.loads(value) if isinstance(value, str | bytes) else value
    return dict(decoded) if isinstance(decoded, dict) else {}


def marks(n: int) -> str:
    """``?`` placeholders for an ``IN (...)`` of ``n`` values."""
    return ",".join("?" * n)
