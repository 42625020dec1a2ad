"""Faults a hostile tester provoked (issue 17), store side: ten ingests racing to create a new
database, and an analysing ingest SIGKILLed again and again."""

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

# The `statemedia` command, started at a given moment: its imports done first, so ten processes
# really open the new database together (started plainly, their import times stagger them).
AT_ONCE = """
import sys, time
import statemedia.cli.commands
from statemedia.cli import main
start = float(sys.argv.pop(1))
while time.time() < start:
    time.sleep(0.001)
sys.argv[0] = "statemedia"
main()
"""


def test_ten_ingests_at_once_on_a_new_database(tmp_path: Path) -> None:
    """Every one of 10 ingests started together on a database that does not exist yet finishes
    (before the fix 2 of 10 died with "table articles already exists"), and every story is there."""
    records = kcna_sample(60, step=97)
    assert len(records) == 60
    files = [write_jsonl_gz(tmp_path / f"part{i}.jsonl.gz", records[i::10]) for i in range(10)]
    db = tmp_path / "new" / "corpus.db"
    env = {**os.environ, "STATEMEDIA_DB": str(db)}
    start = time.time() + 8  # after every process has imported (~2 s each, 10 on 2 cores)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", AT_ONCE, str(start), "ingest", "--no-analyze", "--db", str(db),
             "--rejects", str(tmp_path / f"r{i}.jsonl"), str(path)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i, path in enumerate(files)
    ]  # fmt: skip
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    failed = [(rc, err) for rc, err in results if rc != 0]
    assert not failed, failed
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(records)
        assert conn.execute("SELECT count(DISTINCT doc_id) FROM documents").fetchone()[0] == len(records)
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == sorted(set(versions)) and versions


# The light pipeline (no spaCy: the kills must land inside analysis yet the test stay short);
# [store] analysis_batch_size is what is under test, so it stays at its default here.
CONFIG = '[pipeline]\ncomponents = ["numbers", "juche", "dates", "acronyms"]\n'
SCRIPT = """
import sys
from statemedia.config import load_config
from statemedia.ingest import ingest
from statemedia.store.sqlite import SQLiteStore
ingest(SQLiteStore(sys.argv[1]), [sys.argv[2]], config=load_config(sys.argv[3]), n_process=1)
"""


def _stored(db: Path) -> tuple[int, int]:
    """(documents, distinct doc ids) committed so far, read while the ingest writes (WAL)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone()
            return int(row[0]), int(row[1])
    except sqlite3.Error:
        return 0, 0  # not created yet, or the schema is still being made


def _ingest(db: Path, data: Path, config: Path, kill_at: int | None = None, jitter: float = 0.0) -> tuple[bool, int]:
    """Run an analysing ingest; with ``kill_at``, SIGKILL it ``jitter`` seconds after that many
    documents are committed (the kill lands anywhere in the next batch, in analysis or in a
    commit). (killed before it finished, documents seen committed just before the kill)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db), str(data), str(config)], start_new_session=True
    )
    if kill_at is None:
        assert proc.wait(timeout=120) == 0
        return False, _stored(db)[0]
    seen, deadline = 0, time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        seen = _stored(db)[0]
        if seen >= kill_at:
            break
        time.sleep(0.01)
    time.sleep(jitter)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return killed, seen


def test_sigkill_during_an_analysing_ingest_loses_at_most_one_batch(tmp_path: Path) -> None:
    """Each of 10+ kills at random points keeps every batch committed before it and leaves no
    duplicate; a final run stores the rest, every story once. Before the fix an analysing
    ingest of fewer than [store] batch_size (500) stories was one transaction: a kill anywhere
    lost all of it."""
    from statemedia.config import load_config
    from statemedia.ingest import ingest
    from statemedia.store.sqlite import SQLiteStore

    records = kcna_sample(1500, step=14)
    assert len(records) == 1500
    data = write_jsonl_gz(tmp_path / "kcna.jsonl.gz", records)
    config = tmp_path / "light.toml"
    config.write_text(CONFIG)
    loaded = load_config(config)
    batch = int(loaded["store"]["analysis_batch_size"])
    assert batch < int(loaded["store"]["batch_size"])

    # In process: every write batch (one transaction each) holds at most one analysis batch.
    sizes: list[int] = []
    started = time.monotonic()
    summary = ingest(SQLiteStore(tmp_path / "reference.db"), [data], config=loaded, n_process=1, progress=sizes.append)
    per_batch = (time.monotonic() - started) / len(sizes)
    assert summary.analysed > 0.9 * len(records) and summary.new == len(records)
    assert max(sizes) == batch and len(sizes) == -(-len(records) // batch), sizes

    db = tmp_path / "killed.db"
    rng = random.Random(17)
    # Kill points over the whole run: after a random number of committed documents (0: while
    # the first batch is analysed), plus a random delay that lands the kill anywhere in the next
    # batch or two (analysing, or committing).
    targets = sorted(rng.sample(range(len(records) - 3 * batch), 12))
    mid_run, before, progress = 0, 0, []
    for target in targets:
        killed, seen = _ingest(db, data, config, target, rng.uniform(0.0, 2 * per_batch))
        count, distinct = _stored(db)
        assert count == distinct, "a kill left a duplicate"
        assert count >= max(before, seen), f"committed documents lost: {count} < {max(before, seen)}"
        mid_run += killed and count < len(records)
        progress.append(count)
        before = count
    assert mid_run >= 10, (mid_run, progress)
    print("committed after each kill:", progress)
    assert 0 < progress[-1] < len(records), progress  # the kills left work for the final run
    _ingest(db, data, config)
    assert _stored(db) == (len(records), len(records))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM texts WHERE pipeline_version IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(records)
