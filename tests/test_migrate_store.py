"""``migrate-store``: a SQLite store copied to PostgreSQL and back is the same corpus —
every table row for row, versions, duplicate groups, annotations, runs — and searchable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import iter_kcna, kcna_sample
from statemedia.config import load_config
from statemedia.errors import StoreError
from statemedia.ingest import ingest
from statemedia.store import Query
from statemedia.store.migrate import TABLES, migrate
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import make_store, write_jsonl_gz

# The normalisers and activities: no spaCy model, so 300 stories analyse in seconds.
LIGHT = ["numbers", "juche", "dates", "acronyms", "activities"]
RECORDS = kcna_sample(300, language="en", step=37)
# Exact repeats in KCNA 2011 (same body, other id) and a near repeat (see test_store_dedupe).
REPEATS = [r for r in iter_kcna(2011) if r["id"] in {"kcna-2011-12052", "kcna-2011-12053"}]


def _dump(store: SQLiteStore) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: store.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY {'rowid' if order == 'insertion' else order}"
        ).fetchall()
        for table, columns, order in TABLES
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    tmp = tmp_path_factory.mktemp("migrate")
    config = load_config()
    config["pipeline"]["components"] = LIGHT
    store = SQLiteStore(tmp / "source.db")
    ingest(store, [write_jsonl_gz(tmp / "a.jsonl.gz", RECORDS + REPEATS)], config=config, n_process=1)
    edited = [dict(r, body=r["body"] + " The meeting ended.") for r in RECORDS[:5]]
    summary = ingest(store, [write_jsonl_gz(tmp / "b.jsonl.gz", edited)], config=config, n_process=1)
    assert summary.versions == 5
    return store


def test_round_trip_is_identical(source: SQLiteStore, tmp_path: Path) -> None:
    pg = make_store("postgresql", tmp_path)
    copied = migrate(source, pg)
    assert copied["documents"] == len(RECORDS) + len(REPEATS) + 5 and copied["runs"] == 2
    assert pg.counts() == source.counts() and source.counts()["duplicate_groups"] >= 1
    back = SQLiteStore(tmp_path / "back.db")
    migrate(pg, back)
    assert _dump(back) == _dump(source)
    # The copies answer like the original: versions, annotations, search with duplicate groups.
    doc_id = RECORDS[0]["id"]
    assert [v.version for v in pg.versions(doc_id)] == [1, 2]
    original, copy = source.get(doc_id, 1), pg.get(doc_id, 1)
    assert original is not None and copy is not None
    assert copy == original and copy.annotations and copy.annotations == original.annotations
    for store in (pg, back):
        hits = store.search(Query('"The meeting ended"', limit=50))
        assert sorted(h.id for h in hits) == sorted(r["id"] for r in RECORDS[:5])
        grouped = store.search(Query("kcna OR delegation OR Kim", limit=400))
        assert any(h.copies for h in grouped)
    # Keys continue after the copied ones: the copy takes new writes.
    more = write_jsonl_gz(tmp_path / "c.jsonl.gz", kcna_sample(3, language="en", step=41))
    added = ingest(pg, [more], analyze=False)
    assert added.new >= 1 and pg.counts()["articles"] == source.counts()["articles"] + added.new
    pg.close()
    back.close()


def test_destination_must_be_empty(source: SQLiteStore, tmp_path: Path) -> None:
    pg = make_store("postgresql", tmp_path)
    migrate(source, pg)
    with pytest.raises(StoreError, match="not empty"):
        migrate(source, pg)
    pg.close()


def test_cli(source: SQLiteStore, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from statemedia.cli import app, commands  # noqa: F401

    pg = make_store("postgresql", tmp_path)
    url = pg.path
    pg.close()
    runner = CliRunner()
    result = runner.invoke(app, ["migrate-store", source.path, url])
    assert result.exit_code == 0, result.output
    assert f"documents: {source.counts()['documents']}" in result.stdout
    again = runner.invoke(app, ["migrate-store", source.path, url])
    assert again.exit_code == 2 and "not empty" in again.stderr
    shown = runner.invoke(app, ["show", RECORDS[0]["id"], "--db", url])
    assert shown.exit_code == 0 and "v2" in shown.stdout
