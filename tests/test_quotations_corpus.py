"""Quotations across a store of real KCNA stories: the log and speaker counts from the CLI and
the REST API, the same records from Documents and from their JSON results."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from statemedia.analytics import quotations as quotes
from statemedia.cli import (
    app,
    commands,  # noqa: F401
)
from statemedia.report import to_json
from statemedia.store.sqlite import SQLiteStore
from statemedia.web.app import create_app
from web_fixtures import kcna_store_fixture, web_db_fixture  # noqa: F401

KIM = "person:kim-jong-un"


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db, token="")) as c:
        yield c


def test_api_filters_by_speaker_and_kind(client: TestClient) -> None:
    body = client.get("/api/quotations", params={"speaker": KIM, "limit": 100}).json()
    assert body["total"] >= 10
    assert {row["speaker_id"] for row in body["items"]} == {KIM}
    assert {row["kind"] for row in body["items"]} <= set(quotes.SPEECH)
    assert body["speakers"][0]["speaker_id"] == KIM and body["speakers"][0]["quotations"] == body["total"]
    titles = client.get("/api/quotations", params={"kind": "title", "limit": 100}).json()
    assert titles["total"] > 0 and {row["kind"] for row in titles["items"]} == {"title"}
    assert all(row["speaker"] is None for row in titles["items"])


def test_api_and_cli_list_the_same_quotations(client: TestClient, web_db: Path) -> None:
    api: list[dict[str, object]] = []
    while len(api) < 1_000:
        page = client.get("/api/quotations", params={"speaker": "Kim Jong Un", "limit": 50, "offset": len(api)}).json()
        api += page["items"]
        if len(api) >= page["total"]:
            break
    result = CliRunner().invoke(app, ["quotations", "--db", str(web_db), "--speaker", "Kim Jong Un", "-f", "json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert sorted((r["doc_id"], r["start"]) for r in cli) == sorted((r["doc_id"], r["start"]) for r in api)
    # Every listed quotation is the stored text between its offsets.
    store = SQLiteStore(web_db)
    try:
        for row in cli[:20]:
            doc = store.get(row["doc_id"])
            assert doc is not None and doc.text[row["start"] : row["end"]] == row["text"]
    finally:
        store.close()


def test_cli_speaker_counts(web_db: Path) -> None:
    result = CliRunner().invoke(app, ["quotations", "--db", str(web_db), "--view", "speakers", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["speaker_id"] == KIM  # the most quoted speaker of a leader-heavy sample
    counts = [int(r["quotations"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert all(int(r["quotations"]) == sum(int(r[k]) for k in quotes.SPEECH) for r in rows)


def test_cli_needs_exactly_one_source(web_db: Path) -> None:
    neither = CliRunner().invoke(app, ["quotations"])
    both = CliRunner().invoke(app, ["quotations", "story.txt", "--db", str(web_db)])
    assert neither.exit_code == 2 and both.exit_code == 2
    assert "give a corpus path or --db" in neither.stderr


def test_documents_and_json_results_give_the_same_records(web_db: Path) -> None:
    store = SQLiteStore(web_db)
    try:
        docs = [d for d in store.documents(annotations=True) if any(d.spans("quote"))][:15]
    finally:
        store.close()
    assert docs
    assert list(quotes.quotations(docs)) == list(quotes.quotations(to_json(d) for d in docs))
