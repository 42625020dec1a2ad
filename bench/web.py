"""Issue 6: web workbench — p50/p95 latency of search and article pages at ~22k articles.

The corpus is every KCNA story of 2011-2012 (22,333), ingested raw (no analysis), then a
subset re-ingested with the full pipeline (spaCy on 2 cores analyses ~12 stories/s, so
all 22k would take half an hour): those articles carry annotations (highlights, facets,
activities), the rest are text only. ``statemedia serve`` runs in its own process and
is timed over HTTP from this one, one request at a time after a warm-up pass:
- /search?q= (the HTML page with facets) and /api/search?q= over the 20 store queries,
  with and without filters; target p95 ≤ 200 ms;
- /articles/{id} for analysed and raw articles; target p95 ≤ 200 ms;
- baseline, same run: the store's own search (20 hits) and get, without the web layer.
Also: server start (index build) time and its resident memory.
Run: ``python bench/web.py [--quick]`` (quick: 200 analysed stories instead of 1,000).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from store import FILES, QUERIES  # bench/store.py: the same 20 queries as the store's benchmark

from statemedia.ingest import ingest
from statemedia.store import Query
from statemedia.store.sqlite import SQLiteStore

TARGET_MS = 200.0
FILTERS = [{}, {"year": "2012"}, {"language": "en"}, {"person": "person:kim-jong-un"}]


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def build(db: Path, analysed: int) -> tuple[list[str], list[str]]:
    """Raw ingest of every story, then full analysis of ``analysed`` of them (every k-th):
    returns (analysed ids, raw ids)."""
    store = SQLiteStore(db)
    t0 = time.perf_counter()
    ingest(store, FILES, analyze=False)
    print(f"raw ingest        {store.counts()['articles']:,} articles in {time.perf_counter() - t0:.0f} s")
    records = []
    for path in FILES:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            records += [json.loads(line) for line in fh]
    step = max(1, len(records) // analysed)
    subset = records[::step][:analysed]
    chosen = {r["id"] for r in subset}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "subset.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in subset), encoding="utf-8")
        t0 = time.perf_counter()
        ingest(store, [path], analyze=True)
    print(f"analysis          {len(subset):,} articles in {time.perf_counter() - t0:.0f} s (full pipeline)")
    store.close()
    return sorted(chosen), [r["id"] for r in records if r["id"] not in chosen]


def serve(db: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("statemedia")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(base + "/static/style.css", timeout=1).read()
            return proc, base, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None or time.perf_counter() - t0 > 300:
                raise RuntimeError("statemedia serve did not start") from None
            time.sleep(0.2)


def timed_ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def fetch(url: str) -> Callable[[], object]:
    def get() -> bytes:
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200, url
            body: bytes = response.read()
            return body

    return get


def row(name: str, times: list[float], baseline: list[float] | None = None) -> None:
    p50, p95 = pct(times, 50), pct(times, 95)
    verdict = "ok" if p95 <= TARGET_MS else "OVER"
    ratio = f"  {p50 / pct(baseline, 50):5.1f}x store p50" if baseline else ""
    print(f"{name:34s} n={len(times):4d}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(times):6.1f} ms  "
          f"[{verdict} ≤ {TARGET_MS:.0f}]{ratio}")


def main() -> int:
    quick = "--quick" in sys.argv
    analysed_n = 200 if quick else 1_000
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = Path(tmp) / "corpus.db"
        analysed, raw = build(db, analysed_n)
        rng = random.Random(6)
        store = SQLiteStore(db)
        searches = [(q, f) for q in QUERIES for f in FILTERS]
        base_search = [
            timed_ms(lambda q=q, f=f: store.search(Query(q, person=f.get("person"), language=f.get("language"))))
            for q, f in searches
        ]
        sample = rng.sample(analysed, min(100, len(analysed))) + rng.sample(raw, 100)
        base_get = [timed_ms(lambda d=d: store.get(d)) for d in sample]
        store.close()
        proc, base, started = serve(db)
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
            rss = int(next(line.split()[1] for line in status if line.startswith("VmRSS")))
            print(f"server start      {started:.1f} s (index build included), resident memory {rss / 1024:.0f} MB")

            def search_url(path: str, q: str, f: dict[str, str]) -> str:
                return f"{base}{path}?{urllib.parse.urlencode({'q': q, **f})}"

            pages = {
                "search page /search": [fetch(search_url("/search", q, f)) for q, f in searches],
                "search API /api/search": [fetch(search_url("/api/search", q, f)) for q, f in searches],
                "article page (analysed)": [fetch(f"{base}/articles/{d}") for d in sample[:100]],
                "article page (raw text only)": [fetch(f"{base}/articles/{d}") for d in sample[100:]],
            }
            for calls in pages.values():  # warm-up: page cache, templates, first-use imports
                for call in calls[:10]:
                    call()
            print(f"corpus            22k KCNA stories, {len(analysed):,} fully analysed (the rest raw text)")
            row("store.search (baseline)", base_search)
            for name, calls in pages.items():
                baseline = base_search if "search" in name else base_get
                row(name, [timed_ms(c) for c in calls], baseline)
            row("store.get (baseline)", base_get)
        finally:
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
