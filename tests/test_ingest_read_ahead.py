"""Ingest with capture in a reader process (read_ahead.py): the same records, errors
and store as capture in the writing process, and no reader left behind when stopped early."""

from __future__ import annotations

import gzip
import multiprocessing as mp
from pathlib import Path

from conftest import kcna_sample
from statemedia.capture import default_options, read_path
from statemedia.config import load_config
from statemedia.errors import InputError
from statemedia.ingest import ingest
from statemedia.model import Document
from statemedia.read_ahead import input_bytes, read_ahead
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import write_jsonl_gz


def _input(tmp_path: Path) -> Path:
    """~420 KCNA stories (English and Spanish) with one broken line in the middle."""
    path = write_jsonl_gz(tmp_path / "kcna.jsonl.gz", kcna_sample(420))
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    lines.insert(200, b'{"id": "broken", "body": ')
    path.write_bytes(gzip.compress(b"\n".join(lines)))
    return path


def _key(item: Document | InputError) -> tuple[str, str | None]:
    if isinstance(item, Document):
        return item.id, item.content_hash
    return item.where, item.reason


def test_reader_process_yields_what_capture_yields(tmp_path: Path) -> None:
    path = _input(tmp_path)
    expected = [_key(item) for item in read_path(path)]
    got = [_key(item) for item in read_ahead([path], batch_size=64, options=default_options())]
    assert got == expected
    assert any(where.endswith("line 201") for where, _ in got)  # the broken record, in its place
    assert input_bytes([tmp_path]) == input_bytes([path]) == path.stat().st_size


def test_stopping_early_ends_the_reader(tmp_path: Path) -> None:
    stream = read_ahead([_input(tmp_path)], batch_size=16, options=default_options())
    first = next(stream)
    assert isinstance(first, Document)
    stream.close()
    assert not [p for p in mp.active_children() if p.name == "statemedia-reader"]


def test_ingest_through_the_reader_process_stores_the_same(tmp_path: Path) -> None:
    path = _input(tmp_path)
    stores = []
    for name, min_bytes in (("inline", 10**12), ("reader", 0)):
        config = load_config()
        config["store"] = {**config["store"], "read_ahead_min_bytes": min_bytes}
        store = SQLiteStore(tmp_path / f"{name}.db")
        summary = ingest(store, [path], analyze=False, config=config)
        stores.append((summary.as_dict(), store.counts(), [d.id for d in store.documents()]))
        store.close()
    inline, reader = stores
    assert inline == reader
    assert inline[0]["rejected"] == 1 and inline[0]["new"] >= 400
