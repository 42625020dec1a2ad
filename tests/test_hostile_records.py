"""Hostile records (issue 17): each bad record is rejected with its file, line and reason, and every
good record around it is still read and stored, whatever the input."""

from __future__ import annotations

import codecs
import gzip
import itertools
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import iter_kcna
from statemedia.capture import capture_record, capture_text, read_path
from statemedia.errors import BadRecordError, InputError
from statemedia.model import Document
from store_fixtures import write_jsonl_gz

# A few real stories, short ones first (capture time grows with the text).
STORIES = sorted(itertools.islice(iter_kcna(2012), 40), key=lambda r: len(r["body"]))[:12]
DEEP = "[" * 1000 + "]" * 1000


def _items(path: Path | str) -> tuple[list[Document], list[InputError]]:
    docs: list[Document] = []
    errors: list[InputError] = []
    for item in read_path(path):
        (docs if isinstance(item, Document) else errors).append(item)  # type: ignore[arg-type]
    return docs, errors


def _line(record: Any) -> str:
    # ensure_ascii: a lone surrogate is written as the escape "\ud800", as a hostile file would.
    return json.dumps(record)


def _write_lines(path: Path, lines: list[str], *, bom: bool = False) -> Path:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def _good(i: int) -> dict[str, Any]:
    return dict(STORIES[i % len(STORIES)], id=f"good-{i}")


def _one_reject(path: Path, line: int, *words: str) -> None:
    docs, errors = _items(path)
    assert [d.id for d in docs] == ["good-0", "good-2"]
    (err,) = errors
    assert isinstance(err, BadRecordError), err
    assert err.where == f"{path}:line {line}"
    for word in words:
        assert word in err.reason, err.reason


# --- 1. lone surrogates ---------------------------------------------------------------------------


def test_lone_surrogate_in_body_is_rejected(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "s.jsonl", [_line(_good(0)), _line({"id": "s", "body": "Kim \ud800 farm"}), _line(_good(2))]
    )
    _one_reject(path, 2, "surrogate", "body")


def test_lone_surrogate_in_any_field_is_rejected(tmp_path: Path) -> None:
    bad = dict(_good(1), note="x \udfff y")
    path = _write_lines(tmp_path / "s.jsonl", [_line(_good(0)), _line(bad), _line(_good(2))])
    _one_reject(path, 2, "surrogate", "note")


def test_lone_surrogate_in_text_is_rejected() -> None:
    with pytest.raises(InputError, match="surrogate"):
        capture_text("Pyongyang, May 3 (KCNA) -- Kim \ud800 farm visited the county.", location="t")


def test_ingest_keeps_the_good_records_around_a_surrogate(tmp_path: Path) -> None:
    from statemedia.ingest import ingest
    from statemedia.store.sqlite import SQLiteStore

    path = _write_lines(
        tmp_path / "s.jsonl", [_line(_good(0)), _line({"id": "s", "body": "Kim \ud800 farm"}), _line(_good(2))]
    )
    store = SQLiteStore(tmp_path / "corpus.db")
    try:
        summary = ingest(store, [path], analyze=False)
        assert (summary.new, summary.rejected) == (2, 1)
        assert store.get("good-0") is not None and store.get("s") is None
    finally:
        store.close()


# --- 2. deep nesting ------------------------------------------------------------------------------


def test_deeply_nested_line_is_rejected(tmp_path: Path) -> None:
    deep = '{"id": "d", "body": "text", "n": ' + DEEP + "}"
    path = _write_lines(tmp_path / "d.jsonl", [_line(_good(0)), deep, _line(_good(2))])
    _one_reject(path, 2, "nested")


def test_nesting_limit_does_not_depend_on_the_recursion_limit(tmp_path: Path) -> None:
    lines = [_line(dict(_good(i), n=json.loads("[" * depth + "]" * depth))) for i, depth in enumerate((150, 40))]
    path = _write_lines(tmp_path / "d.jsonl", lines)
    docs, errors = _items(path)
    assert [d.id for d in docs] == ["good-1"]
    assert [(e.where, "nested" in e.reason) for e in errors] == [(f"{path}:line 1", True)]


def test_deeply_nested_json_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('[{"id": "d", "body": "text", "n": ' + DEEP + "}]", encoding="utf-8")
    docs, errors = _items(path)
    assert not docs
    (err,) = errors
    assert isinstance(err, BadRecordError) and err.where == str(path) and "nested" in err.reason


def test_ingest_survives_a_deeply_nested_line(tmp_path: Path) -> None:
    from statemedia.ingest import ingest
    from statemedia.store.sqlite import SQLiteStore

    deep = '{"id": "d", "body": "text", "n": ' + DEEP + "}"
    path = _write_lines(tmp_path / "d.jsonl", [_line(_good(0)), deep, _line(_good(2))])
    store = SQLiteStore(tmp_path / "corpus.db")
    try:
        summary = ingest(store, [path], analyze=False)
        assert (summary.new, summary.rejected) == (2, 1)
    finally:
        store.close()


