"""Bad input: each problem is one InputError of the right class, naming the input and the reason;
read_path yields it in place and goes on with the good records."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pandas as pd
import pyreadr
import pytest

from conftest import SEED, iter_kcna
from statemedia.capture import capture_html, capture_record, read_path
from statemedia.errors import (
    BadRecordError,
    BinaryInputError,
    DecodingError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NoArticleError,
)
from statemedia.model import Document

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
# Bytes invalid in UTF-8 and meaningless in CP1252 and EUC-KR (undefined lead/trail bytes).
UNDECODABLE = b"\x81\x8d\x8f\x90\x9d" * 40
NO_ARTICLE_HTML = (
    "<html><head><title>KCNA Watch</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/story/{i}">Headline of story number {i}</a></li>' for i in range(30))
    + "</ul></nav><footer><p>Copyright 2024</p></footer></body></html>"
)


def _items(path: Path | str) -> tuple[list[Document], list[InputError]]:
    items = list(read_path(path))
    assert all(isinstance(i, Document | InputError) for i in items)
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, InputError)]


def _one_error(path: Path, cls: type[InputError], reason: str) -> InputError:
    docs, errors = _items(path)
    assert not docs
    (err,) = errors
    assert type(err) is cls, repr(err)
    message = str(err)
    assert "\n" not in message and str(path) in message and reason in message, message
    assert message.startswith(cls.code)
    return err


@pytest.mark.parametrize(
    ("name", "content", "cls", "reason"),
    [
        ("empty.txt", b"", EmptyInputError, "empty"),
        ("blank.txt", b" \n\t\r\n", EmptyInputError, "empty"),
        (
            "chrome-only.txt",
            "Skip links\n\n🍪 This website uses cookies.".encode(),
            EmptyInputError,
            "chrome",
        ),
        ("image.txt", PNG, BinaryInputError, "binary"),
        ("controls.txt", b"text" + b"\x1b\x07" * 50 + b"more text", BinaryInputError, "control"),
        ("garbage.txt", UNDECODABLE, DecodingError, "not valid in any supported encoding"),
        ("nav.html", NO_ARTICLE_HTML.encode(), NoArticleError, "no article"),
        ("broken.json", b'{"id": "x", "body": ', BadRecordError, "not JSON"),
        ("nobody.json", b'{"id": "x", "title": "A title"}', BadRecordError, "no text"),
        ("gone.txt", None, InputError, "no such file"),
    ],
)
def test_bad_file(
    tmp_path: Path, name: str, content: bytes | None, cls: type[InputError], reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    _one_error(path, cls, reason)


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: nothing is written but the last byte
        fh.seek(50_000_001)
        fh.write(b"x")
    _one_error(path, InputTooLargeError, "50,000,000-byte limit")


def test_no_article_html_direct() -> None:
    with pytest.raises(NoArticleError, match=r"page\.html"):
        capture_html(NO_ARTICLE_HTML, location="page.html")


def _kcna_lines(n: int) -> list[str]:
    return [json.dumps(r) for r in itertools.islice(iter_kcna(2012), n)]


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    lines = _kcna_lines(5)
    path = tmp_path / "stories.jsonl"
    path.write_text(
        "\n".join([*lines[:2], '{"id": "broken", "body": "cut', *lines[2:]]) + "\n", encoding="utf-8"
    )
    docs, errors = _items(path)
    assert [d.id for d in docs] == [json.loads(line)["id"] for line in lines]
    (err,) = errors
    assert (
        isinstance(err, BadRecordError) and err.where == f"{path}:line 3" and "not a JSON record" in str(err)
    )


def test_jsonl_record_without_body(tmp_path: Path) -> None:
    record = json.loads(_kcna_lines(1)[0])
    del record["body"]
    path = tmp_path / "nobody.jsonl"
    path.write_text(json.dumps(record) + "\n" + _kcna_lines(1)[0] + "\n", encoding="utf-8")
    docs, errors = _items(path)
    assert len(docs) == 1
    (err,) = errors
    assert isinstance(err, BadRecordError) and err.where.endswith(":line 1") and "no text" in err.reason


def test_record_bad_date() -> None:
    record = {**json.loads(_kcna_lines(1)[0]), "date": "30/11/2013"}
    with pytest.raises(BadRecordError, match="not an ISO date"):
        capture_record(record, location="rec")


def test_truncated_gzip_yields_good_records_then_error(tmp_path: Path) -> None:
    full = gzip.compress(("\n".join(_kcna_lines(200)) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(full[: len(full) // 2])
    items = list(read_path(path))
    *good, err = items
    assert 0 < len(good) < 200 and all(isinstance(d, Document) for d in good), "good records first"
    assert type(err) is InputError and err.where == str(path) and "cut short" in err.reason


def test_csv_broken_row(tmp_path: Path) -> None:
    path = tmp_path / "stories.csv"
    path.write_text(
        "id,date,title,body\n"
        "a1,2012-01-01,First,The first story has a body.\n"
        "a2,2012-01-02,Second\n"
        "a3,2012-01-03,Third,The third story has a body too.\n",
        encoding="utf-8",
    )
    docs, errors = _items(path)
    assert [d.id for d in docs] == ["a1", "a3"]
    (err,) = errors
    assert isinstance(err, BadRecordError) and err.where == f"{path}:row 3" and "3 fields" in err.reason


def test_rdata_without_story_table(tmp_path: Path) -> None:
    path = tmp_path / "other.rda"
    pyreadr.write_rdata(str(path), pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}), df_name="numbers")
    err = _one_error(path, BadRecordError, "no data.frame with a text column")
    assert "numbers" in err.reason


def test_rdata_with_story_table(tmp_path: Path) -> None:
    records = list(itertools.islice(iter_kcna(2011), 3))
    frame = pd.DataFrame([{k: r[k] for k in ("title", "body", "date")} for r in records])
    path = tmp_path / "kcna.RData"
    pyreadr.write_rdata(str(path), frame, df_name="kcna")
    docs, errors = _items(path)
    assert not errors
    assert [d.text for d in docs] == [r["body"].strip() for r in records]
    assert docs[0].published is not None and docs[0].published.isoformat() == records[0]["date"]


def test_directory_with_binary_file(tmp_path: Path) -> None:
    (tmp_path / "a-seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "b-image.txt").write_bytes(PNG)
    docs, errors = _items(tmp_path)
    assert len(docs) == 1
    (err,) = errors
    assert isinstance(err, BinaryInputError) and err.where == str(tmp_path / "b-image.txt")
