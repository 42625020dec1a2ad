"""Bad input never stops an ingest: each bad record is rejected with a clear reason and
every good record is stored."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pandas as pd
import pyreadr

from conftest import kcna_sample
from statemedia.ingest import ingest
from statemedia.store import Store
from store_fixtures import store, write_jsonl_gz  # noqa: F401

RECORDS = kcna_sample(60, language="en", step=31)


def _ingest(store: Store, path: Path, tmp_path: Path) -> tuple[int, int, list[dict[str, str]]]:  # noqa: F811
    rejects = tmp_path / "rejects.jsonl"
    with rejects.open("w", encoding="utf-8") as fh:
        summary = ingest(store, [path], analyze=False, rejects=fh)
    lines = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert len(lines) == summary.rejected
    for line in lines:
        assert set(line) == {"where", "code", "reason"}
        assert line["code"].startswith("E1") and line["reason"] and "\n" not in line["reason"]
    return summary.new, summary.rejected, lines


def test_truncated_gzip(store: Store, tmp_path: Path) -> None:  # noqa: F811
    whole = write_jsonl_gz(tmp_path / "whole.jsonl.gz", RECORDS).read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    new, rejected, lines = _ingest(store, cut, tmp_path)
    assert rejected >= 1 and 0 < new < len(RECORDS)
    assert any("cut.jsonl.gz" in line["where"] for line in lines)
    assert store.get(RECORDS[0]["id"]) is not None


def test_csv_with_broken_row(store: Store, tmp_path: Path) -> None:  # noqa: F811
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "outlet", "date", "title", "body"])
    for i, rec in enumerate(RECORDS[:10]):
        writer.writerow([rec["id"], rec["outlet"], rec["date"], rec["title"], rec["body"]])
        if i == 4:
            writer.writerow(["broken-1", "KCNA", "not-a-date", "Broken", rec["body"]])
            writer.writerow(["broken-2", "KCNA", "2012-01-01", "No body", ""])
    path = tmp_path / "stories.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    new, rejected, lines = _ingest(store, path, tmp_path)
    assert new == 10 and rejected == 2
    assert all("stories.csv" in line["where"] for line in lines)
    assert store.get("broken-1") is None and store.get(RECORDS[9]["id"]) is not None


def test_rda_without_expected_table(store: Store, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "other.rda"
    pyreadr.write_rdata(str(path), pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}), df_name="unrelated")
    new, rejected, lines = _ingest(store, path, tmp_path)
    assert new == 0 and rejected == 1 and "other.rda" in lines[0]["where"]


def test_rda_with_stories(store: Store, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "kcna.rda"
    frame = pd.DataFrame(RECORDS[:20])[["id", "outlet", "date", "title", "body"]]
    pyreadr.write_rdata(str(path), frame, df_name="kcna")
    new, rejected, _ = _ingest(store, path, tmp_path)
    assert new == 20 and rejected == 0


def test_directory_with_binary_file(store: Store, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "pages"
    folder.mkdir()
    for rec in RECORDS[:5]:
        (folder / f"{rec['id']}.txt").write_text(f"{rec['title']}\n\n{rec['body']}", encoding="utf-8")
    (folder / "image.txt").write_bytes(gzip.compress(b"\x00\x01binary" * 200))
    new, rejected, lines = _ingest(store, folder, tmp_path)
    assert new == 5 and rejected == 1
    assert "image.txt" in lines[0]["where"]