# --- 3. ids, bodies and titles that are not what they claim ---------------------------------------


@pytest.mark.parametrize("value", [[1, 2], {"a": 1}, True, 1.5, [None]])
def test_id_that_is_not_a_string_or_integer_is_rejected(tmp_path: Path, value: Any) -> None:
    path = _write_lines(tmp_path / "i.jsonl", [_line(_good(0)), _line(dict(_good(1), id=value)), _line(_good(2))])
    _one_reject(path, 2, "id")


def test_ten_list_ids_do_not_become_versions_of_one_story(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "i.jsonl", [_line(dict(_good(i), id=[1, 2])) for i in range(10)])
    docs, errors = _items(path)
    assert not docs and len(errors) == 10
    assert [e.where for e in errors] == [f"{path}:line {n}" for n in range(1, 11)]


def test_integer_id_is_kept() -> None:
    doc = capture_record(dict(_good(0), id=12345), location="x")
    assert doc.id == "12345"


@pytest.mark.parametrize(
    ("field", "value"), [("body", ["a", "b"]), ("body", 42), ("body", {"t": "x"}), ("title", 7), ("title", ["t"])]
)
def test_body_or_title_that_is_not_text_is_rejected(tmp_path: Path, field: str, value: Any) -> None:
    path = _write_lines(
        tmp_path / "b.jsonl", [_line(_good(0)), _line(dict(_good(1), **{field: value})), _line(_good(2))]
    )
    _one_reject(path, 2, field)


# --- 4. impossible dates --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2012-01-01garbage", "2012-02-30", "2012-13-01", "yesterday", "2012-01-01T99:00"])
def test_impossible_date_is_rejected(tmp_path: Path, value: str) -> None:
    path = _write_lines(tmp_path / "t.jsonl", [_line(_good(0)), _line(dict(_good(1), date=value)), _line(_good(2))])
    _one_reject(path, 2, "date", value)


@pytest.mark.parametrize(
    "value",
    ["2012-01-05", "2012-01-05T08:30:00", "2012-01-05 08:30:00", "2012-01-05T08:30:00+09:00", "2012-01-05T08:30:00Z"],
)
def test_date_with_time_is_read(value: str) -> None:
    doc = capture_record(dict(_good(0), date=value), location="x")
    assert doc.published is not None and doc.published.isoformat() == "2012-01-05"


# --- 5. a byte-order mark -------------------------------------------------------------------------


def test_jsonl_with_bom_reads_line_one(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "bom.jsonl", [_line(_good(0)), _line(_good(1))], bom=True)
    docs, errors = _items(path)
    assert not errors and [d.id for d in docs] == ["good-0", "good-1"]
    gz = tmp_path / "bom.jsonl.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    docs, errors = _items(gz)
    assert not errors and [d.id for d in docs] == ["good-0", "good-1"]


# --- 6. CSV headers in any case -------------------------------------------------------------------


def test_csv_headers_match_in_any_case(tmp_path: Path) -> None:
    import csv

    path = tmp_path / "caps.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ID", "Date", "Title", " Body "])
        for i in range(3):
            rec = _good(i)
            writer.writerow([rec["id"], rec["date"], rec["title"], rec["body"]])
    docs, errors = _items(path)
    assert not errors
    assert [d.id for d in docs] == ["good-0", "good-1", "good-2"]
    assert docs[0].title == STORIES[0]["title"] and docs[0].published is not None


# --- 7. directories of JSON Lines -----------------------------------------------------------------


def test_directory_of_jsonl_files_is_read(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    _write_lines(tmp_path / "a" / "one.jsonl", [_line(_good(0)), _line(_good(1))])
    write_jsonl_gz(tmp_path / "two.jsonl.gz", [_good(2), _good(3)])
    _write_lines(tmp_path / "three.ndjson", [_line(_good(4))])
    docs, errors = _items(tmp_path)
    assert not errors
    assert [d.id for d in docs] == ["good-0", "good-1", "good-4", "good-2", "good-3"], "sorted by path"


def test_unreadable_subfolder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    _write_lines(tmp_path / "locked" / "hidden.jsonl", [_line(_good(1))])
    _write_lines(tmp_path / "open.jsonl", [_line(_good(0))])
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # root reads any folder: refuse this one as chmod 000 would
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, errors = _items(tmp_path)
    assert [d.id for d in docs] == ["good-0"]
    (err,) = errors
    assert err.where == str(tmp_path / "locked") and "Permission denied" in err.reason


def test_cli_ingest_of_a_directory_stores_its_stories(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from statemedia.cli import app, commands  # noqa: F401
    from statemedia.store.sqlite import SQLiteStore

    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl_gz(folder / "a.jsonl.gz", [_good(0), _good(1)])
    _write_lines(folder / "b.jsonl", [_line(_good(2))])
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "--db", str(db), "--no-analyze", "--rejects", str(tmp_path / "r.jsonl")]
    )
    assert result.exit_code == 0, result.output
    store = SQLiteStore(db)
    try:
        assert all(store.get(f"good-{i}") is not None for i in range(3))
    finally:
        store.close()


