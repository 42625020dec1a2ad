"""How SQLite plans the statements of ``analytics.changes`` (issue 16): from the later versions
(the partial index of migrations/009_changes.sql) and the withdrawals, never a scan of every
document or entity row, on a store ANALYZE has not seen (a new one, as the planner sees it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from statemedia.analytics.changes import changes, removals
from statemedia.store.sqlite import SQLiteStore


def _plans(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Each statement the read model ran, with its query plan."""
    seen: dict[str, str] = {}
    query = store.query

    def explained(statement: str, params: Any = ()) -> list[Any]:
        plan = store.conn.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
        seen[statement] = "\n".join(str(row[3]) for row in plan)
        return query(statement, params)

    monkeypatch.setattr(store, "query", explained)
    changes(store)
    changes(store, date_from=date(2013, 12, 1), date_to=date(2013, 12, 31))
    removals(store, since="2013-12-01T00:00:00")
    return seen


# What ANALYZE wrote for the 1M bench store (docs/workbench.md, "Measured"): statistics on the
# documents' and entities' indexes and none on the partial index of later versions, which holds no
# row there. With them, a statement that joined text_entities started from a scan of every entity.
_BENCH_STATS = [
    ("articles", "articles_current", "1004985 1"),
    ("text_entities", "text_entities_lower_name", "326970 131"),
    ("text_entities", "text_entities", "326970 129 1"),
    ("documents", "documents_pk_facets", "1004985 1 1 1 1 1"),
    ("documents", "documents_text_published", "1004985 1 1"),
    ("documents", "documents_published", "1004985 33"),
    ("documents", "documents_doc_id", "1004985 1"),
    ("documents", "sqlite_autoindex_documents_1", "1004985 1 1"),
]


@pytest.mark.parametrize("statistics", ["none", "bench"])
def test_no_statement_scans_documents_or_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, statistics: str
) -> None:
    store = SQLiteStore(tmp_path / "plan.db")
    if statistics == "bench":
        store.conn.execute("ANALYZE")  # makes sqlite_stat1
        store.conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", _BENCH_STATS)
        store.conn.commit()
        store.conn.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again
    try:
        plans = _plans(store, monkeypatch)
    finally:
        store.close()
    pairs = [plan for statement, plan in plans.items() if "FROM documents n" in statement]
    assert pairs and all("documents_later" in plan for plan in pairs)
    for statement, plan in plans.items():
        scans = [line for line in plan.splitlines()
                 if line.startswith(("SCAN n", "SCAN d", "SCAN e", "SCAN o")) and "documents_later" not in line]
        assert not scans and "BLOOM FILTER" not in plan, (statement, plan)
