"""Issue 15: `statemedia watch` throughput: pages/s through fetch → WARC → capture → store.

A KCNA-shaped site (tests/watch_site.py) serves real 2012 KCNA stories on 127.0.0.1; one pass
crawls it with rate limits off and analysis deferred (as `watch --no-analyze`, then
`reanalyze`). Figures, each against a baseline measured in the same run:
- first pass, pages/s (target ≥ 100 on 2 cores), against capture alone (capture_html over the
  same pages, no fetching, archiving or storing): the share of the pass capture takes;
- a second pass over the unchanged site, pages/s (conditional GETs: 304s, nothing captured);
- WARC archive bytes per 1,000 pages, against the pages' own bytes.
Run: ``python bench/watch.py [--quick]`` (full: 2,000 stories; quick: 300).
"""

from __future__ import annotations

import gzip
import json
import multiprocessing as mp
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from multiprocessing.synchronize import Event
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from statemedia.capture.html import capture_html
from statemedia.capture.sites import load_sites
from statemedia.store.sqlite import SQLiteStore
from statemedia.watch.crawl import run_pass
from statemedia.watch.options import watch_options
from watch_site import KcnaSite, Story

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"


def stories(n: int) -> list[dict[str, str]]:
    reserved = set((KCNA / "reserved-ids.txt").read_text().split())
    out = []
    with gzip.open(KCNA / "kcna-2012.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] not in reserved and record.get("language", "en") == "en":
                out.append(record)
                if len(out) == n:
                    break
    return out


def build(n: int) -> KcnaSite:
    site = KcnaSite(per_page=100)
    for record in stories(n):
        site.add(record["id"], Story(record["title"], record["body"], date.fromisoformat(record["date"])))
    return site


def serve(n: int, ports: mp.Queue[int], stop: Event) -> None:
    """The site in its own process, as a real one is: its threads do not share the crawler's GIL."""
    site = build(n).start()
    ports.put(int(site.base.rsplit(":", 1)[1]))
    stop.wait()
    site.stop()


def main() -> None:
    n = 300 if "--quick" in sys.argv else 2000
    ports: mp.Queue[int] = mp.Queue()
    stop = mp.Event()
    server = mp.Process(target=serve, args=(n, ports, stop), daemon=True)
    server.start()
    site = build(n)
    site.server = None
    base = f"http://127.0.0.1:{ports.get(timeout=60)}"
    pages = [s.page() for s in site.stories.values()]
    capture_html(pages[0], bold_names=True)  # imports and first-call set-up out of the timing
    start = time.perf_counter()
    for page in pages:
        capture_html(page, bold_names=True)
    capture_rate = len(pages) / (time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        sites = [s.with_base(base) for s in load_sites(only=["kcna-en"])]
        options = replace(watch_options(), archive=f"{tmp}/warc", host_delay=0.0, index_depth=n // 100 + 2)
        store = SQLiteStore(Path(tmp) / "s.db")
        start = time.perf_counter()
        first = run_pass(store, sites, options)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        second = run_pass(store, sites, options)
        second_s = time.perf_counter() - start
        warc_bytes = sum(f.stat().st_size for f in Path(options.archive).iterdir())
        fetched = first.fetched
    stop.set()
    server.join()
    page_bytes = sum(len(p) for p in pages)
    assert first.new == n, first
    rate = fetched / first_s
    print(f"stories served: {n} (real KCNA 2012, non-reserved), pages fetched in the first pass: {fetched}")
    print(f"capture alone (baseline):       {capture_rate:7.1f} pages/s")
    print(f"first pass (fetch→WARC→capture→store): {rate:7.1f} pages/s "
          f"(target ≥ 100; {rate / capture_rate:.2f}× capture alone)")  # fmt: skip
    print(f"second pass (unchanged: {second.not_modified} × 304): {second.fetched / second_s:7.1f} pages/s "
          f"({second.fetched / second_s / rate:.1f}× the first)")  # fmt: skip
    print(
        f"WARC bytes per 1,000 pages:     {warc_bytes / fetched * 1000 / 1e6:7.2f} MB "
        f"({warc_bytes / page_bytes:.2f}× the pages' bytes: gzip per record, request records included)"
    )


if __name__ == "__main__":
    main()
