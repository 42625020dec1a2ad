"""Versions: re-ingest is a no-op, a changed text is a second version with a correct diff."""

from __future__ import annotations

from pathlib import Path

from conftest import kcna_sample
from statemedia.ingest import ingest
from statemedia.store import PutStatus, Query, Store
from statemedia.store.diff import diff_versions
from store_fixtures import store, write_jsonl_gz  # noqa: F401

RECORDS = kcna_sample(2100, step=10)


def test_reingest_is_a_noop(store: Store, tmp_path: Path) -> None:  # noqa: F811
    path = write_jsonl_gz(tmp_path / "kcna.jsonl.gz", RECORDS)
    first = ingest(store, [path], analyze=False)
    assert len(RECORDS) >= 2000
    assert first.new == len(RECORDS) and first.rejected == 0
    before = store.counts()
    again = ingest(store, [path], analyze=False)
    assert again.unchanged == len(RECORDS)
    assert again.new == again.versions == again.duplicates == 0
    assert store.counts() == before


def test_changed_text_becomes_second_version(store: Store, tmp_path: Path) -> None:  # noqa: F811
    original = next(r for r in RECORDS if "field guidance" in r["body"])
    ingest(store, [write_jsonl_gz(tmp_path / "v1.jsonl.gz", [original])], analyze=False)
    edited = dict(original, body=original["body"].replace("field guidance", "on-the-spot guidance", 1))
    summary = ingest(store, [write_jsonl_gz(tmp_path / "v2.jsonl.gz", [edited])], analyze=False)
    assert summary.versions == 1 and summary.new == 0
    versions = store.versions(original["id"])
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].content_hash != versions[1].content_hash
    old, new = store.get(original["id"], 1), store.get(original["id"])
    assert old is not None and new is not None
    assert "field guidance" in old.text and "on-the-spot guidance" in new.text
    diff = diff_versions(store, original["id"])
    removed = "".join(text for op, text in diff.words if op == "-")
    added = "".join(text for op, text in diff.words if op == "+")
    assert "field" in removed and "on-the-spot" in added
    assert "".join(t for op, t in diff.words if op != "-") == new.text
    assert "".join(t for op, t in diff.words if op != "+") == old.text
    assert any(line.startswith("+") and "on-the-spot" in line for line in diff.unified)
    # Only the current version is searchable.
    hits = store.search(Query('"on-the-spot guidance"'))
    assert [h.id for h in hits] == [original["id"]]
    for words, n in (('"on-the-spot guidance"', 1), ('"field guidance"', 0), ("guidance", 1)):
        sql, params = store.count_sql(Query(words), 100)  # the total a search shows
        assert store.query(sql, params)[0][0] == n == len(store.matches(Query(words), 100))


def test_same_text_under_same_id_is_unchanged(store: Store) -> None:  # noqa: F811
    from statemedia.capture import capture_record

    doc = capture_record(RECORDS[0], location="test")
    with store.transaction() as writer:
        assert writer.put(doc, pipeline_version=None).status is PutStatus.NEW
        assert writer.put(doc, pipeline_version=None).status is PutStatus.UNCHANGED
    assert store.counts()["documents"] == 1


def test_one_batch_holds_versions_and_copies(store: Store) -> None:  # noqa: F811
    """put_many of one batch gives what put gives one by one: a second version of an article
    within the batch supersedes the first, and an identical text under another id is a copy."""
    from statemedia.capture import capture_record

    original = next(r for r in RECORDS if "field guidance" in r["body"])
    edited = dict(original, body=original["body"].replace("field guidance", "on-the-spot guidance", 1))
    copy = dict(original, id=original["id"] + "-copy")
    docs = [capture_record(r, location="test") for r in (original, edited, copy, edited)]
    with store.transaction() as writer:
        puts = writer.put_many([(doc, None) for doc in docs])
    assert [p.status for p in puts] == [PutStatus.NEW, PutStatus.VERSION, PutStatus.NEW, PutStatus.UNCHANGED]
    assert puts[2].duplicate_of == original["id"]
    assert [v.version for v in store.versions(original["id"])] == [1, 2]
    counts = store.counts()
    assert counts["articles"] == 2 and counts["documents"] == 3 and counts["texts"] == 2
    assert counts["duplicate_groups"] == 1  # one word edited: the new version is a near copy of the copy
    hits = store.search(Query('"on-the-spot guidance"'))
    assert [h.id for h in hits] == [original["id"]]
    for words, n in (('"on-the-spot guidance"', 1), ('"field guidance"', 1), ("guidance", 2)):  # the copy too
        sql, params = store.count_sql(Query(words), 100)  # the total a search shows
        assert store.query(sql, params)[0][0] == n == len(store.matches(Query(words), 100))
    assert {h.id for h in store.search(Query('"field guidance"'))} == {copy["id"]}