# --- fuzz: mutated real records, bad ones mixed with good ones in one file -----------------------

Mutation = Callable[[dict[str, Any]], str]


def _set(**fields: Any) -> Mutation:
    return lambda rec: _line(dict(rec, **fields))


def _drop(field: str) -> Mutation:
    return lambda rec: _line({k: v for k, v in rec.items() if k != field})


BAD: list[Mutation] = [
    _set(id=[1, 2]),
    _set(id={"k": "v"}),
    _set(id=False),
    _set(id=2.5),
    _set(body=["a", "b"]),
    _set(body=3.14),
    _set(body={"text": "x"}),
    _set(body=""),
    _set(body="   "),
    _set(body="Kim \ud800 farm"),
    _set(body="\x00\x01\x02\x03" * 50),
    _set(title=12),
    _set(title=["x"]),
    _set(title="A \udc80 title"),
    _set(date="2012-01-01garbage"),
    _set(date="2012-02-30"),
    _set(date=20120101),
    _set(url=["http://x"]),
    _set(outlet={"name": "KCNA"}),
    _set(language=["en"]),
    _set(extra="\ud83d"),
    _drop("body"),
    lambda rec: _line(rec)[:-7],  # cut short
    lambda rec: '{"id": "deep", "body": "text", "n": ' + DEEP + "}",
    lambda rec: DEEP,
    lambda rec: _line([rec]),
    lambda rec: '"just a string"',
    lambda rec: "42",
    lambda rec: "null",
    lambda rec: '{"id": 1' + "0" * 5000 + ', "body": "an integer too long to read"}',
    lambda rec: "\xff\xfe not UTF-8",
    lambda rec: _line({**rec, "key \udc00": 1}),
]
# Unusual but acceptable: still good records.
GOOD: list[Callable[[dict[str, Any]], dict[str, Any]]] = [
    lambda rec: rec,
    lambda rec: dict(rec, date=rec["date"] + "T09:00:00"),
    lambda rec: dict(rec, extra=[1, {"nested": [2]}]),
    lambda rec: {k: v for k, v in rec.items() if k not in ("title", "date", "index_url")},
    lambda rec: dict(rec, body="  " + rec["body"] + "\n\n"),
]


@st.composite
def _files(draw: st.DrawFn) -> tuple[list[str], list[str | None]]:
    """Lines of a JSONL file, and for each the id of the good record it holds (None: bad)."""
    n = draw(st.integers(min_value=1, max_value=25))
    lines: list[str] = []
    expected: list[str | None] = []
    for i in range(n):
        base = dict(STORIES[draw(st.integers(0, len(STORIES) - 1))], id=f"rec-{i}")
        if draw(st.booleans()):
            good = GOOD[draw(st.integers(0, len(GOOD) - 1))](base)
            if draw(st.booleans()):
                good["id"] = 10_000 + i  # integer ids are ids too
            lines.append(json.dumps(good, ensure_ascii=draw(st.booleans())))
            expected.append(str(good["id"]))
        else:
            lines.append(BAD[draw(st.integers(0, len(BAD) - 1))](base))
            expected.append(None)
    return lines, expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_files(), st.booleans(), st.booleans())
def test_fuzz_mutated_kcna_records(case: tuple[list[str], list[str | None]], bom: bool, gz: bool) -> None:
    lines, expected = case
    with tempfile.TemporaryDirectory() as tmp:
        path = _write_lines(Path(tmp) / "fuzz.jsonl", lines, bom=bom)
        if gz:
            data = path.read_bytes()
            path = Path(tmp) / "fuzz.jsonl.gz"
            path.write_bytes(gzip.compress(data))
        docs, errors = _items(path)  # no exception may escape
        assert [d.id for d in docs] == [e for e in expected if e is not None], "every good record, in order"
        bad_lines = [f"{path}:line {n}" for n, e in enumerate(expected, 1) if e is None]
        assert [e.where for e in errors] == bad_lines, "every bad record, with its line"
        assert all(e.reason and e.code.startswith("E1") for e in errors)
        for doc in docs:  # what is read can be stored: every text encodes as UTF-8
            assert doc.source is not None
            (doc.text + (doc.title or "") + doc.source.raw + doc.id).encode("utf-8")


@pytest.mark.parametrize("field", ["id", "title", "body"])
def test_a_nul_in_a_text_field_is_rejected_with_its_field(field: str) -> None:
    record = {"id": "nul-1", "title": "A title", "body": "Kim Jong Un inspected the factory on Monday."}
    record[field] = record[field][:3] + "\x00" + record[field][3:]
    with pytest.raises(BadRecordError, match=f"field '{field}' holds a NUL"):
        capture_record(record, location="nul.jsonl:line 1")
