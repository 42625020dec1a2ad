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
from statemedia.ingest import ingest
from statemedia.store.sqlite import SQLiteStore
ingest(SQLiteStore(sys.argv[1]), [sys.argv[2]], config=load_config(sys.argv[3]), n_process=1)
"""


def _run(db: Path, data: Path, config: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(db), str(data), str(config)])
    assert proc.wait(timeout=300) == 0


def _stored(db: Path) -> int:
    """Documents committed so far, read by a separate reader while the ingest writes (WAL)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet, or the schema is still being made


def _run_and_kill(db: Path, data: Path, config: Path, after_rows: int, jitter: float) -> bool:
    """Start an ingest and SIGKILL it once ``after_rows`` are committed (plus ``jitter`` seconds,
    so the kill lands anywhere in the next batch). True if it was killed before it finished."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db), str(data), str(config)], start_new_session=True
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if _stored(db) >= after_rows:
            time.sleep(jitter)
            break
        time.sleep(0.01)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return killed


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
    _run(reference, data, config)
    expected = _annotation_counts(reference)
    assert len(expected) == len(records) and sum(expected.values()) > len(records)

    db = tmp_path / "crashed.db"
    rng = random.Random(7)
    # Kill points spread over the whole run: after a random number of committed rows, plus a
    # random delay that lands the kill anywhere inside the next batch (or between batches).
    targets = sorted(rng.sample(range(1, len(records) - 200), 6))
    kills, stored = 0, []
    for target in targets:
        kills += _run_and_kill(db, data, config, target, rng.uniform(0.0, 0.3))
        if db.exists():
            _check(db)
            stored.append(len(_annotation_counts(db)))
    assert stored == sorted(stored), "a committed batch was lost"
    assert kills >= 5, f"only {kills} of 6 runs were killed mid-ingest"
    _run(db, data, config)
    _check(db)
    assert _annotation_counts(db) == expected
