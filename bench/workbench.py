"""Issue 16: the workbench at 22k and at 1M stories — start-up, memory, every route under load.

The 22k store is bench/web.py's: every KCNA story of 2011-2012 ingested raw, a spread of them
(1,000; --quick 200) analysed with the full pipeline. The 1M store is that store repeated 45
times in SQL with new ids, keys and text hashes, and dates moved back 2 years a copy (so the
corpus spans 90 years), annotations and the per-text tables copied with their texts, then the
search index rebuilt: building it takes minutes, analysing a million stories would take weeks.
For each store, ``statemedia serve`` runs in its own process:
- start-up: seconds from launch to the first answer; resident memory after the routes ran
  (VmRSS) and at its peak (VmHWM);
- every page and API route (40 requests each, varied parameters) from 8 concurrent clients:
  p50/p95 per route. Targets at 1M: memory ≤ 500 MB, start-up ≤ 2 s, p95 ≤ 300 ms (search ≤ 100 ms).
Baseline, same run: the store's own search for the same queries, one client.
Run: ``python bench/workbench.py [--quick] [--only-22k] [--keep DIR]``.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from store import QUERIES  # bench/store.py: the store benchmark's 20 queries
from web import build, fetch, pct, serve, timed_ms  # bench/web.py: the 22k store and the server

from statemedia.store import Query
from statemedia.store.layers import refresh_groups
from statemedia.store.sqlite import SQLiteStore

COPIES = 45  # 22,333 x 45 = 1,004,985 stories
CLIENTS = 8
PER_ROUTE = 40
# Columns copied per table, with the expressions that make copy k distinct ({k}, {t}, {d}, {a}:
# the copy number and the base store's highest text, document and article keys).
COPY = {
    "texts": "text_pk + {k}*{t}, hash || '~{k}', text, group_pk + {k}*{t}, pipeline_version, analysed_at",
    "articles": "article_pk + {k}*{a}, key || '~{k}', first_seen, last_seen, current_pk + {k}*{d}",
    "documents": "doc_pk + {k}*{d}, article_pk + {k}*{a}, version, doc_id || '~{k}', text_pk + {k}*{t}, title, "
    "outlet, url, date(published, '-{y} years'), language, source, meta, first_seen, last_seen, run_pk, is_current",
    "annotations": 'text_pk + {k}*{t}, start, "end", label, attrs, producer',
    "text_entities": "entity_id, name, type, text_pk + {k}*{t}, mentions",
    "text_labels": "facet, value, text_pk + {k}*{t}",
    # The day moves back with the copy's stories, in the column and in the attributes alike.
    "text_activities": "text_pk + {k}*{t}, ord, actor_id, actor, kind, date(day, '-{y} years'), "
    "CASE WHEN length(json_extract(attrs, '$.date')) = 10 "
    "THEN json_set(attrs, '$.date', date(json_extract(attrs, '$.date'), '-{y} years')) ELSE attrs END, domain",
    "activity_members": "text_pk + {k}*{t}, ord, role, position, member_id, name, actor_id, actor, kind, "
    "date(day, '-{y} years')",
    "activity_translations": "text_pk + {k}*{t}, ord, of_text_pk + {k}*{t}, of_ord",
    "text_quotations": 'text_pk + {k}*{t}, ord, start, "end", kind, speaker_id, speaker_name, speaker_key, who_fold, '
    "id_fold, text_fold, attrs",
    "text_claims": 'text_pk + {k}*{t}, ord, start, "end", counted, unit, subject_id, subject_name, subject_type, '
    "subject_fold, form_fold, value, sentence_start, sentence_end, attrs",
}
KEY = {"texts": "text_pk", "articles": "article_pk", "documents": "doc_pk"}


def scale(src: Path, dst: Path, copies: int) -> None:
    """``src`` repeated ``copies`` times into ``dst`` (see the module docstring)."""
    with sqlite3.connect(src) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(src, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    t, d, a = (conn.execute(f"SELECT max({c}) FROM {tb}").fetchone()[0] for tb, c in
               (("texts", "text_pk"), ("documents", "doc_pk"), ("articles", "article_pk")))  # fmt: skip
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for k in range(1, copies):
        for table, columns in COPY.items():
            expr = columns.format(k=k, t=t, d=d, a=a, y=2 * k)
            where = f"WHERE {KEY[table]} <= {dict(texts=t, documents=d, articles=a)[table]}" if table in KEY else (
                f"WHERE text_pk <= {t}")  # fmt: skip
            conn.execute(f"INSERT INTO {table} SELECT {expr} FROM {table} {where}")
    conn.execute("COMMIT")
    copied = time.perf_counter() - t0
    conn.execute("INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')")
    conn.execute("ANALYZE")
    conn.close()
    store = SQLiteStore(dst)  # claims are judged over all copies together, not copied (store/layers.py)
    try:
        with store.transaction() as w:
            refresh_groups(w, None)
    finally:
        store.close()
    print(f"1M store          {copies} copies in {copied:.0f} s, search index and claims rebuilt in "
          f"{time.perf_counter() - t0 - copied:.0f} s, {dst.stat().st_size / 1e9:.1f} GB")  # fmt: skip


def routes(db: Path, rng: random.Random) -> dict[str, list[str]]:
    """Every page and API route with varied parameters (ids drawn from the store)."""
    conn = sqlite3.connect(db)
    docs = [r[0] for r in conn.execute("SELECT doc_id FROM documents ORDER BY random() LIMIT 40")]
    analysed = [r[0] for r in conn.execute(
        "SELECT d.doc_id FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
        "WHERE t.pipeline_version IS NOT NULL ORDER BY random() LIMIT 40")]  # fmt: skip
    people = [r[0] for r in conn.execute(
        "SELECT entity_id FROM text_entities WHERE type = 'PERSON' GROUP BY entity_id "
        "ORDER BY count(*) DESC LIMIT 40")]  # fmt: skip
    conn.close()
    q = lambda: urllib.parse.quote(rng.choice(QUERIES))  # noqa: E731
    pick = lambda xs: urllib.parse.quote(rng.choice(xs), safe="")  # noqa: E731
    n = range(PER_ROUTE)
    return {
        "/ (home)": ["/" for _ in n],
        "/search": [f"/search?q={q()}" for _ in n],
        "/api/search": [f"/api/search?q={q()}" for _ in n],
        "/api/search.atom": [f"/api/search.atom?q={q()}" for _ in n],
        "/articles/{id}": [f"/articles/{pick(docs + analysed)}" for _ in n],
        "/api/articles/{id}": [f"/api/articles/{pick(analysed)}" for _ in n],
        "/api/articles": [f"/api/articles?offset={rng.randrange(0, 5000)}" for _ in n],
        "/activities": [f"/activities?leader=Kim+Jong+Un&kind={rng.choice(['', 'field_guidance'])}" for _ in n],
        "/api/activities": [
            f"/api/activities?leader=Kim+Jong+Un&view={rng.choice(['log', 'calendar', 'elite', 'monthly'])}"
            for _ in n
        ],
        "/trends": [f"/trends?terms={q()}" for _ in n],
        "/api/trends": [f"/api/trends?person={pick(people)}" for _ in n],
        "/entities": ["/entities?type=PERSON" for _ in n],
        "/api/entities": [f"/api/entities?offset={rng.randrange(0, 200)}" for _ in n],
        "/entities/{id}": [f"/entities/{pick(people)}" for _ in n],
        "/api/entities/{id}": [f"/api/entities/{pick(people)}" for _ in n],
        "/api/quantities": [f"/api/quantities?offset={rng.randrange(0, 500)}" for _ in n],
        "/api/techniques": [f"/api/techniques?offset={rng.randrange(0, 500)}" for _ in n],
        "/api/quotations": [f"/api/quotations?offset={rng.randrange(0, 200)}" for _ in n],
        "/claims": ["/claims" for _ in n],
        "/api/claims": [f"/api/claims?offset={rng.randrange(0, 200)}" for _ in n],
        "/changes": ["/changes" for _ in n],
        "/api/changes": ["/api/changes" for _ in n],
        "/watchlists": ["/watchlists" for _ in n],
    }


TIMEOUT_S = 30


def attempt(url: str) -> float:
    """Milliseconds one request took; a request that times out counts as the whole timeout."""
    try:
        return timed_ms(fetch(url))
    except TimeoutError:
        return TIMEOUT_S * 1000.0


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def measure(db: Path, label: str, target_ms: float) -> None:
    rng = random.Random(16)
    store = SQLiteStore(db)
    baseline = [timed_ms(lambda q=q: store.search(Query(q))) for q in QUERIES]
    store.close()
    proc, base, started = serve(db)
    try:
        table = routes(db, rng)
        for urls in table.values():  # warm-up: page cache, templates, first-use imports
            attempt(base + urls[0])
        print(f"{label}: start-up {started:.1f} s (target ≤ 2 s); store.search baseline "
              f"p50 {pct(baseline, 50):.1f} ms, p95 {pct(baseline, 95):.1f} ms (one client)")  # fmt: skip
        with ThreadPoolExecutor(CLIENTS) as pool:
            for name, urls in table.items():
                times = list(pool.map(lambda u: attempt(base + u), urls))
                limit = 100.0 if "search" in name else target_ms
                p50, p95 = pct(times, 50), pct(times, 95)
                late = sum(t >= TIMEOUT_S * 1000 for t in times)
                print(f"  {name:22s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  [{'ok' if p95 <= limit else 'OVER'} ≤ "
                      f"{limit:.0f}]" + (f"  {late} timed out ({TIMEOUT_S} s)" if late else ""))  # fmt: skip
        rss, peak = memory(proc.pid)
        print(f"  memory: {rss:.0f} MB resident after the routes, peak {peak:.0f} MB (target ≤ 500 MB)")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # still busy with requests its clients gave up on
            proc.kill()
            proc.wait(10)


def main() -> int:
    quick = "--quick" in sys.argv
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    with tempfile.TemporaryDirectory(prefix="bench-workbench-") as tmp:
        # --keep DIR: build the stores there once and time them again on later runs (each run
        # opens them as they are: a migration added since upgrades them first).
        where = Path(keep or tmp)
        where.mkdir(parents=True, exist_ok=True)
        small, big = where / "kcna-22k.db", where / "kcna-1m.db"
        if not small.exists():
            build(small, 200 if quick else 1_000)
        measure(small, "22k stories", 300.0)
        if "--only-22k" in sys.argv:
            return 0
        if not big.exists():
            scale(small, big, COPIES)
        measure(big, "1M stories", 300.0)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
