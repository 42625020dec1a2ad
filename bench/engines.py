"""Issue 7: PostgreSQL beside SQLite, and Ray beside local processes, in the same run.

1. Store: ingest the same KCNA stories (no analysis) into a SQLite file and a PostgreSQL
   database, articles/s each, then time the 20 search queries of bench/store.py on both
   (p50/p95; the ones a store rejects, NEAR on PostgreSQL, are left out of both), with the
   PostgreSQL / SQLite ratios: the two run in turn on the same machine, so the ratios hold
   when the load does not. PostgreSQL runs on the server named by $STATEMEDIA_TEST_PG
   (``eval "$(tools/start_postgres.sh)"``); without one that half is skipped.
2. Engines: analyse the same English stories with the full pipeline on 2 local processes
   and on 2 Ray workers (a local Ray instance), stories/s each, start-up apart; then the
   rate at which the driver writes analysed stories to each store: the ceiling on how far
   more Ray workers can go with one writer.

Run: ``python bench/engines.py [STORE_N] [ENGINE_N]`` (defaults 5000 and 400; ENGINE_N 0 skips part 2).
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from statemedia.capture import capture_record
from statemedia.engine import ray as ray_engine
from statemedia.engine.local import analyze_stream
from statemedia.errors import QueryError
from statemedia.ingest import ingest, pipeline_version
from statemedia.model import Document
from statemedia.store import Query, Store
from statemedia.store.postgres import PostgresStore
from statemedia.store.sqlite import SQLiteStore

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"
PG_URL = os.environ.get("STATEMEDIA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/statemedia_test")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from store import QUERIES  # noqa: E402  (bench/store.py: the same 20 queries as the SQLite figures)

REPEAT = 5


def records() -> Iterator[dict[str, Any]]:
    for path in sorted(KCNA.glob("kcna-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def pg_database() -> tuple[str, Callable[[], None]] | None:
    import psycopg

    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL skipped: no server at {PG_URL} ({str(exc).splitlines()[0]})")
        return None
    name = f"statemedia_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE DATABASE {name}")
    base = PG_URL.rsplit("/", 1)[0]

    def drop() -> None:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()

    return f"{base}/{name}", drop


def searchable(stores: list[tuple[str, Store]]) -> list[Query]:
    """The bench queries every store accepts."""
    ok = []
    for text in QUERIES:
        try:
            for _, store in stores:
                store.search(Query(text, limit=20))
        except QueryError as exc:
            print(f"left out: {exc}")
            continue
        ok.append(Query(text, limit=20))
    return ok


def search_latency(store: Store, queries: list[Query]) -> tuple[float, float]:
    times = []
    for _ in range(REPEAT):
        for query in queries:
            start = time.perf_counter()
            store.search(query)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def bench_stores(n: int, tmp: Path) -> None:
    rows = [r for _, r in zip(range(n), records(), strict=False)]
    data = write_jsonl(tmp / "stories.jsonl.gz", rows)
    stores: list[tuple[str, Store]] = [("sqlite", SQLiteStore(tmp / "bench.db"))]
    pg = pg_database()
    if pg is not None:
        stores.append(("postgresql", PostgresStore(pg[0])))
    rates: dict[str, float] = {}
    for name, store in stores:
        start = time.perf_counter()
        ingest(store, [data], analyze=False)
        rates[name] = len(rows) / (time.perf_counter() - start)
    queries = searchable(stores)
    p95: dict[str, float] = {}
    for name, store in stores:
        search_latency(store, queries[:1])  # warm the connection and the caches of one query
        p50, p95[name] = search_latency(store, queries)
        print(
            f"{name:10s} raw ingest {rates[name]:7.0f} stories/s   search p50 {p50:6.1f} ms  p95 {p95[name]:6.1f} ms "
            f"({len(queries)} queries x {REPEAT})"
        )
        if isinstance(store, PostgresStore):
            # Right after an ingest each search also scans the GIN pending list and sets hint
            # bits, until autovacuum (on its own, within a minute or so) does what this does.
            store.conn.execute("VACUUM ANALYZE")
            p50, p95[name] = search_latency(store, queries)
            print(f"{name:10s} after VACUUM ANALYZE          search p50 {p50:6.1f} ms  p95 {p95[name]:6.1f} ms")
        store.close()
    if "postgresql" in rates:
        print(
            f"PostgreSQL / SQLite ({len(rows)} stories): ingest rate {rates['postgresql'] / rates['sqlite']:.2f}, "
            f"search p95 {p95['postgresql'] / p95['sqlite']:.2f}; load average {os.getloadavg()[0]:.1f}"
        )
    if pg is not None:
        pg[1]()


def english(n: int) -> list[Document]:
    docs = []
    for record in records():
        if record["language"] == "en":
            docs.append(capture_record(record, location=record["id"]))
            if len(docs) == n:
                break
    return docs


def bench_engines(n: int, tmp: Path) -> None:
    import ray

    start = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    ray_start = time.perf_counter() - start
    start = time.perf_counter()
    on_ray = list(ray_engine.analyze_stream(english(n), n_process=2))
    ray_s = time.perf_counter() - start
    ray.shutdown()
    start = time.perf_counter()
    local = list(analyze_stream(english(n), n_process=2))
    local_s = time.perf_counter() - start
    same = sum(a == b for a, b in zip(on_ray, local, strict=True))
    print(f"local, 2 processes: {n / local_s:5.1f} stories/s ({local_s:.0f} s, spaCy start included)")
    print(f"Ray, 2 workers:     {n / ray_s:5.1f} stories/s ({ray_s:.0f} s, actor start included)")
    print(f"ray.init (local instance, once per session): {ray_start:.1f} s")
    print(f"Ray / local throughput: {local_s / ray_s:.2f}; identical results: {same}/{n}")
    analysed = [d for d in on_ray if isinstance(d, Document)]
    targets: list[tuple[str, Store]] = [("sqlite", SQLiteStore(tmp / "written.db"))]
    pg = pg_database()
    if pg is not None:
        targets.append(("postgresql", PostgresStore(pg[0])))
    version = pipeline_version()
    for name, store in targets:
        start = time.perf_counter()
        for i in range(0, len(analysed), 500):
            with store.transaction() as writer:
                for doc in analysed[i : i + 500]:
                    writer.put(doc, pipeline_version=version)
        rate = len(analysed) / (time.perf_counter() - start)
        annotations = store.counts()["annotations"] / max(len(analysed), 1)
        print(f"driver writes analysed stories to {name}: {rate:6.0f} stories/s ({annotations:.0f} annotations each)")
        store.close()
    if pg is not None:
        pg[1]()


def main() -> None:
    store_n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    engine_n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    with tempfile.TemporaryDirectory() as tmp:
        bench_stores(store_n, Path(tmp))
        if engine_n:
            bench_engines(engine_n, Path(tmp))


if __name__ == "__main__":
    main()
