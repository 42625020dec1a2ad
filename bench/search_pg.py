"""Issue 16: PostgreSQL search latency against SQLite's on the same corpus (target: p95 ratio ≤ 2.0).

Every KCNA story of 2011-2012 (22,333) is ingested raw into a SQLite file and a fresh
PostgreSQL database (``VACUUM ANALYZE`` after loading, as an operator would), then the 20
queries of bench/store.py are timed on both stores, each with three filter sets that work
without analysis (none; language "en"; outlet + date range), through

- ``store.search(Query(..., limit=20))``: ranked hits with snippets and copies;
- ``store.matches(query, 20000)``: the newest matching doc ids (watchlist alerts read them; the web's
  totals and facets count the same match query, ``Store.match_sql``, in the database).

Each round times every (query, filters) pair ``REPEAT`` times per store after a warm-up
pass, the stores in turn, so the PostgreSQL / SQLite ratios hold when the machine's load
does not; the figures are medians across rounds of each round's p50 and p95. The pairs
with the largest ratio are listed, to show where PostgreSQL loses.
PostgreSQL runs on the server named by $STATEMEDIA_TEST_PG (a database is created and dropped;
without a server the bench is skipped).

Run: ``python bench/search_pg.py [ROUNDS]`` (default 3; ~2 min on 2 cores).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from statemedia.errors import QueryError
from statemedia.ingest import ingest
from statemedia.store import Query, Store
from statemedia.store.postgres import PostgresStore
from statemedia.store.sqlite import SQLiteStore

KCNA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "kcna"
FILES = [KCNA / "kcna-2011.jsonl.gz", KCNA / "kcna-2012.jsonl.gz"]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import pg_database  # noqa: E402  (bench/engines.py: a fresh database, skipped without a server)
from store import QUERIES  # noqa: E402  (bench/store.py: the same 20 queries as the SQLite figures)

REPEAT = 5  # timings of each (query, filters) pair per store and round
CAP = 20_000  # matches() cap: [web] facet_matches, the most matches the web's totals count
TARGET = 2.0
FILTERS: dict[str, dict[str, object]] = {
    "none": {},
    "en": {"language": "en"},
    "outlet+dates": {"outlet": "KCNA", "date_from": date(2011, 6, 1), "date_to": date(2011, 8, 31)},
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def accepted(stores: dict[str, Store]) -> list[Query]:
    """Every (query, filters) pair that both stores accept (a store may refuse some syntax)."""
    queries = []
    for text in QUERIES:
        try:
            for store in stores.values():
                store.search(Query(text))
        except QueryError as exc:
            print(f"left out: {exc}")
            continue
        queries += [Query(text, limit=20, **kw) for kw in FILTERS.values()]
    return queries


def timings(store: Store, queries: list[Query], op: str) -> dict[Query, list[float]]:
    """Milliseconds per call, ``REPEAT`` calls of each query after one warm-up call."""
    call: Callable[[Query], object] = store.search if op == "search" else (lambda q: store.matches(q, CAP))
    out: dict[Query, list[float]] = {q: [] for q in queries}
    for query in queries:
        call(query)
    for _ in range(REPEAT):
        for query in queries:
            start = time.perf_counter()
            call(query)
            out[query].append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    made = pg_database()
    if made is None:
        return 0
    url, drop = made
    try:
        with tempfile.TemporaryDirectory(prefix="bench-search-pg-") as tmp:
            stores: dict[str, Store] = {
                "sqlite": SQLiteStore(Path(tmp) / "corpus.db"),
                "postgresql": PostgresStore(url),
            }
            for name, store in stores.items():
                start = time.perf_counter()
                ingest(store, FILES, analyze=False)
                seconds = time.perf_counter() - start
                print(f"{name:10s} raw ingest of {store.counts()['documents']:,} stories: {seconds:.0f} s")
            pg = stores["postgresql"]
            assert isinstance(pg, PostgresStore)
            pg.conn.execute("VACUUM ANALYZE")
            queries = accepted(stores)
            report(stores, queries, rounds)
            for store in stores.values():
                store.close()
    finally:
        drop()
    return 0


def report(stores: dict[str, Store], queries: list[Query], rounds: int) -> None:
    print(f"{len(queries) // len(FILTERS)} queries x {len(FILTERS)} filter sets x {REPEAT} calls, {rounds} rounds")
    worst: dict[str, dict[Query, list[float]]] = {"search": {}, "matches": {}}
    for op in ("search", "matches"):
        p50: dict[str, list[float]] = {name: [] for name in stores}
        p95: dict[str, list[float]] = {name: [] for name in stores}
        for _ in range(rounds):
            per_store = {name: timings(store, queries, op) for name, store in stores.items()}
            for name, times in per_store.items():
                flat = [t for ts in times.values() for t in ts]
                p50[name].append(pct(flat, 0.50))
                p95[name].append(pct(flat, 0.95))
            for q in queries:
                ratio = statistics.median(per_store["postgresql"][q]) / statistics.median(per_store["sqlite"][q])
                worst[op].setdefault(q, []).append(ratio)
        med = {name: (statistics.median(p50[name]), statistics.median(p95[name])) for name in stores}
        for name, (a, b) in med.items():
            spread = ", ".join(f"{v:.1f}" for v in p95[name])
            print(f"{op:8s} {name:10s} p50 {a:6.1f} ms  p95 {b:6.1f} ms  (p95 per round: {spread})")
        ratio95 = med["postgresql"][1] / med["sqlite"][1]
        verdict = "ok" if ratio95 <= TARGET else "OVER"
        print(f"{op:8s} PostgreSQL / SQLite: p50 {med['postgresql'][0] / med['sqlite'][0]:.2f}, "
              f"p95 {ratio95:.2f} (target ≤ {TARGET}: {verdict})")  # fmt: skip
    for op, ratios in worst.items():
        top = sorted(ratios.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
        names = {tuple(sorted(kw.items())): label for label, kw in FILTERS.items()}
        print(f"largest PostgreSQL / SQLite median ratios, {op}:")
        for q, rs in top:
            kw = {k: v for k, v in vars(q).items() if k in ("outlet", "language", "date_from", "date_to") and v}
            print(f"  {statistics.median(rs):5.2f}  {q.text}  [{names.get(tuple(sorted(kw.items())), kw)}]")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
