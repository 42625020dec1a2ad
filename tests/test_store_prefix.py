"""Prefix terms as an OR of their words (SQLite store): same matches as FTS5's own prefix
search, phrases and NEAR groups untouched, broad prefixes left native, old stores upgraded."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import kcna_sample
from statemedia.ingest import ingest
from statemedia.store import Query
from statemedia.store.fts_prefix import expand_prefixes
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import write_jsonl_gz

RECORDS = kcna_sample(1500, step=14)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    tmp = tmp_path_factory.mktemp("prefix")
    store = SQLiteStore(tmp / "corpus.db")
    ingest(store, [write_jsonl_gz(tmp / "kcna.jsonl.gz", RECORDS)], analyze=False)
    yield store
    store.close()


def _matches(conn: sqlite3.Connection, query: str) -> set[int]:
    return {row[0] for row in conn.execute("SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?", (query,))}


@pytest.mark.parametrize(
    "query",
    ["anniversar*", "visit*", "congratulat* AND Kim", "nucl* OR satellite", "Juche NOT visit*", "{title}: floral*"],
)
def test_rewritten_query_matches_the_same_rows(corpus: SQLiteStore, query: str) -> None:
    rewritten = expand_prefixes(corpus.conn, query, cap=1000)
    assert "*" not in rewritten and " OR " in rewritten
    native = _matches(corpus.conn, query)
    assert native and _matches(corpus.conn, rewritten) == native


@pytest.mark.parametrize(
    "query",
    [
        '"floral bask*"',  # inside a phrase
        "NEAR(visit* Kim, 5)",  # inside a NEAR group
        "Kim + visit*",  # chained into a phrase
        "visitó*",  # folded by the tokenizer, not by str.lower
        "zzyzx*",  # no indexed word
    ],
)
def test_prefixes_that_stay_native(corpus: SQLiteStore, query: str) -> None:
    assert expand_prefixes(corpus.conn, query, cap=1000) == query


def test_broad_prefix_over_the_cap_stays_native(corpus: SQLiteStore) -> None:
    words = corpus.conn.execute(
        "SELECT count(*) FROM docs_fts_terms WHERE term >= 'visit' AND term < 'visiu'"
    ).fetchone()[0]
    assert words > 3
    assert expand_prefixes(corpus.conn, "visit*", cap=3) == "visit*"
    assert expand_prefixes(corpus.conn, "visit*", cap=words) != "visit*"


def test_search_hits_and_snippets_of_a_prefix(corpus: SQLiteStore) -> None:
    hits = corpus.search(Query("visit*", limit=20))
    assert len(hits) == 20
    for hit in hits:
        assert re.search(r"\*\*visit\w*\*\*", hit.snippet, re.IGNORECASE), hit.snippet


def test_a_version_1_store_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = SQLiteStore(path)
    ingest(store, [write_jsonl_gz(tmp_path / "kcna.jsonl.gz", RECORDS[:200])], analyze=False)
    # What a store made before migration 002 looks like: none of the tables of 002 and later.
    store.conn.execute("DROP TABLE docs_fts_terms")
    for table in ("watch_passes", "watch_frontier", "fetches", "watch_urls", "withdrawals", "watchlists", "alerts",
                  "text_labels", "text_activities", "activity_members", "text_quotations", "text_claims",
                  "claim_groups", "entity_days", "entities", "day_runs", "activity_translations"):  # fmt: skip
        store.conn.execute(f"DROP TABLE {table}")
    for trigger in ("entity_days_document_added", "entity_days_document_superseded", "entity_days_entity_added",
                    "entity_days_entity_removed", "day_runs_document_added"):  # fmt: skip
        store.conn.execute(f"DROP TRIGGER {trigger}")
    for index in ("annotations_label", "articles_current", "documents_text_published", "documents_pk_facets",
                  "text_entities_lower_name", "text_entities_text_type", "documents_later"):  # fmt: skip
        store.conn.execute(f"DROP INDEX {index}")
    store.conn.execute("ALTER TABLE text_entities DROP COLUMN mentions")
    store.conn.execute("DELETE FROM schema_version WHERE version >= 2")
    store.close()
    store = SQLiteStore(path)
    assert store.schema_version() >= 2
    assert store.search(Query("anniversar*", limit=5))
    store.close()
