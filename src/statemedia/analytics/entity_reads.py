"""The store's queries behind entity pages and trends of people (``Corpus`` keeps their results).

Each takes ``rows`` (``Corpus._rows``: one query on a read connection) and returns what the
store returned, so that the read model decides what to keep: an entity page's parts are asked
again by the page, its API twin and the trends of the same person until the corpus changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ..store.layers import CURRENT
from ._columns import marks, stored_day

__all__ = ["co_mentions", "entity_days", "newest_rows", "newest_since", "table"]

Rows = Callable[[str, Sequence[Any]], list[Any]]


def table(rows: Rows) -> list[dict[str, Any]]:
    """Entities by the number of articles that mention them (ties by id): kept per entity by the
    database (migration 011, ``entities``)."""
    found = rows("SELECT entity_id, name, type, articles, mentions FROM entities WHERE articles > 0", ())
    out = [{"id": str(e), "name": str(n), "type": str(t), "articles": int(c), "mentions": int(m)}
           for e, n, t, c, m in found]  # fmt: skip
    return sorted(out, key=lambda r: (-r["articles"], r["id"]))


def entity_days(rows: Rows, ids: Sequence[str]) -> Counter[date | None]:
    """Articles mentioning any of these entities by day of publication (None: undated)."""
    if not ids:
        return Counter()
    if len(ids) == 1:
        # Kept by the database per entity and day (migration 011, entity_days).
        kept = rows("SELECT day, n FROM entity_days WHERE entity_id = ? AND n > 0", [ids[0]])
        return Counter({stored_day(day): int(n) for day, n in kept})  # "": undated, None
    # An article that mentions several of them counts once: from their mentions, a distinct count.
    found = rows(
        f"SELECT d.published, count(DISTINCT d.doc_pk) FROM {CURRENT} JOIN text_entities te ON te.text_pk = d.text_pk "
        f"WHERE te.entity_id IN ({marks(len(ids))}) GROUP BY d.published",
        list(ids),
    )
    out: Counter[date | None] = Counter()
    for value, n in found:
        out[stored_day(value)] += int(n)
    return out


def co_mentions(rows: Rows, entity_id: str, top: int, sample: int, since: date | None) -> list[tuple[str, int]]:
    """Other entities by the number of articles they share with this one among its newest
    ``sample`` articles (published ``since``: their first day, by ``newest_since``)."""
    cond, params = "te.entity_id = ?", [entity_id]
    if since is not None:
        cond += " AND d.published >= ?"
        params.append(since.isoformat())
    found = rows(
        f"SELECT o.entity_id, count(*) FROM (SELECT d.text_pk FROM {CURRENT} JOIN text_entities te "
        f"ON te.text_pk = d.text_pk WHERE {cond} ORDER BY d.published DESC, d.doc_pk DESC LIMIT ?) t "
        "JOIN text_entities o ON o.text_pk = t.text_pk WHERE o.entity_id != ? "
        "GROUP BY o.entity_id ORDER BY count(*) DESC, o.entity_id LIMIT ?",
        [*params, sample, entity_id, top],
    )
    return [(str(e), int(n)) for e, n in found]


def newest_since(limit: int, days: Counter[date | None]) -> date | None:
    """The day from which on the newest ``limit`` articles of an entity lie, by its ``entity_days``,
    so that only they are read and sorted rather than all of a frequent entity's; None: read all
    (fewer articles, or undated ones: those sort last in SQLite and first in PostgreSQL)."""
    if None in days:
        return None
    seen = 0
    for day in sorted((d for d in days if d is not None), reverse=True):
        seen += days[day]
        if seen >= limit:
            return day
    return None


def newest_rows(rows: Rows, entity_id: str, limit: int, since: date | None) -> list[Any]:
    """The newest ``limit`` articles mentioning the entity published ``since`` (``Corpus.entity_articles``'
    columns, then its mentions)."""
    cond, params = "te.entity_id = ?", [entity_id]
    if since is not None:
        cond += " AND d.published >= ?"
        params.append(since.isoformat())
    return rows(
        f"SELECT d.doc_id, d.title, d.outlet, d.published, d.language, d.text_pk, te.mentions FROM {CURRENT} "
        f"JOIN text_entities te ON te.text_pk = d.text_pk WHERE {cond} "
        "ORDER BY d.published DESC, d.doc_id DESC LIMIT ?",
        [*params, limit],
    )
