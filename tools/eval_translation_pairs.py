"""How well the store pairs a story's activities with its translation's (issue 14,
store/translations.py), at corpus scale: for docs/activities.md.

    python tools/eval_translation_pairs.py ../shared --start 2012-01-01 --end 2012-11-30 \
        --db /tmp/pairs.db --seed 20261203 --sample 40 > pairs.txt

Builds (once: an existing --db is reused) a store of the train-split KCNA stories published in
[start, end], both languages (``training.splits.split_of``: reserved and held-out stories are
never read past their id), analysed by the default pipeline; pairs every activity anew
(``translations.pair_all``); prints the counts (activities, those of each text language, Spanish
ones paired and left unpaired) and, for a hand check, a seeded random sample of pairs (both
activities) and of unpaired Spanish activities, each with the English activities of the same
leader published within the rule's window (what it could have been paired with). ``--orders``:
the stories with an activity written again into fresh stores in four orders, batch by batch, to
check that the write path's pairs are ``pair_all``'s whatever the order.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from statemedia.ingest import ingest
from statemedia.store.sqlite import SQLiteStore
from statemedia.store.translations import WINDOW, Act, current, name_words, pair_all, text_language
from statemedia.training.splits import reserved_ids, split_of


def _records(shared: Path, start: str, end: str) -> list[str]:
    reserved = reserved_ids(shared)
    lines = []
    for year in range(int(start[:4]), int(end[:4]) + 1):
        path = shared / "data" / "kcna" / f"kcna-{year}.jsonl.gz"
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if split_of(str(record["id"]), reserved) != "train":
                    continue
                if record.get("date") and start <= record["date"] <= end:
                    lines.append(line if line.endswith("\n") else line + "\n")
    return lines


def _describe(store: SQLiteStore, act: Act, short: bool = False) -> str:
    row = store.query(
        "SELECT d.title, t.attrs, substr(x.text, 1, 4000) FROM text_activities t JOIN documents d ON "
        "d.text_pk = t.text_pk JOIN texts x ON x.text_pk = t.text_pk "
        "WHERE t.text_pk = ? AND t.ord = ? AND d.doc_id = ?",
        (act.key[0], act.key[1], act.doc_id),
    )[0]
    attrs: dict[str, Any] = json.loads(row[1])
    ev = attrs.get("evidence") or {}
    sentence = row[2][ev.get("start", 0) : ev.get("end", 0)][:240] if ev.get("end", 0) <= 4000 else ""
    people = [m.get("name") for r in ("entourage", "present", "hosts") for m in attrs.get(r) or ()]
    if short:
        return f"    {act.doc_id} pub {act.published} day {act.day} {act.kind}/{act.direction or '-'}: {row[0]}"
    return (
        f"  {act.doc_id} [{act.language}] pub {act.published} day {act.day} {act.kind}/{act.direction or '-'}\n"
        f"    title: {row[0]}\n    target: {attrs.get('target')!r} place: {attrs.get('place')!r} "
        f"people: {people[:8]}\n    evidence: {' '.join(sentence.split())}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", type=Path)
    ap.add_argument("--start", default="2012-01-01")
    ap.add_argument("--end", default="2012-11-30")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--orders", action="store_true", help="also check that ingest order does not change the pairs")
    args = ap.parse_args(argv)
    if not args.db.exists():
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "train.jsonl"
            source.write_text("".join(_records(args.shared, args.start, args.end)), encoding="utf-8")
            store = SQLiteStore(args.db)
            ingest(store, [source])
            store.close()
    store = SQLiteStore(args.db)
    with store.transaction() as writer:
        pair_all(writer)
        acts = {a.key: a for a in current(writer)}
    links = {(int(t), int(o)): (int(ot), int(oo)) for t, o, ot, oo in store.query(
        "SELECT text_pk, ord, of_text_pk, of_ord FROM activity_translations")}  # fmt: skip
    stories = store.query("SELECT count(*) FROM documents")[0][0]
    by_lang = Counter(a.language for a in acts.values())
    spanish = [a for a in acts.values() if a.language == "es"]
    paired = [a for a in spanish if a.key in links]
    unpaired = [a for a in spanish if a.key not in links and a.key not in set(links.values())]
    print(f"period {args.start}..{args.end}, train split: {stories} stories, {len(acts)} activities "
          f"(current texts) by text language {dict(by_lang)}; pairs {len(links)}; Spanish activities "
          f"{len(spanish)}: paired {len(paired)}, unpaired {len(unpaired)}; shown after pairing "
          f"{len(acts) - len(links)}")  # fmt: skip
    rng = random.Random(args.seed)
    pairs = sorted(links.items())
    chosen = rng.sample(pairs, min(args.sample, len(pairs)))
    print(f"\n=== {len(chosen)} pairs of {len(pairs)} (seed {args.seed}) ===")
    for i, (t, o) in enumerate(chosen, 1):
        print(f"P{i}:\n{_describe(store, acts[o])}\n{_describe(store, acts[t])}")
    lonely = sorted(unpaired, key=lambda a: a.key)
    picked = rng.sample(lonely, min(args.sample, len(lonely)))
    print(f"\n=== {len(picked)} unpaired Spanish activities of {len(lonely)} (seed {args.seed}) ===")
    english = [a for a in acts.values() if a.language == "en"]
    originals = set(links.values())
    for i, act in enumerate(picked, 1):
        print(f"U{i}:\n{_describe(store, act)}")
        near = [e for e in english if e.actor_id == act.actor_id
                and abs((e.published - act.published).days) <= WINDOW]  # fmt: skip
        # The English activities it could be: of its kind, or sharing two names; most names first.
        near = [e for e in near if e.kind == act.kind or len(name_words(e.names & act.names)) >= 2]
        near.sort(key=lambda e: (-len(name_words(e.names & act.names)), e.published, e.doc_id))
        for e in near[:4]:
            tag = "PAIRED" if e.key in originals else "free"
            shared = sorted(name_words(e.names & act.names))
            print(f"   candidate ({tag}, {len(shared)} names shared {shared[:6]}):\n{_describe(store, e, short=True)}")
        if len(near) > 4:
            print(f"   ... {len(near) - 4} more of its kind")
        if not near:
            print("   no English activity of this leader and kind, or sharing two names, within the window")
    if args.orders:
        _orders(store, args.seed)
    store.close()
    return 0


def _orders(store: SQLiteStore, seed: int) -> None:
    """The stories with an activity written anew, a batch at a time, in four orders (by day, by day
    backwards, Spanish first, shuffled): the write path's pairs must be pair_all's every time."""
    docs = [d for d in store.documents(annotations=True) if any(a.label == "event" for a in d.annotations)]
    version = store.query("SELECT max(pipeline_version) FROM texts")[0][0]

    # A pair by its stories and each activity's place among its story's (text_activities.ord
    # numbers a write batch's activities, so its values depend on the batch).
    place = "(SELECT count(*) FROM text_activities a WHERE a.text_pk = x.{t} AND a.ord < x.{o})"
    links = (
        f"SELECT min(dt.doc_id), {place.format(t='text_pk', o='ord')}, "
        f"min(do.doc_id), {place.format(t='of_text_pk', o='of_ord')} "
        "FROM activity_translations x JOIN documents dt ON dt.text_pk = x.text_pk "
        "JOIN documents do ON do.text_pk = x.of_text_pk GROUP BY x.text_pk, x.ord, x.of_text_pk, x.of_ord"
    )

    def key(rows: list[Any]) -> set[tuple[str, int, str, int]]:
        return {(str(a), int(b), str(c), int(d)) for a, b, c, d in rows}

    rng = random.Random(seed)
    shuffled = docs[:]
    rng.shuffle(shuffled)
    orders = {
        "by day": sorted(docs, key=lambda d: (d.published or date.min, d.id)),
        "by day backwards": sorted(docs, key=lambda d: (d.published or date.min, d.id), reverse=True),
        "Spanish first": sorted(docs, key=lambda d: (text_language(d.text, d.language) == "en", d.id)),
        "shuffled": shuffled,
    }
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, order in orders.items():
            fresh = SQLiteStore(Path(tmp) / f"{len(results)}.db")
            for i in range(0, len(order), 100):
                with fresh.transaction() as writer:
                    writer.put_many([(d, version) for d in order[i : i + 100]])
            results[name] = key(fresh.query(links))
            with fresh.transaction() as writer:
                pair_all(writer)
            expected = key(fresh.query(links))
            fresh.close()
            print(f"order {name}: {len(order)} stories with an activity in batches of 100: {len(results[name])} "
                  f"pairs; pair_all {len(expected)}; the same: {results[name] == expected}")  # fmt: skip
    first = next(iter(results.values()))
    print(f"all orders give the same pairs: {all(r == first for r in results.values())}")
    for name, found in results.items():
        if found != first:
            print(f"  {name}: only here {sorted(found - first)}; only by day {sorted(first - found)}")


if __name__ == "__main__":
    sys.exit(main())
