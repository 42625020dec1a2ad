"""Commands under bad use (issue 17): missing inputs, empty corpora, crashes, unwritable files,
mistyped databases, article text that looks like markup, and CSV formula injection."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SEED, iter_kcna

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/","click") :fire: [bold]loud[/bold]'
HOSTILE_TEXT = "zebraword :fire: [red]tag[/red] delegation arrived. "


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statemedia", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "400", **(env or {})},
        cwd=cwd,
    )


def error_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one real KCNA story whose title and text are hostile."""
    folder = tmp_path_factory.mktemp("hostile")
    record = next(iter_kcna(2012))
    record = {**record, "title": HOSTILE_TITLE, "body": HOSTILE_TEXT + record["body"]}
    corpus = folder / "hostile.jsonl"
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = folder / "hostile.db"
    proc = run("ingest", str(corpus), "--db", str(db), "--no-analyze", "--rejects", str(folder / "rejects.jsonl"))
    assert proc.returncode == 0, proc.stderr
    return db


# 1. A missing input path is bad input (2), named in one line.
def test_ingest_of_a_missing_path_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus.jsonl"
    proc = run("ingest", str(missing), "--db", str(tmp_path / "x.db"), "--rejects", str(tmp_path / "r.jsonl"))
    assert proc.returncode == 2, proc.stderr
    lines = error_lines(proc)
    assert len(lines) == 1 and str(missing) in lines[0]
    assert not (tmp_path / "x.db").exists()


# 2. An empty corpus finds nothing: exit 1.
def test_empty_jsonl_finds_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    proc = run("analyze", str(empty))
    assert proc.returncode == 1, proc.stderr
    assert str(empty) in proc.stderr
    proc = run("ingest", str(empty), "--db", str(tmp_path / "x.db"), "--no-analyze", "--rejects", str(tmp_path / "r"))
    assert proc.returncode == 1, proc.stderr
    assert str(empty) in proc.stderr


# 3. An unexpected crash has its own exit status and one line, a traceback only when asked for.
CRASH = """
import sys
import statemedia.store.sqlite as sqlite
def boom(self, *args, **kwargs):
    raise RuntimeError("boom in search")
sqlite.SQLiteStore.search = boom
from statemedia.cli import main
sys.argv = ["statemedia", "search", "zebraword", "--db", sys.argv[1]]
main()
"""


def test_a_crash_exits_3_with_one_line(hostile_db: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STATEMEDIA_DEBUG"}
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, str(hostile_db)], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 3, proc.stderr
    lines = error_lines(proc)
    assert len(lines) == 1 and "boom in search" in lines[0] and "RuntimeError" in lines[0]
    assert "Traceback" not in proc.stderr and "STATEMEDIA_DEBUG" in lines[0]
    debug = subprocess.run(
        [sys.executable, "-c", CRASH, str(hostile_db)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "STATEMEDIA_DEBUG": "1"},
    )
    assert debug.returncode == 3 and "Traceback" in debug.stderr and "boom in search" in debug.stderr


# 4. An unwritable --rejects file is refused before anything is stored.
def test_unwritable_rejects_file_is_refused_before_any_work(tmp_path: Path) -> None:
    record = next(iter_kcna(2012))
    corpus = tmp_path / "one.jsonl"
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    rejects = blocker / "rejects.jsonl"  # a file's child: never writable, even for root
    db = tmp_path / "x.db"
    proc = run("ingest", str(corpus), "--db", str(db), "--no-analyze", "--rejects", str(rejects))
    assert proc.returncode == 2, proc.stderr
    lines = error_lines(proc)
    assert len(lines) == 1 and str(rejects) in lines[0] and "Traceback" not in proc.stderr
    assert not db.exists()


# 5. Read-only commands never create a database.
READ_ONLY = [
    ["search", "Kim"],
    ["show", "some-id"],
    ["diff", "some-id"],
    ["export", "OUT"],
    ["activities"],
    ["quotations"],
    ["serve"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_read_only_command_with_a_mistyped_db_exits_2(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "mistyped" / "folder" / "statemedia.db"
    args = [str(tmp_path / "out.jsonl") if a == "OUT" else a for a in command]
    proc = run(*args, "--db", str(db))
    assert proc.returncode == 2, proc.stderr
    lines = error_lines(proc)
    assert len(lines) == 1 and str(db) in lines[0]
    assert not (tmp_path / "mistyped").exists()
    assert not (tmp_path / "out.jsonl").exists()


# 6. Article text is printed verbatim: no emoji codes, no markup.
def test_search_prints_titles_and_snippets_verbatim(hostile_db: Path) -> None:
    proc = run("search", "zebraword", "--db", str(hostile_db))
    assert proc.returncode == 0, proc.stderr
    assert ":fire:" in proc.stdout and "🔥" not in proc.stdout
    assert "[bold]loud[/bold]" in proc.stdout and "[red]tag[/red]" in proc.stdout


def test_analyze_prints_quotations_verbatim(tmp_path: Path) -> None:
    body = "\n".join(SEED.read_text(encoding="utf-8").splitlines()[4:12])
    article = tmp_path / "article.txt"
    article.write_text(
        "Talks held today\n\nPyongyang, May 2 (KCNA) -- Kim Il Sung said, "
        '"The soldiers :fire: must [bold]fight[/bold] bravely to the end of the war."\n\n' + body,
        encoding="utf-8",
    )
    proc = run("analyze", str(article))
    assert proc.returncode == 0, proc.stderr
    assert "The soldiers :fire: must [bold]fight[/bold] bravely" in proc.stdout
    assert "🔥" not in proc.stdout


# 7. CSV cells that a spreadsheet would run as a formula are neutralised, in every CSV writer.
@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_prefixes_formula_starters(value: str) -> None:
    from statemedia.csv_cells import safe_cell

    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_other_values() -> None:
    from statemedia.csv_cells import safe_cell

    assert safe_cell("Kim Jong Un") == "Kim Jong Un" and safe_cell(-1) == -1 and safe_cell(None) is None


def _titles(text: str) -> list[str]:
    return [row["title"] for row in csv.DictReader(io.StringIO(text))]


def test_search_csv_neutralises_formulas(hostile_db: Path) -> None:
    proc = run("search", "zebraword", "--db", str(hostile_db), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert _titles(proc.stdout) == ["'" + HOSTILE_TITLE]


def test_export_csv_neutralises_formulas(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.csv"
    proc = run("export", str(out), "--db", str(hostile_db), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert _titles(out.read_text(encoding="utf-8")) == ["'" + HOSTILE_TITLE]


def test_web_api_csv_neutralises_formulas(hostile_db: Path) -> None:
    from statemedia.web.app import create_app

    with TestClient(create_app(hostile_db, token="")) as client:
        r = client.get("/api/search", params={"q": "zebraword", "format": "csv"})
        assert r.status_code == 200, r.text
        assert _titles(r.text) == ["'" + HOSTILE_TITLE]
        r = client.get("/api/articles", params={"format": "csv"})
        assert r.status_code == 200, r.text
        assert _titles(r.text) == ["'" + HOSTILE_TITLE]
