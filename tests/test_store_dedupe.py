"""Duplicates in the KCNA corpus: exact repeats (same text, other id) and near repeats
are grouped, and search shows one hit per group with its copies."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from conftest import iter_kcna
from statemedia.ingest import ingest
from statemedia.model import Document, content_hash
from statemedia.store import Query, Store, open_store
from store_fixtures import store, write_jsonl_gz  # noqa: F401

# Near repeats measured on the corpus (word 5-gram Jaccard, see [dedupe] in defaults.toml).
NEAR = [("kcna-2011-12052", "kcna-2011-12053"), ("kcna-2011-11204", "kcna-2011-11218")]
# Same template, other names (Jaccard 0.79): must stay apart.
APART = [("kcna-2012-06169", "kcna-2012-06332"), ("kcna-2011-05061", "kcna-2011-05222")]


def _records() -> tuple[list[dict[str, object]], list[list[str]]]:
    records = list(iter_kcna(2011)) + list(iter_kcna(2012))
    by_hash: dict[str, list[str]] = defaultdict(list)
    for rec in records:
        by_hash[content_hash(str(rec["body"]).strip())].append(str(rec["id"]))
    exact = [ids for ids in by_hash.values() if len(ids) > 1][:15]
    wanted = {i for ids in exact for i in ids} | {i for pair in NEAR + APART for i in pair}
    return [r for r in records if r["id"] in wanted], exact


def test_duplicates_are_grouped(store: Store, tmp_path: Path) -> None:  # noqa: F811
    records, exact = _records()
    assert len(exact) == 15
    summary = ingest(store, [write_jsonl_gz(tmp_path / "dups.jsonl.gz", records)], analyze=False)
    assert summary.new == len(records)
    assert summary.duplicates >= len(exact) + len(NEAR)
    groups = {ids[0] for ids in exact} | {a for a, _ in NEAR}
    for ids in exact + [list(p) for p in NEAR]:
        doc = store.get(ids[0])
        assert doc is not None
        title_words = " ".join(w for w in (doc.title or doc.text[:80]).split()[:4] if w.isalpha())
        hits = store.search(Query(f'"{title_words}"', limit=50))
        mine = [h for h in hits if h.id in ids]
        assert len(mine) == 1, (ids, [h.id for h in hits])
        assert sorted([mine[0].id, *mine[0].copies]) == sorted(ids)
    for a, b in APART:
        hits = store.search(Query(f"{a.split('-')[0]} OR delegation", limit=100))
        assert not any(h.id == a and b in h.copies for h in hits)
    assert store.counts()["duplicate_groups"] == len(groups)
    # Store.duplicates: each member's group from the member's side, and no group for the apart ones.
    for ids in exact + [list(p) for p in NEAR]:
        for member in ids:
            assert store.duplicates(member) == [i for i in ids if i != member], member
    for a, b in APART:
        assert b not in store.duplicates(a) and a not in store.duplicates(b)
    assert store.duplicates("no-such-story") == []


def test_exact_copy_is_stored_once(store: Store, tmp_path: Path) -> None:  # noqa: F811
    records, exact = _records()
    ingest(store, [write_jsonl_gz(tmp_path / "dups.jsonl.gz", records)], analyze=False)
    counts = store.counts()
    assert counts["documents"] == len(records)
    assert counts["texts"] == len(records) - sum(len(ids) - 1 for ids in exact)



def test_a_store_read_never_hashes(tmp_path: Path) -> None:
    """The bands come from datasketch, which imports SciPy: made when a text is first hashed,
    so a store opened to read (``statemedia serve``) starts without them."""
    db = tmp_path / "s.db"
    written = open_store(db)
    with written.transaction() as w:
        w.put(Document("a", "Kim Jong Un visited a farm near Pyongyang."), pipeline_version=None)
    written.close()
    code = (
        "import sys\nfrom statemedia.store import Query, open_store\n"
        f"s = open_store({str(db)!r})\nassert s.search(Query('farm'))\ns.close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'datasketch'}))"
    )
    read = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert read.stdout.strip() == "[]"
