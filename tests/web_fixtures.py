"""A store of real KCNA 2012 stories, fully analysed, for the web tests: built once per test
session (pytest-xdist workers share it through a file lock) and copied for each module.

The sample mixes stories about Kim Jong Un (they carry leader activities and entourage
lists) with a spread of the year, one story in two versions (a correction) and one story
reprinted under another id (a duplicate group).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import iter_kcna
from statemedia.ingest import ingest
from statemedia.store.migrate import migrate
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import STORES, make_store

LEADER_STORIES = 60
SPREAD_STEP = 60
REVISED_ID = "kcna-2012-00000"
REPRINT_ID = "web-reprint-00001"


def _records() -> list[dict[str, Any]]:
    leader: list[dict[str, Any]] = []
    spread: list[dict[str, Any]] = []
    for i, rec in enumerate(iter_kcna(2012)):
        if (rec["title"] or "").startswith("Kim Jong Un") and len(leader) < LEADER_STORIES:
            leader.append(rec)
        elif i % SPREAD_STEP == 0:
            spread.append(rec)
    records = leader + spread
    first = next(r for r in records if r["id"] == REVISED_ID)
    # A later capture of the first story with its last paragraph cut: version 2 of the article.
    paragraphs = first["body"].split("\n\n")
    revised = dict(first, body="\n\n".join(paragraphs[:-1]) + "\n\nThis paragraph was added on correction.")
    reprint = dict(spread[3], id=REPRINT_ID, outlet="Rodong Sinmun")
    return [*records, revised, reprint]


def _build(path: Path) -> None:
    source = path.with_suffix(".jsonl")
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records()), encoding="utf-8")
    store = SQLiteStore(path.with_suffix(".part"))
    try:
        ingest(store, [source])
    finally:
        store.close()
    path.with_suffix(".part").rename(path)


@pytest.fixture(scope="session", name="kcna_store")
def kcna_store_fixture(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    """The path of the built store (shared by all workers: copy it before writing)."""
    # Under pytest-xdist each worker's basetemp sits in the session's own folder: share that.
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    db = root / "web-kcna.db"
    with open(root / "web-kcna.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not db.exists():
            _build(db)
    return db


@pytest.fixture(scope="module", name="web_db")
def web_db_fixture(kcna_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private copy of the KCNA store for one test module."""
    path = tmp_path_factory.mktemp("web") / "corpus.db"
    shutil.copy(kcna_store, path)
    yield path


@pytest.fixture(scope="module", name="db", params=STORES)
def both_stores_db_fixture(
    request: pytest.FixtureRequest, web_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The module's KCNA store as it is (SQLite), then copied into PostgreSQL: for tests that
    require the same answers from both stores."""
    if request.param == "sqlite":
        yield str(web_db)
        return
    target = make_store("postgresql", tmp_path_factory.mktemp("pg"))
    source = SQLiteStore(web_db)
    migrate(source, target)
    source.close()
    target.close()
    yield target.path
