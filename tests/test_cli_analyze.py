"""`statemedia analyze`: reports, JSON, JSON Lines corpora, stdin and one-line errors on bad input."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED, iter_kcna
from statemedia.report import validate


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "statemedia", "analyze", *args], input=stdin, capture_output=True, timeout=300
    )


def test_text_report_on_seed() -> None:
    proc = run(str(SEED))
    assert proc.returncode == 0, proc.stderr.decode()
    report = proc.stdout.decode()
    assert "Kim Il Sung’s Distinguished Leadership Ability Displayed in War" in report
    for expected in ("1950-10-21", "1951-10-01", "1952-02", "20,500", "more than", "Workers' Party of Korea"):
        assert expected in report
    # The reported order: who said it, in the Quotations table.
    quotations = report[report.index("Quotations") :]
    assert "indirect" in quotations and "Kim Il Sung" in quotations and "the officers should show deep" in quotations


def test_json_from_stdin_with_date_and_outlet() -> None:
    proc = run("-", "--format", "json", "--date", "2024-05-01", "--outlet", "Rodong Sinmun", stdin=SEED.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    validate(result)
    assert result["document"]["outlet"] == "Rodong Sinmun"
    assert result["document"]["date"] == "2024-05-01"


def test_jsonl_corpus_keeps_good_records_when_one_line_is_broken(tmp_path: Path) -> None:
    records = [r for _, r in zip(range(3), iter_kcna(2012), strict=False)]
    lines = [json.dumps(records[0]), "{not json", json.dumps(records[1]), json.dumps(records[2])]
    corpus = tmp_path / "mixed.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    proc = run(str(corpus), "--format", "json")
    assert proc.returncode == 1  # partial: three analysed, one rejected
    out_ids = [json.loads(line)["document"]["id"] for line in proc.stdout.decode().splitlines()]
    assert out_ids == [r["id"] for r in records]
    errors = [line for line in proc.stderr.decode().splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "mixed.jsonl.gz" in errors[0] and "line 2" in errors[0]


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    invalid = tmp / "invalid.txt"
    invalid.write_bytes(b"Kim Jong Un visited \xff\xfe\xfa\xfb\x80\x81 the factory " * 3 + b"\x9d\xff")
    huge = tmp / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)
    no_article = tmp / "menu.html"
    no_article.write_text("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>")
    return {
        "empty": (empty, "E101"),
        "binary": (binary, "E102"),
        "invalid bytes": (invalid, "E10"),
        "50 MB": (huge, "E104"),
        "html without article": (no_article, "E105"),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "invalid bytes", "50 MB", "html without article"])
def test_bad_input_gets_one_line_error_and_exit_2(tmp_path: Path, case: str) -> None:
    path, code = _bad_inputs(tmp_path)[case]
    proc = run(str(path))
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and code in lines[0]
    assert "Traceback" not in proc.stderr.decode()
