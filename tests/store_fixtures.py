"""Store fixtures shared by the store/ingest tests: every test runs against each Store
implementation listed in STORES (a PostgreSQL one joins this list later)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statemedia.store import Store
from statemedia.store.sqlite import SQLiteStore

STORES = ["sqlite"]


def make_store(kind: str, tmp: Path) -> Store:
    if kind == "sqlite":
        return SQLiteStore(tmp / "corpus.db")
    raise ValueError(kind)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


def write_jsonl_gz(path: Path, records: list[dict[str, Any]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path
