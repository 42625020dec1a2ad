"""A term's matches by month on SQLite from the FTS index and the runs of days (``store/day_runs.py``,
migration 012): the same months and counts as joining every match to its document, after new
versions leave the index, and runs that stay right whatever order documents are added in."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from conftest import kcna_sample
from statemedia.ingest import ingest
from statemedia.store import Query
from statemedia.store.day_runs import DayRuns, match_months
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import write_jsonl_gz

RECORDS = kcna_sample(1200, step=17)
QUERIES = ["Kim", '"Kim Jong Un"', "anniversar*", "delegation", "guidance NOT Kim", "zzzqqq"]


def _joined(conn: sqlite3.Connection, fts_query: str) -> list[tuple[str, int]]:
    rows = conn.execute(
        "SELECT substr(d.published, 1, 7), count(*) FROM docs_fts f JOIN documents d ON d.doc_pk = f.rowid "
        "WHERE docs_fts MATCH ? AND d.published IS NOT NULL GROUP BY 1",
        (fts_query,),
    ).fetchall()
    return sorted((str(day), int(n)) for day, n in rows)


def test_runs_count_as_the_join_does(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    ingest(store, [write_jsonl_gz(tmp_path / "a.jsonl.gz", RECORDS[:800])], analyze=False)
    # New versions of 50 stories (their old documents leave the index) and the rest later.
    edited = [dict(r, body=r["body"] + " Kim Jong Un said so.") for r in RECORDS[:50]]
    ingest(store, [write_jsonl_gz(tmp_path / "b.jsonl.gz", edited + RECORDS[800:])], analyze=False)
    runs = store.query("SELECT count(*) FROM day_runs")[0][0]
    # About one a day (stories come in date order), and one more for each later version at most.
    assert 0 < runs <= len({r["date"] for r in RECORDS}) + len(edited) + 1
    for q in QUERIES:
        assert sorted(match_months(store.conn, q, DayRuns())) == _joined(store.conn, q), q
        assert sorted(store.match_months(Query(q))) == _joined(store.conn, q), q
    store.close()


def test_runs_are_read_again_when_documents_are_added(tmp_path: Path) -> None:
    """The runs are kept between trends, and read again once a batch adds documents (new days)."""
    store = SQLiteStore(tmp_path / "s.db")
    runs = DayRuns()
    ingest(store, [write_jsonl_gz(tmp_path / "a.jsonl.gz", RECORDS[:400])], analyze=False)
    assert sorted(match_months(store.conn, "Kim", runs)) == _joined(store.conn, "Kim")
    kept = runs.read(store.conn)
    assert runs.read(store.conn)[0] is kept[0]  # the same state: not read again
    reader = store.reader()  # another connection sees the addition too
    ingest(store, [write_jsonl_gz(tmp_path / "b.jsonl.gz", RECORDS[400:])], analyze=False)
    assert sorted(match_months(reader.conn, "Kim", runs)) == _joined(store.conn, "Kim")
    assert len(runs.read(store.conn)[0]) > len(kept[0])
    reader.close()
    store.close()


@pytest.mark.parametrize("seed", [3, 4])
def test_runs_map_every_key_to_its_day_in_any_order_of_adding(tmp_path: Path, seed: int) -> None:
    """The write path adds keys in increasing order; a key added inside a run splits it."""
    store = SQLiteStore(tmp_path / "s.db")
    rng = random.Random(seed)
    keys = list(range(1, 301))
    rng.shuffle(keys)
    days = {k: rng.choice(["2012-01-01", "2012-01-02", None]) if k % 7 else "2012-01-03" for k in keys}
    with store.conn:
        store.conn.execute(
            "INSERT INTO articles (article_pk, key, first_seen, last_seen, current_pk) VALUES (1, 'a', '', '', 1)"
        )
        for k in keys:
            store.conn.execute(
                "INSERT INTO documents (doc_pk, article_pk, version, doc_id, text_pk, published, first_seen, "
                "last_seen) VALUES (?, 1, ?, 'a', 1, ?, '', '')",
                (k, k, days[k]),
            )
    runs = store.query("SELECT first_pk, day FROM day_runs ORDER BY first_pk")
    for k in keys:
        run_day = [day for first, day in runs if first <= k][-1]
        assert run_day == (days[k] or ""), k
    store.close()
