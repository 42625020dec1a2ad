"""Ingest with the full analysis, the CLI, export and the Python API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import statemedia
from conftest import kcna_sample
from statemedia.ingest import ingest, pipeline_version, reanalyze
from statemedia.store import Query, Store
from store_fixtures import STORES, make_store, write_jsonl_gz

# Stories of 2012 naming the new leader, plus others: a few hundred, fully analysed.
RECORDS = [r for r in kcna_sample(4000, language="en", step=5) if r["date"] >= "2012-06"][:200]


@pytest.fixture(scope="module", params=STORES)
def analysed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    tmp = tmp_path_factory.mktemp("analysed")
    store = make_store(request.param, tmp)
    data = write_jsonl_gz(tmp / "kcna.jsonl.gz", RECORDS)
    summary = ingest(store, [data], n_process=2)
    assert summary.new == len(RECORDS) and summary.analysed == len(set(r["body"] for r in RECORDS))
    again = ingest(store, [data], n_process=2)
    assert again.unchanged == len(RECORDS) and again.analysed == 0
    yield store
    store.close()


def test_full_analysis_is_stored(analysed: Store) -> None:
    doc = analysed.get(RECORDS[0]["id"])
    assert doc is not None
    labels = doc.labels()
    assert {"sentence", "entity"} <= labels
    assert analysed.analysed_version(doc.content_hash) == pipeline_version()
    for ann in doc.annotations:
        assert 0 <= ann.start <= ann.end <= len(doc.text)


def test_person_filter(analysed: Store) -> None:
    hits = analysed.search(Query("Kim", person="Kim Jong Un", limit=50))
    by_id = analysed.search(Query("Kim", person="person:kim-jong-un", limit=50))
    assert hits and [h.id for h in hits] == [h.id for h in by_id]
    for hit in hits:
        doc = analysed.get(hit.id)
        assert doc is not None
        assert any(a.attrs.get("id") == "person:kim-jong-un" for a in doc.spans("entity"))
    everyone = analysed.search(Query("Kim", limit=200))
    assert len(everyone) > len(hits)


def test_reanalyze_only_when_version_differs(analysed: Store) -> None:
    assert reanalyze(analysed).analysed == 0


def test_python_api_and_export(analysed: Store, tmp_path: Path) -> None:
    with statemedia.open(analysed.path) as corpus:
        hits = corpus.search('"Kim Jong Un"', limit=5)
        assert hits and corpus.get(hits[0].id) is not None
        frame = corpus.to_pandas()
        assert len(frame) == len(RECORDS) and set(frame["id"]) == {r["id"] for r in RECORDS}
    from statemedia.store.export import export

    assert export(analysed, tmp_path / "c.parquet", "parquet") == len(RECORDS)
    assert len(pd.read_parquet(tmp_path / "c.parquet")) == len(RECORDS)
    export(analysed, tmp_path / "c.jsonl", "jsonl")
    first = json.loads((tmp_path / "c.jsonl").read_text().splitlines()[0])
    assert first["annotations"] and {"label", "start", "end", "attrs", "producer"} <= set(first["annotations"][0])
    from statemedia.report import validate

    validate(first)  # an export line is the same documented result as `analyze --format json`


def test_cli_ingest_show_diff(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from statemedia.cli import app, commands  # noqa: F401

    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    rec = RECORDS[0]
    data = write_jsonl_gz(tmp_path / "a.jsonl.gz", [rec, {"id": "bad", "body": ""}])
    result = runner.invoke(
        app, ["ingest", str(data), "--db", db, "--no-analyze", "--rejects", str(tmp_path / "bad.jsonl")]
    )
    assert result.exit_code == 1 and "new: 1" in result.stdout and "rejected: 1" in result.stdout
    changed = write_jsonl_gz(tmp_path / "b.jsonl.gz", [dict(rec, body=rec["body"] + " Extra closing line.")])
    assert runner.invoke(app, ["ingest", str(changed), "--db", db, "--no-analyze"]).exit_code == 0
    shown = runner.invoke(app, ["show", rec["id"], "--db", db])
    assert shown.exit_code == 0 and "v2" in shown.stdout and "Extra closing line." in shown.stdout
    diff = runner.invoke(app, ["diff", rec["id"], "--db", db, "--unified"])
    assert diff.exit_code == 0 and "Extra closing line." in diff.stdout
    assert runner.invoke(app, ["show", "no-such-id", "--db", db]).exit_code == 2
