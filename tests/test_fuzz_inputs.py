"""Fuzz suite (issue 17): mutated real KCNA records in every input kind — JSON Lines (.jsonl.gz), CSV,
JSON (an array, and files of one record) and the upload API. Over 1,000 malformed records a run:
no traceback, no good record lost, every reject named by its file:line / row / item."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_records import (
    Case,
    csv_case,
    csv_locations,
    csv_without_body,
    json_array_case,
    json_file,
    jsonl_bytes,
    jsonl_case,
    jsonl_locations,
    seeded,
)
from statemedia.capture import read_path
from statemedia.errors import InputError
from statemedia.model import Document
from statemedia.store.sqlite import SQLiteStore
from statemedia.web.app import create_app

TOKEN = "fuzz-token"
# Malformed records fed per run, per kind (the seeded bulk cases below; hypothesis adds more).
SIZES = {"jsonl": 450, "csv": 300, "json": 260, "api": 300}


def _pick(draw: st.DrawFn) -> Any:
    return lambda n: draw(st.integers(0, n - 1))


def _items(path: Path) -> tuple[list[Document], list[InputError]]:
    docs: list[Document] = []
    errors: list[InputError] = []
    for item in read_path(path):
        (docs if isinstance(item, Document) else errors).append(item)  # type: ignore[arg-type]
    return docs, errors


def _stored(db: Path) -> list[str]:
    store = SQLiteStore(db)
    try:
        return sorted(d.id for d in store.documents())
    finally:
        store.close()


def _cli_ingest(tmp: Path, *paths: Path) -> list[dict[str, Any]]:
    """``statemedia ingest`` as a user runs it: exit 1 (some rejected), no traceback; the rejects."""
    rejects = tmp / "rejects.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "statemedia", "ingest", *map(str, paths), "--db", str(tmp / "cli.db"),
         "--no-analyze", "--rejects", str(rejects)],
        capture_output=True, text=True, timeout=120,
    )
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert "rejected: see" in run.stderr
    return [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]


def _assert_rejects(rejects: list[dict[str, Any]], locations: list[str]) -> None:
    assert [r["where"] for r in rejects] == locations, "every malformed record, with its location"
    assert all(r["reason"] and str(r["code"]).startswith("E1") for r in rejects)


# --- the seeded bulk run: over 1,000 malformed records --------------------------------------------


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each kind's input files and what they hold, from one seed."""
    tmp = tmp_path_factory.mktemp("fuzz")
    # JSON Lines, gzipped, with a byte-order mark.
    jl = jsonl_case(seeded(1), SIZES["jsonl"] * 2)
    jl_path = tmp / "fuzz.jsonl.gz"
    jl_path.write_bytes(gzip.compress(jsonl_bytes(jl, bom=True)))
    # CSV: records under a header in some case, and a file whose header has no text column.
    data, cs = csv_case(seeded(2), SIZES["csv"] * 5 // 3 - 40)
    cs_path = tmp / "fuzz.csv"
    cs_path.write_bytes(data)
    nobody, n_nobody = csv_without_body(seeded(3), 40)
    nb_path = tmp / "nobody.csv"
    nb_path.write_bytes(nobody)
    # JSON: an array of records, and a folder of one-record files.
    folder = tmp / "json"
    folder.mkdir()
    items, ja = json_array_case(seeded(4), 300)
    ja_path = folder / "array.json"
    ja_path.write_text(json.dumps(items), encoding="utf-8")
    pick = seeded(5)
    singles: list[tuple[Path, str | None]] = []
    for i in range(160):
        body, good = json_file(pick, i)
        path = folder / f"one-{i:03d}.json"
        path.write_bytes(body)
        singles.append((path, good))
    # The upload API: JSON Lines in the request body.
    api = jsonl_case(seeded(6), SIZES["api"] * 2, prefix="api")
    return {
        "tmp": tmp, "jsonl": (jl_path, jl), "csv": (cs_path, cs, nb_path, n_nobody),
        "json": (folder, ja_path, ja, singles), "api": api,
    }


def _malformed(bulk: dict[str, Any]) -> dict[str, int]:
    _, jl = bulk["jsonl"]
    _, cs, _, n_nobody = bulk["csv"]
    _, _, ja, singles = bulk["json"]
    return {
        "jsonl": jl.bad, "csv": cs.bad + n_nobody, "json": ja.bad + sum(g is None for _, g in singles),
        "api": bulk["api"].bad,
    }


def test_a_run_feeds_over_1000_malformed_records(bulk: dict[str, Any]) -> None:
    counts = _malformed(bulk)
    print("malformed records per kind:", counts)
    assert all(n >= 100 for n in counts.values()), counts
    assert sum(counts.values()) >= 1000, counts


def test_jsonl_gz_through_the_cli(bulk: dict[str, Any], tmp_path: Path) -> None:
    path, case = bulk["jsonl"]
    rejects = _cli_ingest(tmp_path, path)
    _assert_rejects(rejects, jsonl_locations(case, str(path)))
    assert _stored(tmp_path / "cli.db") == sorted(case.good), "every good record stored"


def test_csv_through_the_cli(bulk: dict[str, Any], tmp_path: Path) -> None:
    path, case, nobody, n_nobody = bulk["csv"]
    rejects = _cli_ingest(tmp_path, path, nobody)
    _assert_rejects(rejects, csv_locations(case, str(path)) + [f"{nobody}:row {n}" for n in range(2, n_nobody + 2)])
    assert _stored(tmp_path / "cli.db") == sorted(case.good), "every good record stored"


def test_json_files_through_the_cli(bulk: dict[str, Any], tmp_path: Path) -> None:
    folder, array, case, singles = bulk["json"]
    rejects = _cli_ingest(tmp_path, folder)
    # The folder is read in path order: array.json, then one-000.json ...
    locations = [f"{array}:item {n}" for n, e in enumerate(case.expected, 1) if e is None]
    locations += [str(path) for path, good in singles if good is None]
    _assert_rejects(rejects, locations)
    good = case.good + [g for _, g in singles if g is not None]
    assert _stored(tmp_path / "cli.db") == sorted(good), "every good record stored"


def test_upload_api(bulk: dict[str, Any], tmp_path: Path) -> None:
    case: Case = bulk["api"]
    db = tmp_path / "web.db"
    SQLiteStore(db).close()
    with TestClient(create_app(db, token=TOKEN), raise_server_exceptions=True) as client:
        r = client.post(
            "/api/ingest?analyze=false", content=jsonl_bytes(case), headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["summary"]["new"] == len(case.good) and body["summary"]["rejected"] == case.bad
    where = [w["where"] for w in body["rejects"]]
    # A reject names its line of the upload, never the server's temporary file.
    assert where == [f"upload:{loc.rsplit(':', 1)[1]}" for loc in jsonl_locations(case, "")]
    assert "statemedia-upload-" not in r.text
    assert all(w["reason"] and w["code"].startswith("E1") for w in body["rejects"])
    assert _stored(db) == sorted(case.good), "every good record stored"


# --- hypothesis: the same mutations, drawn and shrunk, through the readers ------------------------

FUZZ = settings(
    max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)




@st.composite
def _jsonl(draw: st.DrawFn) -> Case:
    return jsonl_case(_pick(draw), draw(st.integers(1, 20)), prefix="hj")


@FUZZ
@given(_jsonl(), st.booleans())
def test_fuzz_jsonl(case: Case, bom: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_bytes(jsonl_bytes(case, bom=bom))
        docs, errors = _items(path)
        assert [d.id for d in docs] == case.good
        assert [e.where for e in errors] == jsonl_locations(case, str(path))


@st.composite
def _csv(draw: st.DrawFn) -> tuple[bytes, Case]:
    return csv_case(_pick(draw), draw(st.integers(1, 20)), prefix="hc")


@FUZZ
@given(_csv())
def test_fuzz_csv(made: tuple[bytes, Case]) -> None:
    data, case = made
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(data)
        docs, errors = _items(path)
        assert [d.id for d in docs] == case.good
        assert [e.where for e in errors] == csv_locations(case, str(path))


@st.composite
def _json(draw: st.DrawFn) -> tuple[list[Any], Case]:
    return json_array_case(_pick(draw), draw(st.integers(1, 20)), prefix="ha")


@FUZZ
@given(_json())
def test_fuzz_json_array(made: tuple[list[Any], Case]) -> None:
    items, case = made
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(json.dumps(items), encoding="utf-8")
        docs, errors = _items(path)
        assert [d.id for d in docs] == case.good
        assert [e.where for e in errors] == [f"{path}:item {n}" for n, e in enumerate(case.expected, 1) if e is None]


@FUZZ
@given(st.data())
def test_fuzz_json_file_of_one_record(data: st.DataObject) -> None:
    body, good = json_file(lambda n: data.draw(st.integers(0, n - 1)), 0, prefix="hf")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "one.json"
        path.write_bytes(body)
        docs, errors = _items(path)
        assert [d.id for d in docs] == ([good] if good else [])
        assert [e.where for e in errors] == ([] if good else [str(path)])
