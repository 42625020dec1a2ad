"""Crash safety: an ingest SIGKILLed at random points loses nothing it committed, leaves
no half article, and a re-run completes the corpus without duplicates."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import kcna_sample
from store_fixtures import write_jsonl_gz

# A light pipeline (no spaCy) so the run is long enough to kill yet the test stays fast.
CONFIG = '[pipeline]\ncomponents = ["numbers", "juche", "dates"]\n[store]\nbatch_size = 40\n'
SCRIPT = """
import sys
from statemedia.config import load_config
from statemedia.store.ingest import ingest
from statemedia.store.sqlite import SQLiteStore
ingest(SQLiteStore(sys.argv[1]), [sys.argv[2]], config=load_config(sys.argv[3]), n_process=1)
"""


def _run(db: Path, data: Path, config: Path, kill_after: float | None) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db), str(data), str(config)], start_new_session=True
    )
    if kill_after is None:
        assert proc.wait(timeout=300) == 0
        return
    time.sleep(kill_after)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _annotation_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(
            conn.execute(
                "SELECT d.doc_id, (SELECT count(*) FROM annotations a WHERE a.text_pk = d.text_pk) "
                "FROM documents d"
            ).fetchall()
        )


def _check(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("INSERT INTO docs_fts(docs_fts) VALUES ('integrity-check')") is not None
        # No half article: every stored text was stored with its analysis.
        assert conn.execute("SELECT count(*) FROM texts WHERE pipeline_version IS NULL").fetchone()[0] == 0
        ids = [r[0] for r in conn.execute("SELECT doc_id FROM documents")]
        assert len(ids) == len(set(ids))


def test_sigkill_then_rerun(tmp_path: Path) -> None:
    records = kcna_sample(1500, step=14)
    data = write_jsonl_gz(tmp_path / "kcna.jsonl.gz", records)
    config = tmp_path / "light.toml"
    config.write_text(CONFIG)
    reference = tmp_path / "reference.db"
    _run(reference, data, config, None)
    expected = _annotation_counts(reference)
    assert len(expected) == len(records) and sum(expected.values()) > len(records)

    db = tmp_path / "crashed.db"
    rng = random.Random(7)
    stored = []
    for _ in range(6):
        _run(db, data, config, rng.uniform(1.0, 4.0))
        if db.exists():
            _check(db)
            stored.append(len(_annotation_counts(db)))
    assert stored == sorted(stored), "a committed batch was lost"
    assert stored and stored[-1] < len(records), "no kill landed mid-ingest"
    _run(db, data, config, None)
    _check(db)
    assert _annotation_counts(db) == expected
