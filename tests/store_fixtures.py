"""Store fixtures shared by the store/ingest tests: every test runs against each Store
implementation listed in STORES.

The PostgreSQL store needs a server: $STATEMEDIA_TEST_PG names a database on it (start
one with ``eval "$(tools/start_postgres.sh)"``; `.ci/run` does). Each store gets a fresh
database, dropped when the test process exits; without a reachable server the
PostgreSQL cases are skipped, saying why.
"""

from __future__ import annotations

import atexit
import gzip
import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from statemedia.model import Annotation, Document
from statemedia.store import Store
from statemedia.store.sqlite import SQLiteStore

STORES = ["sqlite", "postgresql"]
PG_URL = os.environ.get("STATEMEDIA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/statemedia_test")


@cache
def _pg_admin() -> Any:
    import psycopg

    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        return f"no PostgreSQL server at {PG_URL} ({str(exc).splitlines()[0]}); run tools/start_postgres.sh"
    atexit.register(conn.close)
    return conn


def _pg_database() -> str:
    """The URL of a new, empty database on the test server (dropped at exit)."""
    from psycopg.conninfo import conninfo_to_dict

    admin = _pg_admin()
    if isinstance(admin, str):
        pytest.skip(admin)
    name = f"statemedia_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE DATABASE {name}")
    atexit.register(admin.execute, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    params = conninfo_to_dict(PG_URL)
    user = params.get("user", "")
    auth = f"{user}:{params['password']}@" if params.get("password") else (f"{user}@" if user else "")
    return f"postgresql://{auth}{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{name}"


def make_store(kind: str, tmp: Path) -> Store:
    if kind == "sqlite":
        return SQLiteStore(tmp / "corpus.db")
    if kind == "postgresql":
        from statemedia.store.postgres import PostgresStore

        return PostgresStore(_pg_database())
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


def named_doc(
    doc_id: str,
    names: list[tuple[str, str, str]],
    *,
    words: str = "attended the meeting",
    published: date = date(2013, 12, 1),
    title: str | None = None,
    extra: list[Annotation] | None = None,
) -> Document:
    """An article naming ``names`` (entity id, name, type) in order, one sentence each, every
    name annotated as an entity as the pipeline would (``extra``: more annotations)."""
    text, annotations = "", []
    for eid, name, kind in names:
        start = len(text)
        text += f"{name} {words}. "
        attrs = {"id": eid, "name": name, "type": kind}
        annotations.append(Annotation(start, start + len(name), "entity", attrs, producer="entities"))
    text += f"Reported by KCNA ({doc_id})."
    return Document(doc_id, text, title=title or f"Story {doc_id}", outlet="KCNA", url=f"http://kcna.kp/{doc_id}",
                    published=published, annotations=annotations + list(extra or ()))  # fmt: skip
